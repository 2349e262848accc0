"""``toolkit compile``: PO catalogs to the MO files gettext loads at run time."""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from .cache import cache_dir as _cache_dir
from .cache import entry_key, entry_path, read_entry, store
from .cache import settings_digest as _settings_digest
from .errors import InputError, QAFailure, Unreadable, raise_unreadable, read_each
from .fsutil import holds, interrupts_held, read_po_bytes, refuse_read_only, write_bytes_atomic

if TYPE_CHECKING:  # the catalogs package (and Babel's parser) loads only when a catalog is parsed
    from .catalogs import PoEntries, PoFile
    from .checks import Finding
    from .config import ProjectConfig


@dataclass(frozen=True)
class CompileResult:
    """One compiled catalog."""

    locale: str
    path: Path
    messages: int
    skipped_fuzzy: int
    written: bool
    #: Plural entries with some forms empty: left out (gettext shows the source), a warning.
    skipped_partial: int = 0


def compile_catalogs(
    config: ProjectConfig,
    locales: list[str] | None = None,
    *,
    use_fuzzy: bool = False,
    force: bool = False,
) -> list[CompileResult]:
    """Compile each locale's PO to ``messages.mo`` next to it (byte-identical across runs).

    Catalogs with error findings of ``toolkit check`` are refused (QAFailure, nothing is
    written) unless ``force``. Each catalog is read once, for the checks and the MO file.
    A catalog whose exact bytes already passed the checks (same project settings, glossaries,
    toolkit code and options) is not checked again, and the MO made from those bytes is
    taken from the cache instead of parsing the catalog again: see :func:`_settings_digest`.
    """
    targets = config.select_locales(locales)
    paths = {locale: config.po_path(locale) for locale in targets}  # each checked once
    edited = {locale: _mtime_ns(path) for locale, path in paths.items()}  # before it is read
    read = read_each(paths.items(), lambda _, path: read_po_bytes(path), nothing=_NOTHING_COMPILED)
    raw = {loc: data for loc, data in zip(targets, read, strict=True) if isinstance(data, bytes)}
    if len(raw) < len(targets):  # the malformed ones among the others too: all are reported
        parsed = _parse_each(paths, list(raw), raw)
        raise_unreadable((parsed.get(loc, data) for loc, data in zip(targets, read, strict=True)),
                         nothing=_NOTHING_COMPILED)  # fmt: skip
    keys: dict[str, str] = {}
    if not force:
        settings = _settings_digest(config, use_fuzzy)
        keys = {loc: _catalog_key(settings, paths[loc], raw[loc]) for loc in targets}
    cached = {
        loc: output
        for loc in targets
        if (output := _cached_output(paths[loc], keys.get(loc))) is not None
    }
    todo = [loc for loc in targets if loc not in cached]
    unchecked: set[str] = set()  # catalogs whose error checks run now
    if not force:
        unchecked = {
            loc
            for loc in todo
            if not _is_verified(keys[loc])
            and not _passed_check(settings, loc, paths[loc], raw[loc])
        }
    built: dict[str, _Built] = {}
    if todo:
        from .forked import map_split

        if unchecked:  # the check modules load once, before any fork
            from .checks import available_checks

            available_checks()

        def build(share: list[str]) -> list[_Built]:
            return _build(config, share, paths, raw, unchecked, use_fuzzy)

        weights = [len(raw[loc]) for loc in todo]
        built = dict(zip(todo, map_split(build, todo, weights, PARALLEL_MIN_BYTES), strict=True))
    raise_unreadable((built[loc].unreadable for loc in todo), nothing=_NOTHING_COMPILED)
    errors = [finding for loc in todo for finding in built[loc].errors]
    if errors:
        raise _refusal(config, errors)
    for locale in unchecked:
        _mark_verified(keys[locale])
    outputs = {loc: cached[loc] if loc in cached else (built[loc].mo, built[loc].counts)
               for loc in targets}  # fmt: skip
    mo_paths = {loc: config.mo_path(loc) for loc in targets}
    note = f"No MO file was written (compile writes all {len(targets)} or none)."
    for locale in targets:  # a read-only MO file that would change: refused before any write
        try:
            refuse_read_only(mo_paths[locale], note if len(targets) > 1 else "")
        except InputError:
            if not holds(mo_paths[locale], outputs[locale][0]):  # read only when refused
                raise
    results = []
    with interrupts_held():  # Ctrl-C while writing: every MO file is written, then it stops
        for locale in targets:
            data, counts = outputs[locale]
            if locale not in cached and not force:
                _store_output(paths[locale], keys[locale], data, counts)
            written = write_bytes_atomic(mo_paths[locale], data)
            _mark_current(mo_paths[locale], edited[locale])
            results.append(
                CompileResult(locale=locale, path=mo_paths[locale], written=written, **counts)
            )
    return results


def _mtime_ns(path: Path) -> int | None:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return None


