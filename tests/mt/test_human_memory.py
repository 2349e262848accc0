"""translate fills entries from human translations in the memory (a vendor's TMX) before MT.

A vendor's translation memory imported with ``toolkit memory import`` holds whole-entry pairs
(the units of an XLIFF it translated, or another project's approved entries). An entry whose
whole msgid such a unit has is filled with it, as a draft (fuzzy) marked where it came from;
MT gets only the rest, and no model is needed when nothing is left.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from babel.messages.pofile import read_po

from tests.interchange.test_tmx import _tmx
from toolkit.mt.memory import HumanUnit, TranslationMemory

DA = "locales/da/LC_MESSAGES/messages.po"
NB = "locales/nb_NO/LC_MESSAGES/messages.po"


def _catalog(project: Path, path: str = DA, locale: str = "da"):
    with (project / path).open("rb") as handle:
        return read_po(handle, locale=locale)


def test_an_exact_human_match_fills_the_entry_and_mt_does_the_rest(
    run, installed, mt_project, tmp_path
):
    tmx = _tmx(tmp_path,
               ("Welcome back!", "Velkommen tilbage, kære kunde!"),
               ("Hi {name}, your order is ready.", "Hej {name}, din ordre er klar til dig."),
               ("You have %(num)d point", "Du har %(num)d point"), language="da-DK")  # fmt: skip
    assert run(None, "memory", "import", str(tmx)).exit_code == 0
    result = run(mt_project, "translate", "--locale", "da")
    assert result.exit_code == 0, result.stderr
    assert "da: 9 translated, 0 from memory, 2 from human translations, 3 skipped" in (
        result.stdout
    )
    po = _catalog(mt_project)
    welcome = po.get("Welcome back!")
    assert welcome.string == "Velkommen tilbage, kære kunde!"
    assert welcome.fuzzy  # a draft for the reviewer, as MT output is
    assert welcome.user_comments == ["mt: memory: human translation (tmx vendor.tmx)"]
    assert po.get("Hi {name}, your order is ready.").string == (
        "Hej {name}, din ordre er klar til dig."
    )
    # A TM pair gives one form: the plural entry still goes to MT.
    plural = po.get(("You have %(num)d point", "You have %(num)d points"))
    assert plural.string == ("Du har %(num)d point", "Du har %(num)d point")
    assert plural.user_comments == ["mt: argos en->da 1.0 score=0.00"]
    subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(mt_project / DA)], check=True)


def _da_project(tmp_path: Path, entries: str) -> Path:
    """A project with one Danish catalog holding ``entries`` (PO text) after its header."""
    project = tmp_path / "project"
    (project / "locales/da/LC_MESSAGES").mkdir(parents=True)
    (project / "toolkit.toml").write_text('source_locale = "en"\nlocales = ["da"]\n')
    (project / DA).write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        '"Language: da\\n"\n"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n' + entries,
        "utf-8",
    )
    return project


def test_no_model_is_needed_when_human_translations_fill_everything(run, mt_env, tmp_path):
    project = _da_project(
        tmp_path, 'msgid "Pay now"\nmsgstr ""\n\nmsgid "Save now"\nmsgstr "Gem nu"\n'
    )
    tmx = _tmx(tmp_path, ("Pay now", "Betal nu"))
    assert run(None, "memory", "import", str(tmx)).exit_code == 0
    before = (project / DA).read_bytes()
    dry = run(project, "translate", "--locale", "da", "--dry-run")
    assert dry.exit_code == 0, dry.stderr  # no model installed, none needed
    assert (project / DA).read_bytes() == before
    result = run(project, "translate", "--locale", "da")
    assert result.exit_code == 0, result.stderr
    assert "1 from human translations" in result.stdout
    po = _catalog(project)
    assert po.get("Pay now").string == "Betal nu" and po.get("Pay now").fuzzy
    assert po.get("Save now").string == "Gem nu" and not po.get("Save now").fuzzy


def _targets(memory: TranslationMemory, locale: str, *sources: str) -> dict[str, str]:
    """The human translation the memory gives each source (no context) for ``locale``."""
    found = memory.human_matches("en", locale, [(s, None) for s in sources])
    return {s: u.target for (s, _), u in found.items()}


def test_the_closest_language_tag_wins_and_other_regions_are_not_used(tmp_path):
    with TranslationMemory(tmp_path / "m.sqlite") as memory:
        memory.store_human([
            HumanUnit("en", "nb", "Save", "Spar (nb)"),
            HumanUnit("en", "nb-NO", "Save", "Spar (nb-NO)"),
            HumanUnit("en", "nb", "Buy", "Kjøp (nb)"),
            HumanUnit("en-US", "pt-BR", "Buy", "Comprar (pt-BR)"),
            HumanUnit("en", "da-DK", "Buy", "Køb (da-DK)"),
            HumanUnit("de", "da", "Save", "Gem (from German)"),
        ])  # fmt: skip

        def targets(locale, *sources):
            return _targets(memory, locale, *sources)

        assert targets("nb_NO", "Save", "Buy", "Other") == {
            "Save": "Spar (nb-NO)", "Buy": "Kjøp (nb)"}  # fmt: skip
        assert targets("pt_PT", "Buy") == {}
        assert targets("pt_BR", "Buy") == {"Buy": "Comprar (pt-BR)"}
        assert targets("da", "Buy", "Save") == {"Buy": "Køb (da-DK)"}  # not from German
        memory.store_human([HumanUnit("en", "nb-NO", "Save", "Spar (newer)")])
        assert targets("nb_NO", "Save") == {"Save": "Spar (newer)"}
        # Imported again, an older pair is the latest (QA pass 60: the first import won).
        memory.store_human([HumanUnit("en", "nb-NO", "Save", "Spar (nb-NO)")])
        assert targets("nb_NO", "Save") == {"Save": "Spar (nb-NO)"}


def test_a_unit_of_another_script_never_fills_the_catalog(tmp_path):
    """zh is Simplified Chinese and filled a zh_Hant catalog, while zh-TW (Traditional) did
    not; sr is Cyrillic and filled sr_Latn."""
    with TranslationMemory(tmp_path / "m.sqlite") as memory:
        memory.store_human([
            HumanUnit("en", "zh", "Pay", "支付"),
            HumanUnit("en", "zh-CN", "Pay", "支付 (CN)"),
            HumanUnit("en", "zh-TW", "Pay", "付款"),
            HumanUnit("en", "sr", "Pay", "Плати"),
            HumanUnit("en", "sr-Latn", "Save", "Sačuvaj"),
        ])  # fmt: skip

        def target(locale, source="Pay"):
            return _targets(memory, locale, source).get(source)

        # (zh_Hans: zh and zh-CN serve it alike; the later import wins)
        assert [target(x) for x in ("zh_Hant", "zh_Hant_TW", "zh_TW", "zh_Hans", "zh")] == [
            "付款", "付款", "付款", "支付 (CN)", "支付"]  # fmt: skip
        assert [target("sr_Latn"), target("sr"), target("sr_Latn", "Save")] == [
            None, "Плати", "Sačuvaj"]  # fmt: skip


def test_a_units_context_serves_its_own_context_and_never_another(tmp_path):
    """TMX x-context was dropped: 'Open' in a menu got the adjective (QA pass 60)."""
    with TranslationMemory(tmp_path / "m.sqlite") as memory:
        memory.store_human([
            HumanUnit("en", "da", "Open", "Åben", context=""),
            HumanUnit("en", "da", "Open", "Åbn", context="menu"),
            HumanUnit("en", "da", "Close", "Luk", context="menu"),
        ])  # fmt: skip
        found = memory.human_matches(
            "en", "da", [("Open", None), ("Open", "menu"), ("Open", "status"), ("Close", None)]
        )
        assert {k: u.target for k, u in found.items()} == {
            ("Open", None): "Åben", ("Open", "menu"): "Åbn", ("Open", "status"): "Åben"}
        # ('Close' has only a menu unit: not for an entry without that context)


def test_a_memory_without_the_units_table_or_file_has_no_matches(tmp_path):
    with TranslationMemory(tmp_path / "none.sqlite", read_only=True) as memory:
        assert memory.human_matches("en", "da", ["Save"]) == {}
    assert not (tmp_path / "none.sqlite").exists()


def test_include_fuzzy_never_lets_mt_replace_a_human_draft(
    run, installed, mt_project, mt_env, tmp_path
):
    """A memory without the unit (CI, another machine) made --include-fuzzy send the vendor's
    text to MT (QA pass 60): such a draft is refilled from the memory or left alone."""
    tmx = _tmx(tmp_path, ("Welcome back!", "Velkommen tilbage, kære kunde!"))
    assert run(None, "memory", "import", str(tmx)).exit_code == 0
    assert run(mt_project, "translate", "--locale", "da").exit_code == 0
    mt_env["memory"].unlink()  # the memory is gone
    result = run(mt_project, "translate", "--locale", "da", "--include-fuzzy")
    assert result.exit_code == 0, result.stderr
    assert _catalog(mt_project).get("Welcome back!").string == "Velkommen tilbage, kære kunde!"


def test_an_unreadable_memory_is_one_error_not_a_traceback(run, mt_project, mt_env):
    mt_env["memory"].parent.mkdir(parents=True, exist_ok=True)
    mt_env["memory"].write_bytes(b"this is not an SQLite file" * 100)
    result = run(mt_project, "translate", "--locale", "da")
    assert result.exit_code == 2
    assert "is unreadable" in result.stderr and "Traceback" not in result.stderr
    assert "human translations imported into it are lost" in result.stderr


def test_a_unit_msgfmt_or_a_reader_would_trip_on_is_not_used(run, installed, mt_project, tmp_path):
    """A blank target, a line break the source lacks (msgfmt refuses it) and a right-to-left
    override reached the catalog from a vendor's TMX (QA pass 60); such entries go to MT."""
    tmx = _tmx(tmp_path,
               ("Welcome back!", "   "),
               ("Your first_name is ready", "Din first_name er klar\n"),
               ("Thank you for shopping with us &amp; good day", "Tak \u202eyad doog"))  # fmt: skip
    assert run(None, "memory", "import", str(tmx)).exit_code == 0
    result = run(mt_project, "translate", "--locale", "da")
    assert result.exit_code == 0, result.stderr
    assert "from human translations" not in result.stdout
    po = _catalog(mt_project)
    assert po.get("Welcome back!").string == "Velkommen tilbage!"
    assert po.get("Your first_name is ready").string == "Din first_name er klar"
    assert "\u202e" not in po.get("Thank you for shopping with us &amp; good day").string
    subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(mt_project / DA)], check=True)


