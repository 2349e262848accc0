"""``toolkit update`` remembers the catalogs it found up to date, as ``check`` its findings.

What a merge does to a catalog depends on the template's bytes, the catalog's bytes, path and
locale, the options (``--plural-forms``, ``--no-fuzzy-matching``, ``--pot``) and on
:func:`toolkit.cache.settings_digest` (project settings, the toolkit's code, Babel, Python).
When a merge left a catalog as it was, that verdict and its counts are kept under a digest of
all of them in ``<cache>/updated/``; a rerun with the same inputs (``toolkit extract &&
toolkit update`` when no template changed, the usual CI gate ``update --check``) reports the
same without parsing the template or any catalog. Everything else (a catalog that changes, is
created, cannot be read; a refusal) takes the merge, whose errors are its own: the cache only
ever answers "unchanged", and only for exactly the bytes it was given.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..fsutil import read_regular_file, require_template_file

if TYPE_CHECKING:
    from ..config import ProjectConfig

#: Bumped when the stored form changes (older entries are then never read).
FORMAT = 1
_COUNTS = ("total", "new", "fuzzy_matched", "obsolete")


@dataclass(frozen=True)
class UpdateResult:
    """What ``update_catalogs`` did to one locale's catalog."""

    locale: str
    path: Path
    created: bool
    written: bool
    total: int
    new: int
    fuzzy_matched: int
    obsolete: int
    #: What happened to the Plural-Forms header, for the summary line ("" when untouched).
    plural_forms: str = ""
    #: New strings that got no fuzzy match because matching's work budget was spent (a
    #: catalog of thousands of alike reworded strings; see toolkit.catalogs.fuzzy).
    fuzzy_skipped: int = 0
    #: New strings the catalog had translated but for white space (see merge._spacing_only).
    spacing_only: int = 0


def update_catalogs_cached(
    config: ProjectConfig,
    locales: list[str] | None = None,
    *,
    dry_run: bool = False,
    plural_forms: str | None = None,
    fuzzy_matching: bool = True,
    pot: Path | Sequence[Path] | None = None,
    cache: bool = True,
) -> list[UpdateResult]:
    """:func:`toolkit.catalogs.update_catalogs`, answered from the cache when every catalog
    is one the same merge already left unchanged (``cache=False``: always merged)."""
    def merged() -> list[UpdateResult]:
        from .merge import update_catalogs  # Babel's catalog model: only when merging

        return update_catalogs(
            config, locales, dry_run=dry_run, plural_forms=plural_forms,
            fuzzy_matching=fuzzy_matching, pot=pot,
        )  # fmt: skip

    if not cache:
        return merged()
    from ..cache import settings_digest

    settings = settings_digest(config, False)

    def keys() -> dict[Path, tuple[str, str]]:
        return _keys(config, settings, locales, plural_forms, fuzzy_matching, pot)

    before = keys()
    stored = [(path, locale, _load(key)) for path, (locale, key) in before.items()]
    if before and all(found is not None for _, _, found in stored):
        return [
            UpdateResult(locale, path, False, False, *found)
            for path, locale, found in stored
            if found is not None
        ]
    results = merged()
    if before:
        after = keys()  # the same bytes as the merge read? (nothing changed them meanwhile)
        for result in results:
            key = before.get(result.path)
            if result.written or result.created or key is None or after.get(result.path) != key:
                continue
            counts = {name: getattr(result, name) for name in _COUNTS}
            _store(key[1], {**counts, "plural_forms": result.plural_forms})
    return results


def template_paths(config: ProjectConfig, pot: Path | Sequence[Path] | None) -> list[Path]:
    """The templates an update merges from: ``--pot`` (each once), or the project's POT."""
    if pot is None:
        return [config.pot_path]
    if isinstance(pot, Path):
        return [pot]
    return list(dict.fromkeys(pot)) or [config.pot_path]


def _keys(
    config: ProjectConfig,
    settings: bytes,
    locales: list[str] | None,
    plural_forms: str | None,
    fuzzy_matching: bool,
    pot: Path | Sequence[Path] | None,
) -> dict[Path, tuple[str, str]]:
    """Each target catalog's locale and key; empty when any catalog or the template cannot
    be read as a plain file here (the merge then says why, or creates the catalog)."""
    import hashlib

    from ..cache import entry_key
    from ..project_locales import refuse_flat_catalogs

    config = config.spelled(locales)  # a new catalog of --locale sr_RS goes in sr_RS/
    policy = plural_forms or config.plural_forms
    refuse_flat_catalogs(config, config.select_locales(locales) if locales else None)
    given = pot is not None
    templates = template_paths(config, pot)
    for template in templates:
        require_template_file(template, given)
    try:
        template_digest = "\0".join(
            hashlib.sha256(read_regular_file(template)).hexdigest() for template in templates
        )
    except OSError:
        return {}
    where = "\0".join(str(template.resolve()) for template in templates)
    options = f"update\0{FORMAT}\0{policy}\0{fuzzy_matching}\0{given}\0{where}"
    keys = {}
    for locale in config.target_locales(locales):
        path = config.po_path(locale)
        try:
            data = read_regular_file(path)
        except OSError:  # the merge says why, or creates the catalog
            return {}
        label = f"{options}\0{template_digest}\0{locale}\0{path}"
        keys[path] = (locale, entry_key(settings, label, data))
    return keys


def _load(key: str) -> tuple[int, int, int, int, str] | None:
    """The stored counts (total, new, fuzzy-matched, obsolete) and Plural-Forms note."""
    from ..cache import entry_path, read_entry

    try:
        stored = json.loads(read_entry(entry_path("updated", key)) or b"null")
        total, new, fuzzy_matched, obsolete = (int(stored[name]) for name in _COUNTS)
        note = stored["plural_forms"]
        if not isinstance(note, str):
            return None
        return total, new, fuzzy_matched, obsolete, note
    except (OSError, ValueError, KeyError, TypeError):
        return None  # absent, unreadable or damaged: merge


def _store(key: str, found: dict[str, int | str]) -> None:
    from ..cache import entry_path, store

    store(entry_path("updated", key), json.dumps(found, sort_keys=True).encode())
