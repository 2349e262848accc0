"""``toolkit init`` in an app that already has gettext catalogs writes a configuration for
them: it scaffolded an empty ``locales/`` tree beside Flask-Admin's 35 catalogs, and update
then created empty catalogs there (QA pass 81)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from toolkit.cli import app

HEADER = (
    'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
    '"Plural-Forms: nplurals={n}; plural={rule};\\n"\n\n'
)


def run(*args: str):
    return CliRunner().invoke(app, list(args))


def flask_app(root: Path) -> Path:
    """A Flask app as Flask-Admin lays it out: catalogs with the domain 'admin' under the
    package, a pybabel POT and mapping file in babel/, a script with pybabel's -k options,
    templates calling the app's own gettext function, an example app with templates of its
    own and Sphinx catalogs of the documentation."""
    package = root / "shop"
    (package / "templates" / "admin").mkdir(parents=True)
    (package / "templates" / "admin" / "index.html").write_text(
        "<h1>{{ _gettext('Orders') }}</h1>\n<p>{{ _gettext('Customers') }}</p>\n", "utf-8")
    (package / "views.py").write_text("_gettext('Save')\n", "utf-8")
    # (with references, as Flask-Admin's are: a catalog without any stays without them)
    entries = '#: ../shop/views.py:1\nmsgid "Orders"\nmsgstr "{0}"\n\nmsgid "Customers"\n' \
              'msgstr "{1}"\n\nmsgid "Save"\nmsgstr "{2}"\n'
    words = {
        "da": ("2", "(n != 1)", ("Ordrer", "Kunder", "Gem")),
        "pl": ("3", "(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2)",
               ("Zamówienia", "Klienci", "Zapisz")),
        "en": ("2", "(n != 1)", ("Orders", "Customers", "Save")),
    }
    for locale, (n, rule, texts) in words.items():
        folder = package / "translations" / locale / "LC_MESSAGES"
        folder.mkdir(parents=True)
        (folder / "admin.po").write_text(
            HEADER.format(n=n, rule=rule) + entries.format(*texts), "utf-8")
    babel = root / "babel"
    babel.mkdir()
    (babel / "babel.ini").write_text("[python: **.py]\n[jinja2: **/templates/**.html]\n", "utf-8")
    (babel / "admin.pot").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        '#: ../shop/templates/admin/index.html:1\nmsgid "Orders"\nmsgstr ""\n\n'
        '#: ../shop/templates/admin/index.html:2\nmsgid "Customers"\nmsgstr ""\n\n'
        '#: ../shop/views.py:1\nmsgid "Save"\nmsgstr ""\n', "utf-8")
    (babel / "babel.sh").write_text(
        "#!/bin/sh\npybabel extract -F babel.ini -k _gettext -k lazy_gettext -o admin.pot ..\n",
        "utf-8")
    example = root / "examples" / "simple" / "templates"
    example.mkdir(parents=True)
    (example / "index.html").write_text("<p>{{ _('Example') }}</p>\n", "utf-8")
    for page in ("index", "api", "intro"):  # Sphinx: a domain per page, more locales
        for locale in ("da", "pl", "fr", "de"):
            folder = root / "doc" / "locale" / locale / "LC_MESSAGES"
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"{page}.po").write_text(HEADER.format(n=2, rule="(n != 1)"), "utf-8")
    (root / "README.md").write_text("# Shop\n\nAn admin.\n", "utf-8")
    return root


def test_init_in_a_flask_app_configures_its_own_catalogs(tmp_path):
    root = flask_app(tmp_path / "app")
    before = list((root / "shop" / "translations").rglob("*.po"))
    result = run("init", str(root))
    assert result.exit_code == 0, result.stderr
    config = (root / "toolkit.toml").read_text("utf-8")
    for line in ('locales = ["da", "pl"]', 'domain = "admin"',
                 'locales_dir = "shop/translations"', 'templates_dir = "shop/templates"',
                 'keywords = ["_gettext", "lazy_gettext"]', "jinja_trimmed = false",
                 "jinja_trim_blocks = false", "jinja_lstrip_blocks = false",
                 'templates_exclude = ["*.md", "*.yaml", "*.yml"]'):  # fmt: skip
        assert line in config, (line, config)
    assert "pot_file" not in config  # the app's POT is babel/admin.pot, not the default path
    assert "left out en/: the source language" in result.stdout
    assert not (root / "templates").exists() and not (root / "locales").exists()
    update = (f"toolkit --project {root} update --pot {root}/babel/admin.pot "
              f"--pot {root}/shop/translations/admin.pot")  # (read from the current folder)
    assert update in result.stdout
    # The printed steps work, and leave the app's catalogs as they were.
    assert run("--project", str(root), "extract").exit_code == 0
    pot = (root / "shop" / "translations" / "admin.pot").read_text("utf-8")
    assert 'msgid "Orders"' in pot and "Example" not in pot
    updated = run("--project", str(root), "update", "--pot", str(root / "babel" / "admin.pot"),
                  "--pot", str(root / "shop" / "translations" / "admin.pot"))
    assert updated.exit_code == 0, updated.stderr
    assert sorted(p for p in root.rglob("*.po") if "doc" not in p.parts) == sorted(before)
    danish = (root / "shop" / "translations" / "da" / "LC_MESSAGES" / "admin.po").read_text()
    assert 'msgid "Orders"\nmsgstr "Ordrer"' in danish and "fuzzy" not in danish
    assert danish.count("index.html:1") == 1 and "#: ../shop/templates/admin/index.html:1" in (
        danish)  # the app POT's spelling, once
    again = run("--project", str(root), "update", "--pot", str(root / "babel" / "admin.pot"),
                "--pot", str(root / "shop" / "translations" / "admin.pot"), "--check")
    assert again.exit_code == 0, again.stdout
    compiled = run("--project", str(root), "compile")
    assert compiled.exit_code == 0, compiled.stderr
    mo = root / "shop" / "translations" / "pl" / "LC_MESSAGES" / "admin.mo"
    assert subprocess.run(["msgunfmt", str(mo)], capture_output=True, text=True,
                          check=True).stdout.count("Zamówienia") == 1  # fmt: skip


def test_setup_cfg_names_the_catalogs_and_a_pot_at_the_default_path_gets_a_twin(tmp_path):
    """pybabel's settings in setup.cfg win over the search; the app's POT at the toolkit's
    default path is never extract's: the toolkit gets its own (pot_file)."""
    root = flask_app(tmp_path / "app")
    other = root / "shop" / "i18n" / "da" / "LC_MESSAGES"
    other.mkdir(parents=True)
    (other / "messages.po").write_text(HEADER.format(n=2, rule="(n != 1)"), "utf-8")
    (root / "setup.cfg").write_text(
        "[compile_catalog]\ndirectory = shop/i18n\ndomain = messages\n\n"
        "[extract_messages]\noutput_file = shop/i18n/messages.pot\nkeywords = _l lazy_gettext\n",
        "utf-8")  # fmt: skip
    (root / "shop" / "i18n" / "messages.pot").write_text(
        (root / "babel" / "admin.pot").read_text("utf-8"), "utf-8")
    result = run("init", str(root))
    assert result.exit_code == 0, result.stderr
    config = (root / "toolkit.toml").read_text("utf-8")
    assert 'locales_dir = "shop/i18n"' in config and 'domain = "messages"' in config
    assert 'locales = ["da"]' in config and 'keywords = ["_l", "lazy_gettext"]' in config
    assert 'pot_file = "shop/i18n/templates.pot"' in config


