"""Issue 18: per-message render time and output size limits, bounded template arithmetic."""

from __future__ import annotations

import dataclasses

import pytest

from toolkit.render import Renderer
from toolkit.render.message import RenderError, RenderLimitError

HANGS = {
    "nested-output": "{% block text %}{% for i in range(100000) %}{% for j in range(100000) %}"
                     "x{% endfor %}{% endfor %}{% endblock %}",
    "nested-silent": "{% block text %}{% for i in range(100000) %}{% for j in range(100000) %}"
                     "{% endfor %}{% endfor %}{% endblock %}",
    "whole-template": "{% for i in range(100000) %}{% for j in range(100000) %}{{ i }}"
                      "{% endfor %}{% endfor %}",
}


@pytest.mark.parametrize("source", list(HANGS.values()), ids=list(HANGS))
def test_runaway_loops_stop_at_the_time_limit(render_project, write_template, source):
    config = dataclasses.replace(render_project, render_timeout=0.5, render_max_output=10**9)
    name = write_template("email/hang.j2", source)
    with pytest.raises(RenderLimitError, match="took longer than 0.5 s") as info:
        Renderer(config).render(name, "da_DK", {})
    assert "render_timeout" in str(info.value)


def test_output_size_limit(render_project, write_template):
    config = dataclasses.replace(render_project, render_max_output=1000)
    name = write_template(
        "email/big.j2", "{% block text %}{% for i in range(100000) %}xxxxxxxxxx{% endfor %}"
        "{% endblock %}")
    with pytest.raises(RenderLimitError, match="longer than 1,000 characters"):
        Renderer(config).render(name, "da_DK", {})


@pytest.mark.parametrize("expression", ['"x" * 10**10', "[1] * 100000000", "9**999999"])
def test_template_arithmetic_is_bounded(renderer, write_template, expression):
    name = write_template("email/math.j2", f"{{% block text %}}{{{{ {expression} }}}}"
                                           "{% endblock %}")
    with pytest.raises(RenderError, match=r"text: too large: .*(would|exceed)") as info:
        renderer.render(name, "da_DK", {})
    assert "OverflowError" not in str(info.value)  # no Python exception names (QA 33)


def test_limits_are_configurable_and_validated(render_dir, render_cli):
    toml = render_dir / "toolkit.toml"
    original = toml.read_text()
    toml.write_text(original + "render_timeout = 2\nrender_max_output = 500\n")
    from toolkit.config import load_config

    config = load_config(render_dir)
    assert (config.render_timeout, config.render_max_output) == (2, 500)
    # inf and 1e10 were an OverflowError traceback from the timer (QA pass 81)
    for value in ("-1", "inf", "nan", "1e10"):
        toml.write_text(original + f"render_timeout = {value}\n")
        result = render_cli("status")
        assert result.exit_code == 2, value
        assert "'render_timeout' must be a number of seconds above 0 and at most 86,400" in (
            result.output)
        assert "Traceback" not in result.output
    toml.write_text(original + "render_max_output = 1.5\n")
    result = render_cli("status")
    assert result.exit_code == 2 and "'render_max_output' must be a whole number" in result.output


def test_render_batch_reports_a_hanging_row_and_goes_on(render_dir, render_cli, tmp_path):
    toml = render_dir / "toolkit.toml"
    toml.write_text(toml.read_text() + "render_timeout = 0.5\n")
    (render_dir / "templates" / "email" / "maybe.j2").write_text(
        "{% block text %}{% if slow == '1' %}{% for i in range(100000) %}"
        "{% for j in range(100000) %}{% endfor %}{% endfor %}{% endif %}Hi{% endblock %}")
    customers = tmp_path / "c.csv"
    customers.write_text("id,locale,slow\na,da,0\nb,da,1\nc,da,0\n")
    result = render_cli("render-batch", "email/maybe.j2", "--customers", str(customers),
                        "--out", str(tmp_path / "o.jsonl"), "--no-progress")
    assert result.exit_code == 1, result.output
    assert "took longer than 0.5 s" in result.output
    assert "2 messages, 1 failed rows" in result.output


