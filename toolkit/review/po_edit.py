"""Editing one entry of a PO file in place: every other byte of the file stays as it was.

:func:`scan_entries` finds where each entry's lines are; :func:`edit_entry` rewrites only the
lines a review changes (the ``msgstr`` lines, the ``#,`` flags line, ``#|`` previous-source
lines, translator comments) and keeps the file's line endings and wrapping style.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from babel.messages.pofile import normalize

from ..catalogs import PO_WIDTH


@dataclass(frozen=True, slots=True)
class EntryBlock:
    """Where one entry sits in the file's lines (0-based indexes, ``end`` exclusive)."""

    start: int
    msgid_line: int  # 1-based line of the ``msgid`` keyword (Babel's ``Message.lineno``)
    msgstr_start: int
    end: int

    def shifted(self, delta: int) -> EntryBlock:
        return EntryBlock(
            self.start + delta, self.msgid_line + delta, self.msgstr_start + delta, self.end + delta
        )


def scan_entries(lines: Sequence[bytes]) -> list[EntryBlock]:
    """The entries of a PO file (obsolete ``#~`` entries left out), in file order.

    >>> po = b'# c\\nmsgid "a"\\nmsgstr ""\\n"b"\\n\\n#~ msgid "x"\\n#~ msgstr "y"\\n'
    >>> import io
    >>> scan_entries(io.BytesIO(po).readlines())  # lines at LF only, as Babel counts them
    [EntryBlock(start=0, msgid_line=2, msgstr_start=2, end=4)]
    """
    blocks: list[EntryBlock] = []
    start: int | None = None
    msgid_line = 0
    msgstr_start: int | None = None

    def close(end: int) -> None:
        nonlocal start, msgid_line, msgstr_start
        if start is not None and msgid_line and msgstr_start is not None:
            blocks.append(EntryBlock(start, msgid_line, msgstr_start, end))
        start, msgid_line, msgstr_start = None, 0, None

    for index, raw in enumerate(lines):
        line = raw.strip()
        if not line or line.startswith(b"#~"):
            close(index)
            continue
        if line.startswith((b"#", b"msgctxt", b"msgid ")) and msgstr_start is not None:
            close(index)
        if line.startswith(b"#") or line.startswith((b"msgctxt", b"msgid")):
            if start is None:
                start = index
            if line.startswith(b"msgid "):
                msgid_line = index + 1
        elif line.startswith(b"msgstr") and msgstr_start is None:
            msgstr_start = index
    close(len(lines))
    return blocks


def read_header(lines: Sequence[bytes]) -> tuple[int, dict[str, str]]:
    """The header entry's ``msgid`` line and its fields as written (lower-case names).

    >>> read_header([b'msgid ""\\n', b'msgstr ""\\n', b'"Language: da\\\\n"\\n', b'\\n'])
    (1, {'language': 'da'})
    """
    start = None
    parts: list[str] = []
    for index, raw in enumerate(lines):
        line = raw.strip()
        if start is None:
            if line.startswith(b'msgid ""') and (
                index + 1 < len(lines) and not lines[index + 1].startswith(b'"')
            ):
                start = index
            elif line.startswith(b"msgid "):
                break
            continue
        if line.startswith(b'msgstr "') or line.startswith(b'"'):
            body = line[6:].strip() if line.startswith(b"msgstr") else line
            parts.append(body.decode("utf-8")[1:-1])
        elif not line or line.startswith((b"#", b"msg")):
            break
    fields: dict[str, str] = {}
    for field in "".join(parts).split("\\n"):
        name, sep, value = field.partition(":")
        if sep:
            fields[name.strip().lower()] = value.strip()
    return (start + 1 if start is not None else 1), fields


def _translator_comment(line: bytes) -> bool:
    return line.startswith(b"#") and (len(line.rstrip(b"\r\n")) == 1 or line[1:2] == b" ")


def translator_comments(lines: Sequence[bytes], block: EntryBlock) -> list[str]:
    """The entry's translator comments (``# text`` lines) as written, without ``# ``.

    >>> translator_comments([b"# mt: argos\\n", b'#| msgid "a"\\n', b'msgid "b"\\n'],
    ...                     EntryBlock(0, 3, 3, 3))
    ['mt: argos']
    """
    return [
        line.decode("utf-8").rstrip("\r\n")[2:]
        for line in lines[block.start : block.msgstr_start]
        if _translator_comment(line)
    ]


