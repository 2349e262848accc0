"""MO bytes: what ``compile`` writes and what ``render --from-po`` loads in memory."""

from __future__ import annotations

import io

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo

from .entry import entries, is_translated


def mo_bytes(catalog: Catalog, *, use_fuzzy: bool = False) -> bytes:
    """The MO file for a catalog: translated entries only, fuzzy ones only with ``use_fuzzy``.

    Partly translated plural entries are left out, so gettext falls back to the source
    string instead of printing an empty form.
    """
    buffer = io.BytesIO()
    write_mo(buffer, _translated_only(catalog, use_fuzzy), use_fuzzy=True)
    return buffer.getvalue()


def shipped(catalog: Catalog, *, use_fuzzy: bool = False) -> int:
    """How many entries the MO file holds."""
    return sum(1 for m in entries(catalog) if is_translated(m) and (use_fuzzy or not m.fuzzy))


def _translated_only(source: Catalog, use_fuzzy: bool) -> Catalog:
    result = Catalog(locale=source.locale, domain=source.domain, fuzzy=False)
    result.mime_headers = source.mime_headers
    for message in entries(source):
        if is_translated(message) and (use_fuzzy or not message.fuzzy):
            result.add(message.id, message.string, context=message.context, flags=())
    return result
