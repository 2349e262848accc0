"""TBX export and import: round trips, other tools' files, unsafe and malformed XML."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from translate.storage.tbx import tbxfile

from tests.glossary.conftest import DATA
from tests.glossary.test_files import glossary_rows
from toolkit.config import ProjectConfig
from toolkit.errors import CatalogError, InputError
from toolkit.glossary import Term, load_glossary, merge_layers, read_glossary
from toolkit.glossary.exchange import export_tbx, import_tbx
from toolkit.glossary.tbx import concept_rows, format_tbx, parse_tbx, read_tbx

TBX = DATA / "tbx"


def rows_of(terms: list[Term]) -> list[dict[str, str]]:
    return [t.row() for t in terms]


@pytest.mark.parametrize("locale", ["da", "nb", "lt"])
def test_round_trip_of_the_project_glossaries(gproject: ProjectConfig, locale: str) -> None:
    terms = list(load_glossary(gproject, locale))
    data = format_tbx(terms, locale)
    back = concept_rows(parse_tbx(data, path=Path("x.tbx")), locale, path=Path("x.tbx"))
    assert rows_of(merge_layers([back])) == rows_of(terms)
    assert [t.preferred for t in merge_layers([back])] == [t.preferred for t in terms]


@settings(max_examples=60, deadline=None)
@given(glossary_rows())
def test_round_trip_property(terms: list[Term]) -> None:
    back = concept_rows(
        parse_tbx(format_tbx(terms, "lt"), path=Path("x.tbx")), "lt", path=Path("x")
    )
    assert rows_of(back) == rows_of(terms)


def test_export_is_read_by_translate_toolkit(gproject: ProjectConfig) -> None:
    """translate-toolkit (Weblate's reader) as the oracle for our TBX."""
    store = tbxfile.parsestring(export_tbx(gproject, "da"))
    units = {unit.source: unit for unit in store.units}
    assert units["loyalty points"].target == "bonuspoint"
    assert not units["Nordlys"].istranslatable()
    assert units["loyalty points"].istranslatable()
    kupon = next(u for u in store.units if u.target == "kupon")
    assert kupon.source == "coupon"
    assert all(term.deprecated for term in kupon.get_target_terms("da"))
    assert "use: rabatkode" in kupon.getnotes()


def test_export_is_deterministic_and_ids_are_stable(gproject: ProjectConfig) -> None:
    first = export_tbx(gproject, "lt")
    assert first == export_tbx(gproject, "lt")
    assert b'<termEntry id="required-' in first
    without = export_tbx(gproject, "lt", include_global=False)
    assert b"Nordlys" in first and b"Nordlys" not in without


def test_import_weblate_export(gproject: ProjectConfig) -> None:
    results = import_tbx(gproject, TBX / "weblate-da.tbx", ["da"])
    [result] = results
    assert (result.locale, result.written) == ("da", True)
    terms = {(t.rule, t.source or t.target): t for t in read_glossary(result.path)}
    loyalty = terms[("required", "loyalty points")]
    # Same target as before: the local inflected forms survive, the TBX adds its own.
    assert loyalty.forms == ("bonuspointet", "bonuspointene", "bonuspointenes")
    # The local note stays (docs/glossary.md); the TBX's different note is added below it.
    assert loyalty.note == ("Always 'bonuspoint', never bare 'point'. Same form in singular "
                            "and plural.\nNever bare 'point'.")
    # Imported again: nothing changes (the TBX note is already in the local one).
    [again] = import_tbx(gproject, TBX / "weblate-da.tbx", ["da"])
    assert (again.updated, again.written) == (0, False)
    assert terms[("required", "newsletter")].target == "nyhedsbrev"
    assert terms[("required", "newsletter")].note == "The monthly e-mail."
    assert ("dnt", "Nordlys") in terms
    # Rows the TBX does not mention are kept.
    assert terms[("required", "receipt")].target == "kvittering"
    glossary = load_glossary(gproject, "da")
    assert glossary.check("Read our newsletter", "Læs vores nyhedsbrev") == []


def test_import_without_locale_takes_configured_locales_in_the_file(
    gproject: ProjectConfig,
) -> None:
    results = import_tbx(gproject, TBX / "weblate-da.tbx", dry_run=True)
    assert [r.locale for r in results] == ["da", "nb", "lt"]
    assert not any(r.written for r in results)
    nb = next(r for r in results if r.locale == "nb")
    assert (nb.added, nb.updated) == (2, 0)


REGION_TAGGED = """<?xml version="1.0" encoding="UTF-8"?>
<martif type="TBX" xml:lang="en-US"><text><body>
<termEntry id="a"><langSet xml:lang="en-US"><tig><term>receipt</term></tig></langSet>
<langSet xml:lang="lt-LT"><tig><term>kvitas</term></tig></langSet>
<langSet xml:lang="pt-PT"><tig><term>recibo</term></tig></langSet></termEntry>
<termEntry id="b"><descrip type="Translation needed">no</descrip>
<langSet xml:lang="en-US"><tig><term>Nordlys</term></tig></langSet></termEntry>
</body></text></martif>
"""


def test_region_tagged_languages_serve_the_language(gproject: ProjectConfig, tmp_path: Path):
    """Weblate and Crowdin tag languages with a region (lt-LT, en-US): lt's required term was
    dropped silently, only the do-not-translate row imported, exit 0 (QA 32)."""
    path = tmp_path / "crowdin.tbx"
    path.write_text(REGION_TAGGED, "utf-8")
    [result] = import_tbx(gproject, path, dry_run=True)
    assert result.locale == "lt" and result.added + result.updated >= 1
    rows = concept_rows(read_tbx(path), "lt", path=path)
    assert [(t.rule, t.source, t.target) for t in rows] == [
        ("required", "receipt", "kvitas"), ("dnt", "Nordlys", "")]
    # A regional locale does not take another region's terms: Brazilian is not European.
    assert [t.rule for t in concept_rows(read_tbx(path), "pt_BR", path=path)] == ["dnt"]
    assert [t.target for t in concept_rows(read_tbx(path), "pt", path=path)][0] == "recibo"


def test_import_tbx_v3_with_replace(gproject: ProjectConfig) -> None:
    [result] = import_tbx(gproject, TBX / "tbx3-lt.tbx", ["lt"], replace_existing=True)
    terms = read_glossary(result.path)
    assert [(t.rule, t.source, t.target, t.forms) for t in terms] == [
        ("required", "receipt", "kvitas", ("kvitų",)),
        ("forbidden", "receipt", "čekis", ()),
    ]
    glossary = load_glossary(gproject, "lt")
    assert glossary.enforce("Your receipt", "Jūsų čekis")[0] == "Jūsų kvitas"


def test_import_skips_rows_already_in_global(gproject: ProjectConfig, tmp_path: Path) -> None:
    out = tmp_path / "da.tbx"
    out.write_bytes(export_tbx(gproject, "da"))
    [result] = import_tbx(gproject, out, ["da"])
    assert result.skipped_global == 5
    assert (result.added, result.updated) == (0, 0)
    assert result.unchanged == len(read_glossary(result.path))
    assert result.written is False


@pytest.mark.parametrize(
    ("name", "line", "message"),
    [
        ("billion-laughs.tbx", 3, "refused: the file declares or references XML entities"),
        ("external-entity.tbx", 3, "refused: the file declares or references XML entities"),
        ("malformed.tbx", 6, "not well-formed XML: mismatched tag"),
    ],
)
def test_unsafe_and_malformed_tbx_is_refused(name: str, line: int, message: str) -> None:
    with pytest.raises(CatalogError) as info:
        read_tbx(TBX / name)
    assert info.value.line == line
    assert message in str(info.value)
    assert f"{name}:{line}: " in str(info.value)


def test_not_a_tbx_file(tmp_path: Path) -> None:
    path = tmp_path / "x.tbx"
    path.write_text('<?xml version="1.0"?>\n<xliff version="1.2"/>\n')
    with pytest.raises(
        CatalogError, match=r"x\.tbx:2: not a TBX file: the root element is <xliff>"
    ):
        read_tbx(path)


def test_concept_without_source_term(tmp_path: Path) -> None:
    path = tmp_path / "x.tbx"
    path.write_text(
        '<martif type="TBX"><text><body>\n<termEntry>\n'
        '<langSet xml:lang="da"><tig><term>bonuspoint</term></tig></langSet>\n'
        "</termEntry>\n</body></text></martif>\n"
    )
    with pytest.raises(CatalogError, match=r"x\.tbx:2: concept has 'bonuspoint' but no en term"):
        concept_rows(read_tbx(path), "da", path=path)


def test_tbx_conflicting_rows_name_the_tbx_line(gproject: ProjectConfig, tmp_path: Path) -> None:
    path = tmp_path / "x.tbx"
    path.write_text(
        '<martif type="TBX"><text><body>\n'
        '<termEntry><langSet xml:lang="en"><tig><term>point</term></tig></langSet>'
        '<langSet xml:lang="da"><tig><term>bonuspoint</term></tig></langSet></termEntry>\n'
        '<termEntry><langSet xml:lang="en"><tig><term>point</term></tig></langSet>'
        '<langSet xml:lang="da"><tig><term>point</term></tig></langSet></termEntry>\n'
        "</body></text></martif>\n"
    )
    with pytest.raises(CatalogError, match=r"x\.tbx:3: the row for 'point' conflicts with line 2"):
        import_tbx(gproject, path, ["da"])


def test_file_without_configured_locales(gproject: ProjectConfig) -> None:
    with pytest.raises(InputError, match="none of them a configured locale"):
        import_tbx(gproject.__class__(root=gproject.root, locales=("fi",)), TBX / "weblate-da.tbx")


def test_a_bad_tbx_term_is_reported_at_its_tbx_line(gproject: ProjectConfig, tmp_path: Path):
    """A TBX term the CSV cannot hold was reported at a line of lt.csv that does not exist
    (QA pass 58); a term '*' was imported and then matched every word."""
    tbx = tmp_path / "bad.tbx"
    tbx.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<tbx type="TBX-Basic" style="dct" '
        'xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2"><text><body>\n'
        '<conceptEntry id="c1">\n<langSec xml:lang="en"><termSec><term>*</term></termSec>'
        '</langSec>\n<langSec xml:lang="da"><termSec><term>stjerne</term></termSec></langSec>'
        "\n</conceptEntry>\n</body></text></tbx>\n", "utf-8")  # fmt: skip
    with pytest.raises(CatalogError) as info:
        import_tbx(gproject, tbx, ["da"], dry_run=True)
    # The term's own line, not its concept's (QA pass 59: line 12 for a term on line 21).
    assert info.value.path == tbx and info.value.line == 4
    assert "the source term '*' has no letter or digit" in str(info.value)


