"""Partitions of CSV / JSONL / Parquet inputs read the rows a local run reads, with their lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit.cluster.partitions import (
    count_line_ends,
    plan_partitions,
    read_partition,
    with_first_lines,
)
from toolkit.errors import InputError
from toolkit.render.batch import read_customers

from .test_cluster import write_inputs


def partitioned_rows(url: str, size: int) -> list:
    partitions = plan_partitions(url, size)
    partitions = with_first_lines(partitions, [count_line_ends(p) for p in partitions])
    return [row for partition in partitions for row in read_partition(partition)]


@pytest.mark.parametrize("size", [7, 1000, 10**9])
@pytest.mark.parametrize("kind", ["csv", "jsonl", "parquet"])
def test_partitions_read_the_rows_of_a_local_run(kind, size, tmp_path):
    path = write_inputs(tmp_path)[kind]
    assert partitioned_rows(str(path), size) == list(read_customers(path))


def test_a_glob_reads_every_file_in_name_order_each_with_its_own_lines(tmp_path):
    first = tmp_path / "a.csv"
    first.write_text("id,locale\n1,da\n2,nb\n")
    (tmp_path / "b.jsonl").write_text('{"id": 3, "locale": "lt"}\n')
    rows = partitioned_rows(str(tmp_path / "*.*sv*"), 5)
    assert rows == [(2, {"id": "1", "locale": "da"}), (3, {"id": "2", "locale": "nb"})]
    plans = plan_partitions(f"{tmp_path}/[ab].*", 5)
    assert {p.kind for p in plans} == {"csv", "jsonl"}
    assert [p.index for p in plans] == list(range(len(plans)))


def test_a_cut_inside_a_quoted_csv_value_is_refused(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("id,locale,note\n" + '1,da,"two\nlines"\n2,nb,"one, ""quoted"""\n' * 20)
    whole = partitioned_rows(str(path), 10**6)
    assert whole == list(read_customers(path)) and len(whole) == 40
    with pytest.raises(InputError, match=r"c.csv:\d+: a quoted value runs past this line"):
        partitioned_rows(str(path), 30)


def test_unusable_inputs_are_refused_when_planning(tmp_path):
    (tmp_path / "c.csv").write_text("id,name\n1,x\n")
    with pytest.raises(InputError, match=r"c.csv:1: no 'locale' column"):
        plan_partitions(str(tmp_path / "c.csv"))
    with pytest.raises(InputError, match="no customers file matches"):
        plan_partitions(str(tmp_path / "*.jsonl"))
    with pytest.raises(InputError, match="not found"):
        plan_partitions(str(tmp_path / "missing.csv"))
    with pytest.raises(InputError, match=".csv, .jsonl or .parquet"):
        plan_partitions(str(Path(tmp_path / "c.txt")))


@pytest.mark.parametrize("name", ["toolkit.cluster.connect", "toolkit.cli.cluster_run"])
def test_doctests(name):
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(name))
    assert result.failed == 0 and result.attempted > 0
