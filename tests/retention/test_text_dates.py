"""Dates read from text (CSV): the plain form takes a cheaper cast than offsets and zones, and
a CSV file's dates are parsed once while it is loaded. Neither may change a value."""

from __future__ import annotations

import pytest

from toolkit.errors import InputError
from toolkit.retention.data import connect
from toolkit.retention.metrics import compute_metrics
from toolkit.retention.periods import parse_period
from toolkit.retention.sql import as_timestamp

TEXTS = [
    "2026-07-01 00:00:00", "1000-01-01 00:00:00", "2999-12-31 23:59:59", "2026-7-01  10:00:00",
    "2026-07-01 10:00:0Z", "2026-07-01 10:00:+2", "+026-07-01 10:00:00", "0999-12-31 10:00:00",
    "3000-01-01 00:00:00", "2026-07-01 10:00:60", "2026-02-29 10:00:00",
    "2026-07-01", "2026-07-01 10:00:00", "2026-07-01T10:00:00", "2026-07-01 10:00",
    "2026-07-01T10:00:00.123456", "2026-07-01 10:00:00.123456789", "2026-7-1",
    "2026-07-01 24:00:00", "2024-02-29", "1582-10-10", "1000-01-01", "2999-12-31 23:59:59",
    # not the plain form: offsets, zones, eras, spaces, other shapes, nonsense
    "2026-07-01T10:00:00+02:00", "2026-07-01 10:00:00Z", "2026-07-01 10:00:00-0130",
    "2026-07-01 10:00:00.5+01", "2026-07-01 10:00:00 Europe/Copenhagen",
    "2026-07-01 10:00:00 CET", "2026-07-01 10:00:00 UTC", "2026-07-01 10:00:00 BC",
    "  2026-07-01 ", " 2026-07-01 10:00:00+02", "", "   ", "2026-02-30", "2026-13-01",
    "20260701", "0999-12-31", "3000-01-01", "-2026-01-01", "infinity", "epoch", "someday",
    None,
]


def test_the_plain_form_parses_to_what_the_zoned_cast_gives():
    con = connect()
    con.execute("CREATE TABLE t (i INTEGER, x VARCHAR)")
    con.executemany("INSERT INTO t VALUES (?, ?)", list(enumerate(TEXTS)))
    zoned = "CAST(TRY_CAST(NULLIF(trim(x), '') AS TIMESTAMPTZ) AS TIMESTAMP)"
    rows = con.execute(
        f"SELECT x, {as_timestamp('x', {'x': 'VARCHAR'})}, {zoned} FROM t ORDER BY i"
    ).fetchall()
    assert [(x, ours) for x, ours, _ in rows] == [(x, theirs) for x, _, theirs in rows]
    # the offsets are applied, not dropped
    assert rows[TEXTS.index("2026-07-01T10:00:00+02:00")][1].hour == 8
    # and every day of years 1000-2999, with and without a time, agrees too
    differ = con.execute(
        f"""SELECT count(*) FILTER (WHERE {as_timestamp('x', {'x': 'VARCHAR'})}
                                     IS DISTINCT FROM {zoned})
            FROM (SELECT CASE WHEN day(d) % 2 = 0 THEN strftime(d, '%Y-%m-%d')
                              ELSE strftime(d, '%Y-%m-%d %H:%M:%S') END AS x
                  FROM range(TIMESTAMP '1000-01-01 07:08:09', TIMESTAMP '3000-01-01',
                             INTERVAL 1 DAY) r(d))"""
    ).fetchone()[0]
    assert differ == 0
    con.close()


def _write(path, header, rows):
    path.write_text(header + "\n" + "".join(",".join(r) + "\n" for r in rows), "utf-8")
    return path


@pytest.fixture
def files(tmp_path):
    customers = _write(tmp_path / "customers.csv", "customer_id,locale,country", [
        ("c1", "da_DK", "DK"), ("c2", "da_DK", "DK"), ("c3", "da_DK", "DK"),
    ])
    responses = _write(tmp_path / "responses.csv", "customer_id,answered_at,score", [
        ("c1", "2026-06-30T23:30:00-01:00", "10"),  # Jul 1 00:30 UTC: in Q3
        ("c2", "2026-07-01T00:30:00+01:00", "0"),  # Jun 30 23:30 UTC: in Q2
        ("c3", " 2026-08-01 ", "6"),
    ])
    return tmp_path, customers, responses


def _orders(folder, extra=""):
    header = "order_id,customer_id,ordered_at,amount,currency" + (",_parsed_ordered_at"
                                                                   if extra else "")
    rows = [
        ("o1", "c1", "2026-06-15", "10", "DKK"),
        ("o2", "c1", "2026-06-30T23:30:00-01:00", "20", "DKK"),  # Jul 1 00:30 UTC
        ("o3", "c2", "2026-07-01T00:30:00+01:00", "30", "DKK"),  # Jun 30 23:30 UTC
        ("o4", "c2", " 2026-08-01 10:00:00 ", "40", "DKK"),
        ("o5", "c3", "2026-09-30 23:59:59.999999", "50", "DKK"),
        ("o6", "c3", "2026-10-01 00:00:00 Europe/Copenhagen", "60", "DKK"),  # Sep 30 22:00
        ("o7", "c3", "someday", "70", "DKK"),
    ]
    if extra:
        rows = [(*r, extra) for r in rows]
    return _write(folder / ("orders_extra.csv" if extra else "orders.csv"), header, rows)


@pytest.mark.parametrize("extra", ["", "1999-01-01"], ids=["plain", "own _parsed_ column"])
def test_csv_dates_with_offsets_zones_and_spaces(files, extra):
    folder, customers, responses = files
    orders = _orders(folder, extra)
    result = compute_metrics(customers, orders, parse_period("2026-Q3"), responses=responses,
                             dimensions=("none",))
    row = result.current.rows[0].as_dict()
    # Q3: c1 o2; c2 o4; c3 o5 o6. Q2: c1 o1; c2 o3. The bad date is reported with its line.
    assert (row["customers"], row["orders"], row["base"], row["retained"]) == (3, 4, 2, 2)
    assert row["revenue"] == {"DKK": 170.0}
    assert (row["respondents"], row["nps"]) == (2, 0.0)  # c1 10, c3 6; c2's 0 is in Q2
    assert [str(b).split("/")[-1] for b in result.report.examples] == [
        f"{orders.name}:8: unparseable ordered_at 'someday'"]


def test_columns_not_loaded_still_count_for_the_header_check(files):
    folder, _, responses = files
    orders = _orders(folder)
    customers = _write(folder / "partial.csv", "customer_id,segment,locale,first_name", [
        ("c1", "vip", "da_DK", "Ann")])
    with pytest.raises(InputError) as raised:
        compute_metrics(customers, orders, parse_period("2026-Q3"), responses=responses)
    # metrics loads only customer_id, locale and country, but the message lists every column
    assert str(raised.value).startswith(
        f"{customers}:1: customers file has no column 'country' "
        "(columns: customer_id, segment, locale, first_name)")
