"""``toolkit audience``: at most one lifecycle message per customer, as a sends file.

Features are computed per customer as of the audience date in one DuckDB query (orders up to
the end of that day, latest NPS answer, this year's spend and the tier it reaches); the rules
(:mod:`.rules`) become one ``CASE`` in priority order; customers who got a message in the last
``cap_days`` (read from a previous sends file) get none. DuckDB writes the JSON lines itself::

    {"customer_id": "c1", "template": "loyalty/points_expiring.j2", "locale": "da_DK",
     "rule": "points-expiring", "sent_on": "2026-09-30", "data": {...}}

``data`` holds the customer's row, ``currency`` (of their latest order, else of their country)
and the rule's variables; money is a plain amount in that currency.
"""

from __future__ import annotations

import datetime as dt
import os
import string
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..fsutil import refuse_read_only, through_links
from .data import LoadReport, RetentionData, load_data, summarize_orders, unreadable_data
from .rules import Rule, RuleSet, load_rules
from .sql import ident, literal


@dataclass(frozen=True)
class AudienceResult:
    """What an audience run picked."""

    out: Path
    as_of: dt.date
    customers: int
    written: int
    capped: int  # matched a rule but got a message within cap_days
    by_rule: dict[str, int]
    report: LoadReport = field(default_factory=LoadReport)


def build_audience(
    customers: Path,
    orders: Path,
    out: Path,
    as_of: dt.date,
    *,
    responses: Path | None = None,
    rules_path: Path | None = None,
    sent: Path | None = None,
    cap_days: int | None = None,
) -> AudienceResult:
    """Pick each customer's next message and write ``out`` (JSON Lines, atomically)."""
    window = (dt.date(1, 1, 1), as_of + dt.timedelta(days=1))
    with load_data(customers, orders, responses, orders_window=window) as data:
        rules = load_rules(rules_path, data.customer_columns)
        return audience_from_data(data, rules, out, as_of, sent=sent, cap_days=cap_days)


def _feature(name: str) -> str:
    return "f." + ident(name)


def _value_sql(value: Any) -> str:
    """A rule's data value as SQL over the features table."""
    if isinstance(value, dict):  # an amount per currency
        whens = " ".join(f"WHEN {literal(c.upper())} THEN {literal(v)}"
                         for c, v in value.items())
        return f"CASE f.currency {whens} END"
    if not isinstance(value, str):
        return literal(value)
    pieces = list(string.Formatter().parse(value))
    if len(pieces) == 1 and pieces[0][0] == "" and pieces[0][1] is not None:
        return _feature(pieces[0][1])  # "{feature}": the value with its type
    parts = []
    for text, name, _, _ in pieces:
        if text:
            parts.append(literal(text))
        if name is not None:
            parts.append(f"CAST({_feature(name)} AS VARCHAR)")
    return f"concat({', '.join(parts) or literal('')})"


def _condition_sql(rule: Rule) -> str:
    tests = []
    for c in rule.conditions:
        column = _feature(c.feature)
        if c.equals is not None:
            tests.append(f"{column} = {literal(c.equals)}")
        if c.minimum is not None:
            tests.append(f"{column} >= {literal(c.minimum)}")
        if c.maximum is not None:
            tests.append(f"{column} <= {literal(c.maximum)}")
    return " AND ".join(tests)


def _data_sql(rule: Rule, customer_columns: tuple[str, ...]) -> str:
    values: dict[str, str] = {c: _feature(c) for c in customer_columns}
    values["currency"] = "f.currency"
    values.update({name: _value_sql(v) for name, v in rule.data.items()})
    return "json_object(" + ", ".join(f"{literal(k)}, {v}" for k, v in values.items()) + ")"


def _setup_tables(con: Any, rules: RuleSet) -> None:
    from babel import numbers

    countries = [r[0] for r in con.execute(
        "SELECT DISTINCT country FROM customers WHERE country IS NOT NULL").fetchall()]
    pairs = []
    for country in countries:
        try:
            found = numbers.get_territory_currencies(country, dt.date.today(), tender=True)
        except Exception:  # unknown territory code: no default currency
            found = []
        if found:
            pairs.append(f"({literal(country)}, {literal(found[0])})")
    con.execute("CREATE OR REPLACE TEMP TABLE _country_currency (country VARCHAR, "
                "currency VARCHAR)")
    if pairs:
        con.execute(f"INSERT INTO _country_currency VALUES {', '.join(pairs)}")
    con.execute("CREATE OR REPLACE TEMP TABLE _tiers (tier VARCHAR, rank INTEGER)")
    if rules.tiers:
        con.execute("INSERT INTO _tiers VALUES " + ", ".join(
            f"({literal(t)}, {i})" for i, t in enumerate(rules.tiers)))
    con.execute("CREATE OR REPLACE TEMP TABLE _thresholds (currency VARCHAR, tier VARCHAR, "
                "rank INTEGER, min_spend DECIMAL(18,6))")  # KWD has 3 decimals
    rows = [
        f"({literal(cur.upper())}, {literal(t)}, {rules.tiers.index(t)}, {literal(v)})"
        for cur, table in rules.tier_thresholds.items() for t, v in table.items()
    ]
    if rows:
        con.execute(f"INSERT INTO _thresholds VALUES {', '.join(rows)}")


