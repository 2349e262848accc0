"""``toolkit check`` reuses the findings of unchanged catalogs (toolkit.checks.cache): the
report is the same as a fresh check's, and any change to a catalog, the settings, the
glossaries or the options checks again."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from toolkit.checks import check_catalogs
from toolkit.checks import runner as runner_module
from toolkit.checks.cache import check_catalogs_cached
from toolkit.config import load_config

REAL = Path(__file__).parents[1] / "data" / "real" / "ckan" / "i18n"
LOCALES = ("da_DK", "fr", "lt", "pl")


@pytest.fixture
def real(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A project whose catalogs are CKAN's (Transifex): real errors and warnings."""
    for locale in LOCALES:
        target = tmp_path / "locales" / locale / "LC_MESSAGES" / "messages.po"
        target.parent.mkdir(parents=True)
        shutil.copy(REAL / locale / "LC_MESSAGES" / "ckan.po", target)
    (tmp_path / "templates").mkdir()
    (tmp_path / "toolkit.toml").write_text(
        f"[tool.toolkit]\nsource_locale = \"en\"\nlocales = {list(LOCALES)!r}\n", "utf-8"
    )
    return load_config(tmp_path)


@pytest.fixture
def checked(monkeypatch):  # type: ignore[no-untyped-def]
    """The catalogs each call of the checks was given (a cache hit gives none)."""
    calls: list[list[str]] = []
    real_check_files = runner_module.check_files

    def counting(paths, *args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append([locale for locale, _ in paths])
        return real_check_files(paths, *args, **kwargs)

    monkeypatch.setattr(runner_module, "check_files", counting)
    return calls


def as_json(report, config) -> str:  # type: ignore[no-untyped-def]
    return json.dumps(report.as_dict(config), sort_keys=True)


def test_a_cached_report_is_the_report_of_a_fresh_check(real, checked):
    fresh = as_json(check_catalogs(real), real)
    first = as_json(check_catalogs_cached(real), real)
    again = as_json(check_catalogs_cached(real), real)
    assert first == fresh == again
    report = json.loads(again)
    assert report["summary"]["errors"] > 0 and report["summary"]["warnings"] > 0
    assert checked == [list(LOCALES), list(LOCALES)]  # check_catalogs, then the first cached


def test_only_the_changed_catalog_is_checked_again(real, checked):
    check_catalogs_cached(real)
    po = real.po_path("lt")
    text = po.read_text("utf-8")
    po.write_text(text.replace('msgstr ""\n', 'msgstr "%(nothing)s"\n', 1), "utf-8")
    report = check_catalogs_cached(real)
    assert checked == [list(LOCALES), ["lt"]]
    assert as_json(report, real) == as_json(check_catalogs(real), real)


@pytest.mark.parametrize(
    "options",
    [
        {"select": ["placeholders"]},
        {"ignore": ["untranslated", "fuzzy"]},
        {"use_fuzzy": True},
    ],
)
def test_other_options_are_other_results(real, checked, options):
    check_catalogs_cached(real)
    report = check_catalogs_cached(real, **options)
    assert len(checked) == 2
    assert as_json(report, real) == as_json(check_catalogs(real, **options), real)
    check_catalogs_cached(real, **options)
    assert len(checked) == 3  # the second time from the cache


def test_fewer_locales_take_their_catalogs_from_the_cache(real, checked):
    check_catalogs_cached(real)
    report = check_catalogs_cached(real, ["pl", "lt"])
    assert len(checked) == 1
    assert as_json(report, real) == as_json(check_catalogs(real, ["pl", "lt"]), real)


def test_settings_and_glossaries_are_part_of_the_key(real, checked):
    check_catalogs_cached(real)
    config_file = real.root / "toolkit.toml"
    config_file.write_text(config_file.read_text("utf-8") + 'brands = ["CKAN"]\n', "utf-8")
    changed = load_config(real.root)
    check_catalogs_cached(changed)
    assert len(checked) == 2
    glossaries = changed.glossaries_path
    glossaries.mkdir(exist_ok=True)
    rows = "source,target,rule\ndataset,duomenų rinkinys,required\n"
    (glossaries / "lt.csv").write_text(rows, "utf-8")
    report = check_catalogs_cached(changed)
    assert len(checked) == 3
    assert as_json(report, changed) == as_json(check_catalogs(changed), changed)


def test_a_damaged_cache_file_is_checked_again(real, checked, tmp_path_factory):
    check_catalogs_cached(real)
    from toolkit.cache import cache_dir

    stored = sorted((cache_dir() / "checked").rglob("*"))
    files = [p for p in stored if p.is_file()]
    assert len(files) == len(LOCALES)
    files[0].write_text('{"key": "', "utf-8")
    report = check_catalogs_cached(real)
    assert len(checked) == 2 and len(checked[1]) == 1
    assert as_json(report, real) == as_json(check_catalogs(real), real)


def test_a_cache_folder_the_user_may_not_write_in_only_costs_the_work(real, checked,
                                                                     monkeypatch):  # fmt: skip
    import os

    from toolkit import fsutil
    from toolkit.cache import cache_dir

    real_access = os.access
    folder = cache_dir()

    def access(path, mode):  # type: ignore[no-untyped-def]
        return real_access(path, mode) and not Path(path).is_relative_to(folder)

    folder.mkdir(parents=True, exist_ok=True)
    monkeypatch.setattr(fsutil.os, "access", access)  # as a user without write permission
    fresh = as_json(check_catalogs(real), real)
    assert as_json(check_catalogs_cached(real), real) == fresh
    assert as_json(check_catalogs_cached(real), real) == fresh
    assert checked == [list(LOCALES)] * 3  # nothing could be cached, nothing failed


def test_no_cache_checks_everything(real, checked):
    check_catalogs_cached(real)
    check_catalogs_cached(real, cache=False)
    assert checked == [list(LOCALES), list(LOCALES)]


def test_a_malformed_catalog_is_never_cached(real):
    from toolkit.errors import CatalogError

    po = real.po_path("pl")
    po.write_text(po.read_text("utf-8") + '\nmsgid "broken\n', "utf-8")
    for _ in range(2):
        with pytest.raises(CatalogError, match="messages.po:"):
            check_catalogs_cached(real)


def test_the_command_takes_unchanged_findings_without_loading_any_check(real):
    script = (
        "import atexit, sys\n"
        "atexit.register(lambda: print('checks loaded:', 'toolkit.checks.base' in sys.modules,"
        " file=sys.stderr))\n"
        f"sys.argv = ['toolkit', '--project', {str(real.root)!r}, 'check', '-f', 'json']\n"
        "from toolkit.cli import main\n"
        "main()\n"
    )
    runs = [subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
            for _ in range(2)]  # fmt: skip
    assert [r.returncode for r in runs] == [1, 1]  # CKAN's catalogs have errors
    assert runs[0].stdout == runs[1].stdout
    assert "checks loaded: True" in runs[0].stderr
    assert "checks loaded: False" in runs[1].stderr


@pytest.mark.parametrize("search", [None, "", ":", "/nowhere:/usr/bin", "/usr/bin:/usr/bin", "bin"])
@pytest.mark.parametrize("name", ["msgfmt", "sh", "no-such-program"])
def test_program_path_finds_what_shutil_which_finds(search, name, monkeypatch, tmp_path):
    import shutil

    from toolkit.cache import program_path

    monkeypatch.chdir(tmp_path)
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin" / "sh").write_text("#!/bin/sh\n", "utf-8")
    (tmp_path / "bin" / "sh").chmod(0o755)
    if search is None:
        monkeypatch.delenv("PATH", raising=False)
    else:
        monkeypatch.setenv("PATH", search)
    assert program_path(name) == shutil.which(name)


@pytest.mark.parametrize("home", [None, "/home/ana", "relative/home"])
@pytest.mark.parametrize("xdg", [None, "", "  ", "/custom/cache", "relative/cache"])
def test_the_cache_folder_is_platformdirs_choice(xdg, home, monkeypatch):
    from platformdirs import user_cache_dir

    from toolkit.cache import cache_dir

    monkeypatch.delenv("TOOLKIT_CACHE_DIR", raising=False)
    if home is not None:
        monkeypatch.setenv("HOME", home)
    if xdg is None:
        monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    else:
        monkeypatch.setenv("XDG_CACHE_HOME", xdg)
    assert cache_dir() == Path(user_cache_dir("toolkit"))
    monkeypatch.setenv("TOOLKIT_CACHE_DIR", "/elsewhere")
    assert cache_dir() == Path("/elsewhere")


def test_the_key_lists_every_file_of_a_folder_but_byte_code(tmp_path):
    from toolkit.cache import files_under

    (tmp_path / "sub" / "__pycache__").mkdir(parents=True)
    (tmp_path / "sub" / "__pycache__" / "x.cpython-311.pyc").write_bytes(b"")
    (tmp_path / "sub" / "da.csv").write_text("source,target\n", "utf-8")
    (tmp_path / "nb.csv").write_text("source,target\n", "utf-8")
    (tmp_path / "stale.pyc").write_bytes(b"")
    (tmp_path / "link").symlink_to(tmp_path / "sub", target_is_directory=True)
    found = sorted(entry.path for entry in files_under(str(tmp_path)))
    assert found == [str(tmp_path / "nb.csv"), str(tmp_path / "sub" / "da.csv")]
    assert files_under(str(tmp_path / "missing")) == []


def test_a_cache_entry_that_is_no_regular_file_or_too_large_is_not_read(tmp_path):
    """A FIFO at an entry's path blocked every command, a symlink to /dev/zero read forever
    (QA pass 65): an entry is read only when it is a regular file of a bounded size."""
    import os

    from toolkit.cache import read_entry

    fifo, zero, big, good = (tmp_path / n for n in ("fifo", "zero", "big", "good"))
    os.mkfifo(fifo)
    zero.symlink_to("/dev/zero")
    big.write_bytes(b"x" * 101)
    good.write_bytes(b"x" * 100)
    assert read_entry(fifo) is None and read_entry(zero) is None
    assert read_entry(big, limit=100) is None and read_entry(good, limit=100) == b"x" * 100
    assert read_entry(tmp_path / "missing") is None and read_entry(tmp_path) is None
