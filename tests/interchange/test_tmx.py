"""memory export/import: TMX 1.4b against the DTD, round trips, translate-toolkit, bad input."""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from lxml import etree

from toolkit.interchange import export_tmx, import_tmx
from toolkit.interchange.safexml import parse_untrusted
from toolkit.mt.memory import HumanUnit, Stored, TranslationMemory

from .conftest import DATA
from .test_xliff import BILLION_LAUGHS

MODEL_LT = "argos en->lt 1.0 ab12cd beam=4"
MODEL_DA = "argos en->da 1.1 ef34ab beam=4"


@pytest.fixture
def filled_memory(memory_file: Path) -> Path:
    with TranslationMemory(memory_file) as memory:
        memory.store(MODEL_LT, [("Hi XPH0X!", Stored("Sveiki, XPH0X!", 0.91))])
        memory.store(MODEL_LT, [("See you soon.", Stored("Iki greito.", None))])
        memory.store(MODEL_DA, [("See you soon.", Stored("Vi ses snart.", 0.88))])
        memory.store("mystery-engine", [("x", Stored("y", None))])
        memory.store_human([HumanUnit("en", "lt", "Gift card", "Dovanų kortelė", "tmx vendor")])
    return memory_file


def pairs(path: Path) -> set[tuple[str, str, str, str]]:
    """(source lang, target lang, source, target) of a TMX file, read by translate-toolkit."""
    from translate.storage.tmx import tmxfile

    store = tmxfile.parsestring(path.read_bytes())
    found = set()
    for unit in store.units:
        tuvs = unit.xmlelement.findall("tuv")
        langs = [t.get("{http://www.w3.org/XML/1998/namespace}lang") for t in tuvs]
        found.add((langs[0], langs[1], unit.source, unit.target))
    return found


def test_export_validates_against_the_tmx_dtd_and_holds_memory_and_catalogs(
    vendor, tmp_path, filled_memory, tmx_dtd
):
    out = tmp_path / "all.tmx"
    result = export_tmx(vendor, out, memory_path=filled_memory)
    assert (result.machine, result.human, result.skipped) == (3, 1, 1)
    tree = etree.parse(str(out))
    assert tmx_dtd.validate(tree), tmx_dtd.error_log.last_error
    assert tree.docinfo.doctype == '<!DOCTYPE tmx SYSTEM "tmx14.dtd">'
    found = pairs(out)
    assert ("en", "lt", "Hi XPH0X!", "Sveiki, XPH0X!") in found  # <ph> keeps the mask
    assert ("en", "lt", "Gift card", "Dovanų kortelė") in found
    # Approved catalog entries (fuzzy ones are not approved and stay out).
    assert ("en", "lt", "Thank you", "Ačiū") in found
    assert ("en", "da", "Open the app", "Åbn appen") in found
    assert ("en", "lt", "You earned %(count)s points.", "Gavote %(count)s lojalumo taškų.") in found
    assert not any(source == "Your points are waiting" for _, _, source, _ in found)
    ph = tree.find(".//ph")
    assert ph is not None and ph.text == "XPH0X"
    assert export_tmx(vendor, out, memory_path=filled_memory).written is False  # deterministic


def test_locale_filter(vendor, tmp_path, filled_memory):
    out = tmp_path / "lt.tmx"
    export_tmx(vendor, out, locale="lt", memory_path=filled_memory)
    assert {target_lang for _, target_lang, _, _ in pairs(out)} == {"lt"}


def test_a_regional_locale_gets_the_memory_of_its_languages_model(vendor, tmp_path, filled_memory):
    """translate stores what the en->da package made for da_DK under da: 'memory export
    --locale da_DK' gave none of it (nb_NO: 0 of 1,506 machine units; QA pass 26)."""
    out = tmp_path / "da_DK.tmx"
    result = export_tmx(
        vendor, out, locale="da_DK", memory_path=filled_memory, include_catalogs=False
    )
    assert result.machine == 1
    assert {(s, t) for _, _, s, t in pairs(out)} == {("See you soon.", "Vi ses snart.")}
    assert export_tmx(vendor, out, locale="lt_LT", memory_path=filled_memory,
                      include_catalogs=False).machine == 2  # fmt: skip


