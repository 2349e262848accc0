"""Run a partition job on a checked cluster: count lines, render partitions, commit the output.

Flow of :func:`run_job`:

1. every text partition's line ends are counted on the cluster, so each partition knows the
   line it starts at (row errors name the file and line, as a local run does);
2. the project source (:mod:`.project`) is scattered to every worker, then one task per
   partition reads its rows, runs the job's row processor and writes its part file
   (``part-00042.jsonl`` or ``.parquet``) into a staging folder inside the output folder,
   under a temporary name renamed when complete;
3. when every partition is done, the client moves the part files into the output folder (and
   removes part files of an earlier run); on any failure it removes the staging folder instead.

A worker that dies mid-run loses its running and finished-but-unfetched partitions; the
scheduler runs them again elsewhere, and the rerun writes the same part file name, so the output
has each row exactly once. Row errors are passed to ``on_error`` in input order.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..errors import ClusterError, InputError, ToolkitError
from .connect import describe
from .output import output_format, staged_output, write_part
from .partitions import Partition, count_line_ends, read_partition, with_first_lines
from .project import ProjectSource, worker_processor


@dataclass(frozen=True)
class PartitionResult:
    """What one partition task did (sent back to the client)."""

    index: int
    source: str
    rendered: int
    errors: tuple[Any, ...]  # toolkit.render.batch.RowError
    seconds: float
    worker: str
    #: (row, customer id) of each rendered line, for a job of one message per customer
    #: (``render-batch --sends``): the client fails the repeats across partitions.
    ids: tuple[tuple[int, str], ...] = ()

    @property
    def failed(self) -> int:
        return len(self.errors)


@dataclass(frozen=True)
class JobResult:
    """What a cluster run did."""

    rendered: int
    failed: int
    out: str
    partitions: tuple[PartitionResult, ...]
    seconds: float

    @property
    def rows(self) -> int:
        return self.rendered + self.failed


# -- running -----------------------------------------------------------------------------------


def run_partition(
    job: Any, source: ProjectSource, partition: Partition, staging: str, fmt: str
) -> PartitionResult:
    """Runs on a worker: render one partition and write its part file atomically."""
    from ..render.batch import RowError

    started = time.perf_counter()
    processor = worker_processor(source, job)
    once = getattr(job, "once_per_customer", False)
    lines: list[str] = []
    errors: list[RowError] = []
    ids: list[tuple[int, str]] = []
    for number, data in read_partition(partition):
        row, customer_id, line, error = processor.row(number, data)
        if line is None:
            errors.append(RowError(row, customer_id, error or "unknown error"))
        else:
            lines.append(line)
            if once and customer_id is not None:
                ids.append((row, customer_id))
    write_part(f"{staging}/{partition.name}.{fmt}", lines, fmt)
    return PartitionResult(
        partition.index,
        partition.source,
        len(lines),
        tuple(errors),
        time.perf_counter() - started,
        _worker_address(),
        tuple(ids),
    )


def _worker_address() -> str:
    try:
        from distributed import get_worker

        return str(get_worker().address)
    except (ImportError, ValueError):
        return "local"


def run_job(
    client: Any,
    job: Any,
    source: ProjectSource,
    partitions: list[Partition],
    out: str,
    *,
    on_partition: Callable[[PartitionResult], None] | None = None,
    on_error: Callable[[str, Any], None] | None = None,
) -> JobResult:
    """Run ``job`` over ``partitions`` on the cluster; part files end up in the folder ``out``.

    ``on_partition`` is called as each partition completes (any order); ``on_error(source,
    row_error)`` for each failed row, in input order. Nothing is left in ``out`` on failure.
    """
    import fsspec
    from distributed import as_completed

    started = time.perf_counter()
    fmt = output_format(out)
    fs, out_path = fsspec.core.url_to_fs(out)
    out_path = out_path.rstrip("/")
    if fs.isfile(out_path):
        raise InputError(f"--out {out} is a file; with --cluster it must be a folder.")
    futures: list[Any] = []
    run = uuid.uuid4().hex[:12]
    with staged_output(fs, out_path, run, lambda: client.cancel(futures)) as staging:
        partitions = with_first_lines(partitions, _line_ends(client, partitions, run))
        shipped = client.scatter(source, broadcast=True, hash=False)
        staging_url = fs.unstrip_protocol(staging)
        futures += [
            client.submit(
                run_partition, job, shipped, partition, staging_url, fmt,
                key=f"toolkit-{partition.name}-{run}", pure=False,
            )
            for partition in partitions
        ]
        done: dict[int, PartitionResult] = {}
        next_in_order = 0
        # A job of one message per customer reports its errors once every partition is in:
        # a repeat of a customer in a later partition is one of them.
        once = getattr(job, "once_per_customer", False)
        for future in as_completed(futures):
            result: PartitionResult = _result(future, partitions)
            future.release()
            done[result.index] = result
            if on_partition is not None:
                on_partition(result)
            while next_in_order in done and not once:
                if on_error is not None:
                    for error in done[next_in_order].errors:
                        on_error(done[next_in_order].source, error)
                next_in_order += 1
        if once:
            done = _once_per_customer(done, fs.unstrip_protocol(staging), fmt)
            if on_error is not None:
                for index in sorted(done):
                    for error in done[index].errors:
                        on_error(done[index].source, error)
    results = tuple(done[i] for i in sorted(done))
    return JobResult(
        rendered=sum(r.rendered for r in results),
        failed=sum(r.failed for r in results),
        out=out,
        partitions=results,
        seconds=time.perf_counter() - started,
    )


def _once_per_customer(
    done: dict[int, PartitionResult], staging: str, fmt: str
) -> dict[int, PartitionResult]:
    """Each customer's rendered lines after their first (in input order) made failed lines, as
    a local ``render-batch --sends`` makes them: partitions rendered a repeat of a customer of
    another partition, and the customer got two messages (QA pass 80). Their part files are
    written again without those lines."""
    import dataclasses

    from ..render.batch import RowError
    from .output import drop_part_rows

    first: dict[str, tuple[str, int]] = {}
    repeats: dict[int, dict[int, str]] = {}
    for index in sorted(done):
        result = done[index]
        for row, customer_id in result.ids:
            seen = first.setdefault(customer_id, (result.source, row))
            if seen != (result.source, row):
                where = f"line {seen[1]}" if seen[0] == result.source else f"{seen[0]}:{seen[1]}"
                repeats.setdefault(index, {})[row] = (
                    f"duplicate customer id {customer_id!r}, first at {where}")
    for index, rows in repeats.items():
        result = done[index]
        drop_part_rows(f"{staging}/part-{index:05d}.{fmt}", set(rows), fmt)
        ids = dict(result.ids)
        errors = sorted(
            [*result.errors, *(RowError(row, ids[row], why) for row, why in rows.items())],
            key=lambda e: e.row,
        )
        done[index] = dataclasses.replace(
            result, rendered=result.rendered - len(rows), errors=tuple(errors))
    return done


def _line_ends(client: Any, partitions: list[Partition], run: str) -> list[tuple[int, int]]:
    if all(p.kind == "parquet" for p in partitions):
        return [(0, 0)] * len(partitions)
    futures = [
        client.submit(count_line_ends, p, key=f"toolkit-count-{p.name}-{run}", pure=False)
        for p in partitions
    ]
    return [_result(future, partitions) for future in futures]


def _result(future: Any, partitions: list[Partition]) -> Any:
    """A task's result; failures become one line naming the partition."""
    from distributed import KilledWorker

    try:
        return future.result()
    except ToolkitError:
        raise
    except KilledWorker as exc:
        raise ClusterError(
            f"{exc.task}: {exc.allowed_failures + 1} workers died running it; Dask gave up.",
            hint="Check the workers' memory and logs; smaller --partition-size may help.",
        ) from exc
    except Exception as exc:
        where = next((p for p in partitions if f"-{p.name}-" in str(future.key)), None)
        raise ClusterError(
            (f"{where.source} ({where.name}): " if where else "")
            + f"a worker failed: {describe(exc)}",
            hint="Workers must reach the customers files and the output folder "
            "(shared path or object store).",
        ) from exc
