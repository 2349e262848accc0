"""Markdown articles and YAML FAQs render translated, segment by segment, as extraction cut them."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit.catalogs import read_catalog, write_catalog
from toolkit.extract.faq import faq_segments
from toolkit.extract.markdown import article_segments
from toolkit.render import Renderer


def test_every_extracted_segment_is_found_at_render_time(render_project, renderer):
    """Each msgid that extraction produced for the article is looked up (and translated)."""
    catalog = read_catalog(render_project.po_path("da"), "da")
    source = (render_project.templates_path / "kb/paying.md").read_text("utf-8")
    segments = article_segments(source)
    message = renderer.render("kb/paying.md", "da_DK", {})
    assert message.served_by == {"da": len(segments)}
    rendered = message.parts["html"] + message.parts["title"] + message.parts["description"]
    for segment in segments:
        first_words = " ".join(catalog[segment.text].string.split()[:2])
        assert first_words in rendered, segment


def test_markdown_article_in_danish(renderer):
    message = renderer.render("kb/paying.md", "da", {})
    assert message.channels == ["article"]
    assert message.parts["title"] == "Sådan betaler du din faktura"
    html = message.parts["html"]
    assert html.startswith("<h1>Sådan betaler du</h1>")
    assert "<strong>kort</strong>" in html
    assert '<a href="https://example.com/invoices">dine fakturaer</a>' in html
    assert "<li>Betaling forfalder inden for <em>14 dage</em>.</li>" in html
    assert "<code>code blocks are not translated\n</code>" in html
    assert message.parts["text"] == (
        "Sådan betaler du\n\n"
        "Du kan betale med kort eller med en wallet. Se dine fakturaer "
        "(https://example.com/invoices) for det skyldige beløb.\n\n"
        "- Betaling forfalder inden for 14 dage.\n"
        "- Sene betalinger får en påmindelse.\n\n"
        "code blocks are not translated"
    )


def test_untrusted_article_translation_keeps_only_source_markup_and_links(render_project):
    po = render_project.po_path("da")
    catalog = read_catalog(po, "da")
    msgid = ("You can pay by **card** or with a wallet. See [your invoices]"
             "(https://example.com/invoices) for the amount due.")
    catalog[msgid].string = (
        'Betal med <img src=x onerror=alert(1)> **kort**. Se [her](https://evil.example) '
        'og [dine fakturaer](https://example.com/invoices).'
    )
    write_catalog(po, catalog)
    html = Renderer(render_project, from_po=True).render("kb/paying.md", "da", {}).parts["html"]
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "evil.example" not in html
    assert "Se her og" in html
    assert '<a href="https://example.com/invoices">dine fakturaer</a>' in html


def test_faq_in_danish_and_fallback(renderer, render_project):
    source = (render_project.templates_path / "faq/payments.yaml").read_text("utf-8")
    message = renderer.render("faq/payments.yaml", "da_DK", {})
    assert message.channels == ["faq"]
    assert message.served_by == {"da": len(list(faq_segments(source)))}
    assert message.parts["title"] == "Spørgsmål om betaling"
    assert "<h2>Hvornår skal jeg betale?</h2>" in message.parts["html"]
    assert "<strong>din konto</strong>" in message.parts["html"]
    assert message.data["questions"][1]["answer"].startswith("Ja, i Danmark")
    lt = renderer.render("faq/payments.yaml", "lt", {})
    assert lt.parts["title"] == "Mokėjimo klausimai"
    assert lt.data["questions"][0]["question"] == "When is my payment due?"


def test_translated_faq_answers_get_no_raw_html(render_project):
    po = render_project.po_path("da")
    catalog = read_catalog(po, "da")
    catalog["Within 14 days of the invoice date."].string = "Inden 14 dage <script>x()</script>"
    write_catalog(po, catalog)
    renderer = Renderer(render_project, from_po=True)
    html = renderer.render("faq/payments.yaml", "da", {}).parts["html"]
    assert "<script>" not in html and "&lt;script&gt;" in html


@pytest.mark.parametrize("name", ["kb/broken.md", "faq/broken.yaml"])
def test_broken_sources_name_the_file(render_dir: Path, renderer, name):
    from toolkit.errors import CatalogError

    path = render_dir / "templates" / name
    path.write_text("---\n- not: [a mapping\n---\nbody\n" if name.endswith(".md") else "a: [b\n",
                    "utf-8")
    with pytest.raises(CatalogError, match=name):
        renderer.render(name, "da", {})
