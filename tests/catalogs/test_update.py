from __future__ import annotations

import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from toolkit.catalogs import update_catalogs
from toolkit.errors import CatalogError, InputError
from toolkit.extract import extract_messages

from .helpers import catalogs_behind_a_new_string, load, msgfmt_check, translate


@pytest.fixture(params=["one core", "two cores"])
def cores(request, monkeypatch):
    """update in one process, or with a forked child merging about half of the catalogs
    (the test project's catalogs are below the size that makes update fork on its own)."""
    import toolkit.catalogs.merge as merge
    import toolkit.forked as forked

    if request.param == "two cores":
        monkeypatch.setattr(merge, "PARALLEL_MIN_BYTES", 0)
        monkeypatch.setattr(forked, "cores", lambda: 2)
        monkeypatch.setattr(forked, "_may_fork", lambda: True)  # other tests' threads
    else:
        monkeypatch.setattr(merge, "PARALLEL_MIN_BYTES", 10**12)
    return request.param


@pytest.fixture
def extracted(project):
    extract_messages(project)
    return project


def test_creates_catalogs_with_cldr_headers(extracted):
    results = update_catalogs(extracted)
    assert [r.locale for r in results] == ["da", "nb", "lt"]
    for result in results:
        assert result.created and result.written
        msgfmt_check(result.path)
        text = result.path.read_text("utf-8")
        assert f'"Language: {result.locale}\\n"' in text
    assert "nplurals=3;" in extracted.po_path("lt").read_text("utf-8")
    assert "nplurals=2; plural=(n != 1);" in extracted.po_path("da").read_text("utf-8")
    lt = load(extracted.po_path("lt"), "lt")
    assert lt.num_plurals == 3


@pytest.mark.parametrize(("locale", "count"), [("pl", 3), ("ja", 1), ("ar", 6)])
def test_any_cldr_locale(extracted, locale, count):
    (result,) = update_catalogs(extracted, [locale])
    assert f"nplurals={count};" in result.path.read_text("utf-8")
    msgfmt_check(result.path)


def test_merge_keeps_translations_fuzzy_matches_and_obsoletes(extracted, cores):
    update_catalogs(extracted, ["da"])
    po = extracted.po_path("da")
    translate(
        po,
        "da",
        {
            "See what you can do with them.": "Se, hvad du kan bruge dem til.",
            "How points work": "Sådan virker point",
            ("Open", "button"): "Åbn",
        },
    )
    template = extracted.templates_path / "email" / "points.j2"
    text = template.read_text("utf-8")
    text = text.replace("See what you can do with them.", "See what you can do with them now.")
    template.write_text(text, encoding="utf-8")
    article = extracted.templates_path / "kb" / "points-explained.md"
    article.write_text(article.read_text("utf-8").replace("# How points work\n", ""), "utf-8")
    extract_messages(extracted)
    (result,) = update_catalogs(extracted, ["da"])
    assert result.fuzzy_matched == 1 and result.obsolete == 1
    catalog = load(po, "da")
    changed = catalog.get("See what you can do with them now.")
    assert changed.string == "Se, hvad du kan bruge dem til."
    assert changed.fuzzy
    assert changed.previous_id == ["See what you can do with them."]
    assert catalog.get(("Open"), "button").string == "Åbn"
    assert [m.string for m in catalog.obsolete.values()] == ["Sådan virker point"]
    msgfmt_check(po)
    # Another update keeps the previous msgid for the reviewer.
    update_catalogs(extracted, ["da"])
    assert '#| msgid "See what you can do with them."' in po.read_text("utf-8")
    # The string comes back: its translation returns from the obsolete entries.
    article.write_text("# How points work\n\n" + article.read_text("utf-8"), "utf-8")
    extract_messages(extracted)
    update_catalogs(extracted, ["da"])
    back = load(po, "da").get("How points work")
    assert back.string == "Sådan virker point" and not back.fuzzy


def test_translator_comments_and_flags_survive(extracted):
    update_catalogs(extracted, ["nb"])
    po = extracted.po_path("nb")
    catalog = load(po, "nb")
    message = catalog.get("How points work")
    message.string = "Slik fungerer poeng"
    message.user_comments = ["Reviewed by Kari"]
    message.flags.add("no-check-length")
    from toolkit.catalogs import write_catalog

    write_catalog(po, catalog)
    extract_messages(extracted)
    update_catalogs(extracted, ["nb"])
    again = load(po, "nb").get("How points work")
    assert again.user_comments == ["Reviewed by Kari"]
    assert "no-check-length" in again.flags
    assert again.string == "Slik fungerer poeng"


def test_valid_foreign_plural_forms_header_is_kept_and_converted_only_on_request(extracted):
    update_catalogs(extracted, ["lt"])
    po = extracted.po_path("lt")
    text = po.read_text("utf-8")
    start = text.index('"Plural-Forms:')
    end = text.index('"MIME-Version')
    # A catalog made by a tool that thought Lithuanian has two forms: msgfmt accepts it.
    text = text[:start] + '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n' + text[end:]
    po.write_text(text.replace('msgstr[2] ""\n', ""), encoding="utf-8")
    msgfmt_check(po)
    translate(po, "lt", {"%(num)d day left": ("Liko %(num)d diena", "Liko %(num)d dienos")})
    update_catalogs(extracted, ["lt"])
    assert "nplurals=2; plural=(n != 1);" in po.read_text("utf-8")  # kept: never guessed
    assert load(po, "lt").get("%(num)d day left").string == (
        "Liko %(num)d diena",
        "Liko %(num)d dienos",
    )
    (result,) = update_catalogs(extracted, ["lt"], plural_forms="cldr")
    assert "converted nplurals=2 -> 3" in result.plural_forms
    assert "nplurals=3;" in po.read_text("utf-8")
    catalog = load(po, "lt")
    assert catalog.num_plurals == 3
    days = catalog.get("%(num)d day left")
    # 2-9, 22-29... and 0, 10-20... took form 1 under (n != 1): exact; form 0 (1, 21, 31...)
    # was split between both old forms, so a translator must look at the entry.
    assert days.string[1:] == ("Liko %(num)d dienos", "Liko %(num)d dienos")
    assert days.fuzzy
    texts = " ".join([*days.string, *days.user_comments])
    assert "Liko %(num)d diena" in texts  # nothing is lost
    msgfmt_check(po)


def test_update_is_deterministic(extracted, cores):
    update_catalogs(extracted)
    before = {loc: extracted.po_path(loc).read_bytes() for loc in extracted.locales}
    results = update_catalogs(extracted)
    assert not any(r.written for r in results)
    assert before == {loc: extracted.po_path(loc).read_bytes() for loc in extracted.locales}


def test_malformed_po_names_line_and_changes_nothing(extracted, cores):
    update_catalogs(extracted)
    po = extracted.po_path("nb")
    broken = po.read_text("utf-8") + '\nmsgid "dangling"\nmsgstr "x\nmsgid_plural\n'
    po.write_text(broken, encoding="utf-8")
    others = {loc: extracted.po_path(loc).read_bytes() for loc in ("da", "lt")}
    with pytest.raises(CatalogError) as info:
        update_catalogs(extracted)
    assert "nb/LC_MESSAGES/messages.po:" in str(info.value)
    assert info.value.line is not None
    assert po.read_text("utf-8") == broken
    assert others == {loc: extracted.po_path(loc).read_bytes() for loc in ("da", "lt")}


def test_missing_pot_says_run_extract(project):
    with pytest.raises(CatalogError, match="toolkit extract"):
        update_catalogs(project)