def test_init_with_locales_given_and_in_a_configured_app(tmp_path):
    root = flask_app(tmp_path / "app")
    result = run("init", str(root), "--locale", "pl")
    assert result.exit_code == 0, result.stderr
    assert 'locales = ["pl"]' in (root / "toolkit.toml").read_text("utf-8")
    again = run("init", str(root))
    assert again.exit_code == 2 and "already exists" in again.stderr


def test_an_update_that_creates_every_catalog_names_the_catalogs_elsewhere(tmp_path):
    """locales_dir set to the wrong folder of a Flask app: update made empty catalogs there
    without a word of the real ones (QA pass 81)."""
    root = flask_app(tmp_path / "app")
    (root / "toolkit.toml").write_text(
        'locales = ["da"]\ndomain = "admin"\ntemplates_dir = "shop/templates"\n'
        'locales_dir = "babel"\nkeywords = ["_gettext"]\n', "utf-8")
    result = run("--project", str(root), "update", "--pot", str(root / "babel" / "admin.pot"))
    assert result.exit_code == 0, result.stderr
    assert ("note: shop/translations/ holds 3 catalogs of the domain 'admin' "
            "(shop/translations/da/LC_MESSAGES/admin.po); every catalog was new in babel/: "
            'if those are the app\'s, set locales_dir = "shop/translations"') in result.stderr
    again = run("--project", str(root), "update", "--pot", str(root / "babel" / "admin.pot"))
    assert "holds 3 catalogs" not in again.stderr  # said once, when they were made


