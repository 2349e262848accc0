"""Translation memory: an SQLite file of MT results keyed by model and source segment.

Segments are stored as MT saw them (placeholders masked), so ``Hi {name}!`` and
``Hi {first_name}!`` share one entry. The key's model part names the engine, the model pair,
a fingerprint of the installed package and the decoding options, so a different model or beam
size never reuses another's output. Rows are committed in batches while a run goes on: an
interrupted run keeps everything translated before the interrupt.

A second table, ``units``, holds human translations exchanged as TMX (``toolkit memory
import``): a vendor's memory, or approved catalog entries, by language pair.
"""

from __future__ import annotations

import functools
import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import ModelError

_SCHEMA = """
CREATE TABLE IF NOT EXISTS segments (
    model TEXT NOT NULL,
    source TEXT NOT NULL,
    target TEXT NOT NULL,
    score REAL,
    PRIMARY KEY (model, source)
)
"""


_UNITS_SCHEMA = """
CREATE TABLE IF NOT EXISTS units (
    source_lang TEXT NOT NULL,
    target_lang TEXT NOT NULL,
    source TEXT NOT NULL,
    target TEXT NOT NULL,
    origin TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (source_lang, target_lang, source, target)
)
"""


@dataclass(frozen=True)
class HumanUnit:
    """A human translation in the memory (from TMX or an approved catalog entry)."""

    source_lang: str
    target_lang: str
    source: str
    target: str
    origin: str = ""
    #: the msgctxt of the entry the pair came from (TMX ``x-context``), or ""
    context: str = ""
    #: for a plural entry's pair, the entry's other source text (TMX ``x-toolkit-plural``),
    #: or "": exported and imported again, the pair passes the same check
    plural: str = ""


@dataclass(frozen=True)
class Stored:
    """One remembered translation."""

    target: str
    score: float | None


def default_memory_path() -> Path:
    """``TOOLKIT_MEMORY`` if set, else ``mt-memory.sqlite`` in the user's cache folder."""
    configured = os.environ.get("TOOLKIT_MEMORY")
    if configured:
        return Path(configured).expanduser()
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("toolkit")) / "mt-memory.sqlite"