def test_interrupted_write_leaves_previous_file(extracted, cores, monkeypatch):
    update_catalogs(extracted, ["da"])
    po = extracted.po_path("da")
    before = po.read_bytes()
    translate(po, "da", {"How points work": "Sådan virker point"})
    after_translation = po.read_bytes()
    assert after_translation != before

    import toolkit.fsutil as fsutil

    def interrupted(*args, **kwargs):  # Ctrl-C between writing the temp file and the rename
        raise KeyboardInterrupt

    faq = extracted.templates_path / "faq" / "general.yaml"
    faq.write_text(
        faq.read_text("utf-8") + "  - question: Is this new?\n    answer: Yes.\n", "utf-8"
    )
    extract_messages(extracted)
    monkeypatch.setattr(fsutil.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        update_catalogs(extracted, ["da"])
    assert po.read_bytes() == after_translation
    assert not list(po.parent.glob("*.tmp"))


def test_one_read_only_catalog_stops_the_update_of_all_and_says_so(project, cores):
    from toolkit.errors import InputError

    before = catalogs_behind_a_new_string(project)
    project.po_path("lt").chmod(0o444)
    try:
        with pytest.raises(InputError, match="No catalog was updated"):
            update_catalogs(project)
    finally:
        project.po_path("lt").chmod(0o644)
    assert {loc: project.po_path(loc).read_bytes() for loc in project.locales} == before


def _folder_not_writable(monkeypatch, folder):
    """``folder`` as a non-root user sees a folder without write permission (the tests run
    as root, which may write anywhere)."""
    import os

    from toolkit import fsutil

    real = os.access
    monkeypatch.setattr(
        fsutil.os, "access", lambda path, mode: real(path, mode) and Path(path) != folder
    )


def test_a_catalog_folder_without_write_permission_stops_the_update_of_all(project, cores,
                                                                          monkeypatch):  # fmt: skip
    # Found by QA as user 'nobody': update wrote cs, da, de and es, then failed on fr's temp
    # file, and reported nothing it had written.
    from toolkit.errors import InputError

    before = catalogs_behind_a_new_string(project)
    _folder_not_writable(monkeypatch, project.po_path("lt").parent)
    with pytest.raises(InputError, match="No catalog was updated") as info:
        update_catalogs(project)
    assert f"{project.po_path('lt').parent} is not writable" in str(info.value)
    assert {loc: project.po_path(loc).read_bytes() for loc in project.locales} == before


def test_a_folder_without_write_permission_stops_compile_before_any_mo_file(extracted,
                                                                          monkeypatch):  # fmt: skip
    from toolkit.compile import compile_catalogs
    from toolkit.errors import InputError

    project = extracted
    update_catalogs(project)
    _folder_not_writable(monkeypatch, project.mo_path("lt").parent)
    with pytest.raises(InputError, match="No MO file was written"):
        compile_catalogs(project, force=True)
    assert not any(project.mo_path(loc).exists() for loc in project.locales)


def test_without_fuzzy_matching_a_changed_string_starts_untranslated(extracted):
    """``update --no-fuzzy-matching`` (pybabel's -N): the old translation is kept as an
    obsolete entry, never lost, and the changed string is new."""
    update_catalogs(extracted, ["da"])
    po = extracted.po_path("da")
    translate(po, "da", {"See what you can do with them.": "Se, hvad du kan bruge dem til."})
    template = extracted.templates_path / "email" / "points.j2"
    text = template.read_text("utf-8")
    text = text.replace("See what you can do with them.", "See what you can do with them now.")
    template.write_text(text, encoding="utf-8")
    extract_messages(extracted)
    (result,) = update_catalogs(extracted, ["da"], fuzzy_matching=False)
    assert result.fuzzy_matched == 0 and result.new == 1
    catalog = load(po, "da")
    changed = catalog.get("See what you can do with them now.")
    assert changed.string == "" and not changed.fuzzy
    assert [m.string for m in catalog.obsolete.values()] == ["Se, hvad du kan bruge dem til."]
    msgfmt_check(po)


def test_two_cores_write_what_one_core_writes(tmp_path, monkeypatch):
    """CKAN's four real catalogs merged with a forked child taking about half of them: the same
    files and the same summaries as in one process."""
    import dataclasses
    import os

    import toolkit.catalogs.merge as merge
    import toolkit.forked as forked

    from .test_fuzzy import catalog_files, ckan_project_with_edited_template

    forks = []
    real_fork = os.fork

    def fork():
        forks.append(1)
        return real_fork()

    outputs = []
    for run, least in (("one core", 10**12), ("two cores", 0)):
        config = ckan_project_with_edited_template(tmp_path / run.replace(" ", "-"))
        with monkeypatch.context() as patch:
            patch.setattr(merge, "PARALLEL_MIN_BYTES", least)
            patch.setattr(forked, "cores", lambda: 2)
            patch.setattr(forked, "_may_fork", lambda: True)  # other tests' threads
            patch.setattr(forked.os, "fork", fork)
            results = update_catalogs(config)
        summaries = [dataclasses.replace(r, path=r.path.relative_to(config.root)) for r in results]
        outputs.append((catalog_files(config.root), summaries))
    assert forks == [1]
    assert sum(r.fuzzy_matched for r in outputs[0][1]) >= 10
    assert outputs[0] == outputs[1]


def test_ctrl_c_while_catalogs_are_written_writes_them_all_first(project, monkeypatch):
    """Every catalog is new or every catalog is old: an interrupt that comes while they are
    written waits until the last one is."""
    import signal

    import toolkit.catalogs.merge as merge

    before = catalogs_behind_a_new_string(project)
    real, written = merge.write_bytes, []

    def write_bytes(path, data):  # type: ignore[no-untyped-def]
        written.append(path)
        if len(written) == 1:
            signal.raise_signal(signal.SIGINT)  # Ctrl-C as the first catalog is written
        real(path, data)

    monkeypatch.setattr(merge, "write_bytes", write_bytes)
    with pytest.raises(KeyboardInterrupt):
        update_catalogs(project)
    after = {loc: project.po_path(loc).read_bytes() for loc in project.locales}
    assert len(written) == len(project.locales)
    assert all(after[loc] != before[loc] and b"A new subject" in after[loc] for loc in after)


def test_update_merges_several_templates_as_one(extracted, tmp_path):
    """ihatemoney's POT has no header ('pybabel extract --omit-header'), so the advised
    'msgcat app.pot templates.pot' failed (QA pass 70): '--pot' repeated merges them, a
    message in both keeps both references and flags, and the update cache knows both."""
    from typer.testing import CliRunner

    from toolkit.catalogs import read_catalog
    from toolkit.cli import app

    app_pot = tmp_path / "app.pot"
    app_pot.write_text(
        "#: ihatemoney/web.py:12\n#, python-format\n"
        'msgid "Settle up with %(who)s"\nmsgstr ""\n\n'
        "#: ihatemoney/forms.py:40\n"
        'msgid "Amount paid, in €"\nmsgstr ""\n', "utf-8")
    own = extracted.pot_path
    shared = next(m.id for m in read_catalog(own) if m.id and isinstance(m.id, str))
    with app_pot.open("a", encoding="utf-8") as handle:
        handle.write(f'\n#: ihatemoney/views.py:7\nmsgid "{shared}"\nmsgstr ""\n')
    assert subprocess.run(["msgcat", str(app_pot), str(own), "-o", str(tmp_path / "all.pot")],
                          capture_output=True).returncode != 0  # what was advised  # fmt: skip
    args = ["--project", str(extracted.root), "update", "--locale", "da",
            "--pot", str(app_pot), "--pot", str(own)]  # fmt: skip
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.stderr
    catalog = read_catalog(extracted.po_path("da"))
    assert catalog.get("Amount paid, in €") is not None
    assert "python-format" in catalog.get("Settle up with %(who)s").flags
    places = {name for name, _ in catalog.get(shared).locations}
    assert "ihatemoney/views.py" in places and any(p.startswith("templates/") for p in places)
    assert len([m for m in catalog if m.id]) == len([m for m in read_catalog(own) if m.id]) + 2
    check = CliRunner().invoke(app, [*args[:3], "--check", *args[3:]])
    assert check.exit_code == 0 and "up to date" in check.stdout, check.output
    one = CliRunner().invoke(app, [*args[:3], "--check", *args[3:7]])  # the app's alone
    assert one.exit_code == 1, one.output


def test_update_from_another_template_keeps_what_only_it_has(extracted, tmp_path):
    """A Flask app's messages from Python code come from pybabel's POT (calibre-web keeps it
    at the repository root): 'update --pot' merges from it, so they stay live; the templates'
    own POT alone would make them obsolete: that update is refused (QA pass 15), nothing
    written."""
    from babel.messages.pofile import read_po, write_po

    from toolkit.catalogs import read_catalog

    with extracted.pot_path.open("rb") as handle:
        template = read_po(handle)
    template.add("Unknown command", locations=[("cps/web.py", 12)])
    full = tmp_path / "messages.pot"
    with full.open("wb") as handle:
        write_po(handle, template)
    [created] = update_catalogs(extracted, ["da"], pot=full)
    assert created.created
    translate(extracted.po_path("da"), "da", {"Unknown command": "Ukendt kommando"})
    [kept] = update_catalogs(extracted, ["da"], pot=full)
    assert read_catalog(extracted.po_path("da")).get("Unknown command").string == (
        "Ukendt kommando"
    )
    assert kept.obsolete == 0
    before = extracted.po_path("da").read_bytes()
    with pytest.raises(InputError) as info:
        update_catalogs(extracted, ["da"])
    assert "would make 1 translated entries obsolete in 1 catalog " in str(info.value)
    assert "(cps/web.py:12, ...)" in str(info.value)
    assert "'toolkit update --pot app.pot --pot " in info.value.hint
    assert extracted.po_path("da").read_bytes() == before


def test_a_live_entry_turning_obsolete_keeps_an_older_obsolete_copys_translation(extracted):
    """A live entry the template no longer has, and an older #~ copy of it with another
    translation (msgfmt rejects the pair): both texts survive the update (QA pass 12)."""
    update_catalogs(extracted, ["da"])
    po = extracted.po_path("da")
    po.write_text(
        po.read_text("utf-8")
        + '\nmsgid "Unknown command"\nmsgstr "Ukendt kommando"\n'
        + '\n#~ msgid "Unknown command"\n#~ msgstr "Ukendt ordre"\n',
        "utf-8",
    )
    update_catalogs(extracted, ["da"])
    text = po.read_text("utf-8")
    assert '#~ msgstr "Ukendt kommando"' in text
    assert 'obsolete duplicate translation: "Ukendt ordre"' in text
    msgfmt_check(po)


def test_a_translators_bar_comment_survives_a_second_update(extracted, cores):
    """Old Babel left '# | msgid "..."' translator comments (privacyidea's catalogs). Babel
    reads them as it reads a real '#| msgid' line, so once an update had given the entry a
    previous msgid, the next update dropped the comment: 'update --check' failed right
    after an update (QA pass 26, 34 lines in 9 catalogs)."""
    update_catalogs(extracted, ["da"])
    po = extracted.po_path("da")
    text = po.read_text("utf-8")
    entry = 'msgid "How points work"\nmsgstr ""\n'
    assert entry in text
    po.write_text(text.replace(entry, '# | msgid "How pointz work"\n'
                               'msgid "How points used to work"\nmsgstr "Sådan virker point"\n',
                               1), "utf-8")  # fmt: skip
    update_catalogs(extracted, ["da"])  # fuzzy-matched: '#| msgid "How points used to work"'
    first = po.read_text("utf-8")
    assert '# | msgid "How pointz work"\n' in first
    assert '#| msgid "How points used to work"\nmsgid "How points work"\n' in first
    [result] = update_catalogs(extracted, ["da"])
    assert not result.written and po.read_text("utf-8") == first
    assert load(po, "da").get("How points work").user_comments == ['| msgid "How pointz work"']


def one_template_project(tmp_path: Path, source: str, settings: str):
    """A project of one template ``templates/a.html`` holding ``source``, configured by
    ``settings`` (toolkit.toml), extracted and updated: its template path and config."""
    from toolkit.config import load_config

    (tmp_path / "templates").mkdir()
    template = tmp_path / "templates" / "a.html"
    template.write_text(source, "utf-8")
    (tmp_path / "toolkit.toml").write_text(settings, "utf-8")
    config = load_config(tmp_path)
    extract_messages(config)
    update_catalogs(config)
    return template, config


def test_a_changed_msgid_plural_makes_the_entry_fuzzy(tmp_path):
    """Babel keys entries by msgid: a new msgid_plural kept the old plural translations as
    approved, and compile sent them (QA pass 25). msgmerge makes the entry fuzzy, with the
    old ids as previous ones; so does update now."""
    template, config = one_template_project(
        tmp_path, '{{ ngettext("%(num)d page", "%(num)d pages", n) }}\n', 'locales = ["lt"]\n')
    translate(config.po_path("lt"), "lt", {"%(num)d page": (
        "%(num)d puslapis", "%(num)d puslapiai", "%(num)d puslapių")})  # fmt: skip
    template.write_text('{{ ngettext("%(num)d page", "%(num)d pages in all", n) }}\n', "utf-8")
    extract_messages(config)
    update_catalogs(config)
    entry = load(config.po_path("lt"), "lt").get("%(num)d page")
    assert entry.id == ("%(num)d page", "%(num)d pages in all") and entry.fuzzy
    assert entry.previous_id == ["%(num)d page", "%(num)d pages"]
    assert entry.string[2] == "%(num)d puslapių"  # kept for the translator, not approved
    msgfmt_check(config.po_path("lt"))
    [again] = update_catalogs(config)
    assert not again.written
    assert again.fuzzy_matched == 0  # matched by the run before, not by this one (QA pass 27)


def test_a_fuzzy_entry_that_turns_obsolete_and_comes_back_is_still_fuzzy(tmp_path):
    """update wrote obsolete entries without '#, fuzzy' (Babel drops it; msgmerge keeps it),
    so a machine translation whose string left and came back (a revert) was approved, and
    compile sent the raw MT to customers (QA pass 27)."""
    from toolkit.catalogs import MT_PROVENANCE_PREFIX, read_catalog, write_catalog

    both = '{{ _("Thanks for joining us.") }}\n{{ _("Hello") }}\n'
    template, config = one_template_project(tmp_path, both, 'locales = ["da"]\n')
    po = config.po_path("da")
    catalog = read_catalog(po, "da")
    message = catalog.get("Thanks for joining us.")
    message.string = "Tak for joining os."
    message.flags.add("fuzzy")
    message.user_comments.append(f"{MT_PROVENANCE_PREFIX} argos en->da 1.0")
    write_catalog(po, catalog)
    template.write_text('{{ _("Hello") }}\n', "utf-8")
    extract_messages(config)
    update_catalogs(config, fuzzy_matching=False)
    assert '#, fuzzy\n#~ msgid "Thanks for joining us."' in po.read_text("utf-8")
    msgfmt_check(po)
    template.write_text(both, "utf-8")
    extract_messages(config)
    update_catalogs(config)
    back = read_catalog(po, "da").get("Thanks for joining us.")
    assert back.fuzzy and back.string == "Tak for joining os."
    assert any(c.startswith(MT_PROVENANCE_PREFIX) for c in back.user_comments)


def test_an_obsolete_copy_of_the_header_is_dropped(extracted):
    """pgAdmin's de and pl carry '#~ msgid ""' with an old header: msgfmt refuses the file
    (a duplicate of the header), and update kept it (QA pass 27)."""
    update_catalogs(extracted, ["da"])
    po = extracted.po_path("da")
    po.write_text(po.read_text("utf-8") + '\n#~ msgid ""\n#~ msgstr ""\n'
                  '#~ "Project-Id-Version: old\\n"\n', "utf-8")  # fmt: skip
    update_catalogs(extracted, ["da"])
    assert '#~ msgid ""' not in po.read_text("utf-8")
    msgfmt_check(po)


def test_an_entry_that_gains_or_loses_its_plural_keeps_the_old_ids_and_forms(tmp_path):
    """An entry that gained or lost a msgid_plural turned fuzzy without '#|' lines, and a
    form it no longer has was dropped silently (QA pass 28). msgmerge writes the old ids;
    the dropped form is kept in a translator comment."""

    template, config = one_template_project(
        tmp_path, '{{ _("One file") }}\n{{ ngettext("%(num)d day", "%(num)d days", n) }}\n',
        'locales = ["da"]\n')  # fmt: skip
    translate(config.po_path("da"), "da", {"One file": "Én fil",
                                           "%(num)d day": ("%(num)d dag", "%(num)d dage")})
    template.write_text('{{ ngettext("One file", "%(num)d files", n) }}\n{{ _("%(num)d day") }}\n',
                        "utf-8")  # fmt: skip
    extract_messages(config)
    update_catalogs(config)
    catalog = load(config.po_path("da"), "da")
    gained, lost = catalog.get("One file"), catalog.get("%(num)d day")
    assert gained.fuzzy and gained.previous_id == ["One file"]
    assert lost.fuzzy and lost.previous_id == ["%(num)d day", "%(num)d days"]
    assert lost.string == "%(num)d dag"
    assert 'previous plural form: "%(num)d dage"' in lost.user_comments
    msgfmt_check(config.po_path("da"))
    [again] = update_catalogs(config)
    assert not again.written


def test_a_lost_plural_keeps_its_forms_and_the_real_previous_msgid(tmp_path):
    """QA pass 29: a plural entry with msgstr[0] empty lost 'msgstr[1]' without a comment;
    an already fuzzy entry got its own msgid as the previous one instead of the file's; and
    the summary printed a translation where the Plural-Forms note belongs."""
    from toolkit.config import load_config

    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "a.html").write_text(
        '{{ _("%(n)d file") }}\n{{ ngettext("hour", "hours", n) }}\n', "utf-8"
    )
    (tmp_path / "toolkit.toml").write_text('locales = ["da"]\n', "utf-8")
    config = load_config(tmp_path)
    po = config.po_path("da")
    po.parent.mkdir(parents=True)
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "%(n)d file"\nmsgid_plural "%(n)d files"\nmsgstr[0] ""\nmsgstr[1] "%(n)d filer"\n\n'
        '#, fuzzy\n#| msgid "an hour"\nmsgid "hour"\nmsgstr "time"\n', "utf-8")  # fmt: skip
    extract_messages(config)
    [result] = update_catalogs(config)
    catalog = load(po, "da")
    lost = catalog.get("%(n)d file")
    assert 'previous plural form: "%(n)d filer"' in lost.user_comments
    assert lost.previous_id == ["%(n)d file", "%(n)d files"]
    assert catalog.get("hour").previous_id == ["an hour"]
    assert "Plural-Forms set to CLDR's" in result.plural_forms
    msgfmt_check(po)