def line_ending(lines: Sequence[bytes]) -> bytes:
    """``\\r\\n`` when the file uses it, else ``\\n``."""
    return b"\r\n" if lines and lines[0].endswith(b"\r\n") else b"\n"


def format_msgstr(strings: Sequence[str], plural: bool, width: int, eol: bytes) -> list[bytes]:
    """``msgstr`` lines as Babel writes them (wrapped at ``width``; 0 keeps each line whole).

    >>> format_msgstr(["Hej"], False, 76, b"\\n")
    [b'msgstr "Hej"\\n']
    """
    out: list[bytes] = []
    for index, text in enumerate(strings):
        keyword = f"msgstr[{index}]" if plural else "msgstr"
        body = f"{keyword} {normalize(text, width=width)}"
        out += [part.encode("utf-8") + eol for part in body.split("\n")]
    return out


def edit_entry(
    lines: Sequence[bytes],
    block: EntryBlock,
    *,
    strings: Sequence[str],
    plural: bool,
    flags: Sequence[str],
    translator_comments: Sequence[str],
    drop_previous: bool,
) -> list[bytes]:
    """The entry's new lines: msgstr, flags, translator comments replaced; the rest kept.

    Lines are only rewritten when their content changes, so saving an unchanged entry gives
    back the same bytes.
    """
    eol = line_ending(lines)
    head = list(lines[block.start : block.msgstr_start])
    old_msgstr = list(lines[block.msgstr_start : block.end])
    keyword_at = next(
        (i for i, line in enumerate(head) if not line.lstrip().startswith(b"#")), len(head)
    )
    comments, keywords = head[:keyword_at], head[keyword_at:]

    old_translator = [c for c in comments if _translator_comment(c)]
    old_texts = [c.decode("utf-8").rstrip("\r\n")[2:] for c in old_translator]
    old_flag_lines = [c for c in comments if c.startswith(b"#,")]
    old_flags = [
        f.strip()
        for c in old_flag_lines
        for f in c.decode("utf-8").rstrip("\r\n")[2:].split(",")
        if f.strip()
    ]

    new_comments: list[bytes] = []
    translator_done = False
    flags_done = False
    new_translator = [f"# {text}".rstrip().encode("utf-8") + eol for text in translator_comments]
    new_flag_line = [("#, " + ", ".join(flags)).encode("utf-8") + eol] if flags else []
    translator_same = old_texts == list(translator_comments)
    flags_same = old_flags == list(flags)
    for comment in comments:
        if _translator_comment(comment):
            if translator_same:
                new_comments.append(comment)
            elif not translator_done:
                new_comments += new_translator
                translator_done = True
        elif comment.startswith(b"#,"):
            if flags_same:
                new_comments.append(comment)
            elif not flags_done:
                new_comments += new_flag_line
                flags_done = True
        elif comment.startswith(b"#|") and drop_previous:
            continue
        else:
            new_comments.append(comment)
    if not translator_same and not translator_done:
        new_comments = new_translator + new_comments
    if not flags_same and not flags_done and new_flag_line:
        # Flags come after translator, extracted and reference comments, before ``#|``.
        at = next((i for i, c in enumerate(new_comments) if c.startswith(b"#|")), None)
        at = len(new_comments) if at is None else at
        new_comments[at:at] = new_flag_line

    width = 0 if any(len(line) > PO_WIDTH + 4 for line in (*keywords, *old_msgstr)) else PO_WIDTH
    msgstr = format_msgstr(strings, plural, width, eol)
    if [m.rstrip(b"\r\n") for m in msgstr] == [m.rstrip(b"\r\n") for m in old_msgstr]:
        msgstr = old_msgstr
    if old_msgstr and not old_msgstr[-1].endswith(b"\n"):  # last line of a file without EOL
        msgstr[-1] = msgstr[-1].rstrip(b"\r\n")
    return new_comments + keywords + msgstr
