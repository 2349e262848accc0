"""``toolkit metrics``: retention figures per period and market, locale or tier.

For a period P with previous period P' of the same length (see :mod:`.periods`):

- S = customers with an order in P'; R = customers of S with an order in P;
  CRR = R / S; churn = 1 - CRR;
- repeat rate = customers with 2+ orders in P / customers with an order in P;
- frequency = orders in P / customers with an order in P;
- AOV[c] = revenue in currency c / orders in currency c;
- CLV[c] = AOV[c] x frequency x 1 / churn x gross margin (n/a when churn is 0 or unknown);
- NPS = % promoters (9-10) - % detractors (0-6) over each customer's latest answer in P.

A customer belongs to the market (``country``), locale and tier of their customer row. Every
figure of every requested dimension and period comes from a grouped pass over the orders of the
periods concerned (joined once to the customers) and small queries over its result: with typed
Parquet dates, a pass per customer plus a read of the reported periods for money; with text
dates (CSV), one pass per customer and currency, so that every line is parsed once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from ..errors import InputError
from .data import (
    LoadReport,
    RetentionData,
    currency_digits,
    dense_keys,
    load_data,
    summarize_orders,
)
from .periods import Period
from .sql import ident

#: ``--by`` value -> SQL expression over the customers table (None: one row, key ``all``).
DIMENSIONS: dict[str, str | None] = {
    "none": None,
    "market": "c.country",
    "locale": "c.locale",
    "tier": "coalesce(c.tier, '(none)')",
}

#: ``--by`` value -> the customer column its expression reads.
DIMENSION_COLUMNS = {"market": "country", "locale": "locale", "tier": "tier"}


@dataclass(frozen=True)
class MetricRow:
    """The figures of one dimension key (``market`` ``DK``) in one period."""

    dimension: str
    key: str
    customers: int  # customers with an order in the period
    orders: int
    repeat_customers: int  # customers with 2+ orders in the period
    base: int  # S: customers with an order in the previous period
    retained: int  # R: customers of S with an order in the period
    revenue: dict[str, Decimal]  # currency -> revenue
    currency_orders: dict[str, int]  # currency -> orders paid in it
    respondents: int
    promoters: int
    detractors: int
    margin: float = 1.0

    @property
    def crr(self) -> float | None:
        return self.retained / self.base if self.base else None

    @property
    def churn(self) -> float | None:
        crr = self.crr
        return None if crr is None else 1.0 - crr

    @property
    def repeat_rate(self) -> float | None:
        return self.repeat_customers / self.customers if self.customers else None

    @property
    def frequency(self) -> float | None:
        return self.orders / self.customers if self.customers else None

    @property
    def aov(self) -> dict[str, Decimal]:
        """Revenue / orders per currency, rounded once, to the currency's own digits."""
        return {
            cur: money(total / self.currency_orders[cur], cur)
            for cur, total in sorted(self.revenue.items())
            if self.currency_orders.get(cur)
        }

    @property
    def clv(self) -> dict[str, Decimal | None]:
        """AOV x frequency x 1/churn x margin per currency, from the exact figures (revenue /
        orders x orders / customers x S / (S - R) x margin), rounded once at the end."""
        usable = self.base > self.retained and self.customers
        margin = Decimal(str(self.margin))
        # All products first, then one division: dividing early left 563.12499... for an
        # exact 563.125, which then rounded down (QA pass 58).
        return {
            cur: money(total * self.orders * self.base * margin
                       / (self.currency_orders[cur] * self.customers
                          * (self.base - self.retained)), cur)
            if usable else None
            for cur, total in sorted(self.revenue.items())
            if self.currency_orders.get(cur)
        }

    @property
    def nps(self) -> float | None:
        if not self.respondents:
            return None
        return 100.0 * (self.promoters - self.detractors) / self.respondents

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape of one row of ``toolkit metrics --format json``."""

        def rounded(value: float | None, digits: int) -> float | None:
            return None if value is None else round(value, digits)

        return {
            "dimension": self.dimension,
            "key": self.key,
            "customers": self.customers,
            "orders": self.orders,
            "repeat_customers": self.repeat_customers,
            "base": self.base,
            "retained": self.retained,
            "crr": rounded(self.crr, 6),
            "churn": rounded(self.churn, 6),
            "repeat_rate": rounded(self.repeat_rate, 6),
            "frequency": rounded(self.frequency, 6),
            "revenue": {cur: float(money(total, cur))
                        for cur, total in sorted(self.revenue.items())},
            "aov": {cur: float(v) for cur, v in self.aov.items()},
            "clv": {cur: None if v is None else float(v) for cur, v in self.clv.items()},
            "respondents": self.respondents,
            "nps": rounded(self.nps, 2),
        }


@dataclass(frozen=True)
class PeriodMetrics:
    """Every row of one period."""

    period: Period
    previous: Period
    rows: tuple[MetricRow, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "period": self.period.as_dict(),
            "previous": self.previous.as_dict(),
            "rows": [row.as_dict() for row in self.rows],
        }


@dataclass(frozen=True)
class MetricsResult:
    """The requested period (last in ``periods``) and the trend periods before it."""

    periods: tuple[PeriodMetrics, ...]  # oldest first
    dimensions: tuple[str, ...]
    margin: float
    report: LoadReport = field(default_factory=LoadReport)

    @property
    def current(self) -> PeriodMetrics:
        return self.periods[-1]

    def as_dict(self) -> dict[str, Any]:
        """``{"period": {...}, "rows": [...], "trend": [older periods, oldest first]}``."""
        current = self.current.as_dict()
        return {
            "period": {"start": current["period"]["start"], "end": current["period"]["end"],
                       "label": current["period"]["label"]},
            "previous": current["previous"],
            "margin": self.margin,
            "rows": current["rows"],
            "trend": [p.as_dict() for p in self.periods[:-1]],
            "skipped_rows": self.report.skipped,
        }


def compute_metrics(
    customers: Path,
    orders: Path,
    period: Period,
    *,
    responses: Path | None = None,
    dimensions: tuple[str, ...] = ("market",),
    trend: int = 0,
    margin: float = 1.0,
) -> MetricsResult:
    """Load the inputs (bad rows skipped and reported) and compute the figures."""
    _check_options(dimensions, trend, margin)
    periods = period.history(trend)
    window = (periods[0].previous().start, period.end)
    # Only the customer columns that are checked (locale) or grouped by are read.
    fields = ("locale", "country", *(("tier",) if "tier" in dimensions else ()))
    with load_data(customers, orders, responses, orders_window=window,
                   customer_fields=fields, order_ids=False) as data:
        return metrics_from_data(data, period, dimensions=dimensions, trend=trend, margin=margin)


def _check_options(dimensions: tuple[str, ...], trend: int, margin: float) -> None:
    unknown = [d for d in dimensions if d not in DIMENSIONS]
    if unknown or not dimensions:
        raise InputError(
            f"unknown dimension {', '.join(repr(d) for d in unknown) or '(none given)'}.",
            hint=f"Use --by {'|'.join(DIMENSIONS)}.",
        )
    if trend < 0:
        raise InputError("--trend must be 0 or more.")
    if not 0 < margin <= 1:  # also refuses NaN
        raise InputError(
            f"the gross margin (--margin or gross_margin) must be above 0 and at most 1, "
            f"not {margin}.",
            hint="It is a share of revenue: 0.35 for 35 %.",
        )


def metrics_from_data(
    data: RetentionData,
    period: Period,
    *,
    dimensions: tuple[str, ...] = ("market",),
    trend: int = 0,
    margin: float = 1.0,
) -> MetricsResult:
    """The figures from already loaded data (see :func:`.data.load_data`)."""
    _check_options(dimensions, trend, margin)
    dimensions = tuple(dict.fromkeys(dimensions))
    periods = period.history(trend)
    buckets = [periods[0].previous(), *periods]  # bucket i-1 is the previous of bucket i
    last = len(buckets) - 1
    con = data.connection
    grouping = _Grouping(dimensions)

    def ts(day: dt.date) -> str:
        return f"TIMESTAMP '{day.isoformat()}'"

    def within(column: str, index: int) -> str:
        return f"{column} >= {ts(buckets[index].start)} AND {column} < {ts(buckets[index].end)}"

    if data.orders_typed:
        counts, money = _typed_pass(data, grouping, within, ts, buckets)
    else:
        counts, money = _text_pass(data, grouping, within, last)
    bucket_case = " ".join(f"WHEN {within('answered_at', k)} THEN {k}"
                           for k in range(1, last + 1))
    nps = con.execute(
        f"""
        WITH latest AS (
            SELECT customer_id, CASE {bucket_case} END AS idx,
                   arg_max(score, answered_at) AS score
            FROM responses
            WHERE answered_at >= {ts(buckets[1].start)} AND answered_at < {ts(buckets[-1].end)}
            GROUP BY ALL
        )
        SELECT {grouping.select}, l.idx, count(*), count(*) FILTER (WHERE l.score >= 9),
               count(*) FILTER (WHERE l.score <= 6)
        FROM latest l JOIN customers c USING (customer_id)
        GROUP BY {grouping.sets("l.idx")}
        """
    ).fetchall()

    table: dict[tuple[int, str, str], dict[str, Any]] = {}

    def entry(idx: int, dim: str, key: str) -> dict[str, Any]:
        return table.setdefault((idx, dim, key), {
            "customers": 0, "orders": 0, "repeat_customers": 0, "base": 0, "retained": 0,
            "revenue": {}, "currency_orders": {}, "respondents": 0, "promoters": 0,
            "detractors": 0,
        })

    width = grouping.width
    for row in counts:
        dim, key = grouping.decode(row)
        values = row[width:]
        for k in range(1, last + 1):
            five = [int(v or 0) for v in values[5 * (k - 1): 5 * k]]
            if any(five):
                e = entry(k, dim, key)
                (e["customers"], e["orders"], e["repeat_customers"], e["base"],
                 e["retained"]) = five
    for row in money:
        dim, key = grouping.decode(row)
        currency, values = row[width], row[width + 1:]
        for k in range(1, last + 1):
            revenue, n = values[2 * (k - 1)], values[2 * (k - 1) + 1]
            if n:
                e = entry(k, dim, key)
                e["revenue"][currency] = Decimal(revenue)
                e["currency_orders"][currency] = int(n)
    for row in nps:
        dim, key = grouping.decode(row)
        idx, respondents, promoters, detractors = row[width:]
        e = entry(int(idx), dim, key)
        e["respondents"], e["promoters"], e["detractors"] = (
            int(respondents), int(promoters), int(detractors))

    order = {name: i for i, name in enumerate(dimensions)}
    result = []
    for idx in range(1, last + 1):
        rows = [
            MetricRow(dimension=dim, key=key, margin=margin, **values)
            for (i, dim, key), values in table.items()
            if i == idx
        ]
        if "none" in dimensions and not any(r.dimension == "none" for r in rows):
            rows.append(MetricRow("none", "all", 0, 0, 0, 0, 0, {}, {}, 0, 0, 0, margin))
        rows.sort(key=lambda r: (order[r.dimension], r.key))
        result.append(PeriodMetrics(buckets[idx], buckets[idx - 1], tuple(rows)))
    return MetricsResult(tuple(result), dimensions, margin, data.report)


def _typed_pass(
    data: RetentionData, grouping: _Grouping, within: Callable[[str, int], str],
    ts: Callable[[dt.date], str], buckets: list[Period],
) -> tuple[list[Any], list[Any]]:
    """Counts and money when the orders' dates are typed (Parquet): reading them twice costs
    two scans of the periods' row groups, so each query gets the cheapest shape."""
    con, last = data.connection, len(buckets) - 1
    # Per customer (an integer key when the files store integer ids: a perfect hash table,
    # see data.dense_keys): the good orders in each bucket, with the customer's dimension
    # columns from one join.
    report = data.report
    with dense_keys(con, report.used.get("customers", 0) + report.skipped.get("customers", 0)):
        summarize_orders(data, ("customer_id",), aggregates=[
            f"count(*) FILTER (WHERE {within('ordered_at', i)}) AS n{i}"
            for i in range(last + 1)
        ], customer_columns=grouping.columns, bad_rows_as_group=False)
    counts = con.execute(
        f"SELECT {grouping.select}, {_figures(last)} FROM order_summary c "
        f"GROUP BY {grouping.sets()}"
    ).fetchall()
    # Money per dimension key and currency, exact (DECIMAL sums), from a second read of the
    # reported periods only (bucket 0 has no money: its row groups are skipped). Orders of
    # unknown customers drop out of the join; they were counted above.
    money_columns = ", ".join(
        f"sum(o.amount) FILTER (WHERE {within('o.ordered_at', k)}), "
        f"count(*) FILTER (WHERE {within('o.ordered_at', k)})"
        for k in range(1, last + 1)
    )
    dimension_columns = "".join(f", {ident(name)}" for name in grouping.columns)
    money = con.execute(
        f"""
        SELECT {grouping.select}, o.currency, {money_columns}
        FROM orders_scanned o
        JOIN (SELECT customer_id{dimension_columns} FROM customers) c USING (customer_id)
        WHERE o._reason IS NULL AND o.ordered_at >= {ts(buckets[1].start)}
          AND o.ordered_at < {ts(buckets[-1].end)}
        GROUP BY {grouping.sets("o.currency")}
        """
    ).fetchall()
    return counts, money


