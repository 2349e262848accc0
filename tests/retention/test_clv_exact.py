"""CLV is computed from the exact figures and rounded once (docs/retention.md)."""

from __future__ import annotations

from decimal import Decimal

from toolkit.retention.metrics import MetricRow


def test_clv_is_rounded_once_from_the_exact_value():
    """DKK 450.50 over 4 orders (AOV 112.625), frequency 5/3, churn 1/3: CLV is exactly
    563.125, which rounds half up to 563.13; dividing early gave 563.1249... -> 563.12
    (QA pass 58)."""
    row = MetricRow(
        dimension="market", key="DK", customers=3, orders=5, repeat_customers=1, base=3,
        retained=2, revenue={"DKK": Decimal("450.50")}, currency_orders={"DKK": 4},
        respondents=0, promoters=0, detractors=0,
    )  # fmt: skip
    assert row.clv == {"DKK": Decimal("563.13")}
    assert row.aov == {"DKK": Decimal("112.63")}