def test_a_unit_that_drops_a_protected_brand_is_not_used(mt_env, tmp_path):
    from toolkit.config import load_config
    from toolkit.mt import translate_catalog

    class Brands:
        def protected_spans(self, source: str) -> list[tuple[int, int]]:
            start = source.find("PayPal")
            return [(start, start + 6)] if start >= 0 else []

        def enforce(self, source: str, target: str) -> tuple[str, list[str]]:
            return target, []

    project = tmp_path / "project"
    (project / "locales/da/LC_MESSAGES").mkdir(parents=True)
    (project / "toolkit.toml").write_text('source_locale = "en"\nlocales = ["da"]\n')
    (project / DA).write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Pay with PayPal"\nmsgstr ""\n\nmsgid "Pay now"\nmsgstr ""\n', "utf-8"
    )
    with TranslationMemory(mt_env["memory"]) as memory:
        memory.store_human([HumanUnit("en", "da", "Pay with PayPal", "Betal med BetalPal"),
                            HumanUnit("en", "da", "Pay now", "Betal nu")])  # fmt: skip
    config = load_config(project)
    result = translate_catalog(config, "da", terms=Brands(), dry_run=True, engine=_NoEngine())
    assert [c.msgid for c in result.changes if c.human] == ["Pay now"]


class _NoEngine:
    """An engine that gives its input back (flagged as a copy): only human units translate."""

    name = label = "echo"
    memory_key = "echo"
    copies_ok = False

    def translate(self, segments):
        from toolkit.mt.engines import MTOutput

        yield list(range(len(segments))), [MTOutput(s, 0.0) for s in segments]


