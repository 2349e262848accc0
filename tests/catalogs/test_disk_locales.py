"""status/check/compile/showcase cover every catalog on disk and show configured locales
without a catalog as 0 % with the command that creates them."""

from __future__ import annotations

import json

import polib
import pytest
from typer.testing import CliRunner

from toolkit.cli import app
from toolkit.config import load_config
from toolkit.errors import InputError, LocaleError
from toolkit.locales import locale_id
from toolkit.project_locales import catalog_locales


@pytest.fixture
def shop(tmp_path):
    root = tmp_path / "shop"
    runner = CliRunner()
    created = runner.invoke(app, ["init", str(root), "--locale", "da", "--locale", "lt"])
    assert created.exit_code == 0
    for args in (["extract"], ["update", "--locale", "da"], ["update", "--locale", "de"]):
        result = runner.invoke(app, ["--project", str(root), *args])
        assert result.exit_code == 0, result.stderr
    return root


def run(root, *args):
    return CliRunner().invoke(app, ["--project", str(root), *args])


def test_locales_are_split_by_config_and_disk(shop):
    found = catalog_locales(load_config(shop))
    assert (found.present, found.missing, found.extra) == (("da",), ("lt",), ("de",))


def test_status_shows_unconfigured_catalogs_and_missing_ones_at_zero(shop):
    result = run(shop, "status", "--format", "json")
    assert result.exit_code == 0, result.stderr
    rows = {row["locale"]: row for row in json.loads(result.stdout)["locales"]}
    assert set(rows) == {"da", "de", "lt"}
    assert rows["lt"]["percent"] == 0.0 and rows["lt"]["missing"] is True
    assert rows["lt"]["create"] == "toolkit update --locale lt"
    assert rows["lt"]["total"] == rows["da"]["total"] == 4
    assert "lt: configured but has no catalog yet (0 %); create it with 'toolkit update " \
        "--locale lt'" in result.stderr
    assert "de: locales/de/LC_MESSAGES/messages.po is not in the configured locales" in (
        result.stderr
    )


def test_check_and_compile_cover_the_unconfigured_catalog(shop):
    checked = run(shop, "check", "--format", "json")
    assert checked.exit_code == 0, checked.stderr
    paths = [c["path"] for c in json.loads(checked.stdout)["catalogs"]]
    assert any("/de/" in p for p in paths) and any("/da/" in p for p in paths)
    compiled = run(shop, "compile")
    assert compiled.exit_code == 0, compiled.stderr
    assert (shop / "locales/de/LC_MESSAGES/messages.mo").is_file()
    assert "note: lt: configured but has no catalog yet" in compiled.stderr


def test_showcase_includes_every_locale(shop, tmp_path):
    out = tmp_path / "out"
    result = run(shop, "showcase", "--from-po", "--out", str(out))
    assert result.exit_code == 0, result.stderr
    for locale in ("da", "lt", "de"):
        assert (out / locale / "email/welcome.j2.html").is_file()
    index = (out / "index.html").read_text("utf-8")
    assert "no catalog: run &#x27;toolkit update --locale lt&#x27;" in index


def test_explicit_locale_still_means_only_that_one(shop):
    result = run(shop, "status", "--locale", "da", "--format", "json")
    assert [row["locale"] for row in json.loads(result.stdout)["locales"]] == ["da"]


def test_a_catalog_folder_named_by_another_spelling_of_the_locale_is_used(tmp_path):
    """CKAN keeps Norwegian Bokmål in ``no/`` and Weblate projects may write ``pt-BR/``: a
    locale configured under the folder's spelling reads and writes that folder, whatever
    spelling --locale uses; a new catalog gets the identifier's folder."""
    root = tmp_path / "shop"
    runner = CliRunner()
    assert runner.invoke(app, ["init", str(root), "--locale", "da"]).exit_code == 0
    assert run(root, "extract").exit_code == 0
    for folder in ("no", "pt-BR"):
        assert run(root, "update", "--locale", "da").exit_code == 0
        target = root / "locales" / folder / "LC_MESSAGES"
        target.mkdir(parents=True)
        text = (root / "locales" / "da" / "LC_MESSAGES" / "messages.po").read_text("utf-8")
        (target / "messages.po").write_text(text.replace("Language: da", f"Language: {folder}"))
    config = root / "toolkit.toml"
    configured = 'locales = ["da", "no", "pt-BR", "lt"]'
    config.write_text(config.read_text("utf-8").replace('locales = ["da"]', configured))
    project = load_config(root)
    assert project.locales == ("da", "nb", "pt_BR", "lt")
    assert project.po_path("nb") == root / "locales" / "no" / "LC_MESSAGES" / "messages.po"
    assert project.po_path("pt_BR").parent.parent.name == "pt-BR"
    assert project.po_path("lt").parent.parent.name == "lt"  # no folder yet: the identifier's
    found = catalog_locales(project)
    assert (found.present, found.missing, found.extra) == (("da", "nb", "pt_BR"), ("lt",), ())
    for spelling in ("no", "nb"):
        result = run(root, "update", "--locale", spelling)
        assert result.exit_code == 0, result.stderr
        assert "locales/no/LC_MESSAGES/messages.po" in result.stdout
    assert not (root / "locales" / "nb").exists()
    assert run(root, "compile", "--force").exit_code == 0
    assert (root / "locales" / "no" / "LC_MESSAGES" / "messages.mo").is_file()
    assert (root / "locales" / "pt-BR" / "LC_MESSAGES" / "messages.mo").is_file()
    status = json.loads(run(root, "status", "--format", "json").stdout)
    missing = {row["locale"]: row.get("missing", False) for row in status["locales"]}
    assert missing == {"da": False, "nb": False, "pt_BR": False, "lt": True}


