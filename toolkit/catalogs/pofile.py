"""One read and one write of a PO/POT file.

:func:`read_po_file` reads the bytes once, decodes them once and walks the lines once: each
line is checked against what GNU msgfmt accepts, its layout facts are noted (plural forms as
written, the header as written, ``#|`` previous strings) and it is handed on to Babel's parser in
the same step. The result, :class:`PoFile`, is what every stage works on.
"""

from __future__ import annotations

import datetime
import io
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import PoFileError, write_po

from ..errors import CatalogError
from ..fsutil import (
    MO_MAGIC,
    atomic_open,
    decode_utf8,
    read_po_bytes,
    utf16_error,
    utf16_without_bom,
)
from .entry import Entry, entries, format_flags, previous_context, set_previous_context
from .escapes import EscapeError, join_parts, join_parts_leniently
from .header import keep_written_header
from .powriter import has_conflicts, po_bytes

PO_WIDTH = 76
#: Header fields the writing tool fills in by itself (dates, its own version): "noise" that
#: never makes a catalog out of date, so a clone with another Babel patch version passes
#: ``--check`` and reruns leave files untouched.
_NOISE_HEADER = re.compile(
    rb'^"(POT-Creation-Date|PO-Revision-Date|Generated-By): [^"]*\\n"\n', re.MULTILINE
)
_LEADING_COMMENTS = re.compile(rb"\A(?:#[^\n]*\n)+")
_YEAR = re.compile(rb"\b(?:19|20)\d\d\b")
# Possessive quantifiers (Python 3.11+): no backtracking state is kept per character, so a
# 10 MB msgstr costs no extra memory to check (the plain ``(?:...)*`` took ~160 bytes a char).
_PO_STRING = r'"(?:[^"\\]++|\\[\\"abfnrtv?\']|\\[0-7]{1,3}|\\x[0-9A-Fa-f]+)*+"'
_LEADING_WORD = re.compile(r"[A-Za-z_][\w\[\]]*")
#: A keyword with its well-formed string right after it (``msgstr"x"``).
_NO_SPACE = re.compile(rf"^(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?){_PO_STRING}\s*$")
#: A keyword (or none) and a well-formed string, with something after it.
_STRING_THEN_MORE = re.compile(
    rf"^(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s*)?{_PO_STRING}\s*\S"
)
_KEYWORD = re.compile(r"msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?")
_PO_LINE = re.compile(
    rf"^(?:(?P<keyword>msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+)?(?P<string>{_PO_STRING})\s*$"
)


@dataclass(frozen=True)
class Layout:
    """What the file says as written, where Babel's model normalises it.

    Babel pads a plural entry's missing forms, fills in header fields the file lacks and keeps
    ``#|`` lines as comments; checks need the file as written.
    """

    forms: Mapping[int, int] = field(default_factory=dict)  # msgid line -> msgstr[n] lines
    header_line: int = 1
    header: Mapping[str, str] = field(default_factory=dict)  # header fields, names lower-case
    previous: Mapping[int, tuple[str, ...]] = field(default_factory=dict)  # msgid line -> #|
    previous_contexts: Mapping[int, str] = field(default_factory=dict)  # msgid line -> #| msgctxt
    #: msgid line -> the format flags its ``#,`` lines write (entries with any): Babel's
    #: ``Message`` replaces them with its guess from the msgid.
    formats: Mapping[int, frozenset[str]] = field(default_factory=dict)
    #: Header fields written twice or more with different values: the first value (C gettext
    #: and msgfmt read it, Python's gettext the last, which ``header`` holds).
    header_first: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class PoFile:
    """A parsed catalog file: Babel's catalog and the layout facts of the same read."""

    path: Path
    catalog: Catalog
    layout: Layout
    data: bytes | None = field(default=None, repr=False, compare=False)  # the bytes as read
    #: Read by the one-pass reader: the file has the common shape (strings on whole lines,
    #: keywords in msgfmt's order), so an entry's lines are where :mod:`.splice` finds them.
    common_shape: bool = field(default=False, compare=False)

    def entries(self) -> tuple[Entry, ...]:
        """Every message but the header, as :class:`Entry` views in file order."""
        forms, formats = self.layout.forms, self.layout.formats
        return tuple(
            Entry.from_message(
                m, forms.get(m.lineno or 0), formats.get(m.lineno or 0, _NO_FORMATS)
            )
            for m in entries(self.catalog)
        )


def read_po_file(path: Path, locale: str | None = None) -> PoFile:
    """Read and parse a PO or POT file; a malformed file raises CatalogError with its line."""
    return parse_po_file(read_po_bytes(path), path=path, locale=locale)


def parse_po_file(data: bytes, *, path: Path, locale: str | None = None) -> PoFile:
    """Parse PO bytes strictly: msgfmt's syntax rules, then Babel with ``abort_invalid``.

    A catalog of the common shape is read in one pass (:func:`.reader.fast_po_file`, the
    same catalog); anything else goes to :func:`parse_po_file_full`."""
    from .reader import fast_po_file  # reader.py builds on this module

    refuse_legacy_charset(data, path)
    fast = fast_po_file(data, path, locale)
    if fast is not None:
        return fast
    return parse_po_file_full(data, path=path, locale=locale)


_UTF16 = (b"\xff\xfe", b"\xfe\xff")  # byte-order marks: decode_utf8 names the encoding
#: Control characters shown escaped in an error (a NUL printed raw garbles a terminal).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _excerpt(line: str, limit: int = 60) -> str:
    """A malformed line as an error quotes it: control characters escaped, a longer line cut
    with a visible mark (a cut mid-word read as if the line ended there).

    >>> _excerpt("msgstr 'x'"), _excerpt("msgstr unterminated", 8)
    ("msgstr 'x'", 'msgstr u…')
    """
    shown = _CONTROL.sub(lambda m: f"\\x{ord(m.group(0)):02x}", line[:limit])
    return shown + ("…" if len(line) > limit else "")


_DECLARED_CHARSET = re.compile(rb'"Content-Type:[^"\n]*charset=([-\w.:]+)', re.IGNORECASE)