def test_x_context_from_the_tmx_decides_which_entry_a_unit_fills(run, mt_env, tmp_path):
    project = tmp_path / "project"
    (project / "locales/da/LC_MESSAGES").mkdir(parents=True)
    (project / "toolkit.toml").write_text('source_locale = "en"\nlocales = ["da"]\n')
    (project / DA).write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgctxt "menu"\nmsgid "Open"\nmsgstr ""\n\nmsgid "Open"\nmsgstr ""\n', "utf-8"
    )
    tmx = _tmx(tmp_path, ("Open", "Åben"), ("Open", "Åbn"))
    text = tmx.read_text("utf-8").replace(
        '<tu><tuv xml:lang="en"><seg>Open</seg></tuv><tuv xml:lang="da"><seg>Åbn',
        '<tu><prop type="x-context">menu</prop><tuv xml:lang="en"><seg>Open</seg></tuv>'
        '<tuv xml:lang="da"><seg>Åbn',
    )
    tmx.write_text(text, "utf-8")
    assert run(None, "memory", "import", str(tmx)).exit_code == 0
    result = run(project, "translate", "--locale", "da")
    assert result.exit_code == 0, result.stderr
    po = _catalog(project)
    assert po.get("Open", context="menu").string == "Åbn"
    assert po.get("Open").string == "Åben"
    # and the memory's own export keeps the context for the next vendor
    out = tmp_path / "out.tmx"
    assert run(project, "memory", "export", "--no-catalogs", "--out", str(out)).exit_code == 0
    assert '<prop type="x-context">menu</prop>' in out.read_text("utf-8")


