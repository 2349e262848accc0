"""``toolkit audience --cluster``: customers in hash buckets, one DuckDB audience per task.

The customers are split into ``n`` buckets by a hash of their id (as the audience compares
ids: trimmed text, or the customers file's integers). Each task runs the local audience
(:func:`toolkit.retention.audience.audience_from_data`) restricted to one bucket: its DuckDB
reads the customers, orders and responses files and keeps the rows of that bucket's customers
(:func:`toolkit.retention.data.bucket_filter`), so every task scans every input once; the
per-customer work (aggregates, rules, JSON) is what is divided. A customer's row, orders and
answers all fall in its bucket, so each bucket's sends are exactly the local run's sends of
those customers, and bad rows are reported by exactly one bucket.

Each task writes ``part-0000k.jsonl`` (sorted by customer id, like a local run) into a staging
folder inside ``--out`` under a temporary name; the client moves the parts into ``--out``
when every bucket is done (as :mod:`.runner` does), so a worker that dies mid-run only makes
Dask rerun its bucket, and ``--out`` never holds half a run. The union of the part files is the
local run's sends file; sorted by ``customer_id`` it is the same file line for line.

Inputs are local paths (DuckDB reads them) that every worker must see at the same path (a
shared file system); the rules file is read here and shipped with the tasks.
"""

from __future__ import annotations

import datetime as dt
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ClusterError, InputError, ToolkitError
from .connect import CONNECT_TIMEOUT, confirm_workers, describe, environment
from .output import staged_output


@dataclass(frozen=True)
class AudienceTask:
    """What every bucket task needs (paths absolute, rules as text)."""

    customers: str
    orders: str
    responses: str | None
    as_of: dt.date
    rules: tuple[str, str] | None  # (source name, TOML text); None: the shipped rules
    sent: str | None
    cap_days: int | None
    buckets: int


@dataclass(frozen=True)
class BucketResult:
    """What one bucket task did (sent back to the client)."""

    index: int
    customers: int
    written: int
    capped: int
    by_rule: dict[str, int]
    report: Any  # toolkit.retention.data.LoadReport
    seconds: float
    worker: str


def run_bucket(task: AudienceTask, index: int, staging: str) -> BucketResult:
    """Runs on a worker: the audience of bucket ``index``, written to its part file."""
    from ..retention.audience import audience_from_data
    from ..retention.data import load_data
    from ..retention.rules import load_rules, parse_rules
    from .runner import _worker_address

    started = time.perf_counter()
    window = (dt.date(1, 1, 1), task.as_of + dt.timedelta(days=1))
    out = Path(staging) / f"part-{index:05d}.jsonl"
    with load_data(Path(task.customers), Path(task.orders),
                   None if task.responses is None else Path(task.responses),
                   orders_window=window, bucket=(index, task.buckets)) as data:
        columns = data.customer_columns
        rules = load_rules(None, columns) if task.rules is None else parse_rules(
            task.rules[1], task.rules[0], columns)
        result = audience_from_data(
            data, rules, out, task.as_of,
            sent=None if task.sent is None else Path(task.sent), cap_days=task.cap_days,
        )
    return BucketResult(index, result.customers, result.written, result.capped,
                        result.by_rule, result.report, time.perf_counter() - started,
                        _worker_address())


def _environment() -> dict[str, str]:
    """Versions that must agree (as for render-batch), plus DuckDB: its hash picks buckets."""
    import importlib.metadata

    found = dict(environment())
    try:
        found["duckdb"] = importlib.metadata.version("duckdb")
    except importlib.metadata.PackageNotFoundError:
        found["duckdb"] = "not installed"
    return found


def merge_reports(reports: list[Any]) -> Any:
    """One load report from the buckets' (each row is in one bucket): counts add up, and the
    first bad rows of each file are those a local run lists."""
    from ..retention.data import EXAMPLES_PER_FILE, LoadReport

    merged = LoadReport()
    kinds = ("customers", "orders", "responses")
    for report in reports:
        for name, count in report.used.items():
            merged.used[name] = merged.used.get(name, 0) + count
        for name, count in report.skipped.items():
            merged.skipped[name] = merged.skipped.get(name, 0) + count
        merged.examples.extend(report.examples)
    merged.examples.sort(key=lambda b: (kinds.index(b.kind) if b.kind in kinds else 9, b.line))
    kept: dict[str, int] = {}
    examples = []
    for bad in merged.examples:
        kept[bad.kind] = kept.get(bad.kind, 0) + 1
        if kept[bad.kind] <= EXAMPLES_PER_FILE:
            examples.append(bad)
    merged.examples = examples
    return merged


