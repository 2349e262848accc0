"""MO bytes: what ``compile`` writes and what ``render --from-po`` loads in memory."""

from __future__ import annotations

import array
import re
import struct
from collections.abc import Iterable

from babel.messages.catalog import Catalog
from babel.messages.mofile import LE_MAGIC

from .entry import Entry, entries, is_translated


def mo_bytes(catalog: Catalog, *, use_fuzzy: bool = False, header: str | None = None) -> bytes:
    """The MO file for a catalog: translated entries only, fuzzy ones only with ``use_fuzzy``.

    Partly translated plural entries are left out, so gettext falls back to the source
    string instead of printing an empty form; a form no whole number picks may be empty (it
    is written empty, as msgfmt writes it). ``header``: the header entry's text as the PO
    file has it (:func:`.header.written_header_text`), written to the MO unchanged as msgfmt
    does; otherwise Babel's rebuilt header (which lacks fields such as ``X-Generator``).
    """
    from .plurals import header_plural_forms, unreached_forms

    written = header_plural_forms(header) if header is not None else catalog.plural_forms
    output = _translated_only(catalog, use_fuzzy, unreached_forms(written))
    messages = list(output)  # the header entry (Babel's, built from the known fields) first
    text = messages[0].string if header is None else _without_creation_date(header)
    charset = output.charset or "utf-8"
    pairs = [(b"", str(text).encode(charset))]
    for message in messages[1:]:
        ids = message.id if isinstance(message.id, (list, tuple)) else (message.id,)
        strings = message.string if isinstance(message.string, (list, tuple)) else (
            message.string,)  # fmt: skip
        key = "\0".join(ids)
        if message.context is not None:  # msgctxt "" too: "\x04msgid", as msgfmt keys it
            key = f"{message.context}\x04{key}"
        value = "\0".join(str(string or "") for string in strings)
        pairs.append((key.encode(charset), value.encode(charset)))
    return _mo_file(pairs)


def _without_creation_date(header: str) -> str:
    """GNU msgfmt leaves POT-Creation-Date out of the MO: it changes with every extract."""
    return "".join(f for f in header.splitlines(keepends=True)
                   if not f.startswith("POT-Creation-Date:"))  # fmt: skip


def shipped(catalog: Catalog, *, use_fuzzy: bool = False) -> int:
    """How many entries the MO file holds."""
    from .plurals import unreached_forms

    unreached = unreached_forms(catalog.plural_forms)
    return sum(
        1 for m in entries(catalog) if is_translated(m, unreached) and (use_fuzzy or not m.fuzzy)
    )


def _translated_only(source: Catalog, use_fuzzy: bool, unreached: frozenset[int]) -> Catalog:
    result = Catalog(locale=source.locale, domain=source.domain, fuzzy=False)
    result.mime_headers = source.mime_headers
    for message in entries(source):
        if is_translated(message, unreached) and (use_fuzzy or not message.fuzzy):
            result.add(message.id, message.string, context=message.context, flags=())
    return result


def mo_bytes_from_entries(
    items: Iterable[Entry], header: str, *, use_fuzzy: bool = False
) -> bytes | None:
    """:func:`mo_bytes` of a catalog read as :class:`Entry` views (``toolkit.catalogs.reader``,
    without Babel's catalog model), ``header`` the header entry's text as written: the same
    bytes, for a catalog in UTF-8 (tests compare the two on real catalogs). ``None`` for one
    that declares another charset, which Babel encodes the MO in."""
    if not _declares_utf8(header):
        return None
    from .plurals import header_plural_forms, unreached_forms

    kept = _without_creation_date(header)
    unreached = unreached_forms(header_plural_forms(header))
    shipped_items = [e for e in items if e.complete(unreached) and (use_fuzzy or not e.fuzzy)]
    pairs = [(b"", kept.encode("utf-8"))]
    for item in shipped_items:
        key = item.msgid if item.msgid_plural is None else f"{item.msgid}\0{item.msgid_plural}"
        if item.msgctxt is not None:  # msgctxt "" too: "\x04msgid", as msgfmt keys it
            key = f"{item.msgctxt}\x04{key}"
        pairs.append((key.encode("utf-8"), "\0".join(item.strings).encode("utf-8")))
    return _mo_file(pairs)


def _mo_file(pairs: list[tuple[bytes, bytes]]) -> bytes:
    """The MO layout Babel's ``write_mo`` writes (the header, the key and value indexes,
    keys, values; no hash table), with the keys sorted by their bytes, as GNU msgfmt sorts
    them: without a hash table C gettext (glibc, PHP, anything on libintl) finds a message
    by binary search, and Babel's order (by msgid, then msgctxt) hid 11 of 27 messages from
    it (QA pass 75). Python's gettext reads every key either way."""
    pairs = sorted(pairs)  # (the header's empty key first; keys are unique)
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