def _text_pass(
    data: RetentionData, grouping: _Grouping, within: Callable[[str, int], str], last: int
) -> tuple[list[Any], list[Any]]:
    """Counts and money when every order's date must be parsed from text (CSV): the orders
    are read once, per customer and currency, and both come from that summary."""
    con = data.connection
    # Orders per bucket and revenue per reported bucket (bucket 0 is only the previous period
    # of the oldest one: no revenue sum, the costliest aggregate, is spent on it).
    summarize_orders(data, ("customer_id", "currency"), aggregates=[
        f"count(*) FILTER (WHERE {within('ordered_at', 0)}) AS n0",
        *(part
          for i in range(1, last + 1)
          for part in (f"count(*) FILTER (WHERE {within('ordered_at', i)}) AS n{i}",
                       f"sum(amount) FILTER (WHERE {within('ordered_at', i)}) AS r{i}")),
    ], customer_columns=grouping.columns)
    # The summary carries each customer's dimension columns: no join with the customers.
    # (They depend on the customer alone, so grouping by them too costs less than any_value.)
    per_keys = ", ".join(["customer_id", *(ident(c) for c in grouping.columns)])
    per_customer = ", ".join(f"sum(n{i}) AS n{i}" for i in range(last + 1))
    counts = con.execute(
        f"""
        WITH per AS (SELECT {per_keys}, {per_customer} FROM order_summary GROUP BY {per_keys})
        SELECT {grouping.select}, {_figures(last)}
        FROM per c
        GROUP BY {grouping.sets()}
        """
    ).fetchall()
    money_columns = ", ".join(f"sum(c.r{k}), sum(c.n{k})" for k in range(1, last + 1))
    money = con.execute(
        f"""
        SELECT {grouping.select}, c.currency, {money_columns}
        FROM order_summary c
        GROUP BY {grouping.sets("c.currency")}
        """
    ).fetchall()
    return counts, money


