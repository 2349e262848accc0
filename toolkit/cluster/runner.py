"""Run a partition job on a Dask cluster: connect, check the workers, render, commit the output.

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

import contextlib
import functools
import hashlib
import importlib.metadata
import json
import logging
import platform
import re
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ClusterError, InputError, ToolkitError
from .partitions import Partition, count_line_ends, read_partition, with_first_lines
from .project import ProjectSource, worker_processor

CONNECT_TIMEOUT = 20.0  # seconds to reach a scheduler and to wait for its first worker
CHECKED_PACKAGES = ("dask", "distributed", "cloudpickle", "babel", "jinja2", "fsspec", "pyarrow")
_LOCAL = re.compile(r"^local:(\d+)$")


@dataclass(frozen=True)
class PartitionResult:
    """What one partition task did (sent back to the client)."""

    index: int
    source: str
    rendered: int
    errors: tuple[Any, ...]  # toolkit.render.batch.RowError
    seconds: float
    worker: str

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


def output_format(out: str) -> str:
    """``parquet`` for an output folder named ``*.parquet``, else ``jsonl``."""
    return "parquet" if out.rstrip("/").lower().endswith(".parquet") else "jsonl"


# -- connecting ------------------------------------------------------------------------------


@contextlib.contextmanager
def open_cluster(spec: str, *, timeout: float = CONNECT_TIMEOUT) -> Iterator[Any]:
    """A ``distributed.Client`` for ``local:N`` (a LocalCluster of N processes) or an address."""
    match = _LOCAL.match(spec)
    if match is None and "://" not in spec:
        raise InputError(
            f"--cluster {spec!r} is neither local:N nor a scheduler address.",
            hint="Use e.g. local:4 or tcp://scheduler:8786.",
        )
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:
        raise ClusterError(
            "--cluster needs Dask, which is not installed.",
            hint="Install it with: pip install 'toolkit[dask]'.",
        ) from exc
    with contextlib.ExitStack() as stack:
        if match is not None:
            workers = int(match.group(1))
            if workers < 1:
                raise InputError("--cluster local:N needs N of 1 or more.")
            cluster = stack.enter_context(
                LocalCluster(
                    n_workers=workers,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=":0",
                    silence_logs=logging.ERROR,
                )
            )
            client = stack.enter_context(Client(cluster, timeout=timeout))
        else:
            try:
                client = stack.enter_context(Client(spec, timeout=timeout))
            except (OSError, TimeoutError) as exc:
                raise ClusterError(
                    f"cannot reach the Dask scheduler at {spec} within {timeout:.0f} s.",
                    hint="Check the address and that 'dask scheduler' runs there.",
                ) from exc
        yield client


def dashboard_link(client: Any) -> str | None:
    """The Dask dashboard's address, when the scheduler serves one."""
    try:
        link = client.dashboard_link
    except Exception:
        return None
    return str(link) if link else None


# -- checking the workers ----------------------------------------------------------------------


