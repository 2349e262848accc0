"""render-batch on a Dask LocalCluster (2 worker processes): same output as a local run."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from toolkit.cluster import render_batch_on_cluster
from toolkit.errors import ClusterError, InputError
from toolkit.render.batch import RowError, render_batch

from ..render.test_batch import CSV

EMAIL = "email/payment-reminder.j2"
GOOD, BAD = 150, 150  # of the 300 rows below: every other row of CSV is a bad one


def customer_rows(count: int = 300) -> list[list[str]]:
    body = [line.split(",") for line in CSV.splitlines()[1:]]
    return [[f"r{i}", *body[i % len(body)][1:]] for i in range(count)]


def write_inputs(folder: Path) -> dict[str, Path]:
    """The same customers as CSV, JSONL (plus broken lines) and Parquet (small row groups)."""
    header = CSV.splitlines()[0].split(",")
    rows = customer_rows()
    csv_path = folder / "customers.csv"
    csv_path.write_text("\n".join([",".join(header), *(",".join(r) for r in rows)]) + "\n")
    lines = [json.dumps(dict(zip(header, r, strict=True))) for r in rows]
    lines[10], lines[20] = "not json", "[1, 2]"
    lines.insert(40, "")
    jsonl_path = folder / "customers.jsonl"
    jsonl_path.write_text("\n".join(lines) + "\n")
    table = pa.table({name: [r[i] for r in rows] for i, name in enumerate(header)})
    parquet_path = folder / "customers.parquet"
    pq.write_table(table, parquet_path, row_group_size=40)
    return {"csv": csv_path, "jsonl": jsonl_path, "parquet": parquet_path}


def local_run(config, customers: Path, out: Path, **options) -> tuple[bytes, list[RowError]]:
    errors: list[RowError] = []
    render_batch(config, EMAIL, customers, out, on_error=errors.append, **options)
    return out.read_bytes(), errors


def part_lines(folder: Path) -> bytes:
    """The part files' rows in partition order, as JSON lines."""
    parts = sorted(folder.glob("part-*"))
    if parts and parts[0].suffix == ".parquet":
        lines = [line for p in parts for line in pq.read_table(p)["message"].to_pylist()]
        return "".join(line + "\n" for line in lines).encode()
    return b"".join(p.read_bytes() for p in parts)


@pytest.mark.parametrize(("kind", "strict"), [
    ("csv", False), ("jsonl", False), ("parquet", False), ("csv", True)])
def test_cluster_output_equals_the_local_run(kind, strict, scheduler, cluster_project, tmp_path):
    customers = write_inputs(tmp_path)[kind]
    expected, expected_errors = local_run(cluster_project, customers, tmp_path / "local.jsonl",
                                          strict=strict)
    out = tmp_path / ("out.parquet" if kind == "parquet" else "out")
    errors: list[tuple[str, RowError]] = []
    result = render_batch_on_cluster(
        scheduler, cluster_project, EMAIL, str(customers), str(out), strict=strict,
        partition_bytes=2048, on_error=lambda source, error: errors.append((source, error)),
    )
    assert not strict or any(e.reason.startswith("strict:") for _, e in errors)
    assert len(result.partitions) > 3
    assert part_lines(out) == expected
    assert [e for _, e in errors] == expected_errors  # same rows, ids, reasons and order
    assert {source for source, _ in errors} == {customers.resolve().as_uri()}
    assert (result.rendered, result.failed) == (expected.count(b"\n"), len(expected_errors))
    assert sorted(p.name for p in out.iterdir()) == [p.name for p in sorted(out.glob("part-*"))]


def test_parquet_parts_have_typed_columns(scheduler, cluster_project, tmp_path):
    customers = write_inputs(tmp_path)["csv"]
    out = tmp_path / "out.parquet"
    render_batch_on_cluster(scheduler, cluster_project, EMAIL, str(customers), str(out))
    table = pq.read_table(out / "part-00000.parquet")
    assert table.column_names == ["row", "id", "locale", "parts", "message"]
    first = table.slice(0, 1).to_pylist()[0]
    assert (first["row"], first["id"], first["locale"]) == (2, "r0", "da_DK")
    assert dict(first["parts"])["subject"] == "Mette, din faktura er klar"