class TranslationMemory:
    """Read and (unless ``read_only``) write the memory at ``path``.

    A read-only memory whose file does not exist behaves as empty and creates nothing.
    """

    def __init__(self, path: Path, *, read_only: bool = False) -> None:
        self.path = path
        self.read_only = read_only
        self._db: sqlite3.Connection | None = None
        if path.is_dir():
            raise ModelError(
                f"the translation memory {path} is a folder.",
                hint="Give the path of a file for the memory (such as memory.sqlite in that "
                "folder); it is created if it does not exist.",
            )
        try:
            if read_only:
                if path.exists():
                    self._db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                self._db = sqlite3.connect(path)
                self._db.execute(_SCHEMA)
                self._db.execute(_UNITS_SCHEMA)
                present = self._unit_columns()
                for column, kind in _UNIT_COLUMNS:  # memories written before they existed
                    if column not in present:
                        self._db.execute(f"ALTER TABLE units ADD COLUMN {column} {kind}")
                self._db.commit()
        except (sqlite3.Error, OSError) as exc:
            raise ModelError(
                f"cannot open the translation memory {path}: {exc}.",
                hint="Move the file aside to start a new memory (it also holds the human "
                "translations 'toolkit memory import' added), or set TOOLKIT_MEMORY to "
                "another path.",
            ) from exc

    def __enter__(self) -> TranslationMemory:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def lookup(self, model: str, sources: Iterable[str]) -> dict[str, Stored]:
        """The remembered translations of those ``sources`` that are in the memory."""
        if self._db is None:
            return {}
        found: dict[str, Stored] = {}
        wanted = list(dict.fromkeys(sources))
        try:
            for chunk in _chunks(wanted, 500):
                marks = ",".join("?" * len(chunk))
                rows = self._db.execute(
                    f"SELECT source, target, score FROM segments "
                    f"WHERE model = ? AND source IN ({marks})",
                    [model, *chunk],
                )
                for source, target, score in rows:
                    found[source] = Stored(target, score)
        except sqlite3.DatabaseError as exc:
            raise ModelError(
                f"the translation memory {self.path} is unreadable: {exc}.",
                hint=_UNREADABLE_HINT,
            ) from exc
        return found

    def store(self, model: str, rows: Iterable[tuple[str, Stored]]) -> None:
        """Add or replace rows and commit them (a batch survives a later interrupt)."""
        if self._db is None or self.read_only:
            return
        try:
            with self._db:
                self._db.executemany(
                    "INSERT OR REPLACE INTO segments (model, source, target, score) "
                    "VALUES (?, ?, ?, ?)",
                    [(model, source, stored.target, stored.score) for source, stored in rows],
                )
        except sqlite3.DatabaseError as exc:  # (locked by another process, disk full)
            raise ModelError(
                f"cannot write to the translation memory {self.path}: {exc}.",
                hint=_UNREADABLE_HINT,
            ) from exc

    def count(self, model: str | None = None) -> int:
        """Number of stored segments (of one model, or all)."""
        if self._db is None:
            return 0
        if model is None:
            return int(self._db.execute("SELECT COUNT(*) FROM segments").fetchone()[0])
        query = "SELECT COUNT(*) FROM segments WHERE model = ?"
        return int(self._db.execute(query, (model,)).fetchone()[0])


    def segments(self) -> list[tuple[str, str, Stored]]:
        """Every MT row as ``(model, source, stored)``, ordered by model and source."""
        if self._db is None:
            return []
        rows = self._db.execute(
            "SELECT model, source, target, score FROM segments ORDER BY model, source"
        )
        return [(model, source, Stored(target, score)) for model, source, target, score in rows]

    def _unit_columns(self) -> set[str]:
        assert self._db is not None
        return {row[1] for row in self._db.execute("PRAGMA table_info(units)")}

    def _column(self, name: str, default: str) -> str:
        """``name`` where the table has that column, else the SQL ``default`` (a read-only
        memory written by an older version)."""
        return name if name in self._unit_columns() else default

    def human_units(self, target_lang: str | None = None) -> list[HumanUnit]:
        """The human translations (of one target language, or all), in a stable order."""
        if self._db is None or not self._has_table("units"):
            return []
        context, plural = self._column("context", "''"), self._column("plural", "''")
        query = (f"SELECT source_lang, target_lang, source, target, origin, {context}, {plural} "
                 "FROM units")  # fmt: skip
        args: tuple[str, ...] = ()
        if target_lang is not None:
            query += " WHERE target_lang = ?"
            args = (target_lang,)
        rows = self._db.execute(query + " ORDER BY target_lang, source, target", args)
        return [HumanUnit(*row) for row in rows]

    def human_matches(
        self,
        source_locale: str,
        target_locale: str,
        sources: Iterable[tuple[str, str | None]],
    ) -> dict[tuple[str, str | None], HumanUnit]:
        """A human translation for each ``(source, msgctxt)`` that has one, from
        ``source_locale`` into ``target_locale`` (locale ids, ``nb_NO``). A unit of the
        entry's own context comes first, then one without a context; one of another context
        never. Then the language: a unit for the exact tag (``nb-NO``) first, then one for the
        language alone (``nb``) or for a region of it when the catalog has none (``da-DK``
        for ``da``); ``pt-BR`` never serves ``pt_PT``. Among equals, the one imported last."""
        if self._db is None:
            return {}
        source_tag, target_tag = _tag(source_locale), _tag(target_locale)
        wanted = list(dict.fromkeys(sources))
        contexts: dict[str, set[str]] = {}
        for text, context in wanted:
            contexts.setdefault(text, set()).add(context or "")
        best: dict[tuple[str, str | None], tuple[tuple[int, ...], HumanUnit]] = {}
        try:
            if not self._has_table("units"):
                return {}
            context_column, order_column = self._column("context", "''"), self._column("seq", "0")
            plural_column = self._column("plural", "''")
            for chunk in _chunks(list(contexts), 500):
                marks = ",".join("?" * len(chunk))
                rows = self._db.execute(
                    f"SELECT {order_column}, rowid, source_lang, target_lang, source, target, "
                    f"origin, {context_column}, {plural_column} FROM units "
                    f"WHERE source IN ({marks})",
                    list(chunk),
                )
                for seq, rowid, *fields in rows:
                    unit = HumanUnit(*fields)
                    if unit.source_lang.lower().split("-")[0] != source_tag.split("-")[0]:
                        continue
                    rank = _language_rank(unit.target_lang.lower(), target_tag)
                    if rank is None:
                        continue
                    for context in contexts[unit.source]:
                        if unit.context and unit.context != context:
                            continue  # another context's translation
                        order = (0 if unit.context == context else 1, rank, -(seq or 0), -rowid)
                        key = (unit.source, context or None)
                        if key not in best or order < best[key][0]:
                            best[key] = (order, unit)
        except sqlite3.DatabaseError as exc:
            raise ModelError(
                f"the translation memory {self.path} is unreadable: {exc}.",
                hint=_UNREADABLE_HINT,
            ) from exc
        return {key: unit for key, (_, unit) in best.items()}

    def store_human(self, units: Iterable[HumanUnit]) -> int:
        """Add human translations (an identical pair is kept once); return how many were new."""
        if self._db is None or self.read_only:
            return 0
        rows = list(units)
        with self._db:
            before = self._db.total_changes
            self._db.executemany(
                "INSERT OR IGNORE INTO units (source_lang, target_lang, source, target, origin) "
                "VALUES (?, ?, ?, ?, ?)",
                [(u.source_lang, u.target_lang, u.source, u.target, u.origin) for u in rows],
            )
            added = self._db.total_changes - before
            # This import is the latest: its pairs (new or known) come first among equals,
            # and carry the context the file gives them.
            (last,) = self._db.execute("SELECT COALESCE(MAX(seq), 0) FROM units").fetchone()
            self._db.executemany(
                "UPDATE units SET seq = ?, context = ?, plural = ? WHERE source_lang = ? AND "
                "target_lang = ? AND source = ? AND target = ?",
                [
                    (last + 1 + index, u.context, u.plural, u.source_lang, u.target_lang,
                     u.source, u.target)
                    for index, u in enumerate(rows)
                ],
            )  # fmt: skip
            return added

    def _has_table(self, name: str) -> bool:
        assert self._db is not None
        query = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?"
        return self._db.execute(query, (name,)).fetchone() is not None


