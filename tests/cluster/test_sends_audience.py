"""render-batch --sends and toolkit audience on the shared LocalCluster: same as a local run."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from toolkit.cli import app
from toolkit.cluster import render_sends_on_cluster
from toolkit.render.batch import RowError
from toolkit.render.sends import render_sends

from .test_cluster import EMAIL, customer_rows

HEADER = ["id", "locale", "first_name", "amount", "due_date", "items", "timezone"]


def sends_lines(start: int, count: int) -> list[str]:
    """Sends of three templates (some rows fail to render), plus unusable lines."""
    lines = []
    for i, row in enumerate(customer_rows(start + count)[start:]):
        data = dict(zip(HEADER, row, strict=True))
        send = {"customer_id": data["id"], "locale": data["locale"], "rule": f"rule-{i % 3}",
                "template": EMAIL, "data": data}
        if i % 3 == 1:
            send["template"] = "push/points-expiring.j2"
            send["data"] = {"points": i, "expires": "2026-10-10"}
        elif i % 3 == 2:
            send["template"] = "sms/reactivation.j2"
            send["data"] = {"first_name": data["first_name"], "code": "X", "discount": 5}
        lines.append(json.dumps(send))
    lines[5], lines[9] = "{oops", json.dumps({"customer_id": "z", "template": EMAIL})
    lines[12] = json.dumps({"customer_id": "y", "template": "../../etc/passwd",
                            "locale": "da_DK", "data": {}})
    return lines


def test_sends_on_the_cluster_equal_local_runs(scheduler, cluster_project, tmp_path):
    folder = tmp_path / "sends"
    folder.mkdir()
    parts = []
    for index, start in enumerate((0, 90)):
        part = folder / f"part-{index:05d}.jsonl"
        part.write_text("\n".join(sends_lines(start, 90)) + "\n", "utf-8")
        parts.append(part)
    expected, expected_errors = b"", []
    for part in parts:
        errors: list[RowError] = []
        render_sends(cluster_project, part, tmp_path / "local.jsonl", on_error=errors.append)
        expected += (tmp_path / "local.jsonl").read_bytes()
        expected_errors += [(part.resolve().as_uri(), e) for e in errors]
    assert len(expected_errors) > 6 and expected.count(b"\n") > 100
    out = tmp_path / "out"
    got: list[tuple[str, RowError]] = []
    result = render_sends_on_cluster(  # a folder of part files: its part-*.jsonl
        scheduler, cluster_project, str(folder), str(out), partition_bytes=4096,
        on_error=lambda source, error: got.append((source, error)),
    )
    assert len(result.partitions) > 4
    assert b"".join(p.read_bytes() for p in sorted(out.glob("part-*"))) == expected
    assert got == expected_errors  # same rows, ids, reasons, files and order
    assert (result.rendered, result.failed) == (expected.count(b"\n"), len(expected_errors))


def test_cli_sends_cluster_prints_file_and_line_and_exits_1(
    scheduler, cluster_project, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    Path("sends.jsonl").write_text("\n".join(sends_lines(0, 30)) + "\n", "utf-8")
    base = ["--project", str(cluster_project.root), "render-batch", "--sends", "sends.jsonl"]
    local = CliRunner().invoke(app, [*base, "-o", "local.jsonl", "--no-progress"])
    result = CliRunner().invoke(app, [*base, "-o", "out", "--cluster", scheduler,
                                      "--partition-size", "2k", "--no-progress"])
    assert (local.exit_code, result.exit_code) == (1, 1), result.stderr
    assert "sends.jsonl:6: row 6: not valid JSON" in result.stderr
    assert "sends.jsonl:10: row 10: no locale, data" in result.stderr
    assert "sends.jsonl:13: row 13 (id y): '../../etc/passwd' is outside" in result.stderr
    assert [line for line in result.stderr.splitlines() if line.startswith("sends.jsonl:")] == [
        line for line in local.stderr.splitlines() if line.startswith("sends.jsonl:")]
    rows = b"".join(p.read_bytes() for p in sorted(Path("out").glob("part-*")))
    assert rows == Path("local.jsonl").read_bytes()
    usage = CliRunner().invoke(app, [*base, "-o", "-", "--cluster", scheduler])
    assert usage.exit_code == 2 and "not to stdout" in usage.stderr
