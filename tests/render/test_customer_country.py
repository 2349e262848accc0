"""A customer's ``country`` in the data, where it is not the locale's territory.

An audience customer with locale ``en`` living in Denmark was rendered as a customer in the
United States: dollars, ACH and Cash App, dates as 10/30/26 (QA pass 15). The country in the
data now picks the payment methods and the currency, and CLDR's formats for the language
there where it has them (``en_DK``).
"""

from __future__ import annotations

import pytest
from babel import dates, numbers

from toolkit.errors import RenderError

SOURCE = (
    "{% block text %}{{ 1234.5|currency }}|{{ d|date }}|"
    "{{ payment_methods|map(attribute='id')|join(',') }}|{{ country }}{% endblock %}"
)


def parts(renderer, write_template, locale, **data):
    name = write_template("email/country.j2", SOURCE)
    message = renderer.render(name, locale, {"d": "2026-10-30", **data})
    return message, message.parts["text"].split("|")


def test_the_customers_country_picks_methods_currency_and_formats(renderer, write_template):
    message, (money, day, methods, country) = parts(renderer, write_template, "en",
                                                    country="dk")  # fmt: skip
    assert message.currency == "DKK" and country == "DK"
    assert money == numbers.format_currency(1234.5, "DKK", locale="en_DK")
    assert "mobilepay" in methods.split(",") and "cash_app_pay" not in methods
    assert day == dates.format_date(dates.parse_date("2026-10-30", "en"), "medium",
                                    locale="en_DK")  # fmt: skip
    assert message.chain.locale == "en_DK"
    # Without the field: the locale's own market, as before.
    plain, (money, _, methods, country) = parts(renderer, write_template, "en")
    assert plain.currency == "USD" and country == "US" and "mobilepay" not in methods


def test_a_language_cldr_has_no_formats_for_there_keeps_its_own(renderer, write_template):
    message, (money, day, methods, _) = parts(renderer, write_template, "lt", country="NO")
    assert message.currency == "NOK" and "vipps" in methods.split(",")
    assert message.chain.locale == "lt"
    assert day == dates.format_date(dates.parse_date("2026-10-30", "en"), "medium", locale="lt")


def test_the_locales_own_country_and_a_blank_one_change_nothing(renderer, write_template):
    first, _ = parts(renderer, write_template, "da_DK", country="DK")
    second, _ = parts(renderer, write_template, "da_DK", country=" ")
    assert first.chain == second.chain and first.currency == "DKK"


@pytest.mark.parametrize("country", ["Denmark", "ZZ", "DNK", "EU", 12])
def test_a_country_that_is_no_code_fails_the_message(renderer, write_template, country):
    with pytest.raises(RenderError) as info:
        parts(renderer, write_template, "en", country=country)
    assert f"country {country!r} is not an ISO 3166 country code" in str(info.value)


def test_an_english_reader_abroad_is_still_an_english_reader(renderer, write_template):
    """en + DK said requested_locale en_DK and warned "no catalog serves en_DK" (QA pass 16):
    the reader reads the source language, which needs no catalog."""
    message, _ = parts(renderer, write_template, "en", country="DK")
    assert message.chain.requested == "en" and message.chain.locale == "en_DK"
    assert not [w for w in message.warnings if "no catalog serves" in w]


def test_a_regional_english_reader_gets_no_missing_catalog_warning(renderer, write_template):
    """en_GB read the source language and was warned "no catalog serves en_GB" (QA pass 17)."""
    message, _ = parts(renderer, write_template, "en_GB")
    assert not [w for w in message.warnings if "no catalog serves" in w]


# -- the data's currency (QA 33: a Danish customer who ordered in euros read "40,00 kr.") ----


def test_the_datas_currency_is_the_default_of_the_currency_filter(renderer, write_template):
    message, (money, _, methods, country) = parts(renderer, write_template, "da_DK",
                                                  currency="eur")  # fmt: skip
    assert money == numbers.format_currency(1234.5, "EUR", locale="da_DK")
    assert message.currency == "EUR" and country == "DK" and "mobilepay" in methods
    # A three-decimal currency keeps its own precision.
    _, (money, *_) = parts(renderer, write_template, "en", country="DK", currency="KWD")
    assert money == numbers.format_currency(1234.5, "KWD", locale="en_DK")
    # The next customer without a currency reads the country's again.
    plain, (money, *_) = parts(renderer, write_template, "da_DK")
    assert plain.currency == "DKK" and money == numbers.format_currency(1234.5, "DKK",
                                                                        locale="da_DK")


def test_a_blank_currency_is_the_countrys(renderer, write_template):
    message, _ = parts(renderer, write_template, "nb_NO", currency=" ")
    assert message.currency == "NOK"


@pytest.mark.parametrize("currency", ["euro", "ZZZ", "E1R", 978, "XXX", "XAU"])
def test_a_currency_that_is_no_code_fails_the_message(renderer, write_template, currency):
    with pytest.raises(RenderError) as info:
        parts(renderer, write_template, "da_DK", currency=currency)
    assert f"currency {str(currency)!r} is not an ISO 4217 currency code" in str(info.value)


def test_payment_methods_are_those_that_take_the_customers_currency(renderer, write_template):
    """A Danish customer paying in US dollars was offered Dankort (DKK only), a Japanese one
    Konbini and PayPay (JPY only) (QA pass 59)."""
    _, (_, _, methods, _) = parts(renderer, write_template, "da_DK", currency="USD")
    assert "dankort" not in methods.split(",") and "card_visa" in methods.split(",")
    _, (_, _, own, _) = parts(renderer, write_template, "da_DK", currency="DKK")
    assert "dankort" in own.split(",")
    _, (_, _, japanese, _) = parts(renderer, write_template, "ja_JP", currency="USD")
    assert not {"konbini", "paypay"} & set(japanese.split(","))