STATUSES = """<?xml version="1.0" encoding="UTF-8"?>
<martif type="TBX-Basic" xml:lang="en-US"><text><body>
<termEntry id="c1"><langSet xml:lang="en-US"><tig><term>account</term></tig></langSet>
 <langSet xml:lang="da-DK">
  <tig><term>konto</term><termNote type="administrativeStatus">preferred</termNote></tig>
  <tig><term>profil</term><termNote type="administrativeStatus">forbidden</termNote></tig>
  <tig><term>brugerkonto</term><termNote type="administrativeStatus">obsolete</termNote></tig>
 </langSet></termEntry>
<termEntry id="c2"><langSet xml:lang="en-US"><tig><term>patron</term></tig></langSet>
 <langSet xml:lang="da-DK">
  <tig><term>protektor</term><termNote type="normativeAuthorization">preferredTerm</termNote></tig>
  <tig><term>sponsor</term><termNote type="normativeAuthorization">deprecatedTerm</termNote></tig>
 </langSet></termEntry>
<termEntry id="c3"><langSet xml:lang="en-US"><tig><term>Liberapay</term>
  <termNote type="translationNote">no</termNote></tig></langSet></termEntry>
<termEntry id="c4"><langSet xml:lang="en"><tig><term>team</term></tig></langSet>
 <langSet xml:lang="no"><tig><term>lag</term></tig></langSet></termEntry>
</body></text></martif>
"""

