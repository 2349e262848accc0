"""Catalog-level checks (Plural-Forms header, msgfmt), suppression, fuzzy entries, errors."""

from __future__ import annotations

import pytest

from toolkit.checks import check_catalogs, check_files, select_checks
from toolkit.checks.msgfmt import parse_output
from toolkit.errors import CatalogError, InputError

from .helpers import msgfmt_accepts, run, write_po

LT_CLDR = (
    "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && (n%100<10 || n%100>=20) ? 1 : 2);"
)
PLACEHOLDER_BUG = '#, python-format\nmsgid "Hi %(name)s"\nmsgstr "Hej %(navn)s"'


@pytest.mark.parametrize(
    ("plural_forms", "fails"),
    [
        (LT_CLDR, False),
        # the same rule written differently: compared on 0..1000, so it passes
        (
            "nplurals=3; plural=(n%100!=11 && n%10==1 ? 0 : "
            "(n%10>=2 && (n%100<10 || n%100>=20)) ? 1 : 2);",
            False,
        ),
        ("nplurals=2; plural=(n != 1);", True),
        ("nplurals=3; plural=(n==1 ? 0 : n<10 ? 1 : 2);", True),
        ("nplurals=3; plural=n+;", True),
    ],
)
def test_plural_header(tmp_path, plural_forms, fails):
    path = write_po(tmp_path, "lt", 'msgid "Open"\nmsgstr "Atidaryti"', plural_forms=plural_forms)
    report = run(path, "lt", "plural-header")
    assert bool(report.findings) == fails, report.findings
    if fails:
        assert report.findings[0].line == 1
        assert "toolkit update --locale lt" in report.findings[0].message


def test_a_rule_with_a_form_for_fractions_only_says_so(tmp_path):
    """Transifex's 4-form Polish agrees with CLDR on every whole number; the warning said
    "differs ... 0 of 0-1000 differ" (QA pass 15)."""
    pl4 = ("nplurals=4; plural=(n==1 ? 0 : (n%10>=2 && n%10<=4) && (n%100<12 || n%100>14) ? "
           "1 : n!=1 && (n%10>=0 && n%10<=1) || (n%10>=5 && n%10<=9) || (n%100>=12 && "
           "n%100<=14) ? 2 : 3);")  # fmt: skip
    path = write_po(tmp_path, "pl", 'msgid "Open"\nmsgstr "Otwórz"', plural_forms=pl4)
    [finding] = run(path, "pl", "plural-header").findings
    assert finding.severity == "warning"
    assert "Plural-Forms has 4 forms where CLDR's rule for Polish has 3" in finding.message
    assert "only a fraction (1.5) picks msgstr[3]" in finding.message
    assert "0 of 0-1000" not in finding.message


def test_an_empty_form_only_a_fraction_picks_is_said_to_compile(tmp_path):
    """check said a Polish plural with its fraction-only msgstr[3] empty would be left out of
    the MO, while compile ships it, as msgfmt does (QA pass 82)."""
    pl4 = ("nplurals=4; plural=(n==1 ? 0 : (n%10>=2 && n%10<=4) && (n%100<12 || n%100>14) ? "
           "1 : n!=1 && (n%10>=0 && n%10<=1) || (n%10>=5 && n%10<=9) || (n%100>=12 && "
           "n%100<=14) ? 2 : 3);")  # fmt: skip
    entries = ('msgid "%(num)d result"\nmsgid_plural "%(num)d results"\n'
               'msgstr[0] "%(num)d wynik"\nmsgstr[1] "%(num)d wyniki"\n'
               'msgstr[2] "%(num)d wyników"\nmsgstr[3] ""',
               'msgid "%(num)d page"\nmsgid_plural "%(num)d pages"\n'
               'msgstr[0] "%(num)d strona"\nmsgstr[1] ""\nmsgstr[2] ""\nmsgstr[3] ""')
    path = write_po(tmp_path, "pl", *entries, plural_forms=pl4)
    fraction, partial = run(path, "pl", "untranslated").findings
    assert fraction.message.startswith("msgstr[3] not translated: only a fraction (1.5) picks")
    assert "the entry compiles" in fraction.message
    assert "compile leaves the entry out" in partial.message


