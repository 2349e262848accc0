"""``toolkit render-batch``: one message per customer, each in the customer's own locale.

Customers come from CSV (every value a string) or JSON Lines (types kept), one per row; the
``locale`` field picks the locale, every other field is template data. Rows are read, rendered
and written one chunk at a time, so memory stays flat however long the file is. With several
workers, chunks go to a process pool (``imap``: output keeps input order) and at most a few
chunks per worker are in flight. A row that cannot be rendered (unknown locale, missing field,
bad value) is reported with its line number and the batch goes on.

Output is a JSON Lines file (written to a temp file, renamed when complete) or a folder with
one ``<id>.json`` per customer, each written atomically.
"""

from __future__ import annotations

import contextlib
import csv
import json
import multiprocessing
import re
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from ..config import ProjectConfig
from ..errors import InputError, ToolkitError
from ..fsutil import atomic_open, write_text_atomic
from .message import ARTICLE_SUFFIXES, Renderer

CHUNK_ROWS = 256
IN_FLIGHT_PER_WORKER = 4
_SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$")

Row = tuple[int, dict[str, Any] | str]  # (line in the customers file, data or a problem)
Result = tuple[int, str | None, str | None, str | None]  # (line, id, JSON line, error)


@dataclass(frozen=True)
class RowError:
    """A customer row that was not rendered."""

    row: int  # line in the customers file (CSV header is line 1)
    id: str | None
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "id": self.id, "error": self.reason}