def test_an_existing_folder_of_another_spelling_is_found_whatever_the_config_says(tmp_path):
    """``locales = ["nb"]`` and an existing ``no/`` catalog (685 translations in CKAN's):
    commands use ``no/`` and never start an empty ``nb/``; unconfigured, it is listed with a
    note like any other catalog on disk."""
    root = tmp_path / "shop"
    assert CliRunner().invoke(app, ["init", str(root), "--locale", "nb"]).exit_code == 0
    assert run(root, "extract").exit_code == 0
    assert run(root, "update", "--locale", "nb").exit_code == 0
    (root / "locales" / "nb").rename(root / "locales" / "no")
    project = load_config(root)
    assert project.po_path("nb").parent.parent.name == "no"
    found = catalog_locales(project)
    assert (found.present, found.missing, found.extra) == (("nb",), (), ())
    result = run(root, "update")
    assert result.exit_code == 0 and "locales/no/LC_MESSAGES" in result.stdout
    assert run(root, "compile", "--force").exit_code == 0
    assert (root / "locales" / "no" / "LC_MESSAGES" / "messages.mo").is_file()
    assert not (root / "locales" / "nb").exists()
    config = root / "toolkit.toml"
    config.write_text(config.read_text("utf-8").replace('locales = ["nb"]', 'locales = ["da"]'))
    found = catalog_locales(load_config(root))
    assert (found.present, found.missing, found.extra) == ((), ("da",), ("nb",))
    status = run(root, "status")
    assert "locales/no/LC_MESSAGES/messages.po is not in the configured locales" in status.stderr


def test_a_folder_where_a_catalog_belongs_is_an_error_everywhere(shop):
    """Not "no catalog yet; create it with update" (which then fails): every command names
    the path and says why, exit 2."""
    catalog = shop / "locales" / "lt" / "LC_MESSAGES" / "messages.po"
    catalog.mkdir(parents=True)
    for command in ("status", "check", "compile", "update"):
        result = run(shop, command)
        assert result.exit_code == 2, (command, result.stdout)
        assert "lt/LC_MESSAGES/messages.po: cannot read" in result.stderr, command


def _copy_da_catalog_to(shop, *folders: str) -> list[str]:
    """The da catalog copied into ``locales/<folder>/``; the folders of the catalogs left out."""
    source = (shop / "locales/da/LC_MESSAGES/messages.po").read_bytes()
    for folder in folders:
        catalog = shop / "locales" / folder / "LC_MESSAGES" / "messages.po"
        catalog.parent.mkdir(parents=True)
        catalog.write_bytes(source)
    found = catalog_locales(load_config(shop))
    return [path.parent.parent.name for path, _ in found.skipped]


def test_catalogs_in_folders_that_are_no_locale_are_named_not_silently_left_out(shop):
    # Sphinx keeps catalogs in locales/cak/ (Kaqchikel, not in CLDR) and zh_TW.Big5/.
    assert _copy_da_catalog_to(shop, "cak", "zh_TW.Big5") == ["cak", "zh_TW.Big5"]
    found = catalog_locales(load_config(shop))
    assert found.extra == ("de",)
    for args in (["status"], ["check"], ["compile"]):
        result = run(shop, *args)
        assert result.exit_code == 0, result.stderr
        said = result.stderr.replace("\n", " ")
        assert (
            "locales/cak/LC_MESSAGES/messages.po is left out: 'cak' is no locale CLDR has "
            "data for" in said
        ), (args, result.stderr)
        # (a legacy codeset copy is named as one, not told to take another locale's name)
        assert (
            "locales/zh_TW.Big5/LC_MESSAGES/messages.po is left out: 'zh_TW.Big5' is a "
            "catalog of 'zh_TW' in the Big5 codeset" in said
        ), (args, result.stderr)
        assert "zh_Hant_TW" not in said
    assert not (shop / "locales/cak/LC_MESSAGES/messages.mo").exists()


def test_a_second_spelling_beside_the_locales_own_folder_is_named(shop):
    # Sphinx keeps locales/nb/ and locales/no/ (both Bokmål): nb/ is the catalog, no/ is not
    # silently left with a stale MO file.
    assert _copy_da_catalog_to(shop, "nb", "no") == ["no"]
    assert "nb" in catalog_locales(load_config(shop)).extra
    result = run(shop, "status")
    assert result.exit_code == 0, result.stderr
    assert (
        "locales/no/LC_MESSAGES/messages.po is left out: 'no' is another spelling of 'nb', "
        "whose catalog is locales/nb/LC_MESSAGES/messages.po" in result.stderr.replace("\n", " ")
    )