def _features_sql(as_of: dt.date, rules: RuleSet) -> str:
    day = f"DATE '{as_of.isoformat()}'"
    next_day = f"TIMESTAMP '{(as_of + dt.timedelta(days=1)).isoformat()}'"
    offer = f"DATE '{(as_of + dt.timedelta(days=rules.offer_days)).isoformat()}'"
    return f"""
    WITH agg AS (
        SELECT customer_id, sum(orders) AS orders_total,
               arg_min(first_id, first_at) AS first_order_id,
               CAST(min(first_at) AS DATE) AS first_order_date,
               arg_min(first_amount, first_at) AS first_order_amount,
               arg_max(last_id, last_at) AS last_order_id,
               CAST(max(last_at) AS DATE) AS last_order_date,
               arg_max(last_amount, last_at) AS last_order_amount,
               arg_max(currency, last_at) AS order_currency,
               arg_max(spend_year, last_at) AS spend
        FROM order_summary GROUP BY customer_id
    ),
    nps AS (
        SELECT customer_id, arg_max(score, answered_at) AS nps_score,
               CAST(max(answered_at) AS DATE) AS nps_answered_on
        FROM responses WHERE answered_at < {next_day} GROUP BY customer_id
    ),
    base AS (
        SELECT c.*, coalesce(a.orders_total, 0) AS orders_total, a.first_order_id,
               a.first_order_date, a.first_order_amount, a.last_order_id, a.last_order_date,
               a.last_order_amount, coalesce(a.order_currency, cc.currency) AS currency,
               {day} - c.signup_date AS days_since_signup,
               {day} - a.first_order_date AS days_since_first_order,
               {day} - a.last_order_date AS days_since_last_order,
               c.points_expire_on - {day} AS days_to_points_expiry,
               n.nps_score, n.nps_answered_on, {day} - n.nps_answered_on AS days_since_nps,
               coalesce(a.spend, 0) AS spend_this_year, t.rank AS tier_rank
        FROM customers c
        LEFT JOIN agg a ON a.customer_id = c.customer_id
        LEFT JOIN nps n ON n.customer_id = c.customer_id
        LEFT JOIN _country_currency cc ON cc.country = c.country
        LEFT JOIN _tiers t ON lower(t.tier) = lower(trim(c.tier))
    ),
    reached AS (
        SELECT b.customer_id, arg_max(t.tier, t.rank) AS qualified_tier,
               max(t.rank) AS qualified_rank
        FROM base b JOIN _thresholds t
          ON t.currency = b.currency AND t.min_spend <= b.spend_this_year
        GROUP BY b.customer_id
    )
    SELECT b.*, r.qualified_tier, nt.tier AS next_tier,
           -- exact, then a JSON number as short as it is (97.527 dinars, 40.0 euros)
           CAST(nt.min_spend - b.spend_this_year AS DOUBLE) AS spend_to_next_tier,
           r.qualified_rank - coalesce(b.tier_rank, -1) AS tier_gap,
           DATE '{as_of.year}-12-31' AS tier_deadline,
           round(b.points * {float(rules.point_value)!r}, 4) AS points_value,
           TRY_CAST(floor(b.first_order_amount * {float(rules.points_per_unit)!r}) AS BIGINT)
               AS first_order_points,
           {offer} AS offer_expiry, {day} AS as_of
    FROM base b
    LEFT JOIN reached r ON r.customer_id = b.customer_id
    LEFT JOIN _thresholds nt
      ON nt.currency = b.currency AND nt.rank = coalesce(r.qualified_rank, -1) + 1
    """


