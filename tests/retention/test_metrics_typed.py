"""Typed Parquet inputs (integer ids, TIMESTAMP dates, DECIMAL amounts) give the figures of the
CSV files, whether the statistics let a check be skipped (no NULLs in a column) or not.

The metrics read typed Parquet faster: a column whose row-group statistics count no NULL cannot
fail its NULL check, rows without a date need no second scan, dense integer ids are grouped with
a perfect hash table, and the orders are grouped per customer with money read again (a CSV is
parsed once, per customer and currency). None of that may change a figure or hide a bad row.
"""

from __future__ import annotations

import pytest

from toolkit.retention.data import _null_free, connect, load_data
from toolkit.retention.metrics import compute_metrics
from toolkit.retention.periods import parse_period

DIMENSIONS = ("none", "market", "locale", "tier")


def _typed(retention_files, folder, *, offset=0, clean=False):
    """The CSV dataset as typed Parquet: ids ``c7`` -> ``7 + offset``; unparseable dates and
    amounts become NULL (``clean``: rows with NULLs left out, so the statistics show none)."""
    import duckdb

    key = f"CAST(substr(customer_id, 2) AS BIGINT) + {offset}"
    selects = {
        "customers": f"SELECT * REPLACE ({key} AS customer_id)",
        "orders": f"SELECT order_id, {key} AS customer_id, "
                  "TRY_CAST(ordered_at AS TIMESTAMP) AS ordered_at, "
                  "TRY_CAST(amount AS DECIMAL(18, 2)) AS amount, currency",
        "responses": f"SELECT {key} AS customer_id, "
                     "TRY_CAST(answered_at AS TIMESTAMP) AS answered_at, "
                     "CAST(score AS INTEGER) AS score",
    }
    paths = {}
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    for name, path in retention_files.items():
        paths[name] = folder / f"{name}.parquet"
        where = " WHERE ordered_at IS NOT NULL AND amount IS NOT NULL" if (
            clean and name == "orders") else ""
        # Through a table: DuckDB would push the TRY_CASTs into the CSV reader as types.
        con.execute(f"CREATE TABLE {name} AS FROM read_csv('{path}', all_varchar = true)")
        con.execute(f"COPY (SELECT * FROM ({selects[name]} FROM {name}){where}) "
                    f"TO '{paths[name]}' (FORMAT parquet)")
    con.close()
    return paths


def _figures(files):
    result = compute_metrics(files["customers"], files["orders"], parse_period("2026-Q3"),
                             responses=files["responses"], dimensions=DIMENSIONS, trend=1)
    rows = {(i, r.dimension, r.key): r.as_dict()
            for i, period in enumerate(result.periods) for r in period.rows}
    return rows, result.report


@pytest.mark.parametrize("offset", [0, 10**12], ids=["dense ids", "sparse ids"])
def test_typed_parquet_with_nulls_gives_the_csv_figures_and_reports_the_same_rows(
    retention_files, tmp_path, offset
):
    expected, csv_report = _figures(retention_files)
    paths = _typed(retention_files, tmp_path, offset=offset)
    con = connect()
    assert {"ordered_at", "amount"}.isdisjoint(_null_free(con, paths["orders"], True))
    con.close()
    # The typed pass (per customer, money read again) against the text one (CSV: one pass).
    with load_data(paths["customers"], paths["orders"]) as typed:
        assert typed.orders_typed
    with load_data(retention_files["customers"], retention_files["orders"]) as text:
        assert not text.orders_typed
    rows, report = _figures(paths)
    assert rows == expected
    assert report.skipped == csv_report.skipped == {"customers": 2, "orders": 3, "responses": 1}
    assert report.used == csv_report.used
    shown = [str(b).split("/")[-1] for b in report.examples]
    assert shown == [
        "customers.parquet: row 8: unknown locale 'xx_QQ'",
        f"customers.parquet: row 9: customer_id '{2 + offset}' already on an earlier row",
        f"orders.parquet: row 18: unknown customer '{99 + offset}'",
        "orders.parquet: row 19: unparseable ordered_at ''",
        "orders.parquet: row 20: unparseable amount ''",
        "responses.parquet: row 8: score must be a whole number 0-10, not '11'",
    ]


def test_checks_that_the_statistics_rule_out_are_skipped_not_the_others(retention_files,
                                                                          tmp_path):
    expected, _ = _figures(retention_files)
    paths = _typed(retention_files, tmp_path, clean=True)
    con = connect()
    assert {"customer_id", "ordered_at", "amount", "currency"} <= _null_free(
        con, paths["orders"], True)
    con.close()
    rows, report = _figures(paths)
    assert rows == expected  # the two rows left out were skipped as bad rows from the CSV
    # The unknown customer is still found (the statistics say nothing about it).
    assert report.skipped == {"customers": 2, "orders": 1, "responses": 1}
    assert [str(b).split("/")[-1] for b in report.examples if b.kind == "orders"] == [
        "orders.parquet: row 18: unknown customer '99'"]


def test_null_free_needs_statistics(tmp_path):
    import duckdb

    path = tmp_path / "t.parquet"
    csv = tmp_path / "t.csv"
    csv.write_text("a,b\n1,\n2,x\n", "utf-8")
    duckdb.connect().execute(
        f"COPY (SELECT * FROM read_csv('{csv}')) TO '{path}' (FORMAT parquet)")
    con = connect()
    assert _null_free(con, path, True) == {"a"}
    assert _null_free(con, csv, False) == set()
    con.close()


def test_dense_keys_restores_the_connection_setting():
    from toolkit.retention.data import dense_keys

    con = connect()
    setting = "SELECT current_setting('perfect_ht_threshold')"
    default = con.execute(setting).fetchone()[0]
    with dense_keys(con, 1_000_000):
        assert con.execute(setting).fetchone()[0] == 21  # 2 x 1M ids fit in 21 bits
    assert con.execute(setting).fetchone()[0] == default
    con.execute("SET perfect_ht_threshold = 16")
    with dense_keys(con, 10):  # never lowers a caller's own setting
        assert con.execute(setting).fetchone()[0] == 16
    assert con.execute(setting).fetchone()[0] == 16
    con.close()


def test_text_orders_outside_the_periods_are_not_checked(retention_files, tmp_path):
    # CSV currencies are listed over the whole file (no date parsed for that), but only the
    # rows in the periods are checked and reported: a bad currency in Q1 is not a bad row.
    orders = tmp_path / "orders.csv"
    orders.write_text(
        "order_id,customer_id,ordered_at,amount,currency\n"
        "x1,c1,2026-01-02,10,kr\n"
        "x2,c1,2026-04-02,10, dkk\n"
        "x3,c1,2026-07-02,30,DKK\n"
        "x4,c1,2026-07-03,5,nok \n", "utf-8")
    result = compute_metrics(retention_files["customers"], orders, parse_period("2026-Q3"),
                             dimensions=("none",))
    row = result.current.rows[0].as_dict()
    assert row["revenue"] == {"DKK": 30.0, "NOK": 5.0} and (row["base"], row["retained"]) == (1, 1)
    assert result.report.skipped["orders"] == 0 and result.report.used["orders"] == 3
