"""Finding glossary terms in text: word boundaries, several words, Unicode, case, inflection.

A term matches only as whole words: ``point`` is found in "250 points" but not in
"appointment", Danish ``point`` not in "pointe", ``kort`` not in "betalingskort" (unless that
form is listed). Word characters are Unicode letters and digits, so æøå and ąčęėįšųūž are
parts of words like any other letter. The words of a multi-word term may be separated by any
whitespace (a line break or a no-break space included).

Source terms (English) tolerate regular inflection of their last word: ``point`` matches
"points", ``company`` "companies", ``box`` "boxes", ``reward`` "rewards"; a term whose part of
speech names a verb also matches "-ed"/"-ing" forms. Proper nouns and do-not-translate terms
match as written. Target forms are matched exactly as listed, except that a ``*`` at the start
or end of a form stands for any letters (``konto*`` matches "kontooplysninger").

Case: a term is matched case-insensitively unless its row says ``case_sensitive``; a
case-sensitive term that starts with a lower-case letter still matches with a capital first
letter (sentence-initial "Moms"), except do-not-translate terms, which must match exactly.

Placeholders, markup and URLs (:func:`toolkit.placeholders.find_placeholders`) are never
searched: ``{points}`` or ``https://nordlys.dk/point`` hold no term.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterable, Sequence
from typing import TypeVar

from ..placeholders import find_placeholders

_VOWELS = frozenset("aeiou")
_SIBILANT_ENDINGS = ("s", "x", "z", "ch", "sh")
Span = tuple[int, int]
_Item = TypeVar("_Item")


def english_variants(word: str, *, verb: bool = False) -> list[str]:
    """Regular English inflections of ``word`` (the word itself first).

    >>> english_variants("point")
    ['point', 'points']
    >>> english_variants("company")
    ['company', 'companies']
    >>> english_variants("box")
    ['box', 'boxes']
    >>> english_variants("rewards")
    ['rewards', 'reward']
    >>> english_variants("save", verb=True)
    ['save', 'saves', 'saved', 'saving']
    """
    if not word.isalpha() or len(word) < 2:
        return [word]
    lower = word.lower()
    out = [word]
    plural = lower.endswith("s") and not lower.endswith(("ss", "us", "is")) and len(lower) > 3
    if plural:
        # A plural term also matches its singular ("loyalty points" in "1 loyalty point").
        if lower.endswith("ies") and len(lower) > 4:
            out.append(word[:-3] + "y")
        elif lower.endswith("es") and len(lower) > 3:
            out += [word[:-1], word[:-2]]
        else:
            out.append(word[:-1])
    elif lower.endswith("y") and lower[-2] not in _VOWELS:
        out.append(word[:-1] + "ies")
    elif lower.endswith(_SIBILANT_ENDINGS):
        out.append(word + "es")
    else:
        out.append(word + "s")
        if lower.endswith("o"):
            out.append(word + "es")
    if verb:
        if lower.endswith("e"):
            out += [word + "d", word[:-1] + "ing"]
        elif lower.endswith("y") and lower[-2] not in _VOWELS:
            out += [word[:-1] + "ied", word + "ing"]
        else:
            out += [word + "ed", word + "ing"]
            if (
                len(lower) >= 3
                and lower[-1] not in _VOWELS | {"w", "x", "y"}
                and (lower[-2] in _VOWELS and lower[-3] not in _VOWELS)
            ):
                out += [word + word[-1] + "ed", word + word[-1] + "ing"]
    return list(dict.fromkeys(out))


def _phrase(text: str, *, capital: bool) -> str:
    """Regex for one literal term: words joined by any whitespace, ``*`` ends as letters."""
    lead = text.startswith("*")
    trail = text.endswith("*") and len(text) > 1
    core = text[1 if lead else 0 : len(text) - 1 if trail else len(text)]
    words = core.split()
    pattern = r"\s+".join(re.escape(w) for w in words)
    if capital and core[:1].islower():
        first = re.escape(core[0])
        pattern = f"[{first}{re.escape(core[0].upper())}]" + pattern[len(first) :]
    return (r"\w*" if lead else "") + pattern + (r"\w*" if trail else "")


@functools.lru_cache(maxsize=4096)
def compile_terms(
    alternatives: tuple[str, ...], case_sensitive: bool, capital: bool = True
) -> re.Pattern[str]:
    """One whole-word pattern matching any of ``alternatives`` (longest first).

    ``capital``: a case-sensitive lower-case term also matches with a capital first letter.

    >>> bool(compile_terms(("point",), False).search("an appointment"))
    False
    >>> pattern = compile_terms(("lojalumo taškai", "lojalumo taškų"), False)
    >>> pattern.search("10 Lojalumo  taškų").group()
    'Lojalumo  taškų'
    """
    ordered = sorted(dict.fromkeys(alternatives), key=lambda a: (-len(a), a))
    body = "|".join(_phrase(a, capital=case_sensitive and capital) for a in ordered if a)
    flags = 0 if case_sensitive else re.IGNORECASE
    pattern = re.compile(rf"(?<!\w)(?:{body})(?!\w)", flags)
    _REQUIRED[pattern] = _required_text(ordered)
    return pattern


#: Text every match of a compiled term pattern contains (casefolded), when there is one.
_REQUIRED: dict[re.Pattern[str], str | None] = {}


def _required_text(alternatives: Iterable[str]) -> str | None:
    """The casefolded start that the first word of every alternative shares (ASCII, 2+
    letters): a text without it cannot match, so the pattern need not run.

    >>> _required_text(("loyalty points", "loyalty point")), _required_text(("*konto",))
    ('loyalty', 'konto')
    >>> _required_text(("kort", "card")) is None, _required_text(("ą",)) is None
    (True, True)
    """
    firsts = []
    for text in alternatives:
        if not text:
            continue
        lead = text.startswith("*")
        trail = text.endswith("*") and len(text) > 1
        words = text[1 if lead else 0 : len(text) - 1 if trail else len(text)].split()
        if not words:
            return None
        firsts.append(words[0].casefold())
    if not firsts:
        return None
    start = os.path.commonprefix(firsts)
    return start if len(start) >= 2 and start.isascii() else None


@functools.lru_cache(maxsize=4096)
def _searchable(text: str) -> str:
    """``text`` casefolded, with the two letters Python's case-insensitive matching takes
    for an ASCII ``i`` that casefold writes otherwise (İ, ı); ſ and the Kelvin sign
    casefold to s and k already."""
    folded = text.casefold()
    if "\u0307" in folded or "ı" in folded:
        folded = folded.replace("i\u0307", "i").replace("ı", "i")
    return folded


def source_alternatives(source: str, *, inflect: bool, verb: bool) -> tuple[str, ...]:
    """The term and, when ``inflect``, the regular inflections of its last word."""
    words = source.split()
    if not inflect or not words:
        return (source,)
    head = " ".join(words[:-1])
    return tuple(
        f"{head} {variant}" if head else variant
        for variant in english_variants(words[-1], verb=verb)
    )


@functools.lru_cache(maxsize=65536)
def placeholder_spans(text: str) -> tuple[Span, ...]:
    """Spans of placeholders, markup, URLs and e-mail addresses: never searched for terms."""
    return tuple((p.start, p.end) for p in find_placeholders(text, percent_literal=True))


def overlaps(start: int, end: int, spans: Iterable[Span]) -> bool:
    """Whether ``[start, end)`` overlaps any of ``spans``.

    >>> overlaps(2, 5, [(4, 8)]), overlaps(2, 4, [(4, 8)])
    (True, False)
    """
    return any(start < e and s < end for s, e in spans)


class TermPattern:
    """A term pattern (:func:`compile_terms`) compiled when first run, with the text every
    match contains. A glossary has a hundred patterns or so (~60 us each to compile); one
    whose required text is in no string checked or translated is never compiled."""

    __slots__ = ("_key", "_pattern", "required")

    def __init__(
        self, alternatives: tuple[str, ...], case_sensitive: bool, capital: bool = True
    ) -> None:
        self._key = (alternatives, case_sensitive, capital)
        self._pattern: re.Pattern[str] | None = None
        self.required = _required_text(alternatives)

    @property
    def pattern(self) -> re.Pattern[str]:
        if self._pattern is None:
            self._pattern = compile_terms(*self._key)
        return self._pattern


def find_all(
    pattern: re.Pattern[str] | TermPattern, text: str, excluded: Sequence[Span] = ()
) -> list[re.Match[str]]:
    """Matches of ``pattern`` outside placeholders and ``excluded`` spans."""
    if isinstance(pattern, TermPattern):
        return [m for _, m in find_each([(None, pattern)], text, excluded)]
    required = _REQUIRED.get(pattern)
    if required is not None and required not in _searchable(text):
        return []  # most terms are not in most texts: no regex run, no placeholder scan
    skip = (*placeholder_spans(text), *excluded)
    return [m for m in pattern.finditer(text) if not overlaps(m.start(), m.end(), skip)]


def find_each(
    items: Sequence[tuple[_Item, TermPattern]], text: str, excluded: Sequence[Span] = ()
) -> list[tuple[_Item, re.Match[str]]]:
    """``(item, match)`` for the matches of every item's pattern in ``text``, in item order,
    outside placeholders and ``excluded`` spans: :func:`find_all` of each pattern, with the
    text casefolded once and its placeholders found only when some pattern may match.
    A glossary checks every entry against all its terms; most are in no text."""
    if not items:
        return []
    folded = _searchable(text)
    present = [(i, t) for i, t in items if t.required is None or t.required in folded]
    if not present:
        return []
    skip = (*placeholder_spans(text), *excluded)
    return [
        (item, m)
        for item, term in present
        for m in term.pattern.finditer(text)
        if not overlaps(m.start(), m.end(), skip)
    ]


def keep_case(found: str, replacement: str) -> str:
    """``replacement`` written in the capitalization of ``found``.

    >>> [keep_case(found, "rabatkode") for found in ("Kupon", "KUPON", "kupon")]
    ['Rabatkode', 'RABATKODE', 'rabatkode']
    """
    letters = [c for c in found if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return replacement.upper()
    if letters and found.lstrip()[:1].isupper():
        return replacement[:1].upper() + replacement[1:]
    return replacement