@pytest.mark.parametrize(
    ("locale", "rule", "said"),
    [
        ("fr", "nplurals=2; plural=(n > 1);",
         "msgstr[1] is CLDR's msgstr[2]); only larger numbers or fractions reach CLDR's "
         "msgstr[1]"),
        ("lt", "nplurals=4; plural=(n % 10 == 1 && (n % 100 > 19 || n % 100 < 11) ? 0 : "
         "(n % 10 >= 2 && n % 10 <=9) && (n % 100 > 19 || n % 100 < 11) ? 1 : n % 1 != 0 ? 2"
         ": 3);",
         "msgstr[3] is CLDR's msgstr[2]); only larger numbers or fractions reach the catalog's "
         "msgstr[2]"),
    ],
)  # fmt: skip
def test_a_rule_that_numbers_the_same_groups_differently_says_so(tmp_path, locale, rule, said):
    """French 'n > 1' and Weblate's 4-form Lithuanian group the whole numbers as CLDR does;
    the warning said '999 of 0-1000 differ' (QA pass 59, SearXNG)."""
    path = write_po(tmp_path, locale, 'msgid "Open"\nmsgstr "x"', plural_forms=rule)
    [finding] = run(path, locale, "plural-header").findings
    assert finding.severity == "warning"
    assert "groups every whole number 0-1000 as CLDR's rule" in finding.message
    assert said in finding.message and "of 0-1000 differ" not in finding.message


def test_missing_plural_header(tmp_path):
    path = tmp_path / "lt.po"
    path.write_text('msgid ""\nmsgstr "Language: lt\\n"\n\nmsgid "Open"\nmsgstr "Atidaryti"\n')
    [finding] = run(path, "lt", "plural-header").findings
    assert "no Plural-Forms header" in finding.message


def test_a_missing_plural_header_is_one_error_not_two(tmp_path):
    """plural-header and msgfmt both reported it, on different lines (QA pass 59, the
    original Flask-Admin 'no' catalog): plural-header's error stands for both."""
    path = tmp_path / "nb.po"
    path.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                    'msgid "One file"\nmsgid_plural "%(n)s files"\nmsgstr[0] "En fil"\n'
                    'msgstr[1] "%(n)s filer"\n', "utf-8")  # fmt: skip
    assert not msgfmt_accepts(path)
    errors = [f for f in run(path, "nb").findings if f.severity == "error"]
    assert [f.check for f in errors] == ["plural-header"]
    only_msgfmt = run(path, "nb", "msgfmt").findings  # without plural-header, msgfmt says it
    assert any("Plural-Forms" in f.message for f in only_msgfmt)


def test_msgfmt_findings_map_to_entries(tmp_path):
    path = write_po(tmp_path, "da", 'msgid "Open"\nmsgstr "Åbn"', PLACEHOLDER_BUG)
    assert not msgfmt_accepts(path)
    [finding] = run(path, "da", "msgfmt").findings
    assert finding.severity == "error"
    assert finding.msgid == "Hi %(name)s"
    # msgfmt names the msgstr line; the finding names the entry's msgid line
    assert finding.line == _line_of(path, 'msgid "Hi %(name)s"')
    assert "argument 'name'" in finding.message
    assert not run(write_po(tmp_path / "ok", "da", 'msgid "Open"\nmsgstr "Åbn"'), "da").findings


def test_a_brace_format_flag_on_a_msgid_that_is_none_is_named_as_the_fault(tmp_path):
    """react-jsx-i18n's ``{count}1{/count}`` flagged python-brace-format: msgfmt refuses every
    translation of it and the error blamed msgstr[0], which no translator can make valid (91
    errors in 13 of Indico's catalogs; QA pass 77). The flag is named as what is wrong."""
    jsx = ('#, python-brace-format\nmsgid "Used in {count}1{/count} room"\n'
           'msgid_plural "Used in {count} rooms"\nmsgstr[0] "Brugt i {count}1{/count} lokale"\n'
           'msgstr[1] "Brugt i {count} lokaler"\n')  # fmt: skip
    broken = '#, python-brace-format\nmsgid "Hi {name}"\nmsgstr "Hej {name"\n'
    path = write_po(tmp_path, "da", jsx, broken)
    assert not msgfmt_accepts(path)
    found = {f.msgid: f.message for f in run(path, "da", "msgfmt").findings}
    assert "is not a valid Python brace format string" in found["Used in {count}1{/count} room"]
    assert ("The msgid is no brace format string either: the entry's python-brace-format flag "
            "is wrong, not the translation") in found["Used in {count}1{/count} room"]
    assert "either" not in found["Hi {name}"]  # a translation that broke a valid source