def test_export_then_import_into_an_empty_memory_gives_the_same_pairs(
    vendor, tmp_path, filled_memory
):
    first = tmp_path / "first.tmx"
    export_tmx(vendor, first, memory_path=filled_memory)
    empty = tmp_path / "empty.sqlite"
    result = import_tmx(vendor, first, memory_path=empty)
    assert not result.skipped and result.machine_added == 3
    with (
        TranslationMemory(filled_memory, read_only=True) as old,
        TranslationMemory(empty, read_only=True) as new,
    ):
        known = [row for row in old.segments() if row[0] != "mystery-engine"]
        assert new.segments() == known  # MT rows back under their model, score included
    second = tmp_path / "second.tmx"
    export_tmx(vendor, second, memory_path=empty)
    assert pairs(second) == pairs(first)
    again = import_tmx(vendor, second, memory_path=empty)
    assert (again.human_added, again.machine_added) == (0, 0) and again.known > 0


def test_import_a_tmx_written_by_translate_toolkit(vendor, tmp_path, memory_file, run):
    from translate.storage.tmx import tmxfile

    store = tmxfile(sourcelanguage="en", targetlanguage="lt")
    store.addtranslation("Your basket", "en", "Jūsų krepšelis", "lt")
    store.addtranslation("Checkout", "en", "Apmokėti", "lt")
    path = tmp_path / "vendor.tmx"
    path.write_bytes(bytes(store))
    result = run("memory", "import", str(path), "--locale", "lt")
    assert result.exit_code == 0, result.output
    assert "2 human" in result.stdout
    with TranslationMemory(memory_file, read_only=True) as memory:
        units = memory.human_units("lt")
    assert {(u.source, u.target) for u in units} == {
        ("Your basket", "Jūsų krepšelis"),
        ("Checkout", "Apmokėti"),
    }
    out = tmp_path / "out.tmx"
    assert run("memory", "export", "--out", str(out), "--no-catalogs").exit_code == 0
    assert pairs(out) == {
        ("en", "lt", "Your basket", "Jūsų krepšelis"),
        ("en", "lt", "Checkout", "Apmokėti"),
    }


BAD_TMX = {
    "malformed": (b'<?xml version="1.0"?>\n<tmx version="1.4">\n<body>\n</tmx>', "not well-formed"),
    "billion laughs": (BILLION_LAUGHS.replace(b"xliff", b"tmx"), "entities"),
    "not tmx": (b'<?xml version="1.0"?><xliff version="1.2"/>', "not a TMX"),
}


@pytest.mark.parametrize("case", BAD_TMX)
def test_bad_tmx_is_one_line_exit_2_and_creates_no_memory(tmp_path, memory_file, run, case):
    data, expected = BAD_TMX[case]
    path = tmp_path / "bad.tmx"
    path.write_bytes(data)
    result = run("memory", "import", str(path))
    assert result.exit_code == 2, result.output
    assert expected in result.stderr and result.stderr.count("\n") == 1
    assert not memory_file.exists()


def test_a_tmx_without_the_requested_locale_is_an_error(vendor, tmp_path, memory_file, run):
    out = tmp_path / "da.tmx"
    export_tmx(vendor, out, locale="da", memory_path=tmp_path / "none.sqlite")
    result = run("memory", "import", str(out), "--locale", "lt")
    assert result.exit_code == 2
    assert "no translations into 'lt' (it has: da)" in result.stderr
    assert not memory_file.exists()


def test_entities_are_refused_even_when_the_prolog_is_not_ascii():
    """UTF-16 hides '<!ENTITY' from the byte scan; the parsed DTD is checked too."""
    data = BILLION_LAUGHS.replace(
        b'<?xml version="1.0"?>', b'<?xml version="1.0" encoding="UTF-16"?>'
    )
    with pytest.raises(Exception, match="entities"):
        parse_untrusted(data.decode().encode("utf-16"), Path("bomb.xlf"), what="XLIFF file")


