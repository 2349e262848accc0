"""Every figure of the small dataset, computed by hand.

Q3 2026 (Jul 1 - Sep 30) against Q2 (Apr 1 - Jun 30). Orders by customer:

    Q2: c1 100 DKK; c2 200 DKK (Jun 30 23:59:59); c3 50 DKK; c4 300 NOK; c6 40 EUR
    Q3: c1 150 (Jul 1 00:00) + 250 DKK; c2 300 DKK (Sep 30 23:59:59) + 20 EUR;
        c4 400 + 200 + 300 NOK; c5 500 NOK; c7 30 + 60 EUR
    outside: c5 10 NOK (Q1, Mar 31); c3 999 DKK (Q4, Oct 1)
    skipped: o18 unknown customer c99, o19 bad date, o20 bad amount; customer c8 bad locale,
             the second row of c2 (duplicate)

Latest NPS answer in Q3: c1 9 (its 3 is older), c2 9, c4 10, c5 2, c7 6 (the 11 is skipped);
c6 answered in Q2 only.
"""

from __future__ import annotations

import pytest

from toolkit.retention.metrics import compute_metrics
from toolkit.retention.periods import parse_period

approx = pytest.approx


def _metrics(files, dims=("none", "market", "locale", "tier"), **kwargs):
    return compute_metrics(
        files["customers"], files["orders"], parse_period(kwargs.pop("period", "2026-Q3")),
        responses=files["responses"], dimensions=dims, **kwargs,
    )


def _rows(result, period=-1):
    return {(r.dimension, r.key): r.as_dict() for r in result.periods[period].rows}


def test_all_customers(retention_files):
    row = _rows(_metrics(retention_files))[("none", "all")]
    # Ordering customers c1 c2 c4 c5 c7, orders 2+2+3+1+2; repeaters c1 c2 c4 c7.
    assert (row["customers"], row["orders"], row["repeat_customers"]) == (5, 10, 4)
    # S = {c1, c2, c3, c4, c6}, R = {c1, c2, c4}.
    assert (row["base"], row["retained"]) == (5, 3)
    assert row["crr"] == approx(3 / 5) and row["churn"] == approx(2 / 5)
    assert row["repeat_rate"] == approx(4 / 5) and row["frequency"] == approx(10 / 5)
    assert row["revenue"] == {"DKK": 700.0, "EUR": 110.0, "NOK": 1400.0}
    assert row["aov"] == {"DKK": approx(700 / 3, abs=0.005), "EUR": approx(110 / 3, abs=0.005),
                          "NOK": 350.0}
    # CLV = AOV x frequency (2) x 1 / churn (0.4) = AOV x 5.
    assert row["clv"] == {"DKK": approx(700 / 3 * 5, abs=0.01),
                          "EUR": approx(110 / 3 * 5, abs=0.01), "NOK": 1750.0}
    # 5 respondents: promoters c1 c2 c4, detractors c5 c7.
    assert row["respondents"] == 5 and row["nps"] == approx(100 * (3 - 2) / 5)


def test_by_market(retention_files):
    rows = _rows(_metrics(retention_files, dims=("market",)))
    assert set(rows) == {("market", "DK"), ("market", "NO"), ("market", "LT")}
    dk, no, lt = rows[("market", "DK")], rows[("market", "NO")], rows[("market", "LT")]
    # DK: c1 c2 c3; Q3 c1 (2 orders) and c2 (2); S = {c1, c2, c3}, R = {c1, c2}.
    assert (dk["customers"], dk["orders"], dk["base"], dk["retained"]) == (2, 4, 3, 2)
    assert dk["crr"] == approx(2 / 3) and dk["churn"] == approx(1 / 3)
    assert dk["repeat_rate"] == 1.0 and dk["frequency"] == 2.0
    assert dk["aov"] == {"DKK": approx(233.33), "EUR": 20.0}
    assert dk["clv"] == {"DKK": approx(700 / 3 * 2 * 3, abs=0.01), "EUR": approx(120.0)}
    assert dk["nps"] == 100.0
    # NO: c4 (3 orders) and c5 (1); S = R = {c4}: churn 0, so CLV is n/a.
    assert (no["customers"], no["orders"], no["repeat_rate"], no["frequency"]) == (2, 4, 0.5, 2.0)
    assert (no["crr"], no["churn"]) == (1.0, 0.0)
    assert no["aov"] == {"NOK": 350.0} and no["clv"] == {"NOK": None}
    assert no["nps"] == 0.0  # c4 promoter, c5 detractor
    # LT: c7 (2 orders); S = {c6}, R = {}: churn 1; c6's answer is from Q2.
    assert (lt["customers"], lt["orders"], lt["crr"], lt["churn"]) == (1, 2, 0.0, 1.0)
    assert lt["aov"] == {"EUR": 45.0} and lt["clv"] == {"EUR": 90.0}
    assert lt["nps"] == -100.0


