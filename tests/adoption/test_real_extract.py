"""Extraction on real CKAN templates with the framework's custom tags ({% snippet %} & co.)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from typer.testing import CliRunner

from toolkit.cli import app
from toolkit.config import load_config
from toolkit.errors import ConfigError
from toolkit.extract import build_template

from .conftest import CKAN_TAGS, configure_tags

_TAG = re.compile(
    r"\{%(-?)\s*(" + "|".join(CKAN_TAGS) + r")\b(.*?)\s*(-?)%\}", re.DOTALL
)

_COMMENT = re.compile(r"\{#.*?#\}", re.DOTALL)


def run(root: Path, *args: str):
    return CliRunner().invoke(app, ["--project", str(root), *args])


def rewrite_tags_as_calls(source: Path, target: Path) -> None:
    """``{% snippet 'x.html', title=_('Hi') %}`` -> ``{{ snippet('x.html', title=_('Hi')) }}``."""
    shutil.copytree(source, target)
    for path in target.rglob("*.html"):
        text = path.read_text("utf-8")
        path.write_text(
            _TAG.sub(lambda m: f"{{{{{m[1]} {m[2]}({m[3].strip()}) {m[4]}}}}}", text), "utf-8"
        )


def pybabel_messages(templates: Path, tmp_path: Path, options: str = "") -> dict:
    """pybabel's messages of ``templates`` with the toolkit's Jinja settings (and the babel.cfg
    lines ``options``): {(msgid, msgctxt): [(file, line), ...]}."""
    mapping = tmp_path / "babel.cfg"
    mapping.write_text(
        "[jinja2: **.html]\n"
        "extensions = jinja2.ext.do,jinja2.ext.loopcontrols\n"
        "trimmed = true\nnewstyle_gettext = true\ntrim_blocks = true\nlstrip_blocks = true\n"
        f"silent = false\n{options}",
        encoding="utf-8",
    )
    out = tmp_path / "pybabel.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", str(mapping),
         "-o", str(out), "-c", "Translators:", "-k", "pgettext:1c,2", "-k", "npgettext:1c,2,3",
         str(templates)],
        check=True,
        capture_output=True,
    )
    with out.open("rb") as handle:
        return {
            (m.id if isinstance(m.id, str) else tuple(m.id), m.context): sorted(
                (Path(p).relative_to(templates).as_posix(), n) for p, n in m.locations
            )
            for m in read_po(handle)
            if m.id
        }


def test_unknown_tags_every_file_reported_in_one_run(ckan_project):
    result = run(ckan_project, "extract")
    assert result.exit_code == 2
    lines = [line for line in result.stderr.splitlines() if "unknown tag" in line]
    tagged = sorted(
        p.relative_to(ckan_project).as_posix()
        for p in (ckan_project / "templates").rglob("*.html")
        if _TAG.search(_COMMENT.sub("", p.read_text("utf-8")))
    )
    assert len(tagged) > 10
    reported = sorted(line.split(":")[0].strip() for line in lines)
    assert len(reported) == len(tagged)
    assert all(shown.endswith(name) for shown, name in zip(reported, tagged, strict=True))
    assert all(re.match(r"\s*\S*templates/\S+:\d+: template syntax error", x) for x in lines)
    # The hint names the tags as the setting's value (QA pass 80), each once.
    named = re.search(r"jinja_opaque_tags = \[([^]]*)\]", result.stderr.replace("\n", " "))
    assert named is not None, result.stderr
    tags = re.findall(r'"(\w+)"', named.group(1))
    assert len(tags) == len(set(tags)) and "snippet" in tags
    assert set(tags) == {re.search(r"unknown tag '(\w+)'", x).group(1) for x in lines}
    assert not (ckan_project / "locales" / "messages.pot").exists()


def test_keep_going_writes_the_rest_and_exits_1(ckan_project):
    result = run(ckan_project, "extract", "--keep-going")
    assert result.exit_code == 1
    assert len(re.findall(r"^skipped \S*templates/\S+:\d+: ", result.stderr, re.M)) == 12
    pot = ckan_project / "locales" / "messages.pot"
    with pot.open("rb") as handle:
        assert any(m.id for m in read_po(handle))


def test_configured_tags_match_pybabel_on_tags_rewritten_as_calls(ckan_project, tmp_path):
    configure_tags(ckan_project)
    result = run(ckan_project, "extract")
    assert result.exit_code == 0, result.output
    rewritten = tmp_path / "templates"
    rewrite_tags_as_calls(ckan_project / "templates", rewritten)
    theirs = pybabel_messages(rewritten, tmp_path)
    ours = {
        (m.id if isinstance(m.id, str) else tuple(m.id), m.context): sorted(
            (Path(p).relative_to("templates").as_posix(), n) for p, n in m.locations
        )
        for m in build_template(load_config(ckan_project))
        if m.id
    }
    assert len(theirs) > 50
    # Same messages, same file:line references: tags behave exactly like calls.
    assert ours == theirs
    assert any("snippet" in p.read_text("utf-8") for p in rewritten.rglob("*.html"))


def test_opaque_tags_render_nothing(ckan_project):
    from toolkit.templating import new_environment

    env = new_environment(opaque_tags=CKAN_TAGS)
    template = env.from_string(
        "a{% snippet 'x.html', title=_('Hi'), n=h.missing() %}b{% asset 'base/main' %}c"
    )
    assert template.render(_=lambda s: s, h=None) == "abc"


def test_bad_jinja_settings_are_config_errors(ckan_project):
    config = ckan_project / "toolkit.toml"
    config.write_text('locales = ["da"]\njinja_opaque_tags = ["url for"]\n', "utf-8")
    result = run(ckan_project, "extract")
    assert result.exit_code == 2 and "not a tag name" in result.stderr
    config.write_text('locales = ["da"]\njinja_extensions = ["nowhere.Ext"]\n', "utf-8")
    result = run(ckan_project, "extract")
    assert result.exit_code == 2 and "cannot import 'nowhere.Ext'" in result.stderr
    # at the line that sets it, as every other setting error (QA pass 60)
    assert "toolkit.toml:2: jinja_extensions: cannot import" in result.stderr


def test_configured_extension_is_loaded(ckan_project):
    (ckan_project / "templates" / "debug.html").write_text("{% debug %}{{ _('Dbg') }}", "utf-8")
    (ckan_project / "toolkit.toml").write_text(
        'locales = ["da"]\njinja_extensions = ["jinja2.ext.debug"]\n'
        f"jinja_opaque_tags = {list(CKAN_TAGS)!r}\n".replace("'", '"'),
        "utf-8",
    )
    assert run(ckan_project, "extract").exit_code == 0
    assert build_template(load_config(ckan_project)).get("Dbg") is not None


def test_opaque_block_tags_keep_their_body():
    from toolkit.templating import new_environment

    env = new_environment(opaque_tags=("cache", "url"))
    source = (
        "{% cache 600, 'sidebar' %}<p>{{ _('Popular') }}</p>{% endcache %}"
        "{% url 'home' with lang=_('Danish') as target %}"
    )
    assert env.from_string(source).render(_=lambda s: s) == "<p>Popular</p>"
    from jinja2.ext import extract_from_ast

    found = [m for _, _, m in extract_from_ast(env.parse(source))]
    assert found == ["Popular", "Danish"]


def test_liberapay_line_statements_match_pybabel(tmp_path):
    """Liberapay (Weblate) writes ``% if x`` line statements: configured, extraction equals
    pybabel's with the same option, and the project's own ``payment_methods`` list does not
    pull the toolkit's payment texts in."""
    from .conftest import REAL

    root = tmp_path / "lp"
    shutil.copytree(REAL / "liberapay" / "templates", root / "templates")
    (root / "locales").mkdir()
    (root / "toolkit.toml").write_text(
        'locales = ["fr"]\njinja_line_statement_prefix = "%"\n', "utf-8"
    )
    mapping = tmp_path / "babel.cfg"
    mapping.write_text(
        "[jinja2: **.html]\nextensions = jinja2.ext.do,jinja2.ext.loopcontrols\n"
        "trimmed = true\nnewstyle_gettext = true\ntrim_blocks = true\nlstrip_blocks = true\n"
        "line_statement_prefix = %\nsilent = false\n",
        encoding="utf-8",
    )
    out = tmp_path / "pybabel.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", str(mapping),
         "-o", str(out), "-k", "pgettext:1c,2", "-k", "npgettext:1c,2,3",
         str(root / "templates")],
        check=True,
        capture_output=True,
    )
    with out.open("rb") as handle:
        theirs = {(m.id, m.context) for m in read_po(handle) if m.id}
    ours = {(m.id, m.context) for m in build_template(load_config(root)) if m.id}
    assert len(theirs) > 30
    assert ours == theirs
    assert ("a PayPal account", None) in ours  # inside a '% do' line statement


