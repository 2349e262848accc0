"""xliff export/import: schemas, round trips, merges, refusals, checks, translate-toolkit."""

from __future__ import annotations

import copy
import difflib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree

from toolkit.catalogs import read_catalog
from toolkit.config import load_config
from toolkit.interchange import export_xliff, import_xliff

from ..catalogs.helpers import msgfmt_check
from .conftest import po_path

X12 = {"x": "urn:oasis:names:tc:xliff:document:1.2"}
X2 = {"x": "urn:oasis:names:tc:xliff:document:2.0", "mtc": "urn:oasis:names:tc:xliff:matches:2.0"}
SLR = "{urn:oasis:names:tc:xliff:sizerestriction:2.0}sizeRestriction"
VERSIONS = ("1.2", "2.1")


def export(vendor, tmp_path: Path, version: str, states: str = "all", locale: str = "lt") -> Path:
    out = tmp_path / f"{locale}-{version}.xlf"
    export_xliff(vendor, locale, out, states=states, version=version)
    return out


def edit(path: Path, xpath: str, ns: dict[str, str], text: str | None = None, **attrs: str) -> None:
    """Change the element at ``xpath`` as a vendor's tool would."""
    tree = etree.parse(str(path))
    nodes = tree.xpath(xpath, namespaces=ns)
    assert nodes, xpath
    for node in nodes:
        if text is not None:
            node.text = text
        for name, value in attrs.items():
            node.set(name.replace("_", "-") if "_" in name and version_12(ns) else name, value)
    tree.write(str(path), xml_declaration=True, encoding="UTF-8")


def version_12(ns: dict[str, str]) -> bool:
    return ns is X12


@pytest.mark.parametrize("version", VERSIONS)
def test_export_validates_against_the_official_schema(vendor, tmp_path, xliff_schemas, version):
    for locale in ("lt", "da"):
        tree = etree.parse(str(export(vendor, tmp_path, version, locale=locale)))
        schemas = ("1.2",) if version == "1.2" else ("2.1", "2.1+modules")
        for name in schemas:
            schema = xliff_schemas[name]
            assert schema.validate(tree), (name, schema.error_log.last_error)


def test_xliff2_modules_are_really_validated(vendor, tmp_path, xliff_schemas):
    """The module schemas are loaded: a match without its required ref is rejected."""
    tree = etree.parse(str(export(vendor, tmp_path, "2.1")))
    match = tree.find(".//mtc:match", X2)
    assert match is not None
    del match.attrib["ref"]
    assert xliff_schemas["2.1"].validate(tree)  # core alone lets module content through
    assert not xliff_schemas["2.1+modules"].validate(tree)


def test_xliff12_carries_context_notes_budget_plurals_glossary_and_mt(vendor, tmp_path):
    tree = etree.parse(str(export(vendor, tmp_path, "1.2")))
    file = tree.find("x:file", X12)
    assert (file.get("source-language"), file.get("target-language")) == ("en", "lt")
    assert file.get("original") == "locales/lt/LC_MESSAGES/messages.po"

    def unit(source: str) -> etree._Element:
        found = tree.xpath(f"//x:trans-unit[x:source={_literal(source)}]", namespaces=X12)
        assert found, source
        return found[0]

    button = unit("Open the app")
    assert button.get("resname") == "button" and button.get("approved") == "yes"
    assert (
        button.findtext("x:context-group/x:context[@context-type='x-po-msgctxt']", None, X12)
        == "button"
    )
    sms = unit("You have %(points)s points. Open the Nordlys app to use them.")
    assert (sms.get("size-unit"), sms.get("maxwidth")) == ("char", "120")  # own limit < SMS 160
    notes = [n.text for n in sms.findall("x:note", X12)]
    assert "part: sms" in notes
    assert "glossary: Nordlys (do not translate)" in notes
    assert sms.find("x:target", X12) is None  # untranslated: no target
    subject = unit("Your points are waiting")
    assert subject.get("maxwidth") == "50"  # subject line budget
    target = subject.find("x:target", X12)
    assert target.get("state") == "needs-review-translation"
    assert target.get("state-qualifier") == "mt-suggestion"
    assert subject.find("x:alt-trans", X12).get("origin") == "mt: argos en->lt 1.0 score=0.81"
    assert subject.get("approved") is None
    welcome = unit("Welcome to Nordlys, %(first_name)s!")
    assert welcome.find("x:target", X12).get("state-qualifier") is None  # fuzzy, not MT
    assert "previous source: Welcome, %(first_name)s!" in [
        n.text for n in welcome.findall("x:note", X12)
    ]
    group = tree.xpath(
        "//x:group[@restype='x-gettext-plurals'][x:trans-unit/x:source="
        "'You earned %(count)s point.']",
        namespaces=X12,
    )[0]
    forms = group.findall("x:trans-unit", X12)
    assert [f.findtext("x:source", None, X12) for f in forms] == [
        "You earned %(count)s point.",
        "You earned %(count)s points.",
        "You earned %(count)s points.",
    ]  # Lithuanian: three forms
    assert forms[2].findtext("x:target", None, X12) == "Gavote %(count)s lojalumo taškų."
    assert forms[0].get("maxwidth") == "100"  # push body


def test_xliff21_carries_the_same_through_modules(vendor, tmp_path):
    tree = etree.parse(str(export(vendor, tmp_path, "2.1")))
    root = tree.getroot()
    assert (root.get("version"), root.get("srcLang"), root.get("trgLang")) == ("2.1", "en", "lt")
    subject = tree.xpath("//x:unit[x:segment/x:source='Your points are waiting']", namespaces=X2)[0]
    assert subject.get(SLR) == "50"
    segment = subject.find("x:segment", X2)
    assert (segment.get("state"), segment.get("subState")) == ("initial", "toolkit:mt")
    match = subject.find("mtc:matches/mtc:match", X2)
    assert (match.get("type"), match.get("ref")) == ("mt", "#s1")
    button = tree.xpath("//x:unit[@name='button']", namespaces=X2)[0]
    assert button.find("x:segment", X2).get("state") == "translated"
    notes = {n.get("category"): n.text for n in button.findall("x:notes/x:note", X2)}
    assert notes["context"] == "msgctxt: button"
    assert notes["developer"] == "label of the main button"
    assert len(tree.xpath("//x:group[@type='gettext:plurals']", namespaces=X2)) == 2


def test_state_selects_entries(vendor, tmp_path):
    default = etree.parse(str(export(vendor, tmp_path, "1.2", states="untranslated,fuzzy")))
    sources = default.xpath("//x:trans-unit/x:source/text()", namespaces=X12)
    assert "Thank you" not in sources and "Open the app" not in sources
    assert "Your points are waiting" in sources and "%(count)s day left" in sources
    translated = etree.parse(str(export(vendor, tmp_path, "2.1", states="translated")))
    assert "Thank you" in translated.xpath("//x:source/text()", namespaces=X2)
    with pytest.raises(Exception, match="unknown --state"):
        export(vendor, tmp_path, "1.2", states="done")


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("states", ["all", "untranslated,fuzzy"])
def test_export_then_import_without_edits_leaves_the_po_byte_identical(
    vendor, vendor_dir, tmp_path, version, states
):
    for locale in ("lt", "da"):
        po = po_path(vendor_dir, locale)
        before = po.read_bytes()
        for approve in ("translated", "reviewed"):
            result = import_xliff(
                vendor, export(vendor, tmp_path, version, states, locale), state=approve
            )
            assert not result.written and not result.refused
            assert result.count("updated") == result.count("approved") == 0
            assert po.read_bytes() == before


