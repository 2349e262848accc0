"""``toolkit compile``: PO catalogs to the MO files gettext loads at run time."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .catalogs import PoFile, entries, forms_of, is_translated, read_po_file, shipped
from .catalogs import mo_bytes as mo_bytes  # its home before toolkit.catalogs owned it
from .catalogs.header import written_header_text
from .config import ProjectConfig
from .errors import QAFailure
from .fsutil import write_bytes_atomic


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
    """
    targets = config.select_locales(locales)
    files = {locale: read_po_file(config.po_path(locale), locale=locale) for locale in targets}
    if targets and not force:
        parsed = {po.path: po for po in files.values()}
        refuse_errors(config, targets, use_fuzzy=use_fuzzy, parsed=parsed)
    results = []
    for locale in targets:
        catalog = files[locale].catalog
        source = files[locale].data
        header = written_header_text(source) if source is not None else None
        data = mo_bytes(catalog, use_fuzzy=use_fuzzy, header=header)
        mo_path = config.mo_path(locale)
        written = write_bytes_atomic(mo_path, data)
        fuzzy = sum(1 for m in entries(catalog) if m.fuzzy and is_translated(m))
        results.append(
            CompileResult(
                locale=locale,
                path=mo_path,
                messages=shipped(catalog, use_fuzzy=use_fuzzy),
                skipped_fuzzy=0 if use_fuzzy else fuzzy,
                written=written,
                skipped_partial=sum(
                    1
                    for m in entries(catalog)
                    if any(forms_of(m)) and not is_translated(m) and (use_fuzzy or not m.fuzzy)
                ),
            )
        )
    return results


def refuse_errors(
    config: ProjectConfig,
    locales: list[str],
    *,
    use_fuzzy: bool = False,
    parsed: Mapping[Path, PoFile] | None = None,
) -> None:
    """Raise QAFailure naming the first error ``toolkit check`` finds in these catalogs."""
    from .checks import available_checks, check_catalogs

    errors = [c.id for c in available_checks() if c.severity == "error"]
    report = check_catalogs(config, locales, select=errors, use_fuzzy=use_fuzzy, parsed=parsed)
    found = [f for f in report.findings if f.severity == "error"]
    if not found:
        return
    first = found[0]
    where = config.relative(first.path) + (f":{first.line}" if first.line else "")
    more = f" {len(found) - 1} more error(s)." if len(found) > 1 else ""
    locales_with_errors = sorted({f.locale for f in found})
    options = " ".join(f"--locale {loc}" for loc in locales_with_errors)
    raise QAFailure(
        f"{where}: [{first.check}] {first.message}{more} Nothing was compiled.",
        hint=f"Fix the errors (see 'toolkit check {options}') or pass --force to compile "
        "anyway.",
    )