TRAC_SYNTAX = (
    'jinja_variable_start_string = "${"\njinja_variable_end_string = "}"\n'
    'jinja_line_statement_prefix = "#"\njinja_line_comment_prefix = "##"\n'
)


def trac_project(tmp_path: Path) -> Path:
    from .conftest import REAL

    root = tmp_path / "trac"
    shutil.copytree(REAL / "trac" / "templates", root / "templates")
    (root / "locales").mkdir()
    (root / "toolkit.toml").write_text('locales = ["da"]\n' + TRAC_SYNTAX, "utf-8")
    return root


def test_trac_delimiters_match_pybabel(tmp_path):
    """Trac writes ``${name}`` and ``# if`` lines (its messages.cfg sets Jinja's
    variable_start_string and line prefixes): with the same settings in the configuration,
    extraction equals pybabel's with the same options; without them 43 of Trac's 76 templates
    did not parse (QA 31)."""
    root = trac_project(tmp_path)
    theirs = set(pybabel_messages(root / "templates", tmp_path, (
        "variable_start_string = ${\nvariable_end_string = }\nline_statement_prefix = #\n"
        "line_comment_prefix = ##\n")))
    ours = {(m.id, m.context) for m in build_template(load_config(root)) if m.id}
    assert len(theirs) == 9
    assert ours == theirs
    assert ("%(note)s See %(page)s for help on using and creating reports.", None) in ours
    # Without the delimiters, every ${_("...")} is plain text: half the messages are lost.
    (root / "toolkit.toml").write_text('locales = ["da"]\njinja_line_statement_prefix = "#"\n')
    plain = {(m.id, m.context) for m in build_template(load_config(root)) if m.id}
    assert ("Are you sure you want to delete this report?", None) not in plain


