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
    ("zh_Hant_HK", "zh_Hant_HK", ("zh_Hant_HK", "zh_Hant", "zh_Hant_TW", "en")),
    # Flask-Security's Chinese catalog is zh_Hans_CN, others name it zh_CN (QA pass 61)
    ("zh", "zh", ("zh", "zh_CN", "zh_Hans", "zh_Hans_CN", "en")),
    ("lt-LT", "lt_LT", ("lt_LT", "lt", "en")),
    ("en_GB", "en_GB", ("en_GB", "en")),
    # A script that is not the language's own never falls to the bare language's catalog,
    # Cyrillic sr for Latin Serbian, Simplified zh for Traditional (QA pass 78); CLDR's parent
    # of sr_Latn and zh_Hant is root.
    ("sr_Latn_RS", "sr_Latn_RS", ("sr_Latn_RS", "sr_Latn", "en")),
    ("sr_ME", "sr_Latn_ME", ("sr_Latn_ME", "sr_Latn", "sr_Latn_RS", "en")),
    ("zh_TW", "zh_Hant_TW", ("zh_Hant_TW", "zh_Hant", "en")),
    ("uz_Cyrl", "uz_Cyrl", ("uz_Cyrl", "uz_Cyrl_UZ", "en")),
    ("sr_Cyrl", "sr_Cyrl", ("sr_Cyrl", "sr_Cyrl_RS", "sr", "en")),
    ("zh_Hans_SG", "zh_Hans_SG", ("zh_Hans_SG", "zh_Hans", "zh_Hans_CN", "zh", "en")),
    # A modifier's catalog comes first, as GNU gettext looks it up (Valencian was served the
    # standard Catalan catalog: QA pass 78)
    # Valencian in any spelling is CLDR's ca_ES_VALENCIA, whose catalog a ca@valencia/ or
    # ca_ES@valencia/ folder holds (QA pass 82)
    ("ca@valencia", "ca_ES_VALENCIA", ("ca_ES_VALENCIA", "ca_ES", "ca", "en")),
    ("ca_ES@valencia", "ca_ES_VALENCIA", ("ca_ES_VALENCIA", "ca_ES", "ca", "en")),
    ("ca-valencia", "ca_ES_VALENCIA", ("ca_ES_VALENCIA", "ca_ES", "ca", "en")),
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
        "zh_Hant_HK", "zh_Hant", "zh_Hant_TW", "en")  # fmt: skip
    # A bare language in a country that writes it in another script: that script's
    # catalogs, none of the customer's own in the other (sr in ME mixed Latin and Cyrillic in
    # one message; QA pass 79)
    assert _abroad(resolve_chain("sr"), "ME", "en").chain == (
        "sr_Latn_ME", "sr_Latn", "sr_Latn_RS", "en")  # fmt: skip
    assert _abroad(resolve_chain("zh"), "TW", "en").chain == ("zh_Hant_TW", "zh_Hant", "en")
    assert _abroad(resolve_chain("sr"), "BA", "en").chain[:2] == ("sr_Cyrl_BA", "sr")
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


def _dated(path, seconds_ago: float) -> None:
    """Date ``path`` ``seconds_ago`` before now (never ahead of the clock: a PO dated in the
    future is another warning, and a fresh checkout's files are only minutes old)."""
    import os
    import time

    when = time.time_ns() - int(seconds_ago * 1e9)
    os.utime(path, ns=(when, when))


def test_a_po_edited_after_its_mo_was_compiled_is_warned_about_until_compiled(render_dir):
    config = load_config(render_dir)
    po = config.po_path("lt")
    catalog = read_catalog(po, "lt")
    catalog[SUBJECT].string = "%(name)s, sąskaita jau paruošta"
    write_catalog(po, catalog)
    _dated(config.mo_path("lt"), 3600)
    _dated(po, 60)  # saved an hour after the MO was compiled
    message = Renderer(config).render("email/payment-reminder.j2", "lt_LT", DATA)
    assert message.parts["subject"] == "Mette, jūsų sąskaita paruošta"  # what the MO holds
    assert ("locales/lt/LC_MESSAGES/messages.po changed after locales/lt/LC_MESSAGES/"
            "messages.mo was compiled: this message may have outdated translations; run "
            "'toolkit compile' (or preview with --from-po)") in message.warnings
    others = Renderer(config).render("email/payment-reminder.j2", "da_DK", DATA)
    assert not [w for w in others.warnings if "changed after" in w]
    preview = Renderer(config, from_po=True).render("email/payment-reminder.j2", "lt_LT", DATA)
    assert not [w for w in preview.warnings if "changed after" in w]
    compile_catalogs(config, ["lt"])
    message = Renderer(config).render("email/payment-reminder.j2", "lt_LT", DATA)
    assert message.parts["subject"] == "Mette, sąskaita jau paruošta"
    assert not [w for w in message.warnings if "changed after" in w]


