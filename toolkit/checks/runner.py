"""Running the registered checks over catalogs: selection, suppression, the report."""

from __future__ import annotations

import functools
from collections import Counter, deque
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, cast

from ..catalogs import PoFile
from ..catalogs.plurals import judged_plural_forms, sample_forms
from ..catalogs.reader import PoEntries, read_po_entries
from ..config import ProjectConfig
from ..errors import CatalogError, InputError, Unreadable, raise_unreadable, set_aside
from ..fsutil import file_size
from ..gcpause import gc_paused
from ..locales import locale_id
from .base import (
    CatalogCheck,
    Check,
    CheckContext,
    Entry,
    EntryCheck,
    Finding,
    Severity,
    registered,
)
from .report import REPORT_VERSION as REPORT_VERSION
from .report import SEVERITIES, CatalogSummary, CheckReport


def available_checks() -> list[Check]:
    """Every registered check, errors first, then by id."""
    from . import load_builtin_checks

    load_builtin_checks()
    return sorted(registered().values(), key=lambda c: (-SEVERITIES.index(c.severity), c.id))


def select_checks(
    select: Iterable[str] | None = None, ignore: Iterable[str] | None = None
) -> list[Check]:
    """The checks to run; an unknown id is an InputError with a suggestion."""
    checks = available_checks()
    known = {c.id for c in checks}
    if select is not None:
        select = list(select)
        if not any(i.strip() for i in select):
            raise InputError(
                "--select names no check.",
                hint="Give check ids (comma-separated), or leave --select out to run them all; "
                "'toolkit check --list-checks' lists them.",
            )
    chosen = _validated(select, known, "--select") if select else known
    dropped = _validated(ignore, known, "--ignore") if ignore else set()
    kept = [c for c in checks if c.id in chosen and c.id not in dropped]
    if not kept:
        what = "none of the checks --select names" if select else "no check"
        raise InputError(
            f"--ignore leaves {what}: nothing would be checked.",
            hint="Leave at least one check to run ('toolkit check --list-checks' lists them).",
        )
    return kept


def _validated(ids: Iterable[str], known: set[str], option: str) -> set[str]:
    wanted = {i.strip() for i in ids if i.strip()}
    for check_id in sorted(wanted - known):
        import difflib  # only for an unknown id

        close = difflib.get_close_matches(check_id, sorted(known), n=1)
        hint = f"Did you mean '{close[0]}'?" if close else ""
        raise InputError(
            f"unknown check id '{check_id}' in {option}.",
            hint=f"{hint} Run 'toolkit check --list-checks' to see them all.".strip(),
        )
    return wanted


def check_catalogs(
    config: ProjectConfig,
    locales: Sequence[str] | None = None,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] | None = None,
    *,
    use_fuzzy: bool = False,
    jobs: int | None = None,
    parsed: Mapping[Path, PoFile | PoEntries] | None = None,
    warnings: bool = True,
) -> CheckReport:
    """Run the selected checks on each locale's catalog of the project.

    Every catalog is parsed strictly first (a malformed PO raises CatalogError). Problems in
    fuzzy entries are reported as warnings, since compile leaves those entries out, unless
    ``use_fuzzy`` says fuzzy translations ship. ``parsed`` holds catalogs the caller has
    already read (``compile``), so they are not read again. Without ``warnings`` the caller
    keeps only the errors: checks may leave out warnings that take work to find.
    """
    checks = select_checks(select, ignore)
    targets = config.target_locales(list(locales) if locales else None)
    paths = [(locale, config.po_path(locale)) for locale in targets]
    return check_files(
        paths,
        checks,
        config=config,
        source_locale=config.source_locale,
        use_fuzzy=use_fuzzy,
        jobs=jobs,
        parsed=parsed,
        warnings=warnings,
    )


#: Catalogs smaller than this in total are checked in this process only (forking costs about
#: what it saves); from it on, forked children check shares of them (toolkit.forked).
PARALLEL_MIN_BYTES = 200_000


