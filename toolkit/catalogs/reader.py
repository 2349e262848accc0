"""The entries of a PO file in one pass, for commands that only read (``toolkit check``).

:func:`read_po_entries` gives the same :class:`Entry` views and :class:`Layout` facts as
:func:`~toolkit.catalogs.pofile.read_po_file` followed by ``PoFile.entries()``, without building
Babel's ``Catalog`` and ``Message`` objects: one loop over the lines applies msgfmt's syntax
rules, notes the layout facts and collects each entry the way Babel's parser would (the same
unescaping, flags, comments and locations; Babel itself reads the header and decides the
automatic ``python-format`` flags). It reads the common, well-formed shape of a catalog;
anything else (a syntax error, a duplicate, an odd ordering of keywords, obsolete entries
mixed with live lines, bidi-isolated file names) makes it hand the bytes to the full reader,
which decides and reports the error with its file:line. So both readers accept, refuse and
report the same files in the same way (``tests/catalogs/test_reader.py`` compares them).
"""

from __future__ import annotations

import datetime
import functools
import re
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.messages.catalog import Catalog, Message
from babel.messages.plurals import get_plural

from .entry import Entry, format_flags
from .escapes import join_parts
from .pofile import (
    _PO_LINE,
    _PO_STRING,
    MAX_NPLURALS,
    Layout,
    PoCatalog,
    PoFile,
    _check_nplurals,
    _cldr_forms,
    _Scan,
    duplicate_key,
    note_written_formats,
    parse_po_file_full,
    previous_order_problem,
    previous_strings,
    read_po_bytes,
    refuse_legacy_charset,
    restore_previous_ids,
    use_rule,
)

_AUTO_FLAGS = frozenset({"python-format", "python-brace-format"})
_NO_FORMATS: frozenset[str] = frozenset()


@dataclass(frozen=True)
class PoEntries:
    """What a read-only command needs of a catalog: its entries in file order and the layout
    facts; ``po`` is the full parse when the file needed the full reader."""

    path: Path
    entries: tuple[Entry, ...]
    layout: Layout
    po: PoFile | None = None
    obsolete: int = 0  # obsolete (#~) entries, as Babel's catalog keys them


def read_po_entries(path: Path, locale: str | None = None) -> PoEntries:
    """Read a PO file's entries; a malformed file raises CatalogError with its line."""
    return parse_po_entries(read_po_bytes(path), path=path, locale=locale)


def parse_po_entries(data: bytes, *, path: Path, locale: str | None = None) -> PoEntries:
    """The entries of PO bytes (see the module docstring); the full reader for the rest."""
    refuse_legacy_charset(data, path)
    fast = _fast_entries(data, path, locale)
    if fast is not None:
        return fast
    po = parse_po_file_full(data, path=path, locale=locale)
    return PoEntries(
        path=path, entries=po.entries(), layout=po.layout, po=po, obsolete=len(po.catalog.obsolete)
    )


def fast_po_file(data: bytes, path: Path, locale: str | None) -> PoFile | None:
    """Babel's catalog of PO bytes of the common shape, built in the one pass (the same
    ``Message`` objects, obsolete entries, header and previous ids as the full reader's), or
    None: the full reader decides."""
    read = _one_pass(data, path, locale, build=True)
    if read is None:
        return None
    reader, result = read
    layout = result.layout
    if layout.previous:
        restore_previous_ids(reader.catalog, layout.previous, layout.previous_contexts)
    if layout.formats:
        note_written_formats(reader.catalog, layout.formats)
    return PoFile(
        path=path, catalog=reader.catalog, layout=result.layout, data=data, common_shape=True
    )


class _Unusual(Exception):
    """A shape the one-pass reader leaves to the full reader."""


#: The header line the full reader filters out (``_without_template_plurals``); the words in a
#: translation or a comment are just text.
_TEMPLATE_PLURALS = re.compile(r'^[ \t]*"Plural-Forms:[^\n]*nplurals=INTEGER', re.MULTILINE)