def refuse_legacy_charset(data: bytes, path: Path) -> None:
    """A catalog in UTF-8 (ASCII) bytes whose header declares another charset: every write
    (translate, xliff import, a review save) would put UTF-8 text under that header, which
    msgfmt then reads as that charset ("Ã¦" for "æ" in the MO file). Refused, as a catalog
    in that charset's own bytes is (decode_utf8)."""
    if path.suffix == ".pot":
        return  # a template is read, never written into: its ASCII reads the same
    found = _DECLARED_CHARSET.search(data[:4096])
    if found is None or found.group(1).lower() in (b"utf-8", b"utf8", b"charset"):
        return  # (CHARSET: a template's header, read as UTF-8 as msgfmt's tools do)
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return  # the reader names the first byte that is not UTF-8, with the same hint
    from ..errors import CatalogError

    declared = found.group(1).decode("ascii", "replace")
    raise CatalogError(
        f"declares charset={declared} in its header; the toolkit reads and writes UTF-8 "
        "catalogs only (what it writes would be read as that charset).",
        path=path,
        line=data[: found.start()].count(b"\n") + 1,
        hint="Its bytes read as UTF-8 already: set charset=UTF-8 in its Content-Type header "
        "(no conversion needed).",
    )


def _charset_hint(data: bytes, path: Path) -> str:
    """How to fix a catalog that is not UTF-8: the toolkit reads and writes UTF-8 only, and
    GNU msgconv converts one written in the charset its header declares (ISO-8859-1...)."""
    found = _DECLARED_CHARSET.search(data[:4096])
    declared = found.group(1).decode("ascii", "replace") if found else ""
    if declared.lower() in ("utf-8", "utf8"):
        # It says UTF-8 and is not: msgconv would fail on it as well ("invalid multibyte
        # sequence"). Saved in another charset by an editor, most often Latin-1 or cp1252.
        return (
            "Its header says UTF-8 but its bytes are in another charset (often ISO-8859-1 or "
            f"Windows-1252): convert it with 'iconv -f WINDOWS-1252 -t UTF-8 {path} -o "
            f"{path}.utf8' and check the result, or restore it from version control."
        )
    said = "The"
    if declared:
        said = f"It declares charset {declared}; the"
    return (
        f"{said} toolkit reads UTF-8 catalogs only: convert it with "
        f"'msgconv --to-code=UTF-8 {path} -o {path}' (GNU gettext)."
    )


def parse_po_file_full(data: bytes, *, path: Path, locale: str | None = None) -> PoFile:
    """The full reader: the syntax pass over every line, then Babel's own parser; it decides
    and reports every error with its file:line."""
    scan = _Scan(path)
    if data.startswith(b"\xef\xbb\xbf"):
        raise CatalogError(
            "malformed PO: the file starts with a byte-order mark (BOM), which msgfmt refuses too.",
            path=path,
            line=1,
            hint="Save the file as UTF-8 without a BOM.",
        )
    if b"\x00" in data and data[:2] not in _UTF16 and (encoding := utf16_without_bom(data)):
        raise utf16_error(path, encoding)  # (valid UTF-8, every other character a NUL)
    if b"\x00" in data and data[:4] not in MO_MAGIC and data[:2] not in _UTF16:  # binary
        raise CatalogError(
            "binary data, not a text file (it has NUL bytes).",
            path=path,
            line=data[: data.index(b"\x00")].count(b"\n") + 1,
            hint="Check that this is the right file, or restore it from version control.",
        )
    text = decode_utf8(data, path, hint=_charset_hint(data, path))
    lines: Iterable[str] = list(scan.lines(text))  # the syntax pass first, whole
    if "nplurals=INTEGER" in text:
        lines = _without_template_plurals(lines)
    try:
        catalog = _read_po(lines, locale)
    except PoFileError as exc:
        lineno = getattr(exc, "lineno", None)
        raise CatalogError(
            "malformed PO: " + re.sub(r" on \d+$", "", str(exc.args[0] if exc.args else exc)),
            path=path,
            line=lineno + 1 if isinstance(lineno, int) else None,
            hint="Fix the entry (or restore the file from version control) and rerun.",
        ) from exc
    except (ValueError, KeyError, IndexError, AttributeError, TypeError) as exc:
        raise CatalogError(
            f"malformed PO: {exc}", path=path, hint="Check that the file is a gettext catalog."
        ) from exc
    layout = scan.layout()
    if layout.previous:
        restore_previous_ids(catalog, layout.previous, layout.previous_contexts)
    if layout.formats:
        note_written_formats(catalog, layout.formats)
    return PoFile(path=path, catalog=catalog, layout=layout, data=data)


def _read_po(lines: Iterable[str], locale: str | None) -> Catalog:
    """Babel's ``read_po`` (``abort_invalid``), with two differences that make it read what
    msgfmt accepts and judge plural forms as ``check`` and ``compile`` do:

    - a catalog without a ``Plural-Forms`` header is read with the locale's CLDR rule (Babel
      would take a rule from its ``Language`` field, or 2 forms when that is no locale it
      knows, such as ``sr_SP``), as :func:`~toolkit.catalogs.plurals.judged_plural_forms`
      says;
    - a plural entry with more forms than the rule has is read where msgfmt reads it: empty
      extra forms (an untranslated entry of a Khmer catalog with ``nplurals=1`` and
      ``msgstr[0]`` and ``msgstr[1]``, as SecureDrop's) are dropped, as Babel and pybabel
      drop them; the text of an extra form of an entry msgfmt does not check (fuzzy,
      obsolete, or with an empty ``msgstr[0]``) is kept in a translator comment
      ``plural form not mapped: msgstr[2] was "..."``. An extra form with text in a
      translated live entry is an error: msgfmt rejects it too.
    """
    from babel.messages.pofile import PoFileParser

    from .plurals import unmapped_comment

    class Parser(PoFileParser):
        kept_at: int | None = None  # the entry whose extra forms were dealt with

        def _add_message(self) -> None:
            # Octal and hex escapes read as msgfmt reads them (toolkit.catalogs.escapes).
            self.messages = [_Decoded(m) for m in self.messages]
            self.translations = [[i, _Decoded(t)] for i, t in self.translations]
            if self.context:
                self.context = _Decoded(self.context)
            try:
                super()._add_message()
            except EscapeError as exc:
                if not self.obsolete:
                    super()._invalid_pofile("", self.offset, str(exc))
                    return
                # An obsolete entry: no customer sees it and msgfmt skips it; its escapes
                # stay text (Babel's reading) rather than stopping the command.
                self.messages = [_Literal(m) for m in self.messages]
                self.translations = [[i, _Literal(t)] for i, t in self.translations]
                if self.context:
                    self.context = _Literal(self.context)
                super()._add_message()

        def _invalid_pofile(self, line: str, lineno: int, msg: str) -> None:
            if msg.startswith("msg has more translations than num_plurals"):
                if self.offset == self.kept_at:
                    return  # Babel calls once per extra form
                count = self.catalog.num_plurals
                texts = {index: t.denormalize() for index, t in self.translations}
                extra = {index: s for index, s in texts.items() if index >= count and s}
                # msgfmt checks translated live entries only; one whose msgstr[0] is empty
                # counts as untranslated.
                unchecked = self.obsolete or "fuzzy" in self.flags or not texts.get(0)
                if extra and not unchecked:
                    msg = (
                        f"this plural entry has a translated msgstr[{min(extra)}], but the "
                        f"catalog's Plural-Forms says nplurals={count}"
                    )
                    super()._invalid_pofile(line, lineno, msg)
                    return
                for index, text in sorted(extra.items()):  # kept as the rule's conversion does
                    self.user_comments.append(unmapped_comment(index, text))
                self.kept_at = self.offset
                return
            super()._invalid_pofile(line, lineno, msg)

    catalog = PoCatalog(locale=locale, charset="utf-8")  # what read_po starts from
    if locale is not None:
        fallback = _cldr_forms(locale)
        if fallback is not None:  # the header's own Plural-Forms, when it has one, wins
            use_rule(catalog, fallback)
    Parser(catalog, ignore_obsolete=False, abort_invalid=True).parse(lines)
    return catalog