def _sent_sql(con: Any, sent: Path, as_of: dt.date, cap_days: int) -> str:
    """Customers (as text) who got a message less than ``cap_days`` days from ``as_of``.

    A send dated after ``as_of`` (a later run's file, a scheduled message) counts too: the
    cap keeps any two messages ``cap_days`` apart, whichever was computed first. A line
    without ``customer_id`` or with a ``sent_on`` that is no date is an error (as a line that is
    no JSON): guessing would message a customer twice."""
    import duckdb

    files = str(sent)
    if sent.is_dir():  # the output of 'toolkit audience --cluster': its part files
        files = str(sent / "part-*.jsonl")
        paths = sorted(sent.glob("part-*.jsonl"))
        if not paths:
            raise InputError(f"sends log folder {sent} has no part-*.jsonl files.")
    elif not sent.is_file():
        what = "is not a regular file (a device or FIFO)" if sent.exists() else "does not exist"
        raise InputError(f"sends log {sent} {what}.",
                         hint="Pass the sends file of an earlier 'toolkit audience' run.")
    else:
        paths = [sent]
    try:
        con.execute(
            "CREATE OR REPLACE TEMP TABLE _sent AS SELECT CAST(customer_id AS VARCHAR) AS "
            "customer_id, sent_on AS _raw_sent_on, TRY_CAST(sent_on AS DATE) AS sent_on FROM "
            f"read_json({literal(files)}, format = 'newline_delimited', "
            "columns = {customer_id: 'VARCHAR', sent_on: 'VARCHAR'})"
        )
    except duckdb.Error as exc:
        # DuckDB's line number counts non-blank lines from 2 (one late from the start of a
        # file); the line is found again here, on this rare path.
        found = _first_bad_sent_line(paths, set())
        if found is not None:
            raise _bad_sent_line(*found, 0) from exc
        raise unreadable_data(exc, "sends log", sent) from exc
    bad, values = con.execute(
        "SELECT count(*), list(DISTINCT _raw_sent_on) FILTER (_raw_sent_on IS NOT NULL) "
        "FROM _sent WHERE coalesce(trim(customer_id), '') = '' OR sent_on IS NULL"
    ).fetchone()
    if bad:
        found = _first_bad_sent_line(paths, set(values or ()))
        if found is not None:
            raise _bad_sent_line(*found, int(bad) - 1)
        raise InputError(f"{sent}: {bad:,} lines of the sends log have no customer_id or no "
                         "readable sent_on.", hint=SENT_HINT)
    first = as_of - dt.timedelta(days=cap_days - 1)
    last = as_of + dt.timedelta(days=cap_days - 1)
    # The id trimmed, as the customers file's ids are: " 1003 " is customer 1003, who would
    # otherwise get a second message inside the cap (QA pass 80).
    return (f"SELECT trim(customer_id) AS customer_id FROM _sent WHERE sent_on BETWEEN DATE "
            f"'{first.isoformat()}' AND DATE '{last.isoformat()}'")


SENT_HINT = ("Each line is a JSON object with customer_id and sent_on (YYYY-MM-DD), as "
             "'toolkit audience' writes them: fix or remove the line.")


def _bad_sent_line(path: Path, line: int, reason: str, more: int) -> InputError:
    others = f" (and {more:,} more such line{'s' if more != 1 else ''})" if more > 0 else ""
    return InputError(f"{path}:{line}: sends log: {reason}{others}.", hint=SENT_HINT)


def _first_bad_sent_line(
    paths: list[Path], bad_dates: set[str]
) -> tuple[Path, int, str] | None:
    """The first line of the sends log that is no JSON object, has no ``customer_id``, or
    whose ``sent_on`` is missing or one of ``bad_dates`` (the values DuckDB could not read as
    a date): (file, line, reason), lines counted from 1, blank lines included."""
    import json

    for path in paths:
        with path.open("rb") as handle:
            for number, raw in enumerate(handle, 1):
                if not raw.strip():
                    continue
                try:
                    value = json.loads(raw.decode("utf-8"))
                except UnicodeDecodeError:
                    return path, number, "not UTF-8 text"
                except json.JSONDecodeError as exc:
                    return path, number, f"not valid JSON ({exc.msg[0].lower()}{exc.msg[1:]})"
                except (ValueError, RecursionError):
                    return path, number, "not valid JSON"
                if not isinstance(value, dict):
                    return path, number, "not a JSON object"
                customer = value.get("customer_id")
                if customer is None or str(customer).strip() == "":
                    return path, number, "no customer_id"
                sent_on = value.get("sent_on")
                if sent_on is None:
                    return path, number, "no sent_on"
                text = sent_on if isinstance(sent_on, str) else json.dumps(sent_on)
                if text in bad_dates:
                    return path, number, f"sent_on {text!r} is not a date (YYYY-MM-DD)"
    return None