def _fast_entries(data: bytes, path: Path, locale: str | None) -> PoEntries | None:
    read = _one_pass(data, path, locale, build=False)
    return read[1] if read is not None else None


def _one_pass(
    data: bytes, path: Path, locale: str | None, *, build: bool
) -> tuple[_OnePass, PoEntries] | None:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    # xgettext's template header and gettext's isolated file names: the full reader's business.
    if "\u2068" in text or "\u2069" in text or _TEMPLATE_PLURALS.search(text):
        return None
    reader = _OnePass(path, locale, build=build)
    try:
        return reader, reader.read(text)
    except _Unusual:
        return None
    except Exception:  # noqa: BLE001 - Babel on the header, int(): the full reader decides
        return None


@functools.lru_cache(maxsize=65536)
def _auto_flags(ids: tuple[str, ...]) -> frozenset[str]:
    """The format flags Babel's ``Message`` sets or clears by looking at the msgid(s)."""
    return frozenset(Message(ids if len(ids) > 1 else ids[0]).flags) & _AUTO_FLAGS


def _text(parts: list[str]) -> str:
    if len(parts) == 1:
        only = parts[0]
        if "\\" not in only:
            return only[1:-1]
    return join_parts(parts)  # an EscapeError: the full reader names the line


# Where the entry being read stands (Babel's parser state, kept to the well-formed order).
_IDLE, _CONTEXT, _MSGID, _PLURAL, _MSGSTR, _FORMS = range(6)