@pytest.mark.parametrize("version", VERSIONS)
def test_import_changes_only_the_edited_entries(vendor, vendor_dir, tmp_path, version):
    po = po_path(vendor_dir, "lt")
    before = read_catalog(po, "lt")
    xlf = export(vendor, tmp_path, version)
    ns = X12 if version == "1.2" else X2
    unit = "trans-unit" if version == "1.2" else "segment"
    edit(xlf, f"//x:{unit}[x:source='Thank you']/x:target", ns, "Labai ačiū")
    result = import_xliff(vendor, xlf)
    assert result.written and result.count("updated") == 1 and not result.refused
    after = read_catalog(po, "lt")
    for message in before:
        if not message.id:
            continue
        new = after.get(message.id, message.context)
        if message.id == "Thank you":
            assert new.string == "Labai ačiū" and not new.fuzzy
            assert new.user_comments == ["reviewed by the Vilnius team"]
            continue
        assert (new.string, new.flags, new.user_comments) == (
            message.string,
            message.flags,
            message.user_comments,
        )
    diff = difflib.unified_diff(
        DATA_PO.read_text("utf-8").splitlines(), po.read_text("utf-8").splitlines(), lineterm=""
    )
    assert [line for line in diff if line[:1] in "-+" and line[:3] not in ("---", "+++")] == [
        '-msgstr "Ačiū"',
        '+msgstr "Labai ačiū"',
    ]
    msgfmt_check(po)


DATA_PO = Path(__file__).parents[1] / "data/interchange/project/locales/lt/LC_MESSAGES/messages.po"


def test_a_catalog_linked_to_another_round_trips(vendor_dir, tmp_path):
    """A project keeping one Lithuanian catalog for lt/ and lt_LT/ (a link): the export of
    lt_LT names the file the link points to, and its import was refused as "exported from
    lt's catalog" (QA pass 83). The translation is written through to the one file."""
    (vendor_dir / "toolkit.toml").write_text(
        '[tool.toolkit]\nsource_locale = "en"\nlocales = ["da", "lt", "lt_LT"]\n', "utf-8")
    linked = vendor_dir / "locales" / "lt_LT" / "LC_MESSAGES" / "messages.po"
    linked.parent.mkdir(parents=True)
    linked.symlink_to(Path("..", "..", "lt", "LC_MESSAGES", "messages.po"))
    config = load_config(vendor_dir)
    xlf = export(config, tmp_path, "1.2", locale="lt_LT")
    edit(xlf, "//x:trans-unit[x:source='Thank you']/x:target", X12, "Labai ačiū")
    result = import_xliff(config, xlf)
    assert result.written and result.count("updated") == 1
    assert linked.is_symlink()
    assert 'msgstr "Labai ačiū"' in po_path(vendor_dir, "lt").read_text("utf-8")


def test_state_decides_between_fuzzy_and_approved(vendor, vendor_dir, tmp_path):
    xlf = export(vendor, tmp_path, "2.1")
    plural = "//x:group[x:unit/x:segment/x:source='%(count)s day left']/x:unit/x:segment"
    edit(xlf, f"{plural}", X2, state="translated")
    tree = etree.parse(str(xlf))
    for index, node in enumerate(tree.xpath(plural, namespaces=X2)):
        target = etree.SubElement(node, f"{{{X2['x']}}}target")
        target.text = ["Liko %(count)s diena", "Liko %(count)s dienos", "Liko %(count)s dienų"][
            index
        ]
    tree.write(str(xlf), xml_declaration=True, encoding="UTF-8")
    # The MT suggestion is accepted unchanged by a reviewer.
    edit(xlf, "//x:segment[x:source='Your points are waiting']", X2, state="final")

    result = import_xliff(vendor, xlf, state="reviewed", dry_run=True)
    assert not result.written and po_path(vendor_dir, "lt").read_bytes() == DATA_PO.read_bytes()
    assert result.differs  # what 'would change' says
    result = import_xliff(vendor, xlf, state="reviewed")
    assert (result.count("updated"), result.count("approved")) == (1, 1)
    catalog = read_catalog(po_path(vendor_dir, "lt"), "lt")
    days = catalog.get(("%(count)s day left", "%(count)s days left"))
    assert days.string[2] == "Liko %(count)s dienų" and days.fuzzy  # translated < reviewed
    accepted = catalog.get("Your points are waiting")
    assert not accepted.fuzzy and accepted.string == "Jūsų lojalumo taškai laukia"
    assert import_xliff(vendor, xlf, state="translated").count("approved") == 1  # days approved


@pytest.mark.parametrize("version", VERSIONS)
def test_units_whose_source_no_longer_matches_are_refused(vendor, vendor_dir, tmp_path, version):
    xlf = export(vendor, tmp_path, version)
    ns = X12 if version == "1.2" else X2
    unit = "trans-unit" if version == "1.2" else "segment"
    edit(xlf, f"//x:{unit}[x:source='Thank you']/x:target", ns, "Labai ačiū")
    edit(xlf, f"//x:{unit}[x:source='Open the app']/x:target", ns, "Atverkite programėlę")
    edit(xlf, f"//x:{unit}[x:source='Your points are waiting']/x:source", ns, "Points!")
    # Meanwhile the content team rewrote "Thank you" (update made it a new entry).
    po = po_path(vendor_dir, "lt")
    po.write_bytes(po.read_bytes().replace(b'msgid "Thank you"', b'msgid "Thanks a lot"'))
    edited = po.read_bytes()

    result = import_xliff(vendor, xlf)
    refused = {unit.msgid: unit.reason for unit in result.refused}
    assert "no longer in the catalog" in refused["Thank you"]
    assert "differs from the catalog's" in refused["Your points are waiting"]
    assert result.count("updated") == 1  # the button
    text = po.read_bytes()
    assert b"Labai a" not in text and b"Points!" not in text
    assert text == edited.replace(b"Atidarykite", b"Atverkite")


def test_check_findings_of_imported_entries_are_reported(vendor, vendor_dir, tmp_path, run):
    sms = "You have %(points)s points. Open the Nordlys app to use them."  # untranslated
    xlf = export(vendor, tmp_path, "1.2")
    tree = etree.parse(str(xlf))
    [unit] = tree.xpath(f"//x:trans-unit[x:source='{sms}']", namespaces=X12)
    etree.SubElement(unit, f"{{{X12['x']}}}target").text = "Jūs turite taškų. Atidarykite Nordlys."
    tree.write(str(xlf), xml_declaration=True, encoding="UTF-8")
    preview = run("xliff", "import", str(xlf), "--format", "json", "--dry-run")
    assert preview.exit_code == 1
    report = json.loads(preview.stdout)
    assert report["summary"]["held"] == 1 and not report["written"]
    [held] = [u for u in report["units"] if u["outcome"] == "held"]
    assert held["msgid"] == sms and "imported as fuzzy: placeholders" in held["reason"]
    assert {f["msgid"] for f in report["checks"]["findings"]} == {sms}
    assert po_path(vendor_dir, "lt").read_bytes() == DATA_PO.read_bytes()

    result = run("xliff", "import", str(xlf))
    assert result.exit_code == 1  # imported, held back, and the findings say what to fix
    assert "placeholder" in result.stdout and sms in result.stdout
    assert "1 held" in result.stdout and "held " in result.stderr
    # The text is there for the reviewer, fuzzy: msgfmt (and compile) still take the catalog.
    po = po_path(vendor_dir, "lt")
    entry = po.read_text("utf-8").split(f'msgid "{sms}"')[0].rsplit("\n\n", 1)[1]
    assert "fuzzy" in entry
    msgfmt_check(po)
    imported = po.read_bytes()
    again = run("xliff", "import", str(xlf))
    assert again.exit_code == 1 and "not approved: placeholders" in again.stderr
    assert po.read_bytes() == imported


def test_a_fuzzy_import_with_an_error_never_replaces_an_approved_translation(vendor, tmp_path):
    """With --state reviewed a translated unit comes in fuzzy; one with a broken placeholder
    replaced the approved text unchecked, exit 0 (QA pass 28, pgAdmin's German)."""
    path = export(vendor, tmp_path, "1.2")
    edit(path, "//x:trans-unit[x:source='Thank you']/x:target", X12, "Ačiū %(name)s")
    po = po_path(vendor.root, "lt")
    before = po.read_bytes()
    result = import_xliff(vendor, path, state="reviewed")
    [unit] = [u for u in result.units if u.msgid == "Thank you"]
    assert unit.outcome == "held" and "approved translation kept" in unit.reason
    assert po.read_bytes() == before


def test_a_held_unit_never_replaces_an_approved_translation(vendor, vendor_dir, tmp_path, run):
    """An edit with a placeholder typo replaced the approved German text with a fuzzy broken
    one, which compile then left out: the approved text was gone (QA pass 25). The catalog
    keeps it; the unit is reported held (exit 1)."""
    xlf = export(vendor, tmp_path, "1.2")
    edit(xlf, "//x:trans-unit[x:source='Thank you']/x:target", X12, "Ačiū %(name)s")
    result = run("xliff", "import", str(xlf))
    assert result.exit_code == 1
    assert "not imported, the catalog's approved translation kept: placeholders" in result.stderr
    assert po_path(vendor_dir, "lt").read_bytes() == DATA_PO.read_bytes()


