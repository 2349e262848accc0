"""Payment-method texts are messages: per-method msgctxt, only for the project's markets,
translated in the shipped catalogs; ``unknown`` recurring support is never offered for renewals."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from typer.testing import CliRunner

from toolkit.cli import app
from toolkit.config import load_config
from toolkit.errors import ConfigError
from toolkit.extract import extract_messages
from toolkit.payment_texts import package_payment_messages
from toolkit.payments import (
    SUBSCRIPTION_RECURRING,
    payment_data,
    payment_messages,
    payment_methods,
    served_methods,
)
from toolkit.render import Renderer

ROOT = Path(__file__).parents[2]
LIST = """{% block text %}
{% for method in payment_methods %}- {{ method.name }}: {{ method.description }}
{% endfor %}
{% endblock %}
"""


def make_project(tmp_path: Path, extra: str = "", locales: str = '["da"]') -> Path:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "pay.j2").write_text(LIST, encoding="utf-8")
    (tmp_path / "toolkit.toml").write_text(
        f"[tool.toolkit]\nlocales = {locales}\n{extra}", encoding="utf-8"
    )
    return tmp_path


def pot_keys(root: Path) -> set[tuple[str | None, str]]:
    result = extract_messages(load_config(root))
    with result.path.open("rb") as handle:
        return {(m.context, m.id) for m in read_po(handle) if m.id}


def test_only_the_served_markets_reach_the_pot_each_text_with_its_method_context(tmp_path):
    keys = pot_keys(make_project(tmp_path))
    payment = {k for k in keys if k[0] and k[0].startswith("payment method: ")}
    dk_ids = {m.id for m in payment_methods("DK")}
    assert {k[0].removeprefix("payment method: ") for k in payment} == dk_ids
    assert ("payment method: mobilepay", "Pay from your phone with MobilePay.") in payment
    assert not any("Vipps" in text or "Swish" in text for _, text in payment)
    # brand names are never messages; generic ones are (none in DK)
    assert not any(text in {"Dankort", "MobilePay", "Visa"} for _, text in payment)


def test_markets_setting_replaces_the_locale_territories(tmp_path):
    keys = pot_keys(make_project(tmp_path, 'markets = ["lt", "DE"]\n'))
    assert ("payment method: banklink_lt", "Online banking") in keys
    assert ("payment method: sepa_dd", "SEPA Direct Debit") in keys
    assert not any(ctx == "payment method: dankort" for ctx, _ in keys)
    assert load_config(tmp_path).served_markets == ("LT", "DE")


@pytest.mark.parametrize(
    "territories",
    [
        *([t] for t in sorted(payment_data().markets)),
        sorted(payment_data().markets),
        ["lt", "DE", "dk"],
        ["EG"],  # no data: the fallback methods
        ["EG", "DK", "LT"],
        [],
    ],
)
def test_extract_reads_the_same_texts_straight_from_the_shipped_json(territories):
    assert package_payment_messages(territories) == payment_messages(territories)


def test_a_territory_without_data_serves_the_fallback():
    assert [m.id for m in served_methods(["EG"])] == list(payment_data().fallback)


@pytest.mark.parametrize(
    "line, words",
    [
        ('markets = ["Denmark"]', "'Denmark' in 'markets' is not an ISO 3166 country code"),
        ("markets = 3", "'markets' must be a list"),
        ('brands = [""]', "'brands' must be a list of non-empty names"),
    ],
)
def test_bad_markets_or_brands_are_config_errors(tmp_path, line, words):
    make_project(tmp_path, line + "\n")
    with pytest.raises(ConfigError, match=words):
        load_config(tmp_path)
    result = CliRunner().invoke(app, ["--project", str(tmp_path), "extract"])
    assert result.exit_code == 2
    assert not (tmp_path / "locales" / "messages.pot").exists()


def test_unknown_or_no_recurring_is_never_offered_for_subscriptions():
    data = payment_data()
    for record in data.methods.values():
        method = record.method
        assert method.for_subscriptions == (record.recurring_detail in SUBSCRIPTION_RECURRING)
        if record.recurring_detail in ("unknown", "no"):
            assert not method.for_subscriptions


@pytest.fixture(scope="module")
def repo_renderer():
    return Renderer(load_config(ROOT), from_po=True)


def sample(name: str) -> dict:
    return json.loads((ROOT / "templates" / name).with_suffix(".sample.json").read_text())


def test_lithuanian_failed_payment_email_has_no_english_method_name(repo_renderer):
    message = repo_renderer.render(
        "payments/failed_payment.j2", "lt", sample("payments/failed_payment.j2")
    )
    english = {m.name for m in payment_methods("LT") if m.name_kind == "generic"}
    english |= {m.description for m in payment_methods("LT")}
    for part in ("text", "html"):
        assert not [e for e in english if e in message.parts[part]], part
    assert "SEPA tiesioginis debetas" in message.parts["text"]
    assert "nternetinė bankininkystė" not in message.parts["text"]  # recurring no: not listed
    assert message.served_by.get("en", 0) == 0


def test_danish_failed_payment_leaves_out_dankort_whose_recurring_is_unknown(repo_renderer):
    message = repo_renderer.render(
        "payments/failed_payment.j2", "da", sample("payments/failed_payment.j2")
    )
    text = message.parts["text"]
    assert "- MobilePay:" in text and "- Visa:" in text
    assert "Dankort" not in text


def test_lithuanian_tips_name_online_banking_in_lithuanian(repo_renderer):
    message = repo_renderer.render(
        "onboarding/onboarding_tips.j2", "lt", sample("onboarding/onboarding_tips.j2")
    )
    assert "Galimi mokėjimo būdai: internetinė bankininkystė, Visa" in message.parts["text"]
    assert "Online banking" not in message.parts["text"]
    assert message.served_by.get("en", 0) == 0


def test_untranslated_payment_texts_count_as_served_by_the_source(tmp_path):
    root = make_project(tmp_path, locales='["lt"]')
    message = Renderer(load_config(root)).render("pay.j2", "lt", {})
    assert "Online banking" in message.parts["text"]
    assert message.served_by["en"] >= len(payment_messages(["LT"]))


def test_data_fixes_estonia_bankaxept_and_cited_order():
    data = payment_data()
    estonia = data.methods["banklink_ee"].method
    assert "Luminor" in estonia.note and "Luminor" in estonia.source
    assert "Nordea, " not in estonia.note  # named only as Luminor's predecessor
    assert not [t for t, m in data.markets.items() if "bankaxept" in m.methods]
    assert not [t for t, m in data.markets.items() if "paypal" in m.methods]
    cited_first = {"SE": "swish", "BE": "bancontact", "PT": "multibanco", "PL": "p24"}
    for territory, method_id in cited_first.items():
        market = data.markets[territory]
        assert market.methods[0] == method_id and market.order_source
        assert data.methods[method_id].method.name in market.order_source
    australia = data.markets["AU"]
    assert "Afterpay" in (australia.order_source or "")
    assert australia.methods.index("afterpay") < australia.methods.index("klarna")


def test_only_the_payment_texts_a_template_shows_are_counted(tmp_path):
    root = make_project(tmp_path, locales='["lt", "da"]')
    (root / "templates" / "names.j2").write_text(
        '{% block text %}{{ payment_methods|map(attribute="name")|join(", ") }}{% endblock %}',
        encoding="utf-8",
    )
    renderer = Renderer(load_config(root))
    lithuanian = renderer.render("names.j2", "lt", {})
    # two generic names shown untranslated; the descriptions are not shown, so not counted
    assert lithuanian.parts["text"] == "Online banking, Visa, Mastercard, SEPA Direct Debit"
    assert lithuanian.served_by == {"en": 2}
    danish = renderer.render("names.j2", "da", {})
    assert danish.served_by == {}  # brand names only: nothing to translate


@pytest.mark.parametrize("use", [
    '{{ payment_methods|map(attribute="name")|join(", ") }}',
    "{{ payment_methods|first }}",
    "{{ payment_methods[0].description }}",
    # narrowed in place, then listed (QA pass 17: no payment texts were extracted)
    '{% set payment_methods = payment_methods|rejectattr("kind", "eq", "card")|list %}'
    '{% for m in payment_methods %}{{ m.name }}{% endfor %}',
])  # fmt: skip
def test_any_use_of_payment_methods_brings_their_texts(tmp_path, use):
    """Only a {% for %} loop counted: a template joining the names had no payment texts in the
    POT, and Lithuanian customers read "Online banking" in English (QA pass 16)."""
    root = make_project(tmp_path, locales='["lt"]')
    (root / "templates" / "pay.j2").write_text("{% block text %}" + use + "{% endblock %}",
                                               encoding="utf-8")  # fmt: skip
    payment = {text for ctx, text in pot_keys(root) if ctx and ctx.startswith("payment method: ")}
    assert "Online banking" in payment


def test_a_template_with_its_own_payment_methods_brings_none(tmp_path):
    root = make_project(tmp_path)
    (root / "templates" / "pay.j2").write_text(
        '{% set payment_methods = ["Cash"] %}{% block text %}{{ payment_methods|first }}'
        "{{ payment_methods_icons() }}{% endblock %}", encoding="utf-8")  # fmt: skip
    assert not any(ctx and ctx.startswith("payment method: ") for ctx, _ in pot_keys(root))
