"""Editing one PO entry in place: every other byte stays; Babel and msgfmt read the result."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

from babel.messages.pofile import read_po
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.review.po_edit import edit_entry, scan_entries

PO = (
    b'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
    b'"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
    b"# mt: argos en->da 1.0 score=-0.20\n#. part: sms\n#: a.j2:1\n#, fuzzy\n"
    b'#| msgid "Old"\nmsgid "Hello"\nmsgstr "Hej"\n\n'
    b'msgctxt "menu"\nmsgid "File"\nmsgstr ""\n"Fil"\n\n'
    b'msgid "One day"\nmsgid_plural "%(n)s days"\nmsgstr[0] "En dag"\nmsgstr[1] "%(n)s dage"\n\n'
    b'#~ msgid "Gone"\n#~ msgstr "V\xc3\xa6k"\n'
)


def lines_of(data: bytes) -> list[bytes]:
    return data.splitlines(keepends=True)


def apply(data: bytes, index: int, **changes: object) -> bytes:
    lines = lines_of(data)
    block = scan_entries(lines)[index]
    options = {
        "strings": ["Hej"],
        "plural": False,
        "flags": [],
        "translator_comments": [],
        "drop_previous": False,
    } | changes
    new = edit_entry(lines, block, **options)  # type: ignore[arg-type]
    return b"".join(lines[: block.start] + new + lines[block.end :])


def test_scan_finds_entries_and_skips_header_blocks_and_obsolete() -> None:
    blocks = scan_entries(lines_of(PO))
    assert [b.msgid_line for b in blocks] == [1, 11, 15, 19]
    catalog = read_po(io.BytesIO(PO))
    assert sorted(m.lineno for m in catalog if m.id) == [11, 15, 19]


def test_unchanged_entry_gives_identical_bytes() -> None:
    same = apply(
        PO, 1, strings=["Hej"], flags=["fuzzy"],
        translator_comments=["mt: argos en->da 1.0 score=-0.20"],
    )
    assert same == PO
    plural = apply(PO, 3, strings=["En dag", "%(n)s dage"], plural=True)
    assert plural == PO


def test_approve_rewrites_only_flag_previous_and_comment_lines() -> None:
    out = apply(
        PO, 1, strings=["Hej!"], flags=[], drop_previous=True,
        translator_comments=["mt: argos en->da 1.0 score=-0.20", "reviewed: Ana, 2026-11-30"],
    )
    assert out == PO.replace(
        b"# mt: argos en->da 1.0 score=-0.20\n#. part: sms\n#: a.j2:1\n#, fuzzy\n"
        b'#| msgid "Old"\nmsgid "Hello"\nmsgstr "Hej"\n',
        b"# mt: argos en->da 1.0 score=-0.20\n# reviewed: Ana, 2026-11-30\n#. part: sms\n"
        b'#: a.j2:1\nmsgid "Hello"\nmsgstr "Hej!"\n',
    )


def test_flags_are_added_after_references_and_crlf_is_kept() -> None:
    crlf = PO.replace(b"\n", b"\r\n")
    out = apply(crlf, 2, strings=["Arkiv"], flags=["fuzzy"])
    assert b'#, fuzzy\r\nmsgctxt "menu"\r\nmsgid "File"\r\nmsgstr "Arkiv"\r\n' in out
    restored = out.replace(b'#, fuzzy\r\nmsgctxt', b"msgctxt")
    assert restored.replace(b'"Arkiv"', b'""\r\n"Fil"') == crlf


def test_long_strings_wrap_like_babel_unless_the_file_does_not_wrap() -> None:
    long = "ord " * 30
    wrapped = apply(PO, 2, strings=[long])
    assert b'msgstr ""\n"ord ord' in wrapped
    unwrapped_po = PO.replace(b'msgstr ""\n"Fil"', b'msgstr "' + b"x" * 90 + b'"')
    out = apply(unwrapped_po, 2, strings=[long])
    assert ('msgstr "' + long + '"\n').encode() in out


def test_file_without_final_newline() -> None:
    data = (
        b'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        b'msgid "a"\nmsgstr "b"'
    )
    assert apply(data, 1, strings=["c"]).endswith(b'msgstr "c"')


texts = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\x00")
    | st.sampled_from(["\n", "\t", '"', "\\", "%", "ė", "æ"]),
    max_size=120,
)


@settings(max_examples=60, deadline=None)
@given(singular=texts, other=texts)
def test_round_trip_through_babel_keeps_text_and_other_entries(singular: str, other: str) -> None:
    out = apply(PO, 3, strings=[singular, other], plural=True)
    before = {m.id if isinstance(m.id, str) else m.id[0]: m for m in read_po(io.BytesIO(PO))}
    after = {m.id if isinstance(m.id, str) else m.id[0]: m for m in read_po(io.BytesIO(out))}
    assert tuple(after["One day"].string) == (singular, other)
    for key in ("Hello", "File"):
        assert after[key].string == before[key].string
    block = scan_entries(lines_of(PO))[3]
    head = b"".join(lines_of(PO)[: block.msgstr_start])
    tail = b"".join(lines_of(PO)[block.end :])
    assert out.startswith(head) and out.endswith(tail)


def test_msgfmt_accepts_edited_file(tmp_path: Path) -> None:
    path = tmp_path / "da.po"
    path.write_bytes(
        apply(PO, 1, strings=['Hej "dig"\\ med\nlinjeskift'], flags=[], drop_previous=True)
    )
    subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], check=True)
