"""Brand safety for a new project without a glossary: MT keeps every payment-method brand and
every declared brand; ``check`` reports a changed one as an error."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from tests.argos_package import build_package
from tests.glossary.test_translate import toolkit
from toolkit.brands import BrandTerms, altered_names, protected_names
from toolkit.cli import app
from toolkit.config import load_config
from toolkit.payments import payment_methods

# A model that "translates" brands, as the issue saw: PayPal -> BetalPal, MobilePay -> BetalPay.
DICTIONARY = {
    "Pay": "Betal",
    "with": "med",
    "your": "din",
    "from": "fra",
    "phone": "mobil",
    "now": "nu",
    "or": "eller",
    "later": "senere",
    "card": "kort",
    "Welcome": "Velkommen",
    "to": "til",
    "MobilePay": "BetalPay",
    "PayPal": "BetalPal",
    "Klarna": "Klarnaen",
    "Visa": "Visum",
    "Mastercard": "Mesterkort",
    "Dankort": "Dankortet",
    "Nordlys": "Nordlyset",
}
LIST = """{% block text %}
{{ _("Welcome to Nordlys.") }}
{% for method in payment_methods %}- {{ method.name }}: {{ method.description }}
{% endfor %}
{% endblock %}
"""


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_package(tmp_path_factory.mktemp("brand-package"), DICTIONARY)


def new_project(tmp_path: Path) -> Path:
    root = tmp_path / "shop"
    result = CliRunner().invoke(app, ["init", str(root), "--locale", "da"])
    assert result.exit_code == 0, result.output
    config = root / "toolkit.toml"
    config.write_text(config.read_text() + 'brands = ["Nordlys"]\n', encoding="utf-8")
    (root / "templates" / "email" / "pay.j2").write_text(LIST, encoding="utf-8")
    return root


def test_new_projects_mt_keeps_every_payment_method_name(package, tmp_path):
    root = new_project(tmp_path)
    assert not (root / "glossaries" / "da.csv").exists()  # no glossary written by anyone
    home = tmp_path / "home"
    for args in (
        ["models", "install", str(package)],
        ["--project", str(root), "extract"],
        ["--project", str(root), "update"],
        ["--project", str(root), "translate", "--locale", "da"],
    ):
        result = toolkit(home, *args)
        assert result.returncode == 0, (args, result.stderr)
    with (root / "locales/da/LC_MESSAGES/messages.po").open("rb") as handle:
        catalog = read_po(handle, locale="da")
    names = protected_names(load_config(root))
    sources = [m for m in catalog if m.id and m.string]
    assert len(sources) >= len(payment_methods("DK")) + 1
    for message in sources:
        assert altered_names(message.id, message.string, names) == [], message.string
        assert "Betal" not in message.string.replace("Betal ", "")  # no BetalPay/BetalPal
    mobilepay = catalog.get("Pay from your phone with MobilePay.", "payment method: mobilepay")
    assert "MobilePay" in mobilepay.string and mobilepay.fuzzy
    assert "Nordlys" in catalog.get("Welcome to Nordlys.").string
    check = toolkit(home, "--project", str(root), "check", "--locale", "da")
    assert "brand-name" not in check.stdout + check.stderr


def test_check_reports_a_changed_payment_brand_as_an_error(tmp_path):
    root = new_project(tmp_path)
    runner = CliRunner()
    for args in (["extract"], ["update"]):
        assert runner.invoke(app, ["--project", str(root), *args]).exit_code == 0
    po = root / "locales/da/LC_MESSAGES/messages.po"
    text = po.read_text("utf-8").replace(
        'msgid "Pay from your phone with MobilePay."\nmsgstr ""',
        'msgid "Pay from your phone with MobilePay."\nmsgstr "Betal med BetalPay fra mobilen."',
    ).replace(
        'msgid "Welcome to Nordlys."\nmsgstr ""',
        'msgid "Welcome to Nordlys."\nmsgstr "Velkommen til Nordlyset."',
    )
    po.write_text(text, "utf-8")
    result = runner.invoke(app, ["--project", str(root), "check", "--format", "json"])
    assert result.exit_code == 1
    assert "'MobilePay' must stay exactly as in the source" in result.stdout
    assert "'Nordlys' must stay exactly as in the source" in result.stdout
    assert '"brand-name"' in result.stdout


def test_brand_terms_wrap_the_glossary_hook():
    terms = BrandTerms(["PayPal", "Nordlys Plus", "Nordlys"])
    assert terms.protected_spans("Join Nordlys Plus or pay with PayPal.") == [(5, 17), (30, 36)]
    target, problems = terms.enforce("Pay with PayPal.", "Betal med BetalPal.")
    assert target == "Betal med BetalPal." and problems == [
        "brand name 'PayPal' is not kept verbatim"
    ]


def test_a_genitive_or_apostrophe_ending_keeps_the_brand():
    """Liberapay's Danish "PayPals politik for acceptabel brug" for "PayPal Acceptable Use
    Policy" was a brand-name error that stopped compile (QA pass 30)."""
    from toolkit.brands import altered_names

    names = ("PayPal", "Nordlys")
    assert altered_names("PayPal Acceptable Use Policy", "PayPals politik", names) == []
    assert altered_names("Pay with PayPal", "Mokėkite PayPal'u", names) == []
    assert altered_names("Pay with PayPal", "Betal med Paypal", names) == ["PayPal"]
    assert altered_names("Welcome to Nordlys", "Velkommen til Nordlyset", names) == ["Nordlys"]