def test_import_never_overwrites_a_segment_the_memory_has(vendor, tmp_path, filled_memory):
    out = tmp_path / "mine.tmx"
    export_tmx(vendor, out, memory_path=filled_memory, include_catalogs=False)
    out.write_bytes(out.read_bytes().replace(b"Iki greito.", b"Sudie."))
    result = import_tmx(vendor, out, memory_path=filled_memory)
    assert (result.machine_added, result.human_added) == (0, 0)
    with TranslationMemory(filled_memory, read_only=True) as memory:
        assert memory.lookup(MODEL_LT, ["See you soon."])["See you soon."].target == "Iki greito."


def test_import_a_trados_shaped_memory(vendor, tmp_path, memory_file, run, tmx_dtd):
    path = DATA / "interchange" / "trados-da.tmx"
    assert tmx_dtd.validate(etree.parse(str(path)))
    result = run("memory", "import", str(path), "--locale", "da")
    assert result.exit_code == 0, result.output
    assert "2 human" in result.stdout and "1 skipped" in result.stdout
    assert "source language 'DE-DE' is not 'en'" in result.stderr
    with TranslationMemory(memory_file, read_only=True) as memory:
        units = {(u.source_lang, u.target_lang, u.source, u.target) for u in memory.human_units()}
    assert units == {
        (
            "en",
            "da-DK",
            "<b>Free</b> delivery on orders over %(amount)s",  # inline codes: native text
            "<b>Gratis</b> levering ved ordrer over %(amount)s",
        ),
        (
            "en",
            "da-DK",
            "Your points never expire while you are a member.",
            "Dine bonuspoint udløber aldrig, så længe du er medlem.",
        ),
    }
    out = tmp_path / "da.tmx"
    assert run("memory", "export", "-l", "da", "-o", str(out), "--no-catalogs").exit_code == 0
    assert len(pairs(out)) == 2 and tmx_dtd.validate(etree.parse(str(out)))


def _tmx(tmp_path: Path, *pairs: tuple[str, str], language: str = "da") -> Path:
    """``vendor.tmx`` in ``tmp_path``: English sources, targets in ``language``."""
    units = "".join(
        f'<tu><tuv xml:lang="en"><seg>{escape(s)}</seg></tuv>'
        f'<tuv xml:lang="{language}"><seg>{escape(t)}</seg></tuv></tu>\n'
        for s, t in pairs
    )
    path = tmp_path / "vendor.tmx"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header creationtool="x" '
        'creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en" srclang="en" '
        f'datatype="plaintext"/><body>\n{units}</body></tmx>\n', "utf-8")  # fmt: skip
    return path


def test_pairs_that_break_a_placeholder_or_inject_markup_stay_out(vendor, tmp_path,
                                                                  memory_file, run):  # fmt: skip
    """A vendor's TMX put '<script>', a javascript: link and a dropped placeholder into the
    memory with exit 0 (QA pass 15): each such pair is listed and left out, exit 1."""
    path = _tmx(tmp_path,
                ("Hi %(name)s", "Hej %(name)s"),
                ("Hi %(name)s", "Hej"),
                ("Thanks", "Tak <script>alert(1)</script>"),
                ('See <a href="https://shop.dk">this</a>', 'Se <a href="javascript:x()">dette</a>'),
                ("Save {amount}", "Spar"))  # fmt: skip
    result = run("memory", "import", str(path))
    assert result.exit_code == 1, result.output
    assert "1 human" in result.stdout and "4 skipped" in result.stdout
    assert "da: the target drops '%(name)s'" in result.stderr
    assert "da: the target adds '<script>'" in result.stderr
    assert "a script or data link (href=javascript:x())" in result.stderr
    assert "da: the target drops '{amount}'" in result.stderr
    with TranslationMemory(memory_file, read_only=True) as memory:
        assert [u.target for u in memory.human_units()] == ["Hej %(name)s"]
    # A link that points elsewhere stays out too (QA pass 16).
    moved = _tmx(tmp_path, ("Thanks", "Tak"),
                 ("See https://nordlys.dk/help", "Se https://evil.ru/help"),
                 ('<a href="https://nordlys.dk/a">Log in</a>',
                  '<a href="https://nordlys-login.ru/a">Log ind</a>'),
                 # a protocol-relative Markdown link target too (QA pass 68)
                 ("Read the [policy](https://nordlys.dk/p).",
                  "Læs [politikken](//evil.example/p)."))  # fmt: skip
    moved_result = run("memory", "import", str(moved))
    assert moved_result.exit_code == 1
    assert "the target adds the link 'https://evil.ru/help'" in moved_result.stderr
    assert "the target changes a link (https://nordlys-login.ru/a)" in moved_result.stderr
    assert "the target adds the link '//evil.example/p'" in moved_result.stderr


