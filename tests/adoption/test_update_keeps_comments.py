"""What GNOME's msgmerge-kept catalogs hold that update must write back as it was written.

The entries are cut from gnome-clocks' ``po/lt.po``, ``po/fi.po`` and ``po/ar.po`` (GPL-2.0+,
https://gitlab.gnome.org/GNOME/gnome-clocks, commit dc3d760 of 2022); QA pass on 73 of its
catalogs merged with a newer template, compared with ``msgmerge --previous`` and pybabel.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import polib
import pytest

from toolkit.catalogs import update_catalogs
from toolkit.config import load_config

HEADER = (
    "# Lithuanian translation for gnome-clocks.\n"
    "# Copyright (C) YEAR THE PACKAGE'S COPYRIGHT HOLDER\n"
    "# This file is distributed under the same license as the gnome-clocks package.\n"
    "# Aurimas Černius <aurisc4@gmail.com>, 2012-2022.\n"
    "#\n"
    'msgid ""\nmsgstr ""\n'
    '"Project-Id-Version: gnome-clocks master\\n"\n'
    '"PO-Revision-Date: 2022-03-05 21:39+0200\\n"\n'
    '"Language: lt\\n"\n'
    '"MIME-Version: 1.0\\n"\n'
    '"Content-Type: text/plain; charset=UTF-8\\n"\n'
    '"Content-Transfer-Encoding: 8bit\\n"\n'
    '"Plural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && (n"\n'
    '"%100<10 || n%100>=20) ? 1 : 2)\\n"\n\n'
)
POT = (
    'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
    '#: data/ui/window.ui:27\nmsgctxt "shortcut window"\nmsgid "Show Help"\nmsgstr ""\n\n'
    '#: src/alarm-face.vala:12\nmsgid "Add A_larm…"\nmsgstr ""\n\n'
    '#. Translators: This is used in the repeat toggle for Tuesday\n'
    '#: src/utils.vala:251\nmsgctxt "Alarm|Repeat-On|Tuesday"\nmsgid "T"\nmsgstr ""\n'
)


def _project(tmp_path: Path, po_text: str) -> tuple[Path, Path]:
    root = tmp_path / "p"
    (root / "templates").mkdir(parents=True)
    (root / "locales").mkdir()
    (root / "toolkit.toml").write_text('locales = ["lt"]\n', "utf-8")
    (root / "locales" / "messages.pot").write_text(POT, "utf-8")
    po = root / "locales" / "lt" / "LC_MESSAGES" / "messages.po"
    po.parent.mkdir(parents=True)
    po.write_text(HEADER + po_text, "utf-8")
    return root, po


def _update(root: Path) -> None:
    update_catalogs(load_config(root), pot=root / "locales" / "messages.pot")


def _msgfmt_check(po: Path) -> None:
    assert shutil.which("msgfmt"), "GNU gettext (msgfmt) must be installed"
    subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(po)], check=True)


def test_a_fuzzy_entrys_previous_msgctxt_is_kept(tmp_path):
    """msgmerge --previous writes '#| msgctxt' above '#| msgid' (104 such lines in
    gnome-clocks' 2022 catalogs); update dropped every one, with the context the old
    translation was made for."""
    root, po = _project(
        tmp_path,
        '#: data/gtk/help-overlay.ui:15\n#, fuzzy\n#| msgctxt "shortcut window"\n'
        '#| msgid "Show help"\nmsgctxt "shortcut window"\nmsgid "Show Help"\n'
        'msgstr "Rodyti žinyną"\n',
    )
    _update(root)
    text = po.read_text("utf-8")
    assert '#, fuzzy\n#| msgctxt "shortcut window"\n#| msgid "Show help"\n' in text
    [entry] = [e for e in polib.pofile(str(po)) if e.msgid == "Show Help"]
    assert (entry.previous_msgctxt, entry.previous_msgid) == ("shortcut window", "Show help")
    _msgfmt_check(po)
    before = po.read_bytes()
    _update(root)  # stable: a second run writes the same bytes
    assert po.read_bytes() == before


def test_a_fuzzy_match_from_an_entry_with_a_context_names_that_context(tmp_path):
    """Babel's fuzzy matching crosses contexts: 'Add A_larm…' took the translation of
    msgctxt 'shortcut window' 'Add an alarm'; msgmerge says so with '#| msgctxt', update
    wrote a bare '#| msgid' as if the old entry had had no context."""
    root, po = _project(
        tmp_path,
        '#: data/gtk/help-overlay.ui:40\nmsgctxt "shortcut window"\nmsgid "Add an alarm"\n'
        'msgstr "Pridėti žadintuvą"\n',
    )
    _update(root)
    [entry] = [e for e in polib.pofile(str(po)) if e.msgid == "Add A_larm…"]
    assert entry.fuzzy and entry.msgstr == "Pridėti žadintuvą"
    assert (entry.previous_msgctxt, entry.previous_msgid) == ("shortcut window", "Add an alarm")
    _msgfmt_check(po)


def test_the_header_comment_is_kept_as_written(tmp_path):
    """The header's comment lines belong to the catalog's translators: update rewrapped the
    GNOME licence line at 76 columns and replaced msginit's 'YEAR' with a year (a catalog
    that changed for another reason: a new entry)."""
    root, po = _project(tmp_path, "")
    _update(root)
    text = po.read_text("utf-8")
    assert text.startswith(HEADER.split('msgid ""')[0])


def test_the_header_comment_stays_when_an_empty_language_header_gets_plural_forms(tmp_path):
    """Zulip's Transifex placeholder catalog (locale/no/LC_MESSAGES/django.po: 'Language: '
    empty, no Plural-Forms, msginit's YEAR): update set Plural-Forms and wrote the year in
    place of YEAR, and 'charset=UTF-8' as 'utf-8' (QA pass 64); the catalog had no locale
    for Babel, and was taken for a template."""
    header = HEADER.replace('"Language: lt\\n"\n', '"Language: \\n"\n')
    header = header[: header.index('"Plural-Forms')] + "\n"
    root, po = _project(tmp_path, "")
    po.write_text(header, "utf-8")
    _update(root)
    text = po.read_text("utf-8")
    assert text.startswith(header.split('msgid ""')[0])  # YEAR, as written
    assert '"Content-Type: text/plain; charset=UTF-8\\n"' in text
    assert '"Plural-Forms: nplurals=3; plural=' in text
    _msgfmt_check(po)


@pytest.mark.parametrize(
    "comment",
    [
        "Ohjelmoija oikaissut ja käyttää samaa yhden merkin lyhennettä sekä ti että to. "
        "Kysytty muutoksesta / ratkaisuehdotuksesta.",
        "auto translated by TM merge from project: system-config-printer, version: "
        "1.1.16-23, DocId: system-config-printer",
    ],
)
def test_a_long_translator_comment_stays_one_line(tmp_path, comment):
    """A translator comment longer than 76 columns (fi.po, bn_IN.po) was word-wrapped into
    two comment lines: read back (polib, msgmerge, Weblate) it was another comment, with a
    line break the translator never wrote. msgmerge keeps comments as written."""
    root, po = _project(
        tmp_path,
        f"# {comment}\n"
        "#. Translators: This is used in the repeat toggle for Tuesday\n"
        '#: src/utils.vala:176\nmsgctxt "Alarm|Repeat-On|Tuesday"\nmsgid "T"\nmsgstr "Ti"\n',
    )
    _update(root)
    [entry] = [e for e in polib.pofile(str(po)) if e.msgid == "T"]
    assert entry.tcomment == comment
    _msgfmt_check(po)


def test_the_language_header_keeps_its_spelling(tmp_path):
    """gnome-clocks' Valencian catalog (po/ca@valencia.po) says 'Language: ca-valencia';
    update rewrote it as Babel's 'ca_valencia' (msgmerge keeps it; the header's fields are
    the file's)."""
    root, po = _project(tmp_path, "")
    valencian = root / "locales" / "ca@valencia" / "LC_MESSAGES" / "messages.po"
    valencian.parent.mkdir(parents=True)
    valencian.write_text(
        po.read_text("utf-8").replace("Language: lt", "Language: ca-valencia")
        .replace("nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && (n\"\n"
                 "\"%100<10 || n%100>=20) ? 1 : 2)", "nplurals=2; plural=n != 1;"),
        "utf-8",
    )  # fmt: skip
    update_catalogs(
        load_config(root), ["ca@valencia"], pot=root / "locales" / "messages.pot"
    )
    text = valencian.read_text("utf-8")
    assert '"Language: ca-valencia\\n"' in text and "nplurals=2;" in text
    _msgfmt_check(valencian)


