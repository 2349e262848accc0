"""Templates that extend a layout, or import, define or set things outside their blocks.

Each part is rendered from its own block (docs/rendering.md), so the code outside the blocks
did not run: a template extending the usual e-mail layout rendered its subject alone (the
layout's text and html parts were missing, exit 0), and a macro imported or defined at the
top was "undefined" (QA pass 15). That code now runs first, as in a whole Jinja2 render.
"""

from __future__ import annotations

import json

import pytest
from jinja2 import DictLoader, Environment

from toolkit.errors import InputError, RenderError

BASE = (
    '{% set brand = "Nordlys" %}'
    '{% block subject %}{{ _("News") }}{% endblock %}'
    "{% block text %}{% block body_text %}{% endblock %} - {{ brand }}{% endblock %}"
    "{% block html %}<main>{% block body_html %}{% endblock %}</main>"
    "<footer>{{ brand }}</footer>{% endblock %}"
)
CHILD = (
    '{% extends "layouts/base.j2" %}'
    "{% block subject %}{{ super() }}: {{ first_name }}{% endblock %}"
    "{% block body_text %}Hi {{ first_name }}{% endblock %}"
    "{% block body_html %}<p>Hi {{ first_name }}</p>{% endblock %}"
)


def test_a_template_extending_a_layout_gets_the_layouts_parts(renderer, write_template):
    write_template("layouts/base.j2", BASE)
    name = write_template("email/child.j2", CHILD)
    parts = renderer.render(name, "en", {"first_name": "Ann <b>"}).parts
    assert parts == {
        "subject": "News: Ann <b>",
        "text": "Hi Ann <b> - Nordlys",
        "html": "<main><p>Hi Ann &lt;b&gt;</p></main><footer>Nordlys</footer>",
    }
    # What plain Jinja2 renders for the whole template has each of these parts in it.
    plain = Environment(loader=DictLoader({"layouts/base.j2": BASE, "c": CHILD}),
                        extensions=["jinja2.ext.i18n"])  # fmt: skip
    plain.install_null_translations()  # type: ignore[attr-defined]
    whole = plain.get_template("c").render(first_name="Ann <b>")
    assert all(part.replace("&lt;b&gt;", "<b>") in whole for part in parts.values())


def test_macros_imported_defined_or_set_at_the_top_are_there_in_the_blocks(
    renderer, write_template
):
    write_template("macros/ui.j2",
                   '{% macro button(url, label) %}<a href="{{ url }}">{{ label }}</a>'
                   "{% endmacro %}")  # fmt: skip
    name = write_template("email/top.j2", (
        '{% from "macros/ui.j2" import button %}'
        "{% macro hello(n) %}Hello {{ n }}{% endmacro %}"
        '{% set shop = "Nordlys" %}'
        "{% block subject %}{{ hello(first_name) }} - {{ shop }}{% endblock %}"
        '{% block html %}{{ button("https://example.com/", hello(first_name)) }}{% endblock %}'
    ))  # fmt: skip
    parts = renderer.render(name, "da_DK", {"first_name": "Ann"}).parts
    assert parts == {
        "subject": "Hello Ann - Nordlys",
        "html": '<a href="https://example.com/">Hello Ann</a>',
    }


def test_an_error_in_the_layout_names_the_layout_file_and_line(renderer, write_template):
    write_template("layouts/base.j2", "{% block subject %}S{% endblock %}\n"
                                      "{% block text %}{{ missing_field }}{% endblock %}")
    name = write_template("email/child.j2", '{% extends "layouts/base.j2" %}')
    with pytest.raises(RenderError) as info:
        renderer.render(name, "en", {})
    assert str(info.value).startswith("templates/layouts/base.j2:2: text: 'missing_field' is")