class _OnePass:
    """``build``: put Babel's ``Message`` of each entry (obsolete ones too) into ``catalog``,
    as Babel's parser does, instead of collecting :class:`Entry` views."""

    def __init__(self, path: Path, locale: str | None, *, build: bool = False) -> None:
        self.path = path
        self.build = build
        # What Babel's read_po starts from; Babel reads the header into it, so the number of
        # plural forms comes from the same code.
        self.catalog = PoCatalog(locale=locale, charset="utf-8")
        self.locale = locale
        if build:  # Babel reads the header into the catalog: a Plural-Forms there wins
            self._locale_rule()
        self.entries: list[Entry] = []
        self.keys: set[object] = set()
        self.counter = 0  # messages read, live and obsolete (Babel's counter)
        self.obsolete = 0
        self.nplurals: int | None = None
        self.formats: dict[int, frozenset[str]] = {}  # msgid line -> format flags written

    def read(self, text: str) -> PoEntries:
        scan = _Scan(self.path)  # the layout facts, noted as the syntax pre-pass notes them
        self.formats = scan.formats
        forms = scan.forms
        previous_ids = scan.previous
        header_parts = scan.header_parts
        seen: set[tuple[str | None, str]] = set()  # the pre-pass's duplicate key
        scan_context: list[str] | None = None  # the msgctxt's quoted strings, if any
        current: str | None = None
        msgid_raw: list[str] = []
        entry_line = 0
        in_header = False
        previous: dict[str, list[str]] = {}
        previous_keyword = ""

        # Babel's state for the entry being read.
        state = _IDLE
        obsolete = False
        locations: list[tuple[str, int | None]] = []
        flags: list[str] = []
        user: list[str] = []
        auto: list[str] = []
        context: list[str] | None = None
        msgid: list[str] = []
        plural: list[str] | None = None
        strings: list[tuple[int, list[str]]] = []
        target: list[str] | None = None
        line_of_msgid = 0

        def finish() -> None:
            nonlocal state, obsolete, locations, flags, user, auto, context, plural, strings
            nonlocal target
            if state == _IDLE:
                return
            if state not in (_MSGSTR, _FORMS):
                raise _Unusual  # msgctxt/msgid without msgstr
            self._add(
                obsolete, msgid, plural, strings, context, locations, flags, user, auto,
                line_of_msgid, forms, previous_ids,
            )  # fmt: skip
            state, obsolete, target = _IDLE, False, None
            locations, flags, user, auto = [], [], [], []
            context, plural, strings = None, None, []

        def keyword_line(keyword: str, string: str, number: int, line_obsolete: bool) -> None:
            """Babel's reading of a keyword line, live or ``#~`` (an entry that mixes the two
            is left to the full reader)."""
            nonlocal state, target, line_of_msgid, context, msgid, plural
            if obsolete != line_obsolete and state != _IDLE and keyword not in ("msgid", "msgctxt"):
                raise _Unusual
            if keyword in ("msgid", "msgctxt") and state in (_MSGSTR, _FORMS):
                finish()
            if obsolete != line_obsolete and state != _IDLE:
                raise _Unusual
            state, target, line_of_msgid = self._keyword(
                keyword, string, state, number, line_of_msgid
            )
            if keyword == "msgctxt":
                context = target
            elif keyword == "msgid":
                msgid = target
            elif keyword == "msgid_plural":
                plural = target
            else:
                self._add_form(keyword, target, strings)

        lines = text.split("\n")
        count = len(lines)
        index = 0  # of the next line
        position = 0  # of the next line in ``text``
        while index < count:
            # A whole entry of the common shape in one match, where that reads the same.
            if (
                text.startswith(_ENTRY_STARTS, position)
                and not previous
                and (
                    state == _MSGSTR
                    or state == _FORMS
                    or (state == _IDLE and not (locations or flags or auto or user))
                )
            ):
                simple = _SIMPLE_ENTRY.match(text, position) or _OBSOLETE_ENTRY.match(
                    text, position
                )
                if simple is not None:
                    is_obsolete = simple.re is _OBSOLETE_ENTRY
                    split = "\n#~ " if is_obsolete else "\n"
                    raw_msgid = simple.group("msgid").split(split)
                    # msgid "" is the header (or, with more lines, where the syntax pass
                    # looks for it): read line by line.
                    if raw_msgid[0] == '""' and (len(raw_msgid) == 1 or not scan.header_line):
                        simple = None
                if simple is not None:
                    if state != _IDLE:
                        finish()
                    comments = simple.group("comments")
                    before = comments.count("\n")
                    for comment in comments.split("\n")[:-1]:
                        _comment(comment.strip(), locations, flags, auto, user)
                    raw_context = simple.group("msgctxt")
                    context_parts = None if raw_context is None else raw_context.split(split)
                    raw_msgstr = simple.group("msgstr").split(split)
                    number = index + before + len(context_parts or ()) + 1  # the msgid line
                    if not is_obsolete:  # the syntax pass looks at live entries only
                        key = duplicate_key(context_parts, raw_msgid)
                        if key in seen:
                            raise _Unusual
                        seen.add(key)
                        msgid_raw, entry_line, current = raw_msgid, number, "msgstr"
                        scan_context = None
                    in_header = False
                    self._add(
                        is_obsolete, raw_msgid, None, [(0, raw_msgstr)], context_parts,
                        locations, flags, user, auto, number, forms, previous_ids,
                    )  # fmt: skip
                    locations, flags, user, auto = [], [], [], []
                    whole = simple.group(0)
                    index += whole.count("\n") + (not whole.endswith("\n"))
                    position = simple.end()
                    continue
            raw = lines[index]
            index += 1
            number = index
            position += len(raw) + 1
            line = raw.strip()
            if not line:  # (the header's strings may go on after it, as msgfmt reads them)
                continue
            first = line[0]
            if first == "#":
                second = line[1:2]
                if second == "~":
                    rest = line[2:].strip()
                    if not rest:
                        continue
                    if rest[0] == "|" or previous:
                        raise _Unusual  # Babel reads "#~|" as a keyword; "#|" above "#~"
                    match = _PO_LINE.match(rest)
                    if match is None:
                        raise _Unusual
                    in_header = False
                    previous = {}
                    keyword = match.group("keyword")
                    string = match.group("string")
                    if keyword is None:
                        if target is None or not obsolete:
                            raise _Unusual
                        target.append(string)
                        continue
                    if rest[len(keyword)] != " ":
                        raise _Unusual  # Babel splits the keyword at the first space
                    keyword_line(keyword, string, number, line_obsolete=True)
                    obsolete = True
                    continue
                if second == "-":
                    raise _Unusual  # conflict markers: Babel refuses them
                in_header = False
                if second == "|":  # (no comment: see _Scan.lines)
                    if state in (_CONTEXT, _MSGID, _PLURAL):  # inside an entry
                        raise _Unusual
                    found = _PO_LINE.match(line[2:].strip())
                    if found is None or found.group("keyword") not in (
                        None, "msgctxt", "msgid", "msgid_plural"
                    ) or previous_order_problem(list(previous), found.group("keyword")):
                        raise _Unusual  # the full reader names the line
                    if state != _IDLE:
                        finish()
                    previous_keyword = _Scan._previous_line(
                        line[2:].strip(), previous_keyword, previous
                    )
                    continue
                if previous:
                    raise _Unusual  # a comment below "#|" lines: the full reader refuses it
                # A comment ends the entry being read (Babel); it belongs to the next one.
                if state != _IDLE:
                    if state == _CONTEXT:
                        raise _Unusual
                    finish()
                _comment(line, locations, flags, auto, user)
                continue
            match = _PO_LINE.match(line)
            if match is None:
                raise _Unusual
            keyword, string = match.groups()
            if keyword is None:
                if current is None or target is None or obsolete:
                    raise _Unusual
                if current == "msgid":
                    msgid_raw.append(string)
                elif current == "msgctxt" and scan_context is not None:
                    scan_context.append(string)
                elif in_header:
                    header_parts.append(string[1:-1])
                target.append(string)
                continue
            if line[len(keyword)] != " ":
                raise _Unusual
            in_header = False
            # The syntax pre-pass: duplicates, plural forms as written, the header.
            if current == "msgid" and keyword != "msgid":
                key = duplicate_key(scan_context, msgid_raw)
                if key in seen:
                    raise _Unusual
                seen.add(key)
            if keyword == "msgctxt":
                scan_context = [string]
            elif keyword == "msgid":
                msgid_raw = [string]
                entry_line = number
                if not scan.header_line and string == '""':
                    scan.header_line = number
                if previous and "msgid" not in previous:
                    raise _Unusual  # "#| msgctxt" alone
                if previous:
                    previous_ids[number], earlier_context = previous_strings(previous)
                    if earlier_context is not None:
                        scan.previous_contexts[number] = earlier_context
                    previous = {}
            if keyword[:6] == "msgstr":
                if current not in ("msgid", "msgid_plural", "msgstr"):
                    raise _Unusual
                if keyword != "msgstr":
                    forms[entry_line] = forms.get(entry_line, 0) + 1
                elif entry_line == scan.header_line:
                    in_header = True
                    header_parts.append(string[1:-1])
                scan_context = None
                current = "msgstr"
            else:
                current = keyword
            keyword_line(keyword, string, number, line_obsolete=False)  # Babel's reading
        if state == _CONTEXT or previous:
            raise _Unusual  # ("#|" lines above no entry: the full reader refuses them)
        finish()
        if self.build and not self.counter and (flags or user or auto):
            raise _Unusual  # Babel makes a header of comments without any entry
        if header_parts:
            _check_nplurals("".join(header_parts), self.path, scan.header_line)
        return PoEntries(
            path=self.path, entries=tuple(self.entries), layout=scan.layout(),
            obsolete=self.obsolete,
        )  # fmt: skip

    @staticmethod
    def _keyword(
        keyword: str, string: str, state: int, number: int, line_of_msgid: int
    ) -> tuple[int, list[str], int]:
        """The state after a keyword line, the list its strings go to, the msgid line."""
        if keyword == "msgctxt":
            if state != _IDLE:
                raise _Unusual
            return _CONTEXT, [string], line_of_msgid
        if keyword == "msgid":
            if state not in (_IDLE, _CONTEXT):
                raise _Unusual
            return _MSGID, [string], number
        if keyword == "msgid_plural":
            if state != _MSGID:
                raise _Unusual
            return _PLURAL, [string], line_of_msgid
        if keyword == "msgstr":
            if state != _MSGID:
                raise _Unusual
            return _MSGSTR, [string], line_of_msgid
        if state not in (_PLURAL, _FORMS):  # msgstr[n]
            raise _Unusual
        return _FORMS, [string], line_of_msgid

    @staticmethod
    def _add_form(keyword: str, parts: list[str], strings: list[tuple[int, list[str]]]) -> None:
        index = int(keyword[7:-1]) if keyword != "msgstr" else 0
        if index != len(strings):
            raise _Unusual  # forms out of order or repeated: the full reader refuses them
        strings.append((index, parts))

    def _locale_rule(self) -> None:
        """Without a Plural-Forms header: the catalog's locale's CLDR rule, as the full reader
        (:func:`~toolkit.catalogs.pofile._read_po`) has it."""
        forms = _cldr_forms(self.locale) if self.locale else None
        if forms is not None:
            use_rule(self.catalog, forms)

    def _plural_count(self) -> int:
        if self.nplurals is None:
            self.nplurals = self.catalog.num_plurals
        if not 1 <= self.nplurals <= MAX_NPLURALS:
            raise _Unusual  # the full reader refuses a huge count before Babel pads forms
        return self.nplurals

    def _add(
        self,
        obsolete: bool,
        msgid_parts: list[str],
        plural_parts: list[str] | None,
        string_parts: list[tuple[int, list[str]]],
        context_parts: list[str] | None,
        locations: list[tuple[str, int | None]],
        flags: list[str],
        user: list[str],
        auto: list[str],
        line: int,
        forms: dict[int, int],
        previous_ids: dict[int, tuple[str, ...]],
    ) -> None:
        msgid = _text(msgid_parts)
        msgctxt = _text(context_parts) if context_parts is not None else None
        if plural_parts is not None:
            count = self._plural_count()
            texts = [""] * count
            for index, parts in string_parts:
                if index >= count:
                    raise _Unusual  # Babel: more translations than num_plurals
                texts[index] = _text(parts)
            strings = tuple(texts)
            ids: tuple[str, ...] = (msgid, _text(plural_parts))
        else:
            strings = (_text(string_parts[0][1]),)
            ids = (msgid,)
        self.counter += 1
        if obsolete:  # two alike: msgfmt refuses them; the full reader says where
            old_key = ("#~", msgid, msgctxt)
            if old_key in self.keys:
                raise _Unusual
            self.keys.add(old_key)
            self.obsolete += 1
        written = format_flags(flags) if flags else _NO_FORMATS
        if written:
            self.formats[line] = written
        if self.build:
            self._message(obsolete, ids, strings, msgctxt, locations, flags, user, auto, line)
            return
        if obsolete:
            return
        if msgid == "" and plural_parts is None:
            # The header: Babel reads it into the catalog (Plural-Forms, Language).
            if self.counter != 1 or msgctxt is not None or self.nplurals is not None:
                raise _Unusual
            plain = _plain_header_plurals(strings[0], self.catalog)
            if plain is None:
                self.catalog[""] = Message("", strings[0], (), flags, auto, user, lineno=line)
                if self.catalog._num_plurals is None:  # noqa: SLF001 - no Plural-Forms
                    self._locale_rule()
            else:
                self.nplurals = plain
            return
        if not msgid:
            raise _Unusual
        key = (msgid, msgctxt)
        if key in self.keys:
            raise _Unusual  # Babel merges duplicates; the full reader reports them
        self.keys.add(key)
        flag_set = frozenset(flags)
        automatic = _auto_flags(ids)
        if automatic or flag_set & _AUTO_FLAGS:
            flag_set = (flag_set - _AUTO_FLAGS) | automatic
        # As Babel's Message: consecutive repeated comments once, repeated locations once.
        user_comments = _deduplicated(user)
        if len(locations) == 1:
            name, number = locations[0]
            places: tuple[str, ...] = (f"{name}:{number}" if number else name,)
        else:
            places = tuple(f"{p}:{n}" if n else p for p, n in dict.fromkeys(locations))
        self.entries.append(
            Entry(
                msgid=msgid,
                msgid_plural=ids[1] if len(ids) > 1 else None,
                msgctxt=msgctxt,
                strings=strings,
                flags=flag_set,
                auto_comments=_deduplicated(auto),
                user_comments=user_comments,
                locations=places,
                line=line,
                form_count=forms.get(line, len(strings)),
                written_formats=written,
            )
        )

    def _message(
        self,
        obsolete: bool,
        ids: tuple[str, ...],
        strings: tuple[str, ...],
        msgctxt: str | None,
        locations: list[tuple[str, int | None]],
        flags: list[str],
        user: list[str],
        auto: list[str],
        line: int,
    ) -> None:
        """What Babel's ``PoFileParser._add_message`` does with the entry just read."""
        catalog = self.catalog
        msgid: str | tuple[str, ...] = ids if len(ids) > 1 else ids[0]
        string: str | tuple[str, ...] = strings if len(ids) > 1 else strings[0]
        message = Message(
            msgid, string, locations, flags, auto, user,  # type: ignore[arg-type] # as Babel's
            lineno=line, context=msgctxt,
        )  # fmt: skip
        if obsolete:
            catalog.obsolete[catalog._key_for(msgid, msgctxt)] = message
            return
        if msgid == "":  # the header: Babel reads its fields into the catalog
            if self.counter != 1 or msgctxt is not None or self.nplurals is not None:
                raise _Unusual
            catalog[""] = message
            return
        if not ids[0]:
            raise _Unusual
        key = (ids[0], msgctxt)
        if key in self.keys:
            raise _Unusual  # Babel merges duplicates; the full reader reports them
        self.keys.add(key)
        catalog[msgid] = message