def test_catalogs_kept_as_locale_po_files_are_an_error_not_0_percent(shop):
    """privacyidea keeps po/de.po: status said 0 %, check passed without reading a catalog,
    and update created an empty one beside it (QA pass 26). Every catalog command names the
    layout it reads."""
    (shop / "locales" / "lt.po").write_bytes(
        (shop / "locales" / "da" / "LC_MESSAGES" / "messages.po").read_bytes()
    )
    for args in (["status"], ["check"], ["compile"], ["update", "--locale", "lt"],
                 ["status", "--locale", "lt"]):  # fmt: skip
        result = run(shop, *args)
        assert result.exit_code == 2, args
        assert "locales holds catalogs as locales/<locale>.po (lt.po); the toolkit reads " \
               "locales/<locale>/LC_MESSAGES/messages.po" in result.stderr, args  # fmt: skip
    assert not (shop / "locales" / "lt").exists()
    translate = run(shop, "translate", "--locale", "lt")
    assert translate.exit_code == 2
    assert "a layout the toolkit does not read: move it to" in translate.stderr
    # A locale whose own catalog exists is read as always; the copy beside it is a note.
    (shop / "locales" / "lt.po").rename(shop / "locales" / "da.po")
    status = run(shop, "status")
    assert status.exit_code == 0
    assert "catalogs are read from locales/da/LC_MESSAGES/messages.po, not da.po" in status.stderr
    # A stray unconfigured one beside real catalogs is a note too, unless it is asked for;
    # the source language's own (en.po) is no catalog (QA pass 27).
    (shop / "locales" / "da.po").rename(shop / "locales" / "sv.po")
    (shop / "locales" / "en.po").write_text("", "utf-8")
    for args in (["status"], ["check"], ["compile"], ["showcase", "--out", "out"]):
        assert run(shop, *args).exit_code in (0, 1), args
    for args in (["status", "--locale", "sv"], ["check", "--locale", "sv"]):
        result = run(shop, *args)
        assert result.exit_code == 2 and "sv.po" in result.stderr, args


def test_a_locale_given_twice_is_covered_once(shop):
    """'status --locale da --locale da' printed two rows (QA pass 27)."""
    result = run(shop, "status", "--locale", "da", "--locale", "da", "--format", "json")
    assert [row["locale"] for row in json.loads(result.stdout)["locales"]] == ["da"]


def test_catalogs_of_another_domain_are_an_error_naming_the_setting(shop):
    """Sphinx keeps locales/<locale>/LC_MESSAGES/sphinx.po: with the default domain,
    check passed without reading a catalog and update created empty messages.po files
    beside them (QA pass 60)."""
    for locale in ("da", "de"):
        folder = shop / "locales" / locale / "LC_MESSAGES"
        (folder / "messages.po").rename(folder / "sphinx.po")
    (shop / "locales" / "messages.pot").rename(shop / "locales" / "sphinx.pot")  # Sphinx's
    for args in (["status"], ["check"], ["compile"], ["update"], ["check", "--locale", "da"]):
        result = run(shop, *args)
        assert result.exit_code == 2, (args, result.stdout)
        assert "holds catalogs of the domain 'sphinx'" in result.stderr, args
        assert 'Set domain = "sphinx"' in result.stderr, args
    assert not list((shop / "locales").rglob("messages.po"))
    config = shop / "toolkit.toml"
    # A few catalogs of documentation pages beside them in one folder (Flask-Admin's Chinese):
    # the domain most folders have is still the one named (it said domain = "<name>").
    for page in ("adding_a_new_model_backend", "advanced"):
        (shop / "locales" / "da" / "LC_MESSAGES" / f"{page}.po").write_text(
            'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n', "utf-8")
    result = run(shop, "check")
    assert 'Set domain = "sphinx"' in result.stderr and "domain 'sphinx' and" in result.stderr
    for page in ("adding_a_new_model_backend", "advanced"):
        (shop / "locales" / "da" / "LC_MESSAGES" / f"{page}.po").unlink()
    config.write_text(config.read_text("utf-8").replace('"messages"', '"sphinx"'), "utf-8")
    assert run(shop, "check").exit_code == 0


def test_the_other_commands_name_the_domain_setting_too(shop, tmp_path, monkeypatch):
    """memory export wrote 0 catalog units with exit 0, review served "file not found"
    warnings, translate and xliff export advised 'toolkit update' (which would make an empty
    messages.po beside the real catalog)."""
    from toolkit.review import ReviewWorkspace

    monkeypatch.setenv("TOOLKIT_MEMORY", str(tmp_path / "memory.sqlite"))
    for locale in ("da", "de"):
        folder = shop / "locales" / locale / "LC_MESSAGES"
        (folder / "messages.po").rename(folder / "sphinx.po")
    (shop / "locales" / "messages.pot").rename(shop / "locales" / "sphinx.pot")
    out = tmp_path / "out.tmx"
    result = run(shop, "memory", "export", "--out", str(out))
    assert result.exit_code == 2 and 'Set domain = "sphinx"' in result.stderr
    assert not out.exists()
    assert run(shop, "memory", "export", "--no-catalogs", "--out", str(out)).exit_code == 0
    xliff = ["xliff", "export", "--locale", "da", "--out", str(tmp_path / "da.xlf")]
    for args in (["translate", "--locale", "da"], xliff):
        result = run(shop, *args)
        assert result.exit_code == 2, (args, result.stdout)
        assert "messages.po: file not found. Its folder holds sphinx.po" in result.stderr
        assert 'set domain = "sphinx"' in result.stderr, args
    workspace = ReviewWorkspace(load_config(shop), reviewer="Tester")
    for locale in ("da", None):
        with pytest.raises(InputError, match="catalogs of the domain 'sphinx'"):
            workspace.refuse_unread_layout(locale)
    assert not list((shop / "locales").rglob("messages.po"))


def test_a_second_domain_beside_the_projects_own_is_no_error(shop):
    """Django keeps django.po and djangojs.po side by side: catalogs of the project's domain
    on disk, so another domain's files are none of its business."""
    folder = shop / "locales" / "da" / "LC_MESSAGES"
    (folder / "djangojs.po").write_bytes((folder / "messages.po").read_bytes())
    (shop / "locales" / "de" / "LC_MESSAGES" / "messages.po").rename(
        shop / "locales" / "de" / "LC_MESSAGES" / "djangojs.po"
    )
    assert run(shop, "check").exit_code == 0
    assert run(shop, "update", "--locale", "lt").exit_code == 0