def test_an_approval_with_a_check_error_is_not_made(vendor, vendor_dir, tmp_path, run):
    """A reviewer's ``final`` on an entry whose text has an error leaves it fuzzy as it was
    (its previous msgid too): the catalog stays one msgfmt accepts."""
    po = po_path(vendor_dir, "lt")
    text = po.read_text("utf-8")
    head, tail = text.split('msgid "Thank you"\nmsgstr "', 1)
    po.write_text(head + '#, fuzzy\n#| msgid "Thanks"\nmsgid "Thank you"\nmsgstr "%(x)s '
                  + tail, "utf-8")  # fmt: skip
    before = po.read_bytes()
    xlf = export(vendor, tmp_path, "1.2", states="all")
    tree = etree.parse(str(xlf))
    [target] = tree.xpath("//x:trans-unit[x:source='Thank you']/x:target", namespaces=X12)
    target.set("state", "final")
    tree.write(str(xlf), xml_declaration=True, encoding="UTF-8")
    result = run("xliff", "import", str(xlf), "--format", "json")
    assert result.exit_code == 1
    [held] = [u for u in json.loads(result.stdout)["units"] if u["outcome"] == "held"]
    assert held["reason"].startswith("not approved: placeholders")
    assert po.read_bytes() == before


def test_file_for_another_locale_is_one_clear_error(vendor, vendor_dir, tmp_path, run):
    xlf = export(vendor, tmp_path, "1.2", locale="da")
    before = po_path(vendor_dir, "lt").read_bytes()
    result = run("xliff", "import", str(xlf), "--locale", "lt")
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "not for 'lt'" in result.stderr
    tree = etree.parse(str(xlf))
    tree.getroot().find("x:file", X12).set("target-language", "sv-SE")
    tree.write(str(xlf))
    result = run("xliff", "import", str(xlf))
    assert result.exit_code == 2 and "not one of the project's locales (da, lt)" in result.stderr
    assert po_path(vendor_dir, "lt").read_bytes() == before


def test_a_file_relabelled_for_another_locale_is_refused(vendor, vendor_dir, tmp_path, run):
    """A da export whose target language was changed to lt would have put Danish into the
    Lithuanian catalog (exit 0): the file's ``original`` names the da catalog (QA pass 15)."""
    xlf = export(vendor, tmp_path, "1.2", locale="da")
    edit(xlf, "//x:trans-unit[x:source='Thank you']/x:target", X12, "Mange tak!")
    tree = etree.parse(str(xlf))
    tree.getroot().find("x:file", X12).set("target-language", "lt-LT")
    tree.write(str(xlf), xml_declaration=True, encoding="UTF-8")
    before = {loc: po_path(vendor_dir, loc).read_bytes() for loc in ("da", "lt")}
    result = run("xliff", "import", str(xlf))
    assert result.exit_code == 2, result.stderr
    assert "was exported from locales/da/LC_MESSAGES/messages.po (da)" in result.stderr
    assert "target language back to 'da'" in result.stderr and result.stderr.count("\n") == 1
    assert {loc: po_path(vendor_dir, loc).read_bytes() for loc in ("da", "lt")} == before
    assert run("xliff", "import", str(xlf), "--locale", "lt").exit_code == 2
    tree.getroot().find("x:file", X12).set("target-language", "da")
    tree.write(str(xlf), xml_declaration=True, encoding="UTF-8")
    assert run("xliff", "import", str(xlf)).exit_code == 0
    assert "Mange tak!" in po_path(vendor_dir, "da").read_text("utf-8")


def test_units_translating_one_entry_differently_are_all_refused(vendor, vendor_dir,
                                                                 tmp_path, run):  # fmt: skip
    """Which of two different targets a vendor meant is not known: neither is imported (the
    first one won before). The same target twice is no conflict."""
    xlf = export(vendor, tmp_path, "1.2")
    tree = etree.parse(str(xlf))
    [unit] = tree.xpath("//x:trans-unit[x:source='Thank you']", namespaces=X12)
    unit.find("x:target", X12).text = "Labai ačiū"
    twin = copy.deepcopy(unit)
    twin.find("x:target", X12).text = "Ačiū labai"
    unit.addnext(twin)
    tree.write(str(xlf), xml_declaration=True, encoding="UTF-8")
    before = po_path(vendor_dir, "lt").read_bytes()
    result = run("xliff", "import", str(xlf), "--format", "json")
    assert result.exit_code == 1
    units = [u for u in json.loads(result.stdout)["units"] if u["msgid"] == "Thank you"]
    assert [u["outcome"] for u in units] == ["refused", "refused"]
    assert all("translate this entry differently; none is imported" in u["reason"]
               for u in units)  # fmt: skip
    assert po_path(vendor_dir, "lt").read_bytes() == before
    twin.find("x:target", X12).text = "Labai ačiū"
    tree.write(str(xlf), xml_declaration=True, encoding="UTF-8")
    result = run("xliff", "import", str(xlf), "--format", "json")
    assert json.loads(result.stdout)["summary"]["updated"] == 1


#: Ten levels of ten: a billion "lol"s if a parser expanded them.
BILLION_LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE xliff [\n <!ENTITY l0 "lol">\n'
    + b"".join(f' <!ENTITY l{n} "{f"&l{n - 1};" * 10}">\n'.encode() for n in range(1, 10))
    + b']>\n<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2"><file '
    b'target-language="lt"><body><trans-unit id="x"><source>&l9;</source></trans-unit>'
    b"</body></file></xliff>\n"
)
BAD_XML = {
    "malformed": (
        b'<?xml version="1.0"?>\n<xliff version="1.2">\n<file>\n</xliff>\n',
        "bad.xlf:4: not well-formed XML",
    ),
    "billion laughs": (BILLION_LAUGHS, "entities"),
    "external entity": (
        b'<?xml version="1.0"?>\n<!DOCTYPE xliff [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n'
        b'<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2"><file '
        b'target-language="lt"><body><trans-unit id="x"><source>&e;</source></trans-unit>'
        b"</body></file></xliff>\n",
        "entities",
    ),
    # An attribute default would approve a unit that shows no state (QA pass 57).
    "attribute defaults": (
        b'<?xml version="1.0"?>\n<!DOCTYPE xliff [\n<!ATTLIST target state CDATA "final">\n]>\n'
        b'<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2"><file '
        b'target-language="lt"><body><trans-unit id="x"><source>a</source><target>b</target>'
        b"</trans-unit></body></file></xliff>\n",
        "bad.xlf:3: the document's DOCTYPE declares attribute defaults",
    ),
    "unknown version": (
        b'<?xml version="1.0"?>\n<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" '
        b'version="3.0"><file target-language="lt"><body/></file></xliff>\n',
        "bad.xlf:2: XLIFF version '3.0' in the 1.x namespace",
    ),
    "not xliff": (b"<html><body>hi</body></html>", "not an XLIFF"),
    # A declaration quoted in a comment declares nothing: the file is read (and refused
    # only for being another project's, which is what this test project makes of it).
    "declaration in a comment": (
        b'<?xml version="1.0"?>\n<!-- <!ATTLIST target state CDATA "final"> -->\n'
        b'<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2"><file '
        b'target-language="lt"><body><trans-unit id="x"><source>zzz</source><target>b</target>'
        b"</trans-unit></body></file></xliff>\n",
        "none of its 1 units is an entry",
    ),
    # libxml2's message ends with a newline here: the error is still one line.
    "NUL character": (
        b'<?xml version="1.0"?>\n<xliff version="1.2"><file>a\x00b</file></xliff>\n',
        "bad.xlf:2: not well-formed XML: Invalid character",
    ),
    # libxml2 advises a flag of its own the user cannot set.
    "nested too deeply": (
        b'<?xml version="1.0"?>\n<xliff version="1.2">'
        + b"<g>" * 300
        + b"</g>" * 300
        + b"</xliff>\n",
        "safety limit of the XML parser",
    ),
    # No DTD is read (below), so an entity only an external DTD could define is undefined:
    # its text would silently be missing from the target.
    "entity from an external DTD": (
        b'<?xml version="1.0"?>\n<!DOCTYPE xliff SYSTEM "http://example.com/x.dtd">\n'
        b'<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2"><file '
        b'target-language="lt"><body><trans-unit id="x"><source>a</source>\n'
        b"<target>b &e; c</target></trans-unit></body></file></xliff>\n",
        "bad.xlf:4: the document uses the entity &e;",
    ),
}


