"""Placeholders and markup that translations must keep exactly: shared by MT and checks.

Recognised, longest first: Jinja2 statements/expressions/comments (``{% if x %}``, ``{{ x }}``,
``{# x #}``), Python percent (``%(name)s``, ``%s``, ``%d``) and brace (``{name}``, ``{0}``,
``{x:.2f}``) placeholders, HTML/XML tags and entities, URLs, e-mail addresses, and identifiers
with underscores (``first_name``), which SentencePiece-based MT would split.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

#: Characters that end a URL written in running text: typographic quotes and brackets and CJK
#: punctuation, which a real URL has only percent-encoded (a Catalan "«https://x.org/a»" or a
#: Chinese "见 https://x.org/a。" keeps its link without them).
URL_STOPS = "«»‹›“”„‟‘’‚‛「」『』（）【】〈〉《》〔〕、。，；：！？…"


def _class_body(ranges: tuple[tuple[int, int], ...], without: str) -> str:
    r"""A character-class body for the code points of ``ranges`` (inclusive) but those in
    ``without``: escaped ranges, which Python's ``re`` compiles in time proportional to the
    characters they span (a class naming all of CJK takes ~4 ms on every start-up).

    >>> _class_body(((0x61, 0x66),), "cx")
    '\\U00000061-\\U00000062\\U00000064-\\U00000066'
    """
    cuts = sorted({ord(c) for c in without})
    body = []
    for low, high in ranges:
        for cut in (c for c in cuts if low <= c <= high):
            if low < cut:
                body.append(f"\\U{low:08x}-\\U{cut - 1:08x}")
            low = cut + 1
        if low <= high:
            body.append(f"\\U{low:08x}-\\U{high:08x}")
    return "".join(body)


#: What a URL is made of after its scheme: printable ASCII, and the letters of the alphabetic
#: scripts before Hangul (Latin, Greek, Cyrillic, Hebrew, Arabic, Indic, Thai, Georgian...)
#: and after it up to Greek Extended (Ethiopic, Khmer, Vietnamese letters such as "ệ"),
#: for internationalised paths (``https://vi.wikipedia.org/wiki/Việt_Nam``); but white space,
#: quotes, brackets, ``<>``, a backtick and ``%`` (percent-encoding is matched on its own) and
#: the stops above. So CJK text glued to a URL ends it, as do emoji, dashes and other
#: punctuation of U+2000 on ("see https://x.org/a—then").
_URL_CHARACTERS = _class_body(
    ((0x21, 0x7E), (0xA0, 0x10FF), (0x1200, 0x1FFF)),
    without="<>\"'()`%\xa0\u1680" + URL_STOPS,
)
#: A URL written in text (``https://``, ``ftp://`` or ``www.``), the one pattern every part of
#: the toolkit finds URLs with. It starts where no ASCII letter, digit or underscore comes right
#: before it (so after a space or punctuation, but also after CJK or Thai text, which glues its
#: words to a URL without a space: "访问http://localhost:8000/"), is made of
#: ``_URL_CHARACTERS`` and ends before a final ``.,;:!?]`` (a wiki link
#: ``[http://x.org/a]``). A ``%`` belongs to it only as percent-encoding (``%2F``):
#: ``http://x/%s`` or ``https://x.org/%(path)s`` ends before the format placeholder.
URL_PATTERN = (
    r"(?<![A-Za-z0-9_])(?:(?i:https?|ftp)://|(?i:www)\.)"  # (in any case: HTTPS://, WWW.)
    rf"(?:[{_URL_CHARACTERS}]|%[0-9A-Fa-f]{{2}})+(?<![.,;:!?\]])"
)
#: An e-mail address written in text. Its ends are ASCII-bounded, not ``\b``: Korean,
#: Chinese and Japanese write the next word right against it ("support@liberapay.com에",
#: "寄信到support@liberapay.com。"), which ``\b`` took for the address going on.
EMAIL_PATTERN = (
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}(?![A-Za-z0-9_])"
)

#: Control characters no message text carries (a character-class body): C0 but tab, line
#: feed and carriage return, DEL, C1; the `control-characters` check and render share it.
CONTROL_CHARACTERS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"

_PATTERNS: tuple[tuple[str, str], ...] = (
    # (never at a third brace: Trac's wiki blocks ``{{{#!div ...}}}`` are no Jinja2, and in a
    # python-brace-format string ``{{{0}}}`` is ``{``, the field ``{0}`` and ``}``)
    ("jinja", r"(?<!\{)(?:\{%-?.*?-?%\}|\{\{(?!\{)-?.*?-?\}\}|\{#.*?#\})"),
    (
        "percent",
        # (glibc's I flag, %Id: the locale's digits, which msgfmt accepts in c-format; not
        # after a space flag: "100% Ia" is prose)
        r"%(?:\([^\W\d]\w*\))?(?:[-#0+]?I\d*(?:\.\d+)?[hlL]?[diufFeEgG]|"
        r"[-#0 +]?(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?[diouxXeEfFgGcrsa%])",
    ),
    # (names are Python identifiers, in any script: Arabic "{دالة}" is a field as "{name}" is)
    ("brace", r"\{\w*(?:[.\[][\w\]]*)*(?:![rsa])?(?::[^{}]*)?\}"),
    ("url", URL_PATTERN),
    ("email", EMAIL_PATTERN),
    # (a "/" separates a tag's name from its attributes as a space does: <svg/onload=...>)
    ("tag", r"</?[A-Za-z][A-Za-z0-9:-]*(?:[\s/]+[^<>]*?)?/?>"),
    ("entity", r"&(?:[A-Za-z][A-Za-z0-9]{1,31}|#\d{1,7}|#[xX][0-9A-Fa-f]{1,6});"),
    ("identifier", r"\b[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+\b"),
)
PLACEHOLDER_RE = re.compile("|".join(f"(?P<{kind}>{rx})" for kind, rx in _PATTERNS), re.DOTALL)
#: The kinds that start with a letter (tried at every word) need one of these to match at all;
#: a text without any is scanned with the other kinds only: the same matches, half the time.
_LETTER_KINDS = frozenset({"url", "email", "identifier"})
_LETTER_KIND_SIGNS = re.compile(r"[@_]|://|www\.")
_SYMBOL_KINDS_RE = re.compile(
    "|".join(f"(?P<{kind}>{rx})" for kind, rx in _PATTERNS if kind not in _LETTER_KINDS),
    re.DOTALL,
)
#: The first character of every symbol-led kind. Python's regex engine skips ahead to a
#: possible first character only for a plain alternation of literals, not for one of named
#: groups: the symbol-led pattern is tried at these positions alone (3 us -> 1 us a text).
_SYMBOL_START = re.compile(r"[{%<&]")
#: A character every kind of placeholder contains ("://" or "www." for URLs).
_TRIGGERS = re.compile(r"[{%<&@_:]|www\.")
#: The kinds whose loss breaks a message at send time (formatting or markup).
FORMAT_KINDS = frozenset({"jinja", "percent", "brace"})


@dataclass(frozen=True)
class Placeholder:
    """One protected span of a string."""

    kind: str
    text: str
    start: int
    end: int


def find_placeholders(text: str, *, percent_literal: bool = False) -> list[Placeholder]:
    """Protected spans of ``text`` in order.

    ``%%`` is a placeholder too (it must survive formatting); with ``percent_literal`` a lone
    ``%`` followed by a letter (``50% off``) is not treated as a format directive, for strings
    that are not %-formatted.

    >>> [p.text for p in find_placeholders("Hi %(name)s, see <b>{0}</b> at https://x.dk/a")]
    ['%(name)s', '<b>', '{0}', '</b>', 'https://x.dk/a']
    """
    found: list[Placeholder] = []
    if not _TRIGGERS.search(text):
        return found  # every kind needs one of these characters: most prose has none
    matches = (
        PLACEHOLDER_RE.finditer(text)
        if _LETTER_KIND_SIGNS.search(text)
        else _symbol_matches(text)
    )
    for match in matches:
        kind = match.lastgroup or ""
        if (
            kind == "percent"
            and percent_literal
            and match.group(0) != "%%"
            and "(" not in match.group(0)
        ):
            continue
        found.append(Placeholder(kind, match.group(0), match.start(), match.end()))
    return found


def _symbol_matches(text: str) -> Iterator[re.Match[str]]:
    """``_SYMBOL_KINDS_RE.finditer(text)``, trying the pattern only where a kind can start."""
    position = 0
    while (start := _SYMBOL_START.search(text, position)) is not None:
        match = _SYMBOL_KINDS_RE.match(text, start.start())
        if match is None:
            position = start.start() + 1
        else:
            yield match
            position = match.end()


def placeholder_counts(text: str, kinds: frozenset[str] | None = None) -> Counter[str]:
    """Multiset of placeholder texts (optionally of some kinds), whitespace-normalised."""
    return Counter(
        _canonical(p) for p in find_placeholders(text) if kinds is None or p.kind in kinds
    )


def _canonical(placeholder: Placeholder) -> str:
    if placeholder.kind == "jinja":
        return re.sub(r"\s+", " ", placeholder.text)
    return placeholder.text