class _Decoded(list[str]):
    """The quoted lines of one string in Babel's parser, decoded as msgfmt decodes them."""

    def denormalize(self) -> str:
        return join_parts(self) if self else ""


class _Literal(list[str]):
    """The quoted lines of one string, escapes kept as text (:func:`join_parts_leniently`)."""

    def denormalize(self) -> str:
        return join_parts_leniently(self) if self else ""


class PoCatalog(Catalog):
    """Babel's catalog, reading the header dates msgfmt accepts and Babel's parser does not:
    Poedit's date without a time (``POT-Creation-Date: 2025-01-21``) stopped every command of
    a project (Flask-AppBuilder's ``fr``), and so does a time with seconds. Such a date is
    read as what it says (the day at 00:00); one that is no date at all is left unread, as
    msgfmt leaves it. The written header keeps the text as it is.

    A header of plain ``Name: value`` lines is read without Babel's use of the standard
    library's e-mail parser, whose import alone (``email.parser`` with ``email.utils``,
    ``socket``, ``random``...) costs ~6 ms of every command that reads a catalog; the fields
    are the ones that parser gives (see :func:`plain_header_fields`), and any other header
    goes to it as before."""

    def __setitem__(self, id: Any, message: Message) -> None:
        if id == "" and not self._messages.get(self._key_for(id, message.context)):
            fields = plain_header_fields(message.string)
            if fields is not None:  # Babel's own handling of the header entry, field by field
                self.mime_headers = fields
                self.header_comment = "\n".join(f"# {c}".rstrip() for c in message.user_comments)
                self.fuzzy = message.fuzzy
                return
        super().__setitem__(id, message)

    def _set_mime_headers(self, headers: Iterable[tuple[str, str]]) -> None:
        # (Babel's ``mime_headers`` setter, which its parser uses, calls this method.)
        readable = [_readable_date(name, value) for name, value in headers]
        params = _plain_params(readable)
        if params is not None:  # Content-Type, Plural-Forms and dates read here (see there)
            readable = [(n, v) for n, v in readable if n.lower() not in _PARAM_HEADERS]
        try:
            super()._set_mime_headers(readable)
        except (ValueError, TypeError, OverflowError):
            # A date of the right shape but no real day or offset (2026-02-30, 24:00, +2500),
            # which msgfmt accepts too: left unread.
            super()._set_mime_headers(
                [(n, "" if n.lower() in _DATE_HEADERS else v) for n, v in readable]
            )
        for name, found in params or ():  # what Babel's setter does with each field
            if isinstance(found, datetime.datetime):
                if name == "pot-creation-date":
                    self.creation_date = found
                else:
                    self.revision_date = found
            elif name == "content-type":
                charset = found.get("charset", "").lower()
                if charset and charset != "charset":  # gettext's template placeholder
                    self.charset = charset
            else:
                use_rule(self, (int(found.get("nplurals", 2)), found.get("plural", "(n != 1)")))


#: A header line the e-mail parser reads as one field and nothing else: a name of printable
#: ASCII without a colon (its ``headerRE``), the colon, the value on the same line.
_PLAIN_FIELD = re.compile(r"([\041-\071\073-\176]+):[ \t]*(.*)", re.DOTALL)


def plain_header_fields(text: object) -> list[tuple[str, str]] | None:
    r"""``(name, value)`` of each line of a header msgstr, as ``email.message_from_string(text)
    .items()`` gives them (compat32 policy: the value after the colon without its leading
    blanks), when every line is a plain field; None for anything that parser treats in its
    own way (continuation lines, a line that is no field, which ends the fields, an empty
    line inside, ``\r``, a ``From `` line, surrogates), which is then left to it.

    >>> plain_header_fields("Language: da\nPlural-Forms: nplurals=2; plural=(n != 1);\n")
    [('Language', 'da'), ('Plural-Forms', 'nplurals=2; plural=(n != 1);')]
    >>> plain_header_fields("Language: da\n  continued\n") is None
    True
    """
    if not isinstance(text, str) or "\r" in text or not _plain_text(text):
        return None
    lines = text.split("\n")
    while lines and lines[-1] == "":
        lines.pop()
    fields = []
    for line in lines:
        match = _PLAIN_FIELD.fullmatch(line)
        if match is None or line.startswith("From "):
            return None
        fields.append((match.group(1), match.group(2)))
    return fields


_DATE_HEADERS = frozenset({"pot-creation-date", "po-revision-date"})
_PARAM_HEADERS = frozenset({"content-type", "plural-forms", *_DATE_HEADERS})
#: The date shape every tool writes (``2026-11-30 14:05+0100``), read without ``strptime``.
_PLAIN_DATE = re.compile(r"(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d)(?:([+-])(\d\d)(\d\d))?")