def test_obsolete_entries_keep_their_flags(tmp_path):
    """msgmerge keeps an obsolete entry's flags ('#, c-format' above gnome-clocks' '#~ msgid
    "Failed to show help: %s"', 105 in its 2022 catalogs); update kept only 'fuzzy', both
    for '#~' entries and for entries it made obsolete. Babel's own guess from the msgid
    ('50% off' looks %-formatted) is not written."""
    root, po = _project(
        tmp_path,
        '#: src/window.vala:120\n#, c-format\nmsgid "Failed to show help: %s"\n'
        'msgstr "Nepavyko parodyti žinyno: %s"\n\n'
        '#, python-format\n#~ msgid "%(n)s alarms"\n#~ msgstr "%(n)s žadintuvai"\n\n'
        '#~ msgid "50% off"\n#~ msgstr "50% nuolaida"\n\n'
        '#, fuzzy, c-format\n#~ msgid "Alarm %s"\n#~ msgstr "Žadintuvas %s"\n',
    )
    _update(root)
    text = po.read_text("utf-8")
    assert '#, c-format\n#~ msgid "Failed to show help: %s"\n' in text
    assert '#, python-format\n#~ msgid "%(n)s alarms"\n' in text
    assert '\n\n#~ msgid "50% off"\n' in text
    assert '#, c-format, fuzzy\n#~ msgid "Alarm %s"\n' in text
    obsolete = {e.msgid: e.flags for e in polib.pofile(str(po)) if e.obsolete}
    assert obsolete["Failed to show help: %s"] == ["c-format"]
    _msgfmt_check(po)
    before = po.read_bytes()
    _update(root)
    assert po.read_bytes() == before


