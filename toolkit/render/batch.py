"""``toolkit render-batch``: one message per customer, each in the customer's own locale.

Customers come from CSV (every value a string) or JSON Lines (types kept), one per row; the
``locale`` field picks the locale, every other field is template data. Rows are read, rendered
and written one chunk at a time, so memory stays flat however long the file is. With several
workers, each reads and renders its own byte ranges of a CSV or JSONL file (:mod:`.ranges`;
Parquet rows are sent in chunks), results are taken in file order (output keeps input order)
and at most a few ranges per worker are in flight. A row that cannot be rendered
(unknown locale, missing field, bad value) is reported with its line number and the batch goes
on.

Output is a JSON Lines file (written to a temp file, renamed when complete) or a folder with
one ``<id>.json`` per customer, each written atomically.
"""

from __future__ import annotations

import collections
import contextlib
import dataclasses
import functools
import itertools
import json
import multiprocessing
import os
import re
import shutil
import signal
import stat
import sys
import threading
import time
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, TypeVar

from ..config import ProjectConfig
from ..errors import InputError, ToolkitError
from ..fsutil import (
    atomic_open,
    new_temp_file,
    refuse_output_over_input,
    remove_stale_temps,
    remove_stale_temps_in,
)
from .customers import (
    CustomerFile,
    CustomerRows,
    Row,
    customer_file,
    load_customer_json,
    read_customers,
)

__all__ = ["BatchResult", "RowError", "load_customer_json", "read_customers", "render_batch"]
from .message import (
    ARTICLE_SUFFIXES,
    RenderedMessage,
    Renderer,
    SmsReport,
    has_control_characters,
)
from .message import timer_signal as _timer_signal
from .ranges import ByteRange, split_ranges
from .spool import SpooledPart, copy_part, make_spool, spool

CHUNK_ROWS = 256
IN_FLIGHT_PER_WORKER = 4
_SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$")

Result = tuple[int, str | None, str | None, str | None]  # (line, id, JSON line, error)


@dataclass(frozen=True)
class RowError:
    """A customer row that was not rendered."""

    row: int  # line in the customers file (CSV header is line 1)
    id: str | None
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "id": self.id, "error": self.reason}

    @property
    def where(self) -> str:
        """``row 7 (id c7)`` as an error line names the row: an id that would break the line
        (a line break in it) or fill the screen is shown escaped and cut (QA pass 71).

        >>> RowError(3, "c7", "no locale").where, RowError(4, "x" * 50, "no locale").where
        ('row 3 (id c7)', "row 4 (id 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'…)")
        """
        if not self.id:
            return f"row {self.row}"
        shown = self.id
        if not shown.isprintable() or len(shown) > _ID_SHOWN:
            shown = repr(shown[:_ID_SHOWN]) + ("…" if len(shown) > _ID_SHOWN else "")
        return f"row {self.row} (id {shown})"


#: The characters of a customer id an error line shows.
_ID_SHOWN = 40


@dataclass(frozen=True)
class BatchResult:
    """What a batch did."""

    rendered: int
    failed: int
    out: Path | None  # None when written to stdout
    seconds: float
    #: Rows written into a folder as ``row-<line>.json``: they had no id (``--id-column``).
    unnamed: int = 0

    @property
    def rows(self) -> int:
        return self.rendered + self.failed


T = TypeVar("T")


def _chunks(rows: Iterable[T], size: int) -> Iterator[list[T]]:
    chunk: list[T] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def refuse_missing_id_column(source: str, header: Sequence[str], id_column: str) -> None:
    """An ``--id-column`` other than the default that a CSV header does not name (``user.id``
    names the dotted column; ``user``, the object of them, is no id): every file was silently
    named ``row-N``."""
    if id_column == "id" or id_column in header:
        return
    raise InputError(
        f"{source}:1: no column '{id_column}' for --id-column (columns: "
        f"{', '.join(header[:12])}{', ...' if len(header) > 12 else ''}).",
        hint="Name a column of the header (a dotted one, user.id, for a nested field), or "
        "leave --id-column out to use 'id' (rows without one are named row-<line>).",
    )


