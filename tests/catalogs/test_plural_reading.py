"""Catalogs msgfmt accepts are read (QA pass 12 on SecureDrop and Flask-Admin): one such
catalog used to stop update, check, compile and status for the whole project."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from toolkit.catalogs import read_po_entries, read_po_file
from toolkit.checks import check_files
from toolkit.errors import CatalogError

HEADER = 'msgid ""\nmsgstr ""\n{fields}"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
KHMER = HEADER.format(fields='"Language: km\\n"\n"Plural-Forms: nplurals=1; plural=0;\\n"\n')
PLURAL = 'msgid "{{n}} file"\nmsgid_plural "{{n}} files"\nmsgstr[0] "{0}"\nmsgstr[1] "{1}"\n'


def msgfmt_accepts(path: Path) -> bool:
    done = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)],
                          capture_output=True)  # fmt: skip
    return done.returncode == 0


def write(tmp_path: Path, text: str, name: str = "km") -> Path:
    path = tmp_path / f"{name}.po"
    path.write_text(text, "utf-8")
    return path


def test_empty_forms_beyond_the_rule_are_read_as_msgfmt_reads_them(tmp_path):
    """SecureDrop's Khmer: nplurals=1, and untranslated plural entries with msgstr[0] and
    msgstr[1]. msgfmt accepts it; both readers read it, with the empty extra form dropped."""
    path = write(tmp_path, KHMER + PLURAL.format("", ""))
    assert msgfmt_accepts(path)
    po = read_po_file(path, locale="km")
    assert po.catalog.get(("{n} file", "{n} files")).string == ("",)
    [entry] = read_po_entries(path, locale="km").entries
    assert entry.strings == ("",) and entry.form_count == 2
    report = check_files([("km", path)])
    assert not [f for f in report.findings if f.severity == "error"], report.findings


def test_a_translated_form_beyond_the_rule_is_an_error_naming_the_rule(tmp_path):
    path = write(tmp_path, KHMER + PLURAL.format("{n} ឯកសារ", "{n} ឯកសារ"))
    assert not msgfmt_accepts(path)
    with pytest.raises(CatalogError) as raised:
        read_po_file(path, locale="km")
    assert "nplurals=1" in str(raised.value) and raised.value.line == 7  # the entry


def test_a_catalog_without_plural_forms_is_read_by_its_locales_rule(tmp_path):
    """Flask-Admin's Serbian: no Plural-Forms, 'Language: sr_SP' (no CLDR locale), three forms
    per entry. Babel read it with 2 forms and refused the third; the catalog's locale (its
    folder) has CLDR's 3, as check and compile judge it."""
    text = HEADER.format(fields='"Language: sr_SP\\n"\n') + (
        'msgid "Record was deleted."\nmsgid_plural "%(count)s records were deleted."\n'
        'msgstr[0] "%(count)s zapis je obrisan."\nmsgstr[1] "%(count)s zapisa su obrisana."\n'
        'msgstr[2] "%(count)s zapisa je obrisano."\n'
    )
    path = write(tmp_path, text, "sr")
    po = read_po_file(path, locale="sr")
    assert po.catalog.num_plurals == 3
    assert (
        len(po.catalog.get(("Record was deleted.", "%(count)s records were deleted.")).string) == 3
    )
    [entry] = read_po_entries(path, locale="sr").entries
    assert len(entry.strings) == 3
    found = {f.check: f.severity for f in check_files([("sr", path)]).findings}
    assert found["plural-header"] == "error"  # translated plural entries need the header
    assert "plural-forms" not in found


def test_untranslated_plural_entries_are_no_errors(tmp_path):
    """msgfmt accepts an untranslated plural entry with any number of forms, and a missing
    Plural-Forms while no plural entry is translated (Slovenian and Uzbek catalogs of
    SecureDrop): a warning at most, not an error."""
    slovene = HEADER.format(fields='"Plural-Forms: nplurals=4; plural=(n%100==1 ? 0 : n%100==2'
                            ' ? 1 : n%100==3 || n%100==4 ? 2 : 3);\\n"\n')  # fmt: skip
    no_header = HEADER.format(fields="")
    for name, text in (("sl", slovene), ("uz", no_header)):
        path = write(tmp_path, text + PLURAL.format("", ""), name)
        assert msgfmt_accepts(path)
        errors = [f for f in check_files([(name, path)]).findings if f.severity == "error"]
        assert errors == [], errors
    # Translated, the same entries are errors, as msgfmt says.
    path = write(tmp_path, slovene + PLURAL.format("{n} datoteka", "{n} datoteki"), "sl")
    assert not msgfmt_accepts(path)
    found = [f for f in check_files([("sl", path)]).findings if f.check == "plural-forms"]
    assert [f.severity for f in found] == ["error"]
    assert "add the missing msgstr[n]" in found[0].message


@pytest.mark.parametrize(
    "entry",
    [
        "#, fuzzy\n" + PLURAL.format("{n} ឯកសារ", "{n} ឯកសារ"),  # fuzzy: not checked
        PLURAL.format("", "{n} ឯកសារ"),  # msgstr[0] empty: untranslated to msgfmt
        "".join(f"#~ {line}\n" for line in PLURAL.format("a", "b").splitlines()),
    ],
)
def test_extra_forms_msgfmt_does_not_check_are_read_and_their_text_kept(tmp_path, entry):
    """QA pass 13: a fuzzy or obsolete entry, or one whose msgstr[0] is empty, with a text in
    a form beyond the rule: msgfmt accepts the file, so the toolkit reads it; the text goes
    into a translator comment (as the rule's conversion keeps one) instead of being lost."""
    path = write(tmp_path, KHMER + entry)
    assert msgfmt_accepts(path)
    po = read_po_file(path, locale="km")
    messages = list(po.catalog) + list(po.catalog.obsolete.values())
    [message] = [m for m in messages if m.id]
    assert len(message.string) == 1
    assert any(c.startswith("plural form not mapped: msgstr[1] was") for c in message.user_comments)
    errors = [f for f in check_files([("km", path)]).findings if f.severity == "error"]
    assert errors == [], errors


@pytest.mark.parametrize(
    "entry",
    ["#, fuzzy\n" + PLURAL.format("{n} Datei", "{n} Dateien"), PLURAL.format("", "{n} Dateien")],
)
def test_a_missing_header_is_a_warning_while_msgfmt_counts_no_plural_entry_translated(
    tmp_path, entry
):
    """A fuzzy plural entry, or one whose msgstr[0] is empty, is no translation to msgfmt:
    the catalog passes without Plural-Forms, so check warns and compile goes on (QA pass 14)."""
    path = write(tmp_path, HEADER.format(fields="") + entry, "de")
    assert msgfmt_accepts(path)
    found = {f.check: f.severity for f in check_files([("de", path)]).findings}
    assert found["plural-header"] == "warning"
    assert "error" not in found.values(), found