def test_a_machine_unit_that_lost_its_placeholder_stays_out(vendor, tmp_path, filled_memory):
    """An edited export whose machine unit lost its <ph> went into the memory (QA pass 59):
    translate then took it from there, could not restore the placeholder, and never asked
    the model again."""
    exported = tmp_path / "first.tmx"
    export_tmx(vendor, exported, memory_path=filled_memory)
    text = exported.read_text("utf-8")
    edited = text.replace('Sveiki, <ph x="1">XPH0X</ph>!', "Sveiki!")
    assert edited != text
    exported.write_text(edited, "utf-8")
    empty = tmp_path / "empty.sqlite"
    result = import_tmx(vendor, exported, memory_path=empty)
    assert result.machine_added == 2 and result.unsafe == 1
    assert any("the target drops 'XPH0X'" in reason for _, reason in result.skipped)
    with TranslationMemory(empty, read_only=True) as memory:
        assert all(source != "Hi XPH0X!" for _, source, *_ in memory.segments())


def test_a_tmx_none_of_whose_units_can_be_used_is_an_error(vendor, tmp_path, memory_file, run):
    path = _tmx(tmp_path, ("Hi %(name)s", "Hej"))
    path.write_text(path.read_text("utf-8").replace('srclang="en"', 'srclang="de"')
                    .replace('xml:lang="en"', 'xml:lang="de"'), "utf-8")  # fmt: skip
    result = run("memory", "import", str(path))
    assert result.exit_code == 2
    assert "none of its 1 units can be used (source language 'de' is not 'en')" in result.stderr
    assert not memory_file.exists()


def test_a_label_ending_in_a_colon_is_no_link(vendor, tmp_path, memory_file, run):
    """Liberapay's approved 'Details:' -> 'Detaljer:', 'Documents:' -> 'Dokumentai:' were
    read as URLs of the schemes 'detaljer:' and 'dokumentai:' (QA, real catalogs): 'memory
    export' wrote them and 'memory import' of that very file skipped them as changed links,
    and render served the English label instead of the translation."""
    path = _tmx(tmp_path, ("Details:", "Detaljer:"), ("Payment method:", "Betalingsmetode:"))
    result = run("memory", "import", str(path))
    assert result.exit_code == 0, result.output
    assert "2 human" in result.stdout
    moved = _tmx(tmp_path, ("Help", "mailto:x@evil.example"), ("Details:", "Detaljer:"))
    assert "the target changes a link (mailto:x@evil.example)" in run(
        "memory", "import", str(moved)
    ).stderr