def check_files(
    paths: Sequence[tuple[str, Path]],
    checks: Sequence[Check] | None = None,
    *,
    config: ProjectConfig | None = None,
    source_locale: str = "en",
    use_fuzzy: bool = False,
    jobs: int | None = None,
    parsed: Mapping[Path, PoFile | PoEntries] | None = None,
    warnings: bool = True,
) -> CheckReport:
    """Run checks (default: all) on ``(locale, path)`` catalogs.

    Catalogs of 200 KB or more in total are shared out among ``jobs`` processes (default:
    one per CPU; this one and forked children, see :mod:`toolkit.forked`); results are the
    same in any case. Catalogs in ``parsed`` (already read by the caller) are checked in this
    process, without a new read.
    """
    checks = list(checks) if checks is not None else available_checks()
    targets = [(locale_id(locale), path) for locale, path in paths]
    options = {"config": config, "source_locale": source_locale, "use_fuzzy": use_fuzzy,
               "warnings": warnings}  # fmt: skip
    if parsed or jobs == 1 or len(targets) < 2:
        results = _check_in_order(targets, checks, options, parsed or {})
    else:
        from ..forked import map_split

        def work(share: list[tuple[str, Path]]) -> list[Result | Unreadable]:
            return _check_in_order(share, checks, options, {})

        sizes = [file_size(path) for _, path in targets]
        least = 0 if jobs else PARALLEL_MIN_BYTES
        results = map_split(work, targets, sizes, least, processes=jobs)
    raise_unreadable(results, nothing=_NOTHING_CHECKED)
    findings: list[Finding] = []
    summaries = []
    for (locale, path), (found, count) in zip(
        targets, cast(list[Result], results), strict=True
    ):
        findings += found
        summaries.append(
            CatalogSummary.of(locale, path, count, found)
        )
    return CheckReport(
        findings=tuple(findings),
        catalogs=tuple(summaries),
        checks=tuple(c.id for c in checks),
    )


Result = tuple[list[Finding], int]
_NOTHING_CHECKED = "nothing was checked"


def _check_in_order(
    targets: Sequence[tuple[str, Path]],
    checks: Sequence[Check],
    options: dict[str, Any],
    parsed: Mapping[Path, PoFile | PoEntries],
) -> list[Result | Unreadable]:
    """One catalog after the other; slow external work (msgfmt) runs up to
    :data:`EXTERNAL_AHEAD` catalogs ahead. A catalog that cannot be read gives its
    :class:`Unreadable`; the others are checked."""
    catalog_checks = [c for c in checks if isinstance(c, CatalogCheck)]
    results: list[Result | Unreadable] = []
    waiting: deque[list[object]] = deque()  # the started work of the catalogs ahead, in order
    ahead = iter(targets)

    def start_next() -> None:
        following = next(ahead, None)
        if catalog_checks and following is not None:
            waiting.append([c.begin(following[1]) for c in catalog_checks])

    started: list[object] = []
    try:
        for _ in range(EXTERNAL_AHEAD):
            start_next()
        for locale, path in targets:
            started = waiting.popleft() if waiting else []
            start_next()
            tokens = {c.id: token for c, token in zip(catalog_checks, started, strict=False)}
            po = parsed.get(path)
            try:
                results.append(check_file(path, locale, checks, tokens=tokens, po=po, **options))
            except CatalogError as exc:
                earlier = [r for r in results if isinstance(r, Unreadable)]
                results.append(set_aside(exc, path, earlier, nothing=_NOTHING_CHECKED))
                for check, token in zip(catalog_checks, started, strict=False):
                    check.finish(token)  # its msgfmt, started ahead, is not waited for
            started = []
    finally:
        for tokens_left in (started, *waiting):
            for check, token in zip(catalog_checks, tokens_left, strict=False):
                check.finish(token)
    return results


#: How many catalogs ahead of the one being checked msgfmt runs on (one process each): it
#: takes longer than the toolkit's own checks of a catalog, and on more cores than one.
EXTERNAL_AHEAD = 4


def check_file(
    path: Path,
    locale: str,
    checks: Sequence[Check],
    *,
    config: ProjectConfig | None = None,
    source_locale: str = "en",
    use_fuzzy: bool = False,
    tokens: dict[str, object] | None = None,
    po: PoFile | PoEntries | None = None,
    warnings: bool = True,
) -> tuple[list[Finding], int]:
    """Findings for one catalog file (read here unless ``po`` is given) and its entries."""
    if tokens is None:
        own = {c.id: c for c in checks if isinstance(c, CatalogCheck)}
        tokens = {check_id: slow.begin(path) for check_id, slow in own.items()}
        try:
            return check_file(
                path,
                locale,
                checks,
                config=config,
                source_locale=source_locale,
                use_fuzzy=use_fuzzy,
                tokens=tokens,
                po=po,
                warnings=warnings,
            )
        finally:
            for check_id, slow in own.items():
                slow.finish(tokens[check_id])
    with gc_paused():  # the catalog read and checked: see toolkit.gcpause
        return _check_entries(
            path, locale, checks, config, source_locale, use_fuzzy, tokens, po, warnings
        )


