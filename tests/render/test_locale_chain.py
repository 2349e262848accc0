"""Locale fallback: da_DK -> da -> source, no -> nb, de_AT -> de, BCP 47 accepted."""

from __future__ import annotations

import gettext

import pytest

from toolkit.catalogs import read_catalog, write_catalog
from toolkit.compile import compile_catalogs
from toolkit.config import load_config
from toolkit.errors import LocaleError
from toolkit.render import Renderer, resolve_chain
from toolkit.render.locale_chain import chain_translations, load_catalog

SUBJECT = "%(name)s, your invoice is ready"
DATA = {"first_name": "Mette", "amount": 10, "due_date": "2025-03-01", "items": 1}


@pytest.mark.parametrize(("name", "locale", "chain"), [
    ("da_DK", "da_DK", ("da_DK", "da", "en")),
    ("da-DK", "da_DK", ("da_DK", "da", "en")),
    ("da", "da", ("da", "da_DK", "en")),
    ("nb_NO", "nb_NO", ("nb_NO", "nb", "en")),
    ("no", "nb", ("nb", "nb_NO", "en")),
    ("en", "en", ("en",)),
    ("no_NO", "nb_NO", ("nb_NO", "nb", "en")),
    ("de_AT", "de_AT", ("de_AT", "de", "de_DE", "en")),
    ("zh_Hant_HK", "zh_Hant_HK", ("zh_Hant_HK", "zh_Hant", "zh_Hant_TW", "zh", "en")),
    # Flask-Security's Chinese catalog is zh_Hans_CN, others name it zh_CN (QA pass 61)
    ("zh", "zh", ("zh", "zh_CN", "zh_Hans", "zh_Hans_CN", "en")),
    ("lt-LT", "lt_LT", ("lt_LT", "lt", "en")),
    ("en_GB", "en_GB", ("en_GB", "en")),
    ("sr_Latn_RS", "sr_Latn_RS", ("sr_Latn_RS", "sr_Latn", "sr", "en")),
])
def test_chains(name, locale, chain):
    resolved = resolve_chain(name, "en")
    assert resolved.locale == locale
    assert resolved.chain == chain


def test_country_of_a_bare_language():
    assert resolve_chain("da").country == "DK"
    assert resolve_chain("nb").country == "NO"
    assert resolve_chain("lt").country == "LT"


@pytest.mark.parametrize("bad", ["xx_YY", "../../etc", "da/../../x", ""])
def test_bad_locales_are_refused(bad):
    with pytest.raises(LocaleError):
        resolve_chain(bad)


def test_chain_matches_python_gettext_fallback(render_project):
    """Our chain serves the same strings as gettext.translation(languages=[...]) would."""
    da = load_catalog(render_project, "da")
    assert da is not None
    head = chain_translations([da])
    reference = gettext.translation(
        "messages", str(render_project.locales_path), languages=["da_DK", "da"]
    )
    for msgid in (SUBJECT, "Hi %(name)s,", "not in any catalog"):
        assert head.gettext(msgid) == reference.gettext(msgid)


def test_regional_catalog_wins_and_falls_back(render_dir, render_project):
    """A da_DK catalog with one string: that string comes from da_DK, the rest from da."""
    po = render_project.po_path("da")
    regional = read_catalog(po, "da")
    for message in list(regional):
        if message.id and message.id != SUBJECT:
            regional.delete(message.id, message.context)
    regional.locale = "da_DK"  # type: ignore[assignment]
    regional[SUBJECT].string = "%(name)s, din regning er klar"
    write_catalog(render_project.po_path("da_DK"), regional)
    compile_catalogs(render_project, ["da_DK"])
    message = Renderer(render_project).render("email/payment-reminder.j2", "da_DK", DATA)
    assert message.parts["subject"] == "Mette, din regning er klar"
    assert message.parts["preheader"].startswith("Betal")
    assert message.served_by["da_DK"] == 1
    assert message.served_by["da"] >= 5
    assert message.catalogs == (
        "locales/da_DK/LC_MESSAGES/messages.mo", "locales/da/LC_MESSAGES/messages.mo"
    )
    # Plain 'da' customers do not see the regional string.
    assert Renderer(render_project).render(
        "email/payment-reminder.j2", "da", DATA).parts["subject"] == "Mette, din faktura er klar"