def test_a_catalog_without_wrapping_stays_unwrapped(extracted):
    """Liberapay keeps long strings on one line ('pybabel update --no-wrap'); update rewrapped
    every one at 76 columns, 3,891 changed lines without a change of content (QA pass 30)."""
    import subprocess

    update_catalogs(extracted, ["da"])
    po = extracted.po_path("da")
    subprocess.run(["msgcat", "--no-wrap", "-o", str(po), str(po)], check=True)  # Liberapay's
    long = "Your points are waiting for you in the app, and they will not expire before next year."
    text = po.read_text("utf-8") + f'\nmsgid "{long}"\nmsgstr "{long}"\n'
    po.write_text(text, "utf-8")
    update_catalogs(extracted, ["da"])  # (the entry turns obsolete: written back one line)
    written = po.read_text("utf-8")
    assert f'#~ msgstr "{long}"' in written
    [again] = update_catalogs(extracted, ["da"])
    assert not again.written
    msgfmt_check(po)


def test_format_flags_are_the_templates_as_written(tmp_path):
    """Babel guesses python-brace-format from '{num}'; SecureDrop's POT does not flag it, and
    its Croatian catalog (a first plural form without '{num}') passed msgfmt --check until
    an update added the flag (QA pass 29). The POT's flags as written win, as msgmerge's."""
    from toolkit.config import load_config

    (tmp_path / "templates").mkdir()
    (tmp_path / "toolkit.toml").write_text('locales = ["hr"]\npot_file = "app.pot"\n', "utf-8")
    header = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
    (tmp_path / "app.pot").write_text(
        header + 'msgid "The item has been deleted."\nmsgid_plural "{num} items deleted."\n'
        'msgstr[0] ""\nmsgstr[1] ""\n\n#, c-format\nmsgid "%d left"\nmsgstr ""\n', "utf-8")
    config = load_config(tmp_path)
    update_catalogs(config)
    po = config.po_path("hr")
    text = po.read_text("utf-8")
    assert "python-brace-format" not in text and "#, c-format" in text
    text = text.replace('msgstr[0] ""\nmsgstr[1] ""\nmsgstr[2] ""', 'msgstr[0] "Stavka obrisana."'
                        '\nmsgstr[1] "{num} stavke obrisane."\nmsgstr[2] "{num} stavki obrisano."')
    po.write_text(text.replace('msgid "%d left"\nmsgstr ""', '#, python-format\nmsgid "%d left"'
                               '\nmsgstr "%d ostalo"'), "utf-8")
    msgfmt_check(po)
    update_catalogs(config)
    text = po.read_text("utf-8")
    assert "python-brace-format" not in text and "python-format" not in text
    assert "#, c-format\nmsgid \"%d left\"" in text
    msgfmt_check(po)