def test_an_obsolete_entrys_previous_msgid_is_kept(tmp_path):
    """msgmerge --previous and Weblate write '#~| msgid' above a fuzzy obsolete entry (9 of
    1,720 real catalogs; gnome-clocks' too); update left those lines out, and an entry it
    made obsolete lost its '#| msgid' on the way."""
    root, po = _project(
        tmp_path,
        '#, fuzzy\n#~| msgctxt "shortcut window"\n#~| msgid "Stopwatch"\n'
        '#~ msgctxt "shortcut window"\n#~ msgid "Stopwatch mode"\n#~ msgstr "Chronometras"\n\n'
        '#: src/utils.vala:9\n#, fuzzy\n#| msgid "Alarm ringing"\nmsgid "Alarm is ringing"\n'
        'msgstr "Skamba žadintuvas"\n',
    )
    _update(root)
    text = po.read_text("utf-8")
    assert (
        '#, fuzzy\n#~| msgctxt "shortcut window"\n#~| msgid "Stopwatch"\n'
        '#~ msgctxt "shortcut window"\n#~ msgid "Stopwatch mode"\n'
    ) in text
    assert '#, fuzzy\n#~| msgid "Alarm ringing"\n#~ msgid "Alarm is ringing"\n' in text
    from toolkit.catalogs import read_catalog

    old = {m.id: m for m in read_catalog(po).obsolete.values()}  # (polib skips '#~|')
    assert old["Stopwatch mode"].previous_id == ["Stopwatch"]
    _msgfmt_check(po)
    before = po.read_bytes()
    _update(root)
    assert po.read_bytes() == before
