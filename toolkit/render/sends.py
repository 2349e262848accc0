"""``toolkit render-batch --sends FILE``: render a sends file, each line with its own template.

A sends file (written by ``toolkit audience``) has one JSON object per line::

    {"customer_id": "c1", "template": "loyalty/points_expiring.j2", "locale": "da_DK",
     "rule": "points-expiring", "data": {"first_name": "Anna", ...}}

Each line is rendered with its template in its locale, from its ``data``; output is the same as
``render-batch``'s (JSON Lines, or one ``<customer_id>.json`` per line in a folder), each record
also naming the ``rule``. A line that cannot be rendered is reported with its line number and
the batch goes on; the renderer's caches (compiled templates per locale, catalogs, Babel
formatters) are shared by every template. :class:`SendsRenderer` is also what each worker of
``render-batch --sends --cluster`` runs (:class:`toolkit.cluster.jobs.SendsJob`).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any, BinaryIO

from ..config import ProjectConfig
from ..errors import InputError, ToolkitError
from .batch import (
    BatchResult,
    Result,
    RowError,
    _chunks,
    prepare_output,
    strict_refusal,
    write_results,
)
from .message import (
    Renderer,
    has_control_characters,
    require_templates_folder,
    resolve_template,
)

REQUIRED = ("customer_id", "template", "locale", "data")


def check_send(value: dict[str, Any] | str) -> dict[str, Any] | str:
    """A parsed sends line as a send, or the problem that makes it unusable (a row-level check
    shared by the local reader and the cluster's :class:`toolkit.cluster.jobs.SendsJob`)."""
    if isinstance(value, str):
        return value
    missing = [key for key in REQUIRED if value.get(key) in (None, "")]
    if missing:
        return f"no {', '.join(missing)}"
    customer = value["customer_id"]
    if isinstance(customer, (bool, dict, list)):  # True.json, "{'k': 1}" (QA pass 71)
        return f"customer_id is {json.dumps(customer)[:40]}: write the id as text or a number"
    if isinstance(customer, str) and has_control_characters(customer):
        shown = customer[:40].encode("utf-8", "backslashreplace").decode()
        return (f"customer_id '{shown}' has a control character or a lone surrogate; fix "
                "the id in the sends file")  # fmt: skip
    if not isinstance(value["data"], dict):
        return "'data' must be a JSON object"
    return value


def open_sends(path: Path) -> BinaryIO:
    """The sends file, opened; InputError when it cannot be read (a device is refused)."""
    if path.is_char_device() or path.is_block_device():
        raise InputError(f"{path}: a sends file must be a file, not a device.")
    try:
        return path.open("rb")
    except OSError as exc:
        raise InputError(f"cannot read sends file {path}: {exc.strerror}.") from exc


def _customer_of(value: dict[str, Any] | str) -> str | None:
    """The customer id a sends line names, even one unusable otherwise ('no locale'); None
    for an id that is no text or number, or holds a control character."""
    customer = value.get("customer_id") if isinstance(value, dict) else None
    if customer in (None, "") or isinstance(customer, (bool, dict, list)):
        return None
    text = str(customer)
    return None if has_control_characters(text) else text


def sends_of(handle: BinaryIO) -> Iterator[tuple[int, dict[str, Any] | str]]:
    """(line number, parsed line) for each non-blank line of an open sends file (closed when
    read to the end); a problem string for lines that are no JSON object (the rest is
    :func:`check_send`'s, when the line is rendered).

    Lines are read by the hardened customer-row reader (:mod:`.customers`: bad UTF-8, overlong
    or too deeply nested lines are row errors), the reader a cluster partition uses too.
    """
    from .customers import _jsonl_rows, _LineReader

    with handle:
        yield from _jsonl_rows(_LineReader(handle))


class SendsRenderer:
    """Renders sends lines to JSON lines with one shared :class:`Renderer` (its caches serve
    every template); runs in the local process or once per cluster worker."""

    def __init__(self, config: ProjectConfig, renderer: Renderer, strict: bool = False) -> None:
        self.config = config
        self.renderer = renderer
        self.strict = strict
        self.resolved: dict[str, str | ToolkitError] = {}

    def template_name(self, name: str) -> str:
        found = self.resolved.get(name)
        if found is None:
            try:
                found = resolve_template(self.config, name, cwd=self.config.templates_path)
            except ToolkitError as exc:
                found = exc
            self.resolved[name] = found
        if isinstance(found, ToolkitError):
            raise found
        return found

    def render_line(self, number: int, send: dict[str, Any]) -> tuple[str | None, str]:
        """(JSON line, "") or (None, reason) for one checked send."""
        customer_id = str(send["customer_id"])
        try:
            message = self.renderer.render(
                self.template_name(str(send["template"])), str(send["locale"]).strip(),
                send["data"],
            )
        except ToolkitError as exc:
            return None, str(exc)
        except Exception as exc:  # one broken line must not stop the batch
            return None, f"{type(exc).__name__}: {exc}"
        if self.strict:  # as render-batch --strict: a line not fit to send fails
            refused = strict_refusal(message)
            if refused:
                return None, refused
        record = {"row": number, "id": customer_id, "rule": send.get("rule"),
                  **message.as_dict(full_payment_methods=False)}
        return json.dumps(record, ensure_ascii=False, default=str), ""

    def row(self, number: int, data: dict[str, Any] | str) -> Result:
        """As :meth:`toolkit.render.batch._BatchRenderer.row`, for a parsed sends line; a
        failed line names its customer when it names one (``row 3 (id c203): no locale``)."""
        send = check_send(data)
        if isinstance(send, str):
            return number, _customer_of(data), None, send
        line, reason = self.render_line(number, send)
        return number, str(send["customer_id"]), line, None if line is not None else reason


def _once_per_customer(chunks: Iterable[list[Result]]) -> Iterator[list[Result]]:
    """Rendered lines of a sends file, each customer's after their first rendered one made a
    failed line, as the folder output has it (one message per customer, never two in one
    batch; a first line that failed does not count, QA pass 71)."""
    first: dict[str, int] = {}
    for chunk in chunks:
        checked = []
        for number, customer_id, line, reason in chunk:
            if line is not None and customer_id is not None:
                seen = first.setdefault(customer_id, number)
                if seen != number:
                    line, reason = None, (
                        f"duplicate customer id {customer_id!r}, first at line {seen}")
            checked.append((number, customer_id, line, reason))
        yield checked


def render_sends(
    config: ProjectConfig,
    sends: Path,
    out: Path | None,
    *,
    from_po: bool = False,
    use_fuzzy: bool = False,
    on_error: Callable[[RowError], None] | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    stdout: IO[str] | None = None,
    progress_every: int = 256,
    strict: bool = False,
) -> BatchResult:
    """Render every line of ``sends``; write JSONL to ``out`` (a ``.jsonl`` path), one JSON file
    per customer into ``out`` (a folder), or JSONL to ``stdout`` when ``out`` is None."""
    require_templates_folder(config)  # once, not as every line's error
    renderer = Renderer(config, from_po=from_po, use_fuzzy=use_fuzzy)
    processor = SendsRenderer(config, renderer, strict)
    from ..fsutil import refuse_output_over_input

    refuse_output_over_input(out, "--out", sends=sends)
    handle = open_sends(sends)  # before the output folder is made: a missing file makes none
    try:
        to_dir = prepare_output(out)
    except BaseException:
        handle.close()
        raise
    started = time.perf_counter()
    chunks: Iterable[list[Result]] = (
        [processor.row(number, send) for number, send in chunk]
        for chunk in _chunks(sends_of(handle), progress_every)
    )
    if not to_dir:  # a folder refuses a second file of one customer itself (OutputNames)
        chunks = _once_per_customer(chunks)
    rendered, failed = write_results(
        chunks, out, to_dir, on_error=on_error, on_progress=on_progress, stdout=stdout
    )
    return BatchResult(rendered, failed, out, time.perf_counter() - started)


def sends_batch(
    config: ProjectConfig,
    template: str,
    sends: Path,
    out: Path | None,
    *,
    from_po: bool = False,
    use_fuzzy: bool = False,
    on_error: Callable[[RowError], None] | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    stdout: IO[str] | None = None,
    strict: bool = False,
    **_batch_options: Any,
) -> BatchResult:
    """:func:`render_sends` with :func:`.batch.render_batch`'s signature (``template`` unused:
    each line names its own; worker options do not apply), so the CLI calls either alike."""
    return render_sends(config, sends, out, from_po=from_po, use_fuzzy=use_fuzzy,
                        on_error=on_error, on_progress=on_progress, stdout=stdout,
                        strict=strict)
