from __future__ import annotations

import gettext
import json
import subprocess

import pytest

from toolkit.catalogs import MT_PROVENANCE_PREFIX, read_catalog, update_catalogs, write_catalog
from toolkit.compile import compile_catalogs
from toolkit.errors import CatalogError
from toolkit.extract import extract_messages
from toolkit.status import catalog_status

from .helpers import msgfmt_check, translate

LT_DAYS = ("Liko %(num)d diena", "Liko %(num)d dienos", "Liko %(num)d dienų")


@pytest.fixture
def translated(project):
    extract_messages(project)
    update_catalogs(project)
    translate(
        project.po_path("lt"),
        "lt",
        {
            "%(num)d day left": LT_DAYS,
            ("Open", "button"): "Atidaryti",
            "How points work": "Kaip veikia taškai",
        },
    )
    translate(project.po_path("lt"), "lt", {"Loyalty points explained": "Taškai"}, fuzzy=True)
    translate(
        project.po_path("da"),
        "da",
        {
            "%(num)d day left": ("%(num)d dag tilbage", "%(num)d dage tilbage"),
        },
    )
    return project


def test_mo_loads_in_python_gettext_with_plural_forms(translated):
    results = compile_catalogs(translated, ["lt", "da"])
    assert [r.locale for r in results] == ["lt", "da"]
    with translated.mo_path("lt").open("rb") as handle:
        lt = gettext.GNUTranslations(handle)
    cases = {1: 0, 21: 0, 2: 1, 5: 1, 22: 1, 0: 2, 10: 2, 11: 2, 15: 2, 100: 2}
    for n, form in cases.items():
        assert lt.ngettext("%(num)d day left", "%(num)d days left", n) == LT_DAYS[form]
    assert lt.pgettext("button", "Open") == "Atidaryti"
    assert lt.gettext("How points work") == "Kaip veikia taškai"
    # fuzzy entries are left out: gettext falls back to the source
    assert lt.gettext("Loyalty points explained") == "Loyalty points explained"
    # untranslated entries fall back too
    assert lt.gettext("How do I reset my password?") == "How do I reset my password?"
    assert results[0].skipped_fuzzy == 1
    with translated.mo_path("da").open("rb") as handle:
        da = gettext.GNUTranslations(handle)
    assert da.ngettext("%(num)d day left", "%(num)d days left", 1) == "%(num)d dag tilbage"
    assert da.ngettext("%(num)d day left", "%(num)d days left", 3) == "%(num)d dage tilbage"
    for locale in translated.locales:
        msgfmt_check(translated.po_path(locale))


def test_use_fuzzy_includes_fuzzy(translated):
    compile_catalogs(translated, ["lt"], use_fuzzy=True)
    with translated.mo_path("lt").open("rb") as handle:
        lt = gettext.GNUTranslations(handle)
    assert lt.gettext("Loyalty points explained") == "Taškai"


def test_compile_is_byte_identical(translated):
    compile_catalogs(translated)
    first = {loc: translated.mo_path(loc).read_bytes() for loc in translated.locales}
    results = compile_catalogs(translated)
    assert not any(r.written for r in results)
    assert first == {loc: translated.mo_path(loc).read_bytes() for loc in translated.locales}


def test_matches_msgfmt_lookups(translated, tmp_path):
    """GNU msgfmt's MO and ours answer every lookup the same way."""
    import subprocess

    compile_catalogs(translated, ["lt"])
    theirs_path = tmp_path / "msgfmt.mo"
    subprocess.run(["msgfmt", "-o", str(theirs_path), str(translated.po_path("lt"))], check=True)
    with translated.mo_path("lt").open("rb") as a, theirs_path.open("rb") as b:
        ours, theirs = gettext.GNUTranslations(a), gettext.GNUTranslations(b)
    catalog = read_catalog(translated.po_path("lt"), "lt")
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            for n in range(30):
                assert ours.ngettext(*message.id, n) == theirs.ngettext(*message.id, n)
        elif message.context:
            assert ours.pgettext(message.context, message.id) == theirs.pgettext(
                message.context, message.id
            )
        else:
            assert ours.gettext(message.id) == theirs.gettext(message.id)


