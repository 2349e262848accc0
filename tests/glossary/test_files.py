"""Glossary CSV files: bad files give CatalogError with file:line; good files round-trip."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from toolkit.config import ProjectConfig
from toolkit.errors import CatalogError, ToolkitError
from toolkit.glossary import Term, format_glossary, load_glossary, parse_glossary, write_glossary

HEADER = "source,target,rule,forms,case_sensitive,pos,note\n"


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("source,target,forms\nx,y,z\n", 1, "missing column rule"),
        (
            "source,target,rul,forms\n",
            1,
            "unknown column 'rul' in the header. Did you mean 'rule'?",
        ),
        ("source,target,rule,rule\n", 1, "column 'rule' appears twice"),
        (
            HEADER + "point,bonuspoint,required\npoint,bonuspoint,requried\n",
            3,
            "unknown rule 'requried'. Did you mean 'required'?",
        ),
        (HEADER + "point,bonuspoint,required,,maybe\n", 2, "case_sensitive is 'maybe'"),
        (
            HEADER + "point,bonuspoint,required\n\npoint,pointe,required\n",
            4,
            "the row for 'point' conflicts with line 2 "
            "(required 'bonuspoint' vs required 'pointe')",
        ),
        (
            HEADER + "point,bonuspoint,required\nPoint,bonuspoint,required\n",
            3,
            "the row for 'Point' duplicates line 2",
        ),
        (HEADER + "Nordlys,,dnt\nnordlys,nordlys,required\n", 3, "conflicts with line 2"),
        (
            HEADER + ",kupon,forbidden\n,Kupon,forbidden,,,,use: rabatkode\n",
            3,
            "'Kupon' is already forbidden at line 2",
        ),
        (HEADER + ",bonuspoint,required\n", 2, "a required row needs both a source and a target"),
        (HEADER + "coupon,,forbidden\n", 2, "a forbidden row needs the forbidden word"),
        (HEADER + "Nordlys,Nordlyset,dnt\n", 2, "dnt row: target 'Nordlyset' differs"),
        (HEADER + ",,dnt\n", 2, "a dnt row needs the source term"),
        (
            HEADER + "point,bonuspoint,required,bonuspointene=x\n",
            2,
            "only forbidden rows have them",
        ),
        (HEADER + "point,bonuspoint,required,bonus*point\n", 2, "form 'bonus*point' is not valid"),
        # '*' alone matched every word of every string; "%" matched nothing (QA pass 58)
        (HEADER + "*,stjerne,required\n", 2, "the source term '*' has no letter or digit"),
        (HEADER + "%,procent,required\n", 2, "the source term '%' has no letter or digit"),
        (HEADER + "gift*card,gavekort,required\n", 2, "has a '*' inside it"),
        (HEADER + '"a\nb",c,required\n', 2, "the source term 'a\\nb' holds a line break"),
        (HEADER + ",kupon,forbidden,kupon*=rabatkode\n", 2, "needs 'variant=replacement'"),
        (HEADER + "a,b,required,c,no,noun,note,extra\n", 2, "8 fields, but the header names 7"),
        (HEADER + 'a,"b,required\n', 2, "malformed CSV"),
        (
            HEADER + "point,bonuspoint,required\n,bonuspoint,forbidden\n",
            3,
            "'bonuspoint' is forbidden here but allowed by the required row at",
        ),
        (
            HEADER + "point,bonuspoint,required\npoint,point,forbidden,,,,use: pointe\n",
            3,
            "the note says 'use: pointe', but the required row for 'point'",
        ),
    ],
)
def test_bad_glossary_files(gproject: ProjectConfig, text: str, line: int, message: str) -> None:
    path = gproject.glossaries_path / "da.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogError) as info:
        load_glossary(gproject, "da")
    assert info.value.line == line
    assert info.value.path == path
    assert message in str(info.value)
    assert f"da.csv:{line}: " in str(info.value)


def test_not_utf8_names_the_line(gproject: ProjectConfig) -> None:
    path = gproject.glossaries_path / "nb.csv"
    path.write_bytes(HEADER.encode() + b"order,bestilling,required\n\xf8rdre,x,forbidden\n")
    with pytest.raises(CatalogError, match=r"nb\.csv:3: not UTF-8"):
        load_glossary(gproject, "nb")


def test_lenient_where_it_is_harmless(tmp_path: Path) -> None:
    text = (
        "\ufeffRule,Source,Target\n"  # BOM, other order and case, optional columns left out
        "required, loyalty points , bonuspoint\n"
        "\n"
        'dnt,"Nordlys",\n'
    )
    terms = parse_glossary(text.encode("utf-8"), path=tmp_path / "da.csv")
    assert [(t.rule, t.source, t.target, t.line) for t in terms] == [
        ("required", "loyalty points", "bonuspoint", 2),
        ("dnt", "Nordlys", "", 4),
    ]
    assert parse_glossary(b"", path=tmp_path / "empty.csv") == []


def test_multiline_note_keeps_line_numbers(tmp_path: Path) -> None:
    text = HEADER + 'a,b,required,,,,"two\nlines"\nc,d,requried\n'
    with pytest.raises(CatalogError) as info:
        parse_glossary(text, path=tmp_path / "da.csv")
    assert info.value.line == 4


def test_errors_are_toolkit_errors_with_exit_code_2(gproject: ProjectConfig) -> None:
    (gproject.glossaries_path / "_global.csv").write_text("source,target\n")
    with pytest.raises(ToolkitError) as info:
        load_glossary(gproject, "lt")
    assert info.value.exit_code == 2


_word = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzæøåąčęėįšųūžABCÆØĄŠ'-.&<>\"", min_size=1, max_size=8
).filter(lambda w: w.strip("*") == w)
_phrase = st.lists(_word, min_size=1, max_size=3).map(" ".join)


@st.composite
def glossary_rows(draw: st.DrawFn) -> list[Term]:
    terms = []
    for index in range(draw(st.integers(1, 4))):
        rule = draw(st.sampled_from(["required", "dnt", "forbidden"]))
        source = f"term{index} " + draw(_phrase)
        target = "" if rule == "dnt" else f"mål{index} " + draw(_phrase)
        forms = tuple(dict.fromkeys(f"f{index} {f}" for f in draw(st.lists(_phrase, max_size=3))))
        replacements: tuple[tuple[str, str], ...] = ()
        if rule == "forbidden" and forms and draw(st.booleans()):
            replacements = ((forms[0], draw(_phrase)),)
        terms.append(
            Term(
                source=source if rule != "forbidden" or draw(st.booleans()) else "",
                target=target,
                rule=rule,
                forms=forms,
                case_sensitive=draw(st.booleans()),
                pos=draw(st.sampled_from(["", "noun", "proper noun", "verb"])),
                note=draw(st.sampled_from(["", "Note, with comma", 'Say "hi"\nnext line'])),
                replacements=replacements,
            )
        )
    return terms


@given(glossary_rows())
def test_csv_round_trip(terms: list[Term]) -> None:
    parsed = parse_glossary(format_glossary(terms), path=Path("x.csv"))
    assert [t.row() for t in parsed] == [t.row() for t in terms]


def test_write_glossary_is_atomic_and_validates(tmp_path: Path) -> None:
    path = tmp_path / "da.csv"
    rows = [Term("point", "bonuspoint", "required"), Term("point", "pointe", "required")]
    with pytest.raises(CatalogError):
        write_glossary(path, rows)
    assert not path.exists()
    assert write_glossary(path, rows[:1]) is True
    assert write_glossary(path, rows[:1]) is False
    assert path.read_text() == HEADER + "point,bonuspoint,required,,false,,\n"