def _plain_params(
    headers: list[tuple[str, str]],
) -> list[tuple[str, dict[str, str] | datetime.datetime]] | None:
    """``(name, parameters)`` of the Content-Type and Plural-Forms fields, in order, as
    Babel's ``parse_separated_header`` reads them with the e-mail package (whose import,
    ``email.message`` with ``socket`` and ``random``, costs ~8 ms of every command that
    reads a catalog), when every such value is plain: ASCII without quotes or ``*`` (RFC 2231
    parameters), where that parser splits at each ``;`` and strips; and ``(name, datetime)``
    of the two date fields in the usual shape, as Babel's ``strptime`` reads them (its
    import is ~2 ms more). None when any of them is not plain: they go to Babel as before.

    >>> _plain_params([("Content-Type", "text/plain; charset=UTF-8"), ("Language", "lt"),
    ...                ("Plural-Forms", "nplurals=3; plural=(n%10==1 ? 0 : n<5 ? 1 : 2);")])
    [('content-type', {'text/plain': '', 'charset': 'UTF-8'}), \
('plural-forms', {'': '', 'nplurals': '3', 'plural': '(n%10==1 ? 0 : n<5 ? 1 : 2)'})]
    """
    found: list[tuple[str, dict[str, str] | datetime.datetime]] = []
    for name, value in headers:
        key = name.lower() if isinstance(name, str) else name
        if key not in _PARAM_HEADERS:
            continue
        if key in _DATE_HEADERS:
            if not isinstance(value, str) or "YEAR" in value or not value.strip():
                continue  # Babel leaves a template's placeholder and a blank date unread
            when = _plain_date(value)
            if when is None:
                return None
            found.append((key, when))
            continue
        if not isinstance(value, str) or not value.isascii() or '"' in value or "*" in value:
            return None
        text = value if key == "content-type" else f" ;{value}"  # as Babel passes them
        params = {}
        for part in text.split(";"):
            attribute, equals, parameter = part.partition("=")
            params[attribute.strip().lower() if equals else part.strip()] = _unquote(
                parameter.strip()
            )
        found.append((key, params))
    return found


def _plain_date(value: str) -> datetime.datetime | None:
    """A date of :data:`_PLAIN_DATE`'s shape as Babel's ``_parse_datetime_header`` gives it
    (the offset as a fixed time zone named ``Etc/GMT+60``...); None for any other text, a
    day or time that does not exist or an offset beyond a day (Babel raises there).

    >>> when = _plain_date("2026-03-29 02:30+0130")
    >>> when.isoformat(), when.tzname()
    ('2026-03-29T02:30:00+01:30', 'Etc/GMT+90')
    >>> _plain_date("2026-02-30 10:00+0000"), _plain_date("2026-02-03 10:00 +0000")
    (None, None)
    """
    match = _PLAIN_DATE.fullmatch(value)
    if match is None:
        return None
    year, month, day, hour, minute, sign, hours, minutes = match.groups()
    try:
        when = datetime.datetime(int(year), int(month), int(day), int(hour), int(minute))
        if sign is None:
            return when
        offset = (int(hours) * 60 + int(minutes)) * (-1 if sign == "-" else 1)
        zone = datetime.timezone(datetime.timedelta(minutes=offset), name=f"Etc/GMT{offset:+d}")
    except ValueError:
        return None
    return when.replace(tzinfo=zone)


def _unquote(value: str) -> str:
    """``email.utils.unquote`` of a value without quotes: ``<x>`` is ``x``."""
    if len(value) > 1 and value.startswith("<") and value.endswith(">"):
        return value[1:-1]
    return value


def _plain_text(text: str) -> bool:
    r"""No surrogate (the e-mail parser makes a ``Header`` of such a value) and no line
    break other than ``\n`` (it splits lines with ``str.splitlines``)."""
    return not any(
        "\ud800" <= c <= "\udfff" or c in "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
        for c in text
    )


_BABEL_DATE = re.compile(r"\d{4}-\d{2}-\d{2} \d{1,2}:\d{2}([+-]\d{4})?")


def _readable_date(name: str, value: str) -> tuple[str, str]:
    """``(name, value)`` with a date header Babel cannot parse in the shape it can (or
    emptied, which Babel skips); any other header as it is."""
    text = value.strip() if isinstance(value, str) else value
    if name.lower() not in _DATE_HEADERS or not text or "YEAR" in text:
        return name, value
    if _BABEL_DATE.fullmatch(text):
        return name, value
    found = re.fullmatch(r"(\d{4}-\d{2}-\d{2})(?:[ T](\d{1,2}:\d{2})(?::\d{2}(?:\.\d+)?)?)?"
                         r"\s*(Z|[+-]\d{2}:?\d{2})?", text)  # fmt: skip
    if found is None:
        return name, ""
    day, time, zone = found.groups()
    try:
        datetime.date.fromisoformat(day)
    except ValueError:
        return name, ""
    zone = "+0000" if zone in (None, "Z") else zone.replace(":", "")
    return name, f"{day} {time or '00:00'}{zone}"


def use_rule(catalog: Catalog, forms: tuple[int, str]) -> None:
    """Give ``catalog`` the plural rule ``(nplurals, expression)`` Babel would otherwise
    derive from its locale (a ``Plural-Forms`` header read later replaces it)."""
    catalog._num_plurals, catalog._plural_expr = forms  # type: ignore[assignment]  # noqa: SLF001


def _cldr_forms(locale: str) -> tuple[int, str] | None:
    """The locale's CLDR plural rule, or None for a name Babel does not know."""
    from ..errors import ToolkitError
    from ..locales import plural_forms

    try:
        return plural_forms(locale)
    except (ToolkitError, ValueError):
        return None


def _without_template_plurals(lines: Iterable[str]) -> Iterator[str]:
    """Lines for Babel without xgettext's placeholder ``nplurals=INTEGER; plural=EXPRESSION;``
    header, which Babel cannot read (``int('INTEGER')``); the layout keeps it as written, so
    ``check`` still reports it and ``update`` replaces it."""
    for line in lines:
        if "nplurals=INTEGER" in line and line.lstrip().startswith('"Plural-Forms:'):
            yield '""\n' if line.endswith("\n") else '""'
        else:
            yield line


def read_catalog(path: Path, locale: str | None = None) -> Catalog:
    """Parse a PO or POT file; a malformed file raises CatalogError with its line."""
    return read_po_file(path, locale).catalog


def parse_catalog(data: bytes, *, path: Path, locale: str | None = None) -> Catalog:
    """Parse PO bytes strictly (Babel with ``abort_invalid``)."""
    return parse_po_file(data, path=path, locale=locale).catalog


