"""Batches on a Dask cluster: ``render-batch [--sends] --cluster local:N | tcp://HOST:PORT``
and ``audience --cluster``.

- :mod:`.partitions`: CSV / JSONL / Parquet inputs (paths or fsspec URLs) cut into partitions
  that keep each row's file and line;
- :mod:`.project`: the project's templates and catalogs on the workers (shipped or shared), and
  the per-worker cache that builds a job's renderer once;
- :mod:`.jobs`: what runs per row (:class:`RenderJob`, :class:`SendsJob` for ``--sends``);
- :mod:`.audience`: ``toolkit audience --cluster`` (customers in hash buckets, DuckDB per task);
- :mod:`.connect`: connecting, and checking the workers (versions, project, job);
- :mod:`.runner`: running the partitions; :mod:`.output`: part files and their commit.

Nothing here imports Dask at import time; a run without ``--cluster`` never imports it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..config import ProjectConfig
from .connect import CONNECT_TIMEOUT
from .jobs import PartitionJob, RenderJob, RowProcessor, SendsJob
from .output import output_format
from .partitions import DEFAULT_PARTITION_BYTES, Partition, plan_partitions
from .project import ProjectSource, shared_project, ship_project
from .runner import JobResult, PartitionResult

__all__ = [
    "DEFAULT_PARTITION_BYTES",
    "JobResult",
    "Partition",
    "PartitionJob",
    "PartitionResult",
    "ProjectSource",
    "RenderJob",
    "RowProcessor",
    "SendsJob",
    "output_format",
    "plan_partitions",
    "render_batch_on_cluster",
    "render_sends_on_cluster",
    "run_on_cluster",
]


def run_on_cluster(
    cluster: str,
    config: ProjectConfig,
    job: PartitionJob,
    customers: str,
    out: str,
    *,
    worker_project: str | None = None,
    ship: bool = True,
    partition_bytes: int = DEFAULT_PARTITION_BYTES,
    timeout: float = CONNECT_TIMEOUT,
    on_ready: Callable[[str | None, list[str], int], None] | None = None,
    on_partition: Callable[[PartitionResult], None] | None = None,
    on_error: Callable[[str, Any], None] | None = None,
) -> JobResult:
    """Run any partition job: plan the input, connect, check the workers, run, commit.

    ``on_ready(dashboard_link, workers, partitions)`` is called once the cluster is checked.
    """
    from .connect import check_workers, dashboard_link, open_cluster
    from .runner import run_job

    partitions = plan_partitions(customers, partition_bytes)
    id_column = getattr(job, "id_column", "id")
    if id_column != "id":  # as a local run: a CSV without that column is refused at once
        from ..render.batch import refuse_missing_id_column

        for part in partitions:
            if part.kind == "csv" and part.header:
                refuse_missing_id_column(part.source, part.header, id_column)
    source = ship_project(config) if ship else shared_project(config, worker_project)
    with open_cluster(cluster, timeout=timeout) as client:
        workers = check_workers(client, source, job, timeout=timeout)
        if on_ready is not None:
            on_ready(dashboard_link(client), workers, len(partitions))
        return run_job(
            client, job, source, partitions, out, on_partition=on_partition, on_error=on_error
        )


def render_batch_on_cluster(
    cluster: str,
    config: ProjectConfig,
    template: str,
    customers: str,
    out: str,
    *,
    from_po: bool = False,
    use_fuzzy: bool = False,
    id_column: str = "id",
    strict: bool = False,
    **options: Any,
) -> JobResult:
    """``render-batch`` on a Dask cluster; part files in the folder ``out`` (see :mod:`.runner`).

    The template is checked here first, as a local run does: a broken template stops the batch
    before the cluster is contacted.
    """
    from ..errors import InputError
    from ..render.message import ARTICLE_SUFFIXES, Renderer

    if out in ("", "-"):
        raise InputError(
            "--cluster writes part files into a folder, not to stdout.",
            hint="Give --out a folder (name it *.parquet for Parquet parts).",
        )
    if not template.lower().endswith(ARTICLE_SUFFIXES):
        renderer = Renderer(config, from_po=from_po, use_fuzzy=use_fuzzy)
        renderer.templates(template, renderer.locale_state(config.source_locale))
    job = RenderJob(template, id_column, from_po, use_fuzzy, strict)
    return run_on_cluster(cluster, config, job, customers, out, **options)


def sends_input(sends: str) -> str:
    """The files of a sends input: a file, URL or glob as given; a folder (e.g. the output of
    ``toolkit audience --cluster``) stands for its ``part-*.jsonl`` files."""
    import fsspec

    try:
        fs, path = fsspec.core.url_to_fs(sends)
        is_dir = not any(c in path for c in "*?[") and fs.isdir(path)
    except (OSError, ValueError, ImportError):
        return sends
    return sends.rstrip("/") + "/part-*.jsonl" if is_dir else sends


def render_sends_on_cluster(
    cluster: str,
    config: ProjectConfig,
    sends: str,
    out: str,
    *,
    from_po: bool = False,
    use_fuzzy: bool = False,
    strict: bool = False,
    **options: Any,
) -> JobResult:
    """``render-batch --sends`` on a Dask cluster: the sends file (a path, fsspec URL, glob, or
    a folder of ``part-*.jsonl`` files) is cut into JSON Lines partitions; each line is rendered
    with its own template and locale; part files in the folder ``out``, rows as a local run's."""
    from ..errors import InputError

    if out in ("", "-"):
        raise InputError(
            "--cluster writes part files into a folder, not to stdout.",
            hint="Give --out a folder (name it *.parquet for Parquet parts).",
        )
    if "://" not in sends and not any(c in sends for c in "*?[") and not Path(sends).exists():
        raise InputError(f"sends file {sends} not found.")
    source = sends_input(sends)
    for name in source.split("/")[-1:]:
        if not name.lower().endswith((".jsonl", ".ndjson")):
            raise InputError(f"sends file {sends}: with --cluster it must be JSON Lines "
                             "(.jsonl), a glob of them or a folder of part-*.jsonl files.")
    from ..render.message import require_templates_folder

    require_templates_folder(config)  # once here, not as every line's error on the workers
    return run_on_cluster(cluster, config, SendsJob(from_po, use_fuzzy, strict), source, out,
                          **options)
