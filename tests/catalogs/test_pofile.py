"""The one read of a PO file: syntax, layout facts and Babel's parse from one pass."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.catalogs import (
    Entry,
    msgid_of,
    parse_po_file,
    read_catalog,
    read_po_file,
    serialize_catalog,
    update_catalogs,
)
from toolkit.checks import check_catalogs
from toolkit.compile import compile_catalogs
from toolkit.errors import CatalogError
from toolkit.extract import extract_messages

from .helpers import count_po_reads, msgfmt_check, translate

PO = b"""\
# Translator notes stay.
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && "
"(n%100<10 || n%100>=20) ? 1 : 2);\\n"

#, fuzzy
#| msgid "Old "
#| "text"
msgid "New text"
msgstr "Naujas tekstas"

msgid "Day"
msgid_plural "Days"
msgstr[0] "Diena"
msgstr[1] "Dienos"
"""

END = len(PO.splitlines())


def test_one_pass_gives_catalog_and_layout_as_written(tmp_path):
    po = parse_po_file(PO, path=tmp_path / "lt.po", locale="lt")
    layout = po.layout
    assert layout.header_line == 2
    assert layout.header["plural-forms"].startswith("nplurals=3; plural=(n%10==1")
    plural_line = PO.decode().splitlines().index('msgid "Day"') + 1
    # Babel pads the plural entry to three forms; the layout keeps the two written.
    assert layout.forms == {plural_line: 2}
    entry = next(e for e in po.entries() if e.plural)
    assert (entry.form_count, len(entry.strings), entry.line) == (2, 3, plural_line)
    assert [msgid_of(m) for m in po.catalog if m.id] == ["New text", "Day"]


def test_previous_msgid_is_restored_and_written_once(tmp_path):
    path = tmp_path / "lt.po"
    path.write_bytes(PO)
    catalog = read_catalog(path, "lt")
    message = catalog.get("New text")
    assert message.previous_id == ["Old text"]
    assert message.user_comments == []
    text = serialize_catalog(catalog).decode()
    assert text.count("Old ") == 1 and "# |" not in text
    path.write_text(text, "utf-8")
    assert read_catalog(path, "lt").get("New text").previous_id == ["Old text"]
    msgfmt_check(path)


def test_entry_view_on_babel_model():
    catalog = parse_po_file(PO, path=Path("lt.po"), locale="lt").catalog
    entry = Entry.from_message(catalog.get("New text"))
    assert (entry.msgid, entry.msgid_plural, entry.fuzzy, entry.translated) == (
        "New text",
        None,
        True,
        True,
    )
    assert entry.provenance is None


@pytest.mark.parametrize(
    ("text", "line", "what"),
    [
        (PO + b'msgid "x"\nmsgstr "unterminated\n', END + 2, "unterminated or badly escaped"),
        (PO + b'\nmsgid "New text"\nmsgstr "again"\n', END + 2, "duplicate message definition"),
        (PO + b"\nbogus\n", END + 2, "unknown keyword"),
        (PO + b'msgid "x"\nmsgstrx "y"\n', END + 2, "unknown keyword 'msgstrx'"),
        (PO + b'msgid "x"\nmsgid_plural "xs"\nmsgstr[0] "y\n', END + 3, "unterminated or badly"),
        (b'msgstr "orphan"\n' + PO, 1, "msgstr without msgid"),
    ],
)
def test_syntax_errors_carry_their_line(tmp_path, text, line, what):
    with pytest.raises(CatalogError) as caught:
        parse_po_file(text, path=tmp_path / "lt.po", locale="lt")
    assert caught.value.line == line and what in str(caught.value)


def test_missing_file_says_what_to_run(tmp_path):
    with pytest.raises(CatalogError, match="toolkit update"):
        read_po_file(tmp_path / "da.po")
    with pytest.raises(CatalogError, match="toolkit extract"):
        read_po_file(tmp_path / "messages.pot")


@pytest.fixture
def po_reads(project, monkeypatch) -> Counter[str]:
    """Translated catalogs of the project; counts file reads of each locale's PO from now on."""
    extract_messages(project)
    update_catalogs(project)
    translate(project.po_path("lt"), "lt", {"Hi %(first_name)s,": "Sveiki, %(first_name)s,"})
    return count_po_reads(monkeypatch)