def test_a_worker_killed_mid_run_gives_each_row_once(scheduler, cluster_project, tmp_path):
    from distributed import Client

    customers = write_inputs(tmp_path)["csv"]
    expected, _ = local_run(cluster_project, customers, tmp_path / "local.jsonl")
    with Client(scheduler) as client:
        pids = client.run(os.getpid)
        killed: list[str] = []

        def kill_first_worker(result) -> None:
            if not killed:  # the worker that just finished a partition still has queued ones
                killed.append(result.worker)
                os.kill(pids[result.worker], signal.SIGKILL)

        out = tmp_path / "out"
        result = render_batch_on_cluster(
            scheduler, cluster_project, EMAIL, str(customers), str(out),
            partition_bytes=512, on_partition=kill_first_worker,
        )
        assert killed and len(result.partitions) > 20
        client.wait_for_workers(2, timeout=60)
    assert (result.rendered, result.failed) == (GOOD, BAD)
    assert part_lines(out) == expected  # every good row exactly once, in order
    assert not list(out.glob(".*"))  # no staging folder or temporary file left


def test_earlier_parts_are_replaced_and_failures_leave_nothing(
    scheduler, cluster_project, tmp_path
):
    customers = write_inputs(tmp_path)["jsonl"]
    out = tmp_path / "out"
    out.mkdir()
    (out / "part-00999.jsonl").write_text("stale\n")
    render_batch_on_cluster(scheduler, cluster_project, EMAIL, str(customers), str(out))
    assert [p.name for p in out.iterdir()] == ["part-00000.jsonl"]

    # Bad UTF-8 in one row is that row's error (as in a local run); the batch goes on.
    lines = write_inputs(tmp_path)["csv"].read_bytes().splitlines(keepends=True)
    broken = tmp_path / "broken.csv"
    broken.write_bytes(b"".join(lines) + b"\xff" + lines[1])
    local_bytes, local_errors = local_run(cluster_project, broken, tmp_path / "local.jsonl")
    result = render_batch_on_cluster(scheduler, cluster_project, EMAIL, str(broken),
                                     str(tmp_path / "mixed"), partition_bytes=1024)
    errors = [e for part in result.partitions for e in part.errors]
    assert [(e.row, e.reason) for e in errors] == [(e.row, e.reason) for e in local_errors]
    assert any(e.row == len(lines) + 1 and "not valid UTF-8" in e.reason for e in errors)
    assert part_lines(tmp_path / "mixed") == local_bytes

    # A run that fails leaves no output folder at all.
    quoted = tmp_path / "quoted.csv"
    quoted.write_bytes(b"id,locale,first_name\n" + b'c1,da,"A\nB"\n' * 300)
    fresh = tmp_path / "fresh"
    with pytest.raises(InputError, match=r"quoted.csv:\d+: a quoted value runs past"):
        render_batch_on_cluster(scheduler, cluster_project, EMAIL, str(quoted), str(fresh),
                                partition_bytes=1024)
    assert not fresh.exists()


def test_workers_missing_or_differing_project_are_refused(scheduler, cluster_project, tmp_path):
    customers = write_inputs(tmp_path)["csv"]
    out = tmp_path / "out"
    with pytest.raises(ClusterError, match="not found on this worker"):
        render_batch_on_cluster(scheduler, cluster_project, EMAIL, str(customers), str(out),
                                worker_project=str(tmp_path / "nowhere"), ship=False)
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(cluster_project.root, copy)
    (copy / "templates" / EMAIL).write_text("{% block subject %}changed{% endblock %}")
    with pytest.raises(ClusterError, match="differs from the client's copy"):
        render_batch_on_cluster(scheduler, cluster_project, EMAIL, str(customers), str(out),
                                worker_project=str(copy), ship=False)
    shared = render_batch_on_cluster(scheduler, cluster_project, EMAIL, str(customers), str(out),
                                     worker_project=str(cluster_project.root), ship=False)
    assert shared.rendered == GOOD
    assert not list(out.glob(".*"))


def test_mismatched_versions_are_refused(scheduler, cluster_project, tmp_path, monkeypatch):
    from toolkit.cluster import connect

    here = dict(connect.environment(), toolkit="9.9.9 (code 000000000000)")
    monkeypatch.setattr(connect, "environment", lambda: here)
    out = tmp_path / "out"
    with pytest.raises(ClusterError, match=r"runs other versions: toolkit 9\.9\.9"):
        render_batch_on_cluster(scheduler, cluster_project, EMAIL,
                                str(write_inputs(tmp_path)["csv"]), str(out))
    assert not out.exists()