def test_a_new_catalog_beside_one_of_the_same_language_is_noted(tmp_path):
    """'update --locale no_NO' made an empty nb_NO/ beside Flask-Admin's translated no/
    without a word, and compile shipped it (QA pass 81)."""
    root = flask_app(tmp_path / "app")
    assert run("init", str(root)).exit_code == 0
    result = run("--project", str(root), "update", "--pot", str(root / "babel" / "admin.pot"),
                 "--locale", "da_DK")
    assert result.exit_code == 0, result.stderr
    assert ("note: shop/translations/da_DK/LC_MESSAGES/admin.po is new, without translations, "
            "beside shop/translations/da/LC_MESSAGES/admin.po, a catalog of the same language: "
            "if that is the catalog meant, delete the new one and use --locale da"
            ) in result.stderr.replace("\n", " ")
    # Catalogs of one language made in the same run are no mistake (a sweep of every CLDR
    # locale gave ~1,140 such notes; QA pass 82)
    both = run("--project", str(root), "update", "--pot", str(root / "babel" / "admin.pot"),
               "--locale", "de", "--locale", "de_AT")
    assert both.exit_code == 0 and "same language" not in both.stderr


def test_pybabel_options_in_tox_ini_two_apps_and_documentation_only(tmp_path):
    """Flask-Security passes --keyword=_fsdomain and --add-comments=NOTE to pybabel in
    tox.ini, over two lines: without them extract found no message. In a folder with two
    apps, init took one's catalogs with templates_dir "." (both apps' templates); a folder
    with Sphinx's catalogs alone got domain = "index" (QA pass 81)."""
    root = flask_app(tmp_path / "app")
    (root / "babel" / "babel.sh").unlink()
    (root / "tox.ini").write_text(
        "[testenv:extract_messages]\ncommands =\n"
        "    pybabel extract --keyword=_gettext --project=Shop \\\n"
        "        --add-comments=NOTE -o shop/translations/admin.pot shop\n", "utf-8")
    result = run("init", str(root))
    assert result.exit_code == 0, result.stderr
    config = (root / "toolkit.toml").read_text("utf-8")
    assert 'keywords = ["_gettext"]' in config and 'comment_tags = ["NOTE"]' in config
    assert f"extract {root}/babel/admin.pot again with the app's own pybabel command first" in (
        result.stdout.replace("\n", ""))

    both = tmp_path / "src"
    flask_app(both / "one")
    flask_app(both / "two")
    (both / "two" / "shop" / "translations" / "pl" / "LC_MESSAGES" / "admin.po").unlink()
    result = run("init", str(both))
    assert result.exit_code == 0, result.stderr
    config = (both / "toolkit.toml").read_text("utf-8")
    assert 'locales_dir = "one/shop/translations"' in config
    assert 'templates_dir = "one/shop/templates"' in config
    assert "catalogs also in two/shop/translations" in result.stdout

    docs = tmp_path / "manual"
    for locale in ("da", "fr"):
        folder = docs / "docs" / "locale" / locale / "LC_MESSAGES"
        folder.mkdir(parents=True)
        (folder / "index.po").write_text(HEADER.format(n=2, rule="(n != 1)"), "utf-8")
    result = run("init", str(docs))
    assert result.exit_code == 0, result.stderr
    assert (docs / "templates" / "email" / "welcome.j2").is_file()  # a new project, as before
    assert 'domain = "messages"' in (docs / "toolkit.toml").read_text("utf-8")


def test_an_app_whose_mapping_extracts_no_templates_gets_a_templates_folder_of_its_own(tmp_path):
    """privacyidea's babel.cfg maps Python code alone; init took its Angular templates in
    static/templates, and extract found no message (QA pass 81)."""
    root = flask_app(tmp_path / "app")
    (root / "babel" / "babel.ini").write_text("[ignore: static/**]\n[python: **.py]\n", "utf-8")
    result = run("init", str(root))
    assert result.exit_code == 0, result.stderr
    assert 'templates_dir = "templates"' in (root / "toolkit.toml").read_text("utf-8")
    assert "babel/babel.ini extracts no Jinja templates" in result.stdout.replace("\n", " ")


