"""A Flask app's ``{% trans %}`` blocks are not trimmed (noggin, Weblate): the toolkit trimmed
them always, so the msgids it extracted were not the ones the app looks up at run time, and an
update made noggin's 13 translations of such blocks fuzzy (QA pass 15). ``jinja_trimmed``,
``jinja_trim_blocks`` and ``jinja_lstrip_blocks`` say what the app's Jinja does; with all three
false, extract writes pybabel's msgids for the project's own babel.cfg."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from toolkit.catalogs import read_catalog
from toolkit.cli import app

from .test_keywords import msgids

NOGGIN = Path(__file__).parents[1] / "data" / "real" / "noggin"
UNTRIMMED = "jinja_trimmed = false\njinja_trim_blocks = false\njinja_lstrip_blocks = false\n"


def project(tmp_path: Path, settings: str) -> Path:
    root = tmp_path / "noggin"
    shutil.copytree(NOGGIN / "templates", root / "templates")
    catalog = root / "locales" / "fr_FR" / "LC_MESSAGES" / "messages.po"
    catalog.parent.mkdir(parents=True)
    shutil.copy(NOGGIN / "fr_FR" / "LC_MESSAGES" / "messages.po", catalog)
    (root / "toolkit.toml").write_text('locales = ["fr_FR"]\n' + settings, "utf-8")
    return root


def test_untrimmed_blocks_extract_as_pybabel_with_the_apps_babel_cfg(tmp_path):
    root = project(tmp_path, UNTRIMMED)
    result = CliRunner().invoke(app, ["--project", str(root), "extract"])
    assert result.exit_code == 0, result.stderr
    # noggin's babel.cfg, less the two extensions Jinja 3 no longer has (built in since).
    mapping = tmp_path / "babel.cfg"
    mapping.write_text("[jinja2: **.html]\nextensions=jinja2.ext.i18n\n", "utf-8")
    out = tmp_path / "pybabel.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", str(mapping),
         "-o", str(out), str(root / "templates")],
        check=True, capture_output=True,
    )  # fmt: skip
    theirs = msgids(out)
    assert any(m.startswith("\n            The format is either") for m in theirs)
    assert msgids(root / "locales" / "messages.pot") == theirs


def test_the_weblate_translation_of_an_untrimmed_block_stays_translated(tmp_path):
    for settings, fuzzy in ((UNTRIMMED, False), ("", True)):
        root = project(tmp_path / ("untrimmed" if not fuzzy else "trimmed"), settings)
        runner = CliRunner()
        # (The excerpt's other entries come from noggin's other files: named, the POT may
        # make them obsolete; the Weblate catalog has no references to tell.)
        pot = str(root / "locales" / "messages.pot")
        for command in (["extract"], ["update", "--pot", pot]):
            result = runner.invoke(app, ["--project", str(root), *command])
            assert result.exit_code == 0, result.stderr
        catalog = read_catalog(root / "locales" / "fr_FR" / "LC_MESSAGES" / "messages.po")
        [entry] = [m for m in catalog if m.id and "The format is either" in str(m.id)]
        assert entry.fuzzy is fuzzy and "Le format est soit" in entry.string


def test_the_whitespace_settings_are_booleans(tmp_path):
    root = project(tmp_path, 'jinja_trimmed = "no"\n')
    result = CliRunner().invoke(app, ["--project", str(root), "extract"])
    assert result.exit_code == 2
    assert "'jinja_trimmed' must be true or false" in result.stderr


def test_render_looks_the_untrimmed_block_up_as_the_app_does(tmp_path):
    root = project(tmp_path, UNTRIMMED)
    lines = (NOGGIN / "templates" / "user-settings-profile.html").read_text("utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == "{% trans %}")
    block = "\n".join(lines[start : start + 3])  # {% trans %}, the text, {% endtrans %}
    (root / "templates" / "help.j2").write_text(
        "{% block text %}\n" + block + "\n{% endblock %}", "utf-8"
    )
    runner = CliRunner()
    assert runner.invoke(app, ["--project", str(root), "compile"]).exit_code == 0
    result = runner.invoke(app, ["--project", str(root), "render", "help.j2", "--locale",
                                 "fr_FR"])  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert "Le format est soit <code>nomdutilisateur</code>" in result.stdout


def test_comment_tags_bring_the_projects_translator_notes(tmp_path):
    """Indico writes translator notes as ``{# i18n: ... #}`` (pybabel ``-c i18n:``): without a
    setting for it, extract dropped them all (QA pass 15)."""
    root = tmp_path / "shop"
    (root / "templates").mkdir(parents=True)
    (root / "templates" / "a.html").write_text(
        '{# i18n: Full name of the person #}\n{{ _("Name") }}\n'
        '{# Translators: a button #}{{ _("Save") }}\n', "utf-8")  # fmt: skip
    (root / "toolkit.toml").write_text('locales = ["fr"]\ncomment_tags = ["i18n:"]\n', "utf-8")
    assert CliRunner().invoke(app, ["--project", str(root), "extract"]).exit_code == 0
    pot = read_catalog(root / "locales" / "messages.pot")
    assert pot["Name"].auto_comments == ["Full name of the person"]
    assert pot["Save"].auto_comments == ["a button"]