@pytest.mark.parametrize(
    ("locale", "source", "translation", "altered"),
    [
        # Liberapay's real translations (QA pass 57): kept names, no error.
        ("ja", "Link a PayPal account", "PayPalアカウントをリンクする", []),
        ("ko", "Pay with PayPal", "PayPal은 지원됩니다", []),
        ("zh_Hans", "PayPal takes donors to PayPal's site.", "PayPal 支付会将捐款者带到其官网", []),
        ("fi", "Pay with PayPal", "Maksa PayPalilla", []),
        ("pl", "Pay with PayPal", "Zapłać PayPalem", []),
        ("cs", "Pay with PayPal", "Zaplaťte PayPalem", []),
        # Real changes stay errors: a typo, a changed case, a second copy changed.
        ("de", "Pay with PayPal", "Mit PayPay bezahlen", ["PayPal"]),
        ("nb", "Pay with PayPal", "Betal med PayPay", ["PayPal"]),
        ("fi", "Pay with PayPal", "Maksa Paypalilla", ["PayPal"]),
        ("ja", "PayPal or PayPal", "PayPalまたはPayPay", ["PayPal"]),
        # A glued ending outside the declining languages is still a different word.
        ("da", "Welcome to Nordlys", "Velkommen til Nordlyset", ["Nordlys"]),
        # Elsewhere a repeated name is counted: "Visa/Dankort" made "Visa-kort" is a change.
        ("da", "Dankort or Visa/Dankort", "Dankort eller Visa-kort", ["Dankort"]),
    ],
)
def test_names_glued_to_endings_or_asian_text_are_kept(locale, source, translation, altered):
    from toolkit.brands import INFLECTING, PRONOUN_LANGUAGES

    names = ("PayPal", "Dankort", "Nordlys")
    language = locale.split("_")[0]
    assert altered_names(source, translation, names, inflecting=language in INFLECTING,
                         pronouns=language in PRONOUN_LANGUAGES) == altered  # fmt: skip


_LETTERS = "PayPlDnkortVisaæøåąčęėįšųūž '’-.アカ은支付ｦ😀"


@settings(max_examples=400, deadline=None)
@given(text=st.text(alphabet=_LETTERS, max_size=24))
def test_the_plain_word_pattern_finds_what_the_full_one_does(text):
    """Names are matched with ``\\w`` around them unless the text has a Chinese, Japanese or
    Korean letter (the full class compiles ~15x slower): the same matches either way."""
    import re

    from toolkit import brands

    names = ("PayPal", "Dankort", "Visa")
    alternatives = "|".join(re.escape(n) for n in names)
    word = brands._WORD
    full = re.compile(rf"(?<!{word})({alternatives})(['\u2019]?{word}{{1,6}})?(?!{word})")
    expected = [m.group(1) for m in full.finditer(text)]
    pattern = brands._inflected_pattern(names, brands._word(text))
    found = [m.group(1) for m in pattern.finditer(text)]
    assert found == expected
    plain = re.compile(rf"(?<!{word})(?:{alternatives})(?!{word})")
    assert [name for *_, name in brands.find_names(text, names)] == plain.findall(text)