def audience_on_cluster(
    cluster: str,
    customers: Path,
    orders: Path,
    out: Path,
    as_of: dt.date,
    *,
    responses: Path | None = None,
    rules_path: Path | None = None,
    sent: Path | None = None,
    cap_days: int | None = None,
    partitions: int | None = None,
    timeout: float = CONNECT_TIMEOUT,
    on_ready: Callable[[str | None, list[str], int], None] | None = None,
    on_partition: Callable[[BucketResult], None] | None = None,
) -> Any:
    """``toolkit audience`` on a Dask cluster; sends part files in the folder ``out``.

    ``partitions``: number of customer buckets (default: one per worker, as each task scans
    every input). Returns a :class:`toolkit.retention.audience.AudienceResult` whose counts are
    the local run's.
    """
    from ..retention.audience import AudienceResult
    from ..retention.rules import load_rules
    from .connect import dashboard_link, open_cluster

    if partitions is not None and partitions < 1:
        raise InputError("--partitions must be 1 or more.")
    for name, path in (("customers", customers), ("orders", orders),
                       ("responses", responses)):
        if path is not None and not path.is_file():
            raise InputError(f"{name} file {path} does not exist.")
    if sent is not None and not sent.exists():
        raise InputError(f"sends log {sent} does not exist.",
                         hint="Pass the sends file of an earlier 'toolkit audience' run.")
    if out.is_file() or out.suffix.lower() in (".jsonl", ".ndjson", ".json"):
        raise InputError(f"--out {out}: with --cluster it must be a folder (of part files).")
    rules = None
    if rules_path is not None:
        load_rules(rules_path)  # a broken rules file stops the run here (exit 2)
        rules = (str(rules_path), rules_path.read_text("utf-8"))
    with open_cluster(cluster, timeout=timeout) as client:
        workers = _check_workers(client, timeout)
        count = partitions or len(workers)
        if on_ready is not None:
            on_ready(dashboard_link(client), workers, count)
        task = AudienceTask(
            str(customers.resolve()), str(orders.resolve()),
            None if responses is None else str(responses.resolve()), as_of, rules,
            None if sent is None else str(sent.resolve()), cap_days, count,
        )
        results = _run(client, task, out, on_partition)
    by_rule = {name: 0 for name in results[0].by_rule} if results else {}
    for r in results:
        for name, kept in r.by_rule.items():
            by_rule[name] = by_rule.get(name, 0) + kept
    return AudienceResult(
        out, as_of, sum(r.customers for r in results), sum(r.written for r in results),
        sum(r.capped for r in results), by_rule,
        _as_given(merge_reports([r.report for r in results]), task, customers, orders, responses),
    )


def _as_given(report: Any, task: AudienceTask, *given: Path | None) -> Any:
    """Bad rows named by the paths as given (tasks got absolute ones), as a local run names
    them."""
    import dataclasses

    shown = {absolute: str(path) for absolute, path in zip(
        (task.customers, task.orders, task.responses), given, strict=True) if path is not None}
    report.examples = [dataclasses.replace(b, path=shown.get(b.path, b.path))
                       for b in report.examples]
    return report


def _check_workers(client: Any, timeout: float) -> list[str]:
    return confirm_workers(client, _environment(), _environment, timeout=timeout,
                           what="toolkit, Dask and DuckDB")


def _run(
    client: Any, task: AudienceTask, out: Path,
    on_partition: Callable[[BucketResult], None] | None,
) -> list[BucketResult]:
    import fsspec
    from distributed import KilledWorker, as_completed

    fs = fsspec.filesystem("file")
    out_path = str(out.resolve())
    run = uuid.uuid4().hex[:12]
    futures: list[Any] = []
    done: list[BucketResult] = []
    with staged_output(fs, out_path, run, lambda: client.cancel(futures)) as staging:
        futures += [
            client.submit(run_bucket, task, index, staging,
                          key=f"toolkit-audience-{index:05d}-{run}", pure=False)
            for index in range(task.buckets)
        ]
        for future in as_completed(futures):
            try:
                result: BucketResult = future.result()
            except ToolkitError:
                raise
            except KilledWorker as exc:
                raise ClusterError(
                    f"{exc.task}: {exc.allowed_failures + 1} workers died running it; "
                    "Dask gave up.",
                    hint="Check the workers' memory and logs; more --partitions may help.",
                ) from exc
            except Exception as exc:
                raise ClusterError(
                    f"a worker failed: {describe(exc)}",
                    hint="Workers must reach the input files and --out at the same paths "
                    "(a shared file system).",
                ) from exc
            future.release()
            done.append(result)
            if on_partition is not None:
                on_partition(result)
    return sorted(done, key=lambda r: r.index)
