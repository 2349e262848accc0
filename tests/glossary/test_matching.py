"""Term matching: whole words, several words, Unicode, case, English inflection."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.glossary import Glossary, Term
from toolkit.glossary.matching import (
    TermPattern,
    compile_terms,
    english_variants,
    find_all,
    find_each,
    keep_case,
    placeholder_spans,
)


def spans(glossary: Glossary, text: str) -> list[str]:
    return [m.text for m in glossary.match(text)]


POINT = Term("point", "bonuspoint", "required", pos="noun")
REWARD = Term("reward", "belønning", "required", pos="noun")
LOYALTY = Term("loyalty points", "lojalumo taškai", "required", pos="noun phrase")
NORDLYS = Term("Nordlys", "", "dnt", case_sensitive=True, pos="proper noun")
NORDLYS_PLUS = Term("Nordlys Plus", "", "dnt", case_sensitive=True, pos="proper noun")
VISA = Term("Visa", "", "dnt", case_sensitive=True, pos="proper noun")
REDEEM = Term("redeem", "indløse", "required", pos="verb")
COMPANY = Term("company", "virksomhed", "required")


@pytest.mark.parametrize(
    ("terms", "text", "found"),
    [
        ([POINT], "You have 250 points.", ["points"]),
        ([POINT], "You have 1 point.", ["point"]),
        ([POINT], "Book an appointment.", []),
        ([POINT], "Standpoint, pointless, points_total, {points}, %(points)s", []),
        ([POINT], "See https://nordlys.dk/points or {{ points }}", []),
        ([POINT], "Points expire soon.", ["Points"]),
        ([POINT], "POINTS EXPIRE", ["POINTS"]),
        ([POINT], "The point's value", ["point"]),
        ([REWARD], "Your rewards are here", ["rewards"]),
        ([COMPANY], "Other companies", ["companies"]),
        ([REDEEM], "Redeemed and redeeming", ["Redeemed", "redeeming"]),
        (
            [LOYALTY],
            "10 loyalty\u00a0points and 1 loyalty\npoint",
            ["loyalty\u00a0points", "loyalty\npoint"],
        ),
        ([LOYALTY, POINT], "Your loyalty points, and more points", ["loyalty points", "points"]),
        ([NORDLYS, NORDLYS_PLUS], "Join Nordlys Plus at Nordlys.", ["Nordlys Plus", "Nordlys"]),
        ([NORDLYS], "nordlys borealis, Nordlyset", []),
        ([VISA], "Pay by Visa; no visa needed", ["Visa"]),
    ],
)
def test_source_matching(terms: list[Term], text: str, found: list[str]) -> None:
    assert spans(Glossary(terms), text) == found


@pytest.mark.parametrize(
    ("forms", "text", "found"),
    [
        (("point",), "Det er hele pointen, ikke en pointe.", []),
        (("point",), "Du har 10 bonuspoint.", []),
        (("point",), "Du har 10 point.", ["point"]),
        (("lojalumo taškai", "lojalumo taškų"), "Turite 10 lojalumo taškų.", ["lojalumo taškų"]),
        (("taškai",), "Turite 10 lojalumo taškų.", []),
        (("kvitas",), "Jūsų kvitasų", []),
        (("ąžuolas",), "Ąžuolas žaliuoja", ["Ąžuolas"]),
        (("kø",), "Stil dig i køen, ikke i kø-systemet", ["kø"]),
        (("*kort",), "Betal med dit betalingskort eller kort.", ["betalingskort", "kort"]),
        (("konto*",), "Se kontooplysninger", ["kontooplysninger"]),
        (("Gold",), "Gold-niveauet og „Gold“", ["Gold", "Gold"]),
    ],
)
def test_target_forms(forms: tuple[str, ...], text: str, found: list[str]) -> None:
    pattern = compile_terms(forms, case_sensitive=False)
    assert [m.group() for m in find_all(pattern, text)] == found


def test_case_sensitive_terms_allow_a_capital_first_letter_except_dnt() -> None:
    moms = compile_terms(("moms",), case_sensitive=True)
    assert [m.group() for m in moms.finditer("Moms og moms, ikke MOMS")] == ["Moms", "moms"]
    exact = compile_terms(("eBay",), case_sensitive=True, capital=False)
    assert [m.group() for m in exact.finditer("eBay, EBay, ebay")] == ["eBay"]


@pytest.mark.parametrize(
    ("word", "verb", "expected"),
    [
        ("point", False, ["point", "points"]),
        ("reward", False, ["reward", "rewards"]),
        ("company", False, ["company", "companies"]),
        ("day", False, ["day", "days"]),
        ("box", False, ["box", "boxes"]),
        ("address", False, ["address", "addresses"]),
        ("bonus", False, ["bonus", "bonuses"]),
        ("points", False, ["points", "point"]),
        ("companies", False, ["companies", "company"]),
        ("redeem", True, ["redeem", "redeems", "redeemed", "redeeming"]),
        ("VAT", False, ["VAT", "VATs"]),
        ("e-mail", False, ["e-mail"]),
    ],
)
def test_english_variants(word: str, verb: bool, expected: list[str]) -> None:
    assert english_variants(word, verb=verb) == expected


def test_keep_case() -> None:
    assert keep_case("Kupon", "rabatkode") == "Rabatkode"
    assert keep_case("KUPON", "rabatkode") == "RABATKODE"
    assert keep_case("kupon", "rabatkode") == "rabatkode"
    assert keep_case("čekis", "kvitas") == "kvitas"
    assert keep_case("Čekis", "kvitas") == "Kvitas"


# --- the pre-filter: a text without a term's required start is not searched ---------------

_LETTERS = "poinPOINtsk Kſİıa-\u00a0\nß*"
_TERMS = st.lists(
    st.text(alphabet="poinstkPOI *", min_size=1, max_size=12), min_size=1, max_size=3
)


def _unfiltered(pattern, text):  # type: ignore[no-untyped-def]
    skip = placeholder_spans(text)
    return [
        m.span()
        for m in pattern.finditer(text)
        if not any(m.start() < e and s < m.end() for s, e in skip)
    ]


@settings(max_examples=400, deadline=None)
@given(
    alternatives=_TERMS,
    case_sensitive=st.booleans(),
    text=st.text(alphabet=_LETTERS, max_size=40),
)
def test_the_prefilter_never_hides_a_match(alternatives, case_sensitive, text):
    pattern = compile_terms(tuple(alternatives), case_sensitive)
    expected = _unfiltered(pattern, text)
    assert [m.span() for m in find_all(pattern, text)] == expected
    # The lazily compiled form, alone and among other terms, finds the same.
    lazy = TermPattern(tuple(alternatives), case_sensitive)
    assert [m.span() for m in find_all(lazy, text)] == expected
    others = [("other", TermPattern(("kit",), False)), ("term", lazy)]
    assert [m.span() for item, m in find_each(others, text) if item == "term"] == expected


@pytest.mark.parametrize(
    ("term", "text"),
    [("point", "POİNT"), ("point", "poınt"), ("sale", "ſale"), ("kit", "\u212aIT"),
     ("loyalty points", "Loyalty\u00a0points"), ("*konto", "Bankkonto")],
)  # fmt: skip
def test_letters_that_match_ascii_case_insensitively_are_still_found(term, text):
    pattern = compile_terms((term,), False)
    assert find_all(pattern, text), (term, text)