def test_the_dtd_a_doctype_names_is_never_read(vendor, vendor_dir, tmp_path, monkeypatch):
    """A DOCTYPE's external DTD is not loaded: not a local file (/etc/passwd, a FIFO that
    would block the read forever) and not a stray file of the current folder (the TMX export
    names tmx14.dtd): a junk DTD there made a valid file fail as 'not well-formed'."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "vendor.dtd").write_text("junk <<")
    xlf = export(vendor, tmp_path, "1.2", locale="lt")
    data = xlf.read_bytes().replace(b"?>\n", b'?>\n<!DOCTYPE xliff SYSTEM "vendor.dtd">\n', 1)
    assert b"<!DOCTYPE" in data
    xlf.write_bytes(data)
    result = import_xliff(vendor, xlf)
    assert not result.refused and not result.written


@pytest.mark.parametrize("case", BAD_XML)
def test_bad_xml_is_one_line_exit_2_and_writes_nothing(vendor_dir, tmp_path, run, case):
    data, expected = BAD_XML[case]
    path = tmp_path / "bad.xlf"
    path.write_bytes(data)
    before = {p: p.read_bytes() for p in (vendor_dir / "locales").rglob("*.po")}
    result = run("xliff", "import", str(path))
    assert result.exit_code == 2, result.output
    assert expected in result.stderr and result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr
    assert {p: p.read_bytes() for p in before} == before


def test_inline_codes_a_po_cannot_hold_are_refused_per_unit(vendor, vendor_dir, tmp_path):
    xlf = export(vendor, tmp_path, "1.2")
    tree = etree.parse(str(xlf))
    target = tree.xpath("//x:trans-unit[x:source='Thank you']/x:target", namespaces=X12)[0]
    target.text = "Ačiū"
    etree.SubElement(target, f"{{{X12['x']}}}x", id="1").tail = "!"
    tree.write(str(xlf))
    result = import_xliff(vendor, xlf)
    assert [u.msgid for u in result.refused] == ["Thank you"]
    assert "inline code <x>" in result.refused[0].reason
    assert po_path(vendor_dir, "lt").read_bytes() == DATA_PO.read_bytes()


def test_translate_toolkit_reads_the_same_units(vendor, tmp_path):
    """translate-toolkit's xliff2po (XLIFF 1.2) and Xliff2File (2.1) see our units."""
    from translate.storage.xliff2 import Xliff2File

    catalog = read_catalog(DATA_PO, "lt")
    expected = set()
    for message in catalog:
        if not message.id or isinstance(message.id, tuple):
            continue
        if message.string:
            expected.add((message.id, message.string, message.fuzzy))
    xlf = export(vendor, tmp_path, "1.2")
    po = tmp_path / "ttk.po"
    # The console script installed next to this interpreter (the venv's), else the one on PATH.
    script = Path(sys.executable).with_name("xliff2po")
    command = str(script) if script.exists() else shutil.which("xliff2po")
    assert command, "translate-toolkit's xliff2po must be installed (dev extra)"
    subprocess.run([command, str(xlf), str(po)], check=True, capture_output=True)
    import polib

    converted = polib.pofile(str(po))
    got = {(e.msgid, e.msgstr, e.fuzzy) for e in converted if e.msgstr and not e.msgid_plural}
    assert got == expected
    plural = next(e for e in converted if e.msgid == "You earned %(count)s point.")
    assert plural.msgstr_plural[2] == "Gavote %(count)s lojalumo taškų."

    store = Xliff2File.parsestring((export(vendor, tmp_path, "2.1")).read_bytes())
    pairs = {(u.source, u.target, u.isfuzzy()) for u in store.units if u.target}
    assert {p for p in expected} <= pairs


def _literal(text: str) -> str:
    return f'"{text}"' if '"' not in text else f"'{text}'"


def test_files_made_by_another_tool_are_matched_by_context_and_source(vendor, vendor_dir, tmp_path):
    """translate-toolkit's po2xliff numbers its units; import finds entries by msgid instead."""
    script = Path(sys.executable).with_name("po2xliff")
    command = str(script) if script.exists() else shutil.which("po2xliff")
    assert command, "translate-toolkit's po2xliff must be installed (dev extra)"
    xlf = tmp_path / "ttk.xlf"
    subprocess.run([command, str(DATA_PO), str(xlf)], check=True, capture_output=True)
    tree = etree.parse(str(xlf))
    ns = {"x": tree.getroot().nsmap[None]}
    (target,) = tree.xpath("//x:trans-unit[x:source='Thank you']/x:target", namespaces=ns)
    target.text = "Labai ačiū"
    (twice,) = tree.xpath("//x:trans-unit[x:source='Thank you']", namespaces=ns)
    twice.getparent().append(copy.deepcopy(twice))
    tree.write(str(xlf), xml_declaration=True, encoding="UTF-8")

    result = import_xliff(vendor, xlf)
    assert result.count("updated") == 1
    refused = {(u.msgid, u.reason.split(" (")[0]) for u in result.refused}
    # po2xliff leaves msgctxt out: the reason says so (it said "no longer in the catalog")
    assert refused == {("Open the app", "the catalog has this source only with a msgctxt")}
    # The same unit twice is no conflict: the second changes nothing (it was "refused").
    assert [u.reason for u in result.units if u.msgid == "Thank you"] == [
        "",
        "the same as another unit of the file",
    ]
    assert read_catalog(po_path(vendor_dir, "lt"), "lt").get("Thank you").string == "Labai ačiū"


def test_segmented_files_from_cat_tools_are_joined_back(vendor, vendor_dir, tmp_path):
    """Trados-style 1.2 (<seg-source>, <mrk mtype="seg"> targets, tool namespaces) and a 2.1
    unit split into two segments around an ignorable come back as one PO string."""
    xlf = export(vendor, tmp_path, "1.2")
    tree = etree.parse(str(xlf))
    x = X12["x"]
    (unit,) = tree.xpath("//x:trans-unit[x:source='Thank you']", namespaces=X12)
    seg_source = etree.Element(f"{{{x}}}seg-source")
    etree.SubElement(seg_source, f"{{{x}}}mrk", mtype="seg", mid="0").text = "Thank you"
    unit.insert(1, seg_source)
    target = unit.find("x:target", X12)
    target.text = None
    etree.SubElement(target, f"{{{x}}}mrk", mtype="seg", mid="0").text = "Labai ačiū"
    etree.SubElement(unit, "{http://sdl.com/FileTypes/SdlXliff/1.0}seg-defs")
    tree.write(str(xlf), xml_declaration=True, encoding="UTF-8")
    assert import_xliff(vendor, xlf).count("updated") == 1
    assert read_catalog(po_path(vendor_dir, "lt"), "lt").get("Thank you").string == "Labai ačiū"

    xlf2 = export(vendor, tmp_path, "2.1", states="untranslated")
    tree = etree.parse(str(xlf2))
    x = X2["x"]
    source = "You have %(points)s points. Open the Nordlys app to use them."
    (segment,) = tree.xpath(f"//x:segment[x:source='{source}']", namespaces=X2)
    unit = segment.getparent()
    unit.remove(segment)
    parts = [
        ("segment", "You have %(points)s points.", "Turite %(points)s lojalumo taškų."),
        ("ignorable", " ", None),
        ("segment", "Open the Nordlys app to use them.", "Atidarykite Nordlys programėlę."),
    ]
    for kind, text, translation in parts:
        node = etree.SubElement(unit, f"{{{x}}}{kind}", state="reviewed")
        if kind == "ignorable":
            del node.attrib["state"]
        etree.SubElement(node, f"{{{x}}}source").text = text
        if translation:
            etree.SubElement(node, f"{{{x}}}target").text = translation
    tree.write(str(xlf2), xml_declaration=True, encoding="UTF-8")
    result = import_xliff(vendor, xlf2, state="reviewed")
    assert result.count("updated") == 1, result.units
    sms = read_catalog(po_path(vendor_dir, "lt"), "lt").get(source)
    assert sms.string == "Turite %(points)s lojalumo taškų. Atidarykite Nordlys programėlę."
    assert not sms.fuzzy


