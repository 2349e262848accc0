"""The header entry as another tool wrote it: fields Babel's model drops are kept.

Babel's :class:`~babel.messages.catalog.Catalog` knows a fixed set of header fields and
rebuilds some of them: ``X-Generator`` (Weblate), ``X-Poedit-Basepath`` and
``X-Poedit-SearchPath-0`` (Poedit) vanish, and ``Project-Id-Version: searx`` comes back as
``Project-Id-Version:  searx``. When a catalog file is rewritten, its header keeps every field
as written unless the toolkit changed its value (``Plural-Forms`` set or converted by
``update``, ``POT-Creation-Date`` from the template, ``Content-Type`` because the file is
written as UTF-8, a translator set by a command); fields Babel does not model are kept,
``Project-Id-Version`` and ``Generated-By`` keep the written text, and fields the file
lacked are added.
"""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime

from babel.messages.pofile import normalize

#: Fields whose written text always stays: Babel splits and re-joins Project-Id-Version
#: (``searx`` -> `` searx``), and Generated-By names whichever tool wrote the file first.
WRITTEN_WINS = frozenset({"project-id-version", "generated-by"})
#: Fields not added to a file that did not have them.
NOT_ADDED = frozenset({"generated-by"})
_HEADER = re.compile(
    rb'^(?P<head>msgid ""\nmsgstr )(?P<body>"[^\n]*"\n(?:"[^\n]*"\n)*)', re.MULTILINE
)


def keep_written_header(
    new: bytes, old: bytes, width: int = 76, *, verbatim: bool = False, comments: bool = True
) -> bytes:
    """``new`` PO bytes with the header fields of ``old`` kept as written (and its ending:
    no blank line added at the end of a file that had none). ``verbatim``: ``old``'s header
    entry exactly, no field changed or added (a command that changed entries only, such as
    ``xliff import``). ``comments``: the comment lines above the header are ``old``'s too,
    byte for byte (a catalog's; a template's are the toolkit's own).

    >>> old = b'msgid ""\\nmsgstr ""\\n"Project-Id-Version: searx\\\\n"\\n"X-Generator: W\\\\n"\\n'
    >>> new = b'msgid ""\\nmsgstr ""\\n"Project-Id-Version:  searx\\\\n"\\n'
    >>> keep_written_header(new, old) == old
    True
    """
    old = old.replace(b"\r\n", b"\n")  # a CRLF file is written back with LF, as gettext does
    if new.endswith(b"\n\n") and not old.endswith(b"\n\n"):
        new = new.rstrip(b"\n") + b"\n"  # Babel ends with a blank line after obsolete entries
    new_match, old_match = _HEADER.search(new), _HEADER.search(old)
    if new_match is None or old_match is None or new_match.start() != _first_msgid(new):
        return new
    if old_match.start() != _first_msgid(old):
        return new
    if comments:
        new, new_match = _keep_header_comments(new, new_match.start(), old[: old_match.start()])
    if verbatim:
        start, end = new_match.span("body")
        return new[:start] + old_match.group("body") + new[end:]
    new_fields = _fields(new_match.group("body"))
    old_fields = _fields(old_match.group("body"))
    new_by_name = {name.lower(): value for name, value in new_fields}
    merged: list[tuple[str, str]] = []
    for name, value in old_fields:
        key = name.lower()
        if (
            key not in WRITTEN_WINS
            and key in new_by_name
            and _plain(new_by_name[key]) != _plain(value)
            and not (key == "language" and _same_locale(value, new_by_name[key]))
            and not (key == "content-type" and value.lower() == new_by_name[key].lower())
        ):
            value = new_by_name[key]
        merged.append((name, value))
    written = {name.lower() for name, _ in old_fields}
    merged += [
        (name, value)
        for name, value in new_fields
        if name.lower() not in written and name.lower() not in NOT_ADDED
    ]
    if merged == old_fields:
        body = old_match.group("body")
    else:
        text = "".join(f"{name}: {value}\n" for name, value in merged)
        body = (normalize(text, width=width) + "\n").encode("utf-8")
    start, end = new_match.span("body")
    return new[:start] + body + new[end:]


