"""Customer files cut into partitions that workers read themselves, keeping file and line.

A partition is a byte range of a CSV or JSON Lines file (cut at line ends, like
``dask.dataframe.read_csv``) or one row group of a Parquet file. Planning reads only sizes,
CSV headers and Parquet footers; the line a partition starts at is found by counting line ends
in the partitions before it (a cheap task the cluster runs in parallel, see
:func:`count_line_ends`). Workers then read their partition through fsspec, so a path or any
fsspec URL (``s3://``, ``gs://``, ``abfs://``...) works when the workers can reach it.

Row numbers are those of a local run: the line in the file (CSV header is line 1), or the
1-based row of a Parquet file. CSV values with line breaks inside quotes cannot be cut at line
ends: a cut inside one is detected (odd number of quotes before it) and refused; give such a
file as one partition (a ``--partition-size`` larger than the file).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..errors import InputError

Row = tuple[int, dict[str, Any] | str]  # as toolkit.render.batch.Row

TEXT_SUFFIXES = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl"}
PARQUET_SUFFIXES = (".parquet", ".pq")
DEFAULT_PARTITION_BYTES = 16 * 1024 * 1024


@dataclass(frozen=True)
class Partition:
    """One piece of the input that one task reads: where it is and the line it starts at."""

    index: int  # position in the whole input; output part files are numbered by it
    source: str  # path or URL of the file, as fsspec opens it
    kind: str  # "csv", "jsonl" or "parquet"
    offset: int  # byte offset (csv/jsonl) or row group number (parquet)
    length: int  # bytes (csv/jsonl) or rows (parquet)
    first_line: int = 1  # line (or Parquet row) number of the partition's first row
    header: tuple[str, ...] = ()  # CSV column names, read once when planning

    @property
    def name(self) -> str:
        return f"part-{self.index:05d}"


def file_kind(path: str) -> str:
    """``csv``, ``jsonl`` or ``parquet`` from a file name; other names are refused."""
    lower = path.lower()
    for suffix, kind in TEXT_SUFFIXES.items():
        if lower.endswith(suffix):
            return kind
    if lower.endswith(PARQUET_SUFFIXES):
        return "parquet"
    raise InputError(
        f"{path}: customers must be .csv, .jsonl or .parquet files.",
        hint="Export one customer per row with a 'locale' column.",
    )


def plan_partitions(url: str, partition_bytes: int = DEFAULT_PARTITION_BYTES) -> list[Partition]:
    """Partitions of every file ``url`` names (a path, an fsspec URL, or a glob of either).

    Line numbers of text partitions after the first of each file are not known yet; see
    :func:`with_first_lines`.
    """
    import fsspec

    if partition_bytes < 1:
        raise InputError("--partition-size must be 1 byte or more.")
    typed = url
    if "://" not in url:  # a local path: '..' resolved in the sources --errors names
        import os

        url = os.path.normpath(os.path.abspath(url))
    try:
        fs, path = fsspec.core.url_to_fs(url)
        paths = sorted(fs.glob(path)) if any(c in path for c in "*?[") else [path]
        partitions: list[Partition] = []
        for name in paths:
            kind = file_kind(name)
            if not fs.isfile(name):
                raise InputError(f"customers file {typed} not found.")
            source = fs.unstrip_protocol(name)
            if kind == "parquet":
                partitions += _parquet_partitions(fs, name, source, len(partitions))
            else:
                partitions += _text_partitions(fs, name, source, kind, partition_bytes,
                                               len(partitions))
    except (OSError, ValueError, ImportError) as exc:
        raise InputError(f"cannot read customers {typed}: {exc}.") from exc
    if not paths:
        raise InputError(f"no customers file matches {typed}.")
    return partitions


def _text_partitions(
    fs: Any, name: str, source: str, kind: str, size: int, start: int
) -> list[Partition]:
    total = fs.size(name)
    header: tuple[str, ...] = ()
    if kind == "csv":
        with fs.open(name, "rb") as handle:
            first = handle.readline().decode("utf-8-sig")
        header = tuple(next(csv.reader([first]), []))
        if header:
            from ..render.customers import check_csv_header

            check_csv_header(header, source)
    offsets = range(0, max(total, 1), size)
    return [
        Partition(start + i, source, kind, offset, size, 1 if i == 0 else 0, header)
        for i, offset in enumerate(offsets)
    ]


def _parquet_partitions(fs: Any, name: str, source: str, start: int) -> list[Partition]:
    import pyarrow.parquet as pq

    with fs.open(name, "rb") as handle:
        meta = pq.ParquetFile(handle).metadata
        if "locale" not in meta.schema.names:
            raise InputError(
                f"{source}: no 'locale' column (columns: {', '.join(meta.schema.names)}).",
                hint="Add a 'locale' column with each customer's locale, e.g. da_DK.",
            )
        partitions, row = [], 1
        for group in range(meta.num_row_groups):
            rows = meta.row_group(group).num_rows
            partitions.append(Partition(start + group, source, "parquet", group, rows, row))
            row += rows
    return partitions


def with_first_lines(
    partitions: list[Partition], counts: list[tuple[int, int]]
) -> list[Partition]:
    """Set each text partition's first line from the line ends counted in the ones before it.

    ``counts[i]`` is :func:`count_line_ends` of ``partitions[i]``. A CSV cut inside a quoted
    value (an odd number of double quotes before the cut) is refused: its rows would be wrong.
    """
    result: list[Partition] = []
    line, quotes, source = 1, 0, None
    for partition, (ends, quote_marks) in zip(partitions, counts, strict=True):
        if partition.source != source:
            source, line, quotes = partition.source, 1, 0
        if partition.kind == "csv" and quotes % 2:
            raise InputError(
                f"{partition.source}:{line - 1}: a quoted value runs past this line, where "
                "the file is cut into partitions.",
                hint="Use a --partition-size larger than the file, or JSONL or Parquet input.",
            )
        if partition.kind != "parquet":
            partition = replace(partition, first_line=line)
        result.append(partition)
        line += ends
        quotes += quote_marks
    return result


def _read_block(partition: Partition) -> bytes:
    import fsspec
    from fsspec.utils import read_block

    with fsspec.open(partition.source, "rb") as handle:
        return bytes(read_block(handle, partition.offset, partition.length, delimiter=b"\n"))


def count_line_ends(partition: Partition) -> tuple[int, int]:
    """Line ends and double quotes in a text partition (runs on a worker; Parquet: 0, 0)."""
    if partition.kind == "parquet":
        return 0, 0
    data = _read_block(partition)
    return data.count(b"\n"), data.count(b'"') if partition.kind == "csv" else 0


def read_partition(partition: Partition) -> Iterator[Row]:
    """The rows of one partition with their line numbers, as a local run numbers them."""
    if partition.kind == "parquet":
        yield from _parquet_rows(partition)
        return
    data = _read_block(partition)
    # The local reader's row functions (toolkit.render.customers), on this partition's bytes:
    # same rows, same problems (bad UTF-8, overlong rows, deep JSON are row errors there too).
    from ..render.customers import _csv_header, _csv_rows, _jsonl_rows, _LineReader

    lines = _LineReader(io.BytesIO(data))
    shift = partition.first_line - 1
    if partition.kind == "jsonl":
        rows = _jsonl_rows(lines)
    else:
        reader = csv.reader(lines)
        if partition.offset == 0:
            header = _csv_header(reader, lines, Path(partition.source)) or []
            shift = 0
        else:
            header = list(partition.header)
        rows = _csv_rows(reader, lines, header)
    for number, value in rows:
        yield number + shift, value


def _parquet_rows(partition: Partition) -> Iterator[Row]:
    import fsspec
    import pyarrow.parquet as pq

    with fsspec.open(partition.source, "rb") as handle:
        table = pq.ParquetFile(handle).read_row_group(partition.offset)
    yield from parquet_records(table.to_pylist(), partition.first_line)


def parquet_records(records: list[dict[str, Any]], first_row: int) -> Iterator[Row]:
    """Parquet rows as customer rows: a null is a field the customer does not have."""
    for number, record in enumerate(records, first_row):
        yield number, {k: v for k, v in record.items() if v is not None}


def read_parquet_customers(path: str) -> Iterator[Row]:
    """Every row of a local Parquet file, one row group at a time (for a run without Dask)."""
    try:
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise InputError(
            f"{path}: reading Parquet needs pyarrow.",
            hint="pip install '.[dask]' (from the toolkit's folder).",
        ) from exc

    try:
        parquet = pq.ParquetFile(path)
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read customers file {path}: {exc}.") from exc
    if "locale" not in parquet.schema_arrow.names:
        raise InputError(
            f"{path}: no 'locale' column (columns: {', '.join(parquet.schema_arrow.names)}).",
            hint="Add a 'locale' column with each customer's locale, e.g. da_DK.",
        )

    def rows() -> Iterator[Row]:
        first = 1
        for group in range(parquet.num_row_groups):
            records = parquet.read_row_group(group).to_pylist()
            yield from parquet_records(records, first)
            first += len(records)

    return rows()