DCT = """<?xml version="1.0" encoding="UTF-8"?>
<tbx type="TBX-Basic" style="dct" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2"
     xmlns:min="http://www.tbxinfo.net/ns/min"><text><body>
<conceptEntry id="c1"><langSec xml:lang="en"><termSec><term>donation</term>
  <min:partOfSpeech>noun</min:partOfSpeech></termSec></langSec>
 <langSec xml:lang="nb">
  <termSec><term>donasjon</term><min:administrativeStatus>preferred</min:administrativeStatus></termSec>
  <termSec><term>gave</term><min:administrativeStatus>notRecommended</min:administrativeStatus></termSec>
 </langSec></conceptEntry>
</body></text></tbx>
"""


def test_every_status_of_a_term_not_to_use_makes_a_forbidden_row(tmp_path: Path) -> None:
    """'forbidden', 'obsolete' and normativeAuthorization 'deprecatedTerm' were read as allowed
    forms of the required row (Weblate's test file made its obsolete 'bus de données' the
    required translation); Weblate's translationNote 'no' is a do-not-translate term; 'no'
    is Bokmål, as everywhere in the toolkit (QA pass 80)."""
    path = tmp_path / "statuses.tbx"
    path.write_text(STATUSES, "utf-8")
    rows = concept_rows(read_tbx(path), "da", path=path)
    assert [(t.rule, t.source, t.target, t.forms) for t in rows] == [
        ("required", "account", "konto", ()),
        ("forbidden", "account", "profil", ("brugerkonto",)),
        ("required", "patron", "protektor", ()),
        ("forbidden", "patron", "sponsor", ()),
        ("dnt", "Liberapay", "", ()),
    ]
    assert [(t.rule, t.target) for t in concept_rows(read_tbx(path), "nb", path=path)] == [
        ("dnt", ""), ("required", "lag")]


