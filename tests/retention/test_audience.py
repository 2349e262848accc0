"""Default rules, customer by customer, as of 2026-09-30 (one customer per rule, the edges,
overlaps decided by priority, and the frequency cap)."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from toolkit.errors import ConfigError
from toolkit.retention.audience import build_audience
from toolkit.retention.rules import load_rules, missing_templates, parse_rules

AS_OF = dt.date(2026, 9, 30)
ROOT = Path(__file__).resolve().parents[2]

# customer_id, locale, country, tier, points, points_expire_on
CUSTOMERS = [
    ("onboard", "da_DK", "DK", "", "", ""),
    ("onboard_7_days", "da_DK", "DK", "", "", ""),
    ("points", "da_DK", "DK", "", "500", "2026-10-10"),
    ("points_15_days", "da_DK", "DK", "", "500", "2026-10-15"),
    ("reminder", "nb_NO", "NO", "", "", ""),
    ("reminder_45", "da_DK", "DK", "", "", ""),
    ("quiet_44", "da_DK", "DK", "", "", ""),
    ("offer", "da_DK", "DK", "", "", ""),
    ("offer_lt", "lt_LT", "LT", "", "", ""),
    ("complaint", "da_DK", "DK", "", "", ""),
    ("complaint_14_days", "da_DK", "DK", "", "", ""),
    ("promoter", "da_DK", "DK", "", "", ""),
    ("tier", "da_DK", "DK", "Silver", "", ""),
    ("tier_already", "da_DK", "DK", "Gold", "", ""),
    ("complaint_and_lapsed", "da_DK", "DK", "", "", ""),
    ("points_and_promoter", "da_DK", "DK", "", "100", "2026-10-01"),
    ("never_ordered", "da_DK", "DK", "", "", ""),
    ("capped", "da_DK", "DK", "", "", ""),
    ("cap_over", "da_DK", "DK", "", "", ""),
    ("future_order", "da_DK", "DK", "", "", ""),
]
# customer_id, ordered_at, amount, currency
ORDERS = [
    ("onboard", "2026-09-25T10:00:00", "249.50", "DKK"),
    ("onboard_7_days", "2026-09-23", "100", "DKK"),
    ("points", "2026-09-01", "100", "DKK"),
    ("points_15_days", "2026-09-01", "100", "DKK"),
    ("reminder", "2026-08-01", "100", "NOK"),
    ("reminder_45", "2026-08-16", "100", "DKK"),
    ("quiet_44", "2026-08-17", "100", "DKK"),
    ("offer", "2026-07-02", "100", "DKK"),
    ("offer_lt", "2026-01-01", "20", "EUR"),
    ("complaint", "2026-09-10", "100", "DKK"),
    ("complaint_14_days", "2026-09-10", "100", "DKK"),
    ("promoter", "2026-09-20", "100", "DKK"),
    ("tier", "2025-12-31", "9000", "DKK"),  # last year: does not count
    ("tier", "2026-03-01", "3000", "DKK"),
    ("tier", "2026-09-20", "2200", "DKK"),
    ("tier_already", "2026-09-01", "5200", "DKK"),
    ("complaint_and_lapsed", "2026-06-01", "100", "DKK"),
    ("points_and_promoter", "2026-09-15", "100", "DKK"),
    ("capped", "2026-07-01", "100", "DKK"),
    ("cap_over", "2026-07-01", "100", "DKK"),
    ("future_order", "2026-06-01", "100", "DKK"),
    ("future_order", "2026-10-05", "100", "DKK"),  # after the as-of date: not seen
]
RESPONSES = [
    ("complaint", "2026-09-25", "4"),
    ("complaint_14_days", "2026-09-16", "4"),
    ("promoter", "2026-09-29", "10"),
    ("complaint_and_lapsed", "2026-09-28", "0"),
    ("points_and_promoter", "2026-09-29", "9"),
]
SENT = [("capped", "2026-09-24"), ("cap_over", "2026-09-23")]


def _write(path: Path, header: str, rows) -> Path:
    path.write_text(header + "\n" + "".join(",".join(r) + "\n" for r in rows), "utf-8")
    return path


@pytest.fixture
def inputs(tmp_path: Path) -> dict[str, Path]:
    customers = [
        (cid, loc, country, tier, pts, exp, f"First {cid}") for cid, loc, country, tier, pts, exp
        in CUSTOMERS
    ]
    orders = [(f"o{i}", *row) for i, row in enumerate(ORDERS, 1)]
    sent = tmp_path / "sent.jsonl"
    sent.write_text("".join(json.dumps({"customer_id": c, "sent_on": d, "rule": "x"}) + "\n"
                            for c, d in SENT), "utf-8")
    return {
        "customers": _write(tmp_path / "customers.csv", "customer_id,locale,country,tier,points,"
                            "points_expire_on,first_name", customers),
        "orders": _write(tmp_path / "orders.csv", "order_id,customer_id,ordered_at,amount,currency",
                         orders),
        "responses": _write(tmp_path / "responses.csv", "customer_id,answered_at,score",
                            RESPONSES),
        "sent": sent,
        "out": tmp_path / "sends.jsonl",
    }


def _sends(inputs, **kwargs):
    result = build_audience(inputs["customers"], inputs["orders"], inputs["out"], AS_OF,
                            responses=inputs["responses"], sent=inputs["sent"], **kwargs)
    lines = [json.loads(line) for line in inputs["out"].read_text("utf-8").splitlines()]
    return result, {line["customer_id"]: line for line in lines}


def test_each_customer_gets_the_rule_they_match(inputs):
    result, sends = _sends(inputs)
    assert {cid: line["rule"] for cid, line in sends.items()} == {
        "onboard": "onboarding",
        "points": "points-expiring",
        "reminder": "win-back-reminder",
        "reminder_45": "win-back-reminder",
        "offer": "win-back-offer",
        "offer_lt": "win-back-offer",
        "complaint": "complaint-follow-up",
        "promoter": "referral-invite",
        "tier": "tier-upgrade",
        "complaint_and_lapsed": "complaint-follow-up",  # priority 100 beats win-back's 60
        "points_and_promoter": "points-expiring",  # 80 beats referral's 40
        "cap_over": "win-back-offer",  # last message 7 days ago: the 7-day cap has passed
        "future_order": "win-back-offer",  # the October order is after the as-of date
    }
    # Not picked: onboard_7_days (first order 7 days ago), points_15_days, quiet_44,
    # complaint_14_days, tier_already, never_ordered; capped (message 6 days ago).
    assert result.capped == 1 and result.written == 13 and result.customers == 20
    assert result.by_rule["win-back-offer"] == 4 and result.by_rule["tier-upgrade"] == 1


def test_lines_carry_template_locale_and_data(inputs):
    _, sends = _sends(inputs)
    onboard = sends["onboard"]
    assert onboard["template"] == "onboarding/first_purchase.j2"
    assert onboard["locale"] == "da_DK" and onboard["sent_on"] == "2026-09-30"
    assert onboard["data"]["order_number"] == "o1" and onboard["data"]["points_earned"] == 249
    assert onboard["data"]["first_name"] == "First onboard"
    points = sends["points"]["data"]
    assert (points["expiring_points"], points["expiry_date"], points["expiring_value"],
            points["currency"]) == (500, "2026-10-10", 50.0, "DKK")
    tier = sends["tier"]["data"]
    # 3000 + 2200 DKK this year reaches Gold (5000); Platinum needs 10000.
    assert (tier["tier"], tier["next_tier"], tier["spend_to_next_tier"],
            tier["tier_deadline"]) == ("Gold", "Platinum", 4800.0, "2026-12-31")
    offer_lt = sends["offer_lt"]
    assert offer_lt["data"]["minimum_spend"] == 40 and offer_lt["data"]["currency"] == "EUR"
    assert offer_lt["data"]["expiry_date"] == "2026-10-30"
    assert sends["reminder"]["data"]["currency"] == "NOK"
    assert sends["complaint"]["data"]["case_number"] == "NPS-complaint"
    assert sends["promoter"]["data"]["referral_url"] == "https://nordlys.example/r/promoter"


def test_without_a_sends_log_nobody_is_capped(inputs):
    inputs["sent"] = None
    result, sends = _sends(inputs)
    assert result.capped == 0 and sends["capped"]["rule"] == "win-back-offer"


def test_cap_days_option_overrides_the_rules(inputs):
    result, sends = _sends(inputs, cap_days=8)
    assert result.capped == 2 and "cap_over" not in sends


def test_default_rules_use_templates_of_the_library():
    rules = load_rules()
    assert missing_templates(rules, ROOT / "templates") == []
    assert [r.name for r in rules.rules] == [
        "complaint-follow-up", "onboarding", "points-expiring", "tier-upgrade",
        "win-back-offer", "win-back-reminder", "referral-invite"]


def test_custom_rules_with_equality(inputs, tmp_path):
    rules = tmp_path / "rules.toml"
    rules.write_text(
        'cap_days = 0\n[[rules]]\nname = "lt-hello"\ntemplate = "winback/we_miss_you.j2"\n'
        'when = { country = "LT", orders_total = { min = 1 } }\n'
        '[rules.data]\npoints_balance = 0\n', "utf-8")
    _, sends = _sends(inputs, rules_path=rules)
    assert list(sends) == ["offer_lt"]
    assert sends["offer_lt"]["data"]["points_balance"] == 0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[[rules]]\nname = "x"\ntemplate = "t.j2"\nwhen = { days_since_last_ordr = { min = 1 } }',
         "unknown feature 'days_since_last_ordr' in when. Did you mean 'days_since_last_order'?"),
        ('[[rules]]\nname = "x"\ntemplate = "t.j2"\nwhen = { points = { over = 1 } }',
         "when.points takes 'min' and/or 'max'"),
        # no customer can match it (QA pass 58)
        ('[[rules]]\nname = "x"\ntemplate = "t.j2"\nwhen = { points = { min = 9, max = 2 } }',
         "when.points has min 9 above max 2: no customer can match it"),
        ('[[rules]]\nname = "x"\ntemplate = "t.j2"\nwhen = { points = 1 }\n'
         '[rules.data]\nurl = "https://x/{custmer_id}"',
         "unknown feature 'custmer_id' in data.url"),
        ('cap_days = -1\n[[rules]]\nname = "x"\ntemplate = "t.j2"\nwhen = { points = 1 }',
         "cap_days must be a whole number"),
        ("[[rules]]\nname = 'x'\nwhen = { points = 1 }", "'template' must be a non-empty string"),
    ],
)
def test_bad_rules_name_file_rule_and_key(text, message):
    with pytest.raises(ConfigError) as caught:
        parse_rules(text, "my-rules.toml", ("customer_id", "points"))
    assert re.match(r"my-rules\.toml(:\d+)?: ", str(caught.value))
    assert message in str(caught.value)
    if "days_since_last_ordr" in text:  # at the line that names it (QA pass 59)
        assert str(caught.value).startswith("my-rules.toml:4: rule 1 ('x'): unknown feature")


def test_cli_writes_sends_and_counts(inputs):
    from typer.testing import CliRunner

    from toolkit.cli import app

    result = CliRunner().invoke(app, [
        "--project", str(ROOT), "audience", "--customers", str(inputs["customers"]),
        "--orders", str(inputs["orders"]), "--responses", str(inputs["responses"]),
        "--sent", str(inputs["sent"]), "--as-of", "2026-09-30", "--out", str(inputs["out"])])
    assert result.exit_code == 0, result.output
    assert "win-back-offer: 4" in result.stdout
    assert "13 messages for 20 customers as of 2026-09-30; 1 held back" in result.stdout
    assert "warning" not in result.stderr  # every default template exists in the library
    bad = CliRunner().invoke(app, [
        "audience", "--customers", str(inputs["customers"]), "--orders", str(inputs["orders"]),
        "--as-of", "30/09/2026", "--out", str(inputs["out"])])
    assert bad.exit_code == 2 and "--as-of '30/09/2026' is not a date" in bad.stderr


def test_typed_parquet_inputs_pick_the_same_messages(inputs, tmp_path):
    import duckdb

    con = duckdb.connect()
    for name in ("customers", "orders", "responses"):
        target = tmp_path / f"{name}.parquet"
        # Types detected by DuckDB: DATE, TIMESTAMP, BIGINT and DOUBLE columns.
        con.execute(f"COPY (SELECT * FROM read_csv('{inputs[name]}')) TO '{target}' "
                    "(FORMAT parquet)")
        inputs[name] = target
    kinds = dict(con.execute(
        f"SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM "
        f"read_parquet('{inputs['orders']}'))").fetchall())
    assert kinds["ordered_at"] == "TIMESTAMP" and kinds["amount"] == "DOUBLE"
    _, from_csv_sends = _sends({**inputs, "customers": tmp_path / "customers.csv",
                                "orders": tmp_path / "orders.csv",
                                "responses": tmp_path / "responses.csv"})
    _, from_parquet = _sends(inputs)
    assert {c: (s["rule"], s["data"].get("spend_to_next_tier")) for c, s in from_parquet.items()
            } == {c: (s["rule"], s["data"].get("spend_to_next_tier"))
                  for c, s in from_csv_sends.items()}


_RULE = '[[rules]]\nname = "x"\ntemplate = "t.j2"\n'


@pytest.mark.parametrize("number", ["nan", "inf", "-inf", "+inf", "1e400", "-1e400"])
@pytest.mark.parametrize(
    ("text", "line", "where"),
    [
        (_RULE + "when = { points = { min = 1, max = {n} } }", 4, "rule 1 ('x'): when.points.max"),
        (_RULE + "when = { points = {n} }", 4, "rule 1 ('x'): when.points"),
        (_RULE + "when = { points = 1 }\n[rules.data]\nmin_spend = { DKK = 300, EUR = {n} }", 6,
         "rule 1 ('x'): data.min_spend.EUR"),
        (_RULE + "when = { points = 1 }\n[rules.data]\ndiscount = {n}", 6,
         "rule 1 ('x'): data.discount"),
        ("[settings]\npoint_value = {n}\n" + _RULE + "when = { points = 1 }", 2,
         "settings.point_value"),
        ('[settings]\ntiers = ["Gold"]\n[tier_thresholds]\nDKK = { Gold = {n} }\n' + _RULE
         + "when = { points = 1 }", 4, "tier_thresholds.DKK.Gold"),
        ("cap_days = {n}\n" + _RULE + "when = { points = 1 }", 1, "cap_days"),
    ],
)
def test_numbers_no_rule_can_use_are_refused_with_file_line_and_key(text, line, where, number):
    with pytest.raises(ConfigError) as caught:
        parse_rules(text.replace("{n}", number), "my-rules.toml", ("customer_id", "points"))
    message = str(caught.value)
    assert message.startswith(f"my-rules.toml:{line}: {where} is "), message
    assert "not a finite number" in message


def test_whole_numbers_beyond_64_bits_are_refused():
    with pytest.raises(ConfigError) as caught:
        parse_rules(_RULE + f"when = {{ points = {{ min = {10**30} }} }}", "r.toml", ("points",))
    assert str(caught.value).startswith("r.toml:4: rule 1 ('x'): when.points.min is 1000000")
    assert "64-bit" in str(caught.value)


def test_large_finite_numbers_do_not_crash(inputs, tmp_path):
    rules = tmp_path / "big.toml"
    rules.write_text(
        "[settings]\npoint_value = 1e300\npoints_per_unit = 1e300\n" + _RULE
        + f"when = {{ orders_total = {{ min = 1, max = {2**63 - 1} }} }}\n"
        "[rules.data]\nbig = 1e308\nmoney = { DKK = 1e300 }\npv = '{points_value}'\n"
        "fp = '{first_order_points}'\n", "utf-8")
    _, sends = _sends(inputs, rules_path=rules)
    assert sends["tier"]["data"]["big"] == 1e308 and sends["tier"]["data"]["money"] == 1e300
    # A tier threshold or a number of days beyond what the data can hold is a clear error.
    for text, message in (
        ('[settings]\ntiers = ["Gold"]\n[tier_thresholds]\nDKK = { Gold = 1e300 }\n',
         "tier_thresholds.DKK.Gold must be below 1,000,000,000,000"),
        ("[settings]\noffer_days = 100000000\n", "settings.offer_days must be a whole number"),
        ("cap_days = 9223372036854775807\n", "cap_days must be a whole number of days, 0 to"),
        ("[settings]\npoint_value = 'ten'\n", "settings.point_value must be a number"),
    ):
        with pytest.raises(ConfigError, match=message):
            parse_rules(text + _RULE + "when = { points = 1 }", "r.toml", ("points",))


def test_cli_refuses_a_nan_in_the_rules_with_exit_2_and_writes_nothing(inputs, tmp_path):
    from typer.testing import CliRunner

    from toolkit.cli import app

    rules = tmp_path / "nan.toml"
    rules.write_text(_RULE + "when = { days_since_last_order = { min = nan } }\n", "utf-8")
    result = CliRunner().invoke(app, [
        "audience", "--customers", str(inputs["customers"]), "--orders", str(inputs["orders"]),
        "--as-of", "2026-09-30", "--rules", str(rules), "--out", str(inputs["out"])])
    assert result.exit_code == 2, result.output
    assert f"{rules}:4: rule 1 ('x'): when.days_since_last_order.min is nan" in result.stderr
    assert "Traceback" not in result.output and not inputs["out"].exists()
    assert not list(tmp_path.glob(".sends.jsonl.*"))


def test_a_send_dated_after_the_as_of_day_caps_within_cap_days(inputs):
    # 2026-10-06 is 6 days after the as-of day: too close; 2026-10-07 is 7 days away.
    inputs["sent"].write_text(
        '{"customer_id": "capped", "sent_on": "2026-10-06"}\n'
        '{"customer_id": "cap_over", "sent_on": "2026-10-07"}\n', "utf-8")
    result, sends = _sends(inputs)
    assert result.capped == 1 and "capped" not in sends and "cap_over" in sends


def test_a_padded_id_in_the_sends_log_is_the_customer_it_names(inputs):
    """' capped ' in the log is customer 'capped', as the customers file's ids are trimmed:
    the untrimmed id let the customer through the cap (QA pass 80)."""
    inputs["sent"].write_text('{"customer_id": " capped ", "sent_on": "2026-10-06"}\n', "utf-8")
    result, sends = _sends(inputs)
    assert result.capped == 1 and "capped" not in sends


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        # Blank lines count: the bad line is named, not the one after it.
        (['{"customer_id": "capped", "sent_on": "2026-09-24"}', "", "{bad json",
          '{"customer_id": "x", "sent_on": "2026-09-24"}'],
         "sent.jsonl:3: sends log: not valid JSON (expecting property name"),
        (['{"customer_id": "capped", "sent_on": "2026-09-24"}', "{bad json"],
         "sent.jsonl:2: sends log: not valid JSON"),
        (['{"customer_id": "capped", "sent_on": "2026-09-24"}',
          '{"customer_id": "x", "sent_on": "yesterday"}', '{"customer_id": "y", "sent_on": "?"}'],
         "sent.jsonl:2: sends log: sent_on 'yesterday' is not a date (YYYY-MM-DD) "
         "(and 1 more such line)."),
        (['{"customer_id": "capped", "sent_on": 20260924}'],
         "sent.jsonl:1: sends log: sent_on '20260924' is not a date"),
        (['{"customer_id": "capped"}'], "sent.jsonl:1: sends log: no sent_on."),
        (['{"sent_on": "2026-09-24"}'], "sent.jsonl:1: sends log: no customer_id."),
    ],
)
def test_bad_lines_of_the_sends_log_are_errors_naming_the_line(inputs, lines, message):
    from toolkit.errors import InputError

    inputs["sent"].write_text("\n".join(lines) + "\n", "utf-8")
    with pytest.raises(InputError) as caught:
        _sends(inputs)
    assert message in str(caught.value)
    assert not inputs["out"].exists()


def test_amounts_keep_the_digits_of_a_three_decimal_currency(tmp_path):
    """Tier thresholds were read as DECIMAL(18,2) and the spend to the next tier cut to two
    decimals: a Kuwaiti customer was told 97.66 dinars for 97.652 (QA 33)."""
    rules = tmp_path / "rules.toml"
    rules.write_text(
        '[settings]\ntiers = ["Silver", "Gold"]\n[tier_thresholds]\n'
        'KWD = { Silver = 2.0, Gold = 100.125 }\n[[rules]]\nname = "tier"\n'
        'template = "loyalty/tier_upgrade.j2"\nwhen = { tier_gap = { min = 1 } }\n'
        '[rules.data]\nnext_tier = "{next_tier}"\nspend_to_next_tier = "{spend_to_next_tier}"\n',
        "utf-8")
    customers = _write(tmp_path / "c.csv", "customer_id,locale,country,tier",
                       [("k1", "ar_KW", "KW", "")])
    orders = _write(tmp_path / "o.csv", "order_id,customer_id,ordered_at,amount,currency",
                    [("o1", "k1", "2026-03-01", "1.234", "KWD"),
                     ("o2", "k1", "2026-04-01", "1.239", "KWD")])
    out = tmp_path / "sends.jsonl"
    build_audience(customers, orders, out, AS_OF, rules_path=rules)
    [line] = [json.loads(x) for x in out.read_text("utf-8").splitlines()]
    assert line["data"]["currency"] == "KWD" and line["data"]["next_tier"] == "Gold"
    assert line["data"]["spend_to_next_tier"] == 97.652