def test_missing_catalog_says_run_update(project):
    extract_messages(project)
    with pytest.raises(CatalogError, match="toolkit update"):
        compile_catalogs(project, ["da"])


def test_status_counts(translated):
    po = translated.po_path("lt")
    catalog = read_catalog(po, "lt")
    message = catalog.get("Loyalty points explained")
    message.user_comments.append(f"{MT_PROVENANCE_PREFIX} argos en->lt 1.0")
    write_catalog(po, catalog)
    (lt,) = catalog_status(translated, ["lt"])
    assert (lt.total, lt.translated, lt.fuzzy, lt.machine_translated) == (20, 3, 1, 1)
    assert lt.untranslated == 16
    assert lt.percent == 15.0


def test_a_fuzzy_plural_with_some_forms_is_fuzzy_as_msgfmt_counts_it(translated):
    """After update turned a string into a plural, its fuzzy entry with msgstr[0] only was
    counted untranslated; msgfmt --statistics counts it fuzzy (QA pass 59, SearXNG)."""
    import re
    import subprocess

    po = translated.po_path("lt")
    catalog = read_catalog(po, "lt")
    message = next(m for m in catalog if m.id and isinstance(m.id, tuple))
    message.string = ("taškas", "", "")
    message.flags.add("fuzzy")
    write_catalog(po, catalog)
    (lt,) = catalog_status(translated, ["lt"])
    stats = subprocess.run(["msgfmt", "--statistics", "-o", "/dev/null", str(po)],
                           capture_output=True, text=True, env={"LC_ALL": "C"}).stderr  # fmt: skip
    fuzzy = re.search(r"(\d+) fuzzy translation", stats)
    assert fuzzy is not None and lt.fuzzy == int(fuzzy.group(1)) >= 1, stats
    assert lt.translated + lt.fuzzy + lt.untranslated == lt.total


def test_an_empty_catalog_is_0_percent_not_100(translated):
    """A 0-byte catalog showed as 100.0 % translated (QA pass 25): nothing in it is."""
    translated.po_path("nb").write_bytes(b"")
    (nb,) = catalog_status(translated, ["nb"])
    assert (nb.total, nb.translated, nb.percent) == (0, 0, 0.0)


