"""Customer values keep their bidi controls to themselves.

An embedding (U+202A LRE, U+202B RLE), override (U+202D LRO, U+202E RLO) or isolate (U+2066
LRI, U+2067 RLI, U+2068 FSI) that a value opens and does not close goes on acting after the
value, on the template's text: ``first_name = "\\u202eAnna"`` in "Hi {{ first_name }}, your
refund of 50 kr. is on its way" shows the rest of the line reversed ("Trojan Source"-style
spoofing). :func:`contain_bidi` closes what a value leaves open at its end, and at each of
its line breaks (where plain text ends a paragraph, and with it every embedding), with PDF
(U+202C) or PDI (U+2069), and drops closers that match nothing in the value (a stray PDF
would close the template's own embedding). A balanced value is returned unchanged.
"""

from __future__ import annotations

import re
from typing import Any

_EMBEDDINGS = "\u202a\u202b\u202d\u202e"
_ISOLATES = "\u2066\u2067\u2068"
PDF = "\u202c"
PDI = "\u2069"
#: Every bidi control a value may open or close.
BIDI_CONTROLS = re.compile(f"[{_EMBEDDINGS}{_ISOLATES}{PDF}{PDI}]")
#: Where plain text ends a paragraph (UAX #9's paragraph separators and line breaks).
_PARAGRAPH_END = "\n\r\x1c\x1d\x1e\x85\u2029"


def contain_bidi(value: str) -> str:
    """``value`` with every embedding, override and isolate it opens closed before its end
    (and before each line break), and closers that close nothing of its own removed.

    >>> contain_bidi("\\u202eAnna")
    '\\u202eAnna\\u202c'
    >>> contain_bidi("\\u2067\\u202bAnna"), contain_bidi("\\u202eA\\u2066B")
    ('\\u2067\\u202bAnna\\u202c\\u2069', '\\u202eA\\u2066B\\u2069\\u202c')
    >>> contain_bidi("Anna\\u202c\\u2069"), contain_bidi("\\u2066A\\u202cB\\u2069")
    ('Anna', '\\u2066AB\\u2069')
    >>> contain_bidi("\\u202eA\\nB")
    '\\u202eA\\u202c\\nB'
    >>> balanced = "\\u2067\\u05e9\\u05e8\\u05d4\\u2069 \\u202bx\\u202c"
    >>> contain_bidi(balanced) is balanced
    True
    """
    if BIDI_CONTROLS.search(value) is None:
        return value
    out: list[str] = []
    open_: list[str] = []  # the closer each open control needs, innermost last
    changed = False
    for char in value:
        if char in _EMBEDDINGS:
            open_.append(PDF)
        elif char in _ISOLATES:
            open_.append(PDI)
        elif char == PDF:
            if not open_ or open_[-1] != PDF:  # nothing to close (an isolate is in the way)
                changed = True
                continue
            open_.pop()
        elif char == PDI:
            if PDI not in open_:
                changed = True
                continue
            while open_.pop() != PDI:  # a PDI closes the embeddings inside its isolate too
                pass
        elif char in _PARAGRAPH_END and open_:
            out.extend(reversed(open_))
            open_.clear()
            changed = True
        out.append(char)
    if open_:
        out.extend(reversed(open_))
        changed = True
    return "".join(out) if changed else value


def contain_bidi_in(value: Any) -> Any:
    """:func:`contain_bidi` of a string, or of every string inside a JSON list or object
    (``items[0].name``); the value itself when nothing changed.

    >>> contain_bidi_in({"items": [{"name": "\\u202eX"}], "n": 3})
    {'items': [{'name': '\\u202eX\\u202c'}], 'n': 3}
    """
    if isinstance(value, str):
        return contain_bidi(value) if not value.isprintable() else value
    if type(value) is list:
        items = [contain_bidi_in(item) for item in value]
        return items if any(a is not b for a, b in zip(items, value, strict=True)) else value
    if type(value) is dict:
        pairs = {key: contain_bidi_in(item) for key, item in value.items()}
        return pairs if any(pairs[k] is not value[k] for k in value) else value
    return value