def test_odd_folder_names_give_a_configuration_that_parses(tmp_path):
    """Paths and names go into toolkit.toml as TOML strings: a quote, backslash or line break
    in a folder name (or a domain the configuration cannot name) must not break the file."""
    import tomllib

    root = tmp_path / "app"
    package = root / 'sh"op\\x\nnew'
    for locale in ("da", "pl"):
        folder = package / "translations" / locale / "LC_MESSAGES"
        folder.mkdir(parents=True)
        (folder / "admin.po").write_text(HEADER.format(n=2, rule="(n != 1)"), "utf-8")
        (folder / 'my "app".po').write_text(HEADER.format(n=2, rule="(n != 1)"), "utf-8")
    (package / "translations" / "admin.pot").write_text(HEADER.format(n=2, rule="(n != 1)"))
    (package / "templates").mkdir()
    (package / "templates" / "a.html").write_text("<p>{{ _('Hi') }}</p>\n", "utf-8")
    result = run("init", str(root))
    assert result.exit_code == 0, result.output
    table = tomllib.loads((root / "toolkit.toml").read_text("utf-8"))["tool"]["toolkit"]
    assert table["locales_dir"] == 'sh"op\\x\nnew/translations' and table["domain"] == "admin"
    assert table["pot_file"] == 'sh"op\\x\nnew/translations/templates.pot'


def test_a_django_apps_server_catalogs_win_over_its_javascript_ones(tmp_path):
    """Wagtail's admin keeps django.po and djangojs.po side by side (the JavaScript one in a
    few more locales): init took djangojs (QA pass 81). It takes the server's, and says the
    templates are Django's."""
    root = tmp_path / "site"
    for locale in ("da", "pl", "fr"):
        folder = root / "admin" / "locale" / locale / "LC_MESSAGES"
        folder.mkdir(parents=True)
        (folder / "django.po").write_text(HEADER.format(n=2, rule="(n != 1)") * 1, "utf-8")
    for locale in ("da", "pl", "fr", "lt"):
        folder = root / "admin" / "locale" / locale / "LC_MESSAGES"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "djangojs.po").write_text(HEADER.format(n=2, rule="(n != 1)"), "utf-8")
    result = run("init", str(root))
    assert result.exit_code == 0, result.stderr
    assert 'domain = "django"' in (root / "toolkit.toml").read_text("utf-8")
    assert "django.po is Django's domain" in result.stdout.replace("\n", " ")


def test_hostile_app_folders_are_searched_within_bounds(tmp_path, monkeypatch):
    """QA pass 81's adversarial pass: a FIFO Makefile hung init (and the first update of any
    project), a babel.cfg linked to /dev/zero filled the memory, 1,500 nested folders were a
    RecursionError, one wide folder used up the search before the catalogs were reached, a
    Sphinx build's index.pot was taken for the app's POT, '-k $(KW)' was written as a keyword
    the configuration refuses, and init ran in / and over a dangling toolkit.toml."""
    import os
    import tomllib

    import toolkit.adopt as adopt

    root = flask_app(tmp_path / "app")
    (root / "babel" / "admin.pot").unlink()
    os.mkfifo(root / "Makefile")
    (root / "babel.cfg").symlink_to("/dev/zero")
    (root / "babel" / "babel.sh").write_text("pybabel extract -k $(KW) -k _gettext .\n", "utf-8")
    build = root / "doc" / "_build" / "gettext"
    build.mkdir(parents=True)
    (build / "admin.pot").write_text('#: ../a.py:1\nmsgid "Welcome to the docs"\nmsgstr ""\n')
    (root / "aaa").mkdir()
    monkeypatch.chdir(root / "aaa")
    for _ in range(300):  # deeper than the search goes (30 levels)
        os.mkdir("d")
        os.chdir("d")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(adopt, "MAX_FOLDERS", 300)
    monkeypatch.setattr(adopt, "MAX_CHILDREN", 50)
    for n in range(400):  # wider than the search: breadth first still finds shop/
        (root / "aab" / f"f{n}").mkdir(parents=True)
    result = run("init", str(root))
    assert result.exit_code == 0, result.output
    table = tomllib.loads((root / "toolkit.toml").read_text("utf-8"))["tool"]["toolkit"]
    assert table["locales_dir"] == "shop/translations" and table["keywords"] == ["_gettext"]
    assert "_build" not in result.stdout and "'$(KW)'" in result.stdout
    assert "the search was bounded (300 folders" in result.stdout.replace("\n", " ")
    assert run("--project", str(root), "extract").exit_code == 0
    update = run("--project", str(root), "update", "--locale", "fr")  # a FIFO Makefile: quick
    assert update.exit_code == 0, update.output

    assert run("init", "/").exit_code == 2
    dangling = tmp_path / "dangling"
    dangling.mkdir()
    (dangling / "toolkit.toml").symlink_to("nowhere.toml")
    refused = run("init", str(dangling))
    assert refused.exit_code == 2 and "already exists" in refused.stderr


