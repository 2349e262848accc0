"""The fast PO writer gives the bytes Babel's write_po gives (with msgmerge's ``#|`` lines), on
real catalogs and on generated ones that go through every wrapping and escaping path."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import normalize
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.catalogs import read_catalog
from toolkit.catalogs.pofile import PO_WIDTH, babel_po_bytes, serialize_catalog
from toolkit.catalogs.powriter import po_bytes

BABEL_NORMALIZE = normalize

ROOT = Path(__file__).resolve().parents[2]
REAL = sorted(
    [*(ROOT / "tests" / "data" / "real").rglob("*.po"), *(ROOT / "locales").rglob("*.po")]
    + [ROOT / "locales" / "messages.pot"]
)


def entry_lines(data: bytes) -> list[bytes]:
    """The lines below the header's comment, translator comments left out: the one place
    the toolkit writes on purpose what Babel does not (one line however long, msgmerge's
    way; ``test_translator_comments_are_written_as_read`` checks those)."""
    lines = data.split(b"\n")
    start = next((i for i, line in enumerate(lines) if line.startswith(b"msgid ")), 0)
    return lines[:start] + [
        line for line in lines[start:] if not (line == b"#" or line.startswith(b"# "))
    ]


@pytest.mark.parametrize("path", REAL, ids=lambda p: str(p.relative_to(ROOT)))
def test_real_catalogs_serialize_exactly_as_babel_does(path: Path) -> None:
    catalog = read_catalog(path)
    assert len(catalog) > 10
    ours = po_bytes(catalog, PO_WIDTH)
    assert entry_lines(ours) == entry_lines(babel_po_bytes(catalog))
    for message in [*catalog, *catalog.obsolete.values()]:
        for text in message.user_comments:
            assert f"# {text}\n".encode() in ours


# Text that hits the short cuts' edges: spaces and other whitespace at the ends, line breaks
# of every kind str.splitlines knows, quotes and backslashes (escaping changes the width),
# long words, hyphens and em-dashes (Babel's word splitting), non-ASCII.
ALPHABET = st.sampled_from(
    list("ab Z9 -.,!?'\"\\\t\n\r\x0b\x0c\x1c\x85\u2028\xa0ĄėŠø—") + ["word", "--", "%(name)s"]
)
TEXT = st.lists(ALPHABET, max_size=60).map("".join)
SHORT = st.lists(ALPHABET, max_size=12).map("".join)
FILES = st.sampled_from(["templates/a.j2", "my templates/b.j2", "x.md", "faq/q.yaml"])


@st.composite
def catalogs(draw: st.DrawFn) -> Catalog:
    catalog = Catalog(locale=draw(st.sampled_from(["da", "lt", "ja", "ar"])), fuzzy=False)
    catalog.header_comment = "# " + draw(TEXT).replace("\n", " ")
    for index in range(draw(st.integers(1, 6))):
        plural = draw(st.booleans())
        base = f"m{index} " + draw(TEXT)
        msgid = (base, base + " plural") if plural else base
        string = (
            tuple(draw(TEXT) for _ in range(draw(st.integers(0, 7))))
            if plural
            else draw(TEXT)
        )
        catalog.add(
            msgid,
            string,
            locations=[
                (draw(FILES), draw(st.integers(0, 500))) for _ in range(draw(st.integers(0, 9)))
            ],
            flags=draw(st.sets(st.sampled_from(["fuzzy", "python-format", "no-python-format"]))),
            auto_comments=draw(st.lists(TEXT, max_size=2)),
            user_comments=draw(st.lists(TEXT, max_size=2)),
            previous_id=draw(st.sampled_from([(), (draw(TEXT),), (draw(TEXT), draw(SHORT))])),
            context=draw(st.sampled_from([None, draw(SHORT) or None])),
        )
    for index in range(draw(st.integers(0, 2))):
        text = f"old {index} " + draw(TEXT)
        plural = draw(st.booleans())
        catalog.obsolete[text] = Message(
            (text, text + "s") if plural else text,
            (draw(TEXT), draw(SHORT)) if plural else draw(TEXT),
            user_comments=draw(st.lists(TEXT, max_size=1)),
            context=draw(st.sampled_from([None, draw(SHORT) or None])),
        )
    return catalog


@settings(max_examples=300, deadline=None)
def babel_normalize_keeping_text(text: str, prefix: str = "", width: int = 76) -> str:
    """Babel's ``normalize`` without its one bug: when a wrapped line ends in whitespace and a
    line break, its empty last chunk makes Babel add a second line break to the text."""
    written = BABEL_NORMALIZE(text, prefix=prefix, width=width)
    if read_back(written, prefix) != text:
        assert written.endswith('\\n"') and read_back(written, prefix) == text + "\n"
        written = written[:-3] + '"'
    return written


def read_back(written: str, prefix: str) -> str:
    """The text a reader gets from normalized lines (the prefix of each line removed)."""
    from babel.messages.pofile import unescape

    return "".join(unescape(line.removeprefix(prefix)) for line in written.split("\n"))


@given(catalogs(), st.sampled_from([PO_WIDTH, 20, 40]))
def test_generated_catalogs_serialize_exactly_as_babel_does(catalog: Catalog, width: int) -> None:
    import io

    from babel.messages import pofile
    from babel.messages.pofile import write_po  # width other than the toolkit's: raw Babel

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pofile, "normalize", babel_normalize_keeping_text)
        if width == PO_WIDTH:
            assert entry_lines(po_bytes(catalog, width)) == entry_lines(babel_po_bytes(catalog))
            return
        buffer = io.BytesIO()
        write_po(buffer, catalog, width=width, include_previous=True)
    ours = entry_lines(po_bytes(catalog, width))
    strip = [line for line in entry_lines(buffer.getvalue()) if not line.startswith(b"#|")]
    assert [line for line in ours if not line.startswith(b"#|")] == strip


@settings(max_examples=200, deadline=None)
@given(st.lists(TEXT, min_size=1, max_size=3), st.sampled_from([PO_WIDTH, 20]))
def test_translator_comments_are_written_as_read(comments: list[str], width: int) -> None:
    """A translator comment comes back as it was (its outer whitespace aside, as Babel's
    reader strips it), however long: Babel wrapped a long one into two (QA, gnome-clocks)."""
    import io

    from babel.messages.pofile import read_po

    catalog = Catalog(locale="lt", fuzzy=False)
    catalog.add("Lap", "Ratas", user_comments=comments)
    catalog.obsolete["Old"] = Message("Old", "Sena", user_comments=comments)
    written = po_bytes(catalog, width)
    back = read_po(io.BytesIO(written))
    kept = [c.strip() for c in catalog.get("Lap").user_comments if c.strip()]
    expected = Message("x", user_comments=kept).user_comments  # (repeats once, as Babel reads)
    if not any("\n" in c or "\r" in c for c in comments):
        assert back.get("Lap").user_comments == expected
        assert back.obsolete["Old"].user_comments == expected


def test_serialize_catalog_uses_the_fast_writer_with_the_same_result() -> None:
    catalog = read_catalog(ROOT / "locales" / "lt" / "LC_MESSAGES" / "messages.po")
    assert serialize_catalog(catalog) == babel_po_bytes(catalog)


@settings(max_examples=500, deadline=None)
@given(
    st.lists(ALPHABET, max_size=80).map("".join), st.integers(6, 80), st.sampled_from(["", "#~ "])
)
def test_wrapping_is_babels_normalize(text: str, width: int, prefix: str) -> None:
    from toolkit.catalogs.powriter import _normalize

    written = _normalize(text, prefix, width)
    assert written == babel_normalize_keeping_text(text, prefix, width)
    assert read_back(written, prefix) == text


def test_a_wrapped_translation_ending_in_space_and_line_break_keeps_its_text() -> None:
    """CKAN's French catalog: Babel's writer adds a line break to this obsolete translation
    on every update (and to a live one, at another width); the toolkit's writes it back as
    read."""
    from toolkit.catalogs.powriter import _normalize

    text = (
        "On ne peut pas changer le valeur de la clé de %s à %s. Cette clé est en lecture "
        "seulement \n"
    )
    assert read_back(normalize(text, prefix="#~ ", width=76), "#~ ") == text + "\n"  # Babel's
    assert read_back(_normalize(text, "#~ ", 76), "#~ ") == text
    catalog = Catalog(locale="fr")
    catalog.obsolete["old"] = Message("old", text)
    catalog.add("live", text)
    assert b"seulement \\n\\n" not in po_bytes(catalog, PO_WIDTH)


@pytest.mark.parametrize("comment", [
    "# Danish translations for PROJECT.\n# Copyright (C) YEAR ORGANIZATION\n# VERSION",
    "# Translations template for PROJECT.\n# Copyright (C) YEAR ORGANIZATION",
    "# Translations PROJECT",  # "template" only after the replacement
    "",
])  # fmt: skip
@pytest.mark.parametrize("locale", ["da", "lt", None])
def test_header_comment_is_babels(comment: str, locale: str | None) -> None:
    from toolkit.catalogs.powriter import header_comment

    catalog = Catalog(locale=locale, project="template", version="1.2")
    catalog.header_comment = comment
    assert header_comment(catalog) == catalog.header_comment