@pytest.mark.parametrize("body", ["", 'msgid "Open"\nmsgstr "Åbn"\n'])
def test_a_catalog_without_header_gets_one_readable_msgfmt_error(tmp_path, body):
    path = tmp_path / "da.po"
    path.write_text(body, "utf-8")
    assert not msgfmt_accepts(path)
    [finding] = run(path, "da", "msgfmt").findings
    assert finding.severity == "error" and finding.line == 1
    assert "no header entry" in finding.message and "toolkit update --locale da" in finding.message
    assert "\n" not in finding.message


def test_msgfmt_defers_to_the_specific_check(tmp_path):
    path = write_po(tmp_path, "da", PLACEHOLDER_BUG)
    checks = [f.check for f in run(path, "da").findings]
    assert checks == ["placeholders"]
    # with the specific check switched off, msgfmt still catches it
    report = run(path, "da", *[c.id for c in select_checks(ignore=["placeholders"])])
    assert [f.check for f in report.findings] == ["msgfmt"]


def test_msgfmt_missing_is_a_warning(tmp_path, monkeypatch):
    path = write_po(tmp_path, "da", PLACEHOLDER_BUG)
    monkeypatch.setenv("PATH", str(tmp_path / "no-such-bin"))
    [finding] = run(path, "da", "msgfmt").findings
    assert finding.severity == "warning"
    assert "msgfmt is not installed" in finding.message


def test_parse_output_joins_continued_messages(tmp_path):
    path = tmp_path / "x.po"
    output = f"{path}:2: nplurals = 3...\n{path}:9: ...but some messages have only 2 plural forms\n"
    [line] = parse_output(output, path)
    assert line.line == 9 and "nplurals = 3, but" in line.message


def test_no_check_flag_suppresses_one_check(tmp_path):
    entry = 'msgid "See https://nordlys.dk/en/help"\nmsgstr "Se https://nordlys.dk/da/hjaelp"'
    path = write_po(tmp_path, "da", entry)
    assert [f.check for f in run(path, "da", "urls").findings] == ["urls"]
    path = write_po(tmp_path / "s", "da", "#, no-check-urls\n" + entry)
    assert msgfmt_accepts(path)
    assert run(path, "da").findings == ()


@pytest.mark.parametrize(
    ("locale", "translation", "findings"),
    [  # from Sphinx's Transifex catalogs: the link is the same, the punctuation is the locale's
        ("ca", "Vegeu «https://github.com/sphinx-doc/sphinx/issues/13665»", 0),
        ("zh_CN", "见 https://www.sphinx-doc.org/en/master/usage/configuration.html#lang。", 0),
        ("zh_TW", "見「https://www.sphinx-doc.org/en/master/man/」，", 0),
        ("fr", "Voir “https://github.com/sphinx-doc/sphinx/issues/13665”…", 0),
        ("ca", "Vegeu «https://github.com/sphinx-doc/sphinx/issues/99»", 1),  # a real change
    ],
)
def test_typographic_quotes_and_cjk_punctuation_end_a_url(tmp_path, locale, translation,
                                                          findings):  # fmt: skip
    source = {
        "ca": "See https://github.com/sphinx-doc/sphinx/issues/13665",
        "fr": "See https://github.com/sphinx-doc/sphinx/issues/13665",
        "zh_CN": "See https://www.sphinx-doc.org/en/master/usage/configuration.html#lang.",
        "zh_TW": "See https://www.sphinx-doc.org/en/master/man/.",
    }[locale]
    path = write_po(tmp_path, locale, f'msgid "{source}"\nmsgstr "{translation}"')
    assert len(run(path, locale, "urls", "placeholders").findings) == findings


def test_fuzzy_entry_errors_are_warnings_unless_fuzzy_ships(tmp_path):
    path = write_po(
        tmp_path, "da", PLACEHOLDER_BUG.replace("#, python-format", "#, fuzzy, python-format")
    )
    [finding] = run(path, "da", "placeholders").findings
    assert finding.severity == "warning" and "fuzzy" in finding.message
    [finding] = run(path, "da", "placeholders", use_fuzzy=True).findings
    assert finding.severity == "error"