def test_check_reads_each_catalog_once(project, po_reads):
    report = check_catalogs(project)
    assert len(report.catalogs) == len(project.locales) >= 2
    assert po_reads == {locale: 1 for locale in project.locales}


def test_compile_reads_each_catalog_once_for_checks_and_mo(project, po_reads):
    results = compile_catalogs(project)
    assert all(r.path.exists() for r in results)
    assert po_reads == {locale: 1 for locale in project.locales}


def test_update_reads_each_catalog_once_to_merge_and_compare(project, po_reads):
    (project.templates_path / "extra.txt").write_text("{{ _('One more string') }}\n", "utf-8")
    extract_messages(project)
    results = update_catalogs(project)
    assert all(r.written and r.new == 1 for r in results)
    assert po_reads == {locale: 1 for locale in project.locales}


def test_lines_split_at_newlines_only_as_gettext_does(tmp_path):
    # U+2028 and form feed are line breaks to str.splitlines(), not to gettext or Babel.
    path = tmp_path / "da.po"
    header = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
    path.write_bytes((header + 'msgid "a"\nmsgstr "x\u2028y\x0cz"\n').encode())
    msgfmt_check(path)
    assert read_catalog(path, "da").get("a").string == "x\u2028y\x0cz"


_TEXT = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=40
)


@settings(max_examples=60, deadline=None)
@given(
    entries=st.lists(
        st.tuples(_TEXT.filter(bool), _TEXT, st.none() | _TEXT.filter(bool), st.booleans()),
        max_size=6,
        unique_by=lambda e: (e[2], e[0]),
    )
)
def test_what_we_write_we_read_back_exactly(entries):
    """The strict read accepts every catalog the write produces, with the same content."""
    catalog = Catalog(locale="da")
    for msgid, msgstr, context, plural in entries:
        if plural:
            catalog.add((msgid, msgid + "s"), (msgstr, msgstr), context=context)
        else:
            catalog.add(msgid, msgstr, context=context)
    po = parse_po_file(serialize_catalog(catalog), path=Path("da.po"), locale="da")
    read = [(m.id, m.string, m.context) for m in po.catalog if m.id]
    assert read == [(m.id, m.string, m.context) for m in catalog if m.id]
    assert all(e.form_count == 2 for e in po.entries() if e.plural)


def _two_contexts(first: str, second: str) -> bytes:
    from toolkit.catalogs import serialize_catalog

    catalog = Catalog(locale="da")
    catalog.add("Open", "Åbn", context=first)
    catalog.add("Open", "Åbn", context=second)
    return serialize_catalog(catalog)


def test_long_contexts_wrapped_over_lines_are_told_apart(tmp_path):
    """A msgctxt longer than the line is written over several lines; two that differ only
    after the first line are two messages (they were refused as duplicates)."""
    from toolkit.catalogs.reader import _fast_entries

    data = _two_contexts("x" * 80 + " first", "x" * 80 + " second")
    assert data.count(b'msgctxt ""\n') == 2
    assert len(parse_po_file(data, path=Path("da.po"), locale="da").entries()) == 2
    fast = _fast_entries(data, Path("da.po"), "da")
    assert fast is not None and len(fast.entries) == 2
    (tmp_path / "da.po").write_bytes(data)
    msgfmt_check(tmp_path / "da.po")  # GNU gettext agrees: two messages


def test_the_same_context_wrapped_differently_is_a_duplicate():
    data = _two_contexts("x" * 80 + " same", "x" * 80 + " same!").replace(b" same!", b" same")
    rewrapped = data.replace(b'msgctxt ""\n"' + b"x" * 40, b'msgctxt "' + b"x" * 40, 1)
    assert rewrapped != data and rewrapped.count(b'msgctxt ""\n') == 1
    data = rewrapped  # the first entry's context on one line less, the same text
    with pytest.raises(CatalogError, match="duplicate message definition"):
        parse_po_file(data, path=Path("da.po"), locale="da")
