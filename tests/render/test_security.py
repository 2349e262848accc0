"""Templates, customer data and translations are untrusted: sandbox, escaping, vetting, paths."""

from __future__ import annotations

import os

import pytest

from toolkit.catalogs import read_catalog, write_catalog
from toolkit.compile import compile_catalogs
from toolkit.errors import CatalogError, InputError
from toolkit.render import Renderer, resolve_template
from toolkit.render.message import RenderError

EMAIL = "email/payment-reminder.j2"
DATA = {"first_name": "Mette", "amount": 10, "due_date": "2025-03-01", "items": 1}


@pytest.mark.parametrize("expression", [
    "''.__class__.__mro__",
    "''.__class__",
    "().__class__.__base__.__subclasses__()",
    "payment_methods[0].__class__",
    "cycler.__init__.__globals__",
    "lipsum.__globals__['os']",
    "'{0.__class__}'.format(first_name)",
    "first_name.__len__",
    "gettext.__globals__",
])
@pytest.mark.parametrize("part", ["text", "html", "sms"])
def test_sandbox_escapes_fail(renderer, write_template, expression, part):
    source = f"{{% block {part} %}}{{{{ {expression} }}}}{{% endblock %}}"
    name = write_template("email/evil.j2", source)
    with pytest.raises(RenderError) as info:
        renderer.render(name, "da_DK", {"first_name": "x"})
    text = str(info.value)
    assert "templates/email/evil.j2:1" in text
    assert "<class" not in text and "<built-in" not in text and "<function" not in text


def test_sandbox_error_names_the_sandbox(renderer, write_template):
    source = "{% block text %}{{ ''.__class__.__mro__ }}{% endblock %}"
    name = write_template("email/evil.j2", source)
    with pytest.raises(RenderError, match="sandbox"):
        renderer.render(name, "da", {})


def test_include_cannot_leave_the_templates_folder(renderer, write_template):
    source = '{% block text %}{% include "../../toolkit.toml" %}{% endblock %}'
    name = write_template("email/inc.j2", source)
    with pytest.raises(RenderError, match="toolkit.toml"):
        renderer.render(name, "da", {})


def test_customer_data_is_escaped_in_html_only(renderer):
    evil = '<script>alert("x")</script>'
    message = renderer.render(EMAIL, "da_DK", {**DATA, "first_name": evil})
    html = message.parts["html"]
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    # Plain-text parts are not HTML: the text is kept as the customer wrote it.
    assert message.parts["subject"].startswith(evil)
    assert evil in message.parts["text"]


def test_payment_method_descriptions_are_escaped_like_data(renderer, write_template):
    name = write_template(
        "email/methods.j2",
        "{% block html %}{% for m in payment_methods %}<p>{{ m.description }}</p>{% endfor %}"
        "{% endblock %}",
    )
    html = renderer.render(name, "da_DK", {}).parts["html"]
    assert html.startswith("<p>Betal med dit Dankort")


def _translate_da(config, strings: dict[str, str], from_po: bool) -> Renderer:
    """Put (machine) translations into the da catalog; a renderer that reads them either from
    the PO (preview: nothing checked them) or from an MO compiled with --force."""
    po = config.po_path("da")
    catalog = read_catalog(po, "da")
    for msgid, text in strings.items():
        catalog[msgid].string = text
        catalog[msgid].user_comments.append("mt: argos en->da")
    write_catalog(po, catalog)
    if not from_po:
        compile_catalogs(config, ["da"], force=True)
    return Renderer(config, from_po=from_po)


@pytest.mark.parametrize("from_po", [True, False])
def test_markup_in_a_translation_is_escaped_unless_the_source_has_it(render_project, from_po):
    renderer = _translate_da(render_project, {
        "Hi %(name)s,": "Hej %(name)s<script>steal()</script>",
        'Read <a href="https://example.com/terms">the terms</a>.':
            'Læs <a href="https://evil.example">betingelserne</a> '
            '<a href="https://example.com/terms">her</a>.',
    }, from_po)
    message = renderer.render(EMAIL, "da_DK", DATA)
    html = message.parts["html"]
    assert "<script>" not in html
    assert "<p>Hej Mette&lt;script&gt;steal()&lt;/script&gt;</p>" in html
    assert '&lt;a href=&#34;https://evil.example&#34;&gt;betingelserne</a>' in html
    assert '<a href="https://example.com/terms">her</a>' in html
    # In plain text the translation is text, not markup.
    assert "Hej Mette<script>steal()</script>" in message.parts["text"]


