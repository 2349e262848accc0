"""compile's gate remembers clean catalogs: unchanged bytes are not checked twice, and any
change to the catalog, the project settings or the glossaries checks again."""

from __future__ import annotations

import pytest

from toolkit import compile as compile_module
from toolkit.catalogs import update_catalogs
from toolkit.compile import compile_catalogs
from toolkit.config import load_config
from toolkit.errors import QAFailure
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
    real = compile_module.refuse_errors

    def counting(config, locales, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(list(locales))
        return real(config, locales, **kwargs)

    monkeypatch.setattr(compile_module, "refuse_errors", counting)
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
