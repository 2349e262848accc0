"""``render-batch --cluster``: progress, row errors and the summary of a run on a Dask cluster.

Kept apart from render_commands so that a run without ``--cluster`` never imports it (nor Dask).
"""

from __future__ import annotations

import contextlib
import json
import re
from pathlib import Path
from typing import IO, Any

import typer

from ..config import ProjectConfig
from ..errors import InputError
from .application import wrote
from .guard import echo

MAX_ERRORS_SHOWN = 20
_SIZE = re.compile(r"^\s*(\d+)\s*([kmg]?)i?b?\s*$", re.IGNORECASE)


def parse_size(text: str) -> int:
    """Bytes from ``64MB``, ``512k``, ``1000``.

    >>> parse_size("64MB"), parse_size("512k"), parse_size("1000")
    (67108864, 524288, 1000)
    """
    match = _SIZE.match(text)
    if match is None:
        raise InputError(f"--partition-size {text!r} is not a size.", hint="Use e.g. 64MB.")
    return int(match.group(1)) * 1024 ** " kmg".index(match.group(2).lower() or " ")


def render_batch_on_cluster(
    config: ProjectConfig,
    template: str,
    customers: str,
    out: str,
    *,
    cluster: str,
    worker_project: str | None,
    partition_size: str,
    errors: Path | None,
    id_column: str,
    progress: bool,
    from_po: bool,
    use_fuzzy: bool,
    strict: bool = False,
    sends: str | None = None,
) -> None:
    """Run the batch on the cluster, print like a local run, exit 1 when rows failed.

    With ``sends`` (``render-batch --sends FILE``), ``template`` and ``customers`` are unused
    and each sends line is rendered with its own template."""
    from ..cluster import PartitionResult, render_sends_on_cluster
    from ..cluster import render_batch_on_cluster as run_template

    if "://" not in out and Path(out).is_file():
        # Before a cluster is started or contacted (it said "cluster: 2 workers, ..." first).
        raise InputError(f"--out {out} is a file; with --cluster it must be a folder.",
                         hint="Give a folder (created when missing) for the part files.")

    def run(*args: Any, **options: Any) -> Any:
        if sends is None:
            return run_template(*args, strict=strict, id_column=id_column, **options)
        cluster_, config_, _template, _customers, out_ = args
        return render_sends_on_cluster(cluster_, config_, sends, out_, strict=strict, **options)

    shown = 0
    with contextlib.ExitStack() as stack:
        error_sink: IO[str] | None = None
        if errors is not None:
            from ..fsutil import atomic_open

            error_sink = stack.enter_context(
                atomic_open(errors, "w", encoding="utf-8", follow_links=True)
            )

        def on_error(source: str, error: Any) -> None:
            nonlocal shown
            if error_sink is not None:
                record = {"source": source, **error.as_dict()}
                error_sink.write(json.dumps(record, ensure_ascii=False) + "\n")
            if shown < MAX_ERRORS_SHOWN:
                echo(f"{_shown_source(source)}:{error.row}: {error.where}: {error.reason}",
                     err=True)
            shown += 1

        bar: Any = None
        task: Any = None
        totals = [0, 0]

        def on_ready(link: str | None, workers: list[str], partitions: int) -> None:
            nonlocal bar, task
            echo(
                f"cluster: {len(workers)} workers, {partitions} partitions; "
                f"dashboard: {link or 'not available (pip install bokeh)'}",
                err=True,
            )
            if progress:
                from rich.console import Console
                from rich.progress import (
                    BarColumn,
                    MofNCompleteColumn,
                    Progress,
                    TextColumn,
                    TimeElapsedColumn,
                )

                bar = stack.enter_context(
                    Progress(
                        TextColumn("{task.description}"),
                        BarColumn(),
                        MofNCompleteColumn(),
                        TimeElapsedColumn(),
                        console=Console(stderr=True),
                        transient=True,
                    )
                )
                task = bar.add_task("partitions", total=partitions)

        def on_partition(result: PartitionResult) -> None:
            totals[0] += result.rendered
            totals[1] += result.failed
            if bar is not None:
                bar.update(
                    task, advance=1,
                    description=f"{totals[0]} rendered, {totals[1]} failed; partitions",
                )

        result = run(
            cluster,
            config,
            template,
            customers,
            out,
            from_po=from_po,
            use_fuzzy=use_fuzzy,
            worker_project=worker_project,
            ship=worker_project is None,
            partition_bytes=parse_size(partition_size),
            on_ready=on_ready,
            on_partition=on_partition,
            on_error=on_error,
        )
    rate = result.rows / result.seconds if result.seconds else 0.0
    if shown > MAX_ERRORS_SHOWN:
        echo(
            f"... and {shown - MAX_ERRORS_SHOWN} more failed rows"
            + (f" (all in {errors})" if errors else " (use --errors FILE)"),
            err=True,
        )
    summary = (
        f"{len(result.partitions)} part files: {result.rendered} messages, {result.failed} "
        f"failed rows, {result.seconds:.1f} s ({rate:.0f} rows/s)"
    )
    if "://" in out:
        echo(f"wrote {out} ({summary})")
    else:
        wrote(Path(out), summary)
    if errors is not None:
        wrote(errors, f"{result.failed} failed rows")
    if result.failed:
        raise typer.Exit(1)


def _shown_source(source: str) -> str:
    """Local files as the user typed them would be: relative to the current folder if inside."""
    if source.startswith("file://"):
        path = Path(source[len("file://"):])
        with contextlib.suppress(ValueError):
            return str(path.relative_to(Path.cwd()))
        return str(path)
    return source


def audience_on_cluster(
    cluster: str, customers: Path, orders: Path, out: Path, as_of: Any, **options: Any
) -> Any:
    """``toolkit audience --cluster``: the dashboard link, a progress bar of the buckets."""
    from ..cluster.audience import audience_on_cluster as run

    with contextlib.ExitStack() as stack:
        bar: Any = None
        task: Any = None

        def on_ready(link: str | None, workers: list[str], partitions: int) -> None:
            nonlocal bar, task
            echo(
                f"cluster: {len(workers)} workers, {partitions} customer buckets; "
                f"dashboard: {link or 'not available (pip install bokeh)'}",
                err=True,
            )
            import sys

            if not (sys.stderr is not None and sys.stderr.isatty()):
                return  # a bar for nobody left a blank line in logs (QA pass 80)
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

            bar = stack.enter_context(Progress(
                TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                console=Console(stderr=True), transient=True,
            ))
            task = bar.add_task("customer buckets", total=partitions)

        def on_partition(_result: Any) -> None:
            if bar is not None:
                bar.update(task, advance=1)

        return run(cluster, customers, orders, out, as_of, on_ready=on_ready,
                   on_partition=on_partition, **options)