def test_without_a_mapping_file_the_whitespace_defaults_stay(tmp_path):
    """CKAN has no babel.cfg (its own extractor, in setup.py, trims {% trans %} blocks): init
    wrote jinja_trimmed = false, and the first update added 24,982 lines of untrimmed msgids
    to its 56 catalogs (QA pass 81, final check)."""
    root = flask_app(tmp_path / "app")
    (root / "babel" / "babel.ini").unlink()
    assert run("init", str(root)).exit_code == 0
    config = (root / "toolkit.toml").read_text("utf-8")
    assert "jinja_trimmed = false" not in config and "No pybabel mapping file" in config


def test_an_app_that_updates_without_fuzzy_matching_gets_fuzzy_matching_off(tmp_path):
    """SearXNG's Weblate script runs 'pybabel update -N': the printed update fuzzy-matched
    what the app's own never does ('Uptime' took the translation of 'timeout', 18 such in
    one catalog; QA pass 82). init writes fuzzy_matching = false, which update follows."""
    from toolkit.catalogs import update_catalogs
    from toolkit.config import load_config

    root = flask_app(tmp_path / "app")
    (root / "babel" / "babel.sh").write_text(
        "pybabel extract -F babel.ini -k _gettext -o admin.pot ..\n"
        "pybabel update -N \\\n  -i admin.pot -d ../shop/translations -D admin\n", "utf-8")
    result = run("init", str(root))
    assert result.exit_code == 0, result.stderr
    assert "\nfuzzy_matching = false\n" in (root / "toolkit.toml").read_text("utf-8")
    config = load_config(root)
    assert not config.fuzzy_matching
    pot = root / "reworded.pot"
    pot.write_text((root / "babel" / "admin.pot").read_text("utf-8").replace(
        'msgid "Customers"', 'msgid "Customers:"'), "utf-8")  # fmt: skip
    update_catalogs(config, ["da"], pot=pot)
    danish = (root / "shop" / "translations" / "da" / "LC_MESSAGES" / "admin.po").read_text()
    assert "#, fuzzy" not in danish and 'msgid "Customers:"\nmsgstr ""' in danish
    # setup.cfg's [update_catalog] says so too; an app that fuzzy-matches keeps the default
    (root / "babel" / "babel.sh").write_text("pybabel update -i admin.pot -d x\n", "utf-8")
    (root / "toolkit.toml").unlink()
    assert run("init", str(root)).exit_code == 0
    assert "fuzzy_matching" not in (root / "toolkit.toml").read_text("utf-8")
    (root / "setup.cfg").write_text("[update_catalog]\nno_fuzzy_matching = true\n", "utf-8")
    (root / "toolkit.toml").unlink()
    assert run("init", str(root)).exit_code == 0
    assert "\nfuzzy_matching = false\n" in (root / "toolkit.toml").read_text("utf-8")


@pytest.mark.parametrize("script", [
    "# pybabel update -N -i admin.pot -d x   (too slow)\npybabel update -i admin.pot -d x\n",
    "echo 'pybabel update' -N\n",
    "pybabel update -i admin.pot -d x; sort -N list\n",
    "pybabel extract -N -o admin.pot .\n",
    'echo "pybabel update -N"\n',
    ":: pybabel update -N\n@REM pybabel update -N\nrem pybabel update -N\n",
])
def test_a_no_fuzzy_option_outside_a_pybabel_update_is_not_one(tmp_path, script):
    """init wrote fuzzy_matching = false from a commented-out command and from an -N that
    belonged to another command (QA pass 83)."""
    from toolkit.adopt import detect

    root = flask_app(tmp_path / "app")
    (root / "babel" / "babel.sh").write_text(script, "utf-8")
    adoption = detect(root)
    assert adoption is not None and adoption.fuzzy_matching
    (root / "noxfile.py").write_text('session.run("pybabel", "update", "-N", "-d", "x")\n')
    assert not detect(root).fuzzy_matching  # (a list of Python strings is one command)
    (root / "noxfile.py").unlink()
    (root / "babel" / "babel.sh").write_text(
        "pybabel extract -o admin.pot . && pybabel update -i admin.pot -d x -N\n", "utf-8")
    assert not detect(root).fuzzy_matching  # (the second pybabel of a line)


