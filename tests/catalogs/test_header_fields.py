"""The header entry is read into fields without the e-mail parser when it is plain
``Name: value`` lines, and the result is the one Babel's way (``email.message_from_string``)
gives: the same fields, and the same catalog attributes Babel derives from them."""

from __future__ import annotations

import email
import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.catalogs.pofile import PoCatalog, plain_header_fields

ROOT = Path(__file__).parents[2]

HEADER = (
    "Project-Id-Version: ihatemoney 4.1\n"
    "Report-Msgid-Bugs-To: EMAIL@ADDRESS\n"
    "POT-Creation-Date: 2020-04-23 23:58+0200\n"
    "PO-Revision-Date: 2023-05-12 08:51+0000\n"
    "Last-Translator: Ihor <ihor@example.org>\n"
    "Language-Team: Danish <https://hosted.weblate.org/projects/i-hate-money/da/>\n"
    "Language: da\n"
    "MIME-Version: 1.0\n"
    "Content-Type: text/plain; charset=utf-8\n"
    "Content-Transfer-Encoding: 8bit\n"
    "Plural-Forms: nplurals=2; plural=n != 1;\n"
    "X-Generator: Weblate 4.18-dev\n"
    "Generated-By: Babel 2.8.0\n"
)


def babel_fields(text: str) -> list[tuple[str, str]]:
    return list(email.message_from_string(text).items())


@pytest.mark.parametrize(
    "text",
    [
        HEADER,
        HEADER.rstrip("\n"),
        "",
        "\n",
        "Language: da",
        "Language:da\n",  # no blank after the colon
        "Language:\t \tda\n",  # blanks and tabs after it
        "X-Empty:\n",
        "X-Trailing: value  \n",
        "Language: da\nLanguage: nb\n",  # the same field twice: both kept
        "Language-Team: Dansk <dansk@dansk-gruppen.dk>\nX-Note: æøå ąčęėįšųūž 日本\n",
        "Content-Type: text/plain; charset=UTF-8\nX-Weird: a: b: c\n",
        "X-Punct!#$%&'*+-.^_`|~: yes\n",
    ],
)
def test_plain_headers_give_the_email_parsers_fields(text: str) -> None:
    assert plain_header_fields(text) == babel_fields(text)


@pytest.mark.parametrize(
    "text",
    [
        "Language: da\n  continued\n",  # a continuation line
        "Language: da\n\tcontinued\n",
        "Language: da\nno colon here\nPlural-Forms: x\n",  # ends the fields for the parser
        "Language: da\n\nPlural-Forms: x\n",  # an empty line inside
        "Language : da\n",  # a blank before the colon
        ": no name\n",
        "Language: da\r\nPlural-Forms: x\r\n",
        "Language: da\rPlural-Forms: x\n",
        "From someone: x\n",
        "Language: da\u2028X: y\n",  # str.splitlines breaks there
        "Language: da\x0cX: y\n",
        "Language: d\udc80a\n",
        "Nævn: x\n",  # a non-ASCII name
    ],
)
def test_anything_else_is_left_to_the_email_parser(text: str) -> None:
    assert plain_header_fields(text) is None


def attributes(catalog: Catalog) -> dict[str, object]:
    return {
        "mime_headers": catalog.mime_headers,
        "header_comment": catalog.header_comment,
        "fuzzy": catalog.fuzzy,
        "project": catalog.project,
        "version": catalog.version,
        "creation_date": catalog.creation_date,
        "revision_date": catalog.revision_date,
        "last_translator": catalog.last_translator,
        "language_team": catalog.language_team,
        "charset": catalog.charset,
        "plural_forms": catalog.plural_forms,
        "locale": str(catalog.locale),
    }


def header_message(text: str, fuzzy: bool = False) -> Message:
    return Message("", text, user_comments=["Danish translation.", "Copyright (C) 2023"],
                   flags=["fuzzy"] if fuzzy else [])  # fmt: skip


@pytest.mark.parametrize("fuzzy", [False, True])
@pytest.mark.parametrize(
    "text", [HEADER, HEADER.replace("n != 1", "(n != 1)"), "X-Note: a\n  continued\n" + HEADER]
)
def test_the_catalog_is_the_one_babel_makes(text: str, fuzzy: bool) -> None:
    ours, babels = PoCatalog(locale="da"), Catalog(locale="da")
    ours[""] = header_message(text, fuzzy)
    babels[""] = header_message(text, fuzzy)
    assert attributes(ours) == attributes(babels)
    assert len(ours) == len(babels) == 0


def real_headers() -> list[str]:
    """The header msgstr of every catalog in the repository (its own and the test fixtures,
    real projects' excerpts among them), as written."""
    from babel.messages.pofile import unescape

    found = sorted((ROOT / "locales").glob("*/LC_MESSAGES/*.po"))
    found += sorted((ROOT / "tests" / "data").rglob("*.po"))
    texts = []
    for path in found:
        text = path.read_text("utf-8", "replace")
        match = HEADER_ENTRY.search(text)
        if match:
            texts.append("".join(unescape(line.strip()) for line in match.group(1).splitlines()))
    return texts


HEADER_ENTRY = re.compile(r'^msgid ""\r?\nmsgstr ""\r?\n((?:"(?:[^"\\]|\\.)*"[ \t]*\r?\n)*)', re.M)


def test_every_header_of_the_repositorys_catalogs_reads_the_same() -> None:
    texts = real_headers()
    assert len(texts) > 20
    plain = [text for text in texts if plain_header_fields(text) is not None]
    assert len(plain) > len(texts) // 2  # the common case takes the plain path
    for text in plain:
        assert plain_header_fields(text) == babel_fields(text), text


FIELD_TEXT = st.lists(
    st.sampled_from([*"Ab-:; \t\n\r=xé\u2028\x0c\udc80", "From ", "Language: da\n"]),
    max_size=30,
).map("".join)


@settings(max_examples=500, deadline=None)
@given(FIELD_TEXT)
def test_whenever_fields_are_given_they_are_the_email_parsers(text: str) -> None:
    fields = plain_header_fields(text)
    if fields is not None:
        assert fields == babel_fields(text)