def test_templates_folder_at_the_project_root_still_refuses_losing_python_code_messages(
    tmp_path,
):
    """Trac keeps templates in many folders, so templates_dir = ".": the references' prefix
    was "./", no reference matched it, and update made 463 reviewed Danish translations of
    Python code obsolete instead of refusing (QA pass 31). Extract rewrote its POT too."""
    from babel.messages.pofile import read_po, write_po

    from toolkit.config import load_config

    (tmp_path / "app" / "templates").mkdir(parents=True)
    (tmp_path / "app" / "templates" / "a.html").write_text("{{ _('Hello') }}\n", "utf-8")
    (tmp_path / "toolkit.toml").write_text('templates_dir = "."\nlocales = ["da"]\n', "utf-8")
    config = load_config(tmp_path)
    assert config.templates_prefix == ""
    extract_messages(config)
    with config.pot_path.open("rb") as handle:
        template = read_po(handle)
    assert [m.locations for m in template if m.id] == [[("app/templates/a.html", 1)]]
    template.add("Unknown command", locations=[("app/web.py", 12)])
    full = tmp_path / "all.pot"
    with full.open("wb") as handle:
        write_po(handle, template)
    update_catalogs(config, pot=full)
    translate(config.po_path("da"), "da", {"Unknown command": "Ukendt kommando"})
    before = config.po_path("da").read_bytes()
    with pytest.raises(InputError, match="would make 1 translated entries obsolete"):
        update_catalogs(config)
    assert config.po_path("da").read_bytes() == before