def test_many_unconfigured_catalogs_are_one_note(shop):
    """Sphinx's 67 catalogs with 'locales = []' gave 67 notes (QA pass 60)."""
    _copy_da_catalog_to(shop, "fr", "pl", "sv", "fi", "es")
    result = run(shop, "check")
    assert result.exit_code == 0, result.stderr
    notes = [line for line in result.stderr.splitlines() if "configured locales" in line]
    assert notes == [
        "note: 6 catalogs are not in the configured locales (de, es, fi, fr, pl, ...); add "
        "them to 'locales' to include them everywhere (they are covered here)"
    ]


def test_a_locale_whose_catalog_is_in_a_regional_folder_is_pointed_at_it(shop):
    """Sphinx keeps Bokmål in nb_NO/; with 'nb' configured, check --locale nb said to create
    the catalog, and update then made an empty one beside 146 translations (QA pass 60)."""
    _copy_da_catalog_to(shop, "lt_LT")  # lt is configured, its catalog is in lt_LT/
    status = run(shop, "status")
    assert status.exit_code == 0, status.stderr
    assert (
        "lt: configured but has no catalog yet (0 %); create it with 'toolkit update --locale "
        "lt', or, if locales/lt_LT/LC_MESSAGES/messages.po is its catalog, put 'lt_LT' in "
        "'locales' instead" in status.stderr.replace("\n", " ")
    )
    check = run(shop, "check", "--locale", "lt")
    assert check.exit_code == 2
    assert (
        "lt_LT/LC_MESSAGES/messages.po exists: if that is the catalog you mean, name its "
        "locale 'lt_LT' (in 'locales', or with --locale) instead of 'lt'; otherwise run "
        "'toolkit update --locale lt' to create it" in check.stderr.replace("\n", " ")
    )


def test_the_first_catalog_beside_another_apps_domain_can_be_made(tmp_path):
    """A Django app's locales/da/LC_MESSAGES/django.po: with the project's own POT extracted,
    update makes its first messages.po beside it (the domain guard blocked it; QA pass 60)."""
    root = tmp_path / "shared"
    assert CliRunner().invoke(app, ["init", str(root), "--locale", "da"]).exit_code == 0
    folder = root / "locales" / "da" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "django.po").write_text('msgid ""\nmsgstr ""\n', "utf-8")
    assert run(root, "update").exit_code == 2  # no template of its own yet: the guard
    assert run(root, "extract").exit_code == 0
    result = run(root, "update", "--locale", "da")
    assert result.exit_code == 0, result.stderr
    assert (folder / "messages.po").is_file() and (folder / "django.po").is_file()
    # ... and says where it is, in case the domain setting was what was forgotten (QA 64)
    assert ("note: locales/da/LC_MESSAGES/messages.po is new, beside django.po in the same "
            "folder: if those are this project's catalogs, set domain = \"django\" in its "
            "configuration and delete the new files") in result.stderr.replace("\n", " ")
    assert "note:" not in run(root, "update", "--locale", "da").stderr  # made once
    (folder / "django.mo").write_bytes(b"")
    (root / "templates" / "hi.j2").write_text("{% block text %}Hi{% endblock %}", "utf-8")
    rendered = run(root, "render", "hi.j2", "--locale", "da")
    assert ("no compiled MO catalog locales/da/LC_MESSAGES/messages.mo: run 'toolkit compile' "
            "(or preview with --from-po); the folder holds django.mo (if that is this "
            "project's catalog, set domain = \"django\")") in rendered.stderr.replace("\n", " ")


def test_memory_export_names_another_domain_in_a_mixed_project(shop, tmp_path, monkeypatch):
    """da with only sphinx.po, de with messages.po: 'memory export --locale da' wrote no
    catalog units, exit 0 (QA pass 61)."""
    monkeypatch.setenv("TOOLKIT_MEMORY", str(tmp_path / "memory.sqlite"))
    folder = shop / "locales" / "da" / "LC_MESSAGES"
    (folder / "messages.po").rename(folder / "sphinx.po")
    for extra in ([], ["--locale", "da"]):
        result = run(shop, "memory", "export", *extra, "--out", str(tmp_path / "m.tmx"))
        assert result.exit_code == 2, result.stdout
        assert "Its folder holds sphinx.po" in result.stderr
    assert not (tmp_path / "m.tmx").exists()


def test_catalogs_kept_in_locale_folders_without_lc_messages_are_an_error(shop):
    """MediaGoblin keeps i18n/da/mediagoblin.po (Pootle, Transifex clients): status said
    0 %, check passed without reading a catalog, and 'update --locale da' created an empty
    da/LC_MESSAGES/mediagoblin.po beside the 378 translations (QA pass 67)."""
    da = shop / "locales" / "da"
    (da / "LC_MESSAGES" / "messages.po").rename(da / "messages.po")
    (da / "LC_MESSAGES").rmdir()
    for args in (["status"], ["check"], ["compile"], ["update", "--locale", "da"],
                 ["check", "--locale", "da"]):  # fmt: skip
        result = run(shop, *args)
        assert result.exit_code == 2, args
        assert "locales holds catalogs as locales/<locale>/<name>.po (da/messages.po); the " \
               "toolkit reads locales/<locale>/LC_MESSAGES/messages.po" in result.stderr, args
        assert "(da/messages.po -> da/LC_MESSAGES/messages.po)" in result.stderr, args
    assert not (da / "LC_MESSAGES").exists()
    translate = run(shop, "translate", "--locale", "da")
    assert translate.exit_code == 2
    assert f"Its catalog is {da / 'messages.po'}, a layout the toolkit does not read" \
        in translate.stderr.replace("\n", " ")
    # Named otherwise than the domain: the setting is named too.
    (da / "messages.po").rename(da / "shop.po")
    result = run(shop, "status")
    assert result.exit_code == 2 and 'set domain = "shop" in toolkit.toml' in result.stderr
    # Once moved, it is read; a stray copy beside the real catalog is a note.
    (da / "LC_MESSAGES").mkdir()
    (da / "shop.po").rename(da / "LC_MESSAGES" / "messages.po")
    (da / "old.po").write_bytes((da / "LC_MESSAGES" / "messages.po").read_bytes())
    status = run(shop, "status")
    assert status.exit_code == 0, status.stderr
    assert "catalogs are read from locales/da/LC_MESSAGES/messages.po, not da/old.po" \
        in status.stderr