def test_tbx_v3_dct_elements_are_read(tmp_path: Path) -> None:
    """<min:administrativeStatus> (TBX v3's DCT style) was never read: the forbidden 'gave'
    became an allowed form, and the part of speech was lost."""
    path = tmp_path / "dct.tbx"
    path.write_text(DCT, "utf-8")
    rows = concept_rows(read_tbx(path), "nb", path=path)
    assert [(t.rule, t.target, t.pos) for t in rows] == [
        ("required", "donasjon", "noun"), ("forbidden", "gave", "noun")]


def _tbx(body: str) -> str:
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<martif type="TBX" xml:lang="en">'
            f"<text><body>\n{body}\n</body></text></martif>\n")


def test_a_language_section_without_a_language_is_an_error_at_its_line(tmp_path: Path) -> None:
    """Its terms were dropped without a word (QA pass 80)."""
    path = tmp_path / "nolang.tbx"
    path.write_text(_tbx('<termEntry id="c1"><langSet xml:lang="en"><tig><term>payment</term>'
                         '</tig></langSet>\n<langSet><tig><term>mokėjimas</term></tig></langSet>'
                         "</termEntry>"), "utf-8")  # fmt: skip
    with pytest.raises(CatalogError) as raised:
        read_tbx(path)
    assert raised.value.line == 4 and "without xml:lang" in str(raised.value)


def test_a_term_that_starts_like_a_spreadsheet_formula_is_refused(tmp_path: Path) -> None:
    """'=HYPERLINK(...)' went into the glossary's CSV file as written, where a spreadsheet
    runs it (QA pass 80)."""
    path = tmp_path / "formula.tbx"
    path.write_text(_tbx('<termEntry id="c1"><langSet xml:lang="en"><tig><term>help</term>'
                         '</tig></langSet><langSet xml:lang="da"><tig>\n<term>=HYPERLINK('
                         '"http://evil.example","hjælp")</term></tig></langSet></termEntry>'),
                    "utf-8")  # fmt: skip
    with pytest.raises(CatalogError) as raised:
        read_tbx(path)
    assert raised.value.line == 4 and "spreadsheet formula" in str(raised.value)


def test_invisible_characters_at_a_terms_edges_are_dropped(tmp_path: Path) -> None:
    """A trailing zero-width space kept the term from ever matching (QA pass 80)."""
    path = tmp_path / "zwsp.tbx"
    path.write_text(_tbx('<termEntry id="c1"><langSet xml:lang="en"><tig><term>points\u200b'
                         '</term></tig></langSet><langSet xml:lang="da"><tig><term>\ufeffpoint'
                         "</term></tig></langSet></termEntry>"), "utf-8")  # fmt: skip
    [row] = concept_rows(read_tbx(path), "da", path=path)
    assert (row.source, row.target) == ("points", "point")
