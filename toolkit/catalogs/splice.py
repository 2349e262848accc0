"""Write back only the entries an import changed, keeping every other byte of the PO file.

A catalog from Poedit, Weblate or Transifex has its own line wrapping and layout; serializing
the whole catalog again would rewrap entries nobody touched. :func:`splice_entries` takes the
changed entries' text from the toolkit's serialization and puts it in place of the old entries
in the original bytes. The result is parsed again and must hold exactly the catalog's
messages; when it does not (an unusual layout), the full serialization is used instead, with
the header entry kept exactly as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from babel.messages.catalog import Catalog, Message

from ..errors import CatalogError
from .entry import entries, forms_of, msgid_of, previous_context
from .header import keep_written_header
from .pofile import PO_WIDTH, parse_catalog, serialize_catalog, use_rule

Key = tuple[str, str | None]


def splice_entries(
    original: bytes,
    catalog: Catalog,
    changed: Iterable[Key],
    path: Path,
    *,
    common_shape: bool = False,
) -> bytes:
    """``original`` with the ``changed`` entries ((msgid, msgctxt) keys) as ``catalog`` has them.

    ``catalog`` is ``original`` as read, then changed: its messages' line numbers say where
    each entry stands in ``original``. Only the changed entries are serialized (a catalog of
    them alone), and the result is read once to confirm it holds exactly ``catalog``, unless
    ``common_shape`` (the one-pass reader read ``original``: every entry's lines are where
    they are looked for; a rerun of ``translate`` writing 500 entries spent a quarter of its
    time on that read)."""
    keys = set(changed)
    locale = str(catalog.locale) if catalog.locale else None
    try:
        old_lines = po_lines(original.decode("utf-8"))
        # A catalog whose strings are not wrapped (Weblate's and Liberapay's: one line each)
        # gets its changed entries unwrapped too, as the review workspace writes them.
        width = UNWRAPPED if _unwrapped(old_lines) else 0
        part = _only(catalog, keys)
        notes = comment_width_of(old_lines) if width else 0
        written = _entry_blocks(serialize_catalog(part, width, notes), part)
        old_at = {key: line for key, line in _entry_lines(catalog).items() if key in keys}
        # A CRLF file (Windows editors) gets its changed entries in CRLF too, not LF lines
        # among CRLF ones.
        crlf = original.count(b"\r\n") * 2 > original.count(b"\n")
        blocks = []
        for key in keys:
            start, end = _block(old_lines, old_at[key])
            replacement = _written_format_flags(old_lines[start:end], written[key])
            if crlf:
                replacement = [
                    line[:-1] + "\r\n" if line.endswith("\n") and not line.endswith("\r\n")
                    else line
                    for line in replacement
                ]  # fmt: skip
            blocks.append((start, end, replacement))
        result = list(old_lines)
        for start, end, replacement in sorted(blocks, reverse=True):
            result[start:end] = replacement
        spliced = "".join(result).encode("utf-8")
        if common_shape or _same_messages(
            parse_catalog(spliced, path=path, locale=locale), catalog
        ):
            return spliced
    except (CatalogError, KeyError, ValueError, StopIteration):
        pass
    # The header stays exactly as the file has it: Babel's model would fill in the
    # template's placeholders (Project-Id-Version: PROJECT VERSION, Last-Translator: FULL
    # NAME) for fields the file does not have, and an import changes entries only.
    return keep_written_header(serialize_catalog(catalog), original, verbatim=True)


def _entry_blocks(data: bytes, part: Catalog) -> dict[Key, list[str]]:
    """Each entry's lines in the serialization of ``part``: the writer puts a blank line
    after the header and after every entry, and none inside one (a line break in a string is
    written as ``\\n``), so the blocks after the header are the entries, in catalog order."""
    chunks = data.decode("utf-8").split("\n\n")
    blocks = [chunk for chunk in chunks[1:] if chunk.strip()]
    keys = [(msgid_of(message), message.context) for message in entries(part)]
    if len(blocks) != len(keys):
        raise ValueError("the serialization does not have one block per entry")
    return {
        key: po_lines(block + "\n")
        for key, block in zip(keys, blocks, strict=True)
    }


def po_lines(text: str) -> list[str]:
    r"""``text`` cut into lines at ``\n`` alone, each with its ending: what a PO reader counts
    as lines. ``str.splitlines`` also cuts at U+2028, U+0085 and form feeds, which a msgstr
    may hold (one U+2028 shifted every line number, and the whole catalog was re-wrapped).

    >>> po_lines('msgstr "a\u2028b"\r\nmsgid "c"')
    ['msgstr "a\u2028b"\r\n', 'msgid "c"']
    """
    lines = text.split("\n")
    last = lines.pop()
    return [line + "\n" for line in lines] + ([last] if last else [])


def _only(catalog: Catalog, keys: set[Key]) -> Catalog:
    """A catalog of the ``keys`` entries of ``catalog`` alone (the same Message objects), with
    its plural rule: what the changed entries are serialized from."""
    # (Its header is not used: a comment of its own spares Babel's default one, which looks
    # up the locale's English name in its whole CLDR data, ~10 ms.)
    part = Catalog(locale=catalog.locale, charset="utf-8", header_comment="# changed entries")
    use_rule(part, (catalog.num_plurals, catalog.plural_expr))
    for message in entries(catalog):
        if (msgid_of(message), message.context) in keys:
            part[message.id] = message
    return part


#: A width no string line reaches: each string stays on one line (split at its line breaks).
UNWRAPPED = 1 << 30
#: Where Babel's and xgettext's ``--no-wrap`` still wrap comments and references.
NO_WRAP_COMMENTS = 76


def comment_width_of(lines: list[str]) -> int:
    """How an unwrapped catalog wraps its comments and ``#:`` references: whole, when one of
    them is longer than a wrapping tool writes (Weblate's), else at 76 columns, as ``pybabel
    update --no-wrap`` and xgettext do (calibre-web's catalogs: 258 reference blocks a catalog
    were put on one line, 1,150 changed lines, which the maintainers' next pybabel run changed
    back; QA pass 80).

    >>> comment_width_of(["#: a.py:1 b.py:2", 'msgid "x"']) == NO_WRAP_COMMENTS
    True
    >>> comment_width_of(["#: " + "templates/x.html:1 " * 6, 'msgid "x"']) == UNWRAPPED
    True
    """
    for line in lines:
        if line.startswith(("#:", "#.")) and len(line.rstrip("\r")) > WRAPPED_MAX:
            return UNWRAPPED
    return NO_WRAP_COMMENTS


def _unwrapped(lines: list[str]) -> bool:
    """Whether the file keeps long strings on one line: a quoted string longer than a wrapping
    tool writes (:data:`WRAPPED_MAX` columns with its quotes, ``msgid "`` aside)
    that has a space to break at, more of them than strings broken anywhere but after a
    ``\\n`` (a wrapping tool's breaks). The keyword before it does not count: Babel's own
    ``msgid "<74 characters>"`` line is 82 long (translate wrote a catalog update had wrapped
    unwrapped, and 'update --check' failed after it). The header entry and obsolete ``#~``
    entries do not count either: polib wraps entries but leaves both on one line (a
    Lithuanian Plural-Forms of 109 columns unwrapped every entry an import changed). A
    wrapped catalog with a long line or two stays wrapped: Transifex wraps translations but
    keeps msgids as the project's POT has them (Indico's: 120 columns), and one 80-column
    msgid unwrapped all 6,374 entries of each catalog (QA pass 77)."""
    header = False
    first = True  # no msgid read yet: a msgid "" followed by msgstr is the header
    long = breaks = 0
    previous: str | None = None  # the string's piece on the line before, if any
    for number, line in enumerate(lines):
        if header:
            header = bool(line.strip())
            continue
        if line.startswith("#~"):
            previous = None
            continue
        if line.startswith("msgid "):
            header = first and line.rstrip() == 'msgid ""' and (
                number + 1 < len(lines) and lines[number + 1].startswith("msgstr")
            )
            first = False
            if header:
                continue
        match = _QUOTED.match(line)
        if match is None:
            previous = None
            continue
        text = match.group(1)
        broken = previous is not None and previous != '""' and not previous.endswith('\\n"')
        if broken and line.startswith('"'):
            breaks += 1  # a string broken where it has no newline: a wrapping tool's break
        if len(text) > WRAPPED_MAX and " " in text[1 : PO_WIDTH - 1]:
            long += 1
        previous = text
    # The file's own majority: a hand-split string in a one-line catalog (Liberapay's de with
    # one: update rewrapped the whole file, +4,948 lines; QA pass 79) does not make it wrapped.
    return long > breaks


#: The longest quoted string a wrapping tool writes on a line: GNU msgmerge and msgcat wrap at
#: 79 columns, as Weblate's catalogs do (SearXNG's ``"Language-Team: Lithuanian <https://...``
#: is 77); Babel at 76. A longer one means the file keeps strings on one line.
WRAPPED_MAX = 79


_QUOTED = re.compile(r'(?:#~ )?(?:msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)? ?(".*")\s*$')


#: Flags Babel adds to (or drops from) a message by looking at its msgid when it is built.
_AUTO_FLAGS = frozenset({"python-format", "python-brace-format"})


def _written_format_flags(old: list[str], new: list[str]) -> list[str]:
    """``new`` (an entry's lines as the toolkit writes it) with the format flags of ``old``
    (the entry as the file had it): Babel adds ``python-brace-format`` to any msgid with a
    ``{name}`` when it builds the message, which an import must not write into the file.
    Every other flag (``fuzzy`` set or cleared by the import) is the new entry's."""

    def flags(lines: list[str]) -> tuple[int | None, set[str]]:
        for index, line in enumerate(lines):
            if line.startswith("#,"):
                return index, {f.strip() for f in line[2:].split(",") if f.strip()}
        return None, set()

    old_at, old_flags = flags(old)
    new_at, new_flags = flags(new)
    wanted = (new_flags - _AUTO_FLAGS) | (old_flags & _AUTO_FLAGS)
    if wanted == new_flags:
        return new
    result = list(new)
    line = f"#, {', '.join(sorted(wanted))}\n" if wanted else None
    if new_at is not None:
        result[new_at : new_at + 1] = [line] if line else []
    elif line:  # flags go after the comments, before msgctxt/msgid
        first = next(i for i, text in enumerate(result) if not text.startswith("#"))
        result.insert(first, line)
    return result


def _entry_lines(catalog: Catalog) -> dict[Key, int]:
    """``{(msgid, msgctxt): line of the msgid}`` (1-based)."""
    found = {}
    for message in entries(catalog):
        if message.lineno is None:
            raise ValueError("entry without a line number")
        found[(msgid_of(message), message.context)] = message.lineno
    return found


def _block(lines: list[str], msgid_line: int) -> tuple[int, int]:
    """The 0-based ``[start, end)`` lines of the entry whose msgid is on ``msgid_line``:
    its comments, msgctxt, msgid, msgid_plural and msgstr lines."""
    index = msgid_line - 1
    if not lines[index].startswith("msgid "):
        raise ValueError(f"line {msgid_line} is not a msgid")
    start = index
    above = index - 1
    while above >= 0 and lines[above].startswith('"'):
        above -= 1
    if above >= 0 and lines[above].startswith("msgctxt "):
        start = above
        above -= 1
    else:
        above = start - 1
    while above >= 0 and lines[above].startswith("#") and not lines[above].startswith("#~"):
        start = above
        above -= 1
    end = index + 1
    while end < len(lines) and lines[end].startswith(('"', "msgid_plural ", "msgstr")):
        end += 1
    return start, end


def message_facts(messages: Iterable[Message]) -> list[tuple[object, ...]]:
    """What a PO file says of each message, layout (wrapping, line numbers) aside."""
    return [
        (
            m.id,
            m.context,
            forms_of(m),
            sorted(m.flags),
            list(m.user_comments),
            list(m.auto_comments),
            list(m.locations),
            list(m.previous_id),
            previous_context(m) if m.previous_id else None,
        )
        for m in messages
    ]


def _same_messages(first: Catalog, second: Catalog) -> bool:
    return message_facts(entries(first)) == message_facts(entries(second)) and len(
        first.obsolete
    ) == len(second.obsolete)