_TRANSIFEX_HEADER = (
    'msgid ""\nmsgstr ""\n'
    '"Project-Id-Version: Sphinx\\n"\n'
    '"Language-Team: Lithuanian (http://app.transifex.com/sphinx-doc/sphinx-1/language/lt/)\\n"\n'
    '"Content-Type: text/plain; charset=UTF-8\\n"\n'
    '"Language: lt\\n"\n'
    '"Plural-Forms: nplurals=4; plural=(n % 10 == 1 && (n % 100 > 19 || n % 100 < 11) ? 0 : '
    '(n % 10 >= 2 && n % 10 <=9) && (n % 100 > 19 || n % 100 < 11) ? 1 : n % 1 != 0 ? 2: 3);\\n"\n'
)
_LONG_ENTRY = (
    "#: sphinx/builders/html/__init__.py:1012\n#, python-format\n"
    'msgid ""\n"Failed to read build info file %r. The output folder is probably from an "\n'
    '"older Sphinx version."\n'
    'msgstr "Nepavyko perskaityti kūrimo informacijos failo %r. Išvesties aplankas tikriausiai '
    'sukurtas senesne Sphinx versija."\n'
)


def _sphinx_project(tmp_path, catalog: str):
    """A project of Sphinx's layout (domain sphinx, sphinx.pot) whose lt catalog is
    ``catalog``: (config, the catalog's path, the POT's text)."""
    from toolkit.config import load_config

    (tmp_path / "templates").mkdir()
    (tmp_path / "toolkit.toml").write_text(
        'locales = ["lt"]\npot_file = "sphinx.pot"\ndomain = "sphinx"\n', "utf-8")  # fmt: skip
    pot = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n' + (
        _LONG_ENTRY.split("msgstr")[0] + 'msgstr ""\n'
    )
    (tmp_path / "sphinx.pot").write_text(pot, "utf-8")
    config = load_config(tmp_path)
    po = config.po_path("lt")
    po.parent.mkdir(parents=True)
    po.write_text(catalog, "utf-8")
    return config, po, pot


def test_a_layout_other_than_babels_is_no_change(tmp_path):
    """Sphinx's Transifex catalogs wrap msgids but keep msgstrs and header fields on one line;
    'update --check' called them out of date against their own POT right after upstream's
    update, and update rewrote ~270 lines of each without a change of content (QA pass 60)."""
    config, po, pot = _sphinx_project(tmp_path, _TRANSIFEX_HEADER + "\n" + _LONG_ENTRY)
    before = po.read_bytes()
    [result] = update_catalogs(config, dry_run=True)
    assert not result.written  # what 'update --check' asks
    [result] = update_catalogs(config)
    assert not result.written and po.read_bytes() == before
    # A change of content is still written, every translation kept.
    (tmp_path / "sphinx.pot").write_text(pot + '\nmsgid "Index"\nmsgstr ""\n', "utf-8")
    [result] = update_catalogs(config)
    assert result.written and result.new == 1
    assert load(po, "lt").get(
        "Failed to read build info file %r. The output folder is probably from an older "
        "Sphinx version."
    ).string.startswith("Nepavyko perskaityti")
    msgfmt_check(po)


def test_weblate_79_column_lines_do_not_make_a_catalog_unwrapped():
    """SearXNG's Weblate header has 77-column lines; an xliff import took the file for one
    that keeps strings on one line and wrote its changed entries unwrapped (QA pass 60)."""
    from toolkit.catalogs.splice import _unwrapped

    weblate = '"Language-Team: Lithuanian <https://translate.codeberg.org/projects/searxng/"\n'
    assert len(weblate.strip()) == 77 and not _unwrapped([weblate])
    msgmerge = '"' + "w" * 73 + ' end"\n'  # 79 columns, GNU gettext's widest
    assert len(msgmerge.strip()) == 79 and not _unwrapped([msgmerge])
    one_line = '"' + "word " * 17 + '"\n'  # 87 columns: no wrapping tool writes it
    assert _unwrapped([one_line])


def test_a_format_flag_the_file_lacks_is_a_change(tmp_path):
    """Babel guesses python-format from the msgid, so the content comparison saw the flag in
    a file that had lost it: 'update --check' passed while msgfmt skipped the entry's format
    check (QA pass 60). The flags as written count."""
    lost = _LONG_ENTRY.replace("#, python-format\n", "")
    config, po, _ = _sphinx_project(tmp_path, _TRANSIFEX_HEADER + "\n" + lost)
    [result] = update_catalogs(config, dry_run=True)
    assert result.written  # 'update --check' exits 1
    update_catalogs(config)
    assert "#, python-format" in po.read_text("utf-8")
    [again] = update_catalogs(config, dry_run=True)
    assert not again.written


def test_translations_made_for_other_whitespace_settings_are_noted(tmp_path):
    """Zulip's {% trans %} blocks are looked up untrimmed; extracted trimmed (the default),
    19 of fr's translated msgids came back new or fuzzy with no word of why (QA pass 64)."""
    from typer.testing import CliRunner

    from toolkit.cli import app
    _, config = one_template_project(
        tmp_path, "{% trans %}Hello\n    there{% endtrans %}\n{{ _('Bye') }}\n",
        'locales = ["fr"]\njinja_trimmed = false\n')  # fmt: skip
    translate(config.po_path("fr"), "fr", {"Hello\n    there": "Bonjour\n    à vous",
                                           "Bye": "Au revoir"})  # fmt: skip
    (tmp_path / "toolkit.toml").write_text('locales = ["fr"]\n', "utf-8")  # trimmed now
    assert CliRunner().invoke(app, ["--project", str(tmp_path), "extract"]).exit_code == 0
    result = CliRunner().invoke(app, ["--project", str(tmp_path), "update"])
    assert result.exit_code == 0, result.stderr
    assert ("note: new strings that the catalogs had translated but for white space (fr: 1): "
            "the templates are extracted with other whitespace settings") in (
        " ".join(result.stderr.split()))  # fmt: skip
    assert "jinja_trimmed = false" in result.stderr
    again = CliRunner().invoke(app, ["--project", str(tmp_path), "update"])
    assert "white space" not in again.stderr  # said once, when it happened


def test_re_spaced_text_with_settings_that_keep_it_as_written_is_not_blamed_on_them(tmp_path):
    """MediaGoblin's settings already keep {% trans %} text as written, and 3 strings came
    back new because a template was re-indented: the note told the user to set the very
    settings the project had (QA pass 67)."""
    from typer.testing import CliRunner

    from toolkit.cli import app
    settings = ('locales = ["fr"]\njinja_trimmed = false\njinja_trim_blocks = false\n'
                "jinja_lstrip_blocks = false\n")  # fmt: skip
    template, config = one_template_project(
        tmp_path, "{% trans %}Hello\n    there{% endtrans %}\n", settings)
    translate(config.po_path("fr"), "fr", {"Hello\n    there": "Bonjour\n    à vous"})
    template.write_text("{% trans %}Hello\n  there{% endtrans %}\n", "utf-8")  # re-indented
    assert CliRunner().invoke(app, ["--project", str(tmp_path), "extract"]).exit_code == 0
    result = CliRunner().invoke(app, ["--project", str(tmp_path), "update"])
    assert result.exit_code == 0, result.stderr
    said = " ".join(result.stderr.split())
    assert ("note: new strings that the catalogs had translated but for white space (fr: 1): "
            "their text was re-spaced since it was translated") in said
    assert "set jinja_trimmed" not in said
    # jinja_trimmed = false alone: the block settings are what is left to compare (QA 69).
    (tmp_path / "toolkit.toml").write_text('locales = ["fr"]\njinja_trimmed = false\n', "utf-8")
    template.write_text("{% trans %}Hello\n there{% endtrans %}\n", "utf-8")
    assert CliRunner().invoke(app, ["--project", str(tmp_path), "extract"]).exit_code == 0
    said = " ".join(CliRunner().invoke(app, ["--project", str(tmp_path), "update"]).stderr.split())
    assert "set jinja_trimmed" not in said
    assert "set jinja_trim_blocks = false and jinja_lstrip_blocks = false" in said


