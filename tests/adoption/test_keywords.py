"""Projects whose templates call their own gettext functions (Flask-Admin: ``_gettext``,
``_ngettext``, ``lazy_gettext``, extracted with pybabel's ``-k``): the ``keywords`` setting.
Without it extract found 0 of Flask-Admin's messages, and an update made every translation
obsolete (QA pass 12)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po
from typer.testing import CliRunner

from toolkit.cli import app

FLASK_ADMIN = Path(__file__).parents[1] / "data" / "real" / "flask-admin" / "templates"
KEYWORDS = ("_gettext", "_ngettext", "lazy_gettext")  # flask-admin's babel/babel.sh


def project(tmp_path: Path, keywords: tuple[str, ...] | None) -> Path:
    root = tmp_path / "project"
    shutil.copytree(FLASK_ADMIN, root / "templates")
    config = 'locales = ["da"]\n'
    if keywords is not None:
        config += "keywords = [" + ", ".join(f'"{k}"' for k in keywords) + "]\n"
    (root / "toolkit.toml").write_text(config, "utf-8")
    return root


def msgids(pot: Path) -> set[str]:
    with pot.open("rb") as handle:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}


def test_configured_keywords_extract_what_pybabel_k_extracts(tmp_path):
    root = project(tmp_path, KEYWORDS)
    result = CliRunner().invoke(app, ["--project", str(root), "extract"])
    assert result.exit_code == 0, result.stderr
    ours = msgids(root / "locales" / "messages.pot")
    mapping = tmp_path / "babel.ini"
    mapping.write_text("[jinja2: **.html]\nencoding = utf-8\n", "utf-8")
    out = tmp_path / "pybabel.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", str(mapping),
         "-o", str(out), *(f"-k{k}" for k in KEYWORDS), str(root / "templates")],
        check=True, capture_output=True,
    )  # fmt: skip
    theirs = msgids(out)
    assert len(theirs) > 15 and "With selected" in theirs and "Save" not in ours - theirs
    assert ours == theirs


def test_without_keywords_the_messages_are_not_found_and_extract_says_why(tmp_path):
    root = project(tmp_path, None)
    result = CliRunner().invoke(app, ["--project", str(root), "extract"])
    assert result.exit_code == 0, result.stderr
    assert msgids(root / "locales" / "messages.pot") == set()
    assert "no messages" in result.stderr and "keywords" in result.stderr


def test_a_keyword_that_is_no_function_spec_is_a_config_error(tmp_path):
    root = project(tmp_path, ("_gettext:0",))
    result = CliRunner().invoke(app, ["--project", str(root), "extract"])
    assert result.exit_code == 2
    assert "keywords: '_gettext:0'" in result.stderr and "Traceback" not in result.stderr


def test_specs_that_name_no_message_are_config_errors(tmp_path):
    """QA pass 13: these passed validation and then crashed extract in Babel's spec
    matching (IndexError, TypeError); 'foo.bar' could never match a Jinja call."""
    for spec in ("foo:1c", "foo:1c,1c", "foo:1,2c,3c", "foo:1t", "foo:1,1", "foo.bar"):
        root = project(tmp_path / spec.replace(":", "_").replace(",", "_"), (spec,))
        result = CliRunner().invoke(app, ["--project", str(root), "extract"])
        assert result.exit_code == 2, (spec, result.output)
        assert f"keywords: '{spec}'" in result.stderr and result.stderr.count("\n") == 1


def test_a_call_with_fewer_arguments_than_its_spec_names_is_skipped(tmp_path):
    """'my_ctx:2c,1' is a valid spec; a call of my_ctx with one argument has no context to
    read, and is skipped as xgettext skips it (pybabel raises IndexError)."""
    root = tmp_path / "p"
    (root / "templates").mkdir(parents=True)
    (root / "templates" / "a.html").write_text(
        "{{ my_ctx('alone') }} {{ my_ctx('Open', 'menu') }}", "utf-8"
    )
    (root / "toolkit.toml").write_text('locales = ["da"]\nkeywords = ["my_ctx:2c,1"]\n', "utf-8")
    result = CliRunner().invoke(app, ["--project", str(root), "extract"])
    assert result.exit_code == 0, result.output
    with (root / "locales" / "messages.pot").open("rb") as handle:
        found = [(m.context, m.id) for m in read_po(handle) if m.id]
    assert found == [("menu", "Open")]