def _comment(
    line: str,
    locations: list[tuple[str, int | None]],
    flags: list[str],
    auto: list[str],
    user: list[str],
) -> None:
    """One (stripped) comment line, as Babel's parser reads it."""
    second = line[1:2]
    if second == ":":
        for location in line[2:].lstrip().split():
            name, colon, lineno = location.rpartition(":")
            if colon:
                try:
                    locations.append((name, int(lineno)))
                except ValueError:
                    continue
            else:
                locations.append((location, None))
    elif second == ",":
        flags.extend(flag.strip() for flag in line[2:].lstrip().split(","))
    elif second == ".":
        comment = line[2:].strip()
        if comment:
            auto.append(comment)
    else:
        user.append(line[1:].strip())


#: One entry of the common shape: comments (not ``#~``, ``#|`` or ``#-``), an optional msgctxt,
#: msgid and msgstr, each string on its keyword's line or on whole lines of their own after it,
#: written without extra spaces, and no string line after the entry and the empty lines that
#: follow it (a string line would continue its msgstr). Obsolete entries the same, each line
#: after ``#~ ``. Anything else (plural entries too) is read line by line.
_ENTRY_STARTS = ("#", "msgctxt ", "msgid ")
_ONE_LINE_STRING = _PO_STRING.replace('[^"\\\\]++', '[^"\\\\\\n]++')  # no newline inside
_LIVE_STRINGS = rf"{_ONE_LINE_STRING}(?:\n{_ONE_LINE_STRING})*+"
_OBSOLETE_STRINGS = rf"{_ONE_LINE_STRING}(?:\n\#~\ {_ONE_LINE_STRING})*+"
_SIMPLE_ENTRY = re.compile(
    rf"""(?P<comments>(?:\#(?![~|-])[^\n]*\n)*)
    (?:msgctxt\ (?P<msgctxt>{_LIVE_STRINGS})\n)?
    msgid\ (?P<msgid>{_LIVE_STRINGS})\n
    msgstr\ (?P<msgstr>{_LIVE_STRINGS})(?:\n+|\Z)
    (?!\s*")""",
    re.VERBOSE,
)
_OBSOLETE_ENTRY = re.compile(
    rf"""(?P<comments>(?:\#(?![~|-])[^\n]*\n)*)
    (?:\#~\ msgctxt\ (?P<msgctxt>{_OBSOLETE_STRINGS})\n)?
    \#~\ msgid\ (?P<msgid>{_OBSOLETE_STRINGS})\n
    \#~\ msgstr\ (?P<msgstr>{_OBSOLETE_STRINGS})(?:\n+|\Z)
    (?!\s*(?:\#~\s*)?")""",
    re.VERBOSE,
)


