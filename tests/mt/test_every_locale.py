"""translate without --locale tries every locale and exits 2 at the end if a model was
missing; flagged lines show the source's placeholders; models list works without the MT extra."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

DA = "locales/da/LC_MESSAGES/messages.po"


def test_translate_goes_on_past_a_missing_model_and_exits_2(run, installed, mt_project):
    config = mt_project / "toolkit.toml"
    config.write_text(
        config.read_text("utf-8").replace(
            'locales = ["da", "lt"]', 'locales = ["nb", "da", "lt"]'
        ),
        "utf-8",
    )
    nb = mt_project / "locales/nb/LC_MESSAGES/messages.po"
    nb.parent.mkdir(parents=True)
    nb.write_text((mt_project / DA).read_text("utf-8").replace("Language: da", "Language: nb"))
    result = run(mt_project, "translate")
    assert result.exit_code == 2
    assert "Error: nb: no Argos model translates en->nb" in result.stderr
    assert "No model for nb: those catalogs were not translated (2 of 3 locales done)." in (
        result.stderr
    )
    assert "da: 11 translated" in result.stdout and "lt: " in result.stdout
    with (mt_project / DA).open("rb") as handle:
        assert read_po(handle).get("Welcome back!").string


def test_flagged_lines_show_placeholders_not_mask_tokens(run, installed, mt_project):
    po = mt_project / DA
    po.write_text(
        po.read_text("utf-8") + '\n#, python-brace-format\nmsgid "Zebra {name} quux"\nmsgstr ""\n',
        "utf-8",
    )
    result = run(mt_project, "translate", "--locale", "da")
    assert result.exit_code == 0, result.stderr
    assert "'Zebra {name} quux': output identical to source: 'Zebra {name} quux'" in (
        result.stderr
    )
    assert "XPH" not in result.stderr + result.stdout


def test_models_list_works_without_argostranslate(installed, mt_env):
    # A core install: argostranslate cannot be imported.
    code = (
        "import sys; sys.modules['argostranslate'] = None; "
        "sys.modules['argostranslate.package'] = None; "
        "from toolkit.cli import main; sys.argv = ['toolkit', 'models', 'list', '-f', 'json']; "
        "main()"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=dict(os.environ)
    )
    assert result.returncode == 0, result.stderr
    pairs = [m["pair"] for m in json.loads(result.stdout)["models"]]
    assert pairs == ["en->da", "en->lt"]
    assert "argostranslate is not installed" not in result.stderr


def test_install_hint_is_the_readme_line(installed, mt_env, mt_project):
    readme = (Path(__file__).parents[2] / "README.md").read_text("utf-8")
    assert 'pip install ".[mt]"' in readme
    code = (
        "import sys; sys.modules['ctranslate2'] = None; "
        "from toolkit.cli import main; "
        f"sys.argv = ['toolkit', '--project', {str(mt_project)!r}, 'translate', '-l', 'da']; "
        "main()"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=dict(os.environ)
    )
    assert result.returncode == 2
    assert 'pip install ".[mt]"' in result.stderr
    assert "toolkit[mt]" not in result.stderr