def _nested_value(data: dict[str, Any], dotted: str) -> Any:
    """The value at a dotted path (``user.id``) in a row's nested fields, or None."""
    value: Any = data
    for part in dotted.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return None if isinstance(value, (dict, list)) else value


class _BatchRenderer:
    """Renders rows to JSON lines (runs in the main process or in each worker)."""

    def __init__(
        self, renderer: Renderer, template: str, id_column: str, strict: bool = False
    ) -> None:
        self.renderer = renderer
        self.template = template
        self.id_column = id_column
        self.strict = strict
        self.lines = JsonLines()
        self.encode = False  # in a pool writing a JSONL file: chunks as EncodedChunk

    def chunk(self, rows: list[Row]) -> list[Result]:
        with _timer_signal(self.renderer.config.render_timeout):
            return [self.row(number, data) for number, data in rows]

    def prepare(self, rows: list[Row]) -> None:
        """Before a pool forks: render the first row of each locale among ``rows`` (results
        dropped), so that every worker starts with the locales' environments, compiled
        templates, catalogs and Babel data already loaded, instead of loading them in each
        worker."""
        seen = set()
        with contextlib.suppress(Exception), _timer_signal(self.renderer.config.render_timeout):
            for number, data in rows:
                locale = data.get("locale") if isinstance(data, dict) else None
                if isinstance(locale, str) and locale not in seen:
                    seen.add(locale)
                    self.row(number, data)

    def row(self, number: int, data: dict[str, Any] | str) -> Result:
        if isinstance(data, str):
            return number, None, None, data
        raw_id = data.get(self.id_column)
        if raw_id is None and "." in self.id_column:  # user.id: a nested field (CSV user.id)
            raw_id = _nested_value(data, self.id_column)
        if isinstance(raw_id, (dict, list)):  # an object (CSV id.x): not an id to name files
            raw_id = None
        customer_id = None if raw_id in (None, "") else str(raw_id)
        if customer_id is not None and has_control_characters(customer_id):
            # (a lone surrogate cannot even be written to the JSON Lines file)
            return number, None, None, (
                f"{self.id_column} '{customer_id.encode('utf-8', 'backslashreplace').decode()}'"
                " has a control character or a lone surrogate; fix the id in the data"
            )
        locale = data.get("locale")
        if locale is not None and not isinstance(locale, str):
            return number, customer_id, None, (
                f"locale is {json.dumps(locale)[:40]}, not text: write the customer's locale "
                'as a string, e.g. "da_DK"'
            )
        if not isinstance(locale, str) or not locale.strip():
            return number, customer_id, None, (
                "no locale: the row's 'locale' column is empty or missing (fill in the "
                "customer's locale, e.g. da_DK)"
            )
        try:
            message = self.renderer.render(self.template, locale.strip(), data)
        except ToolkitError as exc:
            return number, customer_id, None, str(exc)
        except Exception as exc:  # one broken row must not stop a million-row batch
            return number, customer_id, None, f"{type(exc).__name__}: {exc}"
        if self.strict:
            refused = strict_refusal(message)
            if refused:
                return number, customer_id, None, refused
        return number, customer_id, self.lines.line(number, customer_id, message), None


