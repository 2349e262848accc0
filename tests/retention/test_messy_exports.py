"""Exports as analysts get them (QA pass 80): rows with more fields than the header, Danish
thousands separators, quoted line breaks, blank lines; each row read right or reported."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from toolkit.cli import app
from toolkit.retention.data import physical_lines


def _metrics(tmp_path, customers: str, orders: str):
    (tmp_path / "customers.csv").write_text(customers, "utf-8")
    (tmp_path / "orders.csv").write_text(orders, "utf-8")
    return CliRunner().invoke(app, [
        "metrics", "--customers", str(tmp_path / "customers.csv"), "--orders",
        str(tmp_path / "orders.csv"), "--period", "2026-03", "--by", "none", "--format", "json",
    ])  # fmt: skip


def _revenue(result) -> tuple[int, float]:
    row = json.loads(result.stdout)["rows"][0]
    return row["orders"], row["aov"].get("DKK", 0) * row["orders"]


_CUSTOMERS = "customer_id,locale,country\nc1,da_DK,DK\nc2,da_DK,DK\n"


def test_a_row_with_more_fields_than_the_header_is_reported_not_read_short(tmp_path):
    """'c1,2026-03-01,DKK,1234,50' (a decimal comma in a comma-separated file) counted as
    1234 kroner with its 50 dropped, without a word."""
    orders = ("customer_id,ordered_at,currency,amount\nc1,2026-03-01,DKK,1234,50\n"
              "c2,2026-03-02,DKK,99.95\n")  # fmt: skip
    result = _metrics(tmp_path, _CUSTOMERS, orders)
    assert result.exit_code == 0, result.output
    assert _revenue(result) == (1, 99.95)
    assert ("orders.csv:2: 5 fields, the header has 4 (a comma inside a value that is not "
            "quoted, such as a decimal comma in 1234,50?); row skipped") in result.stderr
    assert "skipped 1 bad rows (orders 1)" in result.stderr


def test_an_extra_customer_field_is_no_template_field(tmp_path):
    customers = _CUSTOMERS + "c3,da_DK,DK,extra\n"
    orders = "customer_id,ordered_at,currency,amount\nc3,2026-03-01,DKK,10\n"
    result = _metrics(tmp_path, customers, orders)
    assert "customers.csv:4: 4 fields, the header has 3" in result.stderr
    assert "orders.csv:2: unknown customer 'c3'" in result.stderr  # its row was left out


def test_a_danish_thousands_separator_is_not_read_as_a_decimal_point(tmp_path):
    """'2.000' kroner passed the 'more decimals than DKK has' test as the number 2.000."""
    orders = ("customer_id;ordered_at;amount;currency\nc1;2026-03-01;2.000;DKK\n"
              "c1;2026-03-02;1.250;DKK\nc2;2026-03-03;12.5000;DKK\nc2;2026-03-04;7.50;DKK\n")
    result = _metrics(tmp_path, _CUSTOMERS, orders)
    assert result.exit_code == 0, result.output
    assert "orders.csv:2: amount '2.000' has 3 decimals, more than DKK has" in result.stderr
    assert "orders.csv:3: amount '1.250' has 3 decimals" in result.stderr
    # four decimals, a database's NUMERIC(12,4), are no thousands: 12.50 and 7.50 count
    assert _revenue(result) == (2, 20.0)


def test_a_quoted_line_break_is_read(tmp_path):
    """DuckDB's parallel reader refused the file ('does not support null_padding in
    conjunction with quoted new lines'), exit 2, for a note with a line break."""
    customers = 'customer_id,locale,country,note\nc1,da_DK,DK,"first\nsecond"\nc2,da_DK,DK,\n'
    orders = "customer_id,ordered_at,currency,amount\nc1,2026-03-01,DKK,10\n"
    result = _metrics(tmp_path, customers, orders)
    assert result.exit_code == 0, result.output
    assert _revenue(result) == (1, 10.0)


def test_bad_rows_after_blank_lines_are_named_at_their_own_lines(tmp_path):
    """Every warning after an empty line was one line early (a Danish Excel export)."""
    customers = "customer_id,locale,country\nc1,da_DK,DK\n\nc2,da_DK,DK\n\n\nc1,da_DK,DK\n"
    orders = "customer_id,ordered_at,currency,amount\r\nc1,2026-03-01,DKK,10\r\n\r\n" \
             "c9,2026-03-02,DKK,20\r\n"
    result = _metrics(tmp_path, customers, orders)
    assert "customers.csv:7: customer_id 'c1' already on an earlier row" in result.stderr
    assert "orders.csv:4: unknown customer 'c9'" in result.stderr


def test_physical_lines_follow_blank_lines_and_quoted_line_breaks(tmp_path):
    path = tmp_path / "o.csv"
    path.write_bytes(b'id,note\n\na,"two\nlines"\n\r\nb,x\nc,""""\nd,y\n')
    assert physical_lines(path, {2, 3, 5}) == {2: 3, 3: 6, 5: 8}
    path.write_bytes(b"id,note\na,x\nb,y\n")  # nothing to renumber: read for the check only
    assert physical_lines(path, {3}) == {3: 3}


def test_one_locale_written_several_ways_is_one_row(tmp_path):
    """'--by locale' gave DA_dk, da-DK and da_DK a row each, each with a part of the
    customers."""
    customers = ("customer_id,locale,country\nc1,da_DK,DK\nc2,da-DK,DK\nc3,DA_dk,DK\n"
                 "c4,nb-NO,NO\nc5,nb_NO,NO\n")  # fmt: skip
    orders = ("customer_id,ordered_at,currency,amount\nc1,2026-03-01,DKK,10\n"
              "c3,2026-03-02,DKK,20\nc4,2026-03-01,NOK,10\n")  # fmt: skip
    (tmp_path / "customers.csv").write_text(customers, "utf-8")
    (tmp_path / "orders.csv").write_text(orders, "utf-8")
    result = CliRunner().invoke(app, [
        "metrics", "--customers", str(tmp_path / "customers.csv"), "--orders",
        str(tmp_path / "orders.csv"), "--period", "2026-03", "--by", "locale", "-f", "json",
    ])  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = {r["key"]: r for r in json.loads(result.stdout)["rows"]}
    assert sorted(rows) == ["da_DK", "nb_NO"]
    assert rows["da_DK"]["orders"] == 2  # c1 (da_DK) and c3 (DA_dk) together


def test_a_tier_written_in_another_case_is_that_tier(tmp_path):
    """'gold' and 'GOLD ' customers who spent 6,000 DKK were offered an upgrade to 'Gold',
    the tier they have."""
    (tmp_path / "customers.csv").write_text(
        "customer_id,locale,country,tier,first_name\nc1,da_DK,DK,gold,A\nc2,da_DK,DK,Gold,B\n"
        "c3,da_DK,DK,GOLD ,C\n", "utf-8")
    (tmp_path / "orders.csv").write_text(
        "customer_id,ordered_at,amount,currency\nc1,2026-01-10,6000.00,DKK\n"
        "c2,2026-01-10,6000.00,DKK\nc3,2026-01-10,6000.00,DKK\n", "utf-8")
    out = tmp_path / "sends.jsonl"
    result = CliRunner().invoke(app, [
        "audience", "--customers", str(tmp_path / "customers.csv"), "--orders",
        str(tmp_path / "orders.csv"), "--as-of", "2026-01-20", "--out", str(out),
    ])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "tier-upgrade" not in out.read_text("utf-8")