def test_a_segmented_unit_with_an_empty_segment_is_a_draft(vendor, vendor_dir, tmp_path):
    """A unit split into two segments whose second target segment is empty (the translator
    did not get to it, or joined it into the first, as memoQ and Okapi leave it) came in
    approved, with the space between the segments at its end, and compiled (QA pass 81)."""
    source = "You have %(points)s points. Open the Nordlys app to use them."
    xlf = export(vendor, tmp_path, "1.2")
    tree = etree.parse(str(xlf))
    x = X12["x"]
    (unit,) = tree.xpath(f"//x:trans-unit[x:source='{source}']", namespaces=X12)
    for child in unit.findall("x:target", X12):
        unit.remove(child)
    seg_source = etree.Element(f"{{{x}}}seg-source")
    first = etree.SubElement(seg_source, f"{{{x}}}mrk", mtype="seg", mid="1")
    first.text, first.tail = "You have %(points)s points.", " "
    etree.SubElement(seg_source, f"{{{x}}}mrk", mtype="seg", mid="2").text = (
        "Open the Nordlys app to use them.")
    unit.find("x:source", X12).addnext(seg_source)
    target = etree.Element(f"{{{x}}}target", state="translated")
    done = etree.SubElement(target, f"{{{x}}}mrk", mtype="seg", mid="1")
    done.text, done.tail = "Turite %(points)s taškų.", " "
    etree.SubElement(target, f"{{{x}}}mrk", mtype="seg", mid="2")
    seg_source.addnext(target)
    tree.write(str(xlf), xml_declaration=True, encoding="UTF-8")
    import_xliff(vendor, xlf)
    entry = read_catalog(po_path(vendor_dir, "lt"), "lt").get(source)
    assert entry.string == "Turite %(points)s taškų." and entry.fuzzy

    po_path(vendor_dir, "lt").write_bytes(DATA_PO.read_bytes())
    xlf2 = export(vendor, tmp_path, "2.1", states="untranslated")
    tree = etree.parse(str(xlf2))
    x = X2["x"]
    (segment,) = tree.xpath(f"//x:segment[x:source='{source}']", namespaces=X2)
    unit = segment.getparent()
    unit.remove(segment)
    for text, translation in (("You have %(points)s points. ", "Turite %(points)s taškų. "),
                              ("Open the Nordlys app to use them.", "")):
        node = etree.SubElement(unit, f"{{{x}}}segment", state="reviewed")
        etree.SubElement(node, f"{{{x}}}source").text = text
        etree.SubElement(node, f"{{{x}}}target").text = translation
    tree.write(str(xlf2), xml_declaration=True, encoding="UTF-8")
    import_xliff(vendor, xlf2, state="translated")
    entry = read_catalog(po_path(vendor_dir, "lt"), "lt").get(source)
    assert entry.string == "Turite %(points)s taškų." and entry.fuzzy


#: A catalog as Weblate writes it: its own header, long lines unwrapped, comments in its order.
WEBLATE_PO = (DATA_PO.parents[4] / "weblate-lt.po").read_text("utf-8")


def test_import_keeps_a_foreign_catalogs_layout_outside_the_edited_entry(
    vendor, vendor_dir, tmp_path
):
    from toolkit.catalogs import serialize_catalog

    po = po_path(vendor_dir, "lt")
    po.write_text(WEBLATE_PO, "utf-8")
    assert serialize_catalog(read_catalog(po, "lt")) != po.read_bytes()  # Babel would rewrap
    xlf = export(vendor, tmp_path, "2.1")
    edit(xlf, "//x:segment[x:source='Thank you']/x:target", X2, "Labai ačiū")
    assert import_xliff(vendor, xlf).count("updated") == 1
    assert po.read_text("utf-8") == WEBLATE_PO.replace('msgstr "Ačiū"', 'msgstr "Labai ačiū"')


def test_a_target_marked_needs_translation_is_not_a_translation(vendor, vendor_dir, tmp_path):
    """CAT tools copy the source into untouched targets; state says it is not translated."""
    xlf = export(vendor, tmp_path, "1.2")
    tree = etree.parse(str(xlf))
    source = "You have %(points)s points. Open the Nordlys app to use them."
    (unit,) = tree.xpath(f"//x:trans-unit[x:source='{source}']", namespaces=X12)
    target = etree.Element(f"{{{X12['x']}}}target", state="needs-translation")
    target.text = source
    unit.find("x:source", X12).addnext(target)
    tree.write(str(xlf), xml_declaration=True, encoding="UTF-8")
    result = import_xliff(vendor, xlf)
    assert not result.written and result.count("untranslated") >= 1
    assert po_path(vendor_dir, "lt").read_bytes() == DATA_PO.read_bytes()


def test_obsolete_entries_of_a_po2xliff_file_are_unchanged_not_refused(
    vendor, vendor_dir, tmp_path
):
    """po2xliff exports the #~ entries too (SearXNG's da: 160 of them): unedited, they are
    unchanged; an edited one is refused as obsolete, not as 'no longer in the catalog'."""
    po = po_path(vendor_dir, "lt")
    po.write_text(po.read_text("utf-8") + '\n#~ msgid "Old offer"\n#~ msgstr "Senas pasiūlymas"\n',
                  "utf-8")  # fmt: skip
    script = Path(sys.executable).with_name("po2xliff")
    command = str(script) if script.exists() else shutil.which("po2xliff")
    assert command, "translate-toolkit's po2xliff must be installed (dev extra)"
    xlf = tmp_path / "ttk.xlf"
    subprocess.run([command, str(po), str(xlf)], check=True, capture_output=True)
    assert b"Old offer" in xlf.read_bytes()
    result = import_xliff(vendor, xlf)
    outcome = {u.msgid: u.outcome for u in result.units}
    assert outcome["Old offer"] == "unchanged"
    tree = etree.parse(str(xlf))
    ns = {"x": tree.getroot().nsmap[None]}
    (target,) = tree.xpath("//x:trans-unit[x:source='Old offer']/x:target", namespaces=ns)
    target.text = "Naujas tekstas"
    tree.write(str(xlf), xml_declaration=True, encoding="UTF-8")
    refused = {u.msgid: u.reason for u in import_xliff(vendor, xlf).refused}
    assert refused["Old offer"].startswith("the entry is obsolete (#~)")


def test_export_to_standard_output(vendor, vendor_dir, run, tmp_path, monkeypatch):
    """'--out -' wrote a file named '-' (QA pass 13); it is standard output, as for
    render-batch and glossary export, and the file is the same bytes."""
    monkeypatch.chdir(tmp_path)
    result = run("xliff", "export", "--locale", "lt", "--state", "all", "--out", "-")
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "-").exists()
    assert result.stdout_bytes == export(vendor, tmp_path, "1.2").read_bytes()


@pytest.mark.parametrize("code", ["0007", "D800", "FFFF"])
def test_a_control_character_in_a_target_refuses_its_unit(vendor, vendor_dir, tmp_path, run,
                                                          code):  # fmt: skip
    """XLIFF 2's <cp hex="0007"/> put a raw BEL into an approved translation (QA pass 15); a
    surrogate stopped the whole import naming a temp file (QA pass 16)."""
    xlf = export(vendor, tmp_path, "2.1")
    tree = etree.parse(str(xlf))
    [target] = tree.xpath("//x:unit[.//x:source='Thank you']//x:target", namespaces=X2)
    target.text = "Ačiū"
    etree.SubElement(target, f"{{{X2['x']}}}cp", hex=code)
    tree.write(str(xlf), xml_declaration=True, encoding="UTF-8")
    before = po_path(vendor_dir, "lt").read_bytes()
    result = run("xliff", "import", str(xlf))
    assert result.exit_code == 1
    assert f"character U+{code}, which a translation must not hold" in result.stderr
    assert po_path(vendor_dir, "lt").read_bytes() == before