class JsonLines:
    """The JSON line of a rendered row: ``json.dumps({"row", "id", **message.as_dict(
    full_payment_methods=False)}, ensure_ascii=False, default=str)``, byte for byte, with the
    fields that are the same for every message of a locale (template, channels, locale chain,
    catalogs, country, currency, payment methods) encoded once per locale instead of per
    message. Articles and FAQs (which carry ``data``) take ``json.dumps`` itself."""

    def __init__(self) -> None:
        # (id(chain), template, currency, part names) -> (the chain, catalogs and payment
        # methods the text was made from, and the encoded text: head, middle, methods)
        self._fixed: dict[tuple[Any, ...], tuple[tuple[Any, ...], str, str, str]] = {}

    def line(self, number: int, customer_id: str | None, message: RenderedMessage) -> str:
        if message.kind is not None or message.data is not None or type(number) is not int:
            record = {"row": number, "id": customer_id,
                      **message.as_dict(full_payment_methods=False)}  # fmt: skip
            return json.dumps(record, ensure_ascii=False, default=str)
        head, middle, methods = self._fixed_parts(message)
        parts = message.parts
        served = message.served_by
        sms = message.sms
        return "".join((
            '{"row": ', str(number), ', "id": ',
            "null" if customer_id is None else _string(customer_id), head,
            _encode(served), middle, _string(message.timezone), ', "parts": ',
            _encode(parts), ', "sms": ',
            "null" if sms is None else _encode({f: getattr(sms, f) for f in _SMS_FIELDS}),
            methods, _encode(list(message.warnings)),
            "}" if not message.missing else
            ', "missing": ' + _encode(list(message.missing)) + "}",
        ))  # fmt: skip

    def _fixed_parts(self, message: RenderedMessage) -> tuple[str, str, str]:
        chain, catalogs, methods = message.chain, message.catalogs, message.payment_methods
        key = (id(chain), message.template, message.currency, *message.parts)
        found = self._fixed.get(key)
        # The objects are the renderer's per-locale ones (kept alive here, so an id is never
        # reused while cached); other objects are encoded afresh.
        if found is not None:
            made_from = found[0]
            if made_from[0] is chain and made_from[1] is catalogs and made_from[2] is methods:
                return found[1], found[2], found[3]
        fixed = message.as_dict(full_payment_methods=False)
        encode = functools.partial(json.dumps, ensure_ascii=False, default=str)
        head = ", " + ", ".join(
            f"{encode(name)}: {encode(fixed[name])}"
            for name in ("template", "channels", "locale", "requested_locale", "locale_chain",
                        "catalogs")
        ) + ', "served_by": '  # fmt: skip
        middle = (
            f', "country": {encode(fixed["country"])}, "currency": '
            f'{encode(fixed["currency"])}, "timezone": '
        )
        listed = f', "payment_methods": {encode(fixed["payment_methods"])}, "warnings": '
        if len(self._fixed) > 1024:
            self._fixed.clear()
        self._fixed[key] = ((chain, catalogs, methods), head, middle, listed)
        return head, middle, listed


_string = json.encoder.encode_basestring
#: ``dataclasses.asdict(sms)`` without its deep copy (the values are strings, ints, a bool).
_SMS_FIELDS = tuple(f.name for f in dataclasses.fields(SmsReport))


def _make_encode() -> Callable[[Any], str]:
    """``json.dumps(value, ensure_ascii=False, default=str)`` for the message fields (dicts
    and lists of strings and numbers, never circular), with CPython's C encoder made once
    instead of per call (``JSONEncoder.encode`` builds one, and a dict for its circular
    reference check, every time)."""
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:  # pragma: no cover - CPython always has it
        return json.JSONEncoder(ensure_ascii=False, default=str).encode
    encoder = make(None, str, _string, None, ": ", ", ", False, False, True)
    return lambda value: "".join(encoder(value, 0))


_encode = _make_encode()


def strict_refusal(message: Any) -> str | None:
    """``--strict``: the reasons a rendered row is not sent (None when it is fit to send)."""
    from .strict import strict_problems

    problems = strict_problems(message)
    return "strict: " + "; ".join(problems) if problems else None


_WORKER: _BatchRenderer | None = None
#: The renderer a forked pool's workers inherit (set in the parent just before the fork).
_FORKED: _BatchRenderer | None = None


def _init_worker(
    config: ProjectConfig,
    template: str,
    id_column: str,
    from_po: bool,
    use_fuzzy: bool,
    strict: bool = False,
    encode: bool = False,
) -> None:
    global _WORKER
    _quiet_worker()
    renderer = Renderer(config, from_po=from_po, use_fuzzy=use_fuzzy)
    _WORKER = _BatchRenderer(renderer, template, id_column, strict)
    _WORKER.encode = encode


def _init_forked_worker() -> None:
    """A forked worker: the parent's renderer, with its compiled templates and caches, is
    already in memory (nothing to import or compile)."""
    global _WORKER
    _quiet_worker()  # not the parent's handler, which turns SIGTERM into KeyboardInterrupt
    _WORKER = _FORKED