def test_plural_pairs_whose_form_adds_or_drops_the_count_come_back(vendor, tmp_path, memory_file):
    """Liberapay's approved plural entries: the singular msgid leaves out '{n}' ('Renew this
    donation') while Russian and Lithuanian form 0 (1, 21, 31...) must say it, and Arabic
    form 0 (zero) says 'no donations' without it. 'memory export' wrote those pairs and
    'memory import' of that very file skipped 62 of 8,823 as a dropped or added placeholder
    (QA, real catalogs); a pair the export marks as a plural form may use the placeholders
    of the entry's other source text."""
    from toolkit.catalogs import read_catalog

    po = vendor.po_path("lt")
    po.write_text(
        po.read_text("utf-8")
        + '\nmsgid "You have a donation waiting"\nmsgid_plural "You have {n} donations waiting"\n'
        'msgstr[0] "Jūsų laukia {n} parama"\nmsgstr[1] "Jūsų laukia {n} paramos"\n'
        'msgstr[2] "Jūsų laukia {n} paramų"\n\n'
        'msgid "{n} donation"\nmsgid_plural "{n} donations"\n'
        'msgstr[0] "Nėra paramų"\nmsgstr[1] "{n} paramos"\nmsgstr[2] "{n} paramų"\n',
        "utf-8",
    )
    assert read_catalog(po).get("{n} donation") is not None
    first = tmp_path / "first.tmx"
    export_tmx(vendor, first, memory_path=memory_file)
    text = first.read_text("utf-8")
    assert '<prop type="x-toolkit-plural">You have {n} donations waiting</prop>' in text
    result = import_tmx(vendor, first, memory_path=memory_file)
    assert not result.skipped, result.skipped
    second = tmp_path / "second.tmx"
    export_tmx(vendor, second, memory_path=memory_file)
    assert pairs(second) == pairs(first)
    assert not import_tmx(vendor, second, memory_path=tmp_path / "other.sqlite").skipped
    # The memory keeps the mark: exported without the catalogs that made it, the pairs still
    # say so, and another memory imports them (QA pass 77: 0 of 300 marks came back)
    third = tmp_path / "third.tmx"
    export_tmx(vendor, third, memory_path=tmp_path / "other.sqlite", include_catalogs=False)
    assert '<prop type="x-toolkit-plural">You have {n} donations waiting</prop>' in (
        third.read_text("utf-8"))
    assert not import_tmx(vendor, third, memory_path=tmp_path / "third.sqlite").skipped
    # The other source's placeholders only: a form that adds another one is still refused.
    forged = text.replace("Jūsų laukia {n} parama<", "Jūsų laukia {n} parama {amount}<")
    (tmp_path / "forged.tmx").write_text(forged, "utf-8")
    skipped = import_tmx(vendor, tmp_path / "forged.tmx", memory_path=tmp_path / "f.sqlite")
    assert [why for _, why in skipped.skipped] == ["lt: the target adds '{amount}'"]


def test_a_localised_example_address_is_kept_as_the_urls_check_keeps_it(
    vendor, tmp_path, memory_file, run
):
    """Liberapay's Lithuanian 'pavyzdys@mastodon.social' for 'example@mastodon.social' passes
    'toolkit check' (an example a translator may localise) but 'memory import' of the
    project's own export skipped it as an added link (QA, real catalogs)."""
    path = _tmx(tmp_path, ("example@mastodon.social", "pavyzdys@mastodon.social"),
                ("Write to help@shop.dk", "Rašykite help@evil.ru"))  # fmt: skip
    result = run("memory", "import", str(path))
    assert result.exit_code == 1
    assert "1 human" in result.stdout and "1 skipped" in result.stdout
    assert "the target adds the link 'help@evil.ru'" in result.stderr


def test_a_pair_the_file_repeats_is_counted_as_known(vendor, tmp_path, memory_file, run):
    """po2tmx writes Polish plural forms 1 and 2 as two units when their text is the same:
    the second was dropped without being counted (QA pass 59)."""
    path = _tmx(tmp_path, ("Thanks", "Tak"), ("Thanks", "Tak"), ("Hello", "Hej"))
    result = run("memory", "import", str(path))
    assert result.exit_code == 0, result.output
    assert "3 units read: 2 human and 0 machine translations added, 1 already known" in (
        result.stdout
    )


def test_srclang_all_takes_the_projects_source_language(vendor, tmp_path, memory_file, run):
    """TMX 1.4b allows srclang="*all*" (any <tuv> may be the source): such a file was refused
    whole, "no source language", though every unit had an English <tuv> (QA pass 60)."""
    path = _tmx(tmp_path, ("Thanks", "Tak"), ("Save now", "Gem nu"))
    path.write_text(path.read_text("utf-8").replace('srclang="en"', 'srclang="*all*"'), "utf-8")
    text = path.read_text("utf-8")
    # one unit says *all* itself, with its tuvs in the other order and a regional tag
    text = text.replace("</body>", '<tu srclang="*all*"><tuv xml:lang="da"><seg>Køb</seg></tuv>'
                        '<tuv xml:lang="en-US"><seg>Buy</seg></tuv></tu>\n'
                        '<tu><tuv xml:lang="de"><seg>Kaufen</seg></tuv>'
                        '<tuv xml:lang="da"><seg>Køb</seg></tuv></tu>\n</body>')  # fmt: skip
    path.write_text(text, "utf-8")
    result = run("memory", "import", str(path))
    assert result.exit_code == 0, result.output
    assert "3 human" in result.stdout and "1 skipped" in result.stdout
    assert "no <tuv> in the project's source language 'en'" in result.stderr
    with TranslationMemory(memory_file, read_only=True) as memory:
        pairs = {(u.source, u.target) for u in memory.human_units("da")}
    assert pairs == {("Thanks", "Tak"), ("Save now", "Gem nu"), ("Buy", "Køb")}