def test_xliff2_annotation_markers_are_read_as_no_text(vendor, vendor_dir, tmp_path, run):
    """<sm/> and <em/> (an annotation spanning codes, as CAT tools write comments) were
    refused as "inline code <sm> ... has no equivalent" (QA pass 68); <mrk> was read."""
    xlf = export(vendor, tmp_path, "2.1")
    tree = etree.parse(str(xlf))
    [target] = tree.xpath("//x:unit[.//x:source='Thank you']//x:target", namespaces=X2)
    target.text = "Ačiū "  # (ends as the source does: no end-punctuation warning)
    start = etree.SubElement(target, f"{{{X2['x']}}}sm", id="c1", type="comment")
    start.tail = "labai"
    end = etree.SubElement(target, f"{{{X2['x']}}}em", startRef="c1")
    end.tail = ""
    tree.write(str(xlf), xml_declaration=True, encoding="UTF-8")
    result = run("xliff", "import", str(xlf))
    assert "1 updated" in result.output and "0 refused" in result.output, result.output
    assert 'msgstr "Ačiū labai"' in po_path(vendor_dir, "lt").read_text("utf-8")
    # One with text inside is no marker of XLIFF 2 (nor of 1.2): refused, not read as
    # nothing, which dropped its words (QA pass 69).
    start.text, start.tail, end.tail = "labai", "", " daug"
    target.text = "Ačiū "
    tree.write(str(xlf), xml_declaration=True, encoding="UTF-8")
    before = po_path(vendor_dir, "lt").read_bytes()
    result = run("xliff", "import", str(xlf))
    assert "inline code <sm> on line" in result.output, result.output
    assert po_path(vendor_dir, "lt").read_bytes() == before


def test_a_relabelled_file_whose_original_was_changed_too_is_refused(vendor, vendor_dir,
                                                                     tmp_path, run):  # fmt: skip
    """With ``original`` changed as well (or written by another tool), the relabelled da
    export still put its Danish texts into lt as approved (QA pass 16): texts word for word
    another catalog's give it away."""
    xlf = export(vendor, tmp_path, "1.2", locale="da")
    tree = etree.parse(str(xlf))
    file = tree.getroot().find("x:file", X12)
    file.set("target-language", "lt-LT")
    file.set("original", "messages.po")
    tree.write(str(xlf), xml_declaration=True, encoding="UTF-8")
    before = po_path(vendor_dir, "lt").read_bytes()
    # Our own export: its units carry the Danish texts' fingerprints, which are not the
    # Lithuanian entries': left out as texts nobody edited (a plural of 2 forms is refused).
    result = run("xliff", "import", str(xlf))
    assert result.exit_code == 1, result.output
    assert "0 updated, 0 approved" in result.output
    assert po_path(vendor_dir, "lt").read_bytes() == before
    # Another tool's file has no fingerprints: its texts give it away.
    for context in tree.xpath("//x:context-group[x:context/@context-type='x-toolkit-exported']",
                              namespaces=X12):  # fmt: skip
        context.getparent().remove(context)
    tree.write(str(xlf), xml_declaration=True, encoding="UTF-8")
    result = run("xliff", "import", str(xlf))
    assert result.exit_code == 2, result.output
    assert "new translations are the da catalog's word for word" in result.stderr
    assert po_path(vendor_dir, "lt").read_bytes() == before
    # ... also when its original names the lt catalog: po2xliff of the nb catalog, its header
    # set to Danish, put 1,127 Norwegian texts into Liberapay's da catalog (QA pass 80).
    named = po_path(vendor_dir, "lt").relative_to(vendor_dir).as_posix()
    file.set("original", named)
    tree.write(str(xlf), xml_declaration=True, encoding="UTF-8")
    result = run("xliff", "import", str(xlf))
    assert result.exit_code == 2, result.output
    assert "new translations are the da catalog's word for word" in result.stderr
    assert po_path(vendor_dir, "lt").read_bytes() == before


def test_a_file_that_names_its_catalog_is_trusted_whatever_its_texts(vendor, vendor_dir,
                                                                     tmp_path, run):  # fmt: skip
    """A Bokmål vendor file whose few short texts read as the Danish catalog's was refused as
    relabelled, with no way past (QA pass 17): our own export of the catalog (its original),
    or --locale, says which file it is; a file that names neither is still judged by content."""
    for locale, texts in (("da", ("Gem", "Luk")), ("lt", ("", ""))):
        po = po_path(vendor_dir, locale)
        po.write_text(po.read_text("utf-8") + f'\nmsgid "Save"\nmsgstr "{texts[0]}"\n'
                      f'\nmsgid "Close"\nmsgstr "{texts[1]}"\n', "utf-8")  # fmt: skip
    xlf = export(vendor, tmp_path, "1.2", locale="lt", states="untranslated")
    tree = etree.parse(str(xlf))
    for unit in tree.xpath("//x:trans-unit", namespaces=X12):
        text = {"Save": "Gem", "Close": "Luk"}.get(unit.find("x:source", X12).text or "")
        if text:
            target = unit.find("x:target", X12)
            if target is None:
                target = etree.SubElement(unit, f"{{{X12['x']}}}target")
            target.text, target.attrib["state"] = text, "translated"
    tree.write(str(xlf), xml_declaration=True, encoding="UTF-8")
    renamed = tmp_path / "renamed.xlf"
    renamed.write_bytes(xlf.read_bytes().replace(b'original="locales/lt/', b'original="x/lt/'))
    judged = run("xliff", "import", str(renamed), "--dry-run")
    assert judged.exit_code == 2 and "the da catalog's word for word" in judged.stderr
    assert run("xliff", "import", str(renamed), "--locale", "lt", "--dry-run").exit_code == 0
    assert run("xliff", "import", str(xlf), "--dry-run").exit_code == 0  # names lt's catalog


@pytest.mark.parametrize("version", VERSIONS)
def test_an_untouched_machine_suggestion_is_no_persons_translation(vendor, tmp_path, version):
    """A reviewer rejected an MT entry (emptied it); the vendor sent the file back unchanged,
    and the import brought the machine's text back as a person's fuzzy draft, without its
    '# mt:' provenance (QA pass 26: 403 MT suggestions on privacyidea's nb_NO). An edited
    suggestion is a person's work and is imported."""
    path = export(vendor, tmp_path, version)
    po = po_path(vendor.root, "lt")
    text = po.read_text("utf-8")
    mt_entry = (
        "# mt: argos en->lt 1.0 score=0.81\n#. part: subject\n#: templates/email/points.j2:1"
        '\n#, fuzzy\nmsgid "Your points are waiting"\nmsgstr "Jūsų lojalumo taškai laukia"'
    )
    assert mt_entry in text
    po.write_text(text.replace(mt_entry, '#. part: subject\n#: templates/email/points.j2:1\n'
                               'msgid "Your points are waiting"\nmsgstr ""'), "utf-8")  # fmt: skip
    rejected = po.read_bytes()
    result = import_xliff(vendor, path)
    assert po.read_bytes() == rejected
    [unit] = [u for u in result.units if u.msgid == "Your points are waiting"]
    assert unit.outcome == "unchanged" and "machine suggestion" in unit.reason
    # The vendor's own wording over the suggestion: imported, fuzzy (not approved).
    ns = X12 if version == "1.2" else X2
    target = (
        "//x:trans-unit[x:source='Your points are waiting']/x:target"
        if version == "1.2"
        else "//x:unit[x:segment/x:source='Your points are waiting']/x:segment/x:target"
    )
    edit(path, target, ns, "Jūsų taškai jūsų laukia")
    import_xliff(vendor, path)
    entry = read_catalog(po).get("Your points are waiting")
    assert entry.string == "Jūsų taškai jūsų laukia" and entry.fuzzy


def test_a_file_for_a_catalog_on_disk_that_is_not_configured_round_trips(vendor, tmp_path):
    """xliff export --locale nb works for a catalog on disk that 'locales' does not list;
    importing the exported file then said 'not one of the project's locales' (QA pass 25)."""
    assert "nb" not in vendor.locales
    target = po_path(vendor.root, "nb")
    target.parent.mkdir(parents=True)
    danish = po_path(vendor.root, "da").read_bytes()
    target.write_bytes(danish.replace(b"Language: da", b"Language: nb"))
    out = export(vendor, tmp_path, "1.2", locale="nb")
    edit(out, "//x:trans-unit[x:source='Thank you']/x:target", X12, "Takk")
    result = import_xliff(vendor, out)
    assert result.locale == "nb" and result.count("updated") == 1
    assert read_catalog(target).get("Thank you").string == "Takk"