def _stop_workers(executor: ProcessPoolExecutor, pending: Iterable[Future[Any]]) -> None:
    """Stop a process pool after an interrupt or an error: no new chunk starts, the chunks
    the workers already hold are finished, then they exit.

    Workers are not killed: one killed while it sends a result leaves half a message in the
    result pipe, and the pool's reader thread (which ``shutdown`` and Python's exit wait for)
    would wait for the rest forever (they ignore Ctrl-C for the same reason, see
    :func:`_quiet_worker`). Only a worker still busy after :data:`STOP_GRACE` seconds (a
    template that renders slowly row after row) is terminated.
    """
    for future in pending:
        future.cancel()
    # Chunks still on their way to the workers may be dropped: after a worker died the thread
    # feeding them can block on a full pipe nobody reads, and Python's exit would wait for it.
    call_queue = getattr(executor, "_call_queue", None)
    if call_queue is not None:
        call_queue.cancel_join_thread()
    processes = list((getattr(executor, "_processes", None) or {}).values())
    executor.shutdown(wait=False, cancel_futures=True)
    deadline = time.monotonic() + STOP_GRACE
    for process in processes:
        process.join(max(0.0, deadline - time.monotonic()))
    for process in processes:
        if process.is_alive():
            process.terminate()


#: Seconds a stopped batch waits for its workers to finish the chunks they hold.
STOP_GRACE = 10.0


def _quiet_worker() -> None:
    """Ctrl-C goes to the whole process group: the main process stops the pool (the workers
    finish the chunks they hold, see :func:`_stop_workers`) and removes its temp files; a
    worker ignores it. SIGTERM keeps its default: the pool itself stops its workers with it
    when one of them died."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    from ..forked import die_with

    die_with(os.getppid())  # a batch killed with SIGKILL takes its workers with it


def max_workers() -> int:
    """The most worker processes a batch starts: 4 per CPU. Rendering is CPU work, so more
    only add start-up and memory (``--workers 1000`` would start 1,000 processes)."""
    return 4 * (os.cpu_count() or 1)


def pool_context() -> multiprocessing.context.BaseContext:
    """``fork`` on Linux when this process runs no other thread (a forked worker starts in
    milliseconds with everything the parent prepared), else ``spawn`` (forking a process
    with other threads running can copy a lock some thread holds)."""
    if sys.platform.startswith("linux") and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def _worker_chunk(rows: list[Row]) -> list[Result] | EncodedChunk:
    assert _WORKER is not None, "worker not initialised"
    results = _WORKER.chunk(rows)
    return EncodedChunk.of(results) if _WORKER.encode else results


def _worker_range(
    source: CustomerFile, part: ByteRange, folder: str | None = None
) -> RangeResult:
    """Read and render the rows that start in ``part`` of the customers file; with
    ``folder``, the encoded lines are left in a file there (:mod:`.spool`)."""
    assert _WORKER is not None, "worker not initialised"
    with CustomerRows(source, part.start, part.line, part.stop) as rows:
        found = list(rows)
        end, end_line = rows.end, rows.end_line
    results = _WORKER.chunk(found)
    chunk = EncodedChunk.of(results) if _WORKER.encode else results
    if folder is not None and isinstance(chunk, EncodedChunk) and chunk.data:
        chunk.part, chunk.data = spool(folder, chunk.data), b""
    return RangeResult(end, end_line, chunk)


class RangeResult:
    """A worker's results for a byte range, and where the row after its last one starts."""

    __slots__ = ("end", "end_line", "results")

    def __init__(self, end: int, end_line: int, results: list[Result] | EncodedChunk) -> None:
        self.end = end
        self.end_line = end_line
        self.results = results


