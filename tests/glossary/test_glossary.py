"""Glossary.check / enforce / protected_spans / comments on realistic da, nb and lt text."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit.config import ProjectConfig, load_config
from toolkit.glossary import Glossary, GlossaryFinding, Term, load_glossary

REPO = Path(__file__).parent.parent.parent


def kinds(glossary: Glossary, source: str, target: str) -> list[tuple[str, str]]:
    return [(f.kind, f.term.target or f.term.source) for f in glossary.check(source, target)]


@pytest.fixture
def da(gproject: ProjectConfig) -> Glossary:
    return load_glossary(gproject, "da")


@pytest.fixture
def nb(gproject: ProjectConfig) -> Glossary:
    return load_glossary(gproject, "nb")


@pytest.fixture
def lt(gproject: ProjectConfig) -> Glossary:
    return load_glossary(gproject, "lt")


def test_load_merges_global_and_locale_rows(gproject: ProjectConfig, da: Glossary) -> None:
    assert {t.source for t in da.rows("dnt")} == {
        "Nordlys",
        "Nordlys Plus",
        "MobilePay",
        "Gold",
        "STOP",
    }
    assert da.locale == "da"
    required = {t.source: t for t in da.rows("required")}
    assert required["loyalty points"].target == "bonuspoint"
    assert required["loyalty points"].origin == "glossaries/da.csv:2"
    forbidden = {t.target: t for t in da.rows("forbidden")}
    # The preferred term comes from the note ("use: ...") or the required row of the concept.
    assert forbidden["kupon"].preferred == "rabatkode"
    assert forbidden["point"].preferred == "bonuspoint"


def test_missing_files_give_an_empty_glossary(tmp_path: Path) -> None:
    (tmp_path / "toolkit.toml").write_text('locales = ["da"]\n')
    glossary = load_glossary(load_config(tmp_path), "da")
    assert len(glossary) == 0
    assert glossary.check("You have points", "Du har point") == []
    assert glossary.enforce("You have points", "Du har point") == ("Du har point", [])


def test_locale_row_overrides_global_row(gproject: ProjectConfig) -> None:
    path = gproject.glossaries_path / "nb.csv"
    path.write_text(
        path.read_text() + "Gold,gull,required,gullnivå,,noun,Tier name translated here.\n"
    )
    nb = load_glossary(gproject, "nb")
    gold = [t for t in nb if t.source == "Gold"]
    assert [(t.rule, t.target) for t in gold] == [("required", "gull")]


def test_language_file_serves_regional_locales(gproject: ProjectConfig) -> None:
    glossary = load_glossary(gproject, "nb_NO")
    assert any(t.target == "bonuspoeng" for t in glossary)


def test_lithuanian_inflected_forms_pass(lt: Glossary) -> None:
    source = "You have 10 loyalty points."
    assert lt.check(source, "Turite 10 lojalumo taškų.") == []  # genitive plural
    assert lt.check("You have 1 loyalty point.", "Turite 1 lojalumo tašką.") == []
    assert lt.check("You have 2 loyalty points.", "Turite 2 lojalumo taškus.") == []
    assert kinds(lt, source, "Turite 10 taškų.") == [("required-missing", "lojalumo taškai")]
    # Tier names stay English; "lygis" carries the case.
    assert lt.check("Reach the Gold tier.", "Pasiekite Gold lygį.") == []


def test_dnt_brand_in_a_placeholder_rich_sentence(da: Glossary) -> None:
    source = (
        "Pay with MobilePay in the Nordlys app, {{ first_name }}: %(amount)s at "
        "https://nordlys.dk/pay?ref=nordlys_app <b>now</b>"
    )
    good = (
        "Betal med MobilePay i Nordlys-appen, {{ first_name }}: %(amount)s på "
        "https://nordlys.dk/pay?ref=nordlys_app <b>nu</b>"
    )
    assert da.check(source, good) == []
    assert [source[s:e] for s, e in da.protected_spans(source)] == ["MobilePay", "Nordlys"]
    # The brand in the URL does not count: the text lost it.
    bad = good.replace("Nordlys-appen", "appen")
    assert kinds(da, source, bad) == [("dnt-altered", "Nordlys")]
    assert "glossaries/_global.csv:2" in da.check(source, bad)[0].message


def test_dnt_longest_term_and_exact_case(da: Glossary) -> None:
    source = "Join Nordlys Plus today."
    assert [source[s:e] for s, e in da.protected_spans(source)] == ["Nordlys Plus"]
    assert kinds(da, source, "Bliv medlem af Nordlys Ekstra i dag.") == [
        ("dnt-altered", "Nordlys Plus")
    ]
    assert kinds(da, source, "Bliv medlem af nordlys plus i dag.") == [
        ("dnt-altered", "Nordlys Plus")
    ]


def test_capitalized_sentence_initial_terms(da: Glossary, nb: Glossary) -> None:
    assert da.check("Points expire after 12 months.", "Bonuspoint udløber efter 12 måneder.") == []
    assert da.check("VAT is included.", "Moms er inkluderet.") == []  # case-sensitive row
    assert kinds(da, "VAT is included.", "MOMS er inkluderet.") == [("required-missing", "moms")]
    assert nb.check("Redeem your loyalty points.", "Løs inn bonuspoengene dine.") == []


def test_substrings_of_other_words_do_not_match(da: Glossary) -> None:
    assert da.match("Book an appointment in the store.") == []
    # Danish "pointe(n)" is not the forbidden bare "point".
    assert da.check("Earn loyalty points.", "Optjen bonuspoint – det er hele pointen.") == []
    assert kinds(da, "Earn loyalty points.", "Optjen point.") == [("forbidden-used", "point")]


def test_forbidden_reported_once_with_preferred_term(da: Glossary, lt: Glossary) -> None:
    findings = da.check("Use your discount code.", "Brug din kupon.")
    assert [(f.kind, f.found) for f in findings] == [("forbidden-used", "kupon")]
    assert findings[0].message == "'kupon' is forbidden; use 'rabatkode' (glossaries/da.csv:7)."
    assert kinds(lt, "Your receipt is attached.", "Jūsų čekis pridėtas.") == [
        ("forbidden-used", "čekis")
    ]


def test_compounds_via_wildcard_forms(da: Glossary) -> None:
    assert da.check("Pay with your card.", "Betal med dit betalingskort.") == []
    assert da.check("Your Gold tier", "Dit Gold-niveau") == []


def test_enforce_replaces_forbidden_words_keeping_case(da: Glossary, nb: Glossary) -> None:
    source = "Use your coupon. Coupons expire. COUPON!"
    fixed, problems = da.enforce(source, "Brug din kupon. Kuponer udløber. KUPON!")
    assert fixed == "Brug din rabatkode. Rabatkoder udløber. RABATKODE!"
    assert problems == []
    fixed, problems = nb.enforce("Your order is on its way.", "Ordren din er på vei.")
    assert fixed == "Ordren din er på vei."  # "ordren" has no replacement: flagged only
    assert problems == ["'Ordren' is forbidden; use 'bestilling' (nb.csv:7)"]


def test_enforce_fixes_bare_point_and_reports_what_is_left(da: Glossary) -> None:
    fixed, problems = da.enforce("You have %(num)d points at Nordlys.", "Du har %(num)d point.")
    assert fixed == "Du har %(num)d bonuspoint."
    assert problems == ["'Nordlys' must stay as written (_global.csv:2)"]


def test_enforce_leaves_dnt_terms_alone(tmp_path: Path) -> None:
    glossary = Glossary(
        [
            Term("Plus", "", "dnt", case_sensitive=True),
            Term("", "plus", "forbidden", preferred="ekstra"),
        ]
    )
    assert glossary.enforce("Nordlys Plus", "Nordlys Plus plus")[0] == "Nordlys Plus ekstra"


def test_comments_list_the_terms_that_apply(da: Glossary) -> None:
    source = "Use your discount code and loyalty points at Nordlys."
    assert da.comments(source) == [
        "glossary: discount code -> rabatkode (required)",
        "glossary: loyalty points -> bonuspoint (required)",
        "glossary: Nordlys (do not translate)",
    ]
    assert da.comments("Use your coupon") == ["glossary: coupon -> rabatkode (required; not kupon)"]


def test_repository_glossaries_are_valid() -> None:
    config = load_config(REPO)
    for locale in config.locales:
        glossary = load_glossary(config, locale)
        assert len(glossary.rows("required")) > 5
        assert len(glossary.rows("dnt")) > 5


def test_a_copied_or_pickled_glossary_checks_the_same(da: Glossary) -> None:
    """Target patterns were keyed by the terms' id(): a deep copy or a pickle round trip
    (a glossary sent to a worker process) raised KeyError on the first match."""
    import copy
    import pickle

    source, target = "Use your coupon and earn points at Nordlys.", "Brug din kupon hos Nordlyset."
    expected = da.check(source, target)
    assert expected  # a forbidden word, a missing required term, an altered brand
    for other in (copy.deepcopy(da), pickle.loads(pickle.dumps(da))):
        assert other.check(source, target) == expected
        assert other.enforce(source, target) == da.enforce(source, target)


def _without_required(findings: list[GlossaryFinding]) -> list[GlossaryFinding]:
    return [f for f in findings if f.kind != "required-missing"]


def test_errors_only_check_gives_the_same_errors_on_real_catalogs(
    gproject: ProjectConfig,
) -> None:
    """compile asks for errors only (required terms are warnings): the forbidden and
    do-not-translate findings are the ones of the full check, entry by entry, on the
    repository's own da/nb/lt catalogs and the glossary test project's."""
    from toolkit.catalogs.reader import read_po_entries

    compared = 0
    for config in (load_config(REPO), gproject):
        for locale in config.locales:
            glossary = load_glossary(config, locale)
            for entry in read_po_entries(config.po_path(locale), locale=locale).entries:
                for pair in entry.pairs():
                    full = glossary.check(pair.source, pair.translation)
                    assert glossary.check(
                        pair.source, pair.translation, required=False
                    ) == _without_required(full), pair.source
                    compared += bool(_without_required(full))
    assert compared >= 3  # errors were there to compare, not only empty lists


def test_errors_only_check_keeps_a_longer_term_covering_a_dnt_term() -> None:
    """A do-not-translate term inside a longer required term counts only when the longer
    term does not win the match: the errors-only check still searches every term then."""
    glossary = Glossary(
        [Term("Loyalty Club", "Fordelsklub", "required"), Term("Club", "", "dnt")], locale="da"
    )
    for source, target in [
        ("Join the Loyalty Club today.", "Bliv medlem af Fordelsklubben i dag."),
        ("Join the Club today.", "Bliv medlem i dag."),
        ("Join the Loyalty Club and the Club.", "Bliv medlem af klubben."),
    ]:
        full = glossary.check(source, target)
        assert glossary.check(source, target, required=False) == _without_required(full)
    assert [f.kind for f in glossary.check("Join the Club.", "Bliv medlem.", required=False)] == [
        "dnt-altered"
    ]
    assert glossary.check("Join the Loyalty Club.", "Bliv medlem.", required=False) == []


@pytest.mark.parametrize(
    ("locale", "source", "translation", "altered"),
    [
        # Genitives and case endings keep the name (Liberapay's catalogs: 30 of 41 findings)
        ("da", "Liberapay's rules", "Liberapays regler", []),
        ("nb", "PayPal's policy", "PayPals retningslinjer", []),
        ("pl", "Pay with PayPal", "Zapłać PayPalem", []),
        # ... but a changed name, a name in another case, or one of two missing is reported
        ("da", "Pay with PayPal", "Betal med Paypal", ["PayPal"]),
        ("da", "PayPal, or better than PayPal", "PayPal, eller bedre end PayPa", ["PayPal"]),
        ("nb", "A Liberapay user", "En Liberpay-bruker", ["Liberapay"]),
    ],
)
def test_dnt_terms_are_read_as_brand_names_are(locale, source, translation, altered) -> None:
    glossary = Glossary(
        [Term("Liberapay", "", "dnt", case_sensitive=True),
         Term("PayPal", "", "dnt", case_sensitive=True)], locale=locale)  # fmt: skip
    found = [f.term.source for f in glossary.check(source, translation)
             if f.kind == "dnt-altered"]  # fmt: skip
    assert found == altered