def test_malformed_po_is_a_catalog_error_with_line(tmp_path):
    path = write_po(tmp_path, "da", 'msgid "Open"\nmsgstr "Åbn')
    with pytest.raises(CatalogError) as info:
        run(path, "da")
    assert info.value.line == _line_of(path, 'msgstr "Åbn')
    assert info.value.exit_code == 2


def test_unknown_check_id_suggests(project):
    with pytest.raises(InputError, match="Did you mean 'placeholders'"):
        check_catalogs(project, select=["placeholder"])
    with pytest.raises(InputError, match="--ignore"):
        check_catalogs(project, ignore=["nonsense"])


def test_missing_catalog_says_run_update(project):
    with pytest.raises(CatalogError, match="toolkit update"):
        check_catalogs(project, ["da"])


def test_registry_is_open_for_new_families(tmp_path):
    """A module registers a check with @register; it gets the config and catalog path."""
    from toolkit.checks import EntryCheck, register
    from toolkit.checks.base import _REGISTRY

    seen = []

    @register
    class ShoutCheck(EntryCheck):
        id = "test-shout"
        description = "Translations in capitals."
        severity = "warning"

        def check(self, entry, context):
            seen.append(context.path)
            if any(t.isupper() for t in entry.strings):
                yield "shouting."

    try:
        path = write_po(tmp_path, "da", 'msgid "Open"\nmsgstr "ÅBN"')
        report = run(path, "da", "test-shout")
        assert [f.message for f in report.findings] == ["shouting."]
        assert seen == [path]
    finally:
        del _REGISTRY["test-shout"]


def test_a_check_that_does_not_apply_to_a_catalog_is_not_called_for_its_entries(tmp_path):
    from toolkit.checks import EntryCheck, register
    from toolkit.checks.base import _REGISTRY

    asked, called = [], []

    @register
    class DanishOnlyCheck(EntryCheck):
        id = "test-danish-only"
        description = "Only Danish catalogs."
        severity = "warning"

        def applies(self, context):
            asked.append(context.locale)
            return context.locale == "da"

        def check(self, entry, context):
            called.append(context.locale)
            yield "seen."

    try:
        for locale in ("da", "nb"):
            path = write_po(tmp_path / locale, locale, 'msgid "Open"\nmsgstr "Åbn"')
            report = run(path, locale, "test-danish-only")
            assert len(report.findings) == (1 if locale == "da" else 0)
        assert asked == ["da", "nb"] and called == ["da"]
    finally:
        del _REGISTRY["test-danish-only"]


def test_glossary_checks_do_not_apply_without_glossary_files(tmp_path):
    from toolkit.checks.base import CheckContext
    from toolkit.checks.glossary import GlossaryForbiddenCheck
    from toolkit.config import load_config

    (tmp_path / "toolkit.toml").write_text('locales = ["da", "nb"]\n', "utf-8")
    (tmp_path / "glossaries").mkdir()
    (tmp_path / "glossaries" / "nb.csv").write_text("source,target,rule\n", "utf-8")
    config = load_config(tmp_path)

    def applies(locale: str) -> bool:
        context = CheckContext(locale, tmp_path, None, 2, frozenset(), 1, config=config)
        return GlossaryForbiddenCheck().applies(context)

    assert (applies("da"), applies("nb")) == (False, True)


