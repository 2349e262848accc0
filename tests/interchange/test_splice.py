"""splice_entries: only the named entries change; anything it cannot prove falls back."""

from __future__ import annotations

from pathlib import Path

from toolkit.catalogs import parse_catalog, serialize_catalog
from toolkit.catalogs.header import keep_written_header, written_header_text
from toolkit.catalogs.splice import splice_entries

PO = b"""msgid ""
msgstr ""
"Language: da\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"

#. a context that spans
#. two comment lines
msgctxt ""
"email."
"subject"
msgid ""
"A subject line that "
"the tool wrapped"
msgstr "En emnelinje"

msgid "%(n)s day"
msgid_plural "%(n)s days"
msgstr[0] "%(n)s dag"
msgstr[1] "%(n)s dage"

msgid "Untouched, with a line far longer than seventy-six characters that Babel would wrap"
msgstr "Uroert, med en linje langt over seksoghalvfjerds tegn, som Babel ville ombryde"
"""
PATH = Path("da.po")


def test_only_the_named_entries_change():
    catalog = parse_catalog(PO, path=PATH, locale="da")
    catalog.get("A subject line that the tool wrapped", "email.subject").string = "Emne"
    catalog.get(("%(n)s day", "%(n)s days")).string = ("%(n)s døgn", "%(n)s døgn")
    changed = {("A subject line that the tool wrapped", "email.subject"), ("%(n)s day", None)}
    result = splice_entries(PO, catalog, changed, PATH).decode()
    assert result.endswith(PO.decode().split("\n\n")[-1])  # the long line is not rewrapped
    assert result.startswith(PO.decode().split("\n\n")[0])  # the header is as it was
    assert 'msgstr "Emne"' in result and 'msgstr[1] "%(n)s døgn"' in result
    assert "En emnelinje" not in result and "dage" not in result
    again = parse_catalog(result.encode(), path=PATH, locale="da")
    assert again.get("A subject line that the tool wrapped", "email.subject").string == "Emne"


def test_a_change_outside_the_named_entries_falls_back_to_a_full_write():
    catalog = parse_catalog(PO, path=PATH, locale="da")
    catalog.get(("%(n)s day", "%(n)s days")).string = ("%(n)s døgn", "%(n)s døgn")
    catalog.get("A subject line that the tool wrapped", "email.subject").flags.add("fuzzy")
    result = splice_entries(PO, catalog, {("%(n)s day", None)}, PATH)
    # The whole catalog as the toolkit writes it, with the header entry exactly as written.
    assert result == keep_written_header(serialize_catalog(catalog), PO, verbatim=True)
    assert written_header_text(result) == written_header_text(PO)


def test_a_catalog_babel_wrapped_stays_wrapped():
    """Babel's own one-line ``msgid "<74 characters>"`` is 82 columns long: the splice took
    the file for an unwrapped one and wrote the changed entries unwrapped, so 'update --check'
    failed right after 'translate' (QA pass 16)."""
    from babel.messages.catalog import Catalog

    source = Catalog(locale="da")
    short = "You are receiving this e-mail because you have an account with Nordvind."
    long = ("Thanks for joining us. We are glad you are here, and we will write to you "
            "when your first order ships.")  # fmt: skip
    source.add(short, "")
    source.add(long, "")
    data = serialize_catalog(source)
    assert max(len(line) for line in data.decode().splitlines()) == 80  # Babel's own lines
    catalog = parse_catalog(data, path=PATH, locale="da")
    catalog.get(long).string = ("Tak fordi du er med. Vi er glade for, at du er her, og vi "
                                "skriver til dig, når din første ordre sendes.")  # fmt: skip
    spliced = splice_entries(data, catalog, [(long, None)], PATH)
    assert spliced == serialize_catalog(catalog)  # wrapped as Babel (and update) writes it


def test_a_line_separator_in_another_entry_keeps_the_splice():
    """One msgstr with U+2028 (or U+0085, a form feed) shifted every line number, the splice
    fell back to writing the whole catalog, and xliff import re-wrapped every long entry
    (QA 32)."""
    odd = 'msgstr "En emnelinje\u2028\u0085\x0c"'.encode()
    changed = {("%(n)s day", None)}
    results = []
    for po in (PO, PO.replace(b'msgstr "En emnelinje"', odd)):
        catalog = parse_catalog(po, path=PATH, locale="da")
        catalog.get(("%(n)s day", "%(n)s days")).string = ("%(n)s døgn", "%(n)s døgn")
        results.append(splice_entries(po, catalog, changed, PATH))
    plain, with_separators = results
    assert with_separators == plain.replace(b'msgstr "En emnelinje"', odd)
    assert with_separators.endswith(PO.split(b"\n\n")[-1])  # the long line is not rewrapped


def test_a_crlf_file_gets_its_changed_entries_in_crlf():
    """An XLIFF import into a CRLF catalog wrote the changed entry with LF lines among the
    CRLF ones (QA pass 57)."""
    crlf = PO.replace(b"\n", b"\r\n")
    catalog = parse_catalog(crlf, path=PATH, locale="da")
    catalog.get(("%(n)s day", "%(n)s days")).string = ("%(n)s døgn", "%(n)s døgn")
    result = splice_entries(crlf, catalog, {("%(n)s day", None)}, PATH)
    assert result.count(b"\n") == result.count(b"\r\n")
    assert "%(n)s døgn".encode() in result
    assert result.replace("døgn".encode(), b"dag", 1).replace("døgn".encode(), b"dage") == crlf