def test_a_po_saved_again_unchanged_is_current_after_compile_writes_nothing(render_dir):
    """compile leaves an MO holding the right bytes as it is ("unchanged"), but dates it as
    new as its PO: otherwise render would warn on and on after the compile it asks for."""
    config = load_config(render_dir)
    po, mo = config.po_path("nb"), config.mo_path("nb")
    _dated(mo, 7200)
    _dated(po, 3600)  # saved again an hour later (a Weblate pull), nothing changed
    message = Renderer(config).render("email/payment-reminder.j2", "nb", DATA)
    assert [w for w in message.warnings if "changed after" in w]
    before = mo.read_bytes()
    (result,) = compile_catalogs(config, ["nb"])
    assert not result.written and mo.read_bytes() == before
    assert mo.stat().st_mtime_ns == po.stat().st_mtime_ns  # as the PO it was compiled from
    message = Renderer(config).render("email/payment-reminder.j2", "nb", DATA)
    assert not [w for w in message.warnings if "changed after" in w]


def test_a_po_written_moments_after_its_mo_is_not_stale(render_dir):
    """A checkout or copy writes messages.mo and messages.po moments apart, in either order."""
    config = load_config(render_dir)
    _dated(config.mo_path("da"), 101.5)
    _dated(config.po_path("da"), 100)
    message = Renderer(config).render("email/payment-reminder.j2", "da_DK", DATA)
    assert not [w for w in message.warnings if "changed after" in w]


def test_render_batch_warns_once_of_a_po_edited_since_compiled(render_dir, tmp_path):
    from typer.testing import CliRunner

    from toolkit.cli import app

    config = load_config(render_dir)
    _dated(config.mo_path("nb"), 3600)
    _dated(config.po_path("nb"), 60)
    customers = tmp_path / "customers.csv"
    rows = "".join(f"{i},nb,Kari,10,2025-03-01,1\n" for i in range(3))
    customers.write_text("id,locale,first_name,amount,due_date,items\n" + rows, "utf-8")
    args = ["--project", str(render_dir), "render-batch", "email/payment-reminder.j2", "-c",
            str(customers), "-o", str(tmp_path / "out.jsonl"), "--no-progress"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    warning = ("warning: locales/nb/LC_MESSAGES/messages.po changed after locales/nb/"
               "LC_MESSAGES/messages.mo was compiled: the messages may have outdated "
               "translations; run 'toolkit compile' (or preview with --from-po)")
    assert result.stderr.count(warning) == 1
    assert "locales/da/" not in result.stderr
    preview = CliRunner().invoke(app, [*args, "--from-po"])
    assert preview.exit_code == 0 and "changed after" not in preview.stderr


def test_a_po_saved_while_compile_ran_stays_newer_than_its_mo(render_dir, monkeypatch):
    """compile dates the MO as the PO was when it read it, not as the PO is afterwards: a
    save in between (a Weblate pull during the compile) is still warned about."""

    import toolkit.compile as compile_module

    config = load_config(render_dir)
    po, mo = config.po_path("da"), config.mo_path("da")
    real = compile_module.write_bytes_atomic

    def save_meanwhile(path, data, **kwargs):
        written = real(path, data, **kwargs)
        _dated(po, 60)  # saved after compile read it (an hour old then)
        return written

    _dated(po, 3600)

    monkeypatch.setattr(compile_module, "write_bytes_atomic", save_meanwhile)
    compile_catalogs(config, ["da"])
    monkeypatch.undo()
    assert po.stat().st_mtime_ns > mo.stat().st_mtime_ns
    message = Renderer(config).render("email/payment-reminder.j2", "da_DK", DATA)
    assert [w for w in message.warnings if "changed after" in w]


def test_a_po_dated_in_the_future_is_said_to_be(render_dir):
    import os
    import time

    config = load_config(render_dir)
    po = config.po_path("lt")
    ahead = time.time_ns() + 3600 * 10**9
    os.utime(po, ns=(ahead, ahead))
    compile_catalogs(config, ["lt"])  # cannot date the MO ahead of the clock: left as it is
    message = Renderer(config).render("email/payment-reminder.j2", "lt_LT", DATA)
    (warning,) = [w for w in message.warnings if "messages.po" in w]
    assert warning.startswith("locales/lt/LC_MESSAGES/messages.po is dated in the future (")
    assert warning.endswith("): cannot tell whether locales/lt/LC_MESSAGES/messages.mo was "
                            "compiled from its last edit; check the clock, then run 'touch "
                            "locales/lt/LC_MESSAGES/messages.po' and 'toolkit compile'")


def test_compile_dates_an_mo_reached_through_a_symlink(render_dir):
    config = load_config(render_dir)
    po, mo = config.po_path("nb"), config.mo_path("nb")
    built = render_dir / "build"
    built.mkdir()
    target = built / "nb.mo"
    mo.rename(target)
    mo.symlink_to(target)
    _dated(target, 3600)
    _dated(po, 600)
    assert [w for w in Renderer(config).render("email/payment-reminder.j2", "nb", DATA).warnings
            if "changed after" in w]
    compile_catalogs(config, ["nb"])
    assert mo.is_symlink() and target.stat().st_mtime_ns == po.stat().st_mtime_ns
    assert not [w for w in Renderer(config).render("email/payment-reminder.j2", "nb",
                                                   DATA).warnings if "changed after" in w]