def check_po_syntax(text: str, *, path: Path) -> Layout:
    """Reject what GNU msgfmt rejects and Babel's lenient reader lets through.

    Unterminated or badly escaped strings, unknown keywords and duplicate entries, each with
    its line number. Returns the layout facts of the text.
    """
    scan = _Scan(path)
    for _ in scan.lines(text):
        pass
    return scan.layout()


def duplicate_key(
    context_parts: list[str] | None, msgid_parts: list[str]
) -> tuple[str | None, str]:
    """What makes two entries the same message for msgfmt: the msgctxt and msgid texts, from
    their quoted strings (each continuation line counts: long contexts are wrapped too).

    >>> wrapped = duplicate_key(['""', '"a long "', '"context"'], ['"hi"'])
    >>> wrapped == duplicate_key(['"a long context"'], ['""', '"hi"'])
    True
    >>> duplicate_key(None, ['"hi"']) == duplicate_key(['""'], ['"hi"'])
    False
    """
    context = None if context_parts is None else "".join(p[1:-1] for p in context_parts)
    return context, "".join(p[1:-1] for p in msgid_parts)


_NO_FORMATS: frozenset[str] = frozenset()


class _Scan:
    """The line-by-line pass: syntax rules and layout facts, lines handed on to Babel."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.forms: dict[int, int] = {}
        self.header_line = 0
        self.header_parts: list[str] = []
        self.previous: dict[int, tuple[str, ...]] = {}
        self.previous_contexts: dict[int, str] = {}
        self.formats: dict[int, frozenset[str]] = {}

    def keep_previous(self, line: int, parts: Mapping[str, list[str]]) -> None:
        """Keep the ``#|`` strings of the entry whose msgid is on ``line``."""
        self.previous[line], context = previous_strings(parts)
        if context is not None:
            self.previous_contexts[line] = context

    def layout(self) -> Layout:
        header: dict[str, str] = {}
        first: dict[str, str] = {}
        for item in "".join(self.header_parts).split("\\n"):
            name, sep, value = item.partition(":")
            if sep:
                name, value = name.strip().lower(), value.strip()
                if name in header and name not in first and header[name] != value:
                    first[name] = header[name]
                header[name] = value
        return Layout(
            self.forms, self.header_line or 1, header, self.previous, self.previous_contexts,
            self.formats, first,
        )  # fmt: skip

    def lines(self, text: str) -> Iterator[str]:
        """Each line of ``text`` once it passed the checks (Babel reads lines as gettext
        does: split at newlines only)."""
        path = self.path
        seen: dict[tuple[str | None, str], int] = {}
        context_parts: list[str] | None = None  # the msgctxt's quoted strings, if any
        current: str | None = None  # the keyword whose strings are being read
        msgid_parts: list[str] = []
        msgid_line = 0
        entry_line = 0  # msgid line of the entry whose msgstr lines are being read
        in_header = False
        previous: dict[str, list[str]] = {}  # "#|" keyword -> its string parts
        previous_keyword = ""
        live_forms, obsolete_forms = _EntryForms(path), _EntryForms(path)  # apart

        def finish_msgid() -> None:
            key = duplicate_key(context_parts, msgid_parts)
            if key in seen:
                raise CatalogError(
                    f"duplicate message definition (first defined on line {seen[key]}).",
                    path=path,
                    line=msgid_line,
                    hint="Merge the two entries into one.",
                )
            seen[key] = msgid_line

        # The same for obsolete entries among themselves (msgfmt refuses two "#~ msgid x";
        # Babel kept the last, and an update dropped the other's translation).
        old_seen: dict[tuple[str | None, str], int] = {}
        old_context: list[str] | None = None
        old_msgid: list[str] = []
        old_line = 0
        old_current: str | None = None
        # The keywords of the '#|' (and '#~|') lines read for the coming entry, in order.
        previous_order: list[str] = []
        old_previous_order: list[str] = []
        old_previous: dict[str, list[str]] = {}  # "#~|" keyword -> its string parts
        old_previous_keyword = ""
        last_kind = ""  # "live" or "old": the kind of the last keyword line
        after_comment = False  # a comment line since the last keyword line
        started = 0  # the line of the first of the '#|' lines read for the coming entry
        flags: list[str] = []  # the flags of the '#,' lines read for the coming entry

        def malformed(what: str, number: int) -> CatalogError:
            return CatalogError(
                f"malformed PO: {what}.", path=path, line=number,
                hint="Fix the line (see 'msgfmt --check') and rerun.",
            )

        def finish_old_msgid() -> None:
            nonlocal old_context
            key = duplicate_key(old_context, old_msgid)
            old_context = None
            if key in old_seen:
                raise CatalogError(
                    "duplicate obsolete message definition (first defined on line "
                    f"{old_seen[key]}).",
                    path=path,
                    line=old_line,
                    hint="Keep one of the two '#~' entries (msgfmt refuses the file too).",
                )
            old_seen[key] = old_line

        header_checked = False
        for number, raw in enumerate(text.split("\n"), start=1):
            line = raw.strip()
            if (
                not header_checked
                and self.header_parts
                and not (in_header and (not line or line.startswith('"')))
            ):
                # Before Babel sees the header: it allocates nplurals forms per plural entry.
                _check_nplurals("".join(self.header_parts), path, self.header_line)
                header_checked = True
            if not line:  # (a blank line between a string's lines does not end it: msgfmt
                yield raw  # reads on, and Weblate's French header has one; QA pass 81)
                continue
            obsolete = line.startswith("#~")
            if line.startswith("#") and not obsolete:
                in_header = False
                after_comment = True
                if line.startswith("#|"):
                    if current in ("msgctxt", "msgid", "msgid_plural"):
                        raise malformed("a '#|' line inside an entry, before its msgstr", number)
                    started = started if previous_order else number
                    _check_previous(line[2:].strip(), path, number, previous_order)
                    previous_keyword = self._previous_line(
                        line[2:].strip(), previous_keyword, previous
                    )
                    # Babel would keep it as the translator comment "| msgid ...", which a
                    # translator's own "# | msgid" also is: restore_previous_ids could not
                    # tell them apart (an update dropped the translator's). A blank line
                    # instead; the previous id comes from this scan.
                    yield ""
                    continue
                if previous_order:
                    raise malformed("a comment below '#|' lines (they come right above the "
                                    "msgid)", number)  # fmt: skip
                if line.startswith("#,"):
                    flags += line[2:].split(",")
                yield raw
                continue
            if obsolete:
                if previous_order:
                    raise malformed("'#|' lines above an obsolete entry (write '#~|')", number)
                line = line[2:].strip()
                if line.startswith("|") and raw.lstrip()[2:3] != "|":
                    raise malformed("'#~ |' is no previous-msgid line (write '#~|')", number)
                if line.startswith("|"):
                    # "#~| msgid" (an obsolete entry's previous msgid, msgmerge --previous and
                    # Weblate write it): valid for msgfmt, an unknown keyword to Babel's
                    # parser, which skips blank lines (so the line numbers stay).
                    started = started if old_previous_order else number
                    _check_previous(line[1:].strip(), path, number, old_previous_order)
                    old_previous_keyword = self._previous_line(
                        line[1:].strip(), old_previous_keyword, old_previous
                    )
                    yield ""
                    continue
                if not line:
                    yield raw
                    continue
            match = _PO_LINE.match(line)
            if match is None:
                word = _LEADING_WORD.match(line)
                if word is not None and _KEYWORD.fullmatch(word.group(0)) is None:
                    problem = f"unknown keyword '{word.group(0)[:20]}'"
                elif _NO_SPACE.match(line):
                    problem = "no space between the keyword and its string"
                elif _STRING_THEN_MORE.match(line):
                    # ('msgid "Hel" "lo"', 'msgstr "x" # note': msgfmt reads them; the toolkit
                    # reads one string per line, as every PO writer writes them)
                    problem = "more after the string; write one string per line"
                elif '"' in line:
                    problem = "unterminated or badly escaped string"
                elif word is not None and word.group(0) == line.strip():
                    problem = f"{word.group(0)} without its string (write {word.group(0)} \"\")"
                else:
                    problem = "unknown keyword"
                raise CatalogError(
                    f"malformed PO: {problem}: {_excerpt(line)}",
                    path=path,
                    line=number,
                    hint="Fix the line (see 'msgfmt --check') and rerun.",
                )
            if obsolete:
                in_header = False
                previous = {}  # "#|" lines above an obsolete entry are not the next entry's
                old_keyword = match.group("keyword")
                if old_keyword is None and (last_kind != "old" or after_comment):
                    raise malformed("a '#~' string that continues no obsolete entry", number)
                if old_keyword is not None:
                    last_kind, after_comment = "old", False
                if old_keyword == "msgid":
                    if old_previous_order and "msgid" not in old_previous_order:
                        raise malformed("'#~| msgctxt' without '#~| msgid'", number)
                    old_previous_order = []
                    if old_previous:  # (kept: update writes them back, as msgmerge)
                        self.keep_previous(number, old_previous)
                        old_previous = {}
                if old_keyword is not None:
                    obsolete_forms.see(old_keyword, number)
                    if old_current == "msgid" and old_keyword != "msgid":
                        finish_old_msgid()
                    if old_keyword == "msgctxt":
                        old_context = [match.group("string")]
                    elif old_keyword == "msgid":
                        old_msgid, old_line = [match.group("string")], number
                        if flags:  # (an obsolete entry's: update writes them back)
                            written = format_flags(flag.strip() for flag in flags)
                            if written:
                                self.formats[number] = written
                        flags = []
                    old_current = old_keyword
                elif old_current == "msgid":
                    old_msgid.append(match.group("string"))
                elif old_current == "msgctxt" and old_context is not None:
                    old_context.append(match.group("string"))
                yield raw
                continue
            keyword = match.group("keyword")
            string = match.group("string")
            if keyword is None:
                if current is None:
                    raise CatalogError(
                        "malformed PO: string without a keyword.", path=path, line=number
                    )
                if last_kind == "old" or after_comment:
                    raise malformed("a string that continues no keyword (a comment or an "
                                    "obsolete entry comes between)", number)  # fmt: skip
                if current == "msgid":
                    msgid_parts.append(string)
                elif current == "msgctxt" and context_parts is not None:
                    context_parts.append(string)
                elif in_header:
                    self.header_parts.append(string[1:-1])
                yield raw
                continue
            in_header = False
            last_kind, after_comment = "live", False
            if current == "msgid" and keyword != "msgid":
                finish_msgid()
            if keyword == "msgctxt":
                context_parts = [string]
            elif keyword == "msgid":
                if old_previous_order:
                    raise malformed("'#~|' lines above a live entry (write '#|')", number)
                if previous_order and "msgid" not in previous_order:
                    raise malformed("'#| msgctxt' without '#| msgid'", number)
                msgid_parts, msgid_line = [string], number
                entry_line = number
                if flags:
                    written = format_flags(flag.strip() for flag in flags)
                    if written:
                        self.formats[number] = written
                    flags = []
                if not self.header_line and string == '""':
                    self.header_line = number
                if previous:
                    self.keep_previous(number, previous)
                    previous = {}
                previous_order = []
            elif keyword.startswith("msgstr") and current not in (
                "msgid",
                "msgid_plural",
                "msgstr",
            ):
                raise CatalogError("malformed PO: msgstr without msgid.", path=path, line=number)
            live_forms.see(keyword, number)
            if keyword.startswith("msgstr["):
                self.forms[entry_line] = self.forms.get(entry_line, 0) + 1
            elif keyword == "msgstr" and entry_line == self.header_line:
                in_header = True
                self.header_parts.append(string[1:-1])
            if keyword.startswith("msgstr"):
                context_parts = None
            current = "msgstr" if keyword.startswith("msgstr") else keyword
            yield raw
        if previous_order or old_previous_order:
            raise malformed("'#|' lines at the end of the file, above no entry", started)

    @staticmethod
    def _previous_line(line: str, keyword: str, previous: dict[str, list[str]]) -> str:
        """Note one ``#|`` line (``msgid "..."`` or a continuation string)."""
        match = _PO_LINE.match(line)
        if match is None:
            return keyword
        if match.group("keyword") is not None:
            keyword = match.group("keyword")
            previous[keyword] = []
        if keyword:
            previous.setdefault(keyword, []).append(match.group("string"))
        return keyword