def _range_results(
    executor: ProcessPoolExecutor,
    source: CustomerFile,
    ranges: Iterable[ByteRange],
    pending: collections.deque[Future[Any]],
    in_flight: int,
    folder: str | None,
) -> Iterator[list[Result] | EncodedChunk]:
    """Each range's results, in file order, as the workers finish them (``pending``: the
    futures in flight, for the caller to stop). A range whose start turns out not to be where
    a row starts (the range before read a row on past it: see :mod:`.ranges`) is rendered
    again from where its first row really starts."""
    global _FORKED
    submitted: collections.deque[ByteRange] = collections.deque()
    next_row, next_line = source.start, source.line  # where the next row starts

    def take() -> list[Result] | EncodedChunk | None:
        nonlocal next_row, next_line
        part = submitted.popleft()
        done: RangeResult = pending.popleft().result()
        if part.start != next_row:
            if next_row >= part.stop:  # no row starts in this range
                return None
            again = ByteRange(next_row, part.stop, next_line)
            done = executor.submit(_worker_range, source, again, folder).result()
        next_row, next_line = done.end, done.end_line
        return done.results

    for part in ranges:
        submitted.append(part)
        pending.append(executor.submit(_worker_range, source, part, folder))
        _FORKED = None  # the workers are forked at the first submit: they have copies
        if len(pending) >= in_flight and (results := take()) is not None:
            yield results
    while pending:
        if (results := take()) is not None:
            yield results


