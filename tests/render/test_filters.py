"""Every filter equals Babel for the same locale (Babel is the oracle)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from babel import Locale, dates, lists, numbers

from toolkit.render.filters import FilterValueError, locale_filters, territory_currency
from toolkit.render.message import RenderError

LOCALES = ["da_DK", "nb_NO", "lt_LT", "de_AT", "en_US", "fr_CH", "ja_JP"]


def render(renderer, write_template, source: str, locale: str, **data) -> str:
    name = write_template("email/probe.j2", "{% block text %}" + source + "{% endblock %}")
    renderer._states.clear()  # the probe template changes between calls
    return renderer.render(name, locale, data).parts["text"]


def test_reference_value_from_the_issue(renderer, write_template):
    assert render(renderer, write_template, "{{ a|currency }}", "da_DK", a=1234.5) == (
        "1.234,50\xa0kr."
    )


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("amount", [1234.5, 0, -99.99, "1234.5", 1_000_000])
def test_currency_defaults_to_the_territory_currency(renderer, write_template, locale, amount):
    territory = Locale.parse(locale).territory
    code = numbers.get_territory_currencies(territory, dt.date.today(), tender=True)[0]
    value = Decimal(amount) if isinstance(amount, str) else amount
    expected = numbers.format_currency(value, code, locale=locale)
    assert render(renderer, write_template, "{{ a|currency }}", locale, a=amount) == expected


def test_a_zero_has_no_minus_whatever_came_first():
    """-0.0, Decimal("-0") and -0.001 showed as "-0,00 kr." (Babel keeps a zero's sign), and
    as 0 == -0.0 in the cache of formatted amounts, a customer owing 0 got "-0,00 kr." when
    a -0.0 came first in the batch (QA pass 15)."""
    locale_filters.cache_clear()
    f = locale_filters("da_DK", "DK")
    zero = numbers.format_currency(0, "DKK", locale="da_DK")
    for value in (-0.0, Decimal("-0"), -0.001, Decimal("-0.005"), 0, "-0.00"):
        assert f["currency"](value) == zero, value
    assert f["currency"](-0.01) == numbers.format_currency(-0.01, "DKK", locale="da_DK")
    assert f["currency"](Decimal("-0.4"), "JPY") == numbers.format_currency(0, "JPY",
                                                                             locale="da_DK")
    assert f["number"](-0.0) == f["number"](Decimal("-0.0001")) == "0"
    assert f["percent"](-0.001) == numbers.format_percent(0, locale="da_DK")
    assert f["number"](-0.5) == numbers.format_decimal(-0.5, locale="da_DK")
    assert f["number"](-0.0, "#,##0.00") == "0,00"  # a pattern's decimals too (QA pass 16)
    assert f["number"](-0.01, "#,##0.00") == numbers.format_decimal(-0.01, "#,##0.00",
                                                                    locale="da_DK")


def test_currency_explicit_and_territory_table():
    assert territory_currency("DK") == "DKK"
    assert territory_currency("NO") == "NOK"
    assert territory_currency("LT") == "EUR"
    assert territory_currency("CH") == "CHF"
    currency = locale_filters("da_DK", "DK")["currency"]
    assert currency(10, "EUR") == numbers.format_currency(10, "EUR", locale="da_DK")
    assert currency(10, "eur") == numbers.format_currency(10, "EUR", locale="da_DK")


@pytest.mark.parametrize("locale", LOCALES)
def test_number_and_percent(locale):
    f = locale_filters(locale, Locale.parse(locale).territory)
    assert f["number"](1234567.891) == numbers.format_decimal(1234567.891, locale=locale)
    assert f["number"]("0.5") == numbers.format_decimal(Decimal("0.5"), locale=locale)
    assert f["percent"](0.256) == numbers.format_percent(0.256, locale=locale)
    pattern = "#,##0.00"
    assert f["number"](1234.5, pattern) == numbers.format_decimal(1234.5, pattern, locale=locale)


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("fmt", ["short", "medium", "long", "full"])
def test_date_from_date_and_iso_string(renderer, write_template, locale, fmt):
    expected = dates.format_date(dt.date(2025, 3, 1), fmt, locale=locale)
    source = '{{ d|date("' + fmt + '") }}'
    assert render(renderer, write_template, source, locale, d="2025-03-01") == expected
    assert render(renderer, write_template, source, locale, d=dt.date(2025, 3, 1)) == expected


def test_date_default_is_medium(renderer, write_template):
    expected = dates.format_date(dt.date(2025, 3, 1), "medium", locale="nb_NO")
    assert render(renderer, write_template, "{{ d|date }}", "nb_NO", d="2025-03-01") == expected


def test_datetime_and_time_use_the_customer_time_zone(renderer, write_template):
    moment = dt.datetime(2025, 3, 1, 23, 30, tzinfo=dt.UTC)
    tz = ZoneInfo("Europe/Copenhagen")
    expected = dates.format_datetime(moment, "medium", tzinfo=tz, locale="da_DK")
    got = render(renderer, write_template, "{{ t|datetime }}", "da_DK",
                 t="2025-03-01T23:30:00Z", timezone="Europe/Copenhagen")
    assert got == expected
    assert "00.30" in got  # already the next day in Copenhagen
    time_ = render(renderer, write_template, "{{ t|time }}", "da_DK",
                   t="2025-03-01T23:30:00+00:00", timezone="Europe/Copenhagen")
    assert time_ == dates.format_time(moment, "short", tzinfo=tz, locale="da_DK")
    # The calendar date follows the customer's zone too.
    day = render(renderer, write_template, "{{ t|date('short') }}", "da_DK",
                 t="2025-03-01T23:30:00Z", timezone="Europe/Copenhagen")
    assert day == dates.format_date(dt.date(2025, 3, 2), "short", locale="da_DK")


def test_naive_datetimes_are_utc(renderer, write_template):
    moment = dt.datetime(2025, 6, 1, 12, 0)
    expected = dates.format_datetime(
        moment.replace(tzinfo=dt.UTC), "long", tzinfo=dt.UTC, locale="lt_LT"
    )
    source = "{{ t|datetime('long') }}"
    assert render(renderer, write_template, source, "lt_LT", t=moment) == expected


@pytest.mark.parametrize("locale", ["da", "nb", "lt", "de"])
@pytest.mark.parametrize("seconds", [45, 7200, 86400 * 3, 86400 * 40])
def test_timedelta(locale, seconds):
    f = locale_filters(locale, None)
    expected = dates.format_timedelta(dt.timedelta(seconds=seconds), locale=locale)
    assert f["timedelta"](seconds) == expected
    assert f["timedelta"](str(seconds)) == expected
    assert f["timedelta"](dt.timedelta(seconds=seconds)) == expected


@pytest.mark.parametrize("locale", ["da_DK", "nb_NO", "lt_LT", "de_AT", "en_US"])
def test_list_is_locale_aware(renderer, write_template, locale):
    names = ["Dankort", "MobilePay", "Visa"]
    expected = lists.format_list(names, locale=locale)
    assert render(renderer, write_template, "{{ n|list }}", locale, n=names) == expected
    if locale == "da_DK":
        assert expected == "Dankort, MobilePay og Visa"


@pytest.mark.parametrize(("locale", "n", "category"), [
    ("lt", 1, "one"), ("lt", 3, "few"), ("lt", 10, "other"), ("lt", 21, "one"),
    ("da", 1, "one"), ("da", 2, "other"), ("nb", 0, "other"),
])
def test_plural_category(locale, n, category):
    assert locale_filters(locale, None)["plural"](n) == category
    assert Locale.parse(locale).plural_form(n) == category


def test_formatting_uses_the_full_customer_locale(renderer, write_template):
    # de_CH and de_AT write numbers differently although messages would come from 'de'.
    ch = render(renderer, write_template, "{{ 1234.5|number }}", "de_CH")
    at = render(renderer, write_template, "{{ 1234.5|number }}", "de_AT")
    assert ch == numbers.format_decimal(1234.5, locale="de_CH")
    assert at == numbers.format_decimal(1234.5, locale="de_AT")
    assert ch != at


@pytest.mark.parametrize(("source", "data", "fragment"), [
    ("{{ a|currency }}", {"a": "12,50"}, "not a number"),
    ("{{ a|currency }}", {"a": True}, "not a number"),
    ("{{ d|date }}", {"d": "1st of May"}, "not an ISO 8601"),
    ("{{ d|datetime }}", {"d": "2025-03-01T10:00", "timezone": "Mars/Olympus"},
     "unknown time zone"),
])
def test_bad_values_are_render_errors(renderer, write_template, source, data, fragment):
    with pytest.raises(RenderError, match=fragment):
        render(renderer, write_template, source, "da_DK", **data)


def test_filter_value_error_is_a_value_error():
    with pytest.raises(FilterValueError):
        locale_filters("da_DK", "DK")["number"]("abc")


def test_a_date_pattern_for_a_time_is_a_template_error(renderer, write_template):
    """Babel's AttributeError ('datetime.time' has no 'weekday') reached the user, with the
    advice to fix the customer data (QA pass 15)."""
    with pytest.raises(RenderError) as info:
        render(renderer, write_template, '{{ t|time("EEEE HH:mm") }}', "da_DK",
               t="2026-10-30T10:00:00Z")  # fmt: skip
    assert "time: pattern 'EEEE HH:mm' asks for a date" in str(info.value)
    assert info.value.hint == "Fix the template."


def test_a_payment_method_prints_as_its_name(renderer, write_template):
    """``{{ payment_methods|first }}`` printed the whole record, internal notes and sources
    included (QA pass 15)."""
    text = render(renderer, write_template,
                  "{{ payment_methods|first }}|{{ payment_methods|join(', ') }}", "da_DK")
    first, listed = text.split("|")
    assert first == "Dankort" and listed.startswith("Dankort, MobilePay")
    assert "source" not in text and "http" not in text
