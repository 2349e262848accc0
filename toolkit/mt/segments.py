"""Split a message into the pieces MT sees: lines, then sentences, whitespace kept aside.

Knowledge-base paragraphs run to hundreds of words; NMT models are trained on sentences and
degrade (or stop early) on long inputs, and sentences repeat across articles far more often than
paragraphs do, which the translation memory exploits. Joining the pieces gives back the
original string exactly, so line breaks and spacing survive translation.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from ..placeholders import find_placeholders

_BREAK = re.compile(r"\s*\n\s*")
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’»)\]]*(\s+)")
_LAST_WORD = re.compile(r"(\S+?)[.!?…]+[\"'”’»)\]]*$")
_ABBREVIATIONS = frozenset(
    "e.g i.e etc vs mr mrs ms dr st no nr ca approx incl excl fig jan feb mar apr jun jul aug "
    "sep sept oct nov dec mon tue wed thu fri sat sun kr bl.a f.eks dvs osv mv pvz t.y".split()
)


class Piece(NamedTuple):
    """Part of a message: a sentence to translate, or whitespace/line breaks to keep."""

    text: str
    translate: bool


def split_segments(text: str) -> list[Piece]:
    """Pieces of ``text`` whose concatenation is ``text``.

    >>> [p.text for p in split_segments("Hi there. See you!\\n\\nBye")]
    ['Hi there.', ' ', 'See you!', '\\n\\n', 'Bye']
    """
    pieces: list[Piece] = []
    position = 0
    if "\n" in text:
        for match in _BREAK.finditer(text):
            _add_line(pieces, text[position : match.start()])
            pieces.append(Piece(match.group(0), False))
            position = match.end()
    _add_line(pieces, text[position:])
    return [p for p in pieces if p.text]


def _add_line(pieces: list[Piece], line: str) -> None:
    body = line.strip()  # str.strip and the regex \s agree on what whitespace is
    if not body:
        pieces.append(Piece(line, False))
        return
    lead, trail = line[: len(line) - len(line.lstrip())], line[len(line.rstrip()) :]
    if lead:
        pieces.append(Piece(lead, False))
    position = 0
    for start, end in sentence_breaks(body):
        pieces.append(Piece(body[position:start], True))
        pieces.append(Piece(body[start:end], False))
        position = end
    if body[position:]:
        pieces.append(Piece(body[position:], True))
    if trail:
        pieces.append(Piece(trail, False))


def sentence_breaks(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of the whitespace between sentences of one line.

    A break follows ``.``, ``!``, ``?`` or ``…`` when the next sentence starts with a capital,
    a digit, a quote or a placeholder, never inside a placeholder and never after a known
    abbreviation or a single letter (``e.g.``, ``Mr.``, ``J. Smith``).

    >>> sentence_breaks("Hello, Dr. Who. Welcome back! {name} is here")
    [(15, 16), (29, 30)]
    """
    breaks: list[tuple[int, int]] = []
    protected: list[tuple[int, int]] | None = None  # found at the first candidate: most
    for match in _SENTENCE_END.finditer(text):  # strings are one sentence
        start, end = match.span(1)
        if end >= len(text):
            continue
        if protected is None:
            protected = [(p.start, p.end) for p in find_placeholders(text, percent_literal=True)]
        if any(s < start < e for s, e in protected):
            continue
        following = text[end]
        if not (following.isupper() or following.isdigit() or following in "\"'“„«([{<%"):
            continue
        word = _LAST_WORD.search(text, 0, start)
        if match.group(0)[0] == "." and word is not None:
            stem = word.group(1).lower().lstrip("(\"'")
            if stem in _ABBREVIATIONS or (len(stem) == 1 and stem.isalpha()):
                continue
        breaks.append((start, end))
    return breaks