def previous_strings(parts: Mapping[str, list[str]]) -> tuple[tuple[str, ...], str | None]:
    """The previous msgid (and msgid_plural) and msgctxt of an entry's ``#|`` (or ``#~|``)
    lines, from their quoted string parts by keyword.

    >>> previous_strings({"msgctxt": ['"menu"'], "msgid": ['"Op"', '"en"']})
    (('Open',), 'menu')
    """
    ids = tuple(join_parts_leniently(parts[k]) for k in ("msgid", "msgid_plural") if k in parts)
    context = join_parts_leniently(parts["msgctxt"]) if "msgctxt" in parts else None
    return ids, context


def _check_previous(rest: str, path: Path, number: int, order: list[str]) -> None:
    """A ``#|`` (or ``#~|``) line after its marker: ``msgctxt``, ``msgid`` or ``msgid_plural``
    with a string, or a string continuing one, in that order, each once (``order``: the
    keywords read for this entry so far), as msgfmt reads them (it refuses the rest)."""
    match = _PO_LINE.match(rest)
    keyword = match.group("keyword") if match is not None else ""
    problem = previous_order_problem(order, keyword) if match is not None else None
    if match is None or keyword not in (None, "msgctxt", "msgid", "msgid_plural") or problem:
        what = problem or (
            "a previous-msgid line (#|) that is no msgctxt, msgid or msgid_plural with a "
            "well-formed string"
        )
        raise CatalogError(
            f"malformed PO: {what}: {_excerpt(rest)}",
            path=path,
            line=number,
            hint="Fix or delete the line (see 'msgfmt --check') and rerun.",
        )
    if keyword is not None:
        order.append(keyword)