def _mark_current(mo: Path, edited: int | None) -> None:
    """Date the MO file just compiled (written, or found already holding the compiled bytes)
    as its PO was dated when compile read it: ``render`` warns when a PO is newer than its
    MO, and this compile is what that warning asks for, also when the PO changed only in what
    an MO does not hold (comments, fuzzy entries) or was saved again. A save of the PO after
    that read (while compile ran, or since) still leaves it newer. A PO dated in the future
    (a clock ahead) is left so: render says so."""
    if edited is None or edited > time.time_ns():
        return
    try:  # through a symlink: the MO the project's locales folder holds
        if mo.stat().st_mtime_ns != edited:
            os.utime(mo, ns=(time.time_ns(), edited))
    except OSError:  # a file of another user, a read-only file system: only the warning stays
        pass


#: Catalogs to read of this size or more in total are read, checked (when they need to be)
#: and compiled by forked children and this process together (see toolkit.forked; below it
#: a fork costs about what it saves).
PARALLEL_MIN_BYTES = 200_000


@dataclass(frozen=True)
class _Built:
    """One catalog read, checked for errors (when it needed to be) and compiled in memory;
    or why it cannot be read."""

    errors: list[Finding]
    mo: bytes
    counts: dict[str, int]
    unreadable: Unreadable | None = None


def _build(
    config: ProjectConfig,
    locales: list[str],
    paths: Mapping[str, Path],
    raw: Mapping[str, bytes],
    unchecked: set[str],
    use_fuzzy: bool,
) -> list[_Built]:
    """Read these catalogs, run the error checks on the ``unchecked`` ones (msgfmt one catalog
    ahead, as ``check`` does) and make each MO file; nothing is written."""
    each = _parse_each(paths, locales, raw)
    if any(isinstance(read, Unreadable) for read in each.values()):
        return [
            _Built([], b"", {}, read if isinstance(read, Unreadable) else None)
            for read in each.values()
        ]
    reads = cast(dict[str, "PoEntries"], each)
    to_check = [loc for loc in locales if loc in unchecked]
    found: dict[Path, list[Finding]] = {}
    if to_check:
        parsed = {reads[loc].path: reads[loc] for loc in to_check}
        for finding in error_findings(config, to_check, use_fuzzy=use_fuzzy, parsed=parsed):
            found.setdefault(finding.path, []).append(finding)
    built = []
    for locale in locales:
        mo, counts = _compiled(reads[locale], raw[locale], locale, use_fuzzy)
        built.append(_Built(found.get(paths[locale], []), mo, counts))
    return built


_NOTHING_COMPILED = "nothing was compiled"


def _parse_each(
    paths: Mapping[str, Path], locales: list[str], raw: Mapping[str, bytes]
) -> dict[str, PoEntries | Unreadable]:
    """Each catalog's entries, or why it cannot be read; a malformed catalog does not stop
    the others (see :func:`toolkit.errors.read_each`)."""
    from .catalogs import parse_po_entries

    reads = read_each(
        ((loc, paths[loc]) for loc in locales),
        lambda loc, path: parse_po_entries(raw[loc], path=path, locale=loc),
        nothing=_NOTHING_COMPILED,
    )
    return dict(zip(locales, reads, strict=True))


def _passed_check(settings: bytes, locale: str, path: Path, data: bytes) -> bool:
    """A catalog ``toolkit check`` just found free of errors (its cached findings) is not
    checked again: ``toolkit check && toolkit compile`` runs the checks once."""
    from .checks.cache import passed_check
    from .locales import locale_id

    return passed_check(settings, locale_id(locale), path, data)


def _compiled(
    read: PoEntries, data: bytes, locale: str, use_fuzzy: bool
) -> tuple[bytes, dict[str, int]]:
    """MO bytes of one read catalog and the counts its summary line shows.

    Written from the entries of the one-pass reader (:mod:`.catalogs.reader`) when it read the
    file and the catalog is UTF-8 with a header entry (:func:`.catalogs.mofile.
    mo_bytes_from_entries`, the same bytes); otherwise through Babel's catalog model."""
    from .catalogs.header import written_header_text
    from .catalogs.mofile import mo_bytes_from_entries

    items = read.entries
    header = written_header_text(data)
    mo = None
    if read.po is None and header is not None:
        mo = mo_bytes_from_entries(items, header, use_fuzzy=use_fuzzy)
    if mo is None:
        from .catalogs import mo_bytes, parse_po_file

        po = read.po or parse_po_file(data, path=read.path, locale=locale)
        mo = mo_bytes(po.catalog, use_fuzzy=use_fuzzy, header=header)
    from .catalogs.plurals import header_plural_forms, unreached_forms

    unreached = unreached_forms(header_plural_forms(header))  # (a fraction-only form)
    counts = {
        "messages": sum(1 for e in items if e.complete(unreached) and (use_fuzzy or not e.fuzzy)),
        # (a fuzzy plural with some forms filled is a fuzzy entry left out too, as status and
        # msgfmt --statistics count it; it was in neither count, QA pass 80)
        "skipped_fuzzy": 0 if use_fuzzy else sum(
            1 for e in items if e.fuzzy and e.has_translation
        ),
        "skipped_partial": sum(
            1
            for e in items
            if e.has_translation and not e.complete(unreached) and (use_fuzzy or not e.fuzzy)
        ),
    }
    return mo, counts