def test_untranslated_strings_fall_back_to_source(renderer):
    message = renderer.render("kb/paying.md", "nb_NO", {})
    assert message.parts["title"] == "Paying your invoice"
    assert message.served_by == {"en": 6}


def test_locale_without_catalog_renders_source_with_a_warning(renderer):
    message = renderer.render("email/payment-reminder.j2", "de_AT", DATA)
    assert message.parts["subject"] == "Mette, your invoice is ready"
    assert message.chain.chain == ("de_AT", "de", "de_DE", "en")
    assert any("no catalog serves de_AT" in w for w in message.warnings)
    assert message.currency == "EUR"  # formatting still uses de_AT


def test_missing_mo_is_reported_and_from_po_previews(render_dir):
    config = load_config(render_dir)
    config.mo_path("lt").unlink()
    message = Renderer(config).render("email/payment-reminder.j2", "lt_LT", DATA)
    assert message.parts["subject"] == "Mette, your invoice is ready"
    assert any("toolkit compile" in w for w in message.warnings)
    preview = Renderer(config, from_po=True).render("email/payment-reminder.j2", "lt_LT", DATA)
    assert preview.parts["subject"] == "Mette, jūsų sąskaita paruošta"
    assert preview.catalogs == ("locales/lt/LC_MESSAGES/messages.po",)


def test_from_po_leaves_out_fuzzy_unless_asked(render_dir):
    config = load_config(render_dir)
    po = config.po_path("nb")
    catalog = read_catalog(po, "nb")
    catalog[SUBJECT].flags.add("fuzzy")
    write_catalog(po, catalog)
    plain = Renderer(config, from_po=True).render("email/payment-reminder.j2", "nb", DATA)
    assert plain.parts["subject"] == "Mette, your invoice is ready"
    fuzzy = Renderer(config, from_po=True, use_fuzzy=True).render(
        "email/payment-reminder.j2", "nb", DATA)
    assert fuzzy.parts["subject"] == "Mette, fakturaen din er klar"


def test_a_customer_abroad_keeps_their_scripts_catalogs_first():
    """zh_Hant living in HK fell to zh (Simplified) before zh_Hant_TW; in CN it became
    zh_Hans_CN (QA pass 61)."""
    from toolkit.render.message import _abroad

    assert _abroad(resolve_chain("zh_Hant"), "HK", "en").chain == (
        "zh_Hant_HK", "zh_Hant", "zh_Hant_TW", "zh", "en")  # fmt: skip
    in_china = _abroad(resolve_chain("zh_Hant"), "CN", "en")
    assert (in_china.locale, in_china.country) == ("zh_Hant", "CN")
    assert in_china.chain[:2] == ("zh_Hant", "zh_Hant_TW")


def test_a_bare_language_reads_its_regions_catalog(render_dir, render_project):
    """A project whose Danish catalog is da_DK (Sphinx's and many apps' layout) served a
    customer whose data says 'da' in English; Babel's negotiate_locale and Django pick the
    regional catalog for a bare language."""
    folder = render_project.locales_path
    (folder / "da").rename(folder / "da_DK")
    for customer, country in (("da", None), ("de", "CH")):
        data = dict(DATA, country=country) if country else DATA
        if customer == "de":
            (folder / "da_DK").rename(folder / "de_DE")
        message = Renderer(render_project).render("email/payment-reminder.j2", customer, data)
        assert message.parts["subject"] == "Mette, din faktura er klar"
        regional = "da_DK" if customer == "da" else "de_DE"
        assert message.catalogs[0].startswith(f"locales/{regional}/")