@dataclass(frozen=True)
class BatchResult:
    """What a batch did."""

    rendered: int
    failed: int
    out: Path | None  # None when written to stdout
    seconds: float

    @property
    def rows(self) -> int:
        return self.rendered + self.failed


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
    if suffix not in (".csv", ".jsonl", ".ndjson"):
        raise InputError(
            f"{path}: customers must be a .csv or .jsonl file.",
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
        problem = next((p for p in map(_row_problem, values) if p), None)
        if problem is not None:
            yield reader.line_num, problem
            continue
        yield reader.line_num, dict(zip(header, values, strict=False))
    while lines.problems:
        yield lines.problems.pop(0)


def _chunks(rows: Iterable[Row], size: int) -> Iterator[list[Row]]:
    chunk: list[Row] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class _BatchRenderer:
    """Renders rows to JSON lines (runs in the main process or in each worker)."""

    def __init__(self, renderer: Renderer, template: str, id_column: str) -> None:
        self.renderer = renderer
        self.template = template
        self.id_column = id_column

    def chunk(self, rows: list[Row]) -> list[Result]:
        return [self.row(number, data) for number, data in rows]

    def row(self, number: int, data: dict[str, Any] | str) -> Result:
        if isinstance(data, str):
            return number, None, None, data
        raw_id = data.get(self.id_column)
        customer_id = None if raw_id in (None, "") else str(raw_id)
        locale = data.get("locale")
        if not isinstance(locale, str) or not locale.strip():
            return number, customer_id, None, "no locale"
        try:
            message = self.renderer.render(self.template, locale.strip(), data)
        except ToolkitError as exc:
            return number, customer_id, None, str(exc)
        except Exception as exc:  # one broken row must not stop a million-row batch
            return number, customer_id, None, f"{type(exc).__name__}: {exc}"
        record = {"row": number, "id": customer_id, **message.as_dict(full_payment_methods=False)}
        return number, customer_id, json.dumps(record, ensure_ascii=False, default=str), None


_WORKER: _BatchRenderer | None = None


def _init_worker(
    config: ProjectConfig, template: str, id_column: str, from_po: bool, use_fuzzy: bool
) -> None:
    global _WORKER
    # Ctrl-C goes to the whole process group: the main process stops the pool and removes
    # its temp files; workers ignore it instead of printing a traceback each.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    renderer = Renderer(config, from_po=from_po, use_fuzzy=use_fuzzy)
    _WORKER = _BatchRenderer(renderer, template, id_column)


def _worker_chunk(rows: list[Row]) -> list[Result]:
    assert _WORKER is not None, "worker not initialised"
    return _WORKER.chunk(rows)


def render_batch(
    config: ProjectConfig,
    template: str,
    customers: Path,
    out: Path | None,
    *,
    workers: int = 1,
    from_po: bool = False,
    use_fuzzy: bool = False,
    id_column: str = "id",
    chunk_rows: int = CHUNK_ROWS,
    on_error: Callable[[RowError], None] | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    stdout: IO[str] | None = None,
) -> BatchResult:
    """Render ``template`` for every customer row; write JSONL to ``out`` (a ``.jsonl`` path),
    one JSON file per customer into ``out`` (a folder), or JSONL to ``stdout`` when ``out`` is
    None. Rows that fail go to ``on_error``; ``on_progress(rendered, failed)`` after each chunk.
    """
    if workers < 1:
        raise InputError("--workers must be 1 or more.")
    renderer = Renderer(config, from_po=from_po, use_fuzzy=use_fuzzy)
    # Fail fast, for the whole batch, on what no row can fix: a missing or broken template.
    if not template.lower().endswith(ARTICLE_SUFFIXES):
        renderer.templates(template, renderer.locale_state(config.source_locale))
    to_dir = check_output(out)
    if to_dir and out is not None:
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError(f"cannot create output folder {out}: {exc.strerror}.") from exc
    rows = read_customers(customers)
    started = time.perf_counter()
    rendered = failed = 0
    names = OutputNames()

    def handle(results: list[Result], sink: IO[str] | None) -> None:
        nonlocal rendered, failed
        for number, customer_id, line, error in results:
            if line is not None and to_dir and out is not None:
                name, problem = names.claim(customer_id, number)
                if problem is not None:
                    error, line = problem, None
                else:
                    write_text_atomic(out / f"{name}.json", line + "\n")
            elif line is not None and sink is not None:
                sink.write(line + "\n")
            if line is None:
                failed += 1
                if on_error is not None:
                    on_error(RowError(number, customer_id, error or "unknown error"))
            else:
                rendered += 1
        if on_progress is not None:
            on_progress(rendered, failed)

    def run(sink: IO[str] | None) -> None:
        if workers == 1:
            local = _BatchRenderer(renderer, template, id_column)
            for chunk in _chunks(rows, chunk_rows):
                handle(local.chunk(chunk), sink)
            return
        slots = threading.BoundedSemaphore(workers * IN_FLIGHT_PER_WORKER)

        def feed() -> Iterator[list[Row]]:
            for chunk in _chunks(rows, chunk_rows):
                slots.acquire()
                yield chunk

        context = multiprocessing.get_context("spawn")
        with context.Pool(
            workers, _init_worker, (config, template, id_column, from_po, use_fuzzy)
        ) as pool:
            for results in pool.imap(_worker_chunk, feed()):
                slots.release()
                handle(results, sink)

    try:
        with _sigterm_as_interrupt():
            if to_dir:
                run(None)
            elif out is None:
                run(stdout)
            else:
                with atomic_open(out, "w", encoding="utf-8") as sink:
                    run(sink)
    finally:
        close = getattr(rows, "close", None)
        if close is not None:  # an aborted batch still closes the customers file
            close()
    return BatchResult(rendered, failed, out, time.perf_counter() - started)


def check_output(out: Path | None) -> bool:
    """True when ``out`` is a folder of per-customer files; refuses what cannot be written to
    (``/dev/null``, an existing file given as a folder, a folder given as a ``.jsonl``)."""
    if out is None:
        return False
    to_dir = out.suffix.lower() not in (".jsonl", ".ndjson", ".json")
    if out.exists() or out.is_symlink():
        if to_dir and not out.is_dir():
            raise InputError(
                f"--out {out} exists and is not a folder.",
                hint="Give a new or existing folder, or a path ending in .jsonl.",
            )
        if not to_dir and not out.is_file():
            raise InputError(
                f"--out {out} is not a regular file.",
                hint="Give a path ending in .jsonl for one file, or '-' for standard output.",
            )
    return to_dir


class OutputNames:
    """File names of per-customer output in one run: each name is used once (compared without
    case, for case-insensitive file systems); a second row with the same name is a row error."""

    def __init__(self) -> None:
        self._rows: dict[str, int] = {}

    def claim(self, customer_id: str | None, row: int) -> tuple[str, str | None]:
        """``(name, None)``, or ``(name, problem)`` when the name is unusable or taken."""
        name = customer_id or f"row-{row}"
        if not _SAFE_ID.match(name) or ".." in name:
            return name, f"id {name!r} cannot be used as a file name"
        key = name.casefold()
        first = self._rows.get(key)
        if first is not None:
            return name, (
                f"output name {name!r} is already used by row {first}; "
                "give every customer a unique id"
            )
        self._rows[key] = row
        return name, None


@contextlib.contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """During a batch, SIGTERM unwinds like Ctrl-C so temp files are removed."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
