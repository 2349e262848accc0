"""The repository's own message library: complete in every shipped locale, renders cleanly."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest

from toolkit.catalogs import entries, is_translated, read_catalog
from toolkit.config import load_config
from toolkit.showcase import build_showcase, showcase_sources

ROOT = Path(__file__).parents[2]
VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}


@pytest.fixture(scope="module")
def repo():
    return load_config(ROOT)


class BalanceChecker(HTMLParser):
    """Fails on any end tag that does not close the innermost open element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"line {self.getpos()[0]}: </{tag}> closes {self.stack[-1:]}")
        else:
            self.stack.pop()


def well_formed(markup: str) -> list[str]:
    checker = BalanceChecker()
    checker.feed(markup)
    checker.close()
    return checker.errors + [f"unclosed <{t}>" for t in checker.stack]


def test_shipped_catalogs_are_complete_and_reviewed(repo):
    for locale in ("da", "nb", "lt"):
        assert locale in repo.locales
        catalog = read_catalog(repo.po_path(locale), locale)
        open_entries = [m.id for m in entries(catalog) if m.fuzzy or not is_translated(m)]
        assert open_entries == [], f"{locale}: {len(open_entries)} entries open"


def test_every_message_renders_in_every_locale_fully_translated(repo, tmp_path):
    result = build_showcase(repo, tmp_path, from_po=True)
    sources = showcase_sources(repo)
    assert len(sources) >= 20 + 6 + 1  # messages, knowledge-base articles, FAQ
    assert result.failures == ()
    assert result.missing == {}
    assert len(result.pages) == len(sources) * (1 + len(repo.locales))
    for page in [result.index, *result.pages]:
        problems = well_formed(page.read_text("utf-8"))
        assert problems == [], f"{page}: {problems}"


def test_html_parts_are_well_formed_fragments(repo):
    from toolkit.render import Renderer
    from toolkit.showcase import sample_data

    renderer = Renderer(repo, from_po=True)
    for name in showcase_sources(repo):
        if not name.endswith(".j2"):
            continue
        for locale in ("en", "da_DK", "nb_NO", "lt_LT"):
            message = renderer.render(name, locale, sample_data(repo, name))
            if "html" in message.parts:
                assert well_formed(message.parts["html"]) == [], (name, locale)