def test_a_missing_layout_is_named_before_any_row(renderer, write_template):
    """A layout that does not exist failed every row of a batch (QA pass 17): it is the
    template's error, found when the template is compiled."""
    name = write_template("email/child.j2", '\n{% extends "layouts/nope.j2" %}')
    with pytest.raises(InputError) as info:
        renderer.render(name, "en", {})
    assert str(info.value).startswith(
        "templates/email/child.j2:2: template 'layouts/nope.j2' not found (it extends it)")
    # The line of the tag that names it, in an include or a macro file's import too.
    write_template("email/macros.j2",
                   '{% macro b() %}B{% endmacro %}\n\n{% import "m/x.j2" as m %}')
    name = write_template("email/inc.j2", '{% from "email/macros.j2" import b %}\n'
                          '{% block text %}{% include "parts/nope.j2" %}{% endblock %}')
    with pytest.raises(InputError) as info:
        renderer.render(name, "en", {})
    assert str(info.value).startswith(
        "templates/email/inc.j2:2: template 'parts/nope.j2' not found (it includes it)")
    name = write_template("email/imp.j2", '{% from "email/macros.j2" import b %}\n'
                                          "{% block text %}{{ b() }}{% endblock %}")
    with pytest.raises(InputError) as info:
        renderer.render(name, "en", {})
    assert str(info.value).startswith(
        "templates/email/macros.j2:3: template 'm/x.j2' not found (it imports it)")


def test_render_batch_renders_a_layouts_parts(render_cli, write_template, render_dir):
    write_template("layouts/base.j2", BASE)
    name = write_template("email/child.j2", CHILD)
    rows = render_dir / "c.jsonl"
    rows.write_text("".join(json.dumps({"id": str(i), "locale": loc, "first_name": "Ann"}) + "\n"
                            for i, loc in enumerate(["da_DK", "nb_NO", "lt_LT"])))  # fmt: skip
    result = render_cli("render-batch", name, "--customers", str(rows), "--out", "o.jsonl",
                        "--no-progress")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    lines = [json.loads(x) for x in (render_dir / "o.jsonl").read_text("utf-8").splitlines()]
    assert [sorted(line["parts"]) for line in lines] == [["html", "subject", "text"]] * 3
    assert {line["parts"]["text"] for line in lines} == {"Hi Ann - Nordlys"}


def test_a_broken_layout_stops_the_batch_before_any_row(render_cli, write_template, render_dir):
    """A syntax error in a layout (or a macro file) failed every row of a batch, exit 1, and
    replaced an earlier output with an empty one (QA pass 16): it is the template's error,
    exit 2, named with the layout's line and the one that opened the block."""
    write_template("layouts/base.j2", "{% block subject %}S{% endblock %}\n"
                                      "{% block text %}{% if x %}Hi{% endblock %}\n")  # fmt: skip
    name = write_template("email/child.j2", '{% extends "layouts/base.j2" %}')
    rows = render_dir / "c.jsonl"
    rows.write_text(json.dumps({"id": "1", "locale": "da_DK"}) + "\n", "utf-8")
    earlier = render_dir / "o.jsonl"
    earlier.write_text("earlier run\n", "utf-8")
    result = render_cli("render-batch", name, "--customers", str(rows), "--out", "o.jsonl",
                        "--no-progress")  # fmt: skip
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: templates/layouts/base.j2:2: template syntax error")
    assert "(the {% if %} opened on line 2)" in result.stderr
    assert earlier.read_text("utf-8") == "earlier run\n"


def test_optional_includes_are_no_missing_templates(renderer, write_template):
    """``ignore missing`` and a list of names (the first that exists) were refused as missing
    templates before any row (QA pass 18): valid Jinja, rendered as Jinja renders them."""
    write_template("parts/sig.j2", "-- Nordlys")
    name = write_template("email/inc.j2", (
        '{% block text %}Hi{% include "parts/nope.j2" ignore missing %} '
        '{% include ["parts/gone.j2", "parts/sig.j2"] %}{% endblock %}'
    ))  # fmt: skip
    assert renderer.render(name, "en", {}).parts["text"] == "Hi -- Nordlys"


