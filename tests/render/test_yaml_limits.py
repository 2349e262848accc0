"""Issue 18: a 600-byte YAML alias bomb in templates/faq/ is refused at once (was > 60 s)."""

from __future__ import annotations

import pytest
import yaml

from toolkit.safe_yaml import YAMLLimitError, compose_yaml, load_yaml

BOMB = "\n".join(
    ["a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]"]
    + [f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 9) + "]"
       for i in range(8)]
    + ["questions:", "  - question: Boom", "    answer: *i"]
) + "\n"


def test_bomb_is_small():
    assert len(BOMB) < 700


@pytest.mark.parametrize("load", [compose_yaml, load_yaml])
def test_alias_bomb_is_refused(load):
    with pytest.raises(YAMLLimitError, match="aliases"):
        load(BOMB)


def test_expansion_is_limited_even_with_few_aliases():
    doc = ("a: &a [" + ",".join(["x"] * 400) + "]\n" + "b: &b [" + ",".join(["*a"] * 90)
           + "]\n" + "c: [*b, *b, *b, *b, *b]\n")
    with pytest.raises(YAMLLimitError, match="expands to more than"):
        compose_yaml(doc)


def test_deep_nesting_is_refused():
    with pytest.raises(YAMLLimitError, match="nested deeper"):
        load_yaml("[" * 5000 + "]" * 5000)


def test_limit_errors_are_yaml_errors_with_a_line():
    with pytest.raises(yaml.MarkedYAMLError) as info:
        load_yaml(BOMB)
    assert info.value.problem_mark is not None


def test_ordinary_anchors_still_work():
    assert load_yaml("a: &x hi\nb: *x\n") == {"a": "hi", "b": "hi"}


@pytest.mark.parametrize("command", [["extract"], ["render", "faq/bomb.yaml", "--locale", "da"]])
def test_cli_reports_the_bomb_in_one_line(render_dir, render_cli, command):
    (render_dir / "templates" / "faq" / "bomb.yaml").write_text(BOMB)
    result = render_cli(*command)
    assert result.exit_code == 2, result.output
    assert "aliases" in result.output and "bomb.yaml" in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert "Traceback" not in result.output