def _own_comment(line: bytes) -> bool:
    """A translator comment line (``# ...`` or a bare ``#``), not a ``#,``/``#.``/``#:``/``#|``."""
    return line.startswith(b"#") and line[1:2] not in (b",", b".", b":", b"|", b"~")


def _keep_header_comments(
    new: bytes, header_start: int, old_prefix: bytes
) -> tuple[bytes, re.Match[bytes]]:
    """``new`` with the header entry's translator comments exactly as ``old_prefix`` (the
    old file's lines above its header) writes them: Babel rewraps them at 76 columns and
    fills in msginit's ``YEAR``, which belong to the catalog's translators (msgmerge keeps
    them). The header's flag lines (``#, fuzzy``) stay the new ones."""
    new_lines = new[:header_start].splitlines(keepends=True)
    old_lines = old_prefix.splitlines(keepends=True)
    flags = [line for line in new_lines if not _own_comment(line)]
    if [line for line in old_lines if not _own_comment(line)] == flags:
        prefix = old_prefix
    else:
        prefix = b"".join([line for line in old_lines if _own_comment(line)] + flags)
    data = prefix + new[header_start:]
    match = _HEADER.search(data)
    assert match is not None  # (the same header entry, now at len(prefix))
    return data, match


def _first_msgid(data: bytes) -> int:
    match = re.search(rb"^msgid ", data, re.MULTILINE)
    return match.start() if match else -1


def _fields(body: bytes) -> list[tuple[str, str]]:
    """``(name, value)`` of each header field, values unescaped as far as gettext does."""
    from .escapes import join_parts

    text = join_parts(line for line in body.decode("utf-8").splitlines() if line)
    fields = []
    for line in text.split("\n"):
        name, sep, value = line.partition(":")
        if sep and name.strip():
            # The value as written after the one space a writer puts there: Calibre-Web's
            # "Project-Id-Version:  Calibre-Web" lost its second space (QA pass 80).
            value = value[1:] if value.startswith(" ") else value.strip()
            fields.append((name.strip(), value))
    return fields


def _same_locale(written: str, new: str) -> bool:
    """Whether a written ``Language`` names the language (and script) of Babel's value
    (GNOME's ``ca-valencia`` for ``ca_valencia``, ``lt_LT`` for ``lt``): the file's text stays.

    >>> _same_locale("ca-valencia", "ca_valencia"), _same_locale("lt_LT", "lt")
    (True, True)
    >>> _same_locale("da", "nb"), _same_locale("sr", "sr_Latn"), _same_locale("", "da")
    (False, False, False)
    """
    from ..errors import ToolkitError
    from ..locales import parse_locale

    if not written.strip():
        return False
    try:
        first, second = parse_locale(written), parse_locale(new)
    except (ToolkitError, ValueError):
        return False
    return (first.language, first.script) == (second.language, second.script)


def _plain(value: str) -> str:
    return " ".join(value.split()).rstrip(";")


def written_header_text(data: bytes) -> str | None:
    """The header entry's msgstr as written in PO bytes (None without a header entry).

    >>> written_header_text(b'msgid ""\\nmsgstr ""\\n"X-Generator: W\\\\n"\\n\\nmsgid "a"\\n')
    'X-Generator: W\\n'
    >>> written_header_text(b'msgid ""\\r\\nmsgstr ""\\r\\n"X-Generator: W\\\\n"\\r\\n')
    'X-Generator: W\\n'
    """
    from .escapes import join_parts

    if b"\r\n" in data:  # a CRLF file (Windows editors): compile kept Babel's header for it
        data = data.replace(b"\r\n", b"\n")
    match = _HEADER.search(data)
    if match is None or match.start() != _first_msgid(data):
        return None
    lines = match.group("body").decode("utf-8").splitlines()
    return join_parts(line for line in lines if line)


def build_date() -> datetime:
    """Now, or SOURCE_DATE_EPOCH for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC)
    return datetime.now(UTC).replace(microsecond=0)
