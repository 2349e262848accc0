"""Real human-translated catalogs (CKAN via Transifex, Liberapay via Weblate) through the
pipeline: check precision, update without losing a msgstr, MO parity with GNU msgfmt."""

from __future__ import annotations

import gettext
import io
import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from typer.testing import CliRunner

from toolkit.catalogs import mo_bytes, read_po_file, update_catalogs
from toolkit.catalogs.header import written_header_text
from toolkit.catalogs.plurals import UNMAPPED_PREFIX
from toolkit.checks import check_files
from toolkit.cli import app
from toolkit.config import load_config

from .conftest import REAL

#: (project, locale, file) of every real catalog excerpt.
CATALOGS = [
    *(("ckan", x, f"ckan/i18n/{x}/LC_MESSAGES/ckan.po") for x in ("da_DK", "lt", "fr", "pl")),
    *(("liberapay", x, f"liberapay/i18n/core/{x}.po") for x in ("da", "nb", "lt", "fr", "pl")),
]
IDS = [f"{project}-{locale}" for project, locale, _ in CATALOGS]
#: Every error-level finding on these catalogs, each a real defect (checked by a person):
#: a CSS class renamed, a broken closing tag, a support address dropped.
KNOWN_DEFECTS = {
    ("lt", "<strong>Powered by</strong>", "html-tags"): "hide-text became hide_text",
    ("fr", "The <i>data license</i>", "html-tags"): "'</ i>' is not a closing tag",
    ("pl", "Too many accounts have been", "urls"): "support@liberapay.com dropped",
}


def _project(tmp_path: Path, locale: str, source: str) -> Path:
    root = tmp_path / "p"
    po = root / "locales" / locale / "LC_MESSAGES" / "messages.po"
    po.parent.mkdir(parents=True)
    shutil.copyfile(REAL / source, po)
    (root / "templates").mkdir()
    (root / "toolkit.toml").write_text(f'locales = ["{locale}"]\n', "utf-8")
    return root


def test_every_error_on_real_catalogs_is_a_real_defect():
    report = check_files([(locale, REAL / source) for _, locale, source in CATALOGS], jobs=1)
    errors = {
        (f.locale, next(k[1] for k in KNOWN_DEFECTS if f.msgid.startswith(k[1])), f.check)
        if any(f.msgid.startswith(k[1]) for k in KNOWN_DEFECTS)
        else (f.locale, f.msgid, f.check): f.message
        for f in report.findings
        if f.severity == "error"
    }
    assert set(errors) == set(KNOWN_DEFECTS), errors
    # Foreign but valid plural rules are a warning, never an error (4-form lt/pl, French n>1).
    headers = [f for f in report.findings if f.check == "plural-header"]
    assert {f.locale for f in headers} == {"lt", "pl", "fr"}
    assert all(f.severity == "warning" for f in headers)
    # A real double space is seen.
    assert any(f.check == "double-space" and f.locale == "fr" for f in report.findings)


def _texts_after(path: Path) -> str:
    """Every msgstr and translator comment of a PO file (obsolete entries included)."""
    po = polib.pofile(str(path))
    parts = []
    for entry in [*po, *po.obsolete_entries()]:
        parts.append(entry.msgstr)
        parts.extend(entry.msgstr_plural.values())
        parts.append(entry.tcomment or "")
    return "\n".join(parts)


def _msgstrs(path: Path) -> list[str]:
    po = polib.pofile(str(path))
    found = []
    for entry in [*po, *po.obsolete_entries()]:
        found += [entry.msgstr, *entry.msgstr_plural.values()]
    return [text for text in found if text]


def _template_from(po_path: Path, pot_path: Path) -> None:
    """A POT from the catalog's msgids, as a source revision would change them: every 5th
    removed, every 7th edited, one new."""
    po = polib.pofile(str(po_path))
    pot = polib.POFile()
    pot.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    for index, entry in enumerate(po):
        if index % 5 == 4:
            continue
        msgid = entry.msgid + (" (updated)" if index % 7 == 3 else "")
        pot.append(
            polib.POEntry(
                msgid=msgid,
                msgid_plural=entry.msgid_plural,
                msgctxt=entry.msgctxt,
                msgstr_plural={0: "", 1: ""} if entry.msgid_plural else {},
                occurrences=entry.occurrences,
                flags=[f for f in entry.flags if f != "fuzzy"],
            )
        )
    pot.append(polib.POEntry(msgid="A brand new message"))
    pot.save(str(pot_path))


@pytest.mark.parametrize(("project", "locale", "source"), CATALOGS, ids=IDS)
@pytest.mark.parametrize("policy", ["keep", "cldr"])
def test_update_loses_no_msgstr(tmp_path, project, locale, source, policy):
    root = _project(tmp_path, locale, source)
    config = load_config(root)
    po = config.po_path(locale)
    _template_from(po, config.pot_path)
    before = _msgstrs(po)
    header_before = polib.pofile(str(po)).metadata.get("Plural-Forms")
    (result,) = update_catalogs(config, plural_forms=policy)
    after = _texts_after(po)
    lost = [text for text in before if text not in after and _escaped(text) not in after]
    assert not lost, lost[:3]
    subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(po)], check=True)
    header_after = polib.pofile(str(po)).metadata.get("Plural-Forms")
    if policy == "keep":
        assert _normal(header_after) == _normal(header_before)
        assert "converted" not in result.plural_forms
    # A second update changes nothing.
    again = polib.pofile(str(po))
    (second,) = update_catalogs(config, plural_forms=policy)
    assert not second.written and polib.pofile(str(po)) == again


