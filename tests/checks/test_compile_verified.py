"""compile's gate remembers clean catalogs: unchanged bytes are not checked twice, and any
change to the catalog, the project settings or the glossaries checks again."""

from __future__ import annotations

import pytest

from toolkit import catalogs
from toolkit import compile as compile_module
from toolkit.catalogs import update_catalogs
from toolkit.compile import compile_catalogs
from toolkit.config import load_config
from toolkit.errors import InputError, QAFailure
from toolkit.extract import extract_messages

from ..catalogs.helpers import translate

GOOD_LT = {"Hi %(first_name)s,": "Sveiki, %(first_name)s,"}


@pytest.fixture
def checked(project, monkeypatch):
    """The project with clean catalogs, and the locales each compile sent to the checks."""
    extract_messages(project)
    update_catalogs(project)
    translate(project.po_path("lt"), "lt", GOOD_LT)
    calls: list[list[str]] = []
    real = compile_module.error_findings

    def counting(config, locales, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(list(locales))
        return real(config, locales, **kwargs)

    monkeypatch.setattr(compile_module, "error_findings", counting)
    return project, calls


def test_unchanged_catalogs_are_checked_once(checked):
    project, calls = checked
    compile_catalogs(project)
    compile_catalogs(project)
    assert calls == [list(project.locales)]
    compile_catalogs(project, use_fuzzy=True)  # other options, other verdict
    assert len(calls) == 2


def test_a_changed_catalog_is_checked_again_and_refused(checked):
    project, calls = checked
    compile_catalogs(project)
    translate(project.po_path("lt"), "lt", {"Hi %(first_name)s,": "Sveiki, %(vardas)s,"})
    with pytest.raises(QAFailure, match=r"\[placeholders\]"):
        compile_catalogs(project)
    assert calls[-1] == ["lt"]  # only the changed catalog


def test_settings_and_glossaries_are_part_of_the_verdict(checked, project_dir):
    project, calls = checked
    compile_catalogs(project)
    config_file = project_dir / "toolkit.toml"
    config_file.write_text(config_file.read_text("utf-8") + 'brands = ["Sveiki"]\n', "utf-8")
    compile_catalogs(load_config(project_dir))
    assert len(calls) == 2
    (project_dir / "glossaries").mkdir(exist_ok=True)
    (project_dir / "glossaries" / "lt.csv").write_text("source,target,rule\n", "utf-8")
    compile_catalogs(load_config(project_dir))
    assert len(calls) == 3
    compile_catalogs(project, force=True)  # --force checks nothing
    assert len(calls) == 3


def mo_lookup(path, message):  # type: ignore[no-untyped-def]
    import gettext

    with path.open("rb") as handle:
        return gettext.GNUTranslations(handle).gettext(message)


def test_an_unchanged_catalog_compiles_from_the_cache_without_parsing(checked, monkeypatch):
    project, _ = checked
    first = compile_catalogs(project)
    made = {loc: project.mo_path(loc).read_bytes() for loc in project.locales}
    for locale in project.locales:
        project.mo_path(locale).unlink()
    parses: list[object] = []
    for name in ("parse_po_file", "parse_po_entries"):
        real = getattr(catalogs, name)
        monkeypatch.setattr(
            catalogs, name, lambda *a, _real=real, **k: parses.append(a) or _real(*a, **k)
        )
    again = compile_catalogs(project)
    assert parses == []
    assert {loc: project.mo_path(loc).read_bytes() for loc in project.locales} == made
    assert [(r.locale, r.messages, r.skipped_fuzzy, r.skipped_partial) for r in again] == [
        (r.locale, r.messages, r.skipped_fuzzy, r.skipped_partial) for r in first
    ]
    assert all(r.written for r in again)  # the MO files were gone: written again
    assert mo_lookup(project.mo_path("lt"), "Hi %(first_name)s,") == "Sveiki, %(first_name)s,"


def test_an_edited_catalog_gets_a_new_mo_and_the_cache_keeps_one_per_catalog(checked, tmp_path):
    project, _ = checked
    compile_catalogs(project)
    translate(project.po_path("lt"), "lt", {"Hi %(first_name)s,": "Labas, %(first_name)s,"})
    compile_catalogs(project)
    assert mo_lookup(project.mo_path("lt"), "Hi %(first_name)s,") == "Labas, %(first_name)s,"
    translate(project.po_path("lt"), "lt", GOOD_LT)  # back to the first text: a third version
    compile_catalogs(project)
    assert mo_lookup(project.mo_path("lt"), "Hi %(first_name)s,") == "Sveiki, %(first_name)s,"
    stored = list((compile_module._cache_dir() / "compiled").iterdir())
    assert len(stored) == len(project.locales)


def test_a_damaged_cache_entry_is_ignored(checked):
    project, _ = checked
    compile_catalogs(project)
    made = project.mo_path("lt").read_bytes()
    for entry in (compile_module._cache_dir() / "compiled").iterdir():
        entry.write_bytes(entry.read_bytes()[:-10])  # the MO cut short, key and counts kept
    project.mo_path("lt").unlink()
    compile_catalogs(project)
    assert project.mo_path("lt").read_bytes() == made


def test_force_neither_reads_nor_fills_the_cache(checked):
    project, _ = checked
    compile_catalogs(project, force=True)
    assert not (compile_module._cache_dir() / "compiled").exists()


def test_an_unchanged_catalog_compiles_without_importing_the_parser(checked, project_dir):
    """The cached path is the cheap one: the second compile imports neither the catalogs
    package nor Babel's PO parser (a fresh process, as the console script runs)."""
    import os
    import subprocess
    import sys

    compile_catalogs(checked[0])
    probe = (
        "import sys; from toolkit.cli import main; sys.argv = ['toolkit', '--project', "
        f"{str(project_dir)!r}, 'compile']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith(('toolkit.catalogs', "
        "'babel.messages.pofile'))))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=dict(os.environ)
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"
    assert "messages" in result.stdout


def test_a_catalog_check_found_clean_is_not_checked_again_by_compile(checked):
    from toolkit.checks.cache import check_catalogs_cached

    project, calls = checked
    report = check_catalogs_cached(project)
    assert report.errors == 0
    compile_catalogs(project)
    assert calls == []  # toolkit check && toolkit compile: the checks ran once


def test_a_catalog_check_found_errors_in_is_still_refused(checked):
    from toolkit.checks.cache import check_catalogs_cached

    project, calls = checked
    translate(project.po_path("lt"), "lt", {"Hi %(first_name)s,": "Sveiki, %(vardas)s,"})
    assert check_catalogs_cached(project).errors == 1
    with pytest.raises(QAFailure, match=r"\[placeholders\]"):
        compile_catalogs(project)
    assert calls == [["lt"]]


def test_only_a_check_of_every_check_counts_for_compile(checked):
    from toolkit.checks.cache import check_catalogs_cached

    project, calls = checked
    check_catalogs_cached(project, select=["untranslated"])  # another question
    compile_catalogs(project)
    assert calls == [list(project.locales)]
    translate(project.po_path("lt"), "lt", {"Hi %(first_name)s,": "Labas, %(first_name)s,"})
    check_catalogs_cached(project, use_fuzzy=True)  # other options: another verdict
    compile_catalogs(project)
    assert calls[-1] == ["lt"]


def test_the_refusal_reads_as_sentences_whatever_the_finding_ends_with(checked, monkeypatch):
    from pathlib import Path

    import toolkit.checks
    from toolkit.checks import report as report_module

    project, _ = checked
    finding = report_module.Finding(
        "brand-name", "error", "lt", project.po_path("lt"), 12, "Pay", None,
        "msgstr: 'PayPal' must stay exactly as in the source",
    )  # fmt: skip
    fake = report_module.CheckReport(findings=(finding, finding), catalogs=(), checks=())
    monkeypatch.setattr(toolkit.checks, "check_catalogs", lambda *a, **k: fake)
    with pytest.raises(QAFailure) as refused:
        compile_module.refuse_errors(project, ["lt"])
    assert "as in the source. 1 more error(s). Nothing was compiled." in str(refused.value)
    assert isinstance(finding.path, Path)


def test_two_cores_compile_and_refuse_as_one(project, monkeypatch, tmp_path):
    """Catalogs to check shared out between this process and a forked child: the same MO
    files, and the same refusal naming the first error of the first catalog."""
    import toolkit.forked as forked

    extract_messages(project)
    update_catalogs(project)
    translate(project.po_path("lt"), "lt", GOOD_LT)
    forks = []
    real_fork = forked.os.fork
    monkeypatch.setattr(forked, "cores", lambda: 2)
    monkeypatch.setattr(forked, "_may_fork", lambda: True)  # other tests' threads
    monkeypatch.setattr(forked.os, "fork", lambda: forks.append(1) or real_fork())

    def compiled(least: int, run: str) -> object:
        monkeypatch.setattr(compile_module, "PARALLEL_MIN_BYTES", least)
        monkeypatch.setenv("TOOLKIT_CACHE_DIR", str(tmp_path / run))  # checks run again
        try:
            results = compile_catalogs(project)
        except QAFailure as refused:
            return str(refused), refused.hint
        return [(r.locale, r.messages, r.path.read_bytes()) for r in results]

    assert compiled(0, "two") == compiled(10**12, "one")
    assert len(forks) == 1
    translate(project.po_path("da"), "da", {"Hi %(first_name)s,": "Hej %(fornavn)s,"})
    translate(project.po_path("lt"), "lt", {"Hi %(first_name)s,": "Sveiki, %(vardas)s,"})
    refusal = compiled(0, "two-bad")
    assert refusal == compiled(10**12, "one-bad")
    assert len(forks) == 2
    assert "da/LC_MESSAGES/messages.po:" in refusal[0] and "1 more error(s)" in refusal[0]


def test_a_read_only_mo_file_that_would_change_stops_compile_before_any_write(project):
    extract_messages(project)
    update_catalogs(project)
    compile_catalogs(project)
    translate(project.po_path("lt"), "lt", GOOD_LT)
    translate(project.po_path("da"), "da", {"Hi %(first_name)s,": "Hej %(first_name)s,"})
    before = {loc: project.mo_path(loc).read_bytes() for loc in project.locales}
    project.mo_path("lt").chmod(0o444)
    try:
        with pytest.raises(InputError, match="No MO file was written"):
            compile_catalogs(project)
        assert {loc: project.mo_path(loc).read_bytes() for loc in project.locales} == before
        project.mo_path("lt").chmod(0o644)
        compile_catalogs(project)  # now both change ...
        project.mo_path("lt").chmod(0o444)
        compile_catalogs(project)  # ... and a read-only file that would not change is fine
    finally:
        project.mo_path("lt").chmod(0o644)
