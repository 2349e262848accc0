"""Customer rows for ``render-batch``: CSV or JSON Lines, read lazily, each row on its own.

Every row is validated where it is read: a row that is not valid UTF-8, too long, too deeply
nested, holds an out-of-range number or (JSONL) is not a JSON object becomes a problem string
with its line number, and reading goes on with the next row (issue 18: one bad row used to stop
the batch with a traceback). Memory per row is bounded by :data:`MAX_ROW_BYTES`.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Generator, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from ..errors import InputError

Row = tuple[int, dict[str, Any] | str]  # (line in the customers file, data or a problem)

#: A customer row (one JSONL line, or one CSV line) longer than this is a row error; the
#: reader never holds more than this of one line in memory.
MAX_ROW_BYTES = 1 << 20
#: Deepest JSON nesting accepted in a JSONL row (deeper rows are row errors, not crashes).
MAX_JSON_DEPTH = 64
#: Longest CSV field (the csv module's default limit, made explicit).
MAX_CSV_FIELD = 131_072
_UNDECODABLE = re.compile("[\udc80-\udcff]")


def read_customers(path: Path, source: CustomerFile | None = None) -> Iterator[Row]:
    """Customer rows of a ``.csv`` or ``.jsonl`` file, lazily, with their line numbers
    (``source``: its :func:`customer_file`, when the caller has it already).

    The file is opened and (for CSV) its header checked at once; rows are read as the returned
    iterator is consumed. Every row stands on its own: a row that is not valid UTF-8, too long,
    too deeply nested, holds an out-of-range number or (JSONL) is not a JSON object is yielded
    as a problem string with its line, and reading goes on with the next row.
    """
    if path.suffix.lower() in (".parquet", ".pq"):  # needs pyarrow (the 'dask' extra)
        from ..cluster.partitions import read_parquet_customers

        return read_parquet_customers(str(path))
    if source is None:
        source = customer_file(path)
    return CustomerRows(source, source.start, source.line)


@dataclass(frozen=True)
class CustomerFile:
    """A CSV or JSON Lines customers file with its header checked, and where its rows start:
    what a reader of one byte range of it (a ``render-batch --workers`` worker) needs."""

    path: Path
    kind: str  # "csv" or "jsonl"
    header: tuple[str, ...]  # CSV columns (empty for JSON Lines)
    start: int  # byte offset of the first row (after the CSV header)
    line: int  # lines before it


def customer_file(path: Path) -> CustomerFile:
    """The layout of a ``.csv`` or ``.jsonl`` customers file; InputError when it cannot be
    read, or (CSV) its header is unreadable or has no ``locale`` column."""
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".jsonl", ".ndjson"):
        raise InputError(
            f"{path}: customers must be a .csv or .jsonl file (or .parquet with the dask extra).",
            hint="Export one customer per row with a 'locale' column.",
        )
    if suffix != ".csv":
        _open(path).close()
        return CustomerFile(path, "jsonl", (), 0, 0)
    lines = _LineReader(_open(path))
    with lines.handle:
        header = _csv_header(csv.reader(lines), lines, path)
    if header is None:
        raise InputError(
            f"{path}: the customers file is empty (no header row).",
            hint="Export it with a header row naming the columns, 'locale' among them.",
        )
    check_csv_header(header, str(path))
    return CustomerFile(path, "csv", tuple(header or ()), lines.position, lines.number)


def check_csv_header(header: Sequence[str], source: str) -> None:
    """A customers CSV header names a ``locale`` column, and no column twice (the second
    value silently won: a customer greeted by another column's name)."""
    if not any(name.strip() for name in header):
        raise InputError(
            f"{source}:1: the first line is empty; it must be the header naming the columns.",
            hint="Remove blank lines before the header (id,locale,first_name,...).",
        )
    padded = [name for name in header if name.strip() != name and name.strip()]
    if padded:  # ' first_name' is a field no template can name
        shown = ", ".join(repr(n) for n in padded[:4]) + (
            f", ... ({len(padded)} in all)" if len(padded) > 4 else ""
        )
        raise InputError(
            f"{source}:1: column names have spaces around them ({shown}): names are read "
            "as written, so templates would not find these fields"
            + (" and there is no 'locale' column." if "locale" not in header else "."),
            hint="Write the header (and the rows: values keep their spaces too) without "
            "spaces after the commas: id,locale,first_name.",
        )
    if "locale" not in header:
        raise InputError(
            f"{source}:1: no 'locale' column (columns: {', '.join(header)}).",
            hint="Add a 'locale' column with each customer's locale, e.g. da_DK.",
        )
    seen: dict[str, int] = {}
    for number, name in enumerate(header, 1):
        if not name.strip():
            continue  # an empty name (a spreadsheet's trailing commas): a column nobody reads
        if name in seen:
            raise InputError(
                f"{source}:1: column '{name}' appears twice (columns {seen[name]} and {number}).",
                hint="Rename or remove one of them: each field needs one column.",
            )
        seen[name] = number
    for name in seen:  # user and user.email: a value that is also an object of fields
        paths = column_path(name)
        if paths is not None and len(paths) > MAX_JSON_DEPTH:  # as JSON data is limited
            raise InputError(
                f"{source}:1: column '{name[:60]}...' nests {len(paths)} fields deep, more "
                f"than the {MAX_JSON_DEPTH} levels customer data may have.",
                hint="Shorten the column name: each dot is one level of nesting.",
            )
        for end in range(1, len(paths or ())):
            parent = ".".join(paths[:end])  # type: ignore[index]
            if parent in seen:
                raise InputError(
                    f"{source}:1: columns '{parent}' and '{name}' both give {parent}: a "
                    f"column named {name} makes {parent} an object of fields.",
                    hint=f"Rename one of them (each dotted column becomes a field of "
                    f"{parent}; the template reads it as {name}).",
                )


def column_path(name: str) -> tuple[str, ...] | None:
    """The fields a dotted CSV column names (``user.email`` -> ``("user", "email")``), or None
    for a plain column: a CSV is flat, and templates read nested fields (Flask-Security's
    ``user.email``) the way a JSON object gives them. Only names whose every part could be a
    template's attribute are split (``e-mail.x`` stays one column).

    >>> column_path("user.email"), column_path("email"), column_path("e-mail.x")
    (('user', 'email'), None, None)
    """
    if "." not in name:
        return None
    parts = tuple(name.split("."))
    return parts if all(part.isidentifier() for part in parts) else None


def _nested_row(header: list[str], paths: list[tuple[str, ...] | None], values: list[str]
                ) -> dict[str, Any]:  # fmt: skip
    """A CSV row with its dotted columns as nested fields (see :func:`column_path`)."""
    row: dict[str, Any] = {}
    for name, path, value in zip(header, paths, values, strict=True):
        if path is None:
            row[name] = value
            continue
        node = row
        for part in path[:-1]:
            node = node.setdefault(part, {})
        node[path[-1]] = value
    return row


def _open(path: Path) -> IO[bytes]:
    if path.is_char_device() or path.is_block_device():  # /dev/zero would never end a line
        raise InputError(f"{path}: customers must be a file, not a device.")
    if path.is_fifo():  # read twice (the header, then the rows from where a share starts)
        raise InputError(
            f"{path}: customers must be a file, not a pipe (FIFO): render-batch reads the "
            "header first and then the rows, opening the file again.",
            hint="Write the customers to a .csv or .jsonl file first and give its path.",
        )
    try:
        return path.open("rb")
    except OSError as exc:
        raise InputError(f"cannot read customers file {path}: {exc.strerror}.") from exc


class CustomerRows:
    """The rows of a customers file from byte ``start`` (where a row starts, ``line`` lines
    into the file) on, numbered as in the whole file; with ``stop``, up to the last row that
    starts before byte ``stop`` (read to its end, wherever that is). After reading, ``end``
    and ``end_line`` say where the next row starts: ``stop`` itself when ``stop`` was where a
    row starts, further on when a row (a CSV value with line breaks) runs across it."""

    def __init__(
        self, source: CustomerFile, start: int, line: int, stop: int | None = None
    ) -> None:
        self.source = source
        handle = _open(source.path)
        if start:
            handle.seek(start)
        if source.kind == "csv":
            self._lines = _LineReader(handle, line=line, position=start)
            self._rows: Generator[Row, None, None] = _csv_rows(
                csv.reader(self._lines), self._lines, list(source.header), shift=line, stop=stop
            )
        else:
            self._lines = _LineReader(handle, line=line, position=start, stop=stop)
            self._rows = _jsonl_rows(self._lines)

    def __iter__(self) -> CustomerRows:
        return self

    def __next__(self) -> Row:
        return next(self._rows)

    def close(self) -> None:
        self._rows.close()
        self._lines.handle.close()

    def __enter__(self) -> CustomerRows:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def end(self) -> int:
        return self._lines.position

    @property
    def end_line(self) -> int:
        return self._lines.number


class _LineReader:
    """Lines of a binary file decoded one by one (UTF-8, BOM skipped), at most ``MAX_ROW_BYTES``
    each. Undecodable bytes become lone surrogates (rows holding them are refused later); an
    overlong line is skipped and recorded in ``problems`` so the row reader can report it."""

    def __init__(
        self, handle: IO[bytes], *, line: int = 0, position: int = 0, stop: int | None = None
    ) -> None:
        self.handle = handle
        self.number = line  # lines read (from the start of the file)
        self.position = position  # byte offset of the next line
        self.stop = stop  # no line starting at or after this offset is read
        self.problems: list[tuple[int, str]] = []
        #: The CSV record being read: the number of its first line and its quote count
        #: (reset by the row reader before each record), and whether the input has ended.
        self.first: int | None = None
        self.quotes = 0
        self.ended = False

    def __iter__(self) -> Iterator[str]:
        with self.handle:
            while self.stop is None or self.position < self.stop:
                raw = self.handle.readline(MAX_ROW_BYTES + 1)
                if not raw:
                    self.ended = True
                    return
                self.number += 1
                if self.first is None:
                    self.first = self.number
                self.quotes += raw.count(b'"')
                self.position += len(raw)
                if len(raw) > MAX_ROW_BYTES and not raw.endswith(b"\n"):
                    while raw and not raw.endswith(b"\n"):  # skip the rest of the line
                        raw = self.handle.readline(MAX_ROW_BYTES)
                        self.position += len(raw)
                    self.problems.append(
                        (self.number, f"row longer than {MAX_ROW_BYTES:,} bytes")
                    )
                    yield "\n"
                    continue
                if self.number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                    raw = raw[3:]
                yield raw.decode("utf-8", "surrogateescape")


def _swallowed_rows(values: list[str], header: list[str]) -> bool:
    r"""Whether a value with line breaks holds a whole customer row: a line of as many cells as
    the header with a locale in the locale column (rows read into it by a stray quote). An
    address or a note has line breaks and commas, not a locale where the header has one.

    >>> header = ["id", "locale", "first_name", "note"]
    >>> _swallowed_rows(["1", "da", 'Anna,1\n2,da_DK,Bo,plain'], header)
    True
    >>> _swallowed_rows(["1", "da", "A", "To:\nHovedgaden 5, 2. sal, th., 8000 Aarhus"], header)
    False
    """
    if "locale" not in header or len(header) < 3:
        return False
    column = header.index("locale")
    for value in values:
        if "\n" not in value:
            continue
        for line in value.split("\n")[1:]:
            cells = line.split(",")
            if len(cells) == len(header) and _LOCALE_CELL.fullmatch(cells[column].strip()):
                return True
    return False


_LOCALE_CELL = re.compile(r"[A-Za-z]{2,3}(?:[_-][A-Za-z0-9]{2,8}){0,3}")


def _row_problem(text: str) -> str | None:
    match = _UNDECODABLE.search(text)
    if match:
        return f"not valid UTF-8 (column {match.start() + 1}); save the file as UTF-8"
    return None


def _json_keys(text: str) -> int | None:
    """How many object keys the JSON text writes (a string followed by ``:``), or None when
    brackets nest deeper than ``MAX_JSON_DEPTH`` (checked before parsing, so a 100,000-deep
    line costs one pass, not a RecursionError). More keys written than the parsed objects
    hold means a key given twice in one object, whose first value JSON parsers drop."""
    depth = keys = 0
    in_string = escaped = after_string = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
                after_string = True
            continue
        if after_string:
            if char in " \t\r\n":
                continue
            after_string = False
            if char == ":":
                keys += 1
                continue
        if char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > MAX_JSON_DEPTH:
                return None
        elif char in "]}":
            depth -= 1
    return keys


def _key_count(value: Any) -> int:
    if type(value) is dict:
        return len(value) + sum(_key_count(v) for v in value.values())
    if type(value) is list:
        return sum(_key_count(v) for v in value)
    return 0


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """An object's pairs as a dict; ValueError naming a key given twice."""
    seen: set[str] = set()
    for key, _ in pairs:
        if key in seen:
            raise ValueError(f"key '{key[:60]}' appears twice in one object; give each field once")
        seen.add(key)
    return dict(pairs)


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number a message can show")


#: The most digits a JSON integer may have: Python's own bound on int-from-text conversion.
MAX_INT_DIGITS = 4300


def _bounded_int(digits: str) -> int:
    count = len(digits.lstrip("-"))
    if count > MAX_INT_DIGITS:  # Python's own error names sys.set_int_max_str_digits()
        raise ValueError(f"a number has {count:,} digits (at most {MAX_INT_DIGITS:,}); "
                         "give the value as it should be shown")
    return int(digits)


def load_customer_json(text: str) -> Any:
    """One customer's JSON data, parsed within the limits: ValueError (JSONDecodeError for
    syntax) for nesting over ``MAX_JSON_DEPTH``, NaN/Infinity, or integers over 4,300 digits."""
    keys = _json_keys(text)
    if keys is None:
        raise ValueError(f"nested deeper than {MAX_JSON_DEPTH} levels")
    try:
        data = json.loads(text, parse_constant=_reject_constant, parse_int=_bounded_int)
        if keys != _key_count(data):  # a key given twice (the first value silently lost)
            json.loads(text, parse_constant=_reject_constant, parse_int=_bounded_int,
                       object_pairs_hook=_unique_keys)  # fmt: skip
        return data
    except RecursionError as exc:  # pragma: no cover - the depth check comes first
        raise ValueError(f"nested deeper than {MAX_JSON_DEPTH} levels") from exc


def _jsonl_rows(lines: _LineReader) -> Generator[Row, None, None]:
    for line in lines:
        while lines.problems:
            yield lines.problems.pop(0)
        number = lines.number
        if not line.strip():
            continue
        problem = _row_problem(line)
        if problem is not None:
            yield number, problem
            continue
        try:
            data = load_customer_json(line)
        except json.JSONDecodeError as exc:
            yield number, f"not valid JSON: {exc.msg} (column {exc.colno})"
            continue
        except ValueError as exc:  # deep nesting, 5,000-digit integers, NaN, Infinity
            problem = str(exc)
            plain = problem.startswith(("nested", "key "))
            yield number, problem if plain else f"unusable value: {exc}"
            continue
        yield (number, data) if isinstance(data, dict) else (number, "not a JSON object")


def _csv_header(reader: Any, lines: _LineReader, path: Path) -> list[str] | None:
    try:
        header = next(reader, None)
    except csv.Error as exc:
        if "new-line character seen in unquoted field" in str(exc):  # CR-only line ends
            raise InputError(
                f"{path}:1: the file ends its lines with a carriage return alone (old Mac "
                "line endings), which CSV readers do not take.",
                hint="Save it with LF or CRLF line endings (e.g. 'tr \"\\r\" \"\\n\"').",
            ) from exc
        raise InputError(f"{path}:1: unreadable CSV header: {exc}.") from exc
    if header is not None and (lines.problems or any(_row_problem(h) for h in header)):
        raise InputError(
            f"{path}:1: the CSV header is not valid UTF-8 or too long.",
            hint="Save the file as UTF-8 with one header line.",
        )
    return header


def _csv_rows(
    reader: Any, lines: _LineReader, header: list[str], *, shift: int = 0, stop: int | None = None
) -> Generator[Row, None, None]:
    """Rows of ``reader`` numbered ``shift`` + its line count; with ``stop``, rows that start
    at or after byte ``stop`` are not read (a record started before it is read to its end)."""
    previous = csv.field_size_limit()
    paths = [column_path(name) for name in header]
    nested = any(paths)
    while stop is None or lines.position < stop:
        csv.field_size_limit(MAX_CSV_FIELD)
        lines.first, lines.quotes = None, 0
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:  # an overlong field: this row only
            why = str(exc)
            if "new-line character seen in unquoted field" in why:  # (Python's advice is
                # about its own open(): for a customer file it is a CR inside a value)
                why = ("a line break (CR) inside a value that is not quoted: quote the value "
                       "or remove the line break")
            yield shift + reader.line_num, f"unreadable CSV row: {why}"
            continue
        finally:
            csv.field_size_limit(previous)
        while lines.problems:
            yield lines.problems.pop(0)
        if not values:
            continue
        # A record is numbered by its first line (one with a line break in a quoted value
        # spans several).
        first = shift + reader.line_num - (lines.number - (lines.first or lines.number))
        if lines.ended and lines.quotes % 2 and lines.number > (lines.first or lines.number):
            # A quote opened and never closed: the csv module reads the rest of the file as
            # one value, and every customer after it was gone without a word.
            last = shift + reader.line_num
            yield first, (
                f'a quote (") opened in this row is never closed: lines {first}-{last}, to '
                "the end of the file, were read as one value and none of them was rendered; "
                'remove the stray " or close it (a quote inside a value is written "")'
            )
            continue
        if lines.number > (lines.first or lines.number) and _swallowed_rows(values, header):
            yield first, (
                f'a quote (") opened in this row closes only on line {shift + reader.line_num}: '
                f"lines {first}-{shift + reader.line_num} were read as one value, customers "
                'among them; remove the stray " (a quote inside a value is written "")'
            )
            continue
        if len(values) > len(header):
            yield first, "more values than columns"
            continue
        if _UNDECODABLE.search("".join(values)):  # one scan; the column only when needed
            problem = next((p for p in map(_row_problem, values) if p), None)
            if problem is not None:
                yield first, problem
                continue
        if len(values) < len(header):  # trailing cells left out: blank, as empty cells are
            values += [""] * (len(header) - len(values))
        if nested:
            yield first, _nested_row(header, paths, values)
        else:
            yield first, dict(zip(header, values, strict=True))
    while lines.problems:
        yield lines.problems.pop(0)
