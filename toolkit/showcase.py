"""``toolkit showcase``: every message of a project rendered in every locale, side by side.

Writes ``OUT/<locale>/<template>.html`` for each message template (with its
``<name>.sample.json`` data), knowledge-base article and FAQ, and ``OUT/index.html`` linking
them in one table: a row per message, a column per locale (source first), so a person can
compare the source and each translation in a browser.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .config import ProjectConfig
from .errors import InputError
from .fsutil import require_inside, write_text_atomic
from .templating import JINJA_SUFFIXES

if TYPE_CHECKING:
    from .render import RenderedMessage

ARTICLE_SUFFIXES = (".md", ".markdown", ".yaml", ".yml")
SAMPLE_SUFFIX = ".sample.json"
PART_TITLES = {
    "subject": "Subject",
    "preheader": "Preheader",
    "text": "Plain-text part",
    "sms": "SMS",
    "push_title": "Push title",
    "push_body": "Push body",
}
_STYLE = """
body{font-family:system-ui,sans-serif;margin:2rem;color:#222}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:left}
.meta{color:#666;font-size:.9em}.part{border:1px solid #ddd;padding:1rem;margin:.5rem 0}
pre{white-space:pre-wrap;background:#f6f6f6;padding:.8rem}.warn{color:#a40}
.row{display:flex;gap:.5rem}.col{flex:1;min-width:0}
.col iframe{width:100%;height:85vh;border:1px solid #ccc}
"""


@dataclass(frozen=True)
class ShowcaseResult:
    """What ``build_showcase`` wrote and what it could not render."""

    index: Path
    pages: tuple[Path, ...]
    failures: tuple[str, ...] = field(default=())
    missing: dict[str, int] = field(default_factory=dict)  # page -> strings served by source


def showcase_sources(config: ProjectConfig) -> list[str]:
    """Loader names of every renderable source: templates with sample data, articles, FAQs."""
    root = config.templates_path
    names = []
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if not path.is_file() or any(p.startswith(".") for p in relative.parts):
            continue
        suffix = path.suffix.lower()
        sample = path.with_name(path.stem + SAMPLE_SUFFIX)
        if (suffix in JINJA_SUFFIXES and sample.exists()) or suffix in ARTICLE_SUFFIXES:
            require_inside(path, config.root, shown=config.relative(path))
            names.append(relative.as_posix())
    return names


def sample_data(config: ProjectConfig, name: str) -> dict[str, Any]:
    """The sample customer data of a template (empty for articles)."""
    path = config.templates_path / name
    sample = path.with_name(path.stem + SAMPLE_SUFFIX)
    if not sample.exists():
        return {}
    require_inside(sample, config.root, shown=config.relative(sample))
    try:
        data = json.loads(sample.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(f"{config.relative(sample)}: not valid JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise InputError(f"{config.relative(sample)}: must hold a JSON object.")
    return data


def build_showcase(
    config: ProjectConfig,
    out: Path,
    *,
    locales: list[str] | None = None,
    from_po: bool = False,
) -> ShowcaseResult:
    """Render every source in the source locale and each target locale into ``out``."""
    from .render import Renderer

    renderer = Renderer(config, from_po=from_po)
    columns = [config.source_locale, *config.select_locales(locales)]
    names = showcase_sources(config)
    pages: list[Path] = []
    failures: list[str] = []
    missing: dict[str, int] = {}
    table: dict[str, dict[str, str]] = {}
    for name in names:
        data = sample_data(config, name)
        for locale in columns:
            page = out / locale / (name + ".html")
            try:
                message = renderer.render(name, locale, data)
            except InputError as exc:
                failures.append(f"{name} [{locale}]: {exc}")
                table.setdefault(name, {})[locale] = ""
                continue
            write_text_atomic(page, _page(name, locale, message))
            pages.append(page)
            table.setdefault(name, {})[locale] = page.relative_to(out).as_posix()
            untranslated = message.served_by.get(config.source_locale, 0)
            if locale != config.source_locale and untranslated:
                missing[page.relative_to(out).as_posix()] = untranslated
    for name, links in table.items():
        compare = out / "compare" / (name + ".html")
        write_text_atomic(compare, _compare(name, columns, links, compare.parent, out))
    index = out / "index.html"
    write_text_atomic(index, _index(columns, table, missing))
    return ShowcaseResult(index, tuple(pages), tuple(failures), missing)


def _compare(name: str, columns: list[str], links: dict[str, str], folder: Path, out: Path) -> str:
    """One message in every locale next to each other (an iframe per locale)."""
    up = "../" * len(folder.relative_to(out).parts)
    frames = "".join(
        f'<div class="col"><h2>{html.escape(locale)}</h2>'
        f'<iframe src="{html.escape(up + links[locale])}" title="{html.escape(locale)}"></iframe>'
        "</div>"
        for locale in columns
        if links.get(locale)
    )
    body = (
        f'<p><a href="{up}index.html">← all messages</a></p><h1>{html.escape(name)}</h1>'
        f'<div class="row">{frames}</div>'
    )
    return _document(name, body, lang="en")


def _page(name: str, locale: str, message: RenderedMessage) -> str:
    parts = message.parts
    blocks = [
        f"<h1>{html.escape(name)} <small>[{html.escape(locale)}]</small></h1>",
        '<p class="meta">locale chain: '
        + html.escape(" → ".join(message.chain.chain))
        + (" · country: " + html.escape(message.chain.country) if message.chain.country else "")
        + "</p>",
    ]
    for warning in message.warnings:
        blocks.append(f'<p class="warn">⚠ {html.escape(warning)}</p>')
    for part, title in PART_TITLES.items():
        if part in parts:
            extra = ""
            if part == "sms" and message.sms is not None:
                extra = f" ({message.sms.encoding}, {message.sms.segments} segment(s))"
            blocks.append(
                f"<h2>{title}{html.escape(extra)}</h2><pre>{html.escape(parts[part])}</pre>"
            )
    if "html" in parts:  # already rendered with autoescaping; shown as the customer sees it
        blocks.append(f'<h2>HTML part</h2><div class="part">{parts["html"]}</div>')
    for part, value in parts.items():
        if part not in PART_TITLES and part != "html":
            blocks.append(f"<h2>{html.escape(part)}</h2><pre>{html.escape(value)}</pre>")
    return _document(f"{name} [{locale}]", "\n".join(blocks), lang=locale)


def _index(columns: list[str], table: dict[str, dict[str, str]], missing: dict[str, int]) -> str:
    head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
    rows = []
    for name, links in table.items():
        cells = []
        for locale in columns:
            link = links.get(locale, "")
            if not link:
                cells.append('<td class="warn">failed</td>')
                continue
            note = (
                f' <span class="warn">({missing[link]} untranslated)</span>'
                if link in missing
                else ""
            )
            cells.append(f'<td><a href="{html.escape(link)}">{html.escape(locale)}</a>{note}</td>')
        compare = html.escape(f"compare/{name}.html")
        rows.append(
            f'<tr><td><a href="{compare}">{html.escape(name)}</a></td>{"".join(cells)}</tr>'
        )
    body = f"<h1>Message library</h1><table><tr><th>message</th>{head}</tr>{''.join(rows)}</table>"
    return _document("Message library", body, lang="en")


def _document(title: str, body: str, *, lang: str) -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="{html.escape(lang.replace("_", "-"))}">\n<head>\n'
        f'<meta charset="utf-8">\n<title>{html.escape(title)}</title>\n'
        f"<style>{_STYLE}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n"
    )
