from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from toolkit.cli import app


def _run(*args: str):
    return CliRunner().invoke(app, list(args))


def _inputs(files) -> list[str]:
    return ["--customers", str(files["customers"]), "--orders", str(files["orders"]),
            "--responses", str(files["responses"])]


def test_json_shape(retention_files):
    result = _run("metrics", *_inputs(retention_files), "--period", "2026-Q3", "--by", "market",
                  "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["period"]["start"] == "2026-07-01" and data["period"]["end"] == "2026-09-30"
    dk = next(r for r in data["rows"] if r["key"] == "DK")
    assert dk["dimension"] == "market" and dk["aov"]["DKK"] == 233.33
    assert set(dk) >= {"customers", "orders", "crr", "churn", "repeat_rate", "frequency",
                       "aov", "clv", "nps"}
    assert "orders.csv:19: unknown customer 'c99'; row skipped" in result.stderr
    assert "skipped 6 bad rows (customers 2, orders 3, responses 1)" in result.stderr


def test_by_none_is_one_row_keyed_all(retention_files):
    result = _run("metrics", *_inputs(retention_files), "--period", "2026-Q3", "--by", "none",
                  "-f", "json")
    assert [(r["dimension"], r["key"]) for r in json.loads(result.stdout)["rows"]] == [
        ("none", "all")]


def test_table_formats_money_for_the_market(retention_files):
    result = _run("metrics", *_inputs(retention_files), "--period", "2026-Q3")
    assert result.exit_code == 0, result.output
    # Babel, da_DK for market DK: 233,33 kr.
    assert "233,33" in result.stdout and "DK" in result.stdout


def test_csv_has_one_line_per_currency(retention_files, tmp_path):
    out = tmp_path / "m.csv"
    result = _run("metrics", *_inputs(retention_files), "--period", "2026-Q3", "-f", "csv",
                  "--out", str(out))
    assert result.exit_code == 0, result.output
    assert f"wrote {out}" in result.stdout
    rows = list(csv.DictReader(io.StringIO(out.read_text("utf-8"))))
    dk = {r["currency"]: r for r in rows if r["key"] == "DK"}
    assert set(dk) == {"DKK", "EUR"} and dk["EUR"]["aov"] == "20.0" and dk["DKK"]["orders"] == "4"


def test_html_report_is_self_contained(retention_files, tmp_path):
    out = tmp_path / "report.html"
    result = _run("metrics", *_inputs(retention_files), "--period", "2026-Q3", "--trend", "2",
                  "-f", "html", "--out", str(out))
    assert result.exit_code == 0, result.output
    page = out.read_text("utf-8")
    assert "<script" not in page and "http://" not in page.replace(
        'xmlns="http://www.w3.org/2000/svg"', "")
    for heading in ("All customers", "By market", "By locale", "By tier"):
        assert heading in page
    assert page.count("<svg") == 4 * 8  # 5 figures + AOV in DKK, EUR, NOK per dimension
    assert "233,33" in page  # money in the market's locale


def test_usage_errors_exit_2(retention_files, tmp_path):
    bad_period = _run("metrics", *_inputs(retention_files), "--period", "2026-Q9")
    assert bad_period.exit_code == 2 and "cannot read period '2026-Q9'" in bad_period.stderr
    bad_by = _run("metrics", *_inputs(retention_files), "--period", "2026-Q3", "--by", "city")
    assert bad_by.exit_code == 2 and "--by" in bad_by.stderr
    missing = tmp_path / "orders.csv"
    missing.write_text("id,when\n1,2026-01-01\n", "utf-8")
    no_columns = _run("metrics", "--customers", str(retention_files["customers"]), "--orders",
                      str(missing), "--period", "2026-Q3")
    assert no_columns.exit_code == 2
    assert "orders.csv:1: orders file has no column 'customer_id'" in no_columns.stderr


@pytest.mark.parametrize("margin", ["1.5", "0", "-0.2", "nan", "inf"])
def test_margin_out_of_range_is_refused(retention_files, tmp_path, margin):
    out = tmp_path / "m.json"
    result = _run("metrics", *_inputs(retention_files), "--period", "2026-Q3",
                  "--margin", margin, "--format", "json", "--out", str(out))
    assert result.exit_code == 2, result.output
    assert "must be above 0 and at most 1" in result.stderr and "Traceback" not in result.output
    assert not out.exists()


def test_gross_margin_comes_from_the_project_config(retention_files, tmp_path):
    (tmp_path / "toolkit.toml").write_text('locales = ["da"]\ngross_margin = 0.5\n', "utf-8")
    result = _run("--project", str(tmp_path), "metrics", *_inputs(retention_files), "--period",
                  "2026-Q3", "--by", "market", "-f", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    dk = next(r for r in data["rows"] if r["key"] == "DK")
    assert data["margin"] == 0.5 and dk["clv"]["EUR"] == 60.0  # 20 x 2 x 3 x 0.5
    (tmp_path / "toolkit.toml").write_text('locales = ["da"]\ngross_margin = 35\n', "utf-8")
    bad = _run("--project", str(tmp_path), "metrics", *_inputs(retention_files), "--period",
               "2026-Q3")
    assert bad.exit_code == 2 and "'gross_margin' must be a number above 0" in bad.stderr


def test_a_file_duckdb_cannot_read_is_one_line_naming_file_and_line(retention_files, tmp_path):
    """DuckDB's own message ran to 26 lines with advice for its SQL options
    (encoding='UTF-16', ignore_errors=true); the error is one line (QA pass 11)."""
    utf16 = tmp_path / "customers.csv"
    utf16.write_bytes("customer_id,locale,country\nc1,da_DK,DK\n".encode("utf-16"))
    result = _run("metrics", "--customers", str(utf16), "--orders",
                  str(retention_files["orders"]), "--period", "2026-Q3")  # fmt: skip
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1, result.stderr
    assert f"{utf16}:1: cannot read customers file" in result.stderr
    assert "not utf-8" in result.stderr and "ignore_errors" not in result.stderr
