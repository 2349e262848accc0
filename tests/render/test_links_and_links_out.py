"""Issue 18: translations never move a link, no script URLs, no files read through symlinks
that leave the project."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from babel.messages.catalog import Message

from toolkit.catalogs import read_catalog, write_catalog
from toolkit.compile import compile_catalogs
from toolkit.errors import InputError
from toolkit.render import Renderer
from toolkit.render.message import RenderError

HREF = '{% block html %}<a href="{{ _("https://example.com/help") }}">x</a>{% endblock %}'


def _translate(config, strings: dict[str, str], *, compile_force: bool) -> Renderer:
    po = config.po_path("da")
    catalog = read_catalog(po, "da")
    for msgid, text in strings.items():
        if msgid in catalog:
            catalog[msgid].string = text
        else:
            catalog[msgid] = Message(msgid, text)
    write_catalog(po, catalog)
    if compile_force:
        compile_catalogs(config, ["da"], force=True)
    return Renderer(config, from_po=not compile_force)


@pytest.mark.parametrize("compile_force", [True, False])
@pytest.mark.parametrize(
    "msgstr",
    ["javascript:alert(1)", " JaVaScRiPt:alert(1)", "data:text/html,<script>x</script>",
     "https://evil.example/help", "//evil.example",
     # a browser drops tabs and line breaks in a URL: the host became evil.example (QA 81)
     "https://example.com\r@evil.example/help", "https://example.com\t.evil.example/help",
     "https://example.com\n@evil.example/help", "https://example.com @evil.example/help"],
)
def test_translation_cannot_change_an_href(render_project, write_template, msgstr,
                                           compile_force):
    name = write_template("email/link.j2", HREF)
    renderer = _translate(
        render_project, {"https://example.com/help": msgstr}, compile_force=compile_force
    )
    message = renderer.render(name, "da_DK", {})
    assert message.parts["html"] == '<a href="https://example.com/help">x</a>'
    assert any("link targets" in w for w in message.warnings)


def test_same_host_localisation_of_a_link_is_allowed(render_project, write_template):
    name = write_template("email/link.j2", HREF)
    renderer = _translate(
        render_project, {"https://example.com/help": "https://example.com/da/hjaelp"},
        compile_force=True,
    )
    assert renderer.render(name, "da_DK", {}).parts["html"] == (
        '<a href="https://example.com/da/hjaelp">x</a>'
    )


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "java\tscript:alert(1)", "data:text/html;base64,PHNjcmlwdD4=",
            "VBScript:msgbox(1)"],
)
def test_customer_data_cannot_be_a_script_url(renderer, write_template, url):
    name = write_template(
        "email/shop.j2", '{% block html %}<a href="{{ shop_url }}">Shop</a>{% endblock %}'
    )
    with pytest.raises(RenderError, match="refused link"):
        renderer.render(name, "da_DK", {"shop_url": url})
    ok = renderer.render(name, "da_DK", {"shop_url": "https://shop.example/da"})
    assert ok.parts["html"] == '<a href="https://shop.example/da">Shop</a>'


def test_faq_answer_translation_cannot_add_a_link(render_project):
    source = "Yes, in Denmark and Finland. See **your account** for details."
    renderer = _translate(
        render_project,
        {source: "Ja, i Danmark og Finland. Se [min konto](https://evil.example) for detaljer."},
        compile_force=True,
    )
    message = renderer.render("faq/payments.yaml", "da_DK", {})
    assert "evil.example" not in message.parts["html"]
    assert "evil.example" not in str(message.data)
    assert "See <strong>your account</strong>" in message.parts["html"]


def test_faq_answer_link_localised_to_the_same_host_is_kept(render_project, write_template):
    write_template("faq/links.yaml", "questions:\n  - question: Where?\n"
                   "    answer: See [help](https://example.com/help).\n")
    renderer = _translate(
        render_project, {"See [help](https://example.com/help).":
                         "Se [hjælp](https://example.com/da/hjaelp)."}, compile_force=True,
    )
    html = renderer.render("faq/links.yaml", "da_DK", {}).parts["html"]
    assert 'href="https://example.com/da/hjaelp"' in html


# -- symbolic links out of the project ------------------------------------------------------


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    path = tmp_path / "outside" / "secret.txt"
    path.parent.mkdir()
    path.write_text("TOP SECRET\n")
    return path


def test_include_through_a_symlink_out_of_the_project_is_refused(
    renderer, write_template, render_dir, secret
):
    os.symlink(secret, render_dir / "templates" / "email" / "footer.txt")
    name = write_template("email/inc.j2", '{% block text %}{% include "email/footer.txt" %}'
                                          "{% endblock %}")
    with pytest.raises(RenderError) as info:
        renderer.render(name, "da_DK", {})
    assert "outside the project" in str(info.value)
    assert "TOP SECRET" not in str(info.value)


def test_template_that_is_a_symlink_out_of_the_project_is_refused(renderer, render_dir, secret):
    os.symlink(secret, render_dir / "templates" / "email" / "evil.j2")
    with pytest.raises(InputError, match="outside the project"):
        renderer.render("email/evil.j2", "da_DK", {})


def test_symlinked_folder_inside_the_project_still_works(renderer, render_dir):
    os.symlink(render_dir / "templates" / "email", render_dir / "templates" / "mail")
    message = renderer.render("mail/payment-reminder.j2", "da_DK", {
        "first_name": "Mette", "amount": 10, "due_date": "2025-03-01", "items": 1})
    assert message.parts["subject"] == "Mette, din faktura er klar"


def _link_md(render_dir: Path, secret: Path) -> None:
    secret.write_text("---\ntitle: Secret\n---\n\nTOP SECRET article\n")
    os.symlink(secret, render_dir / "templates" / "kb" / "leak.md")


def test_article_symlink_is_refused_by_render_extract_and_showcase(
    render_cli, render_dir, secret, tmp_path
):
    _link_md(render_dir, secret)
    for args in (["render", "kb/leak.md", "--locale", "da"], ["extract"],
                 ["showcase", "--out", str(tmp_path / "show")]):
        result = render_cli(*args)
        assert result.exit_code == 2, (args, result.output)
        assert "outside the" in result.output
        assert "TOP SECRET" not in result.output
        assert "Traceback" not in result.output
    assert "TOP SECRET" not in (render_dir / "locales" / "messages.pot").read_text()


def test_glossary_symlink_is_refused(render_cli, render_dir, secret):
    secret.write_text("source,target\nkey,nøgle\n")
    (render_dir / "glossaries").mkdir(exist_ok=True)
    os.symlink(secret, render_dir / "glossaries" / "da.csv")
    result = render_cli("glossary", "list", "--locale", "da")
    assert result.exit_code == 2, result.output
    assert "outside the project" in result.output


def test_showcase_does_not_ship_a_translated_script_link(render_project, write_template,
                                                         tmp_path):
    from toolkit.showcase import build_showcase

    write_template("email/link.j2", HREF)
    write_template("email/link.sample.json", "{}")
    _translate(render_project, {"https://example.com/help": "javascript:alert(1)"},
               compile_force=True)
    result = build_showcase(render_project, tmp_path / "show")
    pages = "".join(p.read_text("utf-8") for p in result.pages)
    assert 'href="javascript:' not in pages and "href=javascript" not in pages
    assert 'href="https://example.com/help"' in pages