def test_status_cli_json(translated, cli):
    result = cli("status", "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    by_locale = {row["locale"]: row for row in data["locales"]}
    assert set(by_locale) == {"da", "nb", "lt"}
    assert by_locale["da"]["translated"] == 1
    assert set(by_locale["nb"]) >= {"total", "translated", "fuzzy", "untranslated", "percent"}
    # From the project root, as check's JSON names catalogs (QA pass 25: it was absolute).
    assert by_locale["da"]["path"] == "locales/da/LC_MESSAGES/messages.po"


def test_status_cli_table(translated, cli):
    result = cli("status")
    assert result.exit_code == 0
    assert "lt" in result.stdout and "untranslated" in result.stdout


def test_a_cache_folder_that_cannot_be_entered_costs_only_the_checks(project, monkeypatch):
    """A cache folder of mode 000 (another user's, or chmod'ed): looking for a verdict raised
    PermissionError and compile stopped with exit 2, while check and status went on (QA
    pass 13). It is a cache miss now."""
    from pathlib import PosixPath

    import toolkit.compile as compile_module
    from toolkit.compile import compile_catalogs
    from toolkit.extract import extract_messages

    class Unenterable(PosixPath):
        def is_file(self) -> bool:  # what stat() under a folder of mode 000 raises
            raise PermissionError(13, "Permission denied")

    extract_messages(project)
    from toolkit.catalogs import update_catalogs

    update_catalogs(project)
    real = compile_module.entry_path
    monkeypatch.setattr(compile_module, "entry_path", lambda *a: Unenterable(real(*a)))
    results = compile_catalogs(project)
    assert results and all(r.path.exists() for r in results)


def test_a_fuzzy_plural_with_some_forms_filled_counts_as_fuzzy_left_out(tmp_path):
    """calibre-web's pl catalog: 5 fuzzy entries (status and msgfmt --statistics say 5), two
    of them plurals with only msgstr[0] filled; compile said '3 fuzzy left out' and nothing of
    the other two (QA pass 80)."""
    from toolkit.config import load_config

    (tmp_path / "toolkit.toml").write_text('locales = ["pl"]\n', "utf-8")
    (tmp_path / "templates").mkdir()
    po = tmp_path / "locales" / "pl" / "LC_MESSAGES" / "messages.po"
    po.parent.mkdir(parents=True)
    rule = "(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2)"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        f'"Plural-Forms: nplurals=3; plural={rule};\\n"\n\n'
        '#, fuzzy\nmsgid "Book"\nmsgstr "Książka"\n\n'
        '#, fuzzy\nmsgid "%(n)s book"\nmsgid_plural "%(n)s books"\n'
        'msgstr[0] "%(n)s książka"\nmsgstr[1] ""\nmsgstr[2] ""\n\n'
        'msgid "Shelf"\nmsgstr "Półka"\n', "utf-8")
    [result] = compile_catalogs(load_config(tmp_path), ["pl"], force=True)
    assert (result.messages, result.skipped_fuzzy, result.skipped_partial) == (1, 2, 0)
    statistics = subprocess.run(["msgfmt", "--statistics", "-o", "/dev/null", str(po)],
                                capture_output=True, text=True).stderr  # fmt: skip
    assert "2 fuzzy translations" in statistics


@pytest.mark.parametrize("checked", [False, True])
def test_a_plural_whose_empty_form_only_a_fraction_picks_is_compiled(tmp_path, checked):
    """SearXNG's Transifex/Weblate Polish has 4 forms, the last one for fractions only
    (n % 1 != 0), which no whole number reaches. A plural with the three others written and
    the fourth empty was left out of the MO as partly translated (gettext showed English for
    1, 2 and 5) and counted untranslated by status; msgfmt ships it and counts it translated
    (QA pass 82). A render with a fractional count gets the source, not an empty string."""
    from toolkit.config import load_config
    from toolkit.render import Renderer

    (tmp_path / "toolkit.toml").write_text('locales = ["pl"]\n', "utf-8")
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "n.txt.j2").write_text(
        "{{ ngettext('%(num)s result', '%(num)s results', n) }}", "utf-8")
    po = tmp_path / "locales" / "pl" / "LC_MESSAGES" / "messages.po"
    po.parent.mkdir(parents=True)
    rule = ("(n==1 ? 0 : (n%10>=2 && n%10<=4) && (n%100<12 || n%100>14) ? 1 : n!=1 && "
            "(n%10>=0 && n%10<=1) || (n%10>=5 && n%10<=9) || (n%100>=12 && n%100<=14) ? 2 : 3)")
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        f'"Plural-Forms: nplurals=4; plural={rule};\\n"\n\n'
        'msgid "%(num)s result"\nmsgid_plural "%(num)s results"\n'
        'msgstr[0] "%(num)s wynik"\nmsgstr[1] "%(num)s wyniki"\nmsgstr[2] "%(num)s wyników"\n'
        'msgstr[3] ""\n\n'
        'msgid "%(num)s page"\nmsgid_plural "%(num)s pages"\n'
        'msgstr[0] "%(num)s strona"\nmsgstr[1] ""\nmsgstr[2] ""\nmsgstr[3] ""\n', "utf-8")
    config = load_config(tmp_path)
    [result] = compile_catalogs(config, ["pl"], force=not checked)
    assert (result.messages, result.skipped_partial) == (1, 1)
    with result.path.with_suffix(".mo").open("rb") as handle:
        ours = gettext.GNUTranslations(handle)
    msgfmt_mo = tmp_path / "msgfmt.mo"
    subprocess.run(["msgfmt", "-o", str(msgfmt_mo), str(po)], check=True)
    with msgfmt_mo.open("rb") as handle:
        theirs = gettext.GNUTranslations(handle)
    for n in (1, 2, 5, 12, 22, 101):
        assert ours.ngettext("%(num)s result", "%(num)s results", n) == theirs.ngettext(
            "%(num)s result", "%(num)s results", n)
    assert ours.ngettext("%(num)s result", "%(num)s results", 5) == "%(num)s wyników"
    [status] = catalog_status(config, ["pl"])
    assert (status.translated, status.untranslated) == (1, 1)
    statistics = subprocess.run(["msgfmt", "--statistics", "-o", "/dev/null", str(po)],
                                capture_output=True, text=True).stderr  # fmt: skip
    assert statistics.startswith("2 translated messages")  # msgfmt ships the partial one too
    renderer = Renderer(config)
    assert renderer.render("n.txt.j2", "pl", {"n": 5}).parts["text"].strip() == "5 wyników"
    fraction = renderer.render("n.txt.j2", "pl", {"n": 1.5}).parts["text"].strip()
    assert fraction in ("1.5 results", "1,5 results")