@pytest.mark.parametrize("bad", [
    "Din faktura på %(total)s forfalder %(due)s - 100% sikkert.",
    "Din faktura på %(total)s forfalder %(due)s %(secret)s.",
    "Din faktura på %s forfalder %(due)s.",
])
def test_translation_with_foreign_placeholders_falls_back_to_source(render_project, bad):
    renderer = _translate_da(
        render_project, {"Your invoice of %(total)s is due on %(due)s.": bad}, from_po=True
    )
    message = renderer.render(EMAIL, "da_DK", DATA)
    assert "Your invoice of 10,00\xa0kr. is due on 1. marts 2025." in message.parts["text"]
    assert any("the source text was used" in w for w in message.warnings)


@pytest.mark.parametrize("spec", [
    "../../etc/passwd", "/etc/passwd", "../toolkit.toml", "templates/../toolkit.toml",
])
def test_template_paths_must_stay_inside_the_templates_folder(render_project, render_dir,
                                                              monkeypatch, spec):
    monkeypatch.chdir(render_dir / "templates")
    with pytest.raises(InputError):
        resolve_template(render_project, spec)


def test_template_paths_resolve_from_cwd_or_templates(render_project, render_dir, monkeypatch):
    monkeypatch.chdir(render_dir)
    assert resolve_template(render_project, "templates/email/payment-reminder.j2") == EMAIL
    assert resolve_template(render_project, "email/payment-reminder.j2") == EMAIL
    assert resolve_template(render_project, "email/payment-reminder") == EMAIL
    with pytest.raises(InputError, match="not found"):
        resolve_template(render_project, "email/nope.j2")


def test_a_template_not_found_hint_names_the_templates_folder_and_a_near_path(
    render_project, render_dir, monkeypatch
):
    """The hint said 'ls templates' whatever 'templates_dir' was, and a path typed from the
    wrong folder got no help (QA pass 67: MediaGoblin's templates_dir is 'mediagoblin')."""
    monkeypatch.chdir(render_dir)
    with pytest.raises(InputError) as info:
        resolve_template(render_project, "nope/payment-reminder.j2")
    assert info.value.hint == "Did you mean 'email/payment-reminder.j2' (in templates)?"
    with pytest.raises(InputError) as info:
        resolve_template(render_project, "email/nothing-like-it.j2")
    assert "list them with 'ls templates'" in info.value.hint


def test_a_fifo_in_place_of_a_template_is_not_a_regular_file(render_project, render_dir,
                                                             monkeypatch):  # fmt: skip
    monkeypatch.chdir(render_dir)
    os.mkfifo(render_dir / "templates" / "email" / "pipe.j2")
    with pytest.raises(InputError, match="not a regular file"):
        resolve_template(render_project, "email/pipe.j2")


@pytest.mark.parametrize(
    ("source", "refused"),
    [
        ("{% block html %}<a title={{ name }}>x</a>{% endblock %}", True),
        ("{% block html %}<a\n  href=https://x.dk/{{ name }}>x</a>{% endblock %}", True),
        ("{% block html %}<td width={% if wide %}90{% endif %}>x</td>{% endblock %}", True),
        ('{% block html %}<a title="{{ name }}" href=\'{{ url }}\'>x</a>{% endblock %}', False),
        ("{% block text %}a={{ name }} <b>{{ name }}</b>{% endblock %}", False),
    ],
)  # fmt: skip
def test_an_unquoted_attribute_value_from_the_template_is_refused(renderer, write_template,
                                                                 source, refused):  # fmt: skip
    """Escaping stops quotes and brackets, not a space: with title={{ name }} a customer
    named 'x onmouseover=alert(1)' added an event handler (QA pass 59)."""
    name = write_template("email/unquoted.j2", source)
    data = {"name": "x onmouseover=alert(1)", "url": "https://x.dk", "wide": True}
    if not refused:
        message = renderer.render(name, "da", data)
        html = message.parts.get("html", "")
        assert " onmouseover=" not in html.replace('"x onmouseover=alert(1)"', "")
        return
    with pytest.raises(CatalogError) as info:
        renderer.render(name, "da", data)
    assert "is not in quotes but takes a template value" in str(info.value)
    assert "email/unquoted.j2:" in str(info.value)