def test_an_include_list_none_of_which_exists_is_named_before_any_row(renderer, write_template):
    """``{% include ["a", "b"] %}`` with neither template failed every row of a batch (QA
    pass 19): the template's error, with the tag's line, as for one missing name."""
    name = write_template("email/inc.j2", (
        '{% block subject %}S{% endblock %}\n'
        '{% block text %}{% include ["parts/gone.j2", "parts/nope.j2"] %}{% endblock %}'
    ))  # fmt: skip
    with pytest.raises(InputError) as info:
        renderer.render(name, "en", {})
    assert str(info.value).startswith(
        "templates/email/inc.j2:2: none of the templates 'parts/gone.j2', 'parts/nope.j2' exists")
    write_template("parts/nope.j2", "-- Nordlys")  # the second one now exists: renders
    assert renderer.render(name, "en", {}).parts["text"] == "-- Nordlys"


def test_strings_served_by_the_top_level_code_are_counted_once(renderer, write_template):
    """The HTML part runs the top-level code again in its own context: its gettext calls
    were counted a second time, so served_by and --strict said 3 strings for 2 (QA pass 60)."""
    name = write_template("email/greeting.j2", (
        '{% set greeting = _("Hello %(name)s", name=first_name) %}'
        "{% block subject %}{{ greeting }}{% endblock %}"
        '{% block text %}{{ greeting }} {{ _("See you") }}{% endblock %}'
        "{% block html %}<p>{{ greeting }}</p>{% endblock %}"
    ))  # fmt: skip
    message = renderer.render(name, "en", {"first_name": "Ann"})
    assert message.parts["html"] == "<p>Hello Ann</p>"
    assert message.served_by == {"en": 2}


@pytest.mark.parametrize("suffix", [".j2", ".html"])
def test_a_template_without_part_blocks_counts_its_top_level_strings_once(
    renderer, write_template, suffix
):
    """Without part blocks the whole template is rendered after its top-level run: both
    counted (QA pass 61: 4 strings served for 2)."""
    name = write_template(f"email/whole{suffix}",
                          '{% set g = _("Hello") %}{{ g }} {{ _("World") }}')  # fmt: skip
    message = renderer.render(name, "en", {})
    assert list(message.parts.values()) == ["Hello World"]
    assert message.served_by == {"en": 2}


# Zulip's e-mails extend a layout whose only part block is the preheader (QA pass 64): the
# whole 11 KB HTML e-mail rendered as an empty preheader, exit 0.
ZULIP_BASE = ('<html><body><span class="preheader">{% block preheader %}{% endblock %}</span>'
              "{% block content %}{% endblock %}</body></html>")  # fmt: skip
ZULIP_CHILD = ('{% extends "zulip/base.html" %}{% block preheader %}{{ _("News") }}{% endblock %}'
               '{% block content %}<p>{{ _("Welcome, %(name)s!", name=first_name) }}</p>'
               "{% endblock %}")  # fmt: skip


def test_a_template_whose_part_blocks_hold_no_body_has_its_body_outside_them(
    renderer, write_template
):
    write_template("zulip/base.html", ZULIP_BASE)
    name = write_template("zulip/welcome.html", ZULIP_CHILD)
    message = renderer.render(name, "en", {"first_name": "Ann <b>"})
    assert message.parts == {
        "preheader": "News",
        "html": '<html><body><span class="preheader"></span><p>Welcome, Ann &lt;b&gt;!</p>'
                "</body></html>",
    }  # fmt: skip
    assert message.served_by == {"en": 2}  # each string once
    # a subject block and a plain-text body around it (no layout)
    subject = write_template("email/plain.j2", '{% block subject %}{{ _("News") }}{% endblock %}'
                             "\nHi {{ first_name }},\nsee you.\n")  # fmt: skip
    parts = renderer.render(subject, "en", {"first_name": "Ann"}).parts
    assert parts == {"subject": "News", "text": "Hi Ann,\nsee you."}
    only = write_template("email/only.j2", '{% block subject %}{{ _("News") }}{% endblock %}\n')
    assert renderer.render(only, "en", {}).parts == {"subject": "News"}  # no blank body
    # a push template's blocks say all it has: no e-mail body from text around them
    push = write_template("push/title.j2", "{% block push_title %}Hey{% endblock %}\nstray\n")
    assert renderer.render(push, "en", {}).parts == {"push_title": "Hey"}