def test_a_locales_dir_typo_beside_the_real_folder_is_an_error_at_its_line(shop):
    """locales_dir = "i18m" for MediaGoblin's i18n: check and compile passed with "No
    catalogs to check yet" and update created a whole tree of empty catalogs (QA pass 67). A
    folder of another name, or none beside it, is a new project's: no error."""
    config = shop / "toolkit.toml"
    text = config.read_text("utf-8")
    line = text.splitlines().index('locales_dir = "locales"') + 1
    config.write_text(text.replace('locales_dir = "locales"', 'locales_dir = "locals"'), "utf-8")
    for args in (["status"], ["check"], ["compile"], ["update"], ["update", "--locale", "da"]):
        result = run(shop, *args)
        assert result.exit_code == 2, args
        assert f"toolkit.toml:{line}: locales folder locals not found. Did you mean " \
               "'locales'? Set locales_dir = \"locales\" in toolkit.toml." in result.stderr, args
    assert not (shop / "locals").exists()
    # ... in any case: CKAN's i18n as I18N passed check with 0 catalogs (QA pass 76)
    config.write_text(text.replace('locales_dir = "locales"', 'locales_dir = "LOCALES"'), "utf-8")
    result = run(shop, "check")
    assert result.exit_code == 2 and "Did you mean 'locales'?" in result.stderr
    config.write_text(text.replace('locales_dir = "locales"', 'locales_dir = "l10n"'), "utf-8")
    assert run(shop, "check").exit_code == 0


def test_a_templates_dir_typo_names_the_setting_and_the_near_folder(shop):
    config = shop / "toolkit.toml"
    text = config.read_text("utf-8")
    config.write_text(text.replace('templates_dir = "templates"', 'templates_dir = "templtes"'),
                      "utf-8")  # fmt: skip
    line = text.splitlines().index('templates_dir = "templates"') + 1
    result = run(shop, "extract")
    assert result.exit_code == 2
    assert f"toolkit.toml:{line}: templates folder templtes not found. Did you mean " \
           "'templates'?" in result.stderr


def test_render_names_the_uncompiled_catalog_of_an_unconfigured_locale(shop):
    """de's catalog is on disk (status, check and compile cover it) but not compiled: render
    only said "no catalog serves de", not what to run (QA pass 67)."""
    (shop / "templates" / "hi.j2").write_text("{% block text %}Hi{% endblock %}", "utf-8")
    rendered = run(shop, "render", "hi.j2", "--locale", "de")
    assert rendered.exit_code == 0, rendered.stderr
    assert ("no compiled MO catalog locales/de/LC_MESSAGES/messages.mo: run 'toolkit compile'"
            in rendered.stderr.replace("\n", " "))
    assert run(shop, "compile").exit_code == 0
    assert "no compiled MO" not in run(shop, "render", "hi.j2", "--locale", "de").stderr


def test_ordinary_folders_and_an_unset_locales_dir_are_left_alone(shop, tmp_path):
    """'bak/messages.po' (a backup) was taken for Bashkir's catalog and stopped every command;
    a Django app's locale/ beside a new project's default 'locales' (not set, not made
    yet) was called a typo (QA pass 69)."""
    backup = shop / "locales" / "bak"
    backup.mkdir()
    (backup / "messages.po").write_bytes(
        (shop / "locales" / "da" / "LC_MESSAGES" / "messages.po").read_bytes())
    status = run(shop, "status")
    assert status.exit_code == 0, status.stderr
    assert "bak" not in status.stderr
    new = tmp_path / "app"
    assert CliRunner().invoke(app, ["init", str(new), "--locale", "da"]).exit_code == 0
    config = new / "toolkit.toml"
    config.write_text(config.read_text("utf-8").replace('locales_dir = "locales"\n', ""),
                      "utf-8")  # fmt: skip
    django = new / "locale" / "de" / "LC_MESSAGES"
    django.mkdir(parents=True)
    (django / "django.po").write_text('msgid ""\nmsgstr ""\n', "utf-8")
    assert run(new, "status").exit_code == 0
    # Set, as 'toolkit init' writes it: locale/ holds another domain's catalogs, no typo's.
    config.write_text(config.read_text("utf-8") + 'locales_dir = "locales"\n', "utf-8")
    assert run(new, "status").exit_code == 0


def test_a_folder_setting_that_names_a_file_is_an_error_at_its_line(shop):
    config = shop / "toolkit.toml"
    text = config.read_text("utf-8")
    (shop / "notes.txt").write_text("x", "utf-8")
    config.write_text(text.replace('locales_dir = "locales"', 'locales_dir = "notes.txt"'),
                      "utf-8")  # fmt: skip
    line = text.splitlines().index('locales_dir = "locales"') + 1
    for args in (["status"], ["check"], ["compile"], ["update"]):
        result = run(shop, *args)
        assert result.exit_code == 2, args
        assert f"toolkit.toml:{line}: locales folder notes.txt is a file, not a folder." \
            in result.stderr, args
    config.write_text(text.replace('templates_dir = "templates"', 'templates_dir = "notes.txt"'),
                      "utf-8")  # fmt: skip
    for args in (["extract"], ["render", "email/welcome.j2", "--locale", "da"]):
        result = run(shop, *args)
        assert result.exit_code == 2, args
        assert "templates folder notes.txt is a file, not a folder." in result.stderr, args