def test_catalogs_beside_a_wide_tree_are_found_first(tmp_path, monkeypatch):
    """An app with locale/ at its top and a data/ folder of 20,000 folders: the search used
    up its bound in data/ (which sorts first) and init scaffolded a new project beside the
    app's catalogs without a word (QA pass 83). Catalog-like paths are searched first at
    each level; a bounded search that finds nothing says so."""
    import toolkit.adopt as adopt

    monkeypatch.setattr(adopt, "MAX_FOLDERS", 60)
    root = tmp_path / "app"
    (root / "locale" / "da" / "LC_MESSAGES").mkdir(parents=True)
    (root / "locale" / "da" / "LC_MESSAGES" / "messages.po").write_text(
        HEADER.format(n=2, rule="(n != 1)") + 'msgid "Hi"\nmsgstr "Hej"\n', "utf-8")
    for a in range(10):
        for b in range(10):
            (root / "data" / f"a{a}" / f"b{b}").mkdir(parents=True)
    found = adopt.detect(root)
    assert found is not None and found.locales_dir == "locale" and found.locales == ["da"]
    shutil.rmtree(root / "locale")
    notes: list[str] = []
    assert adopt.detect(root, notes=notes) is None
    assert notes and "no gettext catalogs found, but the search was bounded" in notes[0]
    result = run("init", str(root))
    assert result.exit_code == 0 and "search was bounded" in result.stdout


def test_one_folder_a_locale_is_configured(tmp_path):
    """Sphinx keeps no/ beside nb/ and a legacy zh_TW.Big5/ beside zh_TW/: init configured
    all four, though every command reads one catalog a locale and status leaves the others
    out (QA pass 83). The locale's own spelling is kept, the others noted."""
    import shutil
    import tomllib

    root = flask_app(tmp_path / "app")
    translations = root / "shop" / "translations"
    for folder in ("no", "nb", "zh_TW", "zh_TW.Big5"):
        shutil.copytree(translations / "da", translations / folder)
    result = run("init", str(root))
    assert result.exit_code == 0, result.output
    table = tomllib.loads((root / "toolkit.toml").read_text("utf-8"))["tool"]["toolkit"]
    assert table["locales"] == ["da", "nb", "pl", "zh_TW"]
    output = " ".join(result.stdout.split())
    assert "left out no/: another spelling of nb/" in output
    assert "left out zh_TW.Big5/: a catalog in a legacy codeset" in output


def test_files_linked_out_of_the_app_or_hostile_are_not_read(tmp_path):
    """A pyproject.toml, setup.cfg or POT that is a link out of the app was read as the app's
    (a mapping, keywords, the POT an update merges); a FIFO pyproject.toml hung init, one of
    arrays nested 5,000 deep raised an error naming no file, 100,000 mapping patterns took
    70 s (QA pass 83)."""
    import os

    from toolkit.adopt import detect

    root = flask_app(tmp_path / "app")
    (root / "babel" / "babel.ini").unlink()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "pyproject.toml").write_text(
        '[[tool.babel.mappings]]\nmethod = "jinja2"\npattern = "**.evil"\n', "utf-8")
    (elsewhere / "setup.cfg").write_text("[extract_messages]\nkeywords = evil_kw\n", "utf-8")
    (elsewhere / "admin.pot").write_text(
        (root / "babel" / "admin.pot").read_text("utf-8"), "utf-8")
    (root / "babel" / "admin.pot").unlink()
    for name in ("pyproject.toml", "setup.cfg"):
        (root / name).symlink_to(elsewhere / name)
    (root / "babel" / "admin.pot").symlink_to(elsewhere / "admin.pot")
    adoption = detect(root)
    assert adoption is not None
    assert (adoption.mapping, adoption.app_pot, adoption.suffixes) == (None, None, [])
    assert "evil_kw" not in adoption.keywords
    for name in ("pyproject.toml", "setup.cfg"):
        (root / name).unlink()
    os.mkfifo(root / "pyproject.toml")
    result = run("init", str(root))  # (a FIFO read would never return)
    assert result.exit_code == 0, result.output
    (root / "pyproject.toml").unlink()
    (root / "toolkit.toml").unlink()
    (root / "pyproject.toml").write_text(
        "[tool.babel]\nmappings = " + "[" * 5000 + "]" * 5000 + "\n", "utf-8")
    assert detect(root).mapping is None
    patterns = "".join(f'[[tool.babel.mappings]]\nmethod="jinja2"\npattern="*.s{n}"\n'
                       for n in range(15_000))  # fmt: skip
    (root / "pyproject.toml").write_text(patterns, "utf-8")
    adoption = detect(root)  # (each suffix looked up in a set: a list made it quadratic)
    assert adoption.mapping == "pyproject.toml" and len(adoption.suffixes) == 15_000