def previous_order_problem(order: list[str], keyword: str | None) -> str | None:
    """Why ``#| keyword`` cannot follow the ``#|`` keywords ``order`` (None: it can).

    >>> previous_order_problem(["msgid"], "msgid"), previous_order_problem([], "msgid_plural")
    ('a second #| msgid', '#| msgid_plural without #| msgid')
    """
    if keyword is None:
        return None if order else "a '#|' string continuing no keyword"
    if keyword in order:
        return f"a second #| {keyword}"
    if keyword == "msgid_plural" and "msgid" not in order:
        return "#| msgid_plural without #| msgid"
    if keyword == "msgctxt" and order:
        return "#| msgctxt after #| msgid"
    return None


class _EntryForms:
    """msgfmt's rules for the translations of one entry, checked line by line: a plain
    ``msgstr`` once, or ``msgstr[0]``, ``msgstr[1]``... in order after a ``msgid_plural``.
    Babel's parser would keep one of two msgstr lines, or put a form under another index,
    and lose the rest."""

    __slots__ = ("path", "plural", "read")

    def __init__(self, path: Path) -> None:
        self.path = path
        self.plural = False  # the entry has a msgid_plural
        self.read = 0  # its translations so far

    def see(self, keyword: str, number: int) -> None:
        if keyword == "msgid":
            self.plural, self.read = False, 0
        elif keyword == "msgid_plural":
            self.plural = True
        elif keyword == "msgstr":
            if self.plural:
                raise self._error(
                    "msgstr in an entry with msgid_plural (its translations are msgstr[0], "
                    "msgstr[1]...)",
                    number,
                )
            if self.read:
                raise self._error("a second msgstr for one msgid", number)
            self.read = 1
        elif keyword.startswith("msgstr["):
            if not self.plural:
                raise self._error(f"{keyword} in an entry without msgid_plural", number)
            if int(keyword[7:-1]) != self.read:
                raise self._error(f"{keyword} where msgstr[{self.read}] belongs", number)
            self.read += 1

    def _error(self, problem: str, number: int) -> CatalogError:
        return CatalogError(
            f"malformed PO: {problem}.",
            path=self.path,
            line=number,
            hint="Fix the entry (see 'msgfmt --check') and rerun.",
        )


#: Most plural forms a catalog may declare: CLDR's largest count is 6 (Arabic, Welsh).
MAX_NPLURALS = 6
_NPLURALS = re.compile(r"nplurals\s*=\s*(\d+)")


def _check_nplurals(header: str, path: Path, line: int) -> None:
    """Refuse ``Plural-Forms: nplurals=100000000``: Babel would pad every plural entry with
    that many empty strings (24 GB for a small catalog)."""
    match = _NPLURALS.search(header)
    digits = match.group(1).lstrip("0") or "0" if match else "0"
    if len(digits) > 2 or int(digits) > MAX_NPLURALS:
        raise CatalogError(
            f"Plural-Forms declares nplurals={digits[:12]}; no language has more than "
            f"{MAX_NPLURALS} plural forms (CLDR).",
            path=path,
            line=line,
            hint="Correct the Plural-Forms header ('toolkit check' shows the locale's rule).",
        )


def note_written_formats(catalog: Catalog, formats: Mapping[int, frozenset[str]]) -> None:
    """Each message (live and obsolete) notes the format flags its ``#,`` line wrote
    (:func:`~.entry.written_formats`): Babel's ``Message`` replaces them with its guess
    from the msgid, and an entry that turns obsolete is written with the file's."""
    for message in [*entries(catalog), *catalog.obsolete.values()]:
        written = formats.get(message.lineno or 0)
        if written:
            message.__dict__["written_formats"] = written


def restore_previous_ids(
    catalog: Catalog,
    previous: Mapping[int, tuple[str, ...]],
    contexts: Mapping[int, str] | None = None,
) -> None:
    """The ``#| msgid`` lines the scan read (Babel's reader does not see them) become
    previous ids again, so reviewers keep the diff and the lines are written back, as ``#|``;
    so does a ``#| msgctxt`` above them (:func:`~.entry.previous_context`). An obsolete
    entry's ``#~|`` lines too."""
    for message in [*entries(catalog), *catalog.obsolete.values()]:
        ids = previous.get(message.lineno or 0)
        if ids and ids[0]:
            message.previous_id = list(ids)
            if contexts:
                set_previous_context(message, contexts.get(message.lineno or 0))


def serialize_catalog(catalog: Catalog, width: int = 0, comment_width: int = 0) -> bytes:
    """The catalog as PO bytes, with the toolkit's fixed layout (strings wrapped at
    ``PO_WIDTH``, or at ``width`` when given: a large one keeps each line whole; comments and
    references at ``comment_width``, by default as the strings)."""
    width = width or PO_WIDTH
    for message in catalog:
        # Babel adds python-format to any msgid that looks %-formatted ("50% off") when it
        # builds a Message; an explicit no-python-format must win, or msgfmt rejects the entry.
        if "no-python-format" in message.flags:
            message.flags.discard("python-format")
    if not has_conflicts(catalog):
        return po_bytes(catalog, width, comment_width or None)
    return babel_po_bytes(catalog, width)