def test_render_names_a_missing_templates_folder(shop):
    """render said "template not found ... list them with 'ls templats'", a folder that is
    not there; extract named the setting (QA pass 69)."""
    config = shop / "toolkit.toml"
    text = config.read_text("utf-8")
    config.write_text(text.replace('templates_dir = "templates"', 'templates_dir = "templats"'),
                      "utf-8")  # fmt: skip
    result = run(shop, "render", "email/welcome.j2", "--locale", "da")
    assert result.exit_code == 2
    assert "templates folder templats not found. Did you mean 'templates'?" in result.stderr


def test_showcase_and_sends_name_a_templates_dir_that_is_a_file(shop, tmp_path):
    """showcase wrote an empty index with exit 0 and render-batch --sends failed every line
    with the setting's error (QA pass 71): both stop once, at the setting's line."""
    config = shop / "toolkit.toml"
    text = config.read_text("utf-8")
    (shop / "notes.txt").write_text("x", "utf-8")
    config.write_text(text.replace('templates_dir = "templates"', 'templates_dir = "notes.txt"'),
                      "utf-8")  # fmt: skip
    sends = tmp_path / "sends.jsonl"
    sends.write_text('{"customer_id": "c1", "template": "email/welcome.j2", "locale": "da", '
                     '"data": {"first_name": "A"}}\n', "utf-8")  # fmt: skip
    for args in (["showcase", "--out", str(tmp_path / "show")],
                 ["render-batch", "--sends", str(sends), "--out", str(tmp_path / "o.jsonl")]):
        result = run(shop, *args)
        assert result.exit_code == 2, (args, result.output)
        assert "templates folder notes.txt is a file, not a folder." in result.stderr, args
    assert not (tmp_path / "show").exists() and not (tmp_path / "o.jsonl").exists()


def test_a_new_catalog_goes_in_the_folder_gettext_looks_in_for_the_name_written(tmp_path):
    """``locales = ["zh_CN"]`` made ``locales/zh_Hans_CN/`` (Babel's identifier), where neither
    Python's gettext nor GNU gettext looks for zh_CN; pybabel init and msginit make ``zh_CN/``.
    Configured or given with --locale, the catalog goes under the name written."""
    import gettext

    root = tmp_path / "cn"
    assert CliRunner().invoke(app, ["init", str(root), "--locale", "zh_CN"]).exit_code == 0
    assert 'locales = ["zh_CN"]' in (root / "toolkit.toml").read_text("utf-8")
    (root / "templates" / "hi.j2").write_text("{% block text %}{{ _('Hi') }}{% endblock %}",
                                              "utf-8")  # fmt: skip
    assert run(root, "extract").exit_code == 0
    result = run(root, "update", "--locale", "sr_RS", "--locale", "pt-BR")
    assert result.exit_code == 0, result.stderr
    result = run(root, "update")
    assert result.exit_code == 0, result.stderr
    locales = root / "locales"
    assert sorted(p.name for p in locales.iterdir() if p.is_dir()) == ["pt_BR", "sr_RS", "zh_CN"]
    po = locales / "zh_CN" / "LC_MESSAGES" / "messages.po"
    text = po.read_text("utf-8")
    po.write_text(text.replace('msgid "Hi"\nmsgstr ""', 'msgid "Hi"\nmsgstr "你好"'), "utf-8")
    assert run(root, "compile").exit_code == 0
    found = gettext.translation("messages", str(locales), languages=["zh_CN"])
    assert found.gettext("Hi") == "你好"
    rendered = run(root, "render", "hi.j2", "--locale", "zh_CN")
    assert rendered.exit_code == 0 and "你好" in rendered.stdout, rendered.stderr
    again = run(root, "update", "--locale", "sr_RS").stdout
    assert "unchanged " in again and "locales/sr_RS/LC_MESSAGES/messages.po (sr_Cyrl_RS" in again


def test_script_modifier_catalogs_are_made_and_served_as_gettext_names_them(tmp_path):
    """``sr@latin`` made ``sr_Latn/`` (glibc and Python's gettext then served the Cyrillic
    ``sr/``), and render served a string missing from the Latin catalog from the Cyrillic one;
    ``ca@valencia``'s catalog was never read (QA pass 78)."""
    root = tmp_path / "sr"
    init = ["init", str(root), "--locale", "sr", "--locale", "sr@latin", "--locale", "ca@valencia"]
    assert CliRunner().invoke(app, init).exit_code == 0
    (root / "templates" / "hi.j2").write_text(
        "{% block text %}{{ _('Hi') }} {{ _('Bye') }}{% endblock %}", "utf-8")  # fmt: skip
    assert run(root, "extract").exit_code == 0 and run(root, "update").exit_code == 0
    texts = {"sr": ("Здраво", "Збогом"), "sr@latin": ("Zdravo", ""), "ca@valencia": ("Bon dia", "")}
    for folder, (hi, bye) in texts.items():
        po = root / "locales" / folder / "LC_MESSAGES" / "messages.po"
        text = po.read_text("utf-8").replace('msgid "Hi"\nmsgstr ""', f'msgid "Hi"\nmsgstr "{hi}"')
        po.write_text(text.replace('msgid "Bye"\nmsgstr ""', f'msgid "Bye"\nmsgstr "{bye}"'),
                      "utf-8")  # fmt: skip
    assert run(root, "compile").exit_code == 0
    (root / "d.json").write_text("{}", "utf-8")
    for locale, shown in (("sr_Latn_RS", "Zdravo Bye"), ("sr@latin", "Zdravo Bye"),
                          ("sr", "Здраво Збогом"), ("ca_ES@valencia", "Bon dia Bye"),
                          # BCP 47's spellings of Valencian read ca@valencia/ too (they fell
                          # to Catalan or English; QA pass 82)
                          ("ca-ES-valencia", "Bon dia Bye"), ("ca-valencia", "Bon dia Bye"),
                          ("ca_ES_VALENCIA", "Bon dia Bye")):  # fmt: skip
        rendered = run(root, "render", "hi.j2", "--locale", locale, "--data", str(root / "d.json"))
        assert rendered.exit_code == 0, rendered.stderr
        assert rendered.stdout.splitlines()[1] == shown, (locale, rendered.stdout)
    updated = run(root, "update", "--locale", "ca-ES-valencia")  # the catalog there, no twin
    assert updated.exit_code == 0 and "locales/ca@valencia/LC_MESSAGES" in updated.stdout
    assert sorted(p.name for p in (root / "locales").iterdir() if p.is_dir()) == [
        "ca@valencia", "sr", "sr@latin"]