def _line_of(path, text):
    lines = path.read_text("utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if line == text)


def test_worker_processes_give_the_same_report(tmp_path):
    paths = [
        (locale, write_po(tmp_path, locale, PLACEHOLDER_BUG, 'msgid "Open"\nmsgstr ""'))
        for locale in ("da", "nb", "lt")
    ]
    from toolkit.checks import check_files

    serial = check_files(paths, jobs=1)
    pooled = check_files(paths, jobs=2)
    assert serial == pooled
    assert [c.locale for c in pooled.catalogs] == ["da", "nb", "lt"]
    assert pooled.errors == 3


def test_worker_errors_keep_file_and_line(tmp_path):
    from toolkit.checks import check_files

    good = write_po(tmp_path, "da", 'msgid "Open"\nmsgstr "Åbn"')
    bad = write_po(tmp_path, "nb", 'msgid "Open"\nmsgstr "Åpne')
    with pytest.raises(CatalogError) as info:
        check_files([("da", good), ("nb", bad)], jobs=2)
    assert info.value.path == bad and info.value.line == _line_of(bad, 'msgstr "Åpne')


@pytest.mark.parametrize(
    ("select", "ignore", "words"),
    [([""], None, "--select names no check"),
     (["placeholders"], ["placeholders"], "--ignore leaves none of the checks --select names"),
     (None, "ALL", "--ignore leaves no check")],
)  # fmt: skip
def test_a_selection_that_leaves_nothing_to_check_is_a_usage_error(select, ignore, words):
    from toolkit.checks import available_checks
    from toolkit.errors import InputError

    if ignore == "ALL":
        ignore = [c.id for c in available_checks()]
    with pytest.raises(InputError, match=words):
        select_checks(select, ignore)


_SLOW_POOL = """
import sys, time
from pathlib import Path
from toolkit.checks import EntryCheck, check_files, register

@register
class SlowCheck(EntryCheck):
    id = "test-slow"
    description = "Takes its time."
    severity = "warning"

    def check(self, entry, context):
        if context.locale == "da":  # nb is quick: its worker waits for work when Ctrl-C comes
            time.sleep(0.2)
        return iter(())

print("ready", flush=True)
check_files([("da", Path(sys.argv[1])), ("nb", Path(sys.argv[2]))], jobs=2)
"""


def test_ctrl_c_while_worker_processes_check_prints_no_worker_traceback(tmp_path):
    """Ctrl-C reaches the whole process group: the workers (one busy, one waiting for work)
    ignore it and are stopped by the main process, which alone reports the interrupt."""
    import os
    import signal
    import subprocess
    import sys
    import time

    paths = [
        str(write_po(tmp_path, locale, *[f'msgid "m{i}"\nmsgstr "x{i}"' for i in range(30)]))
        for locale in ("da", "nb")
    ]
    process = subprocess.Popen(
        [sys.executable, "-c", _SLOW_POOL, *paths],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )  # fmt: skip
    assert process.stdout is not None and process.stdout.readline().strip() == "ready"
    time.sleep(1.0)  # the workers are checking now
    os.killpg(process.pid, signal.SIGINT)  # as a terminal's Ctrl-C does
    _, err = process.communicate(timeout=30)
    assert process.returncode != 0
    assert "KeyboardInterrupt" in err
    assert "ForkProcess" not in err and err.count("Traceback") == 1


@pytest.mark.parametrize("bad", [0, 3, 5, 8])
@pytest.mark.parametrize("read_first", [False, True], ids=["read here", "read by the caller"])
def test_msgfmt_runs_ahead_and_each_catalog_gets_its_own_verdict(tmp_path, bad, read_first):
    """msgfmt runs on several catalogs ahead of the one being checked; each finding must
    still name the catalog msgfmt judged (nine locales, one broken, checked in order)."""
    from toolkit.catalogs import read_po_entries

    locales = ["da", "nb", "lt", "fr", "pl", "de", "sv", "fi", "cs"]
    paths = []
    for number, locale in enumerate(locales):
        entries = ['msgid "Open"\nmsgstr "X"']
        if number == bad:
            entries.append(PLACEHOLDER_BUG)
        paths.append(write_po(tmp_path / str(number), locale, *entries))
    parsed = {p: read_po_entries(p, locale=loc) for loc, p in zip(locales, paths, strict=True)}
    report = check_files(
        list(zip(locales, paths, strict=True)),
        select_checks(["msgfmt"]),
        jobs=1,
        parsed=parsed if read_first else None,
    )
    assert [(f.locale, f.path, f.check) for f in report.findings] == [
        (locales[bad], paths[bad], "msgfmt")
    ]
    assert [c.locale for c in report.catalogs] == locales


@pytest.mark.parametrize(
    ("entry", "found"),
    [
        # ihatemoney's el/eo/hi/ja/nb_NO/sr/uk: a fuzzy match of another message (pofilter
        # reports "Added printf variable"), and a brace field added to a plain greeting.
        ('#: app/forms.py:10\nmsgid "The participant name is invalid"\n'
         'msgstr "Użytkownik %(name)s został usunięty"', ["%(name)s"]),
        ('#: app/views.py:3\nmsgid "Hello"\nmsgstr "Cześć {user}"', ["{user}"]),
        # CKAN's Basque: another message's "%s ... %s" for a plain one (QA pass 76)
        ('#: ckan/logic/auth/update.py:9\nmsgid "Have to be logged in to edit user"\n'
         'msgstr "%s erabiltzaileak ez du %s taldeko baimenak editatzeko baimenik"', ["%s"]),
        # ... but a number's percent before an s, or a suffix after it, is text
        ('msgid "Save 50 percent"\nmsgstr "Oszczędź 50 %s"', []),
        ('msgid "Discount 50 percent"\nmsgstr "%50 indirim, %sı geçerli"', []),
        # Plain text a translation may hold: percent signs, a lone %s-like word, braces of
        # Jinja or of no field, and a field the source itself writes as text.
        ('msgid "Save 50 percent"\nmsgstr "Oszczędź 50 %"', []),
        ('msgid "Write {{ name }} in the template"\nmsgstr "Wpisz {{ name }} w szablonie"', []),
        ('msgid "Use {}"\nmsgstr "Użyj {}"', []),
        ('#, no-python-brace-format\nmsgid "Type {name} literally"\n'
         'msgstr "Wpisz {name} dosłownie"', []),
    ],
)  # fmt: skip
def test_a_placeholder_added_to_a_plain_source_is_an_error(tmp_path, entry, found):
    """Without a format string in the source nothing formats the translation: an added
    %(name)s or {name} reaches the customer as written (QA pass 57)."""
    path = write_po(tmp_path, "pl", entry)
    findings = run(path, "pl", "placeholders").findings
    assert [f.message.split(" has ")[1].split(",")[0] for f in findings] == found
    assert all(f.severity == "error" for f in findings)


@pytest.mark.parametrize(
    ("entry", "found"),
    [
        # SearXNG's real Arabic catalog: "{دالة}" ("function") for "Ahmia blacklist".
        ('msgid "Ahmia blacklist"\nmsgstr "{دالة}"', "{دالة}"),
        ('msgid "Engine stats"\nmsgstr "%(دالة)s"', "%(دالة)s"),
        ('#, python-brace-format\nmsgid "{hours} hour(s) ago"\nmsgstr "منذ {hours} {ساعات}"',
         "{ساعات}"),
        ('#, python-format\nmsgid "%(num)s results"\nmsgstr "%(num)s %(نتائج)s"', "%(نتائج)s"),
    ],
)  # fmt: skip
def test_placeholder_names_in_any_script_are_placeholders(tmp_path, entry, found):
    """Python takes any identifier as a field name; only ASCII ones were compared, so an
    Arabic field shipped (QA pass 59, pofilter reports it)."""
    path = write_po(tmp_path, "ar", entry)
    findings = run(path, "ar", "placeholders").findings
    assert len(findings) == 1 and f"has {found}, which the source does not have" in (
        findings[0].message
    )


def test_words_of_scripts_with_vowel_signs_are_not_doubled(tmp_path):
    """Sinhala, Bengali and Tamil vowel signs are no \\w: the end of one word and the start
    of the next read as a doubled word (SearXNG's si, bn and ta catalogs, QA pass 59)."""
    path = write_po(
        tmp_path,
        "si",
        'msgid "Change layout language"\nmsgstr "පිරිසැලසුම් භාෂාව වෙනස් කරන්න"',
        'msgid "Settings"\nmsgstr "সেটিংস পরিবর্তন করুন"',
        'msgid "the the"\nmsgstr "la la"',
    )
    findings = run(path, "si", "doubled-words").findings
    assert [f.message for f in findings] == ["msgstr repeats 'la la'."]


def test_an_obsolete_copy_of_a_live_entry_is_reported_on_the_live_entry(tmp_path):
    """The warning named the msgstr line msgfmt points at and an empty msgid (QA pass 57)."""
    path = write_po(tmp_path, "de", 'msgid "People to notify"\nmsgstr "Personen"',
                    '#~ msgid "People to notify"\n#~ msgstr "Personen"')  # fmt: skip
    [finding] = [f for f in run(path, "de", "msgfmt").findings if "repeats" in f.message]
    lines = path.read_text("utf-8").splitlines()
    assert lines[finding.line - 1] == 'msgid "People to notify"'
    assert finding.msgid == "People to notify" and finding.severity == "warning"


def test_a_noncharacter_in_a_translation_is_reported(tmp_path):
    """xliff export refuses an entry holding U+FFFE and pointed at 'toolkit check', which said
    nothing about it (QA pass 57)."""
    path = write_po(tmp_path, "da", 'msgid "Hello"\nmsgstr "Hej\ufffe"')
    [finding] = run(path, "da", "control-characters").findings
    assert "U+FFFE" in finding.message and finding.severity == "error"


def test_a_nul_in_the_source_is_an_error(tmp_path):
    """'msgid "k\\000ey"' compiled silently into a key gettext reads as msgid "k" with the
    plural "ey" (QA pass 57, review)."""
    path = write_po(tmp_path, "da", 'msgid "k\\000ey"\nmsgstr "v"')
    [finding] = run(path, "da", "control-characters").findings
    assert "NUL" in finding.message and finding.severity == "error"


def test_a_right_to_left_override_hiding_an_address_is_an_error(tmp_path):
    """A vendor's target 'Kontakt \u202emoc.liam-ekaf@troppus\u202c.' shows the customer an
    address the source lacks, stored reversed where the urls check cannot see it: xliff import
    took it as approved with exit 0 (QA pass 80)."""
    entry = 'msgid "Contact us."\nmsgstr "Kontakt \u202emoc.liam-ekaf@troppus\u202c."'
    path = write_po(tmp_path, "da", entry)
    [finding] = run(path, "da", "control-characters").findings
    assert finding.severity == "error"
    assert "bidirectional override character(s) U+202E" in finding.message
    assert not run(path, "da", "urls").findings  # (what the override hides from it)


@pytest.mark.parametrize(("locale", "reported"), [("da", True), ("ar", False), ("he", False)])
def test_a_left_to_right_override_is_an_error_in_a_left_to_right_language_only(
    tmp_path, locale, reported
):
    """Arabic and Hebrew catalogs keep a phone number in order with U+202D ... U+202C; a
    Danish one has no use for it."""
    entry = 'msgid "Call %s"\nmsgstr "\u202d%s\u202c :Ring"'
    findings = run(write_po(tmp_path, locale, entry), locale, "control-characters").findings
    assert bool(findings) is reported
    if reported:
        assert "U+202D" in findings[0].message


def test_a_bidi_override_the_source_has_is_no_finding(tmp_path):
    path = write_po(tmp_path, "da", 'msgid "\u202eabc\u202c"\nmsgstr "\u202eabc\u202c"')
    assert not run(path, "da", "control-characters").findings


def test_html_tags_names_the_link_the_translation_dropped(tmp_path):
    """Every link shares one tag key (its URL blanked): the message named the link the
    translation has as the one it lacks (CKAN's German about text; QA pass 76)."""
    entry = ('msgid "See <a href=\\"https://a.example.org/\\">A</a> and '
             '<a href=\\"https://b.example.org/\\">B</a>"\n'
             'msgstr "Se <a href=\\"https://a.example.org/\\">A</a> og </a>B</a>"')  # fmt: skip
    [finding] = run(write_po(tmp_path, "da", entry), "da", "html-tags").findings
    assert finding.message == (
        'msgstr lacks <a href="https://b.example.org/"> and has </a> instead.')


def test_mixed_automatic_and_numbered_fields_are_named_as_such(tmp_path):
    """'{} eller {1}' was "lacks {0} and has {} instead": the fault is the mix, which
    str.format refuses (QA pass 79)."""
    entry = '#, python-brace-format\nmsgid "{} or {}"\nmsgstr "{} eller {1}"'
    [finding] = run(write_po(tmp_path, "da", entry), "da", "placeholders").findings
    assert finding.message == ("msgstr mixes automatic fields ({}) with numbered ones ({1}): "
                               "str.format refuses the mix; number them all ({0}, {1}...) or "
                               "none.")  # fmt: skip


@pytest.mark.parametrize(("second", "fails"), [(LT_CLDR, False),
                                               ("nplurals=3; plural=(n==0 ? 2 : n != 1);", True)])
def test_two_plural_forms_lines_that_differ_are_an_error(tmp_path, second, fails):
    """Python's gettext reads the last of two Plural-Forms lines, C gettext and msgfmt the
    first: the same count showed another text (or an empty one) in a C program (QA pass 83).
    The same line twice is harmless."""
    path = write_po(tmp_path, "lt", 'msgid "Open"\nmsgstr "Atidaryti"',
                    plural_forms=LT_CLDR + '\\n"\n"Plural-Forms: ' + second)  # fmt: skip
    assert path.read_text("utf-8").count("Plural-Forms:") == 2
    findings = run(path, "lt", "plural-header").findings
    assert any("two Plural-Forms lines" in f.message and f.severity == "error"
               for f in findings) == fails, findings  # fmt: skip