class EncodedChunk:
    """A worker's chunk for a JSONL file: its lines joined and encoded as the file stores
    them (UTF-8, ``\n``), so the parent writes bytes instead of unpickling, joining and
    encoding every line; and the rows that failed, for ``on_error``."""

    __slots__ = ("data", "rendered", "failures", "part")

    def __init__(self, data: bytes, rendered: int, failures: list[Result]) -> None:
        self.data = data
        self.rendered = rendered
        self.failures = failures
        self.part: SpooledPart | None = None  # where a worker left ``data`` instead

    def write(self, sink: IO[str]) -> None:
        """Append the lines to a JSONL file open for writing as text."""
        if self.data:
            sink.flush()
            sink.buffer.write(self.data)  # type: ignore[attr-defined]
        elif self.part is not None:
            sink.flush()  # the text and byte buffers: the copy lands at the file's position
            copy_part(self.part, sink.fileno())

    @classmethod
    def of(cls, results: list[Result]) -> list[Result] | EncodedChunk:
        lines = [line for _, _, line, _ in results if line is not None]
        try:
            data = ("\n".join(lines) + "\n").encode("utf-8") if lines else b""
        except UnicodeEncodeError:  # the parent's text write raises it, as it always did
            return results
        return cls(data, len(lines), [result for result in results if result[2] is None])


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
    strict: bool = False,
) -> BatchResult:
    """Render ``template`` for every customer row; write JSONL to ``out`` (a ``.jsonl`` path),
    one JSON file per customer into ``out`` (a folder), or JSONL to ``stdout`` when ``out`` is
    None. Rows that fail go to ``on_error``; ``on_progress(rendered, failed)`` after each chunk.
    With ``strict``, a row that is not fit to send (a string in the source language, a blank
    field replaced by the template's fallback, a part over its channel budget) is not written
    and fails with the reasons (:func:`toolkit.render.strict.strict_problems`).
    """
    if workers < 1:
        raise InputError("--workers must be 1 or more.")
    workers = min(workers, max_workers())
    renderer = Renderer(config, from_po=from_po, use_fuzzy=use_fuzzy)
    # Fail fast, for the whole batch, on what no row can fix: a missing or broken template.
    if not template.lower().endswith(ARTICLE_SUFFIXES):
        renderer.templates(template, renderer.locale_state(config.source_locale))
    refuse_output_over_input(out, "--out", customers=customers)
    # A customers file that cannot be read (or a CSV header without the --id-column) is
    # refused before the output folder is made; the rows are opened after it.
    source = None if customers.suffix.lower() in (".parquet", ".pq") else customer_file(customers)
    if id_column != "id" and source is not None and source.kind == "csv":
        refuse_missing_id_column(str(customers), source.header, id_column)
    to_dir = prepare_output(out)
    rows = read_customers(customers, source)
    started = time.perf_counter()

    def result_chunks() -> Generator[list[Result] | EncodedChunk, None, None]:
        if workers == 1:
            local = _BatchRenderer(renderer, template, id_column, strict)
            for chunk in _chunks(rows, chunk_rows):
                yield local.chunk(chunk)
            return
        chunks = _chunks(rows, chunk_rows)
        global _FORKED
        context = pool_context()
        encode = out is not None and not to_dir and os.linesep == "\n"
        first = next(chunks, None)
        source = rows.source if isinstance(rows, CustomerRows) else None
        if first is not None and source is None:  # Parquet: the rows are sent to the workers
            chunks = itertools.chain([first], chunks)
        if context.get_start_method() == "fork":
            prepared = _BatchRenderer(renderer, template, id_column, strict)
            prepared.encode = encode
            if first is not None:
                prepared.prepare(first)
            _FORKED = prepared
            options: dict[str, Any] = {"initializer": _init_forked_worker}
        else:
            options = {
                "initializer": _init_worker,
                "initargs": (config, template, id_column, from_po, use_fuzzy, strict, encode),
            }
        # concurrent.futures rather than multiprocessing.Pool: the Pool's worker-handler thread
        # wakes up for every result waiting in the pipe (it waits on the result pipe too) and
        # spins on the parent's core while the results are read.
        executor = ProcessPoolExecutor(workers, mp_context=context, **options)
        pending: collections.deque[Future[list[Result] | EncodedChunk]] = collections.deque()
        finished = False
        folder = None
        try:
            if source is not None:  # CSV, JSONL: each worker reads its own part of the file
                if first is not None:
                    assert isinstance(rows, CustomerRows)
                    size = (rows.end - source.start) * chunk_rows // len(first)
                    ranges = split_ranges(source.path, source.start, source.line, size,
                                          csv=source.kind == "csv", workers=workers)  # fmt: skip
                    if encode and out is not None:  # workers leave their lines in files
                        folder = make_spool(out)
                    yield from _range_results(
                        executor, source, ranges, pending, workers * IN_FLIGHT_PER_WORKER,
                        folder,
                    )
            else:
                for chunk in chunks:
                    pending.append(executor.submit(_worker_chunk, chunk))
                    _FORKED = None  # the workers are forked at the first submit: they have copies
                    if len(pending) >= workers * IN_FLIGHT_PER_WORKER:
                        yield pending.popleft().result()
                while pending:
                    yield pending.popleft().result()
            finished = True
        except BrokenProcessPool as exc:
            raise ToolkitError(
                "a render worker stopped unexpectedly (killed, or out of memory?); the output "
                "was not written.",
                hint="Rerun, with fewer --workers if memory is short.",
            ) from exc
        finally:
            _FORKED = None
            if not finished:  # interrupted or failed: no new chunk starts
                _stop_workers(executor, pending)
            executor.shutdown(wait=True, cancel_futures=True)
            if folder is not None:
                shutil.rmtree(folder, ignore_errors=True)

    chunks = result_chunks()
    names = OutputNames()
    try:
        rendered, failed = write_results(
            chunks, out, to_dir, on_error=on_error, on_progress=on_progress, stdout=stdout,
            names=names,
        )
    finally:
        chunks.close()  # now, not when the traceback goes: stops the workers, removes files
        close = getattr(rows, "close", None)
        if close is not None:  # an aborted batch still closes the customers file
            close()
    return BatchResult(rendered, failed, out, time.perf_counter() - started, names.unnamed)


def prepare_output(out: Path | None) -> bool:
    """:func:`check_output`, then create the output folder: True when ``out`` is one."""
    to_dir = check_output(out)
    if out is not None and not to_dir:
        remove_stale_temps(out)  # what a batch killed with SIGKILL left next to it
    elif out is not None and out.is_dir():
        remove_stale_temps_in(out)  # ... or in its folder of per-customer files
    if to_dir and out is not None:
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError(f"cannot create output folder {out}: {exc.strerror}.") from exc
    return to_dir