@pytest.mark.parametrize("name", ["ca_FR@valencia", "ca-AD-valencia", "ca_FR_VALENCIA",
                                  "ca_ZZ_VALENCIA", "de@valencia", "sr@valencia"])
def test_valencian_of_another_region_or_language_is_refused(tmp_path, name):
    """Valencian is ca_ES_VALENCIA alone: ca_FR@valencia was taken as it, dropping the
    region; de@valencia was German and 'update' made a de@valencia/ folder (QA pass 83)."""
    root = tmp_path / "p"
    assert CliRunner().invoke(app, ["init", str(root), "--locale", "da"]).exit_code == 0
    result = run(root, "update", "--locale", name)
    assert result.exit_code == 2 and "'valencia' variant is ca_ES_VALENCIA only" in result.stderr
    assert not [p.name for p in (root / "locales").iterdir() if p.is_dir()]
    assert locale_id("ca-valencia@euro") == "ca_ES_VALENCIA"  # (glibc's @euro says nothing)


@pytest.mark.parametrize("name", ["ca-Latn-ES-valencia", "ca_Latn_ES_VALENCIA", "ca-Latn-valencia"])
def test_valencian_with_its_script_is_valencian(name):
    """ca-Latn-ES-valencia made a ca_ES/ folder: the variant was dropped (QA pass 83)."""
    assert locale_id(name) == "ca_ES_VALENCIA"


@pytest.mark.parametrize("name", ["ca-ES-valencia", "ca_ES_VALENCIA", "ca-valencia"])
def test_a_new_valencian_catalog_goes_where_gettext_looks(tmp_path, name):
    """update --locale ca-ES-valencia made ca_ES_VALENCIA/, a folder neither GNU nor
    Python's gettext ever reads (QA pass 83): ca@valencia/, GNOME's and Weblate's."""
    root = tmp_path / "p"
    assert CliRunner().invoke(app, ["init", str(root), "--locale", "da"]).exit_code == 0
    assert run(root, "extract").exit_code == 0
    result = run(root, "update", "--locale", name)
    assert result.exit_code == 0, result.stderr
    assert (root / "locales" / "ca@valencia" / "LC_MESSAGES" / "messages.po").is_file()


@pytest.mark.parametrize("name", ["de-1996", "de-DE-1901", "sl-rozaj", "ca-Cyrl-valencia"])
def test_a_variant_cldr_has_no_data_for_is_refused(tmp_path, name):
    """Babel read de-1996 as de, dropping the variant without a word: an unknown locale, as
    a region CLDR has no data for is (QA pass 83). en_US_POSIX, which CLDR has, stays."""
    root = tmp_path / "p"
    assert CliRunner().invoke(app, ["init", str(root), "--locale", "da"]).exit_code == 0
    result = run(root, "update", "--locale", name)
    assert result.exit_code == 2 and "CLDR has no data for" in result.stderr
    assert not [p.name for p in (root / "locales").iterdir() if p.is_dir()]
    assert locale_id("en-US-posix") == "en_US_POSIX"


@pytest.mark.parametrize("name", ["be_Latn", "be@latin", "zh_Hant_CN", "ja_Latn"])
def test_a_script_cldr_has_no_data_for_is_refused(name):
    """Babel read be@latin as Belarusian in Cyrillic and zh_Hant_CN as Simplified Chinese,
    the script dropped without a word (QA pass 83). sr@latin, zh_Hant_TW, en_Latn stay."""
    with pytest.raises(LocaleError, match="CLDR has no data for .* in the script"):
        locale_id(name)
    assert [locale_id(x) for x in ("sr@latin", "zh_Hant_TW", "en_Latn", "uz_Cyrl")] == [
        "sr_Latn", "zh_Hant_TW", "en", "uz_Cyrl"]


