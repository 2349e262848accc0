"""``toolkit check`` remembers each catalog's findings, as linters such as ruff do.

A catalog's findings depend on its bytes, its path and locale, the checks asked for
(``--select``/``--ignore``), ``--use-fuzzy``, and on :func:`toolkit.cache.settings_digest`:
the project settings, the glossaries, the toolkit's code and data, Babel, msgfmt, Python and
any checks a library user registered. The findings are stored under a digest of all of them,
one JSON file per catalog and digest in ``<cache>/checked/``; a catalog whose inputs are all
unchanged is not read, parsed or checked again, and msgfmt is not run for it. Any change
gives a new digest (a stored result is never reused for other inputs); ``--no-cache`` checks
everything. The report is the same either way (tested).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # compile asks passed_check(): JSON and the report only when one is built
    from ..config import ProjectConfig
    from .report import CheckReport, Finding

#: Bumped when the stored form changes (older files are then never read).
FORMAT = 1


def check_catalogs_cached(
    config: ProjectConfig,
    locales: Sequence[str] | None = None,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] | None = None,
    *,
    use_fuzzy: bool = False,
    cache: bool = True,
) -> CheckReport:
    """:func:`toolkit.checks.check_catalogs`, with each unchanged catalog's findings taken
    from the cache and only the others checked (``cache=False``: all of them)."""
    names = config.target_locales(list(locales) if locales else None)
    if not cache or not names:
        from .runner import check_catalogs

        return check_catalogs(config, locales, select, ignore, use_fuzzy=use_fuzzy)
    from ..cache import settings_digest
    from ..locales import locale_id
    from .report import CatalogSummary, CheckReport, Finding

    wanted = (_ids(select), _ids(ignore))
    settings = settings_digest(config, use_fuzzy)
    targets = []
    for name in names:
        locale = locale_id(name)
        path = config.po_path(name)
        targets.append((locale, path, _key(settings, wanted, locale, path)))
    stored = {key: _load(key) for _, _, key in targets if key is not None}
    missing = [(locale, path) for locale, path, key in targets if stored.get(key or "") is None]
    fresh: dict[Path, tuple[list[Finding], int]] = {}
    checks: tuple[str, ...] = ()
    if missing:
        from .runner import check_files, select_checks

        chosen = select_checks(select, ignore)
        report = check_files(
            missing,
            chosen,
            config=config,
            source_locale=config.source_locale,
            use_fuzzy=use_fuzzy,
        )
        checks = report.checks
        for summary in report.catalogs:
            found = [f for f in report.findings if f.path == summary.path]
            fresh[summary.path] = (found, summary.entries)
    findings: list[Finding] = []
    summaries = []
    for locale, path, key in targets:
        if path in fresh:
            found, entries = fresh[path]
            again = _key(settings, wanted, locale, path)  # unchanged while it was checked?
            if key is not None and again == key:
                _store(key, checks, found, entries)
        else:
            record = stored[key or ""]
            assert record is not None
            checks = checks or tuple(record["checks"])
            found = [
                Finding(check, severity, locale, path, line, msgid, msgctxt, message)
                for check, severity, line, msgid, msgctxt, message in record["findings"]
            ]
            entries = record["entries"]
        findings += found
        summaries.append(CatalogSummary.of(locale, path, entries, found))
    return CheckReport(findings=tuple(findings), catalogs=tuple(summaries), checks=checks)


def _ids(values: Iterable[str] | None) -> list[str] | None:
    return None if values is None else sorted({v.strip() for v in values if v.strip()})


def passed_check(settings: bytes, locale: str, path: Path, data: bytes) -> bool:
    """Whether ``toolkit check`` (every check, no ``--select``/``--ignore``) already found no
    error in these exact bytes of the catalog, with the same settings digest: ``compile`` then
    need not run the error checks (every error they can find, a check of everything finds)."""
    record = _load(_key(settings, (None, None), locale, path, data) or "")
    return record is not None and all(finding[1] != "error" for finding in record["findings"])


def _key(
    settings: bytes,
    wanted: tuple[object, object],
    locale: str,
    path: Path,
    data: bytes | None = None,
) -> str | None:
    """The digest of everything a catalog's findings depend on; None when it cannot be read
    (the checks then report that as they always do)."""
    if data is None:
        from ..fsutil import read_regular_file

        try:
            data = read_regular_file(path)
        except OSError:
            return None
    from ..cache import entry_key

    return entry_key(settings, f"{FORMAT}\0{wanted!r}\0{locale}\0{path}", data)


def _path(key: str) -> Path:
    from ..cache import entry_path

    return entry_path("checked", key)


def _load(key: str) -> dict[str, Any] | None:
    import json

    from ..cache import read_entry

    try:
        stored = read_entry(_path(key))
        if stored is None:
            return None
        record = json.loads(stored)
        if record.get("key") != key:
            return None
        record["entries"] = int(record["entries"])
        record["checks"] = [str(c) for c in record["checks"]]
        for finding in record["findings"]:
            if len(finding) != 6:
                return None
        return dict(record)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None  # absent, unreadable or damaged: check the catalog


def _store(key: str, checks: Sequence[str], found: Sequence[Finding], entries: int) -> None:
    import json

    from ..cache import store

    record = {
        "key": key,
        "checks": list(checks),
        "entries": entries,
        "findings": [
            [f.check, f.severity, f.line, f.msgid, f.msgctxt, f.message] for f in found
        ],
    }
    store(_path(key), json.dumps(record, ensure_ascii=False).encode("utf-8"))
