"""Placeholders and template syntax: errors that make a message fail or go wrong at send time.

The rules follow GNU msgfmt's ``--check-format`` for python-format and python-brace-format
entries: named placeholders must be the same set, positional ones the same sequence. In plural
entries every form is compared with ``msgid_plural``; a form the locale uses for at most a few
numbers (Danish "one": n=1 only) may leave placeholders out ("Én dag tilbage"), but may not
add unknown ones.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..template_files import JINJA_SUFFIXES
from .base import (
    CheckContext,
    Entry,
    EntryCheck,
    brace_format_of,
    placeholders_of,
    python_format_of,
    register,
)

if TYPE_CHECKING:
    from ..placeholders import Placeholder

_PERCENT = re.compile(
    r"%(?:\((?P<name>[^)]*)\))?[-#0 +I]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?(?P<conv>.)", re.DOTALL
)
_PERCENT_CLASS = {
    **dict.fromkeys("diouxX", "integer"),
    **dict.fromkeys("eEfFgG", "number"),
    **dict.fromkeys("sra", "any"),
    "c": "character",
}
_BRACE_FIELD = re.compile(r"\{([^{}.\[!:]*)")
_JINJA_SPACE = re.compile(r"\s+")
_JINJA_DELIM = re.compile(r"(\{[{%#]-?)\s*|\s*(-?[}%#]\})")


@dataclass(frozen=True)
class FormatSpec:
    """The placeholders of one string, as the formatting code sees them."""

    named: dict[str, tuple[str, str]]  # %(name)x: name -> (type class, token as written)
    named_uses: Counter[str]  # how often each name occurs
    positional: tuple[tuple[str, str], ...]  # %s %d in order: (type class, token)
    brace: Counter[str]  # {name} / {0} / {} (as "") field names
    jinja: Counter[str]  # {{ x }} / {% x %}, whitespace-normalised

    @property
    def empty(self) -> bool:
        return not (self.named or self.positional or self.brace or self.jinja)

    def tokens(self) -> set[str]:
        return (
            {t for _, t in self.named.values()}
            | {t for _, t in self.positional}
            | {_brace_token(name) for name in self.brace}
            | set(self.jinja)
        )


@functools.lru_cache(maxsize=65536)
def format_spec(text: str, percent: bool, brace: bool) -> FormatSpec:
    """The format placeholders of ``text`` (percent/brace only when the entry uses them)."""
    named: dict[str, tuple[str, str]] = {}
    named_uses: Counter[str] = Counter()
    positional: list[tuple[str, str]] = []
    braces: Counter[str] = Counter()
    jinja: Counter[str] = Counter()
    for placeholder in _with_attributes(text):
        if placeholder.kind == "percent" and percent:
            match = _PERCENT.match(placeholder.text)
            if match is None or match.group("conv") == "%":
                continue
            kind = _PERCENT_CLASS.get(match.group("conv"), "unknown")
            if match.group("name") is not None:
                named.setdefault(match.group("name"), (kind, placeholder.text))
                named_uses[match.group("name")] += 1
            else:
                positional.append((kind, placeholder.text))
        elif placeholder.kind == "brace" and brace:
            field = _BRACE_FIELD.match(placeholder.text)
            braces["" if field is None else field.group(1)] += 1
        elif placeholder.kind == "jinja":
            inner = _JINJA_DELIM.sub(
                lambda m: m.group(1) + " " if m.group(1) else " " + m.group(2), placeholder.text
            )
            jinja[_JINJA_SPACE.sub(" ", inner)] += 1
    if "" in braces and not any(name.isdigit() for name in braces):
        # str.format numbers automatic fields 0, 1, 2...: "{} from {}" is "{1} fra {0}" in
        # another word order (Galician "{} not found" -> "Non se atopou {0}" was an error;
        # QA pass 76). Mixed with numbered ones, they stay apart: Python refuses the mix.
        braces = _numbered(braces.pop(""), braces)
    # One object per distinct content (order included): a translation with its source's
    # placeholders gets the source's very object, and ``is`` settles the comparison.
    key = (*named.items(), None, *named_uses.items(), None, *positional, None,
           *braces.items(), None, *jinja.items())  # fmt: skip
    if len(_INTERNED) > 65536:
        _INTERNED.clear()
    return _INTERNED.setdefault(
        key, FormatSpec(named, named_uses, tuple(positional), braces, jinja)
    )


_INTERNED: dict[tuple[object, ...], FormatSpec] = {}


def _with_attributes(text: str) -> Iterator[Placeholder]:
    """The placeholders of ``text``, those inside a tag's attributes included: a tag is one
    token to the scanner, so ``<a href="%(url)s">`` hid its ``%(url)s``, and a translation
    that kept the placeholder but dropped the link was told it *added* one (Wagtail's
    Belarusian; QA pass 81). Python formats the whole string, attributes and all."""
    for placeholder in placeholders_of(text):
        if placeholder.kind == "tag" and len(placeholder.text) > 2:
            yield from (inner for inner in placeholders_of(placeholder.text[1:-1])
                        if inner.kind in ("percent", "brace", "jinja"))  # fmt: skip
        else:
            yield placeholder


def _mixed(fields: Counter[str]) -> bool:
    """Whether brace fields mix automatic (``{}``) and numbered (``{1}``) ones."""
    return "" in fields and any(name.isdigit() for name in fields)


def _numbered(automatic: int, named: Counter[str]) -> Counter[str]:
    """The fields of a text whose ``automatic`` fields (``{}``) are numbered as str.format
    numbers them, beside its named ones."""
    numbered: Counter[str] = Counter({str(n): 1 for n in range(automatic)})
    numbered.update(named)
    return numbered


def _times(count: int) -> str:
    return {1: "once", 2: "twice"}.get(count, f"{count} times")


def _brace_token(name: str) -> str:
    return "{" + name + "}"


_SPECIAL = re.compile(r"[%{]")


def _jinja_locations(locations: tuple[str, ...]) -> bool:
    """Whether an entry at these locations comes from a Jinja2 template (newstyle gettext
    %-formats it)."""
    return any(loc.rsplit(":", 1)[0].endswith(JINJA_SUFFIXES) for loc in locations)


class _Anything(dict[str, object]):
    """A mapping with every key: trial %-formatting finds syntax errors, not missing data."""

    def __missing__(self, key: str) -> object:
        return 0


#: A %-directive as Python reads one (named or positional), and ``%%``.
_DIRECTIVE = re.compile(  # (glibc's I flag too: "%Id" is a format, QA pass 73)
    r"%(?:\([^()]*\))?[-#0 +I]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?[diouxXeEfFgGcrsa%]"
)


@functools.lru_cache(maxsize=65536)
def _is_format(text: str) -> bool:
    """Whether every ``%`` of ``text`` starts a directive Python reads.

    >>> _is_format("%s of %(n)d, 20%%"), _is_format("%FUNCTION%, %ARGS% and %SCHEMA%")
    (True, False)
    """
    return "%" not in _DIRECTIVE.sub("", text)


def _percent_error(text: str) -> str | None:
    """Why %-formatting ``text`` fails, or None (no ``%``: nothing to fail)."""
    return _percent_failure(text) if "%" in text else None


@functools.lru_cache(maxsize=65536)
def _percent_failure(text: str) -> str | None:
    try:
        text % _Anything()
    except (ValueError, TypeError) as exc:
        return str(exc)
    return None


@register
class PlaceholdersCheck(EntryCheck):
    id = "placeholders"
    name = "Placeholders"
    description = (
        "Placeholders ({x}, {0}, %(x)s, %s, {{ x }}) missing, added or changed: the message "
        "fails or shows the wrong value."
    )
    severity = "error"

    def check(self, entry: Entry, context: CheckContext) -> Iterator[str]:
        percent, brace, jinja_origin = _source_formats(entry)
        if percent and not _is_format(entry.msgid_plural or entry.msgid):
            # Flagged python-format (pybabel flags any '%'), but no format string itself:
            # pgAdmin's "%FUNCTION%, %ARGS%" read as directives "%F" and "% a" in a correct
            # Czech text. msgfmt compares no directives then either.
            percent = False
        if not (percent or brace or jinja_origin):
            # No format string at all, so the code formats nothing: a placeholder the
            # translation adds (a fuzzy match of another message, "User '%(name)s' was
            # removed" for "The participant name is invalid") is shown to the customer as
            # written. pofilter's printf and brace checks report it too.
            yield from _added_to_plain_text(entry)
        elif jinja_origin and not brace:
            # A template's gettext %-formats its strings, but nothing formats {fields}: Kiwi's
            # German "Schreibe {0} oder {1}" for "Type 0 or 1" showed the braces (QA pass 81)
            yield from _added_to_plain_text(entry, _BRACE_ADDED)
        if entry.msgid_plural is None:
            source = format_spec(entry.msgid, percent, brace)
            if source.empty and not _SPECIAL.search(entry.strings[0]):
                pass  # nothing to keep, nothing added
            elif entry.strings[0]:
                yield from _compare("msgstr", source, entry.strings[0], percent, brace, None)
        else:
            reference = format_spec(entry.msgid_plural, percent, brace)
            singular = format_spec(entry.msgid, percent, brace)
            for index, text in enumerate(entry.strings):
                if not text:
                    continue
                relaxed = singular if index in context.relaxed_forms else None
                yield from _compare(f"msgstr[{index}]", reference, text, percent, brace, relaxed)
        if percent or jinja_origin:
            source_error = _percent_error(entry.msgid)
            if source_error is None:
                for pair in entry.pairs():
                    error = _percent_error(pair.translation)
                    if error is not None:
                        yield (
                            f"{pair.label} is not a valid %-format string ({error}); "
                            "write %% for a literal %."
                        )


#: A ``{name}`` or ``{0}`` field in any script, not Jinja's ``{{name}}``.
_PLAIN_BRACE = r"(?<!\{)\{(?:[^\W\d]\w*|\d+)\}(?!\})"
#: Placeholders no plain text holds: ``%(name)s``, ``{name}`` / ``{0}``, and a bare ``%s`` or
#: ``%d`` that is a word of its own (Basque "%s erabiltzaileak ez du %s taldeko..." for a
#: plain CKAN message; QA pass 76); not a lone ``%``, ``50 %s``, Turkish ``%sı`` or ``{}``,
#: which numbers, words and punctuation make.
_PLAIN_ADDED = re.compile(
    r"%\([^\W\d]\w*\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]"
    rf"|{_PLAIN_BRACE}"
    r"|(?<![\w%])(?<!\d )%[sd](?!\w)"
)


def _added_to_plain_text(entry: Entry, pattern: re.Pattern[str] | None = None) -> Iterator[str]:
    """Placeholders a translation of a plain (unformatted) source adds (``pattern``: of the
    kinds nothing formats, :data:`_PLAIN_ADDED`'s by default)."""
    sources = entry.msgid + "\0" + (entry.msgid_plural or "")
    for pair in entry.pairs():
        if "%" not in pair.translation and "{" not in pair.translation:
            continue
        added = [
            token
            for token in dict.fromkeys((pattern or _PLAIN_ADDED).findall(pair.translation))
            if token not in sources
        ]
        if added:
            what = "no format string" if pattern is None else "formatted with %, not {}"
            yield (
                f"{pair.label} has {', '.join(added)}, which the source does not have; the "
                f"source is {what}, so the customer would see it as written."
            )


#: A ``{name}`` or ``{0}`` field added to a plain source (a template's string).
_BRACE_ADDED = re.compile(_PLAIN_BRACE)

_PYTHON_FORMATS = frozenset({"python-format", "python-brace-format"})
_NO_FLAGS: frozenset[str] = frozenset()


def _source_formats(entry: Entry) -> tuple[bool, bool, bool]:
    """``(percent, brace, jinja_origin)``: how the entry's strings are formatted."""
    written = entry.written_formats
    python = written & _PYTHON_FORMATS if written else _NO_FLAGS
    return _formats_of(entry.msgid, entry.flags, python, entry.locations)


@functools.lru_cache(maxsize=65536)
def _formats_of(
    msgid: str, flags: frozenset[str], written: frozenset[str], locations: tuple[str, ...]
) -> tuple[bool, bool, bool]:
    # Cached by what decides it: the same in every locale's catalog.
    if written:
        # The file says how the strings are formatted; Babel's flags are its guess from the
        # msgid. In a python-format string "{scheme}" is text (Trac's "must start with
        # {scheme}:/"), in a python-brace-format one "100%" is: msgfmt compares neither.
        percent = "python-format" in written and "no-python-format" not in flags
        brace = "python-brace-format" in written and "no-python-brace-format" not in flags
    else:
        percent, brace = python_format_of(msgid, flags), brace_format_of(msgid, flags)
    jinja_origin = bool(locations) and _jinja_locations(locations)
    jinja_origin = jinja_origin and "no-python-format" not in flags
    if jinja_origin and not percent:
        # Jinja's newstyle gettext %-formats every translation, flagged or not.
        percent = _percent_error(msgid) is None
    return percent, brace, jinja_origin


def _compare(
    label: str,
    source: FormatSpec,
    text: str,
    percent: bool,
    brace: bool,
    relaxed: FormatSpec | None,
) -> Iterator[str]:
    """Differences between the source's placeholders and a translation's."""
    target = format_spec(text, percent, brace)
    if target is source:
        return  # the same placeholders as often: nothing missing, added or changed
    allowed = source.tokens() | (relaxed.tokens() if relaxed is not None else set())
    missing: list[str] = []
    extra: list[str] = []
    for name, (kind, token) in source.named.items():
        if name not in target.named:
            missing.append(token)
        elif target.named[name][0] != kind and "unknown" not in (kind, target.named[name][0]):
            yield f"{label} formats %({name}) as {target.named[name][1]}, the source as {token}."
        elif relaxed is None and target.named_uses[name] != source.named_uses[name]:
            yield (
                f"{label} uses {token} {_times(target.named_uses[name])}, the source "
                f"{_times(source.named_uses[name])}."
            )
    extra += [
        token
        for name, (_, token) in target.named.items()
        if name not in source.named and token not in allowed
    ]
    source_types = [kind for kind, _ in source.positional]
    target_types = [kind for kind, _ in target.positional]
    if source_types != target_types and not (relaxed is not None and not target_types):
        written = " ".join(t for _, t in target.positional) or "none"
        expected = " ".join(t for _, t in source.positional) or "none"
        literal = "; write %% for a literal %" if not source_types else ""
        yield f"{label} has positional placeholders {written}, the source {expected}{literal}."
    # Brace fields are a set (each may repeat freely); Jinja expressions are counted.
    for counter_source, counter_target, wrap, counted in (
        (source.brace, target.brace, _brace_token, False),
        (source.jinja, target.jinja, str, True),
    ):
        for name, wanted in counter_source.items():
            if counter_target[name] < (wanted if counted else 1):
                missing.append(wrap(name))
        for name, count in counter_target.items():
            over = count > counter_source[name] if counted else name not in counter_source
            if over and (relaxed is None or wrap(name) not in allowed):
                extra.append(wrap(name))
    if relaxed is not None:
        missing = []
    if brace and _mixed(target.brace) and not _mixed(source.brace):
        numbered = next(name for name in target.brace if name.isdigit())
        yield (
            f"{label} mixes automatic fields ({{}}) with numbered ones ({{{numbered}}}): "
            "str.format refuses the mix; number them all ({0}, {1}...) or none."
        )
        return
    if missing and extra:
        yield f"{label} lacks {', '.join(missing)} and has {', '.join(extra)} instead."
    elif missing:
        yield f"{label} lacks {', '.join(missing)}."
    elif extra:
        yield f"{label} has {', '.join(extra)}, which the source does not have."


@functools.cache
def _environment() -> object:
    from ..templating import new_environment

    return new_environment()


def jinja_error(text: str) -> str | None:
    """Why ``text`` does not parse as a Jinja2 template, or None."""
    from jinja2 import TemplateSyntaxError

    env = _environment()
    try:
        env.parse(text)  # type: ignore[attr-defined]
    except TemplateSyntaxError as exc:
        return (
            f"{exc.message} (line {exc.lineno})"
            if exc.lineno and exc.lineno > 1
            else str(exc.message)
        )
    return None


_JINJA_START = re.compile(r"\{[{%#]")


@register
class JinjaSyntaxCheck(EntryCheck):
    id = "jinja-syntax"
    name = "Jinja2 syntax"
    description = "A translation with Jinja2 markup that no longer parses: the template fails."
    severity = "error"

    def check(self, entry: Entry, context: CheckContext) -> Iterator[str]:
        for pair in entry.pairs():
            if "{" not in pair.translation and "{" not in pair.source:
                continue  # no Jinja2 markup without a brace
            if not _JINJA_START.search(pair.translation) and not _JINJA_START.search(pair.source):
                continue
            error = jinja_error(pair.translation)
            if error is not None and jinja_error(pair.source) is None:
                yield f"{pair.label} is not valid Jinja2: {error}."


@register
class NewlinesCheck(EntryCheck):
    id = "newlines"
    name = "Leading/trailing newline"
    description = (
        "The source starts or ends with a newline and the translation does not (or the other "
        "way round): msgfmt rejects it."
    )
    severity = "error"

    def check(self, entry: Entry, context: CheckContext) -> Iterator[str]:
        for pair in entry.pairs():
            if "\n" not in pair.source and "\n" not in pair.translation:
                continue
            for where, test in (("starts", str.startswith), ("ends", str.endswith)):
                if test(pair.source, "\n") != test(pair.translation, "\n"):
                    side = "msgid" if test(pair.source, "\n") else pair.label
                    other = pair.label if side == "msgid" else "msgid"
                    yield f"{side} {where} with a newline and {other} does not."
