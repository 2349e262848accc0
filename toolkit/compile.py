"""``toolkit compile``: PO catalogs to the MO files gettext loads at run time."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo

from .catalogs import entries, is_translated, read_catalog
from .config import ProjectConfig
from .fsutil import write_bytes_atomic


@dataclass(frozen=True)
class CompileResult:
    """One compiled catalog."""

    locale: str
    path: Path
    messages: int
    skipped_fuzzy: int
    written: bool


def mo_bytes(catalog: Catalog, *, use_fuzzy: bool = False) -> bytes:
    """The MO file for a catalog: translated entries only, fuzzy ones only with ``use_fuzzy``.

    Partly translated plural entries are left out, so gettext falls back to the source
    string instead of printing an empty form.
    """
    buffer = io.BytesIO()
    write_mo(buffer, _translated_only(catalog, use_fuzzy), use_fuzzy=True)
    return buffer.getvalue()


def _translated_only(source: Catalog, use_fuzzy: bool) -> Catalog:
    result = Catalog(locale=source.locale, domain=source.domain, fuzzy=False)
    result.mime_headers = source.mime_headers
    for message in entries(source):
        if is_translated(message) and (use_fuzzy or not message.fuzzy):
            result.add(message.id, message.string, context=message.context, flags=())
    return result


def compile_catalogs(
    config: ProjectConfig, locales: list[str] | None = None, *, use_fuzzy: bool = False
) -> list[CompileResult]:
    """Compile each locale's PO to ``messages.mo`` next to it (byte-identical across runs)."""
    results = []
    for locale in config.select_locales(locales):
        po_path = config.po_path(locale)
        catalog = read_catalog(po_path, locale=locale)
        data = mo_bytes(catalog, use_fuzzy=use_fuzzy)
        mo_path = config.mo_path(locale)
        written = write_bytes_atomic(mo_path, data)
        fuzzy = sum(1 for m in entries(catalog) if m.fuzzy and is_translated(m))
        results.append(
            CompileResult(
                locale=locale,
                path=mo_path,
                messages=sum(
                    1 for m in entries(catalog) if is_translated(m) and (use_fuzzy or not m.fuzzy)
                ),
                skipped_fuzzy=0 if use_fuzzy else fuzzy,
                written=written,
            )
        )
    return results