def test_an_entry_xml_cannot_carry_is_named_with_its_line(vendor, tmp_path, run):
    """lxml's 'All strings must be XML compatible' said neither which entry nor where (QA
    pass 27): the error names the catalog's line and the msgid, escaped."""
    po = po_path(vendor.root, "lt")
    po.write_text(po.read_text("utf-8") + '\n#: t.j2:1\nmsgid "Old \x1b]0;X\x07 t"\nmsgstr ""\n',
                  "utf-8")  # fmt: skip
    line = po.read_text("utf-8").count("\n") - 1
    result = run("xliff", "export", "--locale", "lt", "--out", str(tmp_path / "lt.xlf"))
    assert result.exit_code == 2
    assert f"messages.po:{line}: entry 'Old \\x1b]0;X\\x07 t' holds U+001B" in result.stderr
    assert not (tmp_path / "lt.xlf").exists()
    # The same for a comment or a reference (QA pass 28).
    po.write_text(po.read_text("utf-8").replace('msgid "Old \x1b]0;X\x07 t"', 'msgid "Old t"')
                  .replace("#: t.j2:1\n", "#. a note \x07\n#: t.j2:1\n"), "utf-8")  # fmt: skip
    result = run("xliff", "export", "--locale", "lt", "--out", str(tmp_path / "lt.xlf"))
    assert result.exit_code == 2 and "entry 'Old t' holds U+0007" in result.stderr


@pytest.mark.parametrize("version", VERSIONS)
def test_a_file_none_of_whose_units_is_in_the_catalog_is_one_error_exit_2(
    vendor_dir, tmp_path, run, version
):
    """A file whose every unit names an id, source and context the catalog does not have
    (another project's export, or ids a tool made up) was 'N refused', one line per unit,
    exit 1 (QA): like a TMX file none of whose units can be used, it is one error, exit 2,
    and no file changes. A stale unit among good ones is still refused alone (exit 1)."""
    unit = (
        '<trans-unit id="m0123456789ab"><source>This text is in no catalog</source>'
        '<target state="translated">Šio teksto nėra</target></trans-unit>'
        if version == "1.2"
        else '<unit id="m0123456789ab"><segment state="translated"><source>This text is in no '
        "catalog</source><target>Šio teksto nėra</target></segment></unit>"
    )
    head = (
        '<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"><file '
        'source-language="en" target-language="lt" datatype="po" original="x"><body>'
        if version == "1.2"
        else '<xliff version="2.1" xmlns="urn:oasis:names:tc:xliff:document:2.0" srcLang="en" '
        'trgLang="lt"><file id="f">'
    )
    tail = "</body></file></xliff>" if version == "1.2" else "</file></xliff>"
    path = tmp_path / "ghost.xlf"
    path.write_text(f'<?xml version="1.0" encoding="UTF-8"?>\n{head}\n{unit}\n{tail}\n', "utf-8")
    before = {p: p.read_bytes() for p in (vendor_dir / "locales").rglob("*.po")}
    result = run("xliff", "import", str(path))
    assert result.exit_code == 2, result.output
    assert "none of its 1 units is an entry of" in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert {p: p.read_bytes() for p in before} == before


FIXED = "Sveiki atvykę į Nordlys, %(first_name)s! (peržiūrėta)"
WELCOME_PO = (
    '#, fuzzy, python-format\n#| msgid "Welcome, %(first_name)s!"\n'
    'msgid "Welcome to Nordlys, %(first_name)s!"\n'
    'msgstr "Sveiki atvykę į Nordlys, %(first_name)s!"'
)


def _vendor_edits_welcome(path: Path, version: str) -> None:
    """The vendor translates the welcome entry anew and marks it translated."""
    target = (
        "//x:trans-unit[x:source='Welcome to Nordlys, %(first_name)s!']/x:target"
        if version == "1.2"
        else "//x:unit[x:segment/x:source='Welcome to Nordlys, %(first_name)s!']"
        "/x:segment/x:target"
    )
    edit(path, target, X12 if version == "1.2" else X2,
         "Labas, %(first_name)s, sveiki atvykę į Nordlys!", state="translated")  # fmt: skip


def _fix_in_house(po: Path) -> bytes:
    """A reviewer corrects and approves the fuzzy entry after the export."""
    text = po.read_text("utf-8")
    assert WELCOME_PO in text
    po.write_text(text.replace(WELCOME_PO, '#, python-format\nmsgid "Welcome to Nordlys, '
                               f'%(first_name)s!"\nmsgstr "{FIXED}"'), "utf-8")  # fmt: skip
    return po.read_bytes()


@pytest.mark.parametrize("version", VERSIONS)
def test_an_untouched_unit_does_not_revert_a_fix_made_after_the_export(vendor, tmp_path, version):
    """The vendor sent the file back without touching the entry; the import brought the
    exported text back over the reviewer's fix and made the entry fuzzy again (QA pass 57):
    each unit carries the fingerprint of the translation it was exported with."""
    path = export(vendor, tmp_path, version)
    po = po_path(vendor.root, "lt")
    fixed = _fix_in_house(po)
    result = import_xliff(vendor, path)
    assert po.read_bytes() == fixed
    [unit] = [u for u in result.units if u.msgid.startswith("Welcome to Nordlys")]
    assert unit.outcome == "unchanged" and "since the export" in unit.reason
    assert result.errors == 0


@pytest.mark.parametrize("version", VERSIONS)
def test_an_entry_changed_on_both_sides_is_refused_and_the_catalog_kept(vendor, tmp_path,
                                                                        version):  # fmt: skip
    path = export(vendor, tmp_path, version)
    _vendor_edits_welcome(path, version)
    po = po_path(vendor.root, "lt")
    fixed = _fix_in_house(po)
    result = import_xliff(vendor, path)
    assert po.read_bytes() == fixed
    [unit] = [u for u in result.units if u.msgid.startswith("Welcome to Nordlys")]
    assert unit.outcome == "refused" and "changed both in the catalog" in unit.reason
    # Without a change in the catalog the vendor's edit comes in as before.
    path = export(vendor, tmp_path, version)
    _vendor_edits_welcome(path, version)
    import_xliff(vendor, path)
    assert read_catalog(po).get("Welcome to Nordlys, %(first_name)s!").string == (
        "Labas, %(first_name)s, sveiki atvykę į Nordlys!"
    )


def test_import_waits_for_the_catalog_lock_and_keeps_a_save_made_meanwhile(vendor, tmp_path):
    """xliff import read, merged and wrote the catalog without its lock: a review save made
    while it ran was overwritten (QA pass 57)."""
    import threading
    import time

    from toolkit.catalogs import catalog_lock, write_catalog

    path = export(vendor, tmp_path, "1.2")
    edit(path, "//x:trans-unit[x:source='Your points are waiting']/x:target", X12,
         "Jūsų taškai laukia jūsų", state="translated")  # fmt: skip
    po = po_path(vendor.root, "lt")
    saved = threading.Event()

    def reviewer() -> None:
        with catalog_lock(po):
            catalog = read_catalog(po)  # the reviewer's own read, then a slow save
            time.sleep(0.4)
            catalog.get("Welcome to Nordlys, %(first_name)s!").string = FIXED
            write_catalog(po, catalog)
            saved.set()

    thread = threading.Thread(target=reviewer)
    thread.start()
    time.sleep(0.1)
    result = import_xliff(vendor, path)
    thread.join()
    assert saved.is_set() and result.written
    after = read_catalog(po)
    assert after.get("Welcome to Nordlys, %(first_name)s!").string == FIXED
    assert after.get("Your points are waiting").string == "Jūsų taškai laukia jūsų"