def test_an_empty_msgctxt_is_a_context_of_its_own(extracted, tmp_path):
    """msgctxt "" was written as no msgctxt at all: beside the same msgid without one, the
    catalog held two alike entries, which msgfmt refuses, and every later command refused
    it (QA pass 71). msgcat and msgmerge keep msgctxt "" as written."""
    pot = tmp_path / "both.pot"
    pot.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        '#: c.py:1\nmsgctxt ""\nmsgid "Log in"\nmsgstr ""\n\n'
        '#: d.py:1\nmsgid "Log in"\nmsgstr ""\n', "utf-8")
    assert subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(pot)]).returncode == 0
    update_catalogs(extracted, ["da"], pot=pot)
    po = extracted.po_path("da")
    msgfmt_check(po)
    assert po.read_text("utf-8").count('msgctxt ""\nmsgid "Log in"') == 1
    [again] = update_catalogs(extracted, ["da"], pot=pot, dry_run=True)
    assert not again.written


def test_templates_merged_as_one_refuse_what_msgcat_refuses(extracted, tmp_path):
    """Merging several POTs (QA pass 71): one without messages made its catalogs' entries
    obsolete; a msgid singular in one POT and plural in another became a plural silently
    (gettext() then found nothing); a later 'no-python-format' beat the first's flag."""
    header = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
    first = tmp_path / "app.pot"
    first.write_text(header + '#: a.py:1\n#, python-format\nmsgid "Hi %(name)s"\nmsgstr ""\n\n'
                     '#: a.py:2\nmsgid "Log in"\nmsgstr ""\n', "utf-8")  # fmt: skip
    own = extracted.pot_path
    update_catalogs(extracted, ["da"], pot=[first, own])
    before = extracted.po_path("da").read_bytes()
    empty = tmp_path / "empty.pot"
    empty.write_text(header, "utf-8")
    with pytest.raises(InputError, match="empty.pot has no messages"):
        update_catalogs(extracted, ["da"], pot=[first, empty, own])
    plural = tmp_path / "plural.pot"
    plural.write_text(header + '#: b.py:1\nmsgid "Log in"\nmsgid_plural "Log ins"\n'
                      'msgstr[0] ""\nmsgstr[1] ""\n', "utf-8")  # fmt: skip
    with pytest.raises(InputError) as info:
        update_catalogs(extracted, ["da"], pot=[first, plural, own])
    assert str(info.value).startswith(
        f"'Log in' is a message without plural in {first} and one with a plural in {plural}")
    assert extracted.po_path("da").read_bytes() == before
    assert "extract both templates again" in info.value.hint
    # An app POT that already holds every template message (Indico's messages-all.pot, 'Week'
    # with its React plural): the advice is to update from it alone (QA pass 77)
    whole = tmp_path / "all.pot"
    whole.write_text(plural.read_text("utf-8") + '\n#: a.py:1\nmsgid "Hi %(name)s"\nmsgstr ""\n'
                     '\n#: r.js:1\nmsgid "Week"\nmsgstr ""\n', "utf-8")  # fmt: skip
    with pytest.raises(InputError) as info:
        update_catalogs(extracted, ["da"], pot=[first, whole])
    assert info.value.hint == (f"{whole} already holds every message of the other templates: "
                               f"update from it alone (--pot {whole}).")  # fmt: skip
    flags = tmp_path / "flags.pot"
    flags.write_text(header + '#: c.py:1\n#, no-python-format\nmsgid "Hi %(name)s"\n'
                     'msgstr ""\n', "utf-8")  # fmt: skip
    update_catalogs(extracted, ["da"], pot=[first, flags, own])
    entry = read_catalog_entry(extracted.po_path("da"), "Hi %(name)s")
    assert "python-format" in entry.flags and "no-python-format" not in entry.flags
    assert {name for name, _ in entry.locations} == {"a.py", "c.py"}


def read_catalog_entry(path: Path, msgid: str):
    from toolkit.catalogs import read_catalog

    return read_catalog(path).get(msgid)


@pytest.mark.parametrize(
    ("locale", "header", "forms", "expected", "fuzzy"),
    [
        # CLDR's Portuguese "one" is 0 and 1: its text is n=1's singular, not the plural
        # n != 1 gave 0 (the singular went into a comment; QA pass 72). A guess: fuzzy.
        ("pt", "nplurals=2; plural=(n != 1);", ("Falta %(num)d dia", "Faltam %(num)d dias"),
         ("Falta %(num)d dia", "Faltam %(num)d dias", "Faltam %(num)d dias"), True),
        # Two forms of one text merged into one: nothing to choose, not fuzzy.
        ("zh", "nplurals=2; plural=(n != 1);", ("还剩 %(num)d 天", "还剩 %(num)d 天"),
         ("还剩 %(num)d 天",), False),
    ],
)  # fmt: skip
def test_converted_plural_forms_take_the_text_of_each_category(extracted, locale, header,
                                                               forms, expected, fuzzy):  # fmt: skip
    update_catalogs(extracted, [locale])
    po = extracted.po_path(locale)
    text = po.read_text("utf-8")
    start, end = text.index('"Plural-Forms:'), text.index('"MIME-Version')
    po.write_text(text[:start] + f'"Plural-Forms: {header}\\n"\n' + text[end:], "utf-8")
    translate(po, locale, {"%(num)d day left": forms})
    (result,) = update_catalogs(extracted, [locale], plural_forms="cldr")
    assert "converted nplurals=2" in result.plural_forms
    days = load(po, locale).get("%(num)d day left")
    assert tuple(days.string) == expected
    assert days.fuzzy == fuzzy
    assert not [c for c in days.user_comments if "not mapped" in c]
    msgfmt_check(po)


def test_a_wrapped_catalog_with_a_long_msgid_stays_wrapped(tmp_path):
    """Transifex wraps translations but keeps msgids as the project's POT has them (Indico's
    POT: 120 columns): one 80-column msgid made update write all 6,374 entries of each of
    Indico's catalogs on one line, 11,341 changed lines where pybabel changes 5,216 (QA 77).
    A string broken where it has no newline is a wrapping tool's: the file is wrapped."""
    from toolkit.catalogs.splice import _unwrapped
    from toolkit.config import load_config

    long_id = r'You can only <a class=\"js-action\" data-category-id=\"{0}\">{1}</a> this one.'
    wrapped = ('msgid ""\n"There is already some information in Indico that concerns you. We are '
               'going "\n"to link it automatically."\nmsgstr ""\n"Il existe déjà des informations '
               'dans Indico qui vous concernent. Nous allons"\n" les relier à vous '
               'automatiquement."\n')  # fmt: skip
    header = ('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
              '"Plural-Forms: nplurals=3; plural=(n == 0 || n == 1) ? 0 : n != 0 && n % 1000000 '
              '== 0 ? 1 : 2;\\n"\n\n')  # fmt: skip
    body = f'msgid "{long_id}"\nmsgstr "Vous pouvez uniquement {{1}} celle-ci."\n\n{wrapped}'
    assert not _unwrapped((header + body).split("\n"))
    # msgcat --no-wrap breaks strings after their newlines only: still one line a string
    no_wrap = f'msgid "{long_id}"\nmsgstr ""\n"Ligne un\\n"\n"ligne deux, bien plus longue que ' \
        'soixante-dix-neuf colonnes, sans retour à la ligne."\n'
    assert _unwrapped((header + no_wrap).split("\n"))
    # ... and one hand-split string in a one-line catalog leaves it one-line (Liberapay's de
    # with one: update rewrapped the whole file, +4,948 lines; QA pass 79)
    one_line = "".join(f'msgid "{long_id} {n}"\nmsgstr "{long_id} {n}"\n\n' for n in range(5))
    split = 'msgid "Short"\nmsgstr ""\n"Kort "\n"tekst"\n'
    assert _unwrapped((header + one_line + split).split("\n"))
    (tmp_path / "templates").mkdir()
    (tmp_path / "toolkit.toml").write_text('locales = ["fr"]\npot_file = "app.pot"\n', "utf-8")
    pot = header.replace('"Plural-Forms', '"X-Nothing').split('"X-Nothing')[0] + "\n"
    pot += f'msgid "{long_id}"\nmsgstr ""\n\n' + wrapped.split("msgstr")[0] + 'msgstr ""\n'
    (tmp_path / "app.pot").write_text(pot, "utf-8")
    po = tmp_path / "locales" / "fr" / "LC_MESSAGES" / "messages.po"
    po.parent.mkdir(parents=True)
    po.write_text(header + body, "utf-8")
    [result] = update_catalogs(load_config(tmp_path))
    written = po.read_text("utf-8")
    assert '"Il existe déjà des informations dans Indico qui vous concernent. Nous "\n' in written
    assert "Nous allons les relier" not in written  # (one line: unwrapped)
    msgfmt_check(po)