def _escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\n", "\\n")


def _normal(header: str | None) -> str:
    return " ".join((header or "").split()).rstrip(";")


def test_lithuanian_four_forms_converted_on_request_keep_every_text(tmp_path):
    root = _project(tmp_path, "lt", "ckan/i18n/lt/LC_MESSAGES/ckan.po")
    config = load_config(root)
    po = config.po_path(locale := "lt")
    _template_from(po, config.pot_path)
    plural_before = {
        e.msgid: dict(e.msgstr_plural)
        for e in polib.pofile(str(po))
        if e.msgid_plural and any(e.msgstr_plural.values())
    }
    assert plural_before and all(len(forms) == 4 for forms in plural_before.values())
    result = CliRunner().invoke(
        app, ["--project", str(root), "update", "--locale", locale, "--plural-forms", "cldr"]
    )
    assert result.exit_code == 0, result.output
    assert "Plural-Forms converted nplurals=4 -> 3" in result.stdout
    catalog = polib.pofile(str(po))
    for entry in catalog:
        if entry.msgid in plural_before:
            old = plural_before[entry.msgid]
            # Transifex's forms: 0 one, 1 few, 2 fractions (no integer), 3 other.
            assert [entry.msgstr_plural[i] for i in range(3)] == [old[0], old[1], old[3]]
            if old[2] and old[2] not in (old[0], old[1], old[3]):
                assert "fuzzy" in entry.flags and UNMAPPED_PREFIX in entry.tcomment


@pytest.mark.parametrize(("project", "locale", "source"), CATALOGS, ids=IDS)
def test_mo_answers_every_lookup_like_msgfmt(tmp_path, project, locale, source):
    path = REAL / source
    theirs_path = tmp_path / "msgfmt.mo"
    subprocess.run(["msgfmt", "-o", str(theirs_path), str(path)], check=True)
    theirs = gettext.GNUTranslations(io.BytesIO(theirs_path.read_bytes()))
    po = read_po_file(path, locale=locale)
    header = written_header_text(po.data or b"")
    ours = gettext.GNUTranslations(io.BytesIO(mo_bytes(po.catalog, header=header)))
    # The header entry too: every field as written (X-Generator...), as msgfmt copies it.
    assert ours._catalog[""] == theirs._catalog[""]
    assert ours.info() == theirs.info()
    checked = 0
    for entry in polib.pofile(str(path)):
        if entry.obsolete or "fuzzy" in entry.flags:
            continue
        context = entry.msgctxt
        if entry.msgid_plural:
            forms = list(entry.msgstr_plural.values())
            partial = any(forms) and not all(forms)
            for n in (*range(0, 130), 1000, 1001, 100_000, 1_000_000):
                if context is None:
                    mine = ours.ngettext(entry.msgid, entry.msgid_plural, n)
                    gnu = theirs.ngettext(entry.msgid, entry.msgid_plural, n)
                else:
                    mine = ours.npgettext(context, entry.msgid, entry.msgid_plural, n)
                    gnu = theirs.npgettext(context, entry.msgid, entry.msgid_plural, n)
                if partial:
                    # Left out on purpose: the source, never an empty string, to a customer.
                    assert mine == (entry.msgid if n == 1 else entry.msgid_plural)
                else:
                    assert mine == gnu, (entry.msgid, n)
                checked += 1
        else:
            if context is None:
                assert ours.gettext(entry.msgid) == theirs.gettext(entry.msgid), entry.msgid
            else:
                assert ours.pgettext(context, entry.msgid) == theirs.pgettext(context, entry.msgid)
            checked += 1
    assert checked > 10


def test_compile_never_refuses_for_warnings_partial_plural_left_out(tmp_path):
    """A French catalog on CLDR's 3 forms with "many" (millions) left empty compiles."""
    root = _project(tmp_path, "fr", "ckan/i18n/fr/LC_MESSAGES/ckan.po")
    config = load_config(root)
    po = config.po_path("fr")
    catalog = polib.pofile(str(po))
    # Keep only entries without errors, then empty CLDR's "many" form of the plurals.
    for entry in list(catalog):
        if entry.msgid.startswith("The <i>data license</i>"):
            catalog.remove(entry)
    partial = [e for e in catalog if e.msgid_plural and all(e.msgstr_plural.values())]
    assert partial and "nplurals=3" in catalog.metadata["Plural-Forms"]
    for entry in partial:
        entry.msgstr_plural[1] = ""
    catalog.save(str(po))
    checked = CliRunner().invoke(app, ["--project", str(root), "check", "--format", "json"])
    assert checked.exit_code == 0, checked.output
    result = CliRunner().invoke(app, ["--project", str(root), "compile"])
    assert result.exit_code == 0, result.output
    assert f"{len(partial)} partly translated plural(s) left out" in result.stdout
    mo = gettext.GNUTranslations(io.BytesIO(config.mo_path("fr").read_bytes()))
    first = partial[0]
    assert mo.ngettext(first.msgid, first.msgid_plural, 2) == first.msgid_plural