# One call that sizes its result from an argument allocated gigabytes before the output limit
# saw anything (QA 33: some of these even exited 0 as good rows).
BUILDERS = [
    "'x'.zfill(3 * 10**9)",
    "'x'.ljust(10**9)",
    "'x'.rjust(10**9)",
    "'x'.center(10**9)",
    "'x'|center(10**9)",
    "'a\\nb\\nc'|indent(10**9)",
    "'%.1000000000f'|format(1.0)",
    "'%.1000000000f' % 1.0",
    "'%*d' % (10**9, 1)",
    "'{:>1000000000}'.format(1)",
    "'{:>{w}}'.format(1, w=10**9)",
    "'\\t\\t'.expandtabs(10**9)",
    "('x' * 1000000)|replace('x', 'x' * 1000)",
    "('x' * 1000000).replace('x', 'x' * 1000)",
    "[1]|batch(10**9, 0)|list",
    "[1]|slice(10**9)|list",
    "{'a': [1]}|tojson(10**9)",
    "lipsum(10**9)",
    "('x' * 8000000) + ('x' * 8000000)",
    # Doubling a value (`{% set ns.s = ns.s ~ ns.s %}` in a loop) took 13-19 s and 1.6-4.5 GB
    # before the time limit stopped it: every way to copy a string into a longer one counts.
    "('x' * 8000000) ~ ('x' * 8000000)",
    "'{0}{0}'.format('x' * 8000000)",
    "'{}{}'.format('x' * 8000000, 'x' * 8000000)",
    "'%s%s'|format('x' * 8000000, 'x' * 8000000)",
    "'%(a)s%(a)s' % {'a': 'x' * 8000000}",
    "['x' * 8000000, 'x' * 8000000]|join",
    "('x' * 8000000, 'x' * 8000000)|join('')",
    "''.join(['x' * 8000000, 'x' * 8000000])",
    "'-'.join('x' * 8000000)",
    "([0] * 8000000).extend([0] * 8000000)",
]


@pytest.mark.parametrize("expression", BUILDERS)
def test_a_call_that_would_build_gigabytes_fails_first(renderer, write_template, expression):
    name = write_template("email/big.j2", f"{{% block text %}}{{{{ {expression} }}}}"
                                          "{% endblock %}")
    with pytest.raises(RenderError, match=r"would build [\d,]+ characters \(limit 10,000,000\)"
                       ) as info:
        renderer.render(name, "da_DK", {})
    assert "Error" not in str(info.value)  # no Python exception names (QA 33)


@pytest.mark.parametrize(("expression", "expected"), [
    ("'7'.zfill(3)", "007"),
    ("'<' ~ 'ab'|center(6) ~ '>'", "<  ab  >"),
    ("'<' ~ 'a\\nb'|indent(2, first=true)", "<  a\n  b"),
    ("'%.2f'|format(1.5)", "1.50"),
    ("'<%5s|%-3d|%*d' % ('x', 1, 3, 2)", "<    x|1  |  2"),
    ("'<{:>4}'.format(7)", "<   7"),
    ("'<{:>{w}}'.format(7, w=3)", "<  7"),
    ("'x-y'|replace('-', ' and ')", "x and y"),
    ("[1, 2, 3]|batch(2, 0)|map('join', ',')|join(';')", "1,2;3,0"),
    ("'a' + 'b'", "ab"),
    ("2 + 3", "5"),
    ("7 % 4", "3"),
    ("'a' ~ 1 ~ 'b'", "a1b"),
    ("'{0}-{0}-{1}'.format('a', 'b')", "a-a-b"),
    ("'{0[0]}{0}'.format('ab')", "aab"),
    ("['a', 'b']|join('-')", "a-b"),
    ("[{'n': 'a'}, {'n': 'b'}]|join(',', attribute='n')", "a,b"),
    ("'-'.join(['a', 'b'])", "a-b"),
    ("'%(a)s%(a)s' % {'a': 'x'}", "xx"),
    ("'%s|%s'|format('a', 'b')", "a|b"),
    ("'none' if [1].extend([2]) is none else 'a list'", "none"),
])
def test_the_bounded_calls_work_as_before(renderer, write_template, expression, expected):
    name = write_template("email/ok.j2", f"{{% block text %}}{{{{ {expression} }}}}"
                                         "{% endblock %}")
    assert renderer.render(name, "da_DK", {}).parts["text"] == expected


def test_a_template_that_includes_itself_is_named_as_such(render_project, write_template):
    """It said "RecursionError: maximum recursion depth exceeded while calling a Python
    object"; a sandbox range error ended in two full stops (QA pass 81)."""
    from toolkit.render import Renderer
    from toolkit.render.message import RenderError

    renderer = Renderer(render_project)
    selfish = write_template("email/self.j2",
                             '{% block text %}{% include "email/self.j2" %}{% endblock %}')
    with pytest.raises(RenderError) as info:
        renderer.render(selfish, "da_DK", {})
    assert "the template nests too deeply (does it include, extend or call itself?)" in str(
        info.value) and "RecursionError" not in str(info.value)
    wide = write_template("email/range.j2",
                          "{% block text %}{% for i in range(10**9) %}x{% endfor %}{% endblock %}")
    with pytest.raises(RenderError) as info:
        renderer.render(wide, "da_DK", {})
    assert "MAX_RANGE (100000). Fix" in str(info.value)