def audience_from_data(
    data: RetentionData,
    rules: RuleSet,
    out: Path,
    as_of: dt.date,
    *,
    sent: Path | None = None,
    cap_days: int | None = None,
) -> AudienceResult:
    """Pick messages from loaded data and write ``out``."""
    import duckdb

    con = data.connection
    cap = rules.cap_days if cap_days is None else cap_days
    if cap < 0:
        raise InputError("--cap-days must be 0 or more.")
    try:
        _setup_tables(con, rules)
    except duckdb.Error as exc:
        raise _unusable_rules(rules, exc) from exc
    # The orders are read once: per customer and currency (orders after the as-of day are
    # outside the window given to load_data).
    year_start = f"TIMESTAMP '{as_of.year}-01-01'"
    summarize_orders(data, ("customer_id", "currency"), [
        "min(ordered_at) AS first_at", "arg_min(order_id, ordered_at) AS first_id",
        "arg_min(amount, ordered_at) AS first_amount", "max(ordered_at) AS last_at",
        "arg_max(order_id, ordered_at) AS last_id", "arg_max(amount, ordered_at) AS last_amount",
        f"coalesce(sum(amount) FILTER (WHERE ordered_at >= {year_start}), 0) AS spend_year",
    ])
    whens = " ".join(f"WHEN {_condition_sql(rule)} THEN {i}" for i, rule in enumerate(rules.rules))
    capped_sql = "false"
    if sent is not None and cap > 0:
        capped_sql = (f"CAST(f.customer_id AS VARCHAR) IN "
                      f"({_sent_sql(con, sent, as_of, cap)})")
    try:
        return _pick_and_write(data, rules, out, as_of, whens, capped_sql)
    except duckdb.Error as exc:
        raise _unusable_rules(rules, exc) from exc


def _unusable_rules(rules: RuleSet, exc: Exception) -> InputError:
    """The rules are checked before anything runs (:func:`.rules.parse_rules`); what DuckDB
    can still refuse is a value the rules' numbers make overflow (points x a huge
    point_value): one line naming the rules file, no traceback."""
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return InputError(
        f"{rules.source}: the rules cannot be applied to this data: {first}.",
        hint="Check the rules' numbers (bounds, amounts, point_value, points_per_unit) for "
        "values far beyond what the data holds.",
    )


def _pick_and_write(
    data: RetentionData, rules: RuleSet, out: Path, as_of: dt.date, whens: str, capped_sql: str
) -> AudienceResult:
    """Evaluate the rules' CASE and write ``out`` (atomically)."""
    con = data.connection
    # Only the customers a rule picks are kept (with their features, for the data).
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _picked AS SELECT * FROM (SELECT f.*, "
        f"CASE {whens} END AS rule_index, {capped_sql} AS capped "
        f"FROM ({_features_sql(as_of, rules)}) f) WHERE rule_index IS NOT NULL"
    )
    counts = con.execute(
        "SELECT rule_index, count(*) FILTER (WHERE NOT capped), count(*) FILTER (WHERE capped) "
        "FROM _picked GROUP BY rule_index"
    ).fetchall()
    by_rule = {rule.name: 0 for rule in rules.rules}
    capped = 0
    for index, kept, held in counts:
        by_rule[rules.rules[index].name] = int(kept)
        capped += int(held)
    template_case = " ".join(f"WHEN {i} THEN {literal(r.template)}"
                             for i, r in enumerate(rules.rules))
    rule_case = " ".join(f"WHEN {i} THEN {literal(r.name)}" for i, r in enumerate(rules.rules))
    data_case = " ".join(f"WHEN {i} THEN {_data_sql(r, data.customer_columns)}"
                         for i, r in enumerate(rules.rules))
    query = (
        f"SELECT f.customer_id, CASE f.rule_index {template_case} END AS template, f.locale, "
        f"CASE f.rule_index {rule_case} END AS rule, DATE '{as_of.isoformat()}' AS sent_on, "
        f"CASE f.rule_index {data_case} END AS data "
        "FROM _picked f WHERE NOT f.capped ORDER BY f.customer_id"
    )
    # A link is written through (as every --out); a device, FIFO, folder or read-only file is
    # refused: the rename below would replace it (as root, /dev/full became a JSON file).
    out = through_links(out)
    refuse_read_only(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    os.close(fd)
    try:
        con.execute(f"COPY ({query}) TO {literal(tmp_name)} (FORMAT json)")
        os.chmod(tmp_name, 0o644)
        os.replace(tmp_name, out)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    customers = con.execute("SELECT count(*) FROM customers").fetchone()[0]
    return AudienceResult(out, as_of, int(customers), sum(by_rule.values()), capped, by_rule,
                          data.report)