def _figures(last: int) -> str:
    """Per reported bucket k: customers, orders, repeat customers, S and R, from per-customer
    order counts ``n0`` ... ``n{last}``."""
    return ", ".join(
        f"count(*) FILTER (WHERE n{k} > 0), sum(n{k}), count(*) FILTER (WHERE n{k} >= 2), "
        f"count(*) FILTER (WHERE n{k - 1} > 0), count(*) FILTER (WHERE n{k - 1} > 0 AND n{k} > 0)"
        for k in range(1, last + 1)
    )


class _Grouping:
    """GROUPING SETS over the requested dimensions, and decoding of the result rows."""

    def __init__(self, dimensions: tuple[str, ...]) -> None:
        self.keyed = [d for d in dimensions if DIMENSIONS[d] is not None]
        self.none = "none" in dimensions
        self.exprs = [str(DIMENSIONS[d]) for d in self.keyed]
        #: the customer columns the dimensions read
        self.columns = tuple(DIMENSION_COLUMNS[d] for d in self.keyed)
        columns = []
        for e in self.exprs:
            columns += [f"CAST({e} AS VARCHAR)", f"grouping({e})"]
        self.select = ", ".join(columns or ["NULL"])
        self.width = len(columns or ["NULL"])

    def sets(self, *always: str) -> str:
        """``GROUPING SETS`` with ``always`` in every set."""
        sets = [", ".join([*always, e]) for e in self.exprs]
        if self.none:
            sets.append(", ".join(always))
        return f"GROUPING SETS ({', '.join(f'({s})' for s in sets)})"

    def decode(self, row: tuple[Any, ...]) -> tuple[str, str]:
        for i, dim in enumerate(self.keyed):
            key, grouped_out = row[2 * i], row[2 * i + 1]
            if not grouped_out:
                return dim, "(none)" if key is None else str(key)
        return "none", "all"