def test_unreachable_scheduler_is_one_clear_error(cluster_project, tmp_path):
    out = tmp_path / "out"
    with pytest.raises(ClusterError, match="cannot reach the Dask scheduler at tcp://127.0.0.1:9"):
        render_batch_on_cluster("tcp://127.0.0.1:9", cluster_project, EMAIL,
                                str(write_inputs(tmp_path)["csv"]), str(out), timeout=2)
    assert not out.exists()


def test_a_scheduler_without_workers_is_one_clear_error(cluster_project, tmp_path):
    import logging

    from distributed import LocalCluster

    out = tmp_path / "out"
    with LocalCluster(n_workers=0, processes=False, dashboard_address=None,
                      silence_logs=logging.ERROR) as empty:
        with pytest.raises(ClusterError, match="has no workers"):
            render_batch_on_cluster(empty.scheduler_address, cluster_project, EMAIL,
                                    str(write_inputs(tmp_path)["csv"]), str(out), timeout=1)
    assert not out.exists()


def test_cli_cluster_run_exit_codes_and_errors(scheduler, cluster_project, tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from toolkit.cli import app

    monkeypatch.chdir(tmp_path)
    write_inputs(tmp_path)
    base = ["--project", str(cluster_project.root), "render-batch", EMAIL, "-c", "customers.csv"]
    result = CliRunner().invoke(app, [*base, "-o", "out", "--cluster", scheduler,
                                      "--errors", "errors.jsonl", "--partition-size", "2k"])
    assert result.exit_code == 1, result.stderr
    assert "dashboard: http://" in result.stderr
    assert "customers.csv:4: row 4 (id r2): Unknown locale 'xx_YY'" in result.stderr
    assert "wrote out (" in result.stdout and "150 messages, 150 failed rows" in result.stdout
    errors = [json.loads(line) for line in Path("errors.jsonl").read_text().splitlines()]
    assert len(errors) == BAD and errors[0]["row"] == 4
    usage = CliRunner().invoke(app, [*base, "-o", "x", "--cluster", "nonsense"])
    assert usage.exit_code == 2 and "neither local:N nor a scheduler address" in usage.stderr
    stdout = CliRunner().invoke(app, [*base, "-o", "-", "--cluster", scheduler])
    assert stdout.exit_code == 2 and "not to stdout" in stdout.stderr
    sends = CliRunner().invoke(app, ["--project", str(cluster_project.root), "render-batch",
                                     "--sends", "customers.jsonl", "-o", "x", "--cluster", "x"])
    assert sends.exit_code == 2 and "neither local:N nor a scheduler address" in sends.stderr


def test_without_cluster_dask_is_never_imported(cluster_project, tmp_path):
    customers = write_inputs(tmp_path)["csv"]
    script = (
        "import sys\n"
        "from toolkit.cli import main\n"
        f"sys.argv = ['toolkit', '--project', {str(cluster_project.root)!r}, 'render-batch',\n"
        f"            {EMAIL!r}, '-c', {str(customers)!r}, '-o', {str(tmp_path / 'o.jsonl')!r},\n"
        "            '--no-progress']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'dask', 'distributed', 'fsspec'}))"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         check=False)
    assert run.stdout.strip().splitlines()[-1] == "[]", run.stderr
    assert (tmp_path / "o.jsonl").read_text().count("\n") == GOOD


def test_a_run_removes_staging_folders_an_interrupted_run_left(tmp_path):
    """A task that was running when a run was interrupted can write its part after the run
    removed its staging folder; the next run into the same folder clears it."""
    import fsspec

    from toolkit.cluster.output import commit_parts

    out = tmp_path / "out"
    stale = out / ".staging-0123456789ab"
    stale.mkdir(parents=True)
    (stale / "part-00001.jsonl").write_text("{}\n", "utf-8")
    staging = out / ".staging-ba9876543210"
    staging.mkdir()
    (staging / "part-00000.jsonl").write_text('{"id": "c1"}\n', "utf-8")
    commit_parts(fsspec.filesystem("file"), str(staging), str(out))
    assert sorted(p.name for p in out.iterdir()) == ["part-00000.jsonl"]


def test_an_id_column_the_csv_lacks_is_refused_before_the_cluster(cluster_project, tmp_path):
    """A local run refused it; on the cluster every row got "id": null (QA pass 62)."""
    customers = write_inputs(tmp_path)["csv"]
    out = tmp_path / "out"
    with pytest.raises(InputError, match="no column 'user_id' for --id-column"):
        render_batch_on_cluster("tcp://127.0.0.1:1", cluster_project, EMAIL, str(customers),
                                str(out), id_column="user_id")  # fmt: skip
    assert not out.exists()
