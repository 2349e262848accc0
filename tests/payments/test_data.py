"""The shipped payment data: coverage, local order, retired methods, currencies, sources."""

from __future__ import annotations

from datetime import date

import pytest
from babel.numbers import get_territory_currencies

from toolkit.payments import (
    KINDS,
    REFERENCE_KINDS,
    all_description_messages,
    method_record,
    payment_data,
    payment_methods,
)

REQUIRED = (
    "DK NO SE FI LT LV EE DE AT CH NL BE FR ES IT PT PL GB IE US CA BR MX IN JP CN AU".split()
)


def ids(territory: str, recurring_only: bool = False) -> list[str]:
    return [m.id for m in payment_methods(territory, recurring_only=recurring_only)]


@pytest.mark.parametrize("territory", REQUIRED)
def test_every_required_country_has_at_least_two_active_methods(territory):
    data = payment_data()
    assert territory in data.markets
    offered = payment_methods(territory)
    assert len(offered) >= 2
    assert all(data.methods[m.id].active for m in offered)


@pytest.mark.parametrize(
    ("territory", "first"),
    [
        ("DK", ["dankort", "mobilepay"]),
        ("NO", ["vipps"]),
        ("SE", ["swish"]),
        ("NL", ["ideal"]),
        ("BE", ["bancontact"]),
        ("AT", ["eps"]),
        ("CH", ["twint"]),
        ("FR", ["cartes_bancaires"]),
        ("ES", ["bizum"]),
        ("PT", ["multibanco", "mb_way"]),  # cited: Adyen, most popular in PT
        ("PL", ["p24", "blik"]),  # cited: Mollie, most popular in PL
        ("BR", ["pix", "boleto"]),
        ("IN", ["upi", "rupay"]),
        ("CN", ["alipay", "wechat_pay"]),
        ("LT", ["banklink_lt"]),
    ],
)
def test_local_flagships_come_first(territory, first):
    assert ids(territory)[: len(first)] == first


def test_japan_order_follows_the_data_cards_then_jcb_konbini_paypay():
    order = ids("JP")
    assert order[:2] == ["card_visa", "card_mastercard"]
    assert order.index("jcb") < order.index("konbini") < order.index("paypay")


@pytest.mark.parametrize(
    ("method_id", "ended", "markets"),
    [
        ("giropay", "2024-06-30", ["DE"]),
        ("sofort", "2025-03-31", ["DE", "AT", "CH", "NL", "BE", "ES"]),
        ("payconiq", "2025-12-04", ["BE", "NL"]),
    ],
)
def test_discontinued_methods_are_kept_but_never_offered(method_id, ended, markets):
    record = method_record(method_id)
    assert record.status == "discontinued"
    assert record.discontinued_on == ended
    assert ended in record.method.note
    for territory in markets:
        assert method_id in payment_data().markets[territory].retired
    for territory in payment_data().markets:
        assert method_id not in ids(territory)
    assert record.method.description not in all_description_messages()


def test_giropay_is_not_offered_in_germany_and_sepa_direct_debit_is():
    germany = ids("DE")
    assert "giropay" not in germany and "sofort" not in germany
    assert germany[0] == "sepa_dd"
    assert "klarna" in germany  # SOFORT's successor
    assert method_record("sofort").replaced_by == ("klarna",)


def test_mobilepay_and_vipps_are_one_company_with_local_brands():
    mobilepay, vipps = method_record("mobilepay"), method_record("vipps")
    assert mobilepay.brand_of == vipps.brand_of == "Vipps MobilePay"
    for record in (mobilepay, vipps):
        assert "2022-11-01" in record.method.note
        assert "Vipps MobilePay" in record.method.note
        assert record.method.kind == "wallet"
        # Stripe and Adyen say no, Vipps MobilePay's own Recurring API says yes.
        assert record.recurring_detail == "psp_dependent"
        assert record.method.recurring is None
    assert "mobilepay" in ids("DK") and "mobilepay" in ids("FI")
    assert "vipps" in ids("NO") and "mobilepay" not in ids("NO")
    assert "vipps" not in ids("DK")


def test_ideal_carries_the_wero_co_brand():
    ideal = method_record("ideal")
    assert ideal.method.name == "iDEAL | Wero"
    assert ideal.recurring_detail == "via_sepa_dd"
    assert "wero" in payment_data().markets["NL"].upcoming


@pytest.mark.parametrize("territory", REQUIRED)
def test_currencies_match_cldr(territory):
    data = payment_data()
    as_of = date.fromisoformat(data.as_of)
    legal = get_territory_currencies(territory, start_date=as_of)
    market = data.markets[territory]
    assert market.currency == legal[0]
    for method in payment_methods(territory):
        assert method.any_currency or legal[0] in method.currencies, method.id
        assert method.accepts(legal[0])


def test_kinds_map_from_the_reference_kinds():
    assert set(REFERENCE_KINDS.values()) == set(KINDS)
    for record in payment_data().methods.values():
        assert record.method.kind in KINDS
        assert REFERENCE_KINDS[record.reference_kind] == record.method.kind
    assert method_record("swish").reference_kind == "a2a_rt"
    assert method_record("swish").method.kind == "bank_transfer"
    assert method_record("konbini").method.kind == "cash_voucher"
    assert method_record("klarna").method.kind == "bnpl"
    assert method_record("bacs_dd").method.kind == "direct_debit"


def test_every_method_names_its_source_date_and_evidence():
    for record in payment_data().methods.values():
        method = record.method
        assert method.source and method.as_of == "2026-11-23"
        assert method.note.startswith(("[read]", "[read, thin]", "[guess]")), method.id


def test_guesses_are_marked():
    assert method_record("card_visa").method.note.startswith("[guess]")
    assert method_record("paypal").method.note.startswith("[guess]")
    assert method_record("wechat_pay").method.note.startswith("[guess]")
    assert method_record("bankaxept").method.note.startswith("[read, thin]")


def test_recurring_only_keeps_methods_that_can_be_charged_again():
    assert ids("SE", recurring_only=True) == ["klarna", "card_visa", "card_mastercard"]
    assert "swish" not in ids("SE", recurring_only=True)
    assert ids("GB", recurring_only=True) == [
        "card_visa",
        "card_mastercard",
        "bacs_dd",
        "uk_pay_by_bank",
        "klarna",
    ]
    for territory in REQUIRED:
        assert all(m.recurring is True for m in payment_methods(territory, recurring_only=True))


def test_descriptions_are_single_plain_sentences():
    messages = all_description_messages()
    assert "Pay from your phone with Vipps." in messages
    assert "Pay from your phone with MobilePay." in messages
    assert len(messages) == len(set(messages))
    for text in messages:
        assert text[0].isupper() and text.endswith(".")
        assert text.count(". ") == 0
        assert len(text) <= 80
    offered = {m.description for t in REQUIRED for m in payment_methods(t)}
    assert offered <= set(messages)


def test_the_light_brand_list_is_the_payment_datas():
    """toolkit.brands reads the brand names straight from the shipped JSON (translate and check
    need only them); they must be exactly what the validated data says."""
    from toolkit.brands import payment_brand_names
    from toolkit.payments import brand_names

    assert list(payment_brand_names()) == brand_names()
    assert {"MobilePay", "Vipps", "PayPal"} <= set(payment_brand_names())
