"""The currency filter's plan (pattern, digits and symbol looked up once) writes exactly what
Babel's ``format_currency`` writes: every CLDR locale, its own currency and others with 0, 2
and 3 digits, both format types, custom patterns, rounding edges, random amounts."""

from __future__ import annotations

from decimal import Decimal

import pytest
from babel import Locale, localedata, numbers
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.render.filters import currency_plan, territory_currency

AMOUNTS = [
    0, 1, -1, 7, 1234, -98765, 10**9, 0.5, 2.5, -2.5, 1234.5, 0.005, 0.015, 0.125,
    Decimal("1234567.891"), Decimal("-0.0049"), Decimal("0.9999"), Decimal("1E+3"),
    Decimal("12345678901234567890.12"),
]  # fmt: skip
PATTERNS = [
    None, "¤ #,##0.00", "#,##0.00 ¤¤", "¤¤¤ #,##0", "#,##0.### ¤", "¤#,##0;(¤#,##0)",
    "'USD' #,##0", "#,##,##0.00 ¤", "0.00E0 ¤", "@@@ ¤", "¤",
]  # fmt: skip


def _locales() -> list[Locale]:
    found = []
    for name in localedata.locale_identifiers():
        try:
            found.append(Locale.parse(name))
        except (ValueError, LookupError):
            continue
    return found


def _same(locale: Locale, code: str, pattern: str | None, kind: str, amounts: list) -> None:
    plan = currency_plan(locale, code, pattern, kind)
    for amount in amounts:
        try:
            wanted = numbers.format_currency(amount, code, pattern, locale=locale,
                                             format_type=kind)  # type: ignore[arg-type]  # fmt: skip
        except Exception:  # noqa: BLE001 - what Babel refuses has no plan
            assert plan is None
            continue
        if plan is not None:
            assert plan.format(amount) == wanted, (str(locale), code, pattern, kind, amount)


@pytest.mark.parametrize("kind", ["standard", "accounting"])
def test_every_locale_writes_what_babel_writes(kind):
    planned = 0
    for locale in _locales():
        codes = {"EUR", "JPY", "KWD", territory_currency(locale.territory) or "USD"}
        for code in sorted(codes):
            _same(locale, code, None, kind, AMOUNTS)
            planned += currency_plan(locale, code, None, kind) is not None
    assert planned > 3000  # the plan serves nearly all of them, not Babel's path


@pytest.mark.parametrize("pattern", PATTERNS)
def test_custom_patterns_write_what_babel_writes(pattern):
    for name in ("da_DK", "nb_NO", "lt_LT", "de_CH", "hi_IN", "ar_EG", "en_US", "fr_CH"):
        for code in ("DKK", "EUR", "JPY", "CHF"):
            _same(Locale.parse(name), code, pattern, "standard", AMOUNTS)


def test_no_plan_where_babel_must_decide():
    da = Locale.parse("da_DK")
    assert currency_plan(da, "DKK", None, "name") is None
    assert currency_plan(da, "DKK", "¤¤¤ #,##0", "standard") is None
    assert currency_plan(da, "DKK", "0.00E0 ¤", "standard") is None
    assert currency_plan(da, "DKK", None, "no-such-type") is None
    assert currency_plan(da, "DKK", None, "standard") is not None


@settings(max_examples=300, deadline=None)
@given(
    st.decimals(allow_nan=False, allow_infinity=False, min_value=-10**12, max_value=10**12,
                places=4),
    st.sampled_from(["da_DK", "nb_NO", "lt_LT", "de_AT", "en_US", "sv_SE", "pl_PL"]),
    st.sampled_from(["DKK", "NOK", "EUR", "JPY", "KWD", "PLN"]),
)  # fmt: skip
def test_random_amounts(amount, name, code):
    _same(Locale.parse(name), code, None, "standard", [amount, float(amount)])
