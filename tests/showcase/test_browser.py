"""The showcase in a real browser (headless Chromium through Playwright): compare pages fit
the screen, with no clipped headings and no nested scroll areas; the index shows per-locale
coverage and QA status."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from toolkit.config import load_config
from toolkit.showcase import build_showcase

ROOT = Path(__file__).parents[2]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
VIEWPORTS = ({"width": 1280, "height": 800}, {"width": 390, "height": 844})

# Every layout problem on the page: the document wider than the window, a heading whose text
# is cut (wider than its box), an element that scrolls inside the page, a frame.
LAYOUT_PROBLEMS = """() => {
  const problems = [];
  const root = document.documentElement;
  const wider = (el) => el.scrollWidth > el.clientWidth + 1;
  const taller = (el) => el.scrollHeight > el.clientHeight + 1;
  const scrolling = (value) => ['auto', 'scroll'].includes(value);
  const name = (el) => `<${el.tagName.toLowerCase()} class="${el.className}">`;
  if (root.scrollWidth > window.innerWidth + 1)
    problems.push(`page scrolls sideways: ${root.scrollWidth} > ${window.innerWidth}`);
  for (const el of document.querySelectorAll('h1,h2,h3')) {
    const text = el.textContent.trim();
    if (wider(el)) problems.push(`clipped heading "${text}": ${el.scrollWidth}`);
    const box = el.getBoundingClientRect();
    if (box.right > window.innerWidth + 1)
      problems.push(`heading "${text}" ends off screen at ${box.right}`);
  }
  for (const el of document.body.querySelectorAll('*')) {
    const style = getComputedStyle(el);
    if ((scrolling(style.overflowX) && wider(el)) || (scrolling(style.overflowY) && taller(el)))
      problems.push(`nested scroll area: ${name(el)}`);
    if (['hidden', 'clip'].includes(style.overflowX) && wider(el))
      problems.push(`content cut off in ${name(el)}`);
  }
  if (document.querySelector('iframe')) problems.push('frames (each scrolls on its own)');
  return problems;
}"""


@pytest.fixture(scope="module")
def showcase(tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("showcase")
    return out, build_showcase(load_config(ROOT), out, from_po=True)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "Debian's chromium must be installed (see .ci/run)"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking"],
        )
        yield chromium
        chromium.close()


def test_compare_pages_fit_the_screen(showcase, browser, tmp_path):
    out, result = showcase
    compares = sorted((out / "compare").rglob("*.html"))
    assert len(compares) == len({p.relative_to(out).parts[1:] for p in result.pages})
    found = {}
    for viewport in VIEWPORTS:
        page = browser.new_page(viewport=viewport)
        for path in compares:
            page.goto(path.as_uri())
            problems = page.evaluate(LAYOUT_PROBLEMS)
            if problems:
                found[f"{path.relative_to(out)} @ {viewport['width']}px"] = problems
        # every locale is a column of its own on a desktop screen, stacked on a phone
        page.goto((out / "compare/payments/failed_payment.j2.html").as_uri())
        lefts = page.eval_on_selector_all(".col", "cols => cols.map(c => c.offsetLeft)")
        assert len(lefts) == 4
        assert len(set(lefts)) == (4 if viewport["width"] >= 1200 else 1)
        page.screenshot(path=str(tmp_path / f"failed_payment-{viewport['width']}.png"))
        page.close()
    assert found == {}


def test_index_shows_coverage_and_qa_per_locale_and_fits(showcase, browser):
    out, _ = showcase
    page = browser.new_page(viewport=VIEWPORTS[0])
    page.goto((out / "index.html").as_uri())
    assert page.evaluate(LAYOUT_PROBLEMS) == []
    rows = page.eval_on_selector_all(
        "h2:text('Locales') + div tr", "rows => rows.map(r => r.innerText.split('\\t'))"
    )
    assert [r[0] for r in rows[1:]] == ["da", "nb", "lt"]
    for row in rows[1:]:
        assert row[1].startswith("100.0 %") and row[2].startswith("passes")
    assert page.locator("a[href='compare/payments/failed_payment.j2.html']").count() == 1
    page.close()


#: Table cells of the HTML part whose one word (an amount: "€143.90", "143,90 €") the page
#: breaks across lines: the compare pages broke them anywhere ("€143." / "90"; QA pass 80).
BROKEN_WORDS = """() => {
  const broken = [];
  for (const cell of document.querySelectorAll('.part td, .part th')) {
    const text = cell.textContent.trim();
    if (!text || /\\s/.test(text.replace(/\\u00a0|\\u202f/g, ''))) continue;
    const range = document.createRange();
    range.selectNodeContents(cell);
    const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
    if (lines.size > 1) broken.push(text);
  }
  return broken;
}"""


def test_amounts_in_the_html_part_stay_on_one_line(showcase, browser):
    out, _ = showcase
    for viewport in VIEWPORTS:
        page = browser.new_page(viewport=viewport)
        page.goto((out / "compare/payments/receipt.j2.html").as_uri())
        assert page.evaluate(BROKEN_WORDS) == [], viewport
        page.close()


def test_a_right_to_left_locale_is_shown_right_to_left(tmp_path, browser):
    """Arabic and Hebrew messages were left-aligned and laid out left to right."""
    project = tmp_path / "rtl"
    shutil.copytree(ROOT / "templates", project / "templates")
    shutil.copytree(ROOT / "locales", project / "locales")
    (project / "toolkit.toml").write_text(
        'source_locale = "en"\nlocales = ["da", "ar"]\n', "utf-8")
    out = tmp_path / "out"
    build_showcase(load_config(project), out, from_po=True)
    page = browser.new_page(viewport=VIEWPORTS[0])
    page.goto((out / "compare/payments/receipt.j2.html").as_uri())
    directions = page.eval_on_selector_all(
        ".col", "cols => cols.map(c => [c.lang, getComputedStyle(c).direction])")
    assert directions == [["en", "ltr"], ["da", "ltr"], ["ar", "rtl"]]
    page.goto((out / "ar/payments/receipt.j2.html").as_uri())
    assert page.eval_on_selector("pre", "p => getComputedStyle(p).direction") == "rtl"
    page.close()