def test_by_locale_keeps_a_base_without_orders(retention_files):
    rows = _rows(_metrics(retention_files, dims=("locale",)))
    da_dk, da = rows[("locale", "da_DK")], rows[("locale", "da")]
    assert (da_dk["customers"], da_dk["base"], da_dk["retained"], da_dk["churn"]) == (2, 2, 2, 0)
    assert da_dk["clv"] == {"DKK": None, "EUR": None}
    # c3 (locale da) ordered in Q2 only: in the base, lost, no figures per order.
    assert (da["customers"], da["orders"], da["base"], da["retained"]) == (0, 0, 1, 0)
    assert (da["crr"], da["churn"], da["repeat_rate"], da["frequency"]) == (0.0, 1.0, None, None)
    assert da["aov"] == {} and da["nps"] is None
    assert rows[("locale", "nb_NO")]["orders"] == 4 and rows[("locale", "lt_LT")]["orders"] == 2


def test_by_tier(retention_files):
    rows = _rows(_metrics(retention_files, dims=("tier",), margin=0.5))
    gold, silver, none = rows[("tier", "Gold")], rows[("tier", "Silver")], rows[("tier", "(none)")]
    # Gold: c1 c3 c6; Q3 c1 only; S = {c1, c3, c6}, R = {c1}.
    assert (gold["customers"], gold["orders"], gold["base"], gold["retained"]) == (1, 2, 3, 1)
    assert gold["aov"] == {"DKK": 200.0}
    # CLV = 200 x 2 x 1/(2/3) x margin 0.5.
    assert gold["clv"] == {"DKK": approx(200 * 2 * 1.5 * 0.5)}
    assert gold["nps"] == 100.0
    # Silver: c2 (2) c4 (3) c7 (2); S = R = {c2, c4}.
    assert (silver["customers"], silver["orders"], silver["frequency"]) == (3, 7, approx(7 / 3))
    assert silver["aov"] == {"DKK": 300.0, "EUR": approx(110 / 3, abs=0.005), "NOK": 300.0}
    assert silver["nps"] == approx(100 / 3, abs=0.005)  # c2 c4 promoters, c7 detractor
    # No tier: c5, no order in Q2 (its Q1 order is outside): no base, no CRR.
    assert (none["customers"], none["base"], none["crr"]) == (1, 0, None)
    assert none["clv"] == {"NOK": None}


def test_trend_adds_the_previous_periods(retention_files):
    result = _metrics(retention_files, dims=("none",), trend=1)
    assert [p.period.label for p in result.periods] == ["2026-Q2", "2026-Q3"]
    q2 = _rows(result, 0)[("none", "all")]
    # Q2 against Q1: S = {c5}, who did not order in Q2; Q2 orderers c1 c2 c3 c4 c6, one each.
    assert (q2["customers"], q2["orders"], q2["base"], q2["retained"]) == (5, 5, 1, 0)
    assert q2["aov"] == {"DKK": approx(350 / 3, abs=0.005), "EUR": 40.0, "NOK": 300.0}
    assert q2["clv"]["NOK"] == 300.0  # AOV x 1 x 1/1
    assert q2["nps"] == 100.0  # c6 answered 10 on Jun 30