_UNREADABLE_HINT = (
    "Move the file aside (or set TOOLKIT_MEMORY to another path): translate rebuilds the "
    "machine translations; human translations imported into it are lost unless you import "
    "their TMX again. If another process holds it (a second translate), wait for it."
)


#: Columns added to ``units`` after its first version (ALTER TABLE on older memories).
_UNIT_COLUMNS = (
    ("context", "TEXT NOT NULL DEFAULT ''"),
    ("seq", "INTEGER NOT NULL DEFAULT 0"),
    ("plural", "TEXT NOT NULL DEFAULT ''"),
)


def _language_rank(tag: str, wanted: str) -> int | None:
    """How well a unit for ``tag`` serves a catalog for ``wanted`` (lower-case BCP 47 tags):
    0 the same language, script and region; 1 the language alone (``nb`` for ``nb-no``), or a
    region of it for a catalog without one (``da-dk`` for ``da``); None: not at all (another
    language, another region, ``pt-br`` for ``pt-pt``, or another script: ``zh``, which is
    Simplified Chinese, never fills a ``zh_Hant`` catalog, ``zh-tw`` does; ``sr`` is Cyrillic,
    not ``sr_Latn``).

    >>> [_language_rank(t, "zh-hant") for t in ("zh-tw", "zh-hant", "zh", "zh-cn")]
    [1, 0, None, None]
    >>> [_language_rank(t, "nb-no") for t in ("nb-no", "nb", "nb-sj", "da")]
    [0, 1, None, None]
    >>> _language_rank("zh-tw", "zh-hant-tw"), _language_rank("sr", "sr-latn")
    (0, None)
    """
    if tag == wanted:
        return 0
    language, script, region, likely = _language_parts(tag)
    want_language, want_script, want_region, want_likely = _language_parts(wanted)
    if language != want_language or (likely or script) != (want_likely or want_script):
        return None
    if region is not None and region == want_region:
        return 0  # zh-tw for zh-hant-tw: the same once the script is known
    if region is None or want_region is None:
        return 1
    return None


@functools.lru_cache(maxsize=256)
def _language_parts(tag: str) -> tuple[str, str | None, str | None, str | None]:
    """(language, script, region, likely script) of a lower-case BCP 47 tag; the likely script
    is CLDR's for the language in that region (``zh-tw``: hant; ``zh``: hans)."""
    pieces = tag.split("-")
    script = region = None
    for piece in pieces[1:]:
        if len(piece) == 4 and piece.isalpha() and script is None and region is None:
            script = piece
        elif region is None and ((len(piece) == 2 and piece.isalpha()) or
                                 (len(piece) == 3 and piece.isdigit())):  # fmt: skip
            region = piece
    likely = script
    if likely is None:
        from ..locales import likely_script

        likely = (likely_script(pieces[0], region) or "").lower() or None
    return pieces[0], script, region, likely


def _tag(locale: str) -> str:
    """``nb_NO`` (or ``nb-NO``) as a lower-case BCP 47 tag, ``nb-no``."""
    return locale.split("@")[0].replace("_", "-").lower()


def _chunks(items: Sequence[str], size: int) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