def babel_po_bytes(catalog: Catalog, width: int = PO_WIDTH) -> bytes:
    """:func:`serialize_catalog` through Babel's own writer (slower; same bytes)."""
    buffer = io.BytesIO()
    write_po(
        buffer,
        catalog,
        width=width,
        ignore_obsolete=False,
        include_previous=True,
        sort_output=False,
    )
    return _rewrite_previous(buffer.getvalue(), catalog)


_PREVIOUS_BLOCK = re.compile(rb"^(?:#\|[^\n]*\n)+", re.MULTILINE)


def _rewrite_previous(data: bytes, catalog: Catalog) -> bytes:
    """``#|`` lines as msgmerge writes them: Babel word-wraps a long previous msgid as a
    comment, which splits its string across lines that msgfmt and polib reject."""
    from babel.messages.pofile import normalize

    blocks = iter((m.previous_id, previous_context(m)) for m in catalog if m.id and m.previous_id)

    def replace(match: re.Match[bytes]) -> bytes:
        block = next(blocks, None)
        if block is None:
            return match.group(0)
        previous, context = block
        lines = []
        if context is not None:
            first, *rest = normalize(context, width=PO_WIDTH).split("\n")
            lines.append(f"#| msgctxt {first}")
            lines += [f"#| {part}" for part in rest]
        for keyword, text in zip(("msgid", "msgid_plural"), previous, strict=False):
            first, *rest = normalize(text, width=PO_WIDTH).split("\n")
            lines.append(f"#| {keyword} {first}")
            lines += [f"#| {part}" for part in rest]
        return ("\n".join(lines) + "\n").encode(catalog.charset, "backslashreplace")

    return _PREVIOUS_BLOCK.sub(replace, data)


def write_catalog(
    path: Path,
    catalog: Catalog,
    *,
    dry_run: bool = False,
    old: bytes | None = None,
    serialized: bytes | None = None,
) -> bool:
    """Write a catalog atomically; return False when only its date headers would change.

    Keeping the file untouched when nothing but the timestamp moved makes extract and update
    deterministic: running them twice on unchanged input changes no byte. With ``dry_run``
    nothing is written and the result says whether the file would change. ``old``: the file's
    bytes when the caller has read them already (``PoFile.data``), so it is not read again;
    ``serialized``: ``serialize_catalog(catalog)`` when the caller has it already.
    """
    if old is None and path.exists():
        from ..fsutil import NotRegularFile, read_regular_file

        try:
            old = read_regular_file(path)  # a FIFO at the POT's path hung extract
        except NotRegularFile:
            raise CatalogError(
                "not a regular file (a device or FIFO); nothing was written.",
                path=path,
                hint="Remove it, or set pot_file to a file path.",
            ) from None
    data = catalog_bytes(catalog, old, serialized)
    if data is None:
        return False
    if not dry_run:
        write_bytes(path, data)
    return True


#: A line of 90 bytes or more with a quoted string that has a space: a catalog that may keep
#: long strings on one line (splice._unwrapped decides).
_LONG_STRING_LINE = re.compile(rb'^(?=[^\n]{90})[^\n"]*"[^\n]* [^\n]*"[ \t\r]*$', re.MULTILINE)


def catalog_bytes(
    catalog: Catalog, old: bytes | None, serialized: bytes | None = None,
    *, template: bool | None = None,
) -> bytes | None:
    """The bytes to write for ``catalog`` over a file that holds ``old`` (None: no file),
    or None when only its date headers would change (see :func:`write_catalog`). A file that
    keeps long strings on one line (``pybabel update --no-wrap``, Liberapay's) stays so.
    ``template``: whether it is a POT, whose header comment is the toolkit's own (default:
    when the catalog has no locale; a catalog whose header says ``Language:`` with nothing
    after it has none either, so ``update`` says False)."""
    header_width = 76
    if serialized is None and old is not None and _LONG_STRING_LINE.search(old):
        from .splice import UNWRAPPED, _unwrapped, comment_width_of

        lines = old.decode("utf-8", "replace").split("\n")
        if _unwrapped(lines):
            serialized = serialize_catalog(catalog, UNWRAPPED, comment_width_of(lines))
            header_width = UNWRAPPED  # (a Plural-Forms of 100 columns stays one line)
    data = serialized if serialized is not None else serialize_catalog(catalog)
    if old is not None:
        # fields Babel's model drops stay, and a catalog's header comment as written
        is_template = catalog.locale is None if template is None else template
        data = keep_written_header(data, old, header_width, comments=not is_template)
        if data.startswith(b"\n") and not old.startswith(b"\n"):
            # no header comment: Babel's writer starts with the blank line that ends one
            # (FlaskBB's catalogs got a blank first line; msgmerge keeps none; QA pass 81)
            data = data[1:]
        if same_content(old, data):
            return None
    return data


def write_bytes(path: Path, data: bytes) -> None:
    """Replace the file atomically with ``data``. A catalog that is a symbolic link to
    another catalog (``nb_NO/`` linked to ``nb/``'s) is written through, so the link stays:
    the project's paths reach this only after :meth:`ProjectConfig.po_path` refused links
    that resolve outside the project. A link to a file of another kind (``toolkit.toml``) is
    replaced by the catalog, not written through."""
    with atomic_open(path, "wb", follow_links=links_to_same_kind(path)) as handle:
        handle.write(data)


def links_to_same_kind(path: Path) -> bool:
    """Whether ``path`` is a symbolic link to a file with its own suffix (a ``.po`` to a
    ``.po``): a catalog write goes through such a link only."""
    try:
        return path.is_symlink() and Path(os.path.realpath(path)).suffix == path.suffix
    except OSError:
        return False


def same_content(old: bytes, new: bytes) -> bool:
    """Whether two PO/POT files differ only in tool noise: dates, ``Generated-By`` and the
    years Babel writes into a template's leading copyright comment.

    >>> a = b'# (C) 2025\\nmsgid ""\\nmsgstr ""\\n"Generated-By: Babel 2.18.0\\\\n"\\n'
    >>> same_content(a, a.replace(b"2025", b"2026").replace(b"2.18.0", b"2.19.0"))
    True
    """
    return _without_noise(old) == _without_noise(new)


def _without_noise(data: bytes) -> bytes:
    data = _NOISE_HEADER.sub(b"", data)
    return _LEADING_COMMENTS.sub(lambda m: _YEAR.sub(b"YEAR", m.group(0)), data, count=1)