def _memory_draft_project(run, tmp_path: Path) -> Path:
    """A project whose one untranslated entry translate fills from a vendor's TMX."""
    project = _da_project(tmp_path, 'msgid "Pay now"\nmsgstr ""\n')
    tmx = _tmx(tmp_path, ("Pay now", "Betal nu"))
    assert run(None, "memory", "import", str(tmx)).exit_code == 0
    assert run(project, "translate", "--locale", "da").exit_code == 0
    return project


def test_xliff_labels_a_memory_draft_as_a_tm_match_and_its_reimport_changes_nothing(
    run, mt_env, tmp_path
):
    from lxml import etree

    project = _memory_draft_project(run, tmp_path)
    before = (project / DA).read_bytes()
    for version, qualifier in (("1.2", "tm-suggestion"), ("2.1", "toolkit:tm")):
        out = tmp_path / f"da-{version}.xlf"
        result = run(project, "xliff", "export", "--locale", "da", "--version", version,
                     "--out", str(out))  # fmt: skip
        assert result.exit_code == 0, result.stderr
        tree = etree.parse(str(out))
        if version == "1.2":
            ns = {"x": "urn:oasis:names:tc:xliff:document:1.2"}
            target = tree.find(".//x:trans-unit/x:target", ns)
            assert target.get("state-qualifier") == qualifier
            origins = [a.get("origin") for a in tree.iterfind(".//x:alt-trans", ns)]
            assert origins == ["tm: memory: human translation (tmx vendor.tmx)"]
        else:
            ns = {"x": "urn:oasis:names:tc:xliff:document:2.0",
                  "mtc": "urn:oasis:names:tc:xliff:matches:2.0"}  # fmt: skip
            assert tree.find(".//x:segment", ns).get("subState") == qualifier
            match = tree.find(".//mtc:match", ns)
            assert (match.get("type"), match.get("origin")) == (
                "tm", "memory: human translation (tmx vendor.tmx)"
            )
        # Sent back untouched (a draft, as exported): the toolkit's own draft, nothing new.
        again = run(project, "xliff", "import", str(out))
        assert again.exit_code == 0, again.stderr
        assert (project / DA).read_bytes() == before
    subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(project / DA)], check=True)
    status = run(project, "status", "--format", "json")
    row = json.loads(status.stdout)["locales"][0]
    assert (row["fuzzy"], row["machine_translated"]) == (1, 0)  # a person's text, not MT


