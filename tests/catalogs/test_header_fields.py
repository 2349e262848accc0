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


def test_every_real_header_gives_the_catalog_babel_makes() -> None:
    """Content-Type, Plural-Forms and the dates are read without the e-mail parser and
    ``strptime`` where they are plain; the catalog is the same as Babel's either way."""
    import datetime

    when = datetime.datetime(2020, 1, 2, 3, 4, tzinfo=datetime.UTC)  # when absent
    for text in real_headers():
        dates = {"creation_date": when, "revision_date": when}
        ours, babels = PoCatalog(locale="da", **dates), Catalog(locale="da", **dates)
        ours[""] = header_message(text)
        babels[""] = header_message(text)
        assert attributes(ours) == attributes(babels), text
        for date in ("creation_date", "revision_date"):
            mine, theirs = getattr(ours, date), getattr(babels, date)
            assert (mine.utcoffset(), mine.tzname()) == (theirs.utcoffset(), theirs.tzname())


PARAM_TEXT = st.lists(
    st.sampled_from([*"ab;=<> \t()%?:!|&Z09*\"'\\é", "charset", "nplurals", "plural"]),
    max_size=16,
).map("".join)


@settings(max_examples=500, deadline=None)
@given(PARAM_TEXT, st.sampled_from(["Content-Type", "Plural-Forms"]))
def test_plain_parameters_are_the_ones_babel_reads(value: str, name: str) -> None:
    from babel.messages.catalog import parse_separated_header

    from toolkit.catalogs.pofile import _plain_params

    found = _plain_params([(name, value)])
    if found is not None:
        babels = parse_separated_header(value if name == "Content-Type" else f" ;{value}")
        assert found == [(name.lower(), babels)]


DATE_TEXT = st.tuples(
    st.sampled_from(["0000", "1999", "2026", "9999"]),
    *(st.integers(0, limit).map("{:02d}".format) for limit in (13, 32, 25, 61)),
    st.sampled_from(["", "+", "-"]),
    st.integers(0, 30).map("{:02d}".format),
    st.integers(0, 70).map("{:02d}".format),
).map(lambda p: f"{p[0]}-{p[1]}-{p[2]} {p[3]}:{p[4]}" + (f"{p[5]}{p[6]}{p[7]}" if p[5] else ""))


@settings(max_examples=500, deadline=None)
@given(DATE_TEXT)
def test_plain_dates_are_the_ones_babel_reads(value: str) -> None:
    from babel.messages.catalog import _parse_datetime_header

    from toolkit.catalogs.pofile import _plain_date

    try:
        babels = _parse_datetime_header(value)
    except (ValueError, OverflowError):
        assert _plain_date(value) is None
        return
    ours = _plain_date(value)
    assert ours == babels
    assert ours is not None and (ours.utcoffset(), ours.tzname()) == (
        babels.utcoffset(),
        babels.tzname(),
    )


def test_reading_a_catalog_imports_no_email_parser_nor_strptime(tmp_path: Path) -> None:
    """Both cost every command that reads a catalog ~10 ms (docs/benchmarks.md); the header
    of the repository's own Lithuanian catalog (three plural forms) needs neither."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from pathlib import Path\nfrom toolkit.catalogs.pofile import read_po_file\n"
        f"po = read_po_file(Path({str(ROOT / 'locales/lt/LC_MESSAGES/messages.po')!r}), 'lt')\n"
        "assert po.catalog.num_plurals == 3, po.catalog.num_plurals\n"
        "assert po.catalog.revision_date.year >= 2024\n"
        "print(sorted(m for m in sys.modules if m in ('email.message', '_strptime')))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)  # fmt: skip
    assert done.stdout.strip() == "[]"


def test_updating_a_catalog_loads_no_cldr_locale_data(tmp_path: Path) -> None:
    """Babel's ``Catalog.header_comment`` loads the English CLDR data (~20 ms) to name the
    language in a template's "Translations template" line; a translated catalog's comment has
    none, and merging and comparing it must not pay for that (docs/benchmarks.md)."""
    import shutil
    import subprocess
    import sys

    locales = tmp_path / "locales"
    shutil.copytree(ROOT / "locales", locales, ignore=shutil.ignore_patterns("*.mo"))
    (tmp_path / "toolkit.toml").write_text(
        '[tool.toolkit]\nsource_locale = "en"\nlocales = ["da", "nb", "lt"]\n', "utf-8"
    )
    pot = (locales / "messages.pot").read_text("utf-8")
    (locales / "messages.pot").write_text(
        pot + '\nmsgid "A sentence the catalogs lack."\nmsgstr ""\n', "utf-8"
    )
    code = (
        "import sys\nfrom pathlib import Path\nfrom babel import localedata\n"
        "from toolkit.config import load_config\nfrom toolkit.catalogs import update_catalogs\n"
        f"results = update_catalogs(load_config(Path({str(tmp_path)!r})))\n"
        "print(sum(r.new for r in results), sorted(localedata._cache))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)  # fmt: skip
    assert done.stdout.split(" ", 1) == ["3", "[]\n"]
    for locale in ("da", "nb", "lt"):
        before = (ROOT / f"locales/{locale}/LC_MESSAGES/messages.po").read_text("utf-8")
        merged = (locales / f"{locale}/LC_MESSAGES/messages.po").read_text("utf-8")
        assert 'msgid "A sentence the catalogs lack."' in merged
        comment = [line for line in before.splitlines() if line.startswith("# ")][:3]
        assert comment and merged.splitlines()[: len(comment)] == comment


def test_an_empty_value_keeps_its_spaces_when_the_header_is_rewritten():
    """ihatemoney's Dutch 'Project-Id-Version:  ' (an empty value after two spaces) lost one
    space whenever update rewrote the header for another field (QA pass 82)."""
    from toolkit.catalogs.header import keep_written_header

    old = (b'msgid ""\nmsgstr ""\n"Project-Id-Version:  \\n"\n"Report-Msgid-Bugs-To:  \\n"\n'
           b'"Language: nl\\n"\n')  # fmt: skip
    new = (b'msgid ""\nmsgstr ""\n"Project-Id-Version: \\n"\n"Report-Msgid-Bugs-To: \\n"\n'
           b'"Language: nl\\n"\n"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n')  # fmt: skip
    kept = keep_written_header(new, old)
    assert b'"Project-Id-Version:  \\n"\n"Report-Msgid-Bugs-To:  \\n"\n' in kept
    assert b'"Plural-Forms: nplurals=2; plural=(n != 1);\\n"' in kept