def write_results(
    chunks: Iterable[list[Result]] | Iterable[list[Result] | EncodedChunk],
    out: Path | None,
    to_dir: bool,
    *,
    on_error: Callable[[RowError], None] | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    stdout: IO[str] | None = None,
    names: OutputNames | None = None,
) -> tuple[int, int]:
    """Write rendered rows as they come (JSONL to ``out`` or ``stdout``, or one file per
    customer into the folder ``out``, each name used once); return ``(rendered, failed)``.

    Shared by ``render-batch`` and ``render-batch --sends``: failed rows go to ``on_error``,
    ``on_progress(rendered, failed)`` follows each chunk, SIGTERM unwinds like Ctrl-C, and the
    JSONL file is written atomically.
    """
    rendered = failed = 0
    if names is None:
        names = OutputNames()

    def handle(results: list[Result], sink: IO[str] | None) -> None:
        nonlocal rendered, failed
        for number, customer_id, line, error in results:
            if line is not None and to_dir and out is not None:
                name, problem = names.claim(customer_id, number)
                if problem is not None:
                    error, line = problem, None
                else:
                    write_customer_file(out, name, (line + "\n").encode("utf-8"))
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

    def handle_file(results: list[Result] | EncodedChunk, sink: IO[str]) -> None:
        """``handle`` for a JSONL file: the chunk's lines in one write (nothing else reads
        the file while it is written; standard output keeps a write per line)."""
        nonlocal rendered, failed
        if isinstance(results, EncodedChunk):  # from a worker, encoded as the file stores it
            results.write(sink)
            rendered += results.rendered
            results = results.failures
            lines: list[str] = []
        else:
            lines = [line for _, _, line, _ in results if line is not None]
            if lines:
                sink.write("\n".join(lines) + "\n")
            rendered += len(lines)
        if len(lines) != len(results):
            for number, customer_id, line, error in results:
                if line is None:
                    failed += 1
                    if on_error is not None:
                        on_error(RowError(number, customer_id, error or "unknown error"))
        if on_progress is not None:
            on_progress(rendered, failed)

    def run(sink: IO[str] | None, write: Callable[[Any, Any], None] = handle) -> None:
        for results in chunks:
            write(results, sink)

    with _sigterm_as_interrupt():
        if to_dir:
            run(None)
            # The per-customer files reach the disk together once the batch is done (a sync
            # per file took ~3.5x the batch), as a JSONL file does when it is renamed.
            if hasattr(os, "sync"):
                os.sync()
        elif out is None:
            run(stdout)
        else:
            with atomic_open(out, "w", encoding="utf-8", follow_links=True) as sink:
                run(sink, handle_file)
    return rendered, failed


def write_customer_file(folder: Path, name: str, data: bytes) -> None:
    """One customer's file in the output folder, whole or not at all: a temp file
    (:func:`toolkit.fsutil.new_temp_file`) renamed over it; a killed run leaves only temp
    files, which the next run removes. Unlike ``write_bytes_atomic``, the folder is not listed
    for leftovers on every file (``prepare_output`` did it once) and nothing is synced per file
    (:func:`write_results` syncs once at the end): 3,000 customers 3.4 -> 1.0 s."""
    path = folder / f"{name}.json"
    try:
        old = os.lstat(path)
    except OSError:
        old = None
    mode = 0o644  # whatever the umask, as the other outputs
    if old is not None and stat.S_ISREG(old.st_mode):
        mode = stat.S_IMODE(old.st_mode)  # a file made private (chmod 600) stays private
        if old.st_size == len(data):
            try:
                if path.read_bytes() == data:
                    return  # the same message as last time: left as it is, mtime included
            except OSError:
                pass
    fd, tmp = new_temp_file(path, sweep=False)  # prepare_output swept the folder once
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            os.fchmod(fd, mode)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


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
        self.unnamed = 0  # rows named row-<line>: they had no id

    def claim(self, customer_id: str | None, row: int) -> tuple[str, str | None]:
        """``(name, None)``, or ``(name, problem)`` when the name is unusable or taken."""
        if not customer_id:
            self.unnamed += 1
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
        if callable(previous):  # the CLI's handler notes the signal (exit 143), then raises
            previous(signum, frame)
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
