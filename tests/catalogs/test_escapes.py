"""Octal and hex escapes in PO strings are read as GNU msgfmt reads them: the compiled MO says
what msgfmt's says, the checks see the real characters, and ``update`` keeps the meaning."""

from __future__ import annotations

import gettext
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.catalogs.escapes import EscapeError, join_parts
from toolkit.catalogs.pofile import parse_po_file_full
from toolkit.catalogs.reader import parse_po_entries
from toolkit.errors import CatalogError

HEADER = (
    'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
    '"Plural-Forms: nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && '
    '(n%100<10 || n%100>=20) ? 1 : 2);\\n"\n\n'
)
ENTRIES = (
    '#: templates/a.html:1\nmsgid "Cafe"\nmsgstr "Kawiarnia caf\\303\\251"\n\n'
    '#: templates/a.html:2\nmsgid "Split"\nmsgstr ""\n"Zam\\303"\n"\\263wienie \\x41\\101"\n\n'
    '#: templates/a.html:3\nmsgid "Back"\nmsgstr "a\\\\303 \\"b\\" \\x4a"\n\n'
    '#: templates/a.html:4\nmsgid "One file"\nmsgid_plural "Files"\n'
    'msgstr[0] "Plik \\305\\274"\nmsgstr[1] "Pliki"\nmsgstr[2] "Plik\\303\\263w"\n'
)
EXPECTED = {
    "Cafe": "Kawiarnia café",
    "Split": "Zamówienie AA",
    "Back": 'a\\303 "b" J',
}


def msgfmt_texts(po: Path, tmp_path: Path) -> dict[str, str]:
    mo = tmp_path / "ref.mo"
    subprocess.run(["msgfmt", "-o", str(mo), str(po)], check=True)
    with mo.open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)
    return {msgid: catalog.gettext(msgid) for msgid in EXPECTED}


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext is not installed")
def test_both_readers_read_escapes_as_msgfmt_does(tmp_path: Path) -> None:
    po = tmp_path / "pl.po"
    po.write_text(HEADER + ENTRIES, "utf-8")
    assert msgfmt_texts(po, tmp_path) == EXPECTED
    data = po.read_bytes()
    full = parse_po_file_full(data, path=po, locale="pl").catalog
    assert {m.id: m.string for m in full if m.id in EXPECTED} == EXPECTED
    assert full.get(("One file", "Files")).string == ("Plik ż", "Pliki", "Plików")
    fast = parse_po_entries(data, path=po, locale="pl")
    assert {e.msgid: e.strings[0] for e in fast.entries if e.msgid in EXPECTED} == EXPECTED


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext is not installed")
def test_compile_and_update_keep_what_the_escapes_say(cli, project_dir: Path) -> None:
    assert cli("extract").exit_code == 0
    assert cli("update", "--locale", "da").exit_code == 0
    po = project_dir / "locales/da/LC_MESSAGES/messages.po"
    (project_dir / "templates" / "a.html").write_text(
        '{{ _("Cafe") }}{{ _("Split") }}{{ _("Back") }}'
        '{{ ngettext("One file", "Files", n) }}', "utf-8"
    )  # fmt: skip
    assert cli("extract").exit_code == 0
    danish = ENTRIES.replace('\nmsgstr[2] "Plik\\303\\263w"', "")  # two forms
    po.write_text(po.read_text("utf-8") + "\n" + danish, "utf-8")
    before = msgfmt_texts(po, project_dir)
    assert before == EXPECTED
    compiled = cli("compile", "--locale", "da")
    assert compiled.exit_code == 0, compiled.output
    with (po.parent / "messages.mo").open("rb") as handle:
        ours = gettext.GNUTranslations(handle)
    assert {msgid: ours.gettext(msgid) for msgid in EXPECTED} == EXPECTED
    result = cli("update", "--locale", "da")
    assert result.exit_code == 0, result.output
    assert "caf\\303" not in po.read_text("utf-8")  # written as the characters themselves
    assert msgfmt_texts(po, project_dir) == before


def test_a_control_character_written_in_octal_is_found(cli, project_dir: Path) -> None:
    assert cli("extract").exit_code == 0
    assert cli("update", "--locale", "da").exit_code == 0
    po = project_dir / "locales/da/LC_MESSAGES/messages.po"
    text = po.read_text("utf-8")
    msgid, empty = 'msgid "See what you can do with them."', 'msgstr ""'
    assert msgid + "\n" + empty in text
    po.write_text(text.replace(msgid + "\n" + empty, msgid + '\nmsgstr "Sendt\\033[2J"', 1))
    result = cli("check", "--locale", "da", "--select", "control-characters", "--no-cache")
    assert result.exit_code == 1
    assert "U+001B" in result.output


@pytest.mark.parametrize("reader", ["fast", "full"])
def test_escapes_that_are_no_utf8_are_refused_with_their_line(tmp_path: Path, reader: str) -> None:
    po = tmp_path / "pl.po"
    po.write_text(HEADER + 'msgid "a"\nmsgstr "b"\n\nmsgid "c"\nmsgstr "x\\377y"\n', "utf-8")
    read = parse_po_entries if reader == "fast" else parse_po_file_full
    with pytest.raises(CatalogError, match="not UTF-8") as caught:
        read(po.read_bytes(), path=po, locale="pl")
    assert caught.value.line == 9  # the entry's msgid line


PLAIN = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters='"\\'))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(PLAIN, st.sampled_from(["\\n", "\\t", '\\"', "\\\\", "\\q"])),
                max_size=8))  # fmt: skip
def test_without_byte_escapes_the_text_is_babels(pieces: list[str]) -> None:
    from babel.messages.pofile import unescape

    parts = [f'"{piece}"' for piece in pieces]
    assert join_parts(parts) == "".join(map(unescape, parts))


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=20), st.integers(1, 4))
def test_any_text_written_as_octal_bytes_reads_back(text: str, cut: int) -> None:
    """Every byte as ``\\ooo`` (or ``\\xhh``), cut across lines anywhere: the same text."""
    data = text.encode("utf-8")
    escaped = [f"\\{b:03o}" if i % 2 else f"\\x{b:02x}" for i, b in enumerate(data)]
    parts = ['"' + "".join(escaped[i : i + cut]) + '"' for i in range(0, len(escaped), cut)]
    assert join_parts(parts or ['""']) == text


def test_bytes_that_are_no_text_raise() -> None:
    with pytest.raises(EscapeError):
        join_parts(['"\\303"'])  # half a character


def test_bad_escapes_where_msgfmt_does_not_look_stop_nothing(tmp_path: Path) -> None:
    """A '#| msgid' with \\377 crashed compile, check, status and xliff export (a traceback),
    and an obsolete entry with one refused the whole catalog; msgfmt compiles both files
    (QA pass 57, review). Such text stays as written."""
    po = tmp_path / "pl.po"
    po.write_text(HEADER + '#, fuzzy\n#| msgid "ol\\377d"\nmsgid "new"\nmsgstr "nowy"\n\n'
                  '#~ msgid "gone"\n#~ msgstr "old\\377"\n', "utf-8")  # fmt: skip
    for read in (parse_po_entries, parse_po_file_full):
        read(po.read_bytes(), path=po, locale="pl")  # no error
    catalog = parse_po_file_full(po.read_bytes(), path=po, locale="pl").catalog
    assert [m.string for m in catalog.obsolete.values()] == ["old\\377"]
    assert catalog.get("new").previous_id == ["ol\\377d"]
