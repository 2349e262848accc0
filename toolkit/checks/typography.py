"""Whitespace, end punctuation, doubled words and untouched source text (warnings)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..placeholders import CONTROL_CHARACTERS
from .base import CheckContext, Entry, EntryCheck, dnt_terms, placeholders_of, register

_EDGE_SPACE = re.compile(r"^[ \t\u00a0\u202f]*|[ \t\u00a0\u202f]*$")
_SPACES = frozenset(" \t\u00a0\u202f")  # what _edges strips ("" is not in it)


def _describe(run: str) -> str:
    if not run:
        return "no space"
    names = {" ": "space", "\t": "tab", "\u00a0": "no-break space", "\u202f": "narrow space"}
    kinds = sorted({names[c] for c in run})
    return f"{len(run)} {'/'.join(kinds)}" + ("s" if len(run) > 1 else "")


@register
class WhitespaceCheck(EntryCheck):
    id = "whitespace"
    name = "Leading/trailing whitespace"
    description = (
        "The translation starts or ends with different spaces than the source (text runs "
        "into a placeholder or gets a stray gap)."
    )
    severity = "warning"

    def check(self, entry: Entry, context: CheckContext) -> Iterator[str]:
        for pair in entry.pairs():
            source, target = pair.source.strip("\n"), pair.translation.strip("\n")
            if not (
                source[:1] in _SPACES
                or source[-1:] in _SPACES
                or target[:1] in _SPACES
                or target[-1:] in _SPACES
            ):
                continue  # no space at either edge of either
            lead_s, trail_s = _edges(source)
            lead_t, trail_t = _edges(target)
            if lead_s != lead_t:
                yield (
                    f"{pair.label} starts with {_describe(lead_t)}, the source with "
                    f"{_describe(lead_s)}."
                )
            if trail_s != trail_t:
                yield (
                    f"{pair.label} ends with {_describe(trail_t)}, the source with "
                    f"{_describe(trail_s)}."
                )


@register
class DoubleSpaceCheck(EntryCheck):
    id = "double-space"
    name = "Double spaces"
    description = (
        "The translation has a different number of double spaces inside the text than the "
        "source (pofilter's doublespacing): usually a typing slip."
    )
    severity = "warning"

    def check(self, entry: Entry, context: CheckContext) -> Iterator[str]:
        for pair in entry.pairs():
            wanted = double_spaces(pair.source)
            found = double_spaces(pair.translation)
            if found != wanted:
                where = pair.translation.strip().find("  ")
                around = pair.translation.strip()[max(0, where - 15) : where + 17]
                shown = f" (near \"{around}\")" if where >= 0 else ""
                yield (
                    f"{pair.label} has {found} double space(s), the source {wanted}{shown}."
                )


@register
class LineBreaksCheck(EntryCheck):
    id = "line-breaks"
    name = "Line breaks"
    description = (
        "The translation has a different number of line breaks (\\n, \\r) inside the text than "
        "the source (pofilter's newlines): a sentence split mid-line in plain text, or a "
        "line of a listing lost."
    )
    severity = "warning"

    def check(self, entry: Entry, context: CheckContext) -> Iterator[str]:
        for pair in entry.pairs():
            source, target = pair.source, pair.translation
            if source.startswith("\n") != target.startswith("\n") or source.endswith(
                "\n"
            ) != target.endswith("\n"):
                continue  # a leading or trailing newline changed: the newlines check's error
            for mark, name in (("\n", "line break"), ("\r", "carriage return")):
                wanted, found = source.count(mark), target.count(mark)
                if found != wanted:
                    yield (
                        f"{pair.label} has {found} {name}(s), the source {wanted}"
                        f"{_first_extra(mark, source, target)}."
                    )


def _first_extra(mark: str, source: str, target: str) -> str:
    """Where the translation's first line break is, when the source has none.

    >>> _first_extra("\\n", "Copy failed:", "La copie de \\nl'environnement a échoué :")
    ' (after "La copie de ")'
    """
    if mark in source or mark not in target:
        return ""
    where = target.find(mark)
    return f' (after "{target[max(0, where - 20) : where]}")'


@register
class EscapesCheck(EntryCheck):
    id = "escapes"
    name = "Backslashes"
    description = (
        "The translation has a different number of backslashes than the source (pofilter's "
        "escapes): usually an escape typed wrong (\\\\ for \\n), shown to the reader as \\."
    )
    severity = "warning"

    def check(self, entry: Entry, context: CheckContext) -> Iterator[str]:
        for pair in entry.pairs():
            wanted, found = pair.source.count("\\"), pair.translation.count("\\")
            if found != wanted:
                yield f"{pair.label} has {found} backslash(es), the source {wanted}."


#: Control characters, and the noncharacters U+FFFE and U+FFFF (no XML, hence no XLIFF
#: export, can carry them either).
_CONTROL = re.compile(f"[{CONTROL_CHARACTERS}\ufffe\uffff]")


@register
class ControlCharactersCheck(EntryCheck):
    id = "control-characters"
    name = "Control characters"
    description = (
        "The translation has a control character the source does not (NUL, ESC, BEL...): "
        "msgfmt and compile take it, and the customer's message shows it as garbage; or a "
        "bidirectional override that shows the text in another order than the checks read."
    )
    severity = "error"

    def check(self, entry: Entry, context: CheckContext) -> Iterator[str]:
        ids = (entry.msgctxt or "", entry.msgid, entry.msgid_plural or "")
        if any("\x00" in text for text in ids):
            # An MO file's keys end at a NUL: "k\0ey" is read as msgid "k", plural "ey".
            yield (
                "the source holds a NUL character (\\000), which no compiled catalog can "
                "carry; remove it from the template's string and extract again."
            )
        for pair in entry.pairs():
            found = set(_CONTROL.findall(pair.translation)) - set(_CONTROL.findall(pair.source))
            if found:
                codes = ", ".join(f"U+{ord(c):04X}" for c in sorted(found))
                yield f"{pair.label} has the control character(s) {codes}."
            forced = {c for c in _OVERRIDES + _LEFT_TO_RIGHT
                      if c in pair.translation and c not in pair.source}  # fmt: skip
            if _LEFT_TO_RIGHT in forced and _right_to_left(context):
                forced.discard(_LEFT_TO_RIGHT)  # (the language is asked only then: ~20 ms)
            if forced:
                codes = ", ".join(f"U+{ord(c):04X}" for c in sorted(forced))
                yield (
                    f"{pair.label} has the bidirectional override character(s) {codes}, which "
                    "show the text after them in another order than it is stored: what the "
                    "customer reads is not what the checks read (a link or address can be "
                    "hidden this way); remove them."
                )
            left_open = tuple(c for c in _left_open(pair.translation) if c not in forced)
            if left_open and left_open != _left_open(pair.source) and not (
                _right_to_left(context)
            ):
                yield (
                    f"{pair.label} opens the bidirectional embedding or isolate "
                    f"{', '.join(f'U+{ord(c):04X}' for c in left_open)} and does not close it "
                    "(U+202C, U+2069): the template's text after the translation is shown in "
                    "its direction too; close it or remove it."
                )


#: Right-to-left override (U+202E): no translation needs it (it shows Latin letters
#: reversed), and it hides what it covers from every check of the stored text ("Trojan
#: Source"). The left-to-right override (U+202D) keeps a phone number or code in order in a
#: right-to-left language, so it is one only in a left-to-right language's catalog.
_OVERRIDES = "\u202e"
_LEFT_TO_RIGHT = "\u202d"


#: Bidirectional embeddings and overrides (closed by U+202C PDF), and isolates (closed by
#: U+2069 PDI).
_EMBEDDINGS, _ISOLATES = "\u202a\u202b\u202d\u202e", "\u2066\u2067\u2068"


def _left_open(text: str) -> tuple[str, ...]:
    """The embeddings and isolates ``text`` opens and does not close, in order (a closing
    character with nothing open is ignored, as Unicode's algorithm ignores it)."""
    if not any(c in text for c in _EMBEDDINGS + _ISOLATES):
        return ()
    embeddings: list[str] = []
    isolates: list[str] = []
    for character in text:
        if character in _EMBEDDINGS:
            embeddings.append(character)
        elif character == "\u202c" and embeddings:
            embeddings.pop()
        elif character in _ISOLATES:
            isolates.append(character)
        elif character == "\u2069" and isolates:
            isolates.pop()
    return tuple(isolates + embeddings)


def _right_to_left(context: CheckContext) -> bool:
    """Whether the catalog's language is written right to left (CLDR's character order);
    True when Babel does not know it, so that nothing is reported on a guess."""

    def direction() -> bool:
        from babel import Locale, UnknownLocaleError

        try:
            return bool(Locale.parse(context.locale).text_direction == "rtl")
        except (ValueError, TypeError, LookupError, UnknownLocaleError):
            return True

    return context.memo("right-to-left", direction)


def double_spaces(text: str) -> int:
    """Runs of two or more spaces inside the text (edges are the whitespace check's).

    >>> double_spaces("a  b c   d "), double_spaces("  lead")
    (2, 0)
    """
    if "  " not in text:
        return 0
    return len(_DOUBLE_SPACE.findall(text.strip()))


_DOUBLE_SPACE = re.compile(r" {2,}")


def _edges(text: str) -> tuple[str, str]:
    stripped = text.lstrip(" \t\u00a0\u202f")
    lead = text[: len(text) - len(stripped)]
    if not stripped:
        return lead, ""
    rest = stripped.rstrip(" \t\u00a0\u202f")
    return lead, stripped[len(rest) :]


# Closing quotes and brackets, tags and Markdown emphasis after the last punctuation mark: their
# order differs by language ("Say 'hi.'" / Lithuanian „Labas.“), so they are looked through.
_TRAILING_WRAPPERS = re.compile(
    r"(?:[\s\"'\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f\u00ab\u00bb\u2039\u203a)\]*_]"
    r"|</?[A-Za-z][^<>]*>)+$"
)
_WRAPPER_ENDS = frozenset(
    " \t\n\"'\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f\u00ab\u00bb\u2039\u203a)]*_>"
)
_PUNCTUATION = {
    ".": ".",
    "\u3002": ".",  # ideographic full stop
    "\uff0e": ".",
    "\u0964": ".",  # devanagari danda
    "\u06d4": ".",  # arabic full stop
    "!": "!",
    "\uff01": "!",
    "?": "?",
    "\uff1f": "?",
    "\u061f": "?",  # arabic question mark
    "\u055e": "?",  # armenian question mark
    ":": ":",
    "\uff1a": ":",
    ";": ";",
    "\uff1b": ";",
    ",": ",",
    "\uff0c": ",",
    "\u3001": ",",
    "\u060c": ",",
    "\u2026": "…",
}
#: Languages whose sentences usually end without a mark (the source's '.' may go).
_NO_FULL_STOP = frozenset({"th", "lo", "km", "my"})
_CLASS_NAMES = {
    ".": "a full stop",
    "!": "'!'",
    "?": "a question mark",
    ":": "a colon",
    ";": "a semicolon",
    ",": "a comma",
    "…": "an ellipsis",
    "": "no punctuation",
}


def end_punctuation(text: str, language: str = "en") -> str:
    """The class of a string's final punctuation ('.', '!', '?', ':', ';', ',', '…' or '').

    >>> end_punctuation("Sveiki atvykę į „Taškų klubą.“", "lt"), end_punctuation("Wait...")
    ('.', '…')
    >>> end_punctuation("Τι κάνεις;", "el"), end_punctuation("<b>Done!</b>")
    ('?', '!')
    """
    core = text
    if text and text[-1] in _WRAPPER_ENDS:
        core = _TRAILING_WRAPPERS.sub("", text)
    if core.endswith("..."):
        return "…"
    if not core:
        return ""
    mark = _PUNCTUATION.get(core[-1], "")
    if language == "el" and mark == ";":
        return "?"  # the Greek question mark is the semicolon
    return mark


@register
class EndPunctuationCheck(EntryCheck):
    id = "end-punctuation"
    name = "End punctuation"
    description = (
        "The translation ends with different punctuation than the source ('...' and '…', "
        "script-specific marks and quote placement count as equal)."
    )
    severity = "warning"

    def check(self, entry: Entry, context: CheckContext) -> Iterator[str]:
        source_language = context.source_locale.split("_")[0]
        for pair in entry.pairs():
            source = end_punctuation(pair.source, source_language)
            target = end_punctuation(pair.translation, context.language)
            if source == target:
                continue
            if source == "." and not target and context.language in _NO_FULL_STOP:
                continue
            if not source and _ends_with_placeholder(pair.source):
                continue
            yield (
                f"{pair.label} ends with {_CLASS_NAMES[target]}, the source with "
                f"{_CLASS_NAMES[source]}."
            )


def _ends_with_placeholder(text: str) -> bool:
    found = placeholders_of(text)
    return bool(found) and found[-1].end >= len(text.rstrip())


#: Words a language correctly writes twice in a row, measured as false findings on real
#: catalogs: French reflexive verbs ("nous nous excusons", "vous vous connectez"), Polish
#: pronoun + negation ("darowizny na nie nie będą przetwarzane").
GRAMMATICAL_REPEATS: dict[str, frozenset[str]] = {
    # "..., die die Daten ...": relative + article; "müssen Sie sie verifizieren": the polite
    # "Sie" + the object "sie" (ihatemoney's and MoinMoin's German, QA pass 82)
    "de": frozenset({"die", "der", "das", "sie"}),
    "fr": frozenset({"nous", "vous"}),
    # "..., dat dat bestand ...": conjunction + demonstrative; "Wil je je token verwijderen?":
    # subject + possessive (calibre-web's Dutch, QA pass 83); "als ze ze nodig hebben"
    "nl": frozenset({"dat", "je", "ze"}),
    "pl": frozenset({"nie"}),
    # "Danh sách sách": "list" + "book" (calibre-web's Vietnamese "Books List", QA pass 83)
    "vi": frozenset({"sách"}),
    "sq": frozenset({"të"}),  # "për të të ndihmuar": CKAN's Albanian, 18 of 18 correct (QA 76)
}
_WORD_PAIR = re.compile(r"(?<![\w-])([^\W\d_]+)\s+(\1)(?![\w-])", re.IGNORECASE)
_SENTINEL = "\ue000"


def _without_placeholders(text: str) -> str:
    found = placeholders_of(text)
    if not found:
        return text
    parts, last = [], 0
    for placeholder in found:
        parts += [text[last : placeholder.start], _SENTINEL]
        last = placeholder.end
    parts.append(text[last:])
    return "".join(parts)


def doubled_words(text: str) -> list[str]:
    """Words written twice in a row, outside placeholders.

    >>> doubled_words("Du har har %(n)s point"), doubled_words("%(a)s og %(b)s og")
    (['har'], [])
    """
    if " " not in text or not _WORD_PAIR.search(text):
        return []
    bare = _without_placeholders(text)
    return [m.group(1).lower() for m in _WORD_PAIR.finditer(bare) if _whole_words(bare, m)]


def _whole_words(text: str, match: re.Match[str]) -> bool:
    r"""Whether the pair is two whole words: ``\w`` takes no vowel sign or other combining
    mark for a letter, so in Sinhala, Bengali or Tamil "භාෂාව වෙනස්" read as "ව ව", the end of
    one word and the start of the next.

    >>> doubled_words("පිරිසැලසුම් භාෂාව වෙනස් කරන්න"), doubled_words("la la")
    ([], ['la'])
    """
    import unicodedata

    start, end = match.start(), match.end()
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    return not any(unicodedata.category(c).startswith("M") for c in (before, after))


@register
class DoubledWordsCheck(EntryCheck):
    id = "doubled-words"
    name = "Doubled words"
    description = "A word written twice in a row ('the the') that the source does not repeat."
    severity = "warning"

    def check(self, entry: Entry, context: CheckContext) -> Iterator[str]:
        for pair in entry.pairs():
            doubled = set(doubled_words(pair.translation))
            if doubled:
                doubled -= set(doubled_words(pair.source))
                doubled -= GRAMMATICAL_REPEATS.get(context.language, frozenset())
            if doubled:
                words = ", ".join(f"'{w} {w}'" for w in sorted(doubled))
                yield f"{pair.label} repeats {words}."


_WORDS = re.compile(r"[^\W\d_]+")
#: A file-name or key pattern (``liberapay_income_report_{period}``): nothing to translate.
_IDENTIFIER = re.compile(r"[\w.{}%()-]*[_{][\w.{}%()-]*")
_MIN_WORDS = 2
_MIN_LETTERS = 5


@register
class IdenticalCheck(EntryCheck):
    id = "identical"
    name = "Identical to source"
    description = (
        "The translation is the source text unchanged (strings of one word, numbers, "
        "placeholders, URLs and do-not-translate terms are skipped)."
    )
    severity = "warning"

    def check(self, entry: Entry, context: CheckContext) -> Iterator[str]:
        if context.language == context.source_language:
            return
        for pair in entry.pairs():
            if pair.translation != pair.source or _IDENTIFIER.fullmatch(pair.source):
                continue
            text = _without_placeholders(pair.source).replace(_SENTINEL, " ")
            lowered = text.lower()
            for term in dnt_terms(context):
                if term in lowered:
                    lowered = lowered.replace(term, " ")
            words = _WORDS.findall(lowered)
            if len(words) < _MIN_WORDS or sum(len(w) for w in words) < _MIN_LETTERS:
                continue
            yield (
                f"{pair.label} is the source text unchanged; translate it, or flag the entry "
                "no-check-identical if that is intended."
            )