def test_bad_rows_are_skipped_and_located(retention_files):
    result = _metrics(retention_files, dims=("none",))
    assert result.report.skipped == {"customers": 2, "orders": 3, "responses": 1}
    # Orders are read for Q2 and Q3 only (plus any row whose date cannot be read): o01 (Q1)
    # and o17 (Q4) are not among the 15 used.
    assert result.report.used == {"customers": 7, "orders": 15, "responses": 7}
    shown = [str(b).split("retention/")[-1] for b in result.report.examples]
    assert shown == [
        "customers.csv:9: unknown locale 'xx_QQ'",
        "customers.csv:10: customer_id 'c2' already on an earlier row",
        "orders.csv:19: unknown customer 'c99'",
        "orders.csv:20: unparseable ordered_at 'someday'",
        "orders.csv:21: unparseable amount 'ten'",
        "responses.csv:9: score must be a whole number 0-10, not '11'",
    ]


def test_parquet_inputs_give_the_same_figures(retention_files, tmp_path):
    import duckdb

    paths = {}
    con = duckdb.connect()
    for name, path in retention_files.items():
        paths[name] = tmp_path / f"{name}.parquet"
        con.execute(f"COPY (SELECT * FROM read_csv('{path}', all_varchar = true)) "
                    f"TO '{paths[name]}' (FORMAT parquet)")
    from_csv = _rows(_metrics(retention_files))
    from_parquet = _rows(_metrics(paths))
    assert from_parquet == from_csv
    report = _metrics(paths).report
    assert "orders.parquet: row 18: unknown customer 'c99'" in str(report.examples[2])


def test_month_and_range_periods(retention_files):
    august = _rows(_metrics(retention_files, dims=("none",), period="2026-08"))[("none", "all")]
    # August: c1 (o08), c4 (o12), c7 (o15, o16); July orderers: c1 c4 c5 -> R = {c1, c4}.
    assert (august["customers"], august["orders"], august["base"], august["retained"]) == (
        3, 4, 3, 2)
    days = _rows(_metrics(retention_files, dims=("none",), period="2026-08-01..2026-08-02"))
    # 2 days: c7's two orders; the previous 2 days (Jul 30-31) have none.
    assert (days[("none", "all")]["orders"], days[("none", "all")]["base"]) == (2, 0)


def test_currencies_are_normalised_or_reported(retention_files, tmp_path):
    orders = tmp_path / "orders.csv"
    orders.write_text(
        "order_id,customer_id,ordered_at,amount,currency\n"
        "x1,c1,2026-04-02,10, dkk\n"
        "x2,c1,2026-07-02,30,dkk\n"
        "x3,c1,2026-07-03,5,kr\n"
        "x4,c1,2026-07-04,5,\n"
        "x5,c1,2026-07-05,5,XYZ\n"  # three letters, but no currency (QA pass 15)
        "x6,c1,2026-07-06,-50,DKK\n", "utf-8")  # a refund made a "repeat customer"
    result = compute_metrics(retention_files["customers"], orders, parse_period("2026-Q3"),
                             dimensions=("none",))
    row = result.current.rows[0].as_dict()
    assert row["revenue"] == {"DKK": 30.0} and (row["base"], row["retained"]) == (1, 1)
    assert row["orders"] == 1
    assert [str(b).split("/")[-1] for b in result.report.examples[-4:]] == [
        "orders.csv:4: currency must be an ISO 4217 code such as DKK, not 'kr'",
        "orders.csv:5: currency must be an ISO 4217 code such as DKK, not ''",
        "orders.csv:6: currency must be an ISO 4217 code such as DKK, not 'XYZ'",
        "orders.csv:7: negative amount '-50' (a refund is no order)",
    ]