def _check_entries(
    path: Path,
    locale: str,
    checks: Sequence[Check],
    config: ProjectConfig | None,
    source_locale: str,
    use_fuzzy: bool,
    tokens: dict[str, object],
    po: PoFile | PoEntries | None,
    warnings: bool = True,
) -> tuple[list[Finding], int]:
    if po is None or isinstance(po, PoEntries):
        read = read_po_entries(path, locale=locale) if po is None else po
        catalog, layout, items = (read.po.catalog if read.po else None), read.layout, read.entries
    else:
        catalog, layout, items = po.catalog, po.layout, po.entries()
    header_line = layout.header_line
    nplurals, expr = judged_plural_forms(layout.header.get("plural-forms"), locale)
    context = CheckContext(
        locale=locale,
        path=path,
        catalog=catalog,
        nplurals=nplurals,
        relaxed_forms=relaxed_forms(expr, nplurals),
        header_line=header_line,
        header=dict(layout.header),
        header_first=dict(layout.header_first),
        config=config,
        entries=items,
        source_locale=source_locale,
        warnings=warnings,
    )
    context.cache.update(tokens or {})
    found: list[Finding] = []
    entry_checks = [c for c in checks if isinstance(c, EntryCheck) and c.applies(context)]
    # The checks an entry gets, with their bound methods looked up once per catalog.
    for_translated = [(c, c.check) for c in entry_checks]
    for_untranslated = [(c, c.check) for c in entry_checks if c.untranslated]
    for entry in items:
        off = entry.suppressed()
        for entry_check, run in for_translated if entry.has_translation else for_untranslated:
            if off and entry_check.id in off:
                continue
            for message in run(entry, context):
                found.append(
                    entry_finding(
                        entry_check, entry_check.severity, entry, message, context, use_fuzzy
                    )
                )
    entry_errors = {f.line for f in found if f.severity == "error"}
    by_line = {e.line: e for e in items}
    for check in checks:
        if not isinstance(check, CatalogCheck):
            continue
        for problem in check.check(context):
            target = problem.entry
            if target is None and problem.line in by_line:
                target = by_line[problem.line]
            if target is not None and check.id in target.suppressed():
                continue
            severity = problem.severity or check.severity
            if (
                check.defers_to_entry_errors
                and severity == "error"
                and target is not None
                and target.line in entry_errors
            ):
                continue
            if target is None:
                found.append(
                    Finding(
                        check=check.id,
                        severity=severity,
                        locale=locale,
                        path=path,
                        line=problem.line or header_line,
                        msgid="",
                        msgctxt=None,
                        message=problem.message,
                    )
                )
            else:
                found.append(
                    entry_finding(check, severity, target, problem.message, context, use_fuzzy)
                )
    if any(f.check == "plural-header" and f.severity == "error" for f in found):
        # msgfmt's "header entry lacks its Plural-Forms" is the same problem, said on the
        # header's msgstr line: one error, plural-header's, which says how to fix it.
        found = [f for f in found if not (f.check == "msgfmt" and "Plural-Forms" in f.message)]
    found.sort(key=lambda f: (f.line or 0, -SEVERITIES.index(f.severity), f.check))
    return found, len(items)


def entry_finding(
    check: Check,
    severity: Severity,
    entry: Entry,
    message: str,
    context: CheckContext,
    use_fuzzy: bool,
) -> Finding:
    """One finding of ``check`` on ``entry``; an error on a fuzzy entry is a warning unless
    fuzzy entries are compiled (``use_fuzzy``). Shared with the review workspace."""
    if severity == "error" and entry.fuzzy and not use_fuzzy:
        severity = "warning"
        message += " (fuzzy entry: compile leaves it out until it is reviewed)"
    return Finding(
        check=check.id,
        severity=severity,
        locale=context.locale,
        path=context.path,
        line=entry.line,
        msgid=entry.msgid,
        msgctxt=entry.msgctxt,
        message=message,
    )


@functools.lru_cache(maxsize=256)
def relaxed_forms(expr: str, nplurals: int) -> frozenset[int]:
    """Plural forms used for at most 5 of the numbers 0..1000.

    GNU msgfmt lets such a form ("one" in Danish: only n=1) leave out the number's
    placeholder ("Én dag"); forms used for many numbers must keep every placeholder.

    >>> sorted(relaxed_forms("(n != 1)", 2)), sorted(relaxed_forms("(n%10==1 ? 0 : 1)", 2))
    ([0], [])
    """
    counts = Counter(sample_forms(expr)[:1001])  # (the sample starts with 0..1000)
    return frozenset(form for form in range(nplurals) if counts[form] <= 5)