def test_a_mapping_in_pyproject_and_a_pot_named_after_the_app(tmp_path):
    """MoinMoin keeps pybabel's mapping in pyproject.toml ([[tool.babel.mappings]], read with
    'pybabel extract -F pyproject.toml') and its POT as MoinMoin.pot beside catalogs of the
    domain 'messages': init found neither, and the printed update made 1,168 translated
    entries obsolete (QA pass 82). A pattern naming one file adds no suffix."""
    root = tmp_path / "wiki"
    package = root / "src" / "wiki"
    (package / "templates").mkdir(parents=True)
    (package / "templates" / "page.html").write_text("<p>{{ _('Edit') }}</p>\n", "utf-8")
    (package / "templates" / "report.sql").write_text("-- {{ _('Rows') }}\n", "utf-8")
    folder = package / "translations" / "de" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "messages.po").write_text(HEADER.format(n=2, rule="(n != 1)")
                                        + 'msgid "Edit"\nmsgstr "Bearbeiten"\n', "utf-8")
    (package / "translations" / "Wiki.pot").write_text(
        'msgid ""\nmsgstr ""\n\n#: src/wiki/forms.py:3\nmsgid "Save"\nmsgstr ""\n', "utf-8")
    (root / "pyproject.toml").write_text(
        '[project]\nname = "wiki"\n\n[tool.babel.extractors]\nj = "jinja2.ext:babel_extract"\n\n'
        '[[tool.babel.mappings]]\nmethod = "python"\npattern = "**/*.py"\n\n'
        '[[tool.babel.mappings]]\nmethod = "j"\ntrimmed = true\n'
        'pattern = ["**/templates/**.html", "**/templates/**.sql", "**/templates/words.js"]\n',
        "utf-8")  # fmt: skip
    result = run("init", str(root))
    assert result.exit_code == 0, result.stderr
    config = (root / "toolkit.toml").read_text("utf-8")
    assert 'locales_dir = "src/wiki/translations"' in config
    assert "src/wiki/translations/Wiki.pot" in config
    assert 'jinja_suffixes = [".sql"]' in config and "jinja_trimmed = true" in config
    [update] = [line for line in result.stdout.splitlines() if " update --pot " in line]
    assert update.endswith("translations/Wiki.pot --pot "
                           f"{root}/src/wiki/translations/messages.pot")  # fmt: skip
    assert run("--project", str(root), "extract").exit_code == 0
    pot = (package / "translations" / "messages.pot").read_text("utf-8")
    assert 'msgid "Rows"' in pot and 'msgid "Edit"' in pot


def test_templates_the_mapping_does_not_extract_are_left_out(tmp_path):
    """ihatemoney's babel.cfg maps **/templates/**.html: extract read its feed's .xml
    template too, one message the app's next 'pybabel update' made obsolete again (QA pass
    82). Suffixes its Jinja patterns do not read are excluded, with a note."""
    root = flask_app(tmp_path / "app")
    (root / "shop" / "templates" / "admin" / "feed.xml").write_text(
        "<title>{{ _gettext('Latest orders') }}</title>\n", "utf-8")
    result = run("init", str(root))
    assert result.exit_code == 0, result.stderr
    assert "left out the app's .xml templates (1 file)" in result.stdout
    assert '"*.xml"' in (root / "toolkit.toml").read_text("utf-8")
    assert run("--project", str(root), "extract").exit_code == 0
    pot = (root / "shop" / "translations" / "admin.pot").read_text("utf-8")
    assert 'msgid "Orders"' in pot and "Latest orders" not in pot


def test_the_printed_update_works_when_the_templates_hold_no_messages(tmp_path):
    """Fava's Jinja templates call no gettext function (its messages come from TypeScript and
    Python): extract wrote an empty POT, and the printed 'update --pot APP --pot OWN' stopped
    with "has no messages" (QA pass 82). The toolkit's own empty POT merges as nothing; an
    empty app POT is still refused."""
    root = flask_app(tmp_path / "app")
    (root / "shop" / "templates" / "admin" / "index.html").write_text("<h1>{{ title }}</h1>\n")
    assert run("init", str(root)).exit_code == 0
    assert run("--project", str(root), "extract").exit_code == 0
    app_pot, own = root / "babel" / "admin.pot", root / "shop" / "translations" / "admin.pot"
    updated = run("--project", str(root), "update", "--pot", str(app_pot), "--pot", str(own))
    assert updated.exit_code == 0, updated.stderr
    danish = (root / "shop" / "translations" / "da" / "LC_MESSAGES" / "admin.po").read_text()
    assert 'msgid "Orders"\nmsgstr "Ordrer"' in danish and "#~" not in danish
    app_pot.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n')
    (own.parent / "other.pot").write_bytes(own.read_bytes())
    refused = run("--project", str(root), "update", "--pot", str(app_pot), "--pot",
                  str(own.parent / "other.pot"))  # fmt: skip
    assert refused.exit_code == 2 and "has no messages" in refused.stderr


