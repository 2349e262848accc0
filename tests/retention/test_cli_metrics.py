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


@pytest.mark.parametrize(("name", "start"), [("r.html", "<!DOCTYPE html>"), ("r.json", "{"),
                                             ("r.csv", "period,start,")])  # fmt: skip
def test_the_format_follows_the_out_files_suffix(retention_files, tmp_path, name, start):
    """'--out r.html' without --format wrote the text table into the .html file (QA pass
    59): the suffix says the format unless --format is given."""
    out = tmp_path / name
    result = _run("metrics", *_inputs(retention_files), "--period", "2026-Q3", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert out.read_text("utf-8").startswith(start)


def test_an_out_that_cannot_be_written_is_refused_before_the_work(retention_files, tmp_path,
                                                                   monkeypatch):  # fmt: skip
    """A folder as --out was refused only after every file was read and computed."""
    import toolkit.retention.metrics as metrics

    def never(*args, **kwargs):
        raise AssertionError("computed before --out was checked")

    monkeypatch.setattr(metrics, "compute_metrics", never)
    result = _run("metrics", *_inputs(retention_files), "--period", "2026-Q3",
                  "--out", str(tmp_path))  # fmt: skip
    assert result.exit_code == 2 and "is not a regular file" in result.stderr


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


def test_a_bad_config_found_from_the_current_folder_is_refused(retention_files, tmp_path,
                                                                 monkeypatch):
    """Without --project, a toolkit.toml found around the current folder counts as well: a
    gross_margin out of range (or any other config error) was dropped without a word and CLV
    computed at margin 1.0, 2.5x the figure meant (QA pass 81)."""
    monkeypatch.chdir(tmp_path)
    config = tmp_path / "toolkit.toml"
    config.write_text('locales = ["da"]\ngross_margin = 0.5\n', "utf-8")
    good = _run("metrics", *_inputs(retention_files), "--period", "2026-Q3", "-f", "json")
    assert good.exit_code == 0, good.output
    assert json.loads(good.stdout)["margin"] == 0.5
    for text in ('gross_margin = 1.5\n', 'gross_margin = 0.5\nbogus_key = 1\n'):
        config.write_text('locales = ["da"]\n' + text, "utf-8")
        bad = _run("metrics", *_inputs(retention_files), "--period", "2026-Q3", "-f", "json")
        assert bad.exit_code == 2, bad.output
        assert "toolkit.toml" in bad.stderr and bad.stdout == ""
    config.unlink()  # no project around: the data files alone, margin 1.0
    alone = _run("metrics", *_inputs(retention_files), "--period", "2026-Q3", "-f", "json")
    assert alone.exit_code == 0 and json.loads(alone.stdout)["margin"] == 1.0


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


def _money_inputs(tmp_path):
    (tmp_path / "customers.csv").write_text(
        "customer_id,locale,country\nk1,ar_KW,KW\ne1,de_DE,DE\nj1,ja_JP,JP\n", "utf-8")
    (tmp_path / "orders.csv").write_text(
        "order_id,customer_id,ordered_at,amount,currency\n"
        "1,k1,2026-08-01,1.234,KWD\n2,k1,2026-08-02,1.239,KWD\n"
        "3,e1,2026-08-01,5.55,EUR\n4,e1,2026-08-02,4.46,EUR\n"
        "5,j1,2026-08-03,100.5,JPY\n6,j1,2026-08-04,1200,JPY\n7,e1,2026-08-05,5.555,EUR\n",
        "utf-8")
    return ["--customers", str(tmp_path / "customers.csv"), "--orders",
            str(tmp_path / "orders.csv"), "--period", "2026-Q3"]


def test_money_has_each_currencys_own_digits_rounded_once(tmp_path):
    result = _run("metrics", *_money_inputs(tmp_path), "--by", "market", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = {r["key"]: r for r in json.loads(result.stdout)["rows"]}
    # Three-decimal dinars keep their third digit: 1.234 + 1.239, not 1.23 + 1.24.
    assert rows["KW"]["revenue"] == {"KWD": 2.473} and rows["KW"]["aov"] == {"KWD": 1.237}
    # Revenue and AOV agree: 10.01 / 2 = 5.005, rounded once (half up) to 5.01, not 5.0.
    assert rows["DE"]["revenue"] == {"EUR": 10.01} and rows["DE"]["aov"] == {"EUR": 5.01}
    assert rows["JP"]["revenue"] == {"JPY": 1200.0} and rows["JP"]["orders"] == 1
    # An amount with more decimals than its currency has is a bad row, located.
    assert "orders.csv:6: amount '100.5' has more decimals than JPY has (0); row skipped" in (
        result.stderr)
    assert "orders.csv:8: amount '5.555' has more decimals than EUR has (2); row skipped" in (
        result.stderr)
    assert json.loads(result.stdout)["skipped_rows"]["orders"] == 2
    table = _run("metrics", *_money_inputs(tmp_path), "--by", "market")
    assert "1.237" in table.stdout and "5,01" in table.stdout
    html_out = tmp_path / "report.html"
    html = _run("metrics", *_money_inputs(tmp_path), "--format", "html", "--out", str(html_out))
    assert html.exit_code == 0, html.output
    page = html_out.read_text("utf-8")
    assert "1.237" in page and "5,01" in page and "1.24 " not in page


def test_parquet_decimal_amounts_are_checked_against_the_currency_too(tmp_path):
    import duckdb

    args = _money_inputs(tmp_path)
    orders = tmp_path / "orders.parquet"
    duckdb.sql(f"COPY (SELECT * REPLACE (CAST(amount AS DECIMAL(18,3)) AS amount, "
               f"CAST(ordered_at AS TIMESTAMP) AS ordered_at) FROM read_csv('{args[3]}', "
               f"all_varchar = true)) TO '{orders}' (FORMAT parquet)")
    args[3] = str(orders)
    result = _run("metrics", *args, "--by", "market", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = {r["key"]: r for r in json.loads(result.stdout)["rows"]}
    assert rows["KW"]["revenue"] == {"KWD": 2.473} and rows["DE"]["aov"] == {"EUR": 5.01}
    assert "orders.parquet: row 5: amount '100.500' has more decimals than JPY has (0)" in (
        result.stderr)


def test_table_keys_from_the_data_cannot_drive_the_terminal(tmp_path):
    """A tier "G\\x1b[2Jold" cleared the screen, U+202E reversed the line, and "[bold]" was
    read as Rich markup (QA pass 58)."""
    customers = tmp_path / "c.csv"
    rows = ["customer_id,locale,country,tier", "k1,da_DK,DK,G\x1b[2Jold",
            "k2,da_DK,DK,\u202eSilver", "k3,da_DK,DK,[bold]x[/bold]"]  # fmt: skip
    customers.write_text("\n".join(rows) + "\n", "utf-8")
    orders = tmp_path / "o.csv"
    orders.write_text("order_id,customer_id,ordered_at,amount,currency\n"
                      "1,k1,2026-07-01,10,DKK\n2,k2,2026-07-01,10,DKK\n3,k3,2026-07-01,10,DKK\n",
                      "utf-8")  # fmt: skip
    result = _run("metrics", "--customers", str(customers), "--orders", str(orders),
                  "--period", "2026-Q3", "--by", "tier")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "\u202e" not in result.output
    assert "G\\x1b[2Jold" in result.output and "\\u202eSilver" in result.output
    assert "[bold]x[/bold]" in result.output