@functools.cache
def environment() -> dict[str, str]:
    """Versions that must agree between client and workers (toolkit: version + code digest)."""
    import toolkit

    code = hashlib.sha256()
    package = Path(toolkit.__file__).parent
    for path in sorted(package.rglob("*.py")):
        code.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    found = {
        "python": platform.python_version(),
        "toolkit": f"{toolkit.__version__} (code {code.hexdigest()[:12]})",
    }
    for name in CHECKED_PACKAGES:
        try:
            found[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            found[name] = "not installed"
    return found


def version_mismatches(client_env: dict[str, str], worker_env: dict[str, str]) -> list[str]:
    """``name X here, Y on the worker`` for each version that differs.

    >>> version_mismatches({"toolkit": "0.1", "dask": "1"}, {"toolkit": "0.2", "dask": "1"})
    ['toolkit 0.1 here, 0.2 on the worker']
    """
    return [
        f"{name} {mine} here, {worker_env.get(name, 'not installed')} on the worker"
        for name, mine in client_env.items()
        if worker_env.get(name) != mine
    ]


def _preflight(source: ProjectSource, job: Any) -> dict[str, str]:
    """Runs on each worker: build the job's processor (project files, template), give versions."""
    worker_processor(source, job)
    return environment()


def check_workers(
    client: Any, source: ProjectSource, job: Any, *, timeout: float = CONNECT_TIMEOUT
) -> list[str]:
    """Refuse, with one line, a cluster that cannot run ``job``; return the worker addresses.

    Every worker must have the client's versions (:func:`environment`) and must find the
    project (shipped or shared) and build the job, before any partition is sent.
    """
    try:
        client.wait_for_workers(1, timeout=timeout)
    except TimeoutError as exc:
        raise ClusterError(
            f"the Dask scheduler at {client.scheduler.address} has no workers "
            f"(waited {timeout:.0f} s).",
            hint="Start some with 'dask worker SCHEDULER_ADDRESS'.",
        ) from exc
    replies = client.run(_preflight, source, job, on_error="return")
    here = environment()
    for worker, reply in sorted(replies.items()):
        if isinstance(reply, BaseException):
            raise ClusterError(f"worker {worker}: {_describe(reply)}") from reply
        mismatched = version_mismatches(here, reply)
        if mismatched:
            raise ClusterError(
                f"worker {worker} runs other versions: {'; '.join(mismatched)}.",
                hint="Install the same toolkit and Dask versions on the client and every worker.",
            )
    return sorted(replies)


def _describe(exc: BaseException) -> str:
    if isinstance(exc, ToolkitError):
        return str(exc)
    if isinstance(exc, ImportError):
        return f"cannot import {exc.name or exc}; install the toolkit on every worker."
    return f"{type(exc).__name__}: {exc}"


# -- running -----------------------------------------------------------------------------------


def run_partition(
    job: Any, source: ProjectSource, partition: Partition, staging: str, fmt: str
) -> PartitionResult:
    """Runs on a worker: render one partition and write its part file atomically."""
    from ..render.batch import RowError

    started = time.perf_counter()
    processor = worker_processor(source, job)
    lines: list[str] = []
    errors: list[RowError] = []
    for number, data in read_partition(partition):
        row, customer_id, line, error = processor.row(number, data)
        if line is None:
            errors.append(RowError(row, customer_id, error or "unknown error"))
        else:
            lines.append(line)
    write_part(f"{staging}/{partition.name}.{fmt}", lines, fmt)
    return PartitionResult(
        partition.index,
        partition.source,
        len(lines),
        tuple(errors),
        time.perf_counter() - started,
        _worker_address(),
    )


def _worker_address() -> str:
    try:
        from distributed import get_worker

        return str(get_worker().address)
    except (ImportError, ValueError):
        return "local"


def write_part(url: str, lines: list[str], fmt: str) -> None:
    """Write one part file under a temporary name, then rename it (a rerun replaces it whole)."""
    import fsspec

    fs, path = fsspec.core.url_to_fs(url)
    folder, name = path.rsplit("/", 1)
    temporary = f"{folder}/.{name}.{uuid.uuid4().hex}.tmp"
    try:
        with fs.open(temporary, "wb") as handle:
            if fmt == "parquet":
                _write_parquet(handle, lines)
            else:
                handle.write("".join(line + "\n" for line in lines).encode("utf-8"))
        fs.mv(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            fs.rm(temporary)
        raise


PARQUET_COLUMNS = ("row", "id", "locale", "parts", "message")


def _write_parquet(handle: Any, lines: list[str]) -> None:
    """Columns: row, id, locale, parts (map part -> text) and message (the full JSON line)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    records = [json.loads(line) for line in lines]
    table = pa.table(
        {
            "row": pa.array([r["row"] for r in records], pa.int64()),
            "id": pa.array([r["id"] for r in records], pa.string()),
            "locale": pa.array([r["locale"] for r in records], pa.string()),
            "parts": pa.array(
                [list(r["parts"].items()) for r in records], pa.map_(pa.string(), pa.string())
            ),
            "message": pa.array(lines, pa.string()),
        }
    )
    pq.write_table(table, handle)


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
    created = not fs.exists(out_path)
    staging = f"{out_path}/.staging-{uuid.uuid4().hex[:12]}"
    fs.makedirs(staging, exist_ok=True)
    futures: list[Any] = []
    try:
        partitions = with_first_lines(partitions, _line_ends(client, partitions, staging[-12:]))
        shipped = client.scatter(source, broadcast=True, hash=False)
        staging_url = fs.unstrip_protocol(staging)
        futures = [
            client.submit(
                run_partition, job, shipped, partition, staging_url, fmt,
                key=f"toolkit-{partition.name}-{staging[-12:]}", pure=False,
            )
            for partition in partitions
        ]
        done: dict[int, PartitionResult] = {}
        next_in_order = 0
        for future in as_completed(futures):
            result: PartitionResult = _result(future, partitions)
            future.release()
            done[result.index] = result
            if on_partition is not None:
                on_partition(result)
            while next_in_order in done:
                if on_error is not None:
                    for error in done[next_in_order].errors:
                        on_error(done[next_in_order].source, error)
                next_in_order += 1
        _commit(fs, staging, out_path, fmt)
    except BaseException:
        client.cancel(futures)
        with contextlib.suppress(OSError):
            fs.rm(staging, recursive=True)
        if created:
            with contextlib.suppress(OSError):
                fs.rmdir(out_path)
        raise
    results = tuple(done[i] for i in sorted(done))
    return JobResult(
        rendered=sum(r.rendered for r in results),
        failed=sum(r.failed for r in results),
        out=out,
        partitions=results,
        seconds=time.perf_counter() - started,
    )


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
            + f"a worker failed: {_describe(exc)}",
            hint="Workers must reach the customers files and the output folder "
            "(shared path or object store).",
        ) from exc


def _commit(fs: Any, staging: str, out_path: str, fmt: str) -> None:
    """Move the staged part files into the output folder, replacing an earlier run's parts."""
    staged = sorted(p for p in fs.ls(staging, detail=False) if p.rsplit("/", 1)[-1][:5] == "part-")
    names = {p.rsplit("/", 1)[-1] for p in staged}
    for old in fs.glob(f"{out_path}/part-*"):
        if old.rsplit("/", 1)[-1] not in names:
            fs.rm(old)
    for path in staged:
        fs.mv(path, f"{out_path}/{path.rsplit('/', 1)[-1]}")
    fs.rm(staging, recursive=True)