def test_a_draft_whose_source_changed_is_no_suggestion_in_xliff(run, mt_env, tmp_path):
    """After update's fuzzy match the draft translates the old source: exported as a TM
    match, its <source> was the new msgid, which the memory never held (QA pass 61)."""
    project = _memory_draft_project(run, tmp_path)
    po = project / DA
    po.write_text(po.read_text("utf-8").replace(
        'msgid "Pay now"', '#| msgid "Pay now"\nmsgid "Pay now, please"'), "utf-8")
    out = tmp_path / "da.xlf"
    result = run(project, "xliff", "export", "--locale", "da", "--version", "2.1",
                 "--out", str(out))  # fmt: skip
    assert result.exit_code == 0, result.stderr
    text = out.read_text("utf-8")
    assert "mtc:match" not in text and 'subState="gettext:fuzzy"' in text
    assert '<target xml:space="preserve">Betal nu</target>' in text


def test_another_tools_tm_match_is_not_taken_for_a_toolkit_draft(run, mt_env, tmp_path):
    """A CAT tool's own TM leverage (type="tm", its origin) on a draft target is imported as a
    draft: only the toolkit's memory matches are its own suggestions."""
    project = _memory_draft_project(run, tmp_path)
    (project / DA).write_text(
        (project / DA).read_text("utf-8").replace('msgstr "Betal nu"', 'msgstr ""'), "utf-8"
    )
    xlf = tmp_path / "okapi.xlf"
    xlf.write_text(
        '<?xml version="1.0"?>\n<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" '
        'xmlns:mtc="urn:oasis:names:tc:xliff:matches:2.0" version="2.1" srcLang="en" '
        'trgLang="da"><file id="f1"><unit id="u1"><mtc:matches><mtc:match ref="#s1" type="tm" '
        'origin="okapi-tm"><source>Pay now</source><target>Betal nu</target></mtc:match>'
        '</mtc:matches><segment id="s1" state="initial"><source>Pay now</source>'
        "<target>Betal nu</target></segment></unit></file></xliff>",
        "utf-8",
    )
    result = run(project, "xliff", "import", str(xlf))
    assert result.exit_code == 0, result.stderr
    entry = _catalog(project).get("Pay now")
    assert entry.string == "Betal nu" and entry.fuzzy and entry.user_comments == []


def test_review_shows_a_memory_draft_as_a_translation_memory_suggestion(run, mt_env, tmp_path):
    from toolkit.config import load_config
    from toolkit.review.model import entry_id
    from toolkit.review.workspace import ReviewWorkspace

    project = _memory_draft_project(run, tmp_path)
    workspace = ReviewWorkspace(load_config(project), reviewer="Tester")
    state = workspace.state("da")
    summary = workspace.summary(state, entry_id(None, "Pay now"))
    assert summary["mt"]["kind"] == "tm"
    assert summary["mt"]["comment"] == "mt: memory: human translation (tmx vendor.tmx)"