def test_a_catalog_and_its_link_share_one_lock(vendor_dir, tmp_path):
    """lt_LT/'s catalog a link to lt/'s: an import into lt_LT took the lock of lt_LT/'s folder
    while a save of lt held lt/'s, and one write was lost (QA pass 83). They wait for each
    other now."""
    import threading
    import time

    from toolkit.catalogs import catalog_lock, write_catalog

    (vendor_dir / "toolkit.toml").write_text(
        '[tool.toolkit]\nsource_locale = "en"\nlocales = ["da", "lt", "lt_LT"]\n', "utf-8")
    linked = vendor_dir / "locales" / "lt_LT" / "LC_MESSAGES" / "messages.po"
    linked.parent.mkdir(parents=True)
    linked.symlink_to(Path("..", "..", "lt", "LC_MESSAGES", "messages.po"))
    config = load_config(vendor_dir)
    path = export(config, tmp_path, "1.2", locale="lt_LT")
    edit(path, "//x:trans-unit[x:source='Your points are waiting']/x:target", X12,
         "Jūsų taškai laukia jūsų", state="translated")  # fmt: skip
    po = po_path(vendor_dir, "lt")
    saved = threading.Event()

    def reviewer() -> None:
        with catalog_lock(po):
            catalog = read_catalog(po)
            time.sleep(0.4)
            catalog.get("Welcome to Nordlys, %(first_name)s!").string = FIXED
            write_catalog(po, catalog)
            saved.set()

    thread = threading.Thread(target=reviewer)
    thread.start()
    time.sleep(0.1)
    result = import_xliff(config, path)
    thread.join()
    assert saved.is_set() and result.written and linked.is_symlink()
    after = read_catalog(po)
    assert after.get("Welcome to Nordlys, %(first_name)s!").string == FIXED
    assert after.get("Your points are waiting").string == "Jūsų taškai laukia jūsų"


def test_a_po2xliff_file_of_a_one_form_catalog_keeps_fuzzy_plurals_fuzzy(vendor, vendor_dir,
                                                                         tmp_path):  # fmt: skip
    """po2xliff writes a fuzzy plural of a Japanese catalog as an approved first form and a
    "needs-translation" second one: an unedited round trip approved 7 fuzzy entries of
    Liberapay's ja catalog (QA pass 57). The approved one stays approved, edits come in."""
    script = Path(sys.executable).with_name("po2xliff")
    command = str(script) if script.exists() else shutil.which("po2xliff")
    assert command, "translate-toolkit's po2xliff must be installed (dev extra)"
    po = po_path(vendor_dir, "ja")
    po.parent.mkdir(parents=True)
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        '"Language: ja\\n"\n"Plural-Forms: nplurals=1; plural=0;\\n"\n\n'
        '#, fuzzy\nmsgid "one member"\nmsgid_plural "{n} members"\nmsgstr[0] "メンバー{n}人?"\n\n'
        'msgid "one day"\nmsgid_plural "{n} days"\nmsgstr[0] "{n}日"\n', "utf-8")  # fmt: skip
    before = po.read_bytes()
    xlf = tmp_path / "ja.xlf"
    subprocess.run([command, str(po), str(xlf)], check=True, capture_output=True)
    result = import_xliff(vendor, xlf, locale="ja")
    assert result.count("approved") == 0 and po.read_bytes() == before
    ns = {"x": etree.parse(str(xlf)).getroot().nsmap[None]}
    edit(xlf, "//x:trans-unit[x:source='one day']/x:target", ns, "{n} 日間")
    import_xliff(vendor, xlf, locale="ja")
    catalog = read_catalog(po, "ja")
    assert catalog.get(("one day", "{n} days")).string == ("{n} 日間",)
    assert catalog.get(("one day", "{n} days")).fuzzy is False
    assert catalog.get(("one member", "{n} members")).fuzzy
    # A translator who approves the whole group (its second form still "needs-translation",
    # as CAT tools leave it) approves the entry.
    tree = etree.parse(str(xlf))
    (group,) = tree.xpath("//x:group[x:trans-unit/x:source='one member']", namespaces=ns)
    group.set("approved", "yes")
    tree.write(str(xlf), xml_declaration=True, encoding="UTF-8")
    import_xliff(vendor, xlf, locale="ja")
    assert read_catalog(po, "ja").get(("one member", "{n} members")).fuzzy is False


@pytest.mark.parametrize("version", VERSIONS)
def test_importing_the_same_edited_file_twice_changes_nothing_the_second_time(vendor, tmp_path,
                                                                              version):  # fmt: skip
    """The second import of a vendor's file was refused as "changed both in the catalog and
    in the file", exit 1: the catalog's text was the file's own (QA pass 57, review)."""
    path = export(vendor, tmp_path, version)
    _vendor_edits_welcome(path, version)
    first = import_xliff(vendor, path)
    assert first.count("approved") + first.count("updated") == 1
    po = po_path(vendor.root, "lt")
    after = po.read_bytes()
    second = import_xliff(vendor, path)
    assert second.errors == 0 and not second.written and po.read_bytes() == after


@pytest.mark.parametrize("version", VERSIONS)
def test_an_untouched_unit_does_not_approve_an_entry_marked_fuzzy_since(vendor, tmp_path,
                                                                        version):  # fmt: skip
    """The fingerprint held only the text: a reviewer's fuzzy mark (text unchanged) was
    undone by an untouched file, and the entry went into the MO (QA pass 57, review)."""
    path = export(vendor, tmp_path, version)
    po = po_path(vendor.root, "lt")
    text = po.read_text("utf-8")
    entry = 'msgid "You earned %(count)s point."'
    assert "#, python-format\n" + entry in text
    po.write_text(text.replace("#, python-format\n" + entry,
                               "#, fuzzy, python-format\n" + entry), "utf-8")  # fmt: skip
    marked = po.read_bytes()
    import_xliff(vendor, path)
    assert po.read_bytes() == marked
    assert read_catalog(po).get(("You earned %(count)s point.", "You earned %(count)s points.")
                                ).fuzzy  # fmt: skip


def test_a_draft_state_wins_over_an_approved_attribute_left_from_the_export(
    vendor, vendor_dir, tmp_path
):
    """A vendor who edits an approved unit and marks it needs-adaptation, leaving the
    export's approved="yes", had the new text imported as approved (QA pass 59)."""
    xlf = export(vendor, tmp_path, "1.2")
    approved = "//x:trans-unit[@approved='yes'][x:source='Open the app']"
    edit(xlf, f"{approved}/x:target", X12, "Atverkite programėlę", state="needs-adaptation")
    result = import_xliff(vendor, xlf)
    assert result.count("updated") == 1 and result.count("approved") == 0
    entry = read_catalog(po_path(vendor_dir, "lt"), "lt").get("Open the app", context="button")
    assert entry.fuzzy  # a draft, as the state says


def test_a_dry_run_that_only_holds_says_unchanged(vendor, vendor_dir, tmp_path, run):
    """A file whose only unit is held (an approved entry's translation kept) said "dry run:
    ... would change" though the real import writes nothing (QA pass 74)."""
    xlf = export(vendor, tmp_path, "1.2")
    tree = etree.parse(str(xlf))
    [target] = tree.xpath("//x:trans-unit[x:source='Open the app']/x:target",
                          namespaces=X12)  # fmt: skip
    target.text += ' <a href="javascript:x()">čia</a>'  # an error: held, approved text kept
    tree.write(str(xlf), xml_declaration=True, encoding="UTF-8")
    before = po_path(vendor_dir, "lt").read_bytes()
    preview = run("xliff", "import", str(xlf), "--dry-run")
    assert "1 held" in preview.stdout and " unchanged (lt:" in preview.stdout, preview.output
    assert "would change" not in preview.stdout
    assert po_path(vendor_dir, "lt").read_bytes() == before


def test_a_vendors_carriage_returns_are_read_as_line_feeds(vendor, tmp_path):
    """A two-line target written with '&#13;' line ends reached the msgstr as CR LF (QA pass
    81); where the source has no CR, they are line feeds, in 1.2 and 2.x."""
    from toolkit.interchange.xliffdoc import read_xliff

    for version, ns, xpath in (("1.2", X12, "//x:trans-unit[x:source='Thank you']/x:target"),
                               ("2.1", X2, "//x:segment[x:source='Thank you']/x:target")):
        xlf = export(vendor, tmp_path, version)
        edit(xlf, xpath, ns, "Labai\r\načiū\rjums")
        assert "&#13;" in xlf.read_text("utf-8")
        (unit,) = [u for u in read_xliff(xlf).units if u.sources == ("Thank you",)]
        assert unit.targets == ("Labai\načiū\njums",)
