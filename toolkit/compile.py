"""``toolkit compile``: PO catalogs to the MO files gettext loads at run time."""

from __future__ import annotations

import hashlib
import os
import sys
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
    A catalog whose exact bytes already passed the checks (same project settings, glossaries,
    toolkit code and options) is not checked again: see :func:`verified_key`.
    """
    targets = config.select_locales(locales)
    files = {locale: read_po_file(config.po_path(locale), locale=locale) for locale in targets}
    if targets and not force:
        keys = {locale: verified_key(config, files[locale], use_fuzzy) for locale in targets}
        unverified = [loc for loc in targets if not _is_verified(keys[loc])]
        if unverified:
            parsed = {files[loc].path: files[loc] for loc in unverified}
            refuse_errors(config, unverified, use_fuzzy=use_fuzzy, parsed=parsed)
            for locale in unverified:
                _mark_verified(keys[locale])
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


# --- verified catalogs ----------------------------------------------------------------------
# The error checks cost more than compiling (module imports, CLDR plural data, brand and
# glossary tables, one msgfmt --check per catalog). Their verdict depends only on the catalog's
# bytes, the project settings, the glossaries, the toolkit's code, msgfmt and the options, so
# a clean verdict is remembered under a digest of all of them (an empty file in the user cache
# folder) and an unchanged catalog compiles without checking again. Any change to any input
# gives a new digest, so a catalog with errors is never let through.


def verified_key(config: ProjectConfig, po: PoFile, use_fuzzy: bool) -> str | None:
    """Digest of everything the error checks of ``po`` depend on (None: not cacheable)."""
    import shutil

    if po.data is None:
        return None
    digest = hashlib.sha256()
    digest.update(po.data)
    digest.update(repr(config).encode())
    digest.update(f"{use_fuzzy}\0{po.path}\0{shutil.which('msgfmt')}".encode())
    checks = sys.modules.get("toolkit.checks")
    if checks is not None:  # a library user may have registered checks of their own
        ids = sorted(
            f"{c.id}:{c.severity}:{getattr(c, '__module__', '')}" for c in checks.available_checks()
        )
        digest.update(",".join(ids).encode())
    for folder in (config.glossaries_path, Path(__file__).resolve().parent):
        for path in sorted(_files_under(folder)):
            try:
                stat = path.stat()
            except OSError:
                continue
            digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode())
    if config.config_file is not None and config.config_file.is_file():
        digest.update(config.config_file.read_bytes())
    return digest.hexdigest()


def _files_under(folder: Path) -> list[Path]:
    found: list[Path] = []
    if not folder.is_dir():
        return found
    for root, dirs, names in os.walk(folder):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        found.extend(Path(root) / n for n in names if not n.endswith(".pyc"))
    return found


def _verdict_path(key: str) -> Path:
    base = os.environ.get("TOOLKIT_CACHE_DIR")
    if not base:
        from platformdirs import user_cache_dir

        base = user_cache_dir("toolkit")
    return Path(base) / "verified" / key[:2] / key


def _is_verified(key: str | None) -> bool:
    return key is not None and _verdict_path(key).is_file()


def _mark_verified(key: str | None) -> None:
    if key is None:
        return
    path = _verdict_path(key)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch()
    except OSError:
        pass  # an unwritable cache only costs the next compile its checks
