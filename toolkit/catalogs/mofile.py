"""MO bytes: what ``compile`` writes and what ``render --from-po`` loads in memory."""

from __future__ import annotations

import array
import io
import re
import struct
from collections.abc import Iterable, Iterator

from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import LE_MAGIC, write_mo

from .entry import Entry, entries, is_translated


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
            context = message.context
            if context == "":
                context = _EmptyContext()
            result.add(message.id, message.string, context=context, flags=())
    return result


class _EmptyContext(str):
    """``msgctxt ""``, a context of its own (msgfmt keys it ``"\x04msgid"``): Babel's
    ``write_mo`` writes a context only when it is true, and wrote this entry under the bare
    msgid, beside the same msgid without a context (QA pass 73)."""

    def __bool__(self) -> bool:
        return True


def mo_bytes_from_entries(
    items: Iterable[Entry], header: str, *, use_fuzzy: bool = False
) -> bytes | None:
    """:func:`mo_bytes` of a catalog read as :class:`Entry` views (``toolkit.catalogs.reader``,
    without Babel's catalog model), ``header`` the header entry's text as written: the same
    bytes, for a catalog in UTF-8 (tests compare the two on real catalogs). ``None`` for one
    that declares another charset, which Babel encodes the MO in."""
    if not _declares_utf8(header):
        return None
    kept = "".join(f for f in header.splitlines(True) if not f.startswith("POT-Creation-Date:"))
    shipped_items = [e for e in items if e.translated and (use_fuzzy or not e.fuzzy)]
    # Babel's order: by msgid (the singular of a plural entry), then msgctxt; ties keep the
    # file's order (a stable sort, as Babel's of its ordered catalog).
    shipped_items.sort(key=lambda e: (e.msgid, e.msgctxt or ""))
    pairs = [(b"", kept.encode("utf-8"))]
    for item in shipped_items:
        key = item.msgid if item.msgid_plural is None else f"{item.msgid}\0{item.msgid_plural}"
        if item.msgctxt is not None:  # msgctxt "" too: "\x04msgid", as msgfmt keys it
            key = f"{item.msgctxt}\x04{key}"
        pairs.append((key.encode("utf-8"), "\0".join(item.strings).encode("utf-8")))
    return _mo_file(pairs)


def _mo_file(pairs: list[tuple[bytes, bytes]]) -> bytes:
    """Babel's ``write_mo`` layout: the header, the key and value indexes, keys, values (no
    hash table)."""
    ids = bytearray()
    strs = bytearray()
    offsets = []
    for key, value in pairs:
        offsets.append((len(ids), len(key), len(strs), len(value)))
        ids += key + b"\0"
        strs += value + b"\0"
    keystart = 7 * 4 + 16 * len(pairs)
    valuestart = keystart + len(ids)
    koffsets: list[int] = []
    voffsets: list[int] = []
    for o1, l1, o2, l2 in offsets:
        koffsets += [l1, o1 + keystart]
        voffsets += [l2, o2 + valuestart]
    header = struct.pack(
        "Iiiiiii", LE_MAGIC, 0, len(pairs), 7 * 4, 7 * 4 + len(pairs) * 8, 0, 0
    )
    return header + array.array("i", koffsets + voffsets).tobytes() + bytes(ids) + bytes(strs)


_CHARSET = re.compile(r"^content-type:.*?\bcharset=([^\s;]*)", re.IGNORECASE | re.MULTILINE)


def _declares_utf8(header: str) -> bool:
    """Whether Babel would encode the MO in UTF-8: no charset in Content-Type, or utf-8."""
    match = _CHARSET.search(header)
    return match is None or match.group(1).lower() == "utf-8"