def test_an_untranslated_entry_that_gains_a_plural_is_not_fuzzy(tmp_path):
    """Babel marks an entry whose msgid gained a plural fuzzy even with nothing translated:
    check then asked to review the translation of an empty entry (CKAN's Polish; QA pass
    76). msgmerge leaves it unflagged; a translated one is still fuzzy for review."""
    from toolkit.config import load_config

    (tmp_path / "templates").mkdir()
    (tmp_path / "toolkit.toml").write_text('locales = ["pl"]\npot_file = "app.pot"\n', "utf-8")
    header = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
    (tmp_path / "app.pot").write_text(
        header + '\nmsgid "{bytes} byte"\nmsgid_plural "{bytes} bytes"\nmsgstr[0] ""\n'
        'msgstr[1] ""\n\nmsgid "{n} file"\nmsgid_plural "{n} files"\nmsgstr[0] ""\n'
        'msgstr[1] ""\n', "utf-8")  # fmt: skip
    po = tmp_path / "locales" / "pl" / "LC_MESSAGES" / "messages.po"
    po.parent.mkdir(parents=True)
    po.write_text(header + '"Plural-Forms: nplurals=3; plural=(n==1 ? 0 : n%10>=2 && '
                  'n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);\\n"\n\nmsgid "{bytes} byte"\n'
                  'msgstr ""\n\nmsgid "{n} file"\nmsgstr "{n} plik"\n', "utf-8")  # fmt: skip
    update_catalogs(load_config(tmp_path))
    catalog = read_catalog_entry(po, "{bytes} byte"), read_catalog_entry(po, "{n} file")
    assert not catalog[0].fuzzy and catalog[1].fuzzy
    msgfmt_check(po)


def test_a_no_wrap_catalog_keeps_its_references_and_header_as_pybabel_writes_them(tmp_path):
    """calibre-web's catalogs are 'pybabel update --no-wrap': strings on one line, '#:'
    references wrapped at 76 columns. Update put every reference block on one line and wrapped
    the header's Plural-Forms at 76 (1,150 changed lines a catalog, which the maintainers'
    next pybabel run changed back), and 'Project-Id-Version:  Calibre-Web' lost a space
    (QA pass 80)."""
    from toolkit.config import load_config

    (tmp_path / "templates").mkdir()
    (tmp_path / "toolkit.toml").write_text('locales = ["pl"]\npot_file = "app.pot"\n', "utf-8")
    refs = " ".join(f"cps/themes/standard/templates/page{n}.html:{n}" for n in range(1, 7))
    long = "Ta książka nie została jeszcze przeczytana przez nikogo z użytkowników tej biblioteki"
    pot_entries = f'#: {refs}\nmsgid "This book has not been read by any user of this library"\n'
    pot_entries += 'msgstr ""\n'
    (tmp_path / "app.pot").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n' + pot_entries
        + '\n#: cps/web.py:1\nmsgid "New"\nmsgstr ""\n', "utf-8")
    rule = "(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2)"
    po = tmp_path / "locales" / "pl" / "LC_MESSAGES" / "messages.po"
    po.parent.mkdir(parents=True)
    from textwrap import TextWrapper

    wrapper = TextWrapper(width=76, break_long_words=False)  # as pybabel --no-wrap writes them
    wrapped_refs = "\n".join(f"#: {line}" for line in wrapper.wrap(refs))
    po.write_text(
        'msgid ""\nmsgstr ""\n"Project-Id-Version:  Calibre-Web\\n"\n'
        '"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: pl\\n"\n'
        f'"Plural-Forms: nplurals=3; plural={rule};\\n"\n\n'
        f'{wrapped_refs}\nmsgid "This book has not been read by any user of this library"\n'
        f'msgstr "{long}"\n', "utf-8")
    update_catalogs(load_config(tmp_path))
    text = po.read_text("utf-8")
    assert wrapped_refs in text  # the references as they were
    assert f'"Plural-Forms: nplurals=3; plural={rule};\\n"' in text  # one line
    assert '"Project-Id-Version:  Calibre-Web\\n"' in text
    assert f'msgstr "{long}"' in text  # strings stay unwrapped
    assert 'msgid "New"' in text
    msgfmt_check(po)


def test_a_catalog_without_plural_forms_gets_the_header_written(extracted):
    """Flask-Admin's Norwegian catalog has no Plural-Forms (msgfmt refuses it): update said
    "Plural-Forms set to CLDR's nplurals=2" but left the file as it was, because Babel's
    header model fills in the locale's Plural-Forms and the content compared equal; check's
    advice to run update went round in a loop, and 'update --check' passed (QA pass 81)."""
    update_catalogs(extracted, ["da"])
    po = extracted.po_path("da")
    text = po.read_text("utf-8")
    header = next(line for line in text.splitlines() if line.startswith('"Plural-Forms:'))
    po.write_text(text.replace(header + "\n", ""), "utf-8")
    [result] = update_catalogs(extracted, ["da"])
    assert result.written and "Plural-Forms set to CLDR's nplurals=2" in result.plural_forms
    assert header in po.read_text("utf-8")
    msgfmt_check(po)
    [again] = update_catalogs(extracted, ["da"])
    assert not again.written and not again.plural_forms


def test_a_reference_two_templates_spell_differently_is_written_once(extracted):
    """Flask-Admin's babel/admin.pot, extracted from babel/, holds the templates' messages as
    '../flask_admin/templates/lib.html:216'; the toolkit's POT has the same line as
    'flask_admin/templates/lib.html:216'. An update from both wrote both (62 lines more per
    catalog), and pybabel's next update from the app POT took them out again (QA pass 81)."""
    from toolkit.catalogs import read_catalog

    own = extracted.pot_path
    message = next(m for m in read_catalog(own) if m.id and m.locations)
    file, line = message.locations[0]
    assert (extracted.root / file).is_file()
    app = extracted.root / "babel" / "app.pot"
    app.parent.mkdir()
    app.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        f'#: ../{file}:{line}\n#: ../app/views.py:7\nmsgid "{message.id}"\nmsgstr ""\n',
        "utf-8")  # fmt: skip
    (extracted.root / "app").mkdir()
    (extracted.root / "app" / "views.py").write_text("_('x')\n", "utf-8")
    update_catalogs(extracted, ["da"], pot=[app, own])
    entry = read_catalog_entry(extracted.po_path("da"), message.id)
    assert (f"../{file}", line) in entry.locations and (file, line) not in entry.locations
    assert ("../app/views.py", 7) in entry.locations
    msgfmt_check(extracted.po_path("da"))
    # the other way round, the toolkit's POT first: its spelling is kept, once
    update_catalogs(extracted, ["da"], pot=[own, app])
    entry = read_catalog_entry(extracted.po_path("da"), message.id)
    assert (file, line) in entry.locations and (f"../{file}", line) not in entry.locations


