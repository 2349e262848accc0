"""PO string escapes read as GNU msgfmt reads them.

Babel's ``unescape`` knows ``\\n``, ``\\t``, ``\\"``, ``\\\\`` and the other C letters, but not
the octal (``\\303\\251``) and hexadecimal (``\\x1b``) byte escapes that msgfmt decodes: it kept
them as text, so a compiled catalog said ``caf\\303\\251`` where msgfmt's says ``café``, the
control-character check missed an ESC written ``\\033``, and ``update`` wrote the text back as
``caf\\\\303\\\\251``, changing the translation for good. Here the escapes are bytes, joined
across the string's lines (a character's bytes may be split between two of them) and decoded
as UTF-8, the only encoding the toolkit reads; a value is truncated to a byte as msgfmt does
(``\\501`` is ``A``). Bytes that are no UTF-8 raise :class:`EscapeError`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from babel.messages.pofile import unescape as _babel_unescape

#: A byte escape may be in the text (or a ``\\\\`` before a digit: the exact pass decides).
_MAYBE_BYTES = re.compile(r"\\(?:[0-7]|x[0-9A-Fa-f])")
_ESCAPE = re.compile(r'\\(?:([\\abfnrtv"])|([0-7]{1,3})|x([0-9A-Fa-f]+))')
_LETTERS = {"a": 7, "b": 8, "f": 12, "n": 10, "r": 13, "t": 9, "v": 11, "\\": 92, '"': 34}


class EscapeError(ValueError):
    """Octal or hexadecimal escapes whose bytes are no UTF-8 text."""


def unescape(string: str) -> str:
    r"""The text of one quoted PO string (``"..."`` with its quotes).

    >>> unescape('"caf\\303\\251 \\x41\\"\\\\303"')
    'café A"\\303'
    """
    return join_parts((string,))


def join_parts(parts: Iterable[str]) -> str:
    r"""The text of a PO string written as these quoted lines, as msgfmt reads it.

    >>> join_parts(['"Kawiarnia caf\\303"', '"\\251\\n"'])
    'Kawiarnia café\n'
    >>> join_parts(['"Say \\"hi\\"\\t\\q"'])
    'Say "hi"\t\\q'
    """
    parts = list(parts)
    if not any(_MAYBE_BYTES.search(part) for part in parts):
        return "".join(map(_babel_unescape, parts))
    data = bytearray()
    for part in parts:
        body = part[1:-1]
        at = 0
        for match in _ESCAPE.finditer(body):
            data += body[at : match.start()].encode("utf-8", "surrogatepass")
            letter, octal, hexadecimal = match.groups()
            if letter is not None:
                data.append(_LETTERS[letter])
            else:
                data.append(int(octal or hexadecimal, 8 if octal else 16) & 0xFF)
            at = match.end()
        data += body[at:].encode("utf-8", "surrogatepass")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise EscapeError(
            f"octal or hex escapes make bytes that are not UTF-8 text ({exc.reason} at byte "
            f"{exc.start}); write the characters themselves"
        ) from None


def join_parts_leniently(parts: Iterable[str]) -> str:
    """:func:`join_parts`, or the escapes kept as text (Babel's reading) where their bytes are
    no UTF-8: for text no customer sees and msgfmt does not check (an obsolete entry, a
    ``#|`` previous msgid), which must not stop a command."""
    parts = list(parts)
    try:
        return join_parts(parts)
    except EscapeError:
        return "".join(map(_babel_unescape, parts))