def test_trac_delimiters_render(tmp_path):
    root = trac_project(tmp_path)
    (root / "templates" / "note.j2").write_text(
        '# block text\n${_("Hello %(name)s", name=name)} ${ points|number }\n# endblock\n',
        "utf-8")
    from toolkit.render import Renderer

    message = Renderer(load_config(root)).render("note.j2", "da_DK", {"name": "Ea",
                                                                      "points": 1500})
    assert message.parts["text"] == "Hello Ea 1.500"


@pytest.mark.parametrize("settings", [
    'jinja_variable_start_string = "{%"\n',
    'jinja_comment_start_string = "{{"\n',
    'jinja_block_start_string = "<%"\njinja_variable_start_string = "<%"\n',
])
def test_delimiters_that_clash_are_a_config_error(tmp_path, settings):
    (tmp_path / "toolkit.toml").write_text(settings, "utf-8")
    with pytest.raises(ConfigError, match="must start differently"):
        load_config(tmp_path)


def test_a_blank_delimiter_is_a_config_error(tmp_path):
    (tmp_path / "toolkit.toml").write_text('jinja_variable_end_string = ""\n', "utf-8")
    with pytest.raises(ConfigError, match="'jinja_variable_end_string' must be a non-empty"):
        load_config(tmp_path)