def test_a_catalog_saved_while_update_runs_is_not_written_over(extracted, monkeypatch):
    """An editor's save during a long update was replaced by the merge of the file as it was
    read, without a word (QA pass 81): nothing is written and the rerun merges the save."""
    import toolkit.catalogs.merge as merge

    update_catalogs(extracted, ["da", "nb"])
    po = extracted.po_path("nb")
    text = po.read_text("utf-8")
    real = merge._merge_catalog

    def merged_then_saved(locale, path, *args, **kwargs):
        done = real(locale, path, *args, **kwargs)
        if locale == "nb":  # the editor saves while update is still at work
            po.write_text("# EDITOR FIX\n" + text, "utf-8")
        return done

    extracted.pot_path.write_text(extracted.pot_path.read_text("utf-8") + (
        '\nmsgid "A new string"\nmsgstr ""\n'), "utf-8")  # fmt: skip
    before_da = extracted.po_path("da").read_bytes()
    monkeypatch.setattr(merge, "_merge_catalog", merged_then_saved)
    with pytest.raises(CatalogError, match="changed on disk while update ran") as info:
        update_catalogs(extracted, ["da", "nb"])
    assert info.value.path == po and "EDITOR FIX" in po.read_text("utf-8")
    assert extracted.po_path("da").read_bytes() == before_da  # all or none
    monkeypatch.setattr(merge, "_merge_catalog", real)
    update_catalogs(extracted, ["da", "nb"])
    saved = po.read_text("utf-8")
    assert "EDITOR FIX" in saved and 'msgid "A new string"' in saved


def test_a_blank_line_inside_the_header_keeps_the_fields_after_it(extracted):
    """FlaskBB's Weblate French header has a blank line between two lines of one field's
    string; msgfmt and pybabel read on. The toolkit ended the header there: check said "no
    Plural-Forms header", and update replaced nplurals=2 by CLDR's 3 forms, turning every
    plural entry fuzzy (QA pass 81)."""
    from toolkit.catalogs import read_po_entries
    from toolkit.checks import check_files

    update_catalogs(extracted, ["da"])
    po = extracted.po_path("da")
    text = po.read_text("utf-8")
    team = next(line for line in text.splitlines() if line.startswith('"Language-Team:'))
    po.write_text(text.replace(team + "\n", '"Language-Team: Danish <https://hosted.weblate.'
                                            'org/projects/x/"\n\n"da/>\\n"\n'), "utf-8")
    msgfmt_check(po)
    header = read_po_entries(po, locale="da").layout.header
    assert header["language-team"].endswith("x/da/>") and "plural-forms" in header
    report = check_files([("da", po)])
    assert not [f for f in report.findings if f.check in ("plural-header", "plural-forms")]
    before = po.read_text("utf-8")
    update_catalogs(extracted, ["da"])
    after = po.read_text("utf-8")
    rule = next(line for line in before.splitlines() if line.startswith('"Plural-Forms:'))
    assert rule in after and after.count("#, fuzzy") == before.count("#, fuzzy")


def test_a_catalog_without_a_header_comment_gets_no_blank_first_line(extracted):
    """FlaskBB's Weblate catalogs start with 'msgid ""'; update wrote a blank line above it
    (Babel's writer ends an empty header comment so), msgmerge keeps none (QA pass 81)."""
    update_catalogs(extracted, ["da"])
    po = extracted.po_path("da")
    text = po.read_text("utf-8")
    po.write_text(text[text.index('msgid ""'):], "utf-8")
    extracted.pot_path.write_text(extracted.pot_path.read_text("utf-8") + (
        '\nmsgid "A new string"\nmsgstr ""\n'), "utf-8")  # fmt: skip
    [result] = update_catalogs(extracted, ["da"])
    assert result.written and po.read_text("utf-8").startswith('msgid ""\n')


def test_a_catalog_linked_to_another_of_the_project_is_written_through(project):
    """A project that keeps one Norwegian catalog for two folders (``nb_NO/`` a link to
    ``nb/``'s) lost the link on the first update: the rename replaced it with a file of its
    own, and the two catalogs drifted apart from then on. The write now goes to the file the
    link points to, which the configuration has checked lies inside the project."""
    catalogs_behind_a_new_string(project)
    linked = project.locales_path / "nb_NO" / "LC_MESSAGES" / "messages.po"
    linked.parent.mkdir(parents=True)
    linked.symlink_to(Path("..", "..", "nb", "LC_MESSAGES", "messages.po"))
    [result] = update_catalogs(project, ["nb_NO"])
    assert result.written
    assert linked.is_symlink()
    assert 'msgid "A new subject"' in project.po_path("nb").read_text("utf-8")
    msgfmt_check(project.po_path("nb"))


@pytest.mark.parametrize("link", ["file", "folder"])
def test_one_update_of_both_spellings_of_a_linked_catalog(project, link):
    """'toolkit update' with nb and nb_NO sharing one catalog waited 60 s for its own lock
    and failed: it locked the one folder twice (QA pass 83). Each folder is locked once."""
    catalogs_behind_a_new_string(project)
    if link == "file":
        linked = project.locales_path / "nb_NO" / "LC_MESSAGES" / "messages.po"
        linked.parent.mkdir(parents=True)
        linked.symlink_to(Path("..", "..", "nb", "LC_MESSAGES", "messages.po"))
    else:
        (project.locales_path / "nb_NO").symlink_to("nb")
    results = update_catalogs(replace(project, locales=(*project.locales, "nb_NO")))
    assert {r.locale for r in results} >= {"nb", "nb_NO"}
    assert 'msgid "A new subject"' in project.po_path("nb").read_text("utf-8")
    msgfmt_check(project.po_path("nb"))


def test_a_catalog_linked_to_another_languages_is_refused(project):
    """Lithuanian linked to the Danish catalog was rewritten with Danish's plural rule and
    would be machine-translated into Lithuanian in Danish's file (QA pass 83): one clear
    error, nothing written."""
    catalogs_behind_a_new_string(project)
    if "lt" not in project.locales:
        project = replace(project, locales=(*project.locales, "lt"))
    linked = project.locales_path / "lt" / "LC_MESSAGES" / "messages.po"
    linked.parent.mkdir(parents=True, exist_ok=True)
    linked.unlink(missing_ok=True)
    linked.symlink_to(Path("..", "..", "da", "LC_MESSAGES", "messages.po"))
    before = project.po_path("da").read_bytes()
    with pytest.raises(CatalogError, match="link to the da catalog"):
        update_catalogs(project, ["lt"])
    assert project.po_path("da").read_bytes() == before


def test_a_catalog_kept_without_locations_stays_so(project):
    """ihatemoney makes its POT with 'pybabel extract --no-location' and Weblate writes
    catalogs without '#:' lines: update gave every template entry its references (8,938 added
    lines in 41 catalogs), which the app's next 'pybabel update' took out again (QA pass 82).
    A catalog with references keeps getting them; a new catalog gets them."""
    catalogs_behind_a_new_string(project)
    da = project.po_path("da")
    da.write_text("".join(line for line in da.read_text("utf-8").splitlines(keepends=True)
                          if not line.startswith("#:")), "utf-8")  # fmt: skip
    results = {r.locale: r for r in update_catalogs(project)}
    assert results["da"].written and results["nb"].written
    text = da.read_text("utf-8")
    assert 'msgid "A new subject"' in text and "\n#:" not in text
    assert "email/new.j2:1" in project.po_path("nb").read_text("utf-8")
    msgfmt_check(da)


def test_a_catalog_linked_to_a_file_of_another_kind_is_not_written_through(project):
    """A catalog linked to the project's configuration (or any file that is no catalog) is
    replaced by the catalog it should be, never written into."""
    catalogs_behind_a_new_string(project)
    po = project.po_path("da")
    target = project.root / "notes.txt"
    target.write_bytes(po.read_bytes())  # a PO's text, so it reads as one
    po.unlink()
    po.symlink_to(target)
    update_catalogs(project, ["da"])
    assert not po.is_symlink() and 'msgid "A new subject"' in po.read_text("utf-8")
    assert 'msgid "A new subject"' not in target.read_text("utf-8")
