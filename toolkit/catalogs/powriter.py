"""PO bytes exactly as Babel's ``write_po`` writes them with the toolkit's options, faster.

Babel escapes every string twice and runs every comment, location and flag line through
:class:`textwrap.TextWrapper`, even the short ones that fit on one line: about half of
``toolkit update``'s time on a small project. This writer takes the short cut where the result
is provably the same (a string with no line break whose escaped form fits the width; a
comment that fits the width and has no whitespace but spaces) and hands everything else to
Babel's own ``normalize`` and ``TextWrapper``. ``#|`` previous strings are written as msgmerge
writes them (each line a quoted string), not word-wrapped as comments the way Babel does, and
an obsolete entry keeps its ``#, fuzzy`` flag, as msgmerge keeps it (Babel drops it), and a
translator comment is one line however long, as msgmerge writes it (Babel wraps it).
``tests/catalogs/test_powriter.py`` compares the bytes with Babel's on real catalogs and on
generated ones.
"""

from __future__ import annotations

import datetime
import os
import re
from collections.abc import Iterator
from typing import Any

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import WORD_SEP
from babel.util import LOCALTZ, TextWrapper

from .entry import GUESSED_FORMATS, previous_context, written_formats

#: What ``str.splitlines`` splits on, and TextWrapper's whitespace other than the space.
_LINE_BREAKS = re.compile("[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
_OTHER_SPACE = re.compile("[\t\n\x0b\x0c\r]")
_SPACES = re.compile(r"(\s+)")
#: Characters that PO escaping lengthens.
_ESCAPED = re.compile('[\\\\\t\r\n"]')


def po_bytes(catalog: Catalog, width: int, comment_width: int | None = None) -> bytes:
    """The catalog as PO bytes: ``write_po(width=width, ignore_obsolete=False,
    include_previous=True, sort_output=False)`` with msgmerge's ``#|`` lines; comments and
    references wrapped at ``comment_width`` (default: ``width``; Babel's ``--no-wrap``
    writes strings whole and comments at 76 columns, as xgettext does)."""
    lines = po_lines(catalog, width, comment_width)
    return "".join(lines).encode(catalog.charset, "backslashreplace")


def po_lines(catalog: Catalog, width: int, comment_width: int | None = None) -> Iterator[str]:
    comment_width = comment_width or width
    comment_wrapper = TextWrapper(width=comment_width, break_long_words=False)

    def quoted(text: str, prefix: str = "") -> str:
        if len(text) + len(prefix) + 2 <= width and not _LINE_BREAKS.search(text):
            escaped = _escape(text)
            if len(escaped) + len(prefix) <= width:
                return escaped
        return _normalize(text, prefix, width)

    def comment(text: str, prefix: str = "") -> Iterator[str]:
        if len(text) <= comment_width and not _OTHER_SPACE.search(text):
            # One line: TextWrapper would keep it whole and drop its outer whitespace.
            stripped = text.strip()
            if stripped:
                yield f"#{prefix} {stripped}\n"
            return
        for line in comment_wrapper.wrap(text):
            yield f"#{prefix} {line.strip()}\n"

    def translator_comment(text: str) -> Iterator[str]:
        # A translator's comment line is written as it was read, however long (msgmerge's
        # way): Babel word-wraps it, and read back it is two comments, a line break the
        # translator never wrote (polib, Weblate and msgmerge keep both).
        if "\n" in text or "\r" in text:
            yield from comment(text)
        elif text.strip():
            yield f"# {text.strip()}\n"

    def previous_lines(message: Message, marker: str) -> Iterator[str]:
        # "#| msgctxt", "#| msgid" (and "#~|" above an obsolete entry), as msgmerge writes them
        if not message.previous_id:
            return
        context = previous_context(message)
        texts = [("msgctxt", context)] if context is not None else []
        texts += list(zip(("msgid", "msgid_plural"), message.previous_id, strict=False))
        for keyword, text in texts:
            first, *rest = _normalize(text, "", width).split("\n")
            yield f"{marker} {keyword} {first}\n"
            for part in rest:
                yield f"{marker} {part}\n"

    def message_lines(message: Message, prefix: str = "") -> Iterator[str]:
        if message.context is not None:  # msgctxt "" is a context of its own (msgcat keeps it)
            yield f"{prefix}msgctxt {quoted(message.context, prefix)}\n"
        if isinstance(message.id, (list, tuple)):
            yield f"{prefix}msgid {quoted(message.id[0], prefix)}\n"
            yield f"{prefix}msgid_plural {quoted(message.id[1], prefix)}\n"
            strings: Any = message.string  # indexed as Babel does, whatever it holds
            for index in range(catalog.num_plurals):
                try:
                    string = strings[index]
                except IndexError:
                    string = ""
                yield f"{prefix}msgstr[{index:d}] {quoted(string, prefix)}\n"
        else:
            yield f"{prefix}msgid {quoted(message.id, prefix)}\n"
            yield f"{prefix}msgstr {quoted(str(message.string or ''), prefix)}\n"

    header_wrapper = TextWrapper(width=width, subsequent_indent="# ", break_long_words=False)
    for message in catalog:
        if not message.id:
            lines = []
            for line in header_comment(catalog).splitlines():
                lines += header_wrapper.wrap(line)
            yield "\n".join(lines) + "\n"
        for text in message.user_comments:
            yield from translator_comment(text)
        for text in message.auto_comments:
            yield from comment(text, ".")
        yield from comment(_locations(message), ":")
        if message.flags:
            yield f"#{', '.join(['', *sorted(message.flags)])}\n"
        yield from previous_lines(message, "#|")
        yield from message_lines(message)
        yield "\n"
    for message in catalog.obsolete.values():
        for text in message.user_comments:
            yield from translator_comment(text)
        # An obsolete entry keeps its flags, as msgmerge keeps them (Babel drops them): fuzzy,
        # or the entry came back approved when its msgid returned, unreviewed text and all;
        # c-format and the like as written (Babel's guessed python-format only if written).
        written = written_formats(message)
        flags = sorted((set(message.flags) - GUESSED_FORMATS) | (written & GUESSED_FORMATS))
        if flags:
            yield f"#{', '.join(['', *flags])}\n"
        yield from previous_lines(message, "#~|")
        yield from message_lines(message, "#~ ")
        yield "\n"


def header_comment(catalog: Catalog) -> str:
    """``catalog.header_comment`` without loading CLDR data when it is not needed.

    Babel's property looks up the locale's English name (its whole CLDR data, ~10 ms) to put
    it in place of "Translations template", which only a template's comment holds; otherwise
    this is Babel's own replacement chain.
    """
    comment = getattr(catalog, "_header_comment", None)
    if not isinstance(comment, str) or catalog.locale is None:
        return catalog.header_comment
    year = datetime.datetime.now(LOCALTZ).strftime("%Y")
    if hasattr(catalog.revision_date, "strftime"):
        year = catalog.revision_date.strftime("%Y")
    comment = (
        comment.replace("PROJECT", catalog.project)
        .replace("VERSION", catalog.version)
        .replace("YEAR", year)
        .replace("ORGANIZATION", catalog.copyright_holder)
    )
    if "Translations template" in comment:
        return catalog.header_comment
    return comment


def has_conflicts(catalog: Catalog) -> bool:
    """Whether Babel recorded merge conflicts (written its own way: leave them to Babel)."""
    return bool(getattr(catalog, "_conflicts", None))


def _normalize(string: str, prefix: str, width: int) -> str:
    """Babel's ``normalize`` (same lines, same wrapping), counting escaped lengths instead of
    escaping every chunk to measure it, without its one bug: the text written is always the
    text read back."""
    prefix_length = len(prefix)
    lines = []
    for line in string.splitlines(True):
        special = _ESCAPED.search(line) is not None
        if (_escaped_length(line) if special else len(line) + 2) + prefix_length > width:
            # Babel's WORD_SEP splits at whitespace, and at hyphens, which all its other
            # alternatives need: without one, splitting at whitespace is the same, 3x faster.
            chunks = (WORD_SEP if "-" in line else _SPACES).split(line)
            # Babel counts the prefix once per chunk, not once per line: kept, for its bytes.
            if special:
                lengths = [_escaped_length(c) - 2 + prefix_length for c in chunks]
            else:
                lengths = [len(c) + prefix_length for c in chunks]
            index, count = 0, len(chunks)
            while index < count:
                first, size = index, 2
                while index < count and size + lengths[index] < width:
                    size += lengths[index]
                    index += 1
                if index == first:  # a chunk longer than the width gets a line of its own
                    index += 1
                lines.append("".join(chunks[first:index]))
        else:
            lines.append(line)
    if len(lines) <= 1:
        return _escape(string)
    if not lines[-1]:
        # An empty last chunk (a wrapped line that ends in " \n"): Babel drops it and adds a
        # line break to the line before, which already has it, so the translation gains one
        # ("...seulement \n" became "...seulement \n\n" in CKAN's French catalog, one more on
        # each update). Dropping it keeps the text.
        del lines[-1]
    return '""\n' + "\n".join(prefix + _escape(line) for line in lines)


def _escaped_length(text: str) -> int:
    """``len(_escape(text))`` without building it."""
    extra = text.count("\\") + text.count("\t") + text.count("\r") + text.count("\n")
    return len(text) + 2 + extra + text.count('"')


def _escape(text: str) -> str:
    return (
        '"'
        + text.replace("\\", "\\\\")
        .replace("\t", "\\t")
        .replace("\r", "\\r")
        .replace("\n", "\\n")
        .replace('"', '\\"')
        + '"'
    )


def _locations(message: Message) -> str:
    try:
        ordered = sorted(
            message.locations, key=lambda x: (x[0], isinstance(x[1], int) and x[1] or -1)
        )
    except TypeError:
        ordered = list(message.locations)
    shown: dict[str, None] = {}
    for filename, lineno in ordered:
        location = filename.replace(os.sep, "/")
        if " " in location or "\t" in location:
            if not location.startswith("\u2068"):
                location = "\u2068" + location
            if not location.endswith("\u2069"):
                location += "\u2069"
        if lineno:
            location = f"{location}:{lineno:d}"
        shown[location] = None
    return " ".join(shown)
