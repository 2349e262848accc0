"""Locale resolution, the fallback, bad input, overrides and schema errors."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from toolkit.errors import ConfigError, InputError, LocaleError
from toolkit.payments import (
    PaymentMethod,
    payment_data,
    payment_methods,
    payment_methods_for_locale,
    payment_offer,
    territory_for_locale,
)

PACKAGE_JSON = Path(__file__).parents[2] / "toolkit" / "data" / "payments.json"


@pytest.mark.parametrize(
    ("locale", "territory"),
    [
        ("nb_NO", "NO"),
        ("nb-NO", "NO"),
        ("da_DK", "DK"),
        ("da-DK", "DK"),
        ("de_AT", "AT"),
        ("en_DK", "DK"),
        ("da", "DK"),
        ("nb", "NO"),
        ("no", "NO"),  # 'no' maps to 'nb', whose likely territory is Norway
        ("lt", "LT"),
        ("ja", "JP"),
        ("pt", "BR"),  # CLDR's likely subtags: pt -> pt_Latn_BR
        ("zh_Hant", "TW"),
    ],
)
def test_territory_from_locale(locale, territory):
    assert territory_for_locale(locale) == territory


def test_locale_only_resolution_gives_the_country_methods():
    assert payment_methods_for_locale("da") == payment_methods("DK")
    assert payment_methods_for_locale("no") == payment_methods("NO")
    assert payment_methods_for_locale("nb")[0].id == "vipps"
    assert payment_methods_for_locale("lt")[0].id == "banklink_lt"
    assert payment_methods_for_locale("da_DK", recurring_only=True) == payment_methods(
        "DK", recurring_only=True
    )


@pytest.mark.parametrize("bad", ["xx_YY", "../etc/passwd", "", "da_DK; rm -rf /"])
def test_bad_locale_raises_locale_error(bad):
    with pytest.raises(LocaleError):
        payment_methods_for_locale(bad)


def test_unknown_territory_is_an_input_error():
    with pytest.raises(InputError, match="Unknown territory 'XQ'"):
        payment_methods("XQ")
    with pytest.raises(InputError):
        payment_methods("Denmark")


def test_territory_codes_are_case_insensitive():
    assert payment_methods("dk") == payment_methods("DK")


@pytest.mark.parametrize("where", ["EG", "NZ", "419"])
def test_territory_without_data_gets_cards_and_paypal(where):
    assert [m.id for m in payment_methods(where)] == ["card_visa", "card_mastercard", "paypal"]


def test_offer_says_when_the_fallback_applied():
    offer = payment_offer("ar_EG")
    assert offer.fallback and offer.territory == "EG"
    assert not payment_offer("lt_LT").fallback
    latin_america = payment_offer("es_419")
    assert latin_america.fallback and latin_america.territory == "419"


def test_payment_method_is_a_frozen_record_with_the_agreed_fields():
    method = payment_methods("DK")[0]
    assert isinstance(method, PaymentMethod)
    assert list(method.as_dict()) == [
        "id",
        "name",
        "kind",
        "recurring",
        "currencies",
        "description",
        "note",
        "source",
        "as_of",
    ]
    with pytest.raises(AttributeError):
        method.name = "x"
    assert method.currencies == ("DKK",) and isinstance(method.currencies, tuple)


def test_data_is_loaded_once():
    assert payment_data() is payment_data()


# --- overrides and validation --------------------------------------------------------------


def write(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "payments.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


MOBILEPAY_ONLY = {
    "markets": {
        "DK": {"currency": "DKK", "methods": ["mobilepay", "card_visa"], "note": "our PSP"},
        "NZ": {"currency": "NZD", "methods": ["card_visa", "afterpay"], "note": "added"},
    }
}


def test_overrides_replace_and_add_markets(tmp_path):
    data = payment_data(write(tmp_path, MOBILEPAY_ONLY))
    assert [m.id for m in payment_methods("DK", data=data)] == ["mobilepay", "card_visa"]
    assert [m.id for m in payment_methods("NZ", data=data)] == ["card_visa", "afterpay"]
    assert [m.id for m in payment_methods("NO", data=data)][0] == "vipps"
    # the package data itself is untouched
    assert payment_methods("DK")[0].id == "dankort"


def test_overrides_can_add_a_method(tmp_path):
    method = json.loads(PACKAGE_JSON.read_text(encoding="utf-8"))["methods"]["vipps"]
    method.update(name="Vipps (ours)", recurring="yes", note="[read] Our PSP supports it.")
    extra = {
        "methods": {"vipps": method},
        "markets": {"NO": {"currency": "NOK", "methods": ["vipps"], "note": "ours"}},
    }
    data = payment_data(write(tmp_path, extra))
    (only,) = payment_methods("NO", recurring_only=True, data=data)
    assert only.name == "Vipps (ours)" and only.recurring is True


BROKEN = [
    ({"methods": {"vipps": {"name": "Vipps"}}}, "methods.vipps: missing field(s)"),
    (
        {"markets": {"DK": {"currency": "DKK", "methods": ["giropay"], "note": "x"}}},
        "markets.DK.methods[0]: 'giropay' is discontinued since 2024-06-30",
    ),
    (
        {"markets": {"DK": {"currency": "DKK", "methods": ["dankortt"], "note": "x"}}},
        "markets.DK.methods[0]: unknown method id 'dankortt'",
    ),
    (
        {"markets": {"DK": {"currency": "DKK", "methods": ["swish"], "note": "x"}}},
        "'swish' does not take the market currency DKK",
    ),
    (
        {"markets": {"DK": {"currency": "DKK", "method": ["card_visa"], "note": "x"}}},
        "markets.DK.method: unknown field (did you mean 'methods'?)",
    ),
    ({"markets": {"dk": {"currency": "DKK", "methods": [], "note": "x"}}}, "markets.dk:"),
    ({"marketz": {}}, "marketz: unknown field (did you mean 'markets'?)"),
    (
        {"markets": {"DK": {"currency": "KRONER", "methods": ["card_visa"], "note": "x"}}},
        "is not an ISO 4217 currency code",
    ),
    (
        {"markets": {"DK": {"currency": "DKK", "methods": ["card_visa"], "note": "x",
                            "order_source": 3}}},
        "markets.DK.order_source: has the wrong type (int)",
    ),
]


@pytest.mark.parametrize(("extra", "message"), BROKEN)
def test_broken_overrides_fail_with_the_json_path(tmp_path, extra, message):
    path = write(tmp_path, extra)
    with pytest.raises(ConfigError) as caught:
        payment_data(path)
    assert message in str(caught.value)
    assert str(path) in str(caught.value)
    assert "docs/payments.md" in str(caught.value)


def test_bad_method_values_are_caught(tmp_path):
    method = json.loads(PACKAGE_JSON.read_text(encoding="utf-8"))["methods"]["vipps"]
    for key, value, message in [
        ("kind", "app", "'app' is not one of card, wallet"),
        ("reference_kind", "a2a_rt", "reference kind 'a2a_rt' maps to 'bank_transfer'"),
        ("recurring", "maybe", "methods.vipps.recurring: 'maybe' is not one of"),
        ("description", "Pay 100% with Vipps.", "one plain sentence"),
        ("as_of", "2026-13-01", "is not a date"),
        ("status", "discontinued", "needs its end date"),
        ("currencies", [], "non-empty list"),
        ("name_kind", "generik", "methods.vipps.name_kind: 'generik' is not one of brand, generic"),
    ]:
        broken = {**method, key: value}
        with pytest.raises(ConfigError, match="methods.vipps") as caught:
            payment_data(write(tmp_path, {"methods": {"vipps": broken}}))
        assert message in str(caught.value), key


def test_invalid_json_reports_the_line(tmp_path):
    path = tmp_path / "payments.json"
    path.write_text('{\n  "markets": {\n    "DK": [,]\n  }\n}\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"payments\.json:3: invalid JSON"):
        payment_data(path)


def test_missing_overrides_file(tmp_path):
    with pytest.raises(ConfigError, match="cannot read the payment overrides file"):
        payment_data(tmp_path / "nope.json")


def test_edited_overrides_are_read_again(tmp_path):
    path = write(tmp_path, MOBILEPAY_ONLY)
    first = payment_data(path)
    assert payment_data(path) is first
    changed = {"markets": {"DK": {"currency": "DKK", "methods": ["card_visa"], "note": "x"}}}
    path.write_text(json.dumps(changed), encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert [m.id for m in payment_methods("DK", data=payment_data(path))] == ["card_visa"]


def test_a_broken_package_file_is_reported_as_a_bug():
    from toolkit.payments import _build

    raw = json.loads(PACKAGE_JSON.read_text(encoding="utf-8"))
    raw["methods"]["dankort"]["kind"] = "debit"
    with pytest.raises(ConfigError) as caught:
        _build(raw, "toolkit/data/payments.json", package=True)
    assert "toolkit/data/payments.json: methods.dankort.kind: 'debit'" in str(caught.value)
    assert "this is a bug" in str(caught.value)


def test_cached_answers_are_copies():
    first = payment_methods_for_locale("pl_PL")
    first.clear()
    assert payment_methods_for_locale("pl_PL")[0].id == "p24"
