"""MO bytes: what ``compile`` writes and what ``render --from-po`` loads in memory."""

from __future__ import annotations

import io
from collections.abc import Iterator

from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo

from .entry import entries, is_translated


def mo_bytes(catalog: Catalog, *, use_fuzzy: bool = False, header: str | None = None) -> bytes:
    """The MO file for a catalog: translated entries only, fuzzy ones only with ``use_fuzzy``.

    Partly translated plural entries are left out, so gettext falls back to the source
    string instead of printing an empty form. ``header``: the header entry's text as the PO
    file has it (:func:`.header.written_header_text`), written to the MO unchanged as msgfmt
    does; otherwise Babel's rebuilt header (which lacks fields such as ``X-Generator``).
    """
    buffer = io.BytesIO()
    output = _translated_only(catalog, use_fuzzy)
    if header is not None:
        # GNU msgfmt leaves POT-Creation-Date out of the MO: it changes with every extract.
        fields = header.splitlines(keepends=True)
        kept = "".join(f for f in fields if not f.startswith("POT-Creation-Date:"))
        output = _WithHeader(output, kept)
    write_mo(buffer, output, use_fuzzy=True)
    return buffer.getvalue()


class _WithHeader(Catalog):
    """A catalog whose header entry is given text (Babel builds it from known fields)."""

    def __init__(self, source: Catalog, header: str) -> None:
        self.__dict__.update(source.__dict__)
        self._header_text = header

    def __iter__(self) -> Iterator[Message]:
        messages = super().__iter__()
        first = next(messages)
        first.string = self._header_text
        yield first
        yield from messages


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
