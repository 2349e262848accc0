"""Part files: written atomically by each partition task, committed together by the client.

JSON Lines parts hold the lines of a local run; Parquet parts (an output folder named
``*.parquet``) have a fixed schema (:data:`PARQUET_COLUMNS`) so that every part reads as one
dataset.
"""

from __future__ import annotations

import contextlib
import json
import uuid
from collections.abc import Callable, Iterator
from typing import Any


def output_format(out: str) -> str:
    """``parquet`` for an output folder named ``*.parquet``, else ``jsonl``."""
    return "parquet" if out.rstrip("/").lower().endswith(".parquet") else "jsonl"


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


def drop_part_rows(url: str, rows: set[int], fmt: str) -> None:
    """Write a staged part file again without the lines of input ``rows`` (each line's
    ``row``, which the JSON record and the Parquet column both carry)."""
    import fsspec

    fs, path = fsspec.core.url_to_fs(url)
    if fmt == "parquet":
        import pyarrow.parquet as pq

        with fs.open(path, "rb") as handle:
            table = pq.read_table(handle, columns=["row", "message"])
        numbers, messages = table.column("row").to_pylist(), table.column("message").to_pylist()
        lines = [m for r, m in zip(numbers, messages, strict=True) if r not in rows]
    else:
        with fs.open(path, "rb") as handle:
            text = handle.read().decode("utf-8")
        lines = [line for line in text.split("\n") if line and json.loads(line)["row"] not in rows]
    write_part(url, lines, fmt)


def commit_parts(fs: Any, staging: str, out_path: str) -> None:
    """Move the staged part files into the output folder, replacing an earlier run's parts."""
    staged = sorted(p for p in fs.ls(staging, detail=False) if p.rsplit("/", 1)[-1][:5] == "part-")
    names = {p.rsplit("/", 1)[-1] for p in staged}
    for old in fs.glob(f"{out_path}/part-*"):
        if old.rsplit("/", 1)[-1] not in names:
            fs.rm(old)
    for path in staged:
        fs.mv(path, f"{out_path}/{path.rsplit('/', 1)[-1]}")
    fs.rm(staging, recursive=True)
    # An interrupted run removes its staging folder, but a task that was already running on a
    # worker may finish afterwards and write its part again (making the folder anew): the next
    # run into the same folder (which replaces all parts anyway) removes what is left.
    for stale in fs.glob(f"{out_path}/.staging-*"):
        with contextlib.suppress(OSError):
            fs.rm(stale, recursive=True)


@contextlib.contextmanager
def staged_output(
    fs: Any, out_path: str, run: str, cancel: Callable[[], None]
) -> Iterator[str]:
    """A staging folder in ``out_path`` for one run's part files: committed into ``out_path``
    (:func:`commit_parts`) when the block completes; when it fails, ``cancel()`` stops the
    cluster's tasks and the staging folder (and ``out_path``, if this run made it) is removed,
    so a failed run leaves nothing behind."""
    created = not fs.exists(out_path)
    staging = f"{out_path}/.staging-{run}"
    fs.makedirs(staging, exist_ok=True)
    try:
        yield staging
        commit_parts(fs, staging, out_path)
    except BaseException:
        cancel()
        with contextlib.suppress(OSError):
            fs.rm(staging, recursive=True)
        if created:
            with contextlib.suppress(OSError):
                fs.rmdir(out_path)
        raise
