"""Extract lexes each template once: the parse keeps the raw tokens (with translator comments)
that jinja2's babel_extract gets from a second ``env.lex``. They must be the same tokens, and
the same tree as ``env.parse``."""

from __future__ import annotations

from pathlib import Path

import pytest
from jinja2 import TemplateSyntaxError

from toolkit.extract import COMMENT_TAGS, extract_file, parse_with_tokens
from toolkit.templating import new_environment

from ..adoption.conftest import CKAN_TAGS

ROOT = Path(__file__).parents[2]
OWN = sorted((ROOT / "templates").rglob("*.j2")) + sorted((ROOT / "tests/data").rglob("*.j2"))
CKAN = sorted((ROOT / "tests/data/real/ckan/templates").rglob("*.html"))

EDGE_CASES = {
    "comment after the message on its line": '{{ _("Hi") }} {# Translators: a greeting #}',
    "comment as the last token": '{{ _("Hi") }}\n{# Translators: nothing follows #}',
    "whitespace control": '{#- Translators: trimmed -#}\n{{- _("Hi") -}}\n',
    "comment in raw block": '{% raw %}{# Translators: not a comment #}{% endraw %}{{ _("x") }}',
    "string that looks like a comment": '{{ _("{# Translators: no #}") }}',
    "trans block": "{# Translators: n items #}{% trans count=n %}{{ count }} item"
    "{% pluralize %}{{ count }} items{% endtrans %}",
    "empty": "",
}


def assert_one_lex_matches(env, source: str) -> None:  # type: ignore[no-untyped-def]
    tree, tokens = parse_with_tokens(env, source)
    assert tokens == list(env.lex(env.preprocess(source)))
    assert repr(tree) == repr(env.parse(source))


@pytest.mark.parametrize("path", OWN, ids=lambda p: str(p.relative_to(ROOT)))
def test_own_templates(path: Path) -> None:
    assert_one_lex_matches(new_environment(), path.read_text("utf-8"))


@pytest.mark.parametrize("path", CKAN, ids=lambda p: p.name)
def test_real_ckan_templates_with_their_custom_tags(path: Path) -> None:
    assert_one_lex_matches(new_environment(opaque_tags=CKAN_TAGS), path.read_text("utf-8"))


@pytest.mark.parametrize("source", EDGE_CASES.values(), ids=list(EDGE_CASES))
def test_edge_cases(source: str) -> None:
    assert_one_lex_matches(new_environment(), source)


def test_line_statements_and_comments() -> None:
    env = new_environment(line_statement_prefix="%", line_comment_prefix="##")
    source = '## Translators: a line comment\n% if x\n{{ _("Yes") }}\n% endif\n'
    assert_one_lex_matches(env, source)


def test_the_comment_reaches_the_message(tmp_path: Path) -> None:
    path = tmp_path / "t.j2"
    path.write_text(EDGE_CASES["comment after the message on its line"], "utf-8")
    [(line, message, comments, _, _)] = extract_file(path)
    assert (line, message, comments) == (1, "Hi", ["a greeting"])
    assert "Translators:" in COMMENT_TAGS


def test_a_syntax_error_is_raised_and_the_environment_left_as_it_was() -> None:
    env = new_environment()
    with pytest.raises(TemplateSyntaxError) as raised:
        parse_with_tokens(env, '{# Translators: x #}\n{{ _("a") }}\n{% if %}')
    assert raised.value.lineno == 3
    assert "_tokenize" not in vars(env)
    assert_one_lex_matches(env, '{{ _("b") }}')
