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
from collections.abc import Iterator
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


def read_customers(path: Path) -> Iterator[Row]:
    """Customer rows of a ``.csv`` or ``.jsonl`` file, lazily, with their line numbers.

    The file is opened and (for CSV) its header checked at once; rows are read as the returned
    iterator is consumed. Every row stands on its own: a row that is not valid UTF-8, too long,
    too deeply nested, holds an out-of-range number or (JSONL) is not a JSON object is yielded
    as a problem string with its line, and reading goes on with the next row.
    """
    suffix = path.suffix.lower()
    if suffix in (".parquet", ".pq"):  # needs pyarrow (the 'dask' extra)
        from ..cluster.partitions import read_parquet_customers

        return read_parquet_customers(str(path))
    if suffix not in (".csv", ".jsonl", ".ndjson"):
        raise InputError(
            f"{path}: customers must be a .csv or .jsonl file (or .parquet with the dask extra).",
            hint="Export one customer per row with a 'locale' column.",
        )
    if path.is_char_device() or path.is_block_device():  # /dev/zero would never end a line
        raise InputError(f"{path}: customers must be a file, not a device.")
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise InputError(f"cannot read customers file {path}: {exc.strerror}.") from exc
    lines = _LineReader(handle)
    if suffix != ".csv":
        return _jsonl_rows(lines)
    reader = csv.reader(lines)
    header = _csv_header(reader, lines, path)
    if header is not None and "locale" not in header:
        handle.close()
        raise InputError(
            f"{path}:1: no 'locale' column (columns: {', '.join(header)}).",
            hint="Add a 'locale' column with each customer's locale, e.g. da_DK.",
        )
    return _csv_rows(reader, lines, header or [])


class _LineReader:
    """Lines of a binary file decoded one by one (UTF-8, BOM skipped), at most ``MAX_ROW_BYTES``
    each. Undecodable bytes become lone surrogates (rows holding them are refused later); an
    overlong line is skipped and recorded in ``problems`` so the row reader can report it."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle = handle
        self.number = 0
        self.problems: list[tuple[int, str]] = []

    def __iter__(self) -> Iterator[str]:
        with self.handle:
            while True:
                raw = self.handle.readline(MAX_ROW_BYTES + 1)
                if not raw:
                    return
                self.number += 1
                if len(raw) > MAX_ROW_BYTES and not raw.endswith(b"\n"):
                    while raw and not raw.endswith(b"\n"):  # skip the rest of the line
                        raw = self.handle.readline(MAX_ROW_BYTES)
                    self.problems.append(
                        (self.number, f"row longer than {MAX_ROW_BYTES:,} bytes")
                    )
                    yield "\n"
                    continue
                if self.number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                    raw = raw[3:]
                yield raw.decode("utf-8", "surrogateescape")


def _row_problem(text: str) -> str | None:
    match = _UNDECODABLE.search(text)
    if match:
        return f"not valid UTF-8 (column {match.start() + 1}); save the file as UTF-8"
    return None


def _json_depth_ok(text: str) -> bool:
    """False when brackets nest deeper than ``MAX_JSON_DEPTH`` (checked before parsing, so a
    100,000-deep line costs one pass, not a RecursionError)."""
    depth = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > MAX_JSON_DEPTH:
                return False
        elif char in "]}":
            depth -= 1
    return True


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number a message can show")


def load_customer_json(text: str) -> Any:
    """One customer's JSON data, parsed within the limits: ValueError (JSONDecodeError for
    syntax) for nesting over ``MAX_JSON_DEPTH``, NaN/Infinity, or integers over 4,300 digits."""
    if not _json_depth_ok(text):
        raise ValueError(f"nested deeper than {MAX_JSON_DEPTH} levels")
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except RecursionError as exc:  # pragma: no cover - the depth check comes first
        raise ValueError(f"nested deeper than {MAX_JSON_DEPTH} levels") from exc


def _jsonl_rows(lines: _LineReader) -> Iterator[Row]:
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
            yield number, problem if problem.startswith("nested") else f"unusable value: {exc}"
            continue
        yield (number, data) if isinstance(data, dict) else (number, "not a JSON object")


def _csv_header(reader: Any, lines: _LineReader, path: Path) -> list[str] | None:
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise InputError(f"{path}:1: unreadable CSV header: {exc}.") from exc
    if header is not None and (lines.problems or any(_row_problem(h) for h in header)):
        raise InputError(
            f"{path}:1: the CSV header is not valid UTF-8 or too long.",
            hint="Save the file as UTF-8 with one header line.",
        )
    return header


def _csv_rows(reader: Any, lines: _LineReader, header: list[str]) -> Iterator[Row]:
    previous = csv.field_size_limit()
    while True:
        csv.field_size_limit(MAX_CSV_FIELD)
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:  # an overlong field: this row only
            yield reader.line_num, f"unreadable CSV row: {exc}"
            continue
        finally:
            csv.field_size_limit(previous)
        while lines.problems:
            yield lines.problems.pop(0)
        if not values:
            continue
        if len(values) > len(header):
            yield reader.line_num, "more values than columns"
            continue
        if _UNDECODABLE.search("".join(values)):  # one scan; the column only when needed
            problem = next((p for p in map(_row_problem, values) if p), None)
            if problem is not None:
                yield reader.line_num, problem
                continue
        yield reader.line_num, dict(zip(header, values, strict=False))
    while lines.problems:
        yield lines.problems.pop(0)