def period_window(period: Period, trend: int) -> tuple[dt.date, dt.date]:
    """The dates whose orders a computation with ``trend`` earlier periods reads."""
    periods = period.history(trend)
    return periods[0].previous().start, period.end


def display_locale(dimension: str, key: str, default: str = "en") -> str:
    """The locale a row's money is written in: the locale itself, the market's most likely
    locale (CLDR: ``DK`` -> ``da_DK``), else ``default``.

    >>> display_locale("market", "NO"), display_locale("locale", "lt-LT")
    ('nb_NO', 'lt_LT')
    """
    from babel import Locale, UnknownLocaleError

    from ..errors import LocaleError
    from ..locales import parse_locale

    try:
        if dimension == "locale":
            return str(parse_locale(key))
        if dimension == "market":
            return str(Locale.parse(f"und_{key}"))
    except (UnknownLocaleError, LocaleError, ValueError, TypeError):
        pass
    return default


def money(value: Decimal, currency: str) -> Decimal:
    """An amount rounded (half up, as DuckDB and spreadsheets round) to the currency's digits.

    >>> money(Decimal("5.005"), "EUR"), money(Decimal("2.4735"), "KWD")
    (Decimal('5.01'), Decimal('2.474'))
    >>> money(Decimal("100.5"), "JPY")
    Decimal('101')
    """
    return value.quantize(Decimal(1).scaleb(-currency_digits(currency)), rounding=ROUND_HALF_UP)


def format_money(value: Decimal | float | None, currency: str, locale: str) -> str:
    """``1234.5`` DKK in ``da_DK`` -> ``1.234,50 kr.``; ``n/a`` for a missing value."""
    if value is None:
        return "n/a"
    from babel.numbers import format_currency

    try:
        return format_currency(value, currency, locale=locale)
    except (ValueError, TypeError):
        return f"{value:,.2f} {currency}"


def money_text(
    values: Mapping[str, Decimal | float | None], dimension: str, key: str
) -> str:
    """Every currency's amount, formatted for the row's locale, joined with `` / ``."""
    locale = display_locale(dimension, key)
    return " / ".join(format_money(v, cur, locale) for cur, v in values.items()) or "n/a"