_POLISH = ("(n==1 ? 0 : (n%10>=2 && n%10<=4) && (n%100<12 || n%100>14) ? 1 : n!=1 && "
           "(n%10>=0 && n%10<=1) || (n%10>=5 && n%10<=9) || (n%100>=12 && n%100<=14) ? 2 : 3)")


@pytest.mark.parametrize("plural_forms", [
    # A form only a whole number far from the first thousand picks: not for fractions
    "nplurals=4; plural=(n==5000 ? 3 : n==1 ? 0 : n%10>=2 && n%10<=4 ? 1 : 2);",
    "nplurals=4; plural=(n>2000000 ? 3 : n==1 ? 0 : n%10>=2 && n%10<=4 ? 1 : 2);",
    # ... also when fractions reach it too
    "nplurals=4; plural=(n % 1 != 0 || n == 123456789 ? 3 : n==1 ? 0 : n%10>=2 ? 1 : 2);",
    "nplurals=4; plural=(n % 1 != 0 || n == 1234 ? 3 : n==1 ? 0 : n%10>=2 ? 1 : 2);",
    # Two Plural-Forms lines: Python's gettext reads the last, whose form 3 is for 0
    f"nplurals=4; plural={_POLISH};\\n"
    "Plural-Forms: nplurals=4; plural=(n==0 ? 3 : n==1 ? 0 : n%10>=2 && n%10<=4 ? 1 : 2);",
])
def test_an_empty_form_a_whole_number_picks_keeps_the_entry_out(tmp_path, plural_forms):
    """Only a form kept for fractions may be empty: a rule that gives form 3 to 5000 alone or
    to counts above two million (outside the sampled integers), or a header whose last
    Plural-Forms line gives it to 0, showed those customers an empty text (QA pass 83).
    compile and status agree about such an entry."""
    from toolkit.config import load_config

    (tmp_path / "toolkit.toml").write_text('locales = ["pl"]\n', "utf-8")
    (tmp_path / "templates").mkdir()
    po = tmp_path / "locales" / "pl" / "LC_MESSAGES" / "messages.po"
    po.parent.mkdir(parents=True)
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        f'"Plural-Forms: {plural_forms}\\n"\n\n'
        'msgid "Shelf"\nmsgstr "Półka"\n\n'
        'msgid "%(num)s result"\nmsgid_plural "%(num)s results"\n'
        'msgstr[0] "%(num)s wynik"\nmsgstr[1] "%(num)s wyniki"\nmsgstr[2] "%(num)s wyników"\n'
        'msgstr[3] ""\n', "utf-8")
    config = load_config(tmp_path)
    [result] = compile_catalogs(config, ["pl"], force=True)
    assert (result.messages, result.skipped_partial) == (1, 1)
    [status] = catalog_status(config, ["pl"])
    assert (status.translated, status.untranslated) == (1, 1)