def test_bad_customers_are_located_without_duplicates(retention_files, tmp_path):
    # Without the duplicate row of c2, duplicates are ruled out by the counting pass and the
    # bad rows are still found with their lines.
    lines = retention_files["customers"].read_text("utf-8").splitlines()
    customers = tmp_path / "customers.csv"
    customers.write_text("\n".join(lines[:-1]) + "\n", "utf-8")
    result = _metrics({**retention_files, "customers": customers}, dims=("none",))
    assert result.report.skipped["customers"] == 1
    assert result.report.used["customers"] == 7
    assert str(result.report.examples[0]).endswith("customers.csv:9: unknown locale 'xx_QQ'")


def test_a_country_that_is_no_iso_code_is_a_bad_row(retention_files, tmp_path):
    """'DNK', 'Denmark', CLDR's unknown region 'ZZ' and the EU were markets of their own (the
    wrong payment methods in an audience's message): each row is skipped, named (QA pass 15);
    a lower-case 'dk' is Denmark."""
    lines = retention_files["customers"].read_text("utf-8").splitlines()
    header = lines[0].split(",")
    rows = []
    for number, country in enumerate(["DNK", "Denmark", "ZZ", "EU", "dk"]):
        row = dict.fromkeys(header, "")
        row.update(customer_id=f"n{number}", locale="da_DK", country=country)
        rows.append(",".join(row[c] for c in header))
    customers = tmp_path / "customers.csv"
    customers.write_text("\n".join(lines + rows) + "\n", "utf-8")
    result = _metrics({**retention_files, "customers": customers}, dims=("market",))
    reasons = [b.reason for b in result.report.examples if "unknown country" in b.reason]
    assert reasons == [f"unknown country {c!r} (ISO 3166 code such as DK)"
                       for c in ("DNK", "Denmark", "ZZ", "EU")]  # fmt: skip
    assert {r.key for r in result.current.rows} <= {"DK", "NO", "LT", "(all)"}


def test_the_undetermined_locale_is_no_locale_as_a_blank_one(retention_files, tmp_path):
    """'und' was read as en_US: the customer is kept, with no locale, as with a blank one."""
    lines = retention_files["customers"].read_text("utf-8").splitlines()
    header = lines[0].split(",")
    rows = []
    for number, locale in enumerate(["und", "", "UND-dk"]):
        row = dict.fromkeys(header, "")
        row.update(customer_id=f"u{number}", locale=locale, country="DK")
        rows.append(",".join(row[c] for c in header))
    customers = tmp_path / "customers.csv"
    customers.write_text("\n".join(lines + rows) + "\n", "utf-8")
    orders = tmp_path / "orders.csv"
    orders.write_text(retention_files["orders"].read_text("utf-8")
                      + "".join(f"ou{n},u{n},2026-08-01,10,DKK\n" for n in range(3)), "utf-8")
    result = _metrics({**retention_files, "customers": customers, "orders": orders},
                      dims=("locale",))
    assert not [b for b in result.report.examples
                if b.kind == "customers" and b.line > len(lines)]
    keys = {r.key: r for r in result.current.rows}
    assert "en_US" not in keys and keys["(none)"].customers == 3


def test_an_amount_too_large_is_named_so(tmp_path):
    """1,000,000,000,000 was "unparseable amount": it parses, it is over the limit (QA pass
    58)."""
    customers = tmp_path / "c.csv"
    customers.write_text("customer_id,locale,country,tier\nk1,da_DK,DK,Gold\n", "utf-8")
    orders = tmp_path / "o.csv"
    orders.write_text("order_id,customer_id,ordered_at,amount,currency\n"
                      "1,k1,2026-07-01,1000000000000,DKK\n2,k1,2026-07-02,ten,DKK\n"
                      "3,k1,2026-07-03,10,DKK\n", "utf-8")  # fmt: skip
    result = compute_metrics(customers, orders, parse_period("2026-Q3"), dimensions=("none",))
    shown = [str(b).split("o.csv")[-1] for b in result.report.examples]
    assert shown == [":2: amount '1000000000000' is too large (amounts must be below "
                     "1,000,000,000,000)", ":3: unparseable amount 'ten'"]  # fmt: skip