def test_plural_pairs_take_the_forms_for_one_and_for_most_numbers(vendor, tmp_path,
                                                                  memory_file):  # fmt: skip
    """GNOME's Slovenian rule gives 1 its msgstr[1] and most numbers msgstr[0]: the export
    paired the singular msgid with msgstr[0] ("dni", 5 and up) and the plural with the
    last form ('dnevi', 3-4), and the singular 'dan' was never exported (QA pass 72)."""
    po = vendor.po_path("lt").parent.parent.parent / "sl" / "LC_MESSAGES" / "messages.po"
    po.parent.mkdir(parents=True)
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: sl\\n"\n'
        '"Plural-Forms: nplurals=4; plural=(n%100==1 ? 1 : n%100==2 ? 2 : '
        'n%100==3 || n%100==4 ? 3 : 0);\\n"\n\n'
        'msgid "%(n)d day"\nmsgid_plural "%(n)d days"\nmsgstr[0] "%(n)d dni"\n'
        'msgstr[1] "%(n)d dan"\nmsgstr[2] "%(n)d dneva"\nmsgstr[3] "%(n)d dnevi"\n', "utf-8")
    out = tmp_path / "sl.tmx"
    export_tmx(vendor, out, locale="sl", memory_path=memory_file)
    found = {(source, target) for _, lang, source, target in pairs(out) if lang.startswith("sl")}
    assert found == {("%(n)d day", "%(n)d dan"), ("%(n)d days", "%(n)d dni")}


def test_a_character_xml_cannot_carry_is_an_error_naming_its_entry(vendor, tmp_path,
                                                                   memory_file, run):  # fmt: skip
    """An ESC in a translation (msgfmt --check accepts it) made memory export end in lxml's
    traceback, exit 1 (QA pass 77); xliff export said where. Now both do, nothing written."""
    po = vendor.po_path("lt")
    text = po.read_text("utf-8")
    assert 'msgstr "Ačiū"' in text
    po.write_text(text.replace('msgstr "Ačiū"', 'msgstr "\\033[1mAčiū"'), "utf-8")
    line = next(n for n, row in enumerate(po.read_text("utf-8").splitlines(), 1)
                if row == 'msgid "Thank you"')  # fmt: skip
    out = tmp_path / "lt.tmx"
    result = run("memory", "export", "--locale", "lt", "--out", str(out))
    assert result.exit_code == 2, result.output
    assert (f"locales/lt/LC_MESSAGES/messages.po:{line}: entry 'Thank you' holds U+001B, a "
            "character XML cannot carry; no TMX file was written.") in result.stderr
    assert "Traceback" not in result.output and not out.exists()
    po.write_text(text, "utf-8")
    with TranslationMemory(memory_file) as memory:  # a unit a review save stored
        memory.store_human([HumanUnit("en", "lt", "Bell", "Skambutis\x07", "review")])
    result = run("memory", "export", "--locale", "lt", "--out", str(out))
    assert result.exit_code == 2 and "memory unit 'Bell' holds U+0007" in result.stderr
    assert not out.exists()


@pytest.mark.parametrize(
    ("source", "target", "why"),
    [
        # Liberapay's French "… à {1} … maintenant que {1} s'est inscrit" (QA pass 80): the same
        # value twice, as the placeholders check takes it, not a placeholder "added".
        ("{0} invited {1} to join", "{0} a invité {1} ; maintenant que {1} s'est inscrit", None),
        ("Hi %(name)s", "Hej %(name)s og %(name)s", None),
        ("{name} and {name}", "{name}", None),
        # A positional %s more is one more value: the format fails.
        ("%s of %s", "%s af %s %s", "the target adds '%s'"),
        ("Hi {name}", "Hej {navn}", "the target adds '{navn}'"),
    ],
)
def test_a_named_placeholder_may_repeat_in_a_memory_unit(source, target, why):
    from toolkit.interchange.tmx import unsafe_pair

    assert unsafe_pair(source, target) == why
