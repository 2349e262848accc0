"""compile writes the MO from the one-pass reader's entries (no Babel catalog model): the bytes
must be exactly those of the Babel path (``mo_bytes``), on every catalog of the test data and
of the repository, on generated catalogs, with and without fuzzy entries."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from toolkit.catalogs import parse_po_file, serialize_catalog
from toolkit.catalogs.header import written_header_text
from toolkit.catalogs.mofile import mo_bytes, mo_bytes_from_entries
from toolkit.catalogs.reader import parse_po_entries
from toolkit.errors import CatalogError

from .test_powriter import catalogs
from .test_reader import CATALOGS, _locale


def both_ways(data: bytes, locale: str | None, use_fuzzy: bool) -> tuple[bytes, bytes | None]:
    path = Path("x.po")
    header = written_header_text(data)
    babel = mo_bytes(parse_po_file(data, path=path, locale=locale).catalog,
                     use_fuzzy=use_fuzzy, header=header)  # fmt: skip
    read = parse_po_entries(data, path=path, locale=locale)
    assert read.po is None, "the one-pass reader read it"
    assert header is not None
    return babel, mo_bytes_from_entries(read.entries, header, use_fuzzy=use_fuzzy)


@pytest.mark.parametrize("use_fuzzy", [False, True])
@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: str(p.relative_to(p.parents[2])))
def test_real_catalogs_give_the_same_mo(path: Path, use_fuzzy: bool) -> None:
    babel, fast = both_ways(path.read_bytes(), _locale(path), use_fuzzy)
    assert fast == babel


@settings(max_examples=200, deadline=None)
@given(catalogs(), st.booleans())
def test_generated_catalogs_give_the_same_mo(catalog: Catalog, use_fuzzy: bool) -> None:
    data = serialize_catalog(catalog)
    try:
        read = parse_po_entries(data, path=Path("x.po"), locale=str(catalog.locale))
    except CatalogError:  # the generator writes some shapes msgfmt refuses too
        assume(False)
        return
    if read.po is not None:  # a shape the one pass leaves to the full reader: not this path
        return
    babel, fast = both_ways(data, str(catalog.locale), use_fuzzy)
    assert fast == babel


@pytest.mark.parametrize(
    "content_type",
    [
        "text/plain; charset=ISO-8859-1",
        "text/plain; charset=CHARSET",
        'text/plain; charset="utf-8"',
    ],
)
def test_another_charset_is_left_to_babel(content_type: str) -> None:
    header = f"Content-Type: {content_type}\nLanguage: da\n"
    assert mo_bytes_from_entries([], header) is None


@pytest.mark.parametrize("content_type", ["text/plain; charset=UTF-8", "text/plain", None])
def test_utf8_or_no_charset_is_written(content_type: str | None) -> None:
    header = "Language: da\n" + (f"Content-Type: {content_type}\n" if content_type else "")
    assert mo_bytes_from_entries([], header) is not None


def _keys(mo: bytes) -> list[bytes]:
    """The original strings of an MO file, in the file's order."""
    import struct

    count, originals = struct.unpack("<iI", mo[8:16])  # (after the magic and the revision)
    keys = []
    for index in range(count):
        length, offset = struct.unpack("<II", mo[originals + 8 * index : originals + 8 * index + 8])
        keys.append(mo[offset : offset + length])
    return keys


@pytest.mark.parametrize("path", CATALOGS[:6], ids=lambda p: str(p.relative_to(p.parents[2])))
def test_mo_keys_are_sorted_by_their_bytes_as_c_gettext_searches_them(path: Path) -> None:
    """Without a hash table C gettext (glibc, libintl) finds a message by binary search over
    the keys; in Babel's order (msgid, then msgctxt) 11 of 27 lookups found nothing (QA pass
    75). Both writers sort as msgfmt does."""
    babel, fast = both_ways(path.read_bytes(), _locale(path), False)
    keys = _keys(babel)
    assert keys == sorted(keys) and len(set(keys)) == len(keys)
    assert fast == babel


def test_an_empty_msgctxt_is_keyed_as_msgfmt_keys_it(tmp_path: Path) -> None:
    """msgctxt "" beside the same msgid without one: pgettext("", x) and gettext(x) each
    find their own text, as in msgfmt's MO (the context was dropped: two "Open" keys)."""
    import gettext
    import io
    import subprocess

    data = ('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
            'msgctxt ""\nmsgid "Open"\nmsgstr "Aabn-tom"\n\nmsgid "Open"\nmsgstr "Aabn"\n\n'
            'msgid "Apple"\nmsgstr "Æble"\n').encode()  # fmt: skip
    babel, fast = both_ways(data, "da", False)
    assert fast == babel
    po = tmp_path / "x.po"
    po.write_bytes(data)
    reference = subprocess.run(["msgfmt", "-o", "-", str(po)], capture_output=True,
                               check=True).stdout  # fmt: skip
    for mo in (babel, reference):
        table = gettext.GNUTranslations(io.BytesIO(mo))
        assert (table.pgettext("", "Open"), table.gettext("Open"), table.gettext("Apple")) == (
            "Aabn-tom", "Aabn", "Æble")
    assert set(_keys(babel)) == {b"", b"\x04Open", b"Open", b"Apple"}