def refuse_errors(
    config: ProjectConfig,
    locales: list[str],
    *,
    use_fuzzy: bool = False,
    parsed: Mapping[Path, PoFile | PoEntries] | None = None,
) -> None:
    """Raise QAFailure naming the first error ``toolkit check`` finds in these catalogs."""
    found = error_findings(config, locales, use_fuzzy=use_fuzzy, parsed=parsed)
    if found:
        raise _refusal(config, found)


def error_findings(
    config: ProjectConfig,
    locales: list[str],
    *,
    use_fuzzy: bool = False,
    parsed: Mapping[Path, PoFile | PoEntries] | None = None,
) -> list[Finding]:
    """The error findings of ``toolkit check`` in these catalogs, in catalog and line order."""
    from .checks import available_checks, check_catalogs

    errors = [c.id for c in available_checks() if c.severity == "error"]
    report = check_catalogs(config, locales, select=errors, use_fuzzy=use_fuzzy, parsed=parsed,
                            warnings=False)  # fmt: skip
    return [f for f in report.findings if f.severity == "error"]


def _refusal(config: ProjectConfig, found: list[Finding]) -> QAFailure:
    """compile's refusal: the first error, how many more, and how to see or pass them."""
    first = found[0]
    where = config.relative(first.path) + (f":{first.line}" if first.line else "")
    # The finding's text may end without a stop (msgfmt's lines, quoted excerpts).
    text = first.message.rstrip()
    text += "" if text.endswith((".", "!", "?")) else "."
    more = f" {len(found) - 1} more error(s)." if len(found) > 1 else ""
    locales_with_errors = sorted({f.locale for f in found})
    options = " ".join(f"--locale {loc}" for loc in locales_with_errors)
    return QAFailure(
        f"{where}: [{first.check}] {text}{more} Nothing was compiled.",
        hint=f"Fix the errors (see 'toolkit check {options}') or pass --force to compile "
        "anyway.",
    )


# --- verified catalogs ----------------------------------------------------------------------
# The error checks cost more than compiling (module imports, CLDR plural data, brand and
# glossary tables, one msgfmt --check per catalog). Their verdict depends only on the catalog's
# bytes, the project settings, the glossaries, the toolkit's code, msgfmt and the options, so
# a clean verdict is remembered under a digest of all of them (an empty file in the user cache
# folder) and an unchanged catalog compiles without checking again. Any change to any input
# gives a new digest, so a catalog with errors is never let through.


def _catalog_key(settings: bytes, path: Path, data: bytes) -> str:
    """The verdict's (and the cached MO's) key: the settings digest, the path, the bytes."""
    return entry_key(settings, str(path), data)


def _is_verified(key: str | None) -> bool:
    try:
        return key is not None and entry_path("verified", key).is_file()
    except OSError:  # a cache folder this user may not enter: no verdict, check again
        return False


def _mark_verified(key: str | None) -> None:
    if key is None:
        return
    store(entry_path("verified", key), b"")  # an empty mark


# --- compiled output ------------------------------------------------------------------------
# The MO made from verified bytes is kept too, one file per catalog path (a newer version of
# the catalog replaces it, so the cache holds one MO per catalog): the key on its first line
# is the verdict key, which covers the catalog's bytes, the toolkit's code, Babel and the
# options, so an MO is only reused for exactly the input it was made from.


def _output_path(po_path: Path) -> Path:
    name = hashlib.sha256(str(po_path.resolve()).encode()).hexdigest()[:40]
    return _cache_dir() / "compiled" / name


def _cached_output(po_path: Path, key: str | None) -> tuple[bytes, dict[str, int]] | None:
    if key is None:
        return None
    try:
        stored = read_entry(_output_path(po_path))
        if stored is None:
            return None
        stored_key, counts, data = stored.split(b"\n", 2)
        if stored_key.decode() != key:
            return None
        parsed = dict(field.split("=", 1) for field in counts.decode("ascii").split())
        if parsed["sha256"] != hashlib.sha256(data).hexdigest():
            return None  # cut short or altered on disk
        return data, {name: int(parsed[name]) for name in _COUNTS}
    except (OSError, ValueError, KeyError, TypeError):
        return None  # absent, unreadable or damaged: compile from the catalog


_COUNTS = ("messages", "skipped_fuzzy", "skipped_partial")


def _store_output(po_path: Path, key: str | None, data: bytes, counts: dict[str, int]) -> None:
    if key is None:
        return
    # name=value fields, no JSON: the cached path imports nothing it does not need
    fields = {**counts, "sha256": hashlib.sha256(data).hexdigest()}
    summary = " ".join(f"{name}={value}" for name, value in fields.items())
    store(_output_path(po_path), key.encode() + b"\n" + summary.encode() + b"\n" + data)


def __getattr__(name: str) -> Any:
    if name == "mo_bytes":  # its home before toolkit.catalogs owned it
        from .catalogs import mo_bytes

        return mo_bytes
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
