"""``toolkit init`` gives a project that renders and showcases at once; showcase says what it
left out and why."""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from toolkit.cli import app


def run(*args: str):
    return CliRunner().invoke(app, list(args))


def test_init_writes_sample_data_and_prints_the_next_commands(tmp_path):
    root = tmp_path / "shop"
    result = run("init", str(root), "--locale", "da")
    assert result.exit_code == 0, result.stderr
    assert (root / "templates/email/welcome.sample.json").is_file()
    assert "Next:" in result.stdout
    assert f"toolkit --project {root} extract" in result.stdout
    assert 'pip install ".[mt]"' in result.stdout
    steps = result.stdout.splitlines()
    install = next(i for i, line in enumerate(steps) if "models install en:da" in line)
    assert install < next(i for i, line in enumerate(steps) if " translate " in line)
    rendered = run("--project", str(root), "render", "email/welcome.j2", "--locale", "da")
    assert rendered.exit_code == 0, rendered.stderr
    assert "Welcome aboard, Anna!" in rendered.stdout
    assert "warning: preheader" not in rendered.stderr
    shown = run("--project", str(root), "showcase", "--out", str(tmp_path / "out"))
    assert shown.exit_code == 0, shown.stderr
    assert "(2 pages;" in shown.stdout
    assert (tmp_path / "out/da/email/welcome.j2.html").is_file()


def test_init_in_a_folder_with_files_keeps_every_one(tmp_path):
    """init replaced an existing glossary, template and sample data with its examples
    (QA pass 59): a file already there is kept, and said so."""
    root = tmp_path / "shop"
    glossary = root / "glossaries" / "_global.csv"
    sample = root / "templates" / "email" / "welcome.sample.json"
    glossary.parent.mkdir(parents=True)
    sample.parent.mkdir(parents=True)
    glossary.write_text("source,target,rule\nNordlys,,dnt\n", "utf-8")
    sample.write_text('{"first_name": "Mine"}', "utf-8")
    result = run("init", str(root), "--locale", "da")
    assert result.exit_code == 0, result.stderr
    assert glossary.read_text("utf-8") == "source,target,rule\nNordlys,,dnt\n"
    assert sample.read_text("utf-8") == '{"first_name": "Mine"}'
    assert f"kept {glossary} (already there, left as it is)" in result.stdout
    assert f"wrote {root / 'toolkit.toml'} (new)" in result.stdout
    assert (root / "templates/email/welcome.j2").is_file()  # what was missing is written


def test_showcase_reports_skipped_templates_and_why(tmp_path):
    root = tmp_path / "shop"
    assert run("init", str(root), "--locale", "da").exit_code == 0
    (root / "templates/email/welcome.sample.json").unlink()
    result = run("--project", str(root), "showcase", "--out", str(tmp_path / "out"))
    assert result.exit_code == 0
    assert (
        "skipped email/welcome.j2: no sample data: add templates/email/welcome.sample.json "
        "with the fields it uses" in result.stderr
    )
    assert "0 pages: nothing to show (1 template(s) skipped, listed above)" in result.stdout
    index = (tmp_path / "out/index.html").read_text("utf-8")
    assert "Not shown (1)" in index and "email/welcome.j2" in index
    assert "no catalog: run &#x27;toolkit update --locale da&#x27;" in index


def test_showcase_index_has_coverage_and_qa_status(tmp_path):
    root = tmp_path / "shop"
    assert run("init", str(root), "--locale", "da").exit_code == 0
    for command in ("extract", "update"):
        assert run("--project", str(root), command).exit_code == 0
    po = root / "locales/da/LC_MESSAGES/messages.po"
    po.write_text(
        po.read_text("utf-8").replace(
            'msgid "Thanks for joining us. We are glad you are here."\nmsgstr ""',
            'msgid "Thanks for joining us. We are glad you are here."\n'
            'msgstr "Tak fordi du er med. Vi er glade for at du er her"',
        ),
        "utf-8",
    )
    out = tmp_path / "out"
    assert run("--project", str(root), "showcase", "--from-po", "--out", str(out)).exit_code == 0
    index = (out / "index.html").read_text("utf-8")
    assert "25.0 % (1/4, 3 untranslated)" in index
    assert "QA (toolkit check)" in index
    assert re.search(r'<td class="ok">passes \([1-9]\d* warning\(s\)\)</td>', index)
    assert Path(out / "compare/email/welcome.j2.html").is_file()


def test_next_steps_show_machine_translations_in_the_projects_own_folder(tmp_path):
    """The printed showcase step had no --use-fuzzy, so the fresh machine translations never
    showed, and wrote out/ into the current folder (QA pass 16)."""
    root = tmp_path / "shop"
    result = run("init", str(root), "--locale", "da")
    assert f"showcase --from-po --use-fuzzy --out {root / 'out'}" in result.stdout
    rendered = run("--project", str(root), "render", "email/welcome.j2", "--locale", "en")
    assert "Hi Anna,\n\nThanks for joining us." in rendered.stdout  # paragraphs apart


def test_next_steps_name_a_model_only_for_a_locale_in_another_language(tmp_path):
    """``init -l en`` printed 'models install en:en', a model that cannot exist (QA pass 56);
    with en_GB and da, the model step is for da."""
    only_english = run("init", str(tmp_path / "en"), "--locale", "en")
    assert only_english.exit_code == 0
    assert "models install" not in only_english.stdout
    assert "translate --locale" not in only_english.stdout
    both = run("init", str(tmp_path / "both"), "--locale", "en_GB", "--locale", "da")
    assert "models install en:da" in both.stdout and "translate --locale da" in both.stdout


def test_a_layout_or_macro_file_is_not_a_skipped_message(tmp_path):
    """A layout and a macros file were listed as messages without sample data."""
    root = tmp_path / "shop"
    assert run("init", str(root), "--locale", "da").exit_code == 0
    (root / "templates/layouts").mkdir()
    (root / "templates/layouts/base.j2").write_text(
        "{% block subject %}{% endblock %}{% block text %}{% endblock %}", "utf-8")
    (root / "templates/macros.j2").write_text("{% macro b(x) %}<b>{{ x }}</b>{% endmacro %}",
                                              "utf-8")  # fmt: skip
    (root / "templates/email/news.j2").write_text(
        '{% extends "layouts/base.j2" %}{% from "macros.j2" import b %}'
        '{% block subject %}{{ _("News") }}{% endblock %}', "utf-8")  # fmt: skip
    result = run("--project", str(root), "showcase", "--out", str(tmp_path / "out"))
    assert "skipped email/news.j2" in result.stderr
    assert "layouts/base.j2" not in result.stderr and "macros.j2" not in result.stderr


def test_showcase_out_among_the_projects_own_files_is_refused(tmp_path):
    """'showcase --out locales' wrote index.html and en/ into the locales folder (QA pass
    59); the project root holds the templates folder, so '--out .' is refused too."""
    root = tmp_path / "shop"
    assert run("init", str(root), "--locale", "da").exit_code == 0
    for out in ("locales", ".", "templates/email"):
        before = sorted(p.relative_to(root) for p in root.rglob("*"))
        result = run("--project", str(root), "showcase", "--out", str(root / out))
        assert result.exit_code == 2, (out, result.output)
        assert "among the project's own files" in result.stderr
        assert sorted(p.relative_to(root) for p in root.rglob("*")) == before
    assert run("--project", str(root), "showcase", "--out", str(root / "out")).exit_code == 0