def test_templates_beside_the_catalogs_are_found(tmp_path):
    """sphinx_rtd_theme keeps layout.html beside locale/, in no folder named templates: init
    wrote no templates_dir and extract stopped at "templates folder templates not found"
    (QA pass 82)."""
    root = tmp_path / "rtd"
    theme = root / "theme"
    (theme / "locale" / "da" / "LC_MESSAGES").mkdir(parents=True)
    (theme / "static").mkdir()
    (theme / "layout.html").write_text("<p>{{ _('Next') }}</p>\n", "utf-8")
    (theme / "static" / "x.html").write_text("<p>{{ _('Static') }}</p>\n", "utf-8")
    (theme / "locale" / "da" / "LC_MESSAGES" / "sphinx.po").write_text(
        HEADER.format(n=2, rule="(n != 1)") + 'msgid "Next"\nmsgstr "Næste"\n', "utf-8")
    (root / "babel.cfg").write_text("[jinja2: **/**.html]\n", "utf-8")
    result = run("init", str(root))
    assert result.exit_code == 0, result.stderr
    assert "templates beside the catalogs: 1 in or below theme/ (layout.html)" in result.stdout
    assert 'templates_dir = "theme"' in (root / "toolkit.toml").read_text("utf-8")
    extracted = run("--project", str(root), "extract")
    assert extracted.exit_code == 0, extracted.stderr
    pot = (theme / "locale" / "sphinx.pot").read_text("utf-8")
    assert 'msgid "Next"' in pot and "Static" not in pot


def test_templates_in_a_folder_beside_the_catalogs_and_a_quoted_keyword_list(tmp_path):
    """pydata-sphinx-theme keeps its templates in theme/pydata_sphinx_theme/ beside locale/
    and extracts with --keywords='_ __ l_ lazy_gettext' in tox.ini: init wrote no
    templates_dir (extract stopped) and the one keyword '_' (QA pass 83). Its messages now
    are pybabel's; documentation beside them is left out."""
    import tomllib

    root = tmp_path / "pst"
    package = root / "src" / "pst"
    (package / "locale" / "de" / "LC_MESSAGES").mkdir(parents=True)
    (package / "theme" / "pst" / "components").mkdir(parents=True)
    (package / "theme" / "pst" / "components" / "toc.html").write_text(
        "<p>{{ _('On this page') }} {{ __('Back to top') }}</p>\n", "utf-8")
    (package / "docs").mkdir()
    (package / "docs" / "page.html").write_text("<p>{{ _('A doc page') }}</p>\n", "utf-8")
    (package / "locale" / "de" / "LC_MESSAGES" / "sphinx.po").write_text(
        HEADER.format(n=2, rule="(n != 1)") + 'msgid "On this page"\nmsgstr "Auf dieser Seite"\n',
        "utf-8")
    (root / "babel.cfg").write_text("[python: **.py]\n[jinja2: **.html]\n", "utf-8")
    (root / "tox.ini").write_text(
        "[testenv:i18n]\ncommands =\n    pybabel extract . -F babel.cfg -o src/pst/locale/"
        "sphinx.pot --keywords='_ __ l_ lazy_gettext' \\\n    --project=pst\n", "utf-8")
    result = run("init", str(root))
    assert result.exit_code == 0, result.stderr
    table = tomllib.loads((root / "toolkit.toml").read_text("utf-8"))["tool"]["toolkit"]
    assert table["templates_dir"] == "src/pst"
    assert table["keywords"] == ["_", "__", "l_", "lazy_gettext"]
    extracted = run("--project", str(root), "extract")
    assert extracted.exit_code == 0, extracted.stderr
    pot = (package / "locale" / "sphinx.pot").read_text("utf-8")
    assert 'msgid "On this page"' in pot and 'msgid "Back to top"' in pot
    assert "A doc page" not in pot
