"""Protect placeholders and markup from machine translation: mask before MT, restore after.

Every protected span (placeholders from :func:`toolkit.placeholders.find_placeholders`,
including identifiers with underscores, plus any extra spans such as glossary terms) becomes a
token ``XPH<n>X`` that MT models copy through. Adjacent spans merge into one token. A token
glued to a letter or digit gets a space on that side, so it stays a word of its own; restoring
removes exactly those spaces again. Restoring fails (``RestoreError``) when the MT output lost,
duplicated or invented a token: such output is never written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..placeholders import find_placeholders

#: A mask token in MT input or output. The same pattern found in a source string is itself
#: masked, so restoring can never confuse source text with a token.
TOKEN_RE = re.compile(r"(?<![A-Za-z0-9])XPH(\d+)X(?![A-Za-z0-9])", re.IGNORECASE)
_TOKEN_LIKE = re.compile(r"XPH\d+X", re.IGNORECASE)
#: A Markdown code span (`toolkit check`, ``a`b``), on one line: a command, a file name or a
#: setting the reader types as written; Apertium made it `toolkit sjekk` (QA pass 80).
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)[^\n]+?(?<!`)\1(?!`)")


class RestoreError(ValueError):
    """MT output whose mask tokens do not match the source's placeholders."""


@dataclass(frozen=True)
class Masked:
    """A string with its protected spans replaced by tokens.

    ``spans[i]`` is the original text of token ``i``; ``padded[i]`` says on which sides
    (left, right) a space was inserted next to it.
    """

    text: str
    spans: tuple[str, ...]
    padded: tuple[tuple[bool, bool], ...]

    @property
    def has_words(self) -> bool:
        """True when something other than tokens, digits and punctuation is left to translate."""
        return any(ch.isalpha() for ch in TOKEN_RE.sub("", self.text))


def token(index: int) -> str:
    """The mask token for span ``index``.

    >>> token(3)
    'XPH3X'
    """
    return f"XPH{index}X"


def protected_spans(
    text: str, extra: Iterable[tuple[int, int]] = (), *, percent_literal: bool = False
) -> list[tuple[int, int]]:
    """Sorted, merged ``(start, end)`` spans of ``text`` to keep verbatim.

    Overlapping or touching spans merge into one.

    >>> protected_spans("<b>{name}</b> hi %(n)s")
    [(0, 13), (17, 22)]
    >>> protected_spans("Run `toolkit check` or ``a`b``; it`s fine")
    [(4, 19), (23, 30)]
    """
    spans = [(p.start, p.end) for p in find_placeholders(text, percent_literal=percent_literal)]
    spans += [(m.start(), m.end()) for m in _TOKEN_LIKE.finditer(text)]
    if "`" in text:
        spans += [(m.start(), m.end()) for m in _CODE_SPAN.finditer(text)]
    spans += [(s, e) for s, e in extra if 0 <= s < e <= len(text)]
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def mask(
    text: str, extra: Iterable[tuple[int, int]] = (), *, percent_literal: bool = False
) -> Masked:
    """Replace the protected spans of ``text`` by tokens.

    >>> mask("Hi {name}, see <b>this</b>").text
    'Hi XPH0X, see XPH1X this XPH2X'
    """
    parts: list[str] = []
    spans: list[str] = []
    padded: list[tuple[bool, bool]] = []
    position = 0
    for start, end in protected_spans(text, extra, percent_literal=percent_literal):
        parts.append(text[position:start])
        left = start > 0 and text[start - 1].isalnum()
        right = end < len(text) and text[end].isalnum()
        parts.append((" " if left else "") + token(len(spans)) + (" " if right else ""))
        spans.append(text[start:end])
        padded.append((left, right))
        position = end
    parts.append(text[position:])
    return Masked("".join(parts), tuple(spans), tuple(padded))


def unmasked_view(masked: Masked, text: str) -> str:
    """``text`` (MT output of ``masked.text``) for people: every known token shows its source
    span again, an unknown one shows as ``<?>``; never an internal token.

    >>> m = mask("Hi {name}!")
    >>> unmasked_view(m, "Hej XPH0X XPH0X XPH7X!")
    'Hej {name} {name} <?>!'
    """

    def show(match: re.Match[str]) -> str:
        index = int(match.group(1))
        return masked.spans[index] if index < len(masked.spans) else "<?>"

    return TOKEN_RE.sub(show, text)


def restore(masked: Masked, translated: str) -> str:
    """Put the original spans back into ``translated`` (the MT output of ``masked.text``).

    Raises RestoreError when a token is missing, repeated or unknown.

    >>> m = mask("Hi {name}!")
    >>> restore(m, "Hej XPH0X!")
    'Hej {name}!'
    """
    found = [int(m.group(1)) for m in TOKEN_RE.finditer(translated)]
    expected = list(range(len(masked.spans)))
    if sorted(found) != expected:
        missing = sorted(set(expected) - set(found))
        extra = sorted({i for i in found if i not in expected or found.count(i) > 1})
        what = []
        if missing:
            what.append("lost " + ", ".join(repr(masked.spans[i]) for i in missing))
        if extra:
            shown = (repr(masked.spans[i]) if i < len(masked.spans) else "<?>" for i in extra)
            what.append("repeated or invented " + ", ".join(shown))
        raise RestoreError("; ".join(what))

    def put_back(match: re.Match[str]) -> str:
        index = int(match.group(2))
        left, right = masked.padded[index]
        return (
            ("" if left else match.group(1))
            + masked.spans[index]
            + ("" if right else match.group(3))
        )

    return _PADDED_TOKEN_RE.sub(put_back, translated)


_PADDED_TOKEN_RE = re.compile(r"([ \t]?)" + TOKEN_RE.pattern + r"([ \t]?)", re.IGNORECASE)