def test_a_language_cldr_has_no_plural_rules_for_keeps_its_singular(tmp_path):
    """CLDR has no plural rules for 117 languages (Occitan, Latin, Maori...): Babel gives them
    root's single form, so update wrote nplurals=1 ("1 punt" / "2 punts" could not be written),
    check called a catalog's own two forms wrong and --plural-forms cldr merged them (QA 78).
    They get gettext's usual rule, as pybabel init writes it, and keep their own."""
    import polib

    root = tmp_path / "oc"
    init = ["init", str(root), "--locale", "oc", "--locale", "mi"]
    assert CliRunner().invoke(app, init).exit_code == 0
    (root / "templates" / "n.j2").write_text(
        "{% block text %}{% trans count=n %}{{ count }} point{% pluralize %}{{ count }} points"
        "{% endtrans %}{% endblock %}", "utf-8")  # fmt: skip
    assert run(root, "extract").exit_code == 0
    made = run(root, "update")
    assert made.exit_code == 0, made.stderr
    assert ("Plural-Forms set to gettext's usual (CLDR has no plural rules for it) "
            "nplurals=2") in made.stdout
    po_path = root / "locales" / "oc" / "LC_MESSAGES" / "messages.po"
    po = polib.pofile(str(po_path))
    assert po.metadata["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    # Weblate's Occitan rule, translated: no warning, and the cldr policy leaves it alone
    po.metadata["Plural-Forms"] = "nplurals=2; plural=(n > 1);"
    plural = next(e for e in po if e.msgid_plural)
    plural.msgstr_plural = {0: "%(count)s punt", 1: "%(count)s punts"}
    po.save()
    before = po_path.read_bytes()
    checked = run(root, "check", "--locale", "oc", "--fail-on", "warning")
    assert "plural-header" not in checked.stdout, checked.stdout
    assert run(root, "update", "--locale", "oc", "--plural-forms", "cldr").exit_code == 0
    assert po_path.read_bytes() == before
    # The single form an earlier version wrote: a warning, and the cldr policy converts it
    # (QA pass 79: check was silent and the policy left it)
    po = polib.pofile(str(po_path))
    po.metadata["Plural-Forms"] = "nplurals=1; plural=0;"
    plural = next(e for e in po if e.msgid_plural)
    plural.msgstr_plural = {0: "%(count)s punts"}
    po.save()
    checked = run(root, "check", "--locale", "oc")
    assert "Plural-Forms has one form, so singular and plural cannot differ" in (
        checked.stdout.replace("\n", " ")), checked.stdout
    assert run(root, "update", "--locale", "oc", "--plural-forms", "cldr").exit_code == 0
    converted = polib.pofile(str(po_path))
    assert converted.metadata["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    entry = next(e for e in converted if e.msgid_plural)
    assert "fuzzy" in entry.flags and entry.msgstr_plural[0] == "%(count)s punts"


def test_a_domain_typo_with_the_projects_own_template_is_an_error_naming_the_catalogs(shop):
    """domain = "ckna" for CKAN's ckan.po, its pot_file set: check passed with "No catalogs
    to check yet" (QA pass 76), then with notes only, exit 0, and compile wrote nothing with
    exit 0 (QA pass 80): a CI gate passed beside 56 catalogs with 61 errors. Catalogs of another
    domain that hold the template's messages are the project's, misnamed."""
    config = shop / "toolkit.toml"
    pot = shop / "locales" / "templates.pot"
    pot.write_bytes((shop / "locales" / "messages.pot").read_bytes())
    typo = 'domain = "mesages"\npot_file = "locales/templates.pot"'
    text = config.read_text("utf-8").replace('domain = "messages"', typo)
    config.write_text(text, "utf-8")
    total = sum(1 for e in polib.pofile(str(pot)) if e.msgid)
    for args in (["check"], ["compile"], ["status"], ["update"]):
        result = run(shop, *args)
        assert result.exit_code == 2, (args, result.stdout)
        said = result.stderr.replace("\n", " ")
        assert (f"locales holds catalogs of the domain 'messages' (locales/da/LC_MESSAGES/"
                f"messages.po with {total} of the {total} messages of locales/templates.pot, "
                ) in said, args
        assert 'Set domain = "messages"' in said, args
    assert not list((shop / "locales").rglob("mesages.po"))
    assert not list((shop / "locales").rglob("*.mo"))


def test_another_apps_catalogs_beside_the_projects_own_template_are_notes(shop):
    """Django's django.po beside the project's extracted POT, before the first update: the
    other catalog translates none of the template's messages, so check has nothing to check
    (exit 0) and says what it saw."""
    for locale in ("da", "de"):
        folder = shop / "locales" / locale / "LC_MESSAGES"
        (folder / "messages.po").unlink()
        (folder / "django.po").write_text(
            'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
            'msgid "Log in"\nmsgstr "Log ind"\n', "utf-8")
    result = run(shop, "check")
    assert result.exit_code == 0, result.stderr
    assert ('or, if django.po in its folder is its catalog, set domain = "django"'
            in result.stderr.replace("\n", " "))


def test_a_new_catalog_of_the_source_locale_says_render_never_reads_it(shop):
    """'update --locale en' in an English project made a catalog translators could edit for
    nothing: render serves 'en' the source text (QA pass 78). en_GB's is read: no note."""
    result = run(shop, "update", "--locale", "en", "--locale", "en_GB")
    assert result.exit_code == 0, result.stderr
    said = result.stderr.replace("\n", " ")
    assert ("note: locales/en/LC_MESSAGES/messages.po is a catalog of the source locale 'en': "
            "render serves its customers the source text and never reads it") in said
    assert "en_GB/LC_MESSAGES/messages.po is a catalog of the source" not in said


def test_a_locale_whose_catalog_is_under_its_retired_code_names_that_folder(shop):
    """CKAN keeps Filipino in tl/ (the code CLDR retired for fil): 'status --locale fil' said
    to create a new catalog, as if tl/ were not there (QA pass 80)."""
    _copy_da_catalog_to(shop, "tl")
    result = run(shop, "status", "--locale", "fil")
    assert result.exit_code == 2
    assert ("locales/tl/LC_MESSAGES/messages.po exists: if that is the catalog you mean, name "
            "its locale 'tl' (in 'locales', or with --locale) instead of 'fil'"
            ) in result.stderr.replace("\n", " ")
