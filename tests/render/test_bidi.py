"""A customer value's bidi controls stay inside the value: an override or embedding it leaves
open is closed at its end, so it cannot reverse the template's text after it ("Trojan
Source"-style spoofing in an e-mail; QA)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from toolkit.cli import app
from toolkit.config import load_config
from toolkit.render import Renderer

RLO, LRO, RLE, LRE, PDF = "\u202e", "\u202d", "\u202b", "\u202a", "\u202c"
LRI, RLI, FSI, PDI = "\u2066", "\u2067", "\u2068", "\u2069"
TEMPLATE = """{% block subject %}{{ _("Hi %(name)s, your refund is on its way", name=first_name) }}{% endblock %}
{% block text %}{{ _("Hi %(name)s,", name=first_name) }} {{ _("we refunded 50 kr.") }}{% endblock %}
{% block html %}<p>{{ first_name }}: {{ _("we refunded 50 kr.") }}</p>{% endblock %}
{% block sms %}{{ first_name }}: {{ _("we refunded 50 kr.") }}{% endblock %}
{% block push_title %}{{ first_name }}{% endblock %}
{% block push_body %}{% for item in items|default([]) %}{{ item.name }}; {% endfor %}ok{% endblock %}
"""  # noqa: E501
PARTS = ("subject", "text", "html", "sms", "push_title")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "shop"
    (root / "templates").mkdir(parents=True)
    (root / "templates" / "refund.j2").write_text(TEMPLATE, encoding="utf-8")
    (root / "toolkit.toml").write_text('[tool.toolkit]\nlocales = ["da"]\n', encoding="utf-8")
    return root


def render(project: Path, data: dict):
    return Renderer(load_config(project)).render("refund.j2", "en", data)


@pytest.mark.parametrize(("value", "closed"), [
    (RLO + "Anna", RLO + "Anna" + PDF),
    (LRO + "Anna", LRO + "Anna" + PDF),
    (RLE + LRE + "Anna", RLE + LRE + "Anna" + PDF + PDF),
    (RLI + "Anna", RLI + "Anna" + PDI),
    (LRI + "An" + RLO + "na", LRI + "An" + RLO + "na" + PDF + PDI),
    (FSI + "Anna" + PDF, FSI + "Anna" + PDI),  # a PDF inside an isolate closes nothing
    ("Anna" + PDF + PDI, "Anna"),  # closers of nothing would close the template's
    (RLO + "An" + PDF + PDF + "na", RLO + "An" + PDF + "na"),
])
def test_unbalanced_controls_are_closed_in_every_part(project, value, closed):
    message = render(project, {"first_name": value})
    assert message.parts["subject"] == f"Hi {closed}, your refund is on its way"
    assert message.parts["text"] == f"Hi {closed}, we refunded 50 kr."
    assert message.parts["html"] == f"<p>{closed}: we refunded 50 kr.</p>"
    assert message.parts["sms"] == f"{closed}: we refunded 50 kr."
    assert message.parts["push_title"] == closed
    assert ("first_name had bidi controls it did not close: closed within it, so they do "
            "not reorder the text after it") in message.warnings


@pytest.mark.parametrize("value", [
    "Anna", RLI + "\u05e9\u05e8\u05d4" + PDI, RLE + "x" + PDF + " " + LRI + "y" + PDI,
    RLI + LRE + "x" + PDI,  # a PDI closes the embeddings inside its isolate too
    "\u200f\u05e9\u05e8\u05d4",  # a mark (RLM) opens nothing
])
def test_balanced_values_are_unchanged(project, value):
    message = render(project, {"first_name": value})
    assert message.parts["push_title"] == value
    assert not any("bidi" in w for w in message.warnings)


def test_a_line_break_in_a_value_closes_what_is_open_before_it():
    from toolkit.render.bidi import contain_bidi

    assert contain_bidi(RLO + "a\r\nb" + PDF) == RLO + "a" + PDF + "\r\nb"


def test_strings_inside_json_values_are_contained_too(project):
    items = [{"name": RLO + "Lamp"}, {"name": "Mug"}]
    message = render(project, {"first_name": "Ann", "items": items})
    assert message.parts["push_body"] == f"{RLO}Lamp{PDF}; Mug; ok"


def test_render_batch_writes_contained_values(project, tmp_path):
    customers = tmp_path / "customers.jsonl"
    rows = [{"id": "c1", "locale": "en", "first_name": RLO + "Anna"},
            {"id": "c2", "locale": "da", "first_name": "Ola", "items": [{"name": RLI + "x"}]}]
    customers.write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(app, ["--project", str(project), "render-batch", "refund.j2",
                                      "--customers", str(customers), "--out", str(out),
                                      "--no-progress"])
    assert result.exit_code == 0, result.stderr
    first, second = (json.loads(x) for x in out.read_text("utf-8").splitlines())
    for part in PARTS:
        assert RLO + "Anna" + PDF in first["parts"][part]
    assert second["parts"]["push_body"] == f"{RLI}x{PDI}; ok"


def test_templates_get_the_locales_writing_direction(tmp_path):
    """An Arabic or Hebrew e-mail's HTML carried no direction, and templates had nothing to
    write one with (showcase's pages had dir="rtl", the customer's message not; QA pass 82):
    the global 'direction' is "rtl" or "ltr"."""
    from toolkit.config import load_config
    from toolkit.render import Renderer

    (tmp_path / "toolkit.toml").write_text('locales = ["ar", "da"]\n', "utf-8")
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "d.j2").write_text(
        '{% block html %}<div dir="{{ direction }}">{{ _("Hi") }}</div>{% endblock %}', "utf-8")
    renderer = Renderer(load_config(tmp_path))
    assert renderer.render("d.j2", "ar_EG", {}).parts["html"] == '<div dir="rtl">Hi</div>'
    assert renderer.render("d.j2", "he", {}).parts["html"] == '<div dir="rtl">Hi</div>'
    assert renderer.render("d.j2", "da", {}).parts["html"] == '<div dir="ltr">Hi</div>'
