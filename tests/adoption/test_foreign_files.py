"""Files other tools wrote: xgettext templates, msginit headers, foreign plural rules."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from typer.testing import CliRunner

from toolkit.catalogs import update_catalogs
from toolkit.catalogs.plurals import (
    PluralForms,
    PluralFormsError,
    form_mapping,
    parse_plural_forms,
)
from toolkit.cli import app
from toolkit.config import load_config
from toolkit.errors import ConfigError


def _project(tmp_path: Path, locales: str = '["lt"]', extra: str = "") -> Path:
    root = tmp_path / "p"
    (root / "templates").mkdir(parents=True)
    (root / "locales").mkdir()
    (root / "toolkit.toml").write_text(f"locales = {locales}\n{extra}", "utf-8")
    return root


def test_update_from_an_xgettext_template(tmp_path):
    assert shutil.which("xgettext"), "GNU gettext (xgettext) must be installed"
    root = _project(tmp_path)
    source = tmp_path / "app.py"
    source.write_text(
        "from gettext import gettext as _, ngettext\n"
        "print(_('Hello'))\n"
        "print(ngettext('%d day', '%d days', 3) % 3)\n",
        "utf-8",
    )
    pot = root / "locales" / "messages.pot"
    subprocess.run(["xgettext", "-o", str(pot), "-k_", "-kngettext:1,2", str(source)], check=True)
    assert "nplurals=INTEGER" in pot.read_text("utf-8")
    result = CliRunner().invoke(app, ["--project", str(root), "update"])
    assert result.exit_code == 0, result.output
    po = root / "locales" / "lt" / "LC_MESSAGES" / "messages.po"
    assert "nplurals=3;" in po.read_text("utf-8")
    subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(po)], check=True)


def test_msginit_placeholder_header_is_replaced_and_said(tmp_path):
    root = _project(tmp_path)
    (root / "locales" / "messages.pot").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "a day"\nmsgid_plural "%(n)s days"\nmsgstr[0] ""\nmsgstr[1] ""\n',
        "utf-8",
    )
    po = root / "locales" / "lt" / "LC_MESSAGES" / "messages.po"
    po.parent.mkdir(parents=True)
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: lt\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        '"Plural-Forms: nplurals=INTEGER; plural=EXPRESSION;\\n"\n\n'
        'msgid "a day"\nmsgid_plural "%(n)s days"\nmsgstr[0] "diena"\nmsgstr[1] "dienos"\n',
        "utf-8",
    )
    checked = CliRunner().invoke(app, ["--project", str(root), "check"])
    assert checked.exit_code == 1 and "plural-header" in checked.output
    (result,) = update_catalogs(load_config(root))
    assert "unusable Plural-Forms replaced by CLDR's nplurals=3" == result.plural_forms
    entry = polib.pofile(str(po)).find("a day")
    assert entry.msgstr_plural[0] == "diena" and entry.msgstr_plural[1] == "dienos"


@pytest.mark.parametrize(
    ("value", "nplurals"),
    [
        ("nplurals=2; plural=n > 1;", 2),
        ("nplurals=2; plural=(n != 1)", 2),
        ("nplurals = 1; plural = 0;", 1),
        (
            "nplurals=4; plural=(n==1 ? 0 : (n%10>=2 && n%10<=4) && (n%100<12 || n%100>14) ? 1 "
            ": n!=1 && (n%10>=0 && n%10<=1) || (n%10>=5 && n%10<=9) || (n%100>=12 && "
            "n%100<=14) ? 2 : 3);",
            4,
        ),
    ],
)
def test_headers_gettext_accepts_are_valid(tmp_path, value, nplurals):
    assert parse_plural_forms(value).nplurals == nplurals
    po = tmp_path / "x.po"
    po.write_text(
        f'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        f'"Plural-Forms: {value}\\n"\n',
        "utf-8",
    )
    subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(po)], check=True)


@pytest.mark.parametrize(
    "value",
    [
        "nplurals=INTEGER; plural=EXPRESSION;",
        "nplurals=2; plural=(n != 1 ? 0 : 2);",
        "nplurals=0; plural=0;",
        "nplurals=2; plural=n >>> 1;",
        "plural=(n != 1);",
    ],
)
def test_headers_gettext_rejects_are_invalid(value):
    with pytest.raises(PluralFormsError):
        parse_plural_forms(value)


def test_form_mapping_french_weblate_to_cldr():
    weblate = PluralForms(2, "n > 1")
    cldr = PluralForms(3, "(n == 0 || n == 1) ? 0 : n != 0 && n % 1000000 == 0 ? 1 : 2")
    # one <- one; many (millions) <- other; other <- other: every mapping exact.
    assert form_mapping(weblate, cldr) == [(0, True), (1, True), (1, True)]


def test_plural_forms_config_key(tmp_path):
    root = _project(tmp_path, extra='plural_forms = "cldr"\n')
    assert load_config(root).plural_forms == "cldr"
    root2 = _project(tmp_path / "b", extra='plural_forms = "clrd"\n')
    with pytest.raises(ConfigError, match="'plural_forms' must be"):
        load_config(root2)


def test_update_rejects_an_unknown_plural_policy_on_the_command_line(tmp_path):
    root = _project(tmp_path)
    result = CliRunner().invoke(app, ["--project", str(root), "update", "--plural-forms", "x"])
    assert result.exit_code == 2


def test_long_previous_msgid_is_written_as_valid_po(tmp_path):
    """Babel word-wraps a long ``#| msgid`` as a comment, splitting its string; msgfmt and
    polib reject the file. It is written as msgmerge writes it."""
    from babel.messages.catalog import Catalog

    from toolkit.catalogs import read_catalog, write_catalog

    catalog = Catalog(locale="da")
    old = "The automatic payment of {money_amount} initiated today has succeeded, thanks."
    message = catalog.add(old.replace("thanks", "thank you"), "Betalingen lykkedes.")
    message.flags.add("fuzzy")
    message.previous_id = [old]
    path = tmp_path / "da.po"
    write_catalog(path, catalog)
    subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], check=True)
    assert polib.pofile(str(path))[0].previous_msgid == old
    assert read_catalog(path, "da").get(message.id).previous_id == [old]


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_update_keeps_header_fields_babel_drops(tmp_path, newline):
    """Weblate's X-Generator, Poedit's X-Poedit-*, a bare Project-Id-Version survive update,
    in their order, also in a file with Windows line endings (QA: a CRLF catalog got Babel's
    header)."""
    root = _project(tmp_path, '["nb_NO"]')
    (root / "locales" / "messages.pot").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Search"\nmsgstr ""\n\nmsgid "New"\nmsgstr ""\n',
        "utf-8",
    )
    po = root / "locales" / "nb_NO" / "LC_MESSAGES" / "messages.po"
    po.parent.mkdir(parents=True)
    written = (
        'msgid ""\nmsgstr ""\n"Project-Id-Version: searx\\n"\n"Language: nb_NO\\n"\n'
        '"Content-Type: text/plain; charset=UTF-8\\n"\n'
        '"Plural-Forms: nplurals=2; plural=n != 1;\\n"\n"X-Generator: Weblate 5.8\\n"\n'
        '"X-Poedit-Basepath: ../..\\n"\n"X-Poedit-SearchPath-0: templates\\n"\n\n'
        'msgid "Search"\nmsgstr "Søk"\n'
    )
    po.write_bytes(written.replace("\n", newline).encode("utf-8"))
    (result,) = update_catalogs(load_config(root))
    assert result.written and result.new == 1
    assert b"\r" not in po.read_bytes()  # written with LF, as gettext's tools do
    header = polib.pofile(str(po)).metadata
    assert list(header)[:7] == [
        "Project-Id-Version", "Language", "Content-Type", "Plural-Forms", "X-Generator",
        "X-Poedit-Basepath", "X-Poedit-SearchPath-0",
    ]  # fmt: skip
    assert "Generated-By" not in header
    assert header["X-Generator"] == "Weblate 5.8"
    assert header["X-Poedit-Basepath"] == "../.."
    assert header["X-Poedit-SearchPath-0"] == "templates"
    assert header["Project-Id-Version"] == "searx"
    assert header["Plural-Forms"] == "nplurals=2; plural=n != 1;"
    subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(po)], check=True)


def test_obsolete_copy_of_a_live_entry_is_a_warning(tmp_path):
    """SearXNG's Weblate catalogs keep '#~ msgid "Language"' next to a live "Language":
    msgfmt rejects the file, no customer sees it; a warning that says what to delete."""
    from toolkit.checks import check_files

    po = tmp_path / "da.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: da\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
        'msgid "Language"\nmsgstr "Sprog"\n\n#~ msgid "Language"\n#~ msgstr "Sprog"\n',
        "utf-8",
    )
    assert subprocess.run(["msgfmt", "-o", "/dev/null", str(po)], capture_output=True).returncode
    findings = check_files([("da", po)]).findings
    assert [(f.check, f.severity) for f in findings] == [("msgfmt", "warning")]
    assert "obsolete entry on line 10" in findings[0].message


def test_update_drops_obsolete_copies_keeping_their_text(tmp_path):
    root = _project(tmp_path, '["da"]')
    (root / "locales" / "messages.pot").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Language"\nmsgstr ""\n\nmsgid "Date"\nmsgstr ""\n',
        "utf-8",
    )
    po = root / "locales" / "da" / "LC_MESSAGES" / "messages.po"
    po.parent.mkdir(parents=True)
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: da\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
        'msgid "Language"\nmsgstr "Sprog"\n\nmsgid "Date"\nmsgstr "Dato"\n\n'
        '#~ msgid "Language"\n#~ msgstr "Sprog"\n\n#~ msgid "Date"\n#~ msgstr "Datoen"\n',
        "utf-8",
    )
    update_catalogs(load_config(root))
    subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(po)], check=True)
    catalog = polib.pofile(str(po))
    assert not catalog.obsolete_entries()
    assert 'obsolete duplicate translation: "Datoen"' in catalog.find("Date").tcomment