def _deduplicated(comments: list[str]) -> tuple[str, ...]:
    if len(comments) < 2:
        return tuple(comments)
    return tuple(c for c, _ in groupby(comments))


_HEADER_LINE = re.compile(r"([A-Za-z][A-Za-z0-9-]*): ([^\x00-\x1f\x7f]*)")
_HEADER_DATE = re.compile(r"(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d)(?:([+-])(\d\d)(\d\d))?")
_HEADER_PLURALS = re.compile(r"nplurals=(\d+); ?plural=[^;\"'\\]+;?")


def _plain_header_plurals(header: str, catalog: Catalog) -> int | None:
    """The number of plural forms Babel would read from a header of the plain shape every
    tool writes (``Name: value`` lines without control characters, dates as
    ``2025-01-31 12:00+0100``, ``nplurals=N; plural=...;``), or None for any other header:
    Babel reads that one (its e-mail header parser and ``strptime`` cost ~60 ms to import,
    more than reading the rest of a 3,000-entry catalog). Like Babel, a date that does not
    exist or a malformed ``Language`` is an error (here: None, and Babel raises it)."""
    lines = header.split("\n")
    if lines[-1] == "":
        lines.pop()
    fields = {}
    for line in lines:
        match = _HEADER_LINE.fullmatch(line)
        name = match.group(1).lower() if match else ""
        if match is None or name in fields:
            return None  # Babel reads every line of a repeated field
        fields[name] = match.group(2)
    for name in ("pot-creation-date", "po-revision-date"):
        value = fields.get(name, "")
        if not value.strip() or (name == "po-revision-date" and "YEAR" in value):
            continue
        date = _HEADER_DATE.fullmatch(value)
        if date is None:
            return None
        year, month, day, hour, minute = (int(date.group(i)) for i in range(1, 6))
        try:
            datetime.datetime(year, month, day, hour, minute)
        except ValueError:
            return None
        if date.group(6) and int(date.group(7)) * 60 + int(date.group(8)) >= 24 * 60:
            return None
    locale = catalog.locale
    if "language" in fields:
        identifier = fields["language"].replace("-", "_")
        try:
            locale = Locale.parse(identifier) if identifier else None
        except UnknownLocaleError:
            locale = None
        except ValueError:
            return None
    if "plural-forms" in fields:
        plurals = _HEADER_PLURALS.fullmatch(fields["plural-forms"].strip())
        return int(plurals.group(1)) if plurals else None
    if catalog.locale is not None:  # the catalog's own locale's CLDR rule, as the full reader
        forms = _cldr_forms(str(catalog.locale))
        if forms is not None:
            use_rule(catalog, forms)  # as the full reader
            return forms[0]
    return get_plural(locale)[0] if locale else 2
