"""``toolkit update`` answers a rerun on unchanged inputs from its cache: the same results as
the merge, no template or catalog parsed; any changed input (a catalog, the template, an
option) is merged again, and every error is still the merge's own."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import toolkit.catalogs.merge as merge
from toolkit.catalogs import update_catalogs
from toolkit.catalogs.update_cache import update_catalogs_cached
from toolkit.errors import CatalogError, LocaleError
from toolkit.extract import extract_messages

from .helpers import translate


@pytest.fixture
def updated(project):
    """A project whose catalogs are up to date with its template."""
    extract_messages(project)
    update_catalogs(project)
    translate(project.po_path("da"), "da",
              {"See what you can do with them.": "Se, hvad du kan bruge dem til."})
    return project


def no_merge(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """From now on, record every merge (``merge.update_catalogs``, which still runs)."""
    calls: list[object] = []
    real = merge.update_catalogs

    def counted(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(merge, "update_catalogs", counted)
    return calls


def test_a_rerun_on_unchanged_inputs_gives_the_merges_results_without_merging(
    updated, monkeypatch
):
    first = update_catalogs_cached(updated)  # merged: every catalog found unchanged
    assert [r.written for r in first] == [False, False, False]
    merges = no_merge(monkeypatch)
    again = update_catalogs_cached(updated)
    assert merges == []
    assert again == first == update_catalogs(updated)  # same locales, paths and counts
    assert [r.total for r in again] == [r.total for r in first] and again[0].total > 0
    checked = update_catalogs_cached(updated, dry_run=True)  # update --check: the same
    assert merges == [] and checked == first


def test_a_changed_catalog_or_template_is_merged_again(updated, monkeypatch):
    update_catalogs_cached(updated)
    merges = no_merge(monkeypatch)
    po = updated.po_path("nb")
    layout_only = po.read_bytes().replace(b'msgstr ""\n\n', b'msgstr ""\n\n\n', 1)
    po.write_bytes(layout_only)
    results = update_catalogs_cached(updated)
    assert len(merges) == 1  # merged again: the bytes changed
    assert [r.written for r in results] == [False, False, False]  # a blank line is no content
    assert po.read_bytes() == layout_only
    po.write_bytes(layout_only.replace(b"#: ", b"#: stale.j2:1 ", 1))
    results = update_catalogs_cached(updated)
    assert len(merges) == 2
    assert [r.written for r in results] == [False, True, False]  # the template's references
    (updated.templates_path / "email" / "new.j2").write_text(
        '{% block subject %}{{ _("A brand new subject") }}{% endblock %}', "utf-8")  # fmt: skip
    extract_messages(updated)
    results = update_catalogs_cached(updated)
    assert len(merges) == 3
    assert all(r.written and r.new == 1 for r in results)
    assert b"A brand new subject" in updated.po_path("lt").read_bytes()


def test_other_options_are_other_inputs(updated, monkeypatch):
    update_catalogs_cached(updated)
    merges = no_merge(monkeypatch)
    update_catalogs_cached(updated, fuzzy_matching=False)
    update_catalogs_cached(updated, plural_forms="cldr")
    update_catalogs_cached(updated, pot=updated.pot_path)  # --pot: no guard of foreign entries
    assert len(merges) == 3
    update_catalogs_cached(updated, ["da"])  # a catalog's verdict is its own: the others
    update_catalogs_cached(updated, fuzzy_matching=False)  # being updated or not is no input
    assert len(merges) == 3


def test_a_written_catalog_is_not_taken_as_unchanged(updated, monkeypatch):
    po = updated.po_path("da")
    po.write_bytes(po.read_bytes().replace(b"#: ", b"#: stale.j2:1 ", 1))  # merge rewrites it
    (written, *_) = update_catalogs_cached(updated)
    assert written.written
    merges = no_merge(monkeypatch)
    (merged, *_) = update_catalogs_cached(updated)  # the written bytes are merged once...
    assert not merged.written and len(merges) == 1
    update_catalogs_cached(updated)  # ...then remembered
    assert len(merges) == 1


def test_errors_are_the_merges_own(updated):
    update_catalogs_cached(updated)
    po = updated.po_path("lt")
    good = po.read_bytes()
    po.write_bytes(good.replace(b'msgid "', b'msgid "\\q', 1))  # malformed: msgfmt refuses
    with pytest.raises(CatalogError, match="messages.po:"):
        update_catalogs_cached(updated)
    po.write_bytes(good)
    with pytest.raises(LocaleError):
        update_catalogs_cached(updated, ["xx_YY_ZZ"])
    updated.pot_path.unlink()
    with pytest.raises(CatalogError, match="Run 'toolkit extract' first"):
        update_catalogs_cached(updated)


def test_a_damaged_entry_costs_a_merge_only(updated, monkeypatch):
    update_catalogs_cached(updated)
    stored = list(Path(os.environ["TOOLKIT_CACHE_DIR"], "updated").rglob("*"))
    entries = [p for p in stored if p.is_file()]
    assert len(entries) == 3
    entries[0].write_bytes(b'{"total": "many"')
    merges = no_merge(monkeypatch)
    again = update_catalogs_cached(updated)
    assert len(merges) == 1 and not any(r.written for r in again)


def test_the_cli_rerun_reads_no_catalog_with_babel(project_dir: Path, tmp_path: Path):
    """A rerun of ``toolkit update`` with nothing to do does not import Babel's catalog model
    (the parse is what it saves), and prints what the merge printed."""
    env = dict(os.environ, TOOLKIT_CACHE_DIR=str(tmp_path / "cache"))
    toolkit = [sys.executable, "-c",
               "import sys, toolkit.cli as c\ntry: c.main()\nfinally: "
               "print('babel' if 'babel.messages.catalog' in sys.modules else 'no babel', "
               "file=sys.stderr)"]  # fmt: skip

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*toolkit, "--project", str(project_dir), *args], env=env,
                              capture_output=True, text=True, check=False)  # fmt: skip

    assert run("extract").returncode == 0
    assert run("update").returncode == 0  # created
    merged = run("update")
    cached = run("update")
    assert merged.returncode == cached.returncode == 0
    assert merged.stdout == cached.stdout and "unchanged" in cached.stdout
    assert merged.stderr.strip().endswith("babel")
    assert cached.stderr.strip() == "no babel"
    assert run("update", "--check").returncode == 0
