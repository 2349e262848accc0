"""``toolkit showcase``: every message of a project rendered in every locale, side by side.

Writes ``OUT/<locale>/<template>.html`` for each message template (with its
``<name>.sample.json`` data), knowledge-base article and FAQ, and ``OUT/index.html`` linking
them in one table: a row per message, a column per locale (source first), so a person can
compare the source and each translation in a browser.
"""

from __future__ import annotations

import html
import json
import os
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
*{box-sizing:border-box}
body{font-family:system-ui,sans-serif;margin:0 auto;padding:1rem 1.5rem;max-width:100rem;color:#222}
h1,h2,h3{overflow-wrap:anywhere;line-height:1.25}h1{font-size:1.5rem}h2{font-size:1.15rem}
table{border-collapse:collapse;max-width:100%}td,th{border:1px solid #ccc;padding:.3rem .6rem;
text-align:start;vertical-align:top;overflow-wrap:anywhere}
.meta{color:#666;font-size:.9em}.part{border:1px solid #ddd;padding:1rem;margin:.5rem 0}
.part table{width:100%}.part td,.part th{overflow-wrap:break-word}
.part img{max-width:100%;height:auto}
pre{white-space:pre-wrap;overflow-wrap:anywhere;background:#f6f6f6;padding:.8rem;margin:.4rem 0}
.warn{color:#a40}.ok{color:#176a2c}.bad{color:#b00020;font-weight:600}
.compare{display:grid;gap:1rem;grid-template-columns:repeat(auto-fit,minmax(min(100%,17rem),1fr))}
.col{min-width:0;border:1px solid #ddd;border-radius:.4rem;padding:.5rem .8rem}
.col h2{margin:.2rem 0 .4rem;font-size:1.1rem}.col h3{font-size:.85rem;margin:.8rem 0 .2rem;
color:#555;text-transform:uppercase;letter-spacing:.03em}
.wide{overflow-x:auto}
.col .part{padding:.5rem}.col .part td,.col .part th{padding:.2rem .35rem}
"""


@dataclass(frozen=True)
class ShowcaseResult:
    """What ``build_showcase`` wrote and what it could not render."""

    index: Path
    pages: tuple[Path, ...]
    failures: tuple[str, ...] = field(default=())
    missing: dict[str, int] = field(default_factory=dict)  # page -> strings served by source
    skipped: tuple[tuple[str, str], ...] = field(default=())  # (template, why) not shown


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


def skipped_sources(config: ProjectConfig) -> list[tuple[str, str]]:
    """Message templates the showcase leaves out, each with the reason and the fix; a layout,
    macro file or include other templates use is no message of its own, and not listed."""
    root = config.templates_path
    skipped = []
    used = _used_by_others(config)
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if not path.is_file() or any(p.startswith(".") for p in relative.parts):
            continue
        if path.suffix.lower() in JINJA_SUFFIXES and relative.as_posix() not in used:
            sample = path.with_name(path.stem + SAMPLE_SUFFIX)
            if not sample.exists():
                skipped.append(
                    (
                        relative.as_posix(),
                        f"no sample data: add {config.relative(sample)} with the fields it uses",
                    )
                )
    return skipped


def _used_by_others(config: ProjectConfig) -> set[str]:
    """Loader names the project's templates extend, import or include."""
    from jinja2 import TemplateSyntaxError, meta

    from .extract import jinja_environment

    env = jinja_environment(config)
    used: set[str] = set()
    for path in config.templates_path.rglob("*"):
        if path.suffix.lower() not in JINJA_SUFFIXES or not path.is_file():
            continue
        try:
            tree = env.parse(path.read_text("utf-8"))
        except (OSError, UnicodeDecodeError, TemplateSyntaxError):
            continue  # rendering it says what is wrong
        used.update(name for name in meta.find_referenced_templates(tree) if name)
    return used


def sample_data(config: ProjectConfig, name: str) -> dict[str, Any]:
    """The sample customer data of a template (empty for articles)."""
    path = config.templates_path / name
    sample = path.with_name(path.stem + SAMPLE_SUFFIX)
    if sample.is_symlink() and not sample.exists():  # a loop, or a link to nothing
        raise InputError(
            f"{config.relative(sample)}: a symbolic link to a file that does not exist or "
            f"loops ({os.readlink(sample)}).",
            hint="Point the link at the sample data, or delete it.",
        )
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
    use_fuzzy: bool = False,
) -> ShowcaseResult:
    """Render every source in the source locale and each target locale into ``out``
    (``use_fuzzy``: with the fuzzy, e.g. machine-translated, entries too)."""
    from .render import Renderer
    from .render.message import require_templates_folder

    require_templates_folder(config)  # (an empty index said nothing of it)
    refuse_out_folder(config, out)
    renderer = Renderer(config, from_po=from_po, use_fuzzy=use_fuzzy)
    columns = [config.source_locale, *config.select_locales(locales)]
    names = showcase_sources(config)
    pages: list[Path] = []
    failures: list[str] = []
    missing: dict[str, int] = {}
    table: dict[str, dict[str, str]] = {}
    rendered: dict[str, dict[str, RenderedMessage]] = {}
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
            rendered.setdefault(name, {})[locale] = message
            untranslated = message.served_by.get(config.source_locale, 0)
            if locale != config.source_locale and untranslated:
                missing[page.relative_to(out).as_posix()] = untranslated
    for name, links in table.items():
        compare = out / "compare" / (name + ".html")
        write_text_atomic(
            compare,
            _compare(name, columns, links, rendered.get(name, {}), compare.parent, out),
        )
    skipped = skipped_sources(config)
    index = out / "index.html"
    summary = locale_summaries(config, columns[1:], from_po=from_po)
    write_text_atomic(index, _index(columns, table, missing, summary, skipped))
    return ShowcaseResult(index, tuple(pages), tuple(failures), missing, tuple(skipped))


@dataclass(frozen=True)
class LocaleSummary:
    """One locale's line in the index: catalog coverage and QA status."""

    locale: str
    catalog: str  # project-relative PO path
    total: int = 0
    translated: int = 0
    fuzzy: int = 0
    untranslated: int = 0
    percent: float = 0.0
    errors: int | None = None  # None: QA could not run (see ``note``)
    warnings: int | None = None
    note: str = ""


def refuse_out_folder(config: ProjectConfig, out: Path) -> None:
    """An InputError when the showcase's pages (``<locale>/...``, ``compare/``,
    ``index.html``) would go into the project's templates, locales or glossaries folder, or
    into a folder that holds one of them (``--out locales`` wrote ``locales/index.html`` and
    ``locales/en/``; ``--out .`` mixes the pages with the project's files)."""
    from .errors import InputError
    from .fsutil import is_within

    folders = (config.templates_path, config.locales_path, config.glossaries_path)
    root = config.root.resolve()
    for folder in folders:
        inside = is_within(out, folder) and folder.resolve() != root  # (templates_dir = ".")
        if inside or is_within(folder, out):
            raise InputError(
                f"--out {out} would put the showcase's pages among the project's own files "
                f"({config.relative(folder)}); nothing was written.",
                hint="Give a folder of its own, such as --out out (the default).",
            )


def locale_summaries(
    config: ProjectConfig, locales: list[str], *, from_po: bool = False
) -> list[LocaleSummary]:
    """Coverage (``toolkit status``) and QA findings (``toolkit check``) per locale; a locale
    without a catalog is 0 % with the command that creates it."""
    from .checks import check_catalogs, load_builtin_checks
    from .errors import ToolkitError
    from .status import catalog_status

    summaries = []
    for locale in locales:
        path = config.po_path(locale)
        shown = config.relative(path)
        if not path.is_file():
            summaries.append(
                LocaleSummary(locale, shown, note=f"no catalog: run 'toolkit update --locale "
                              f"{locale}'")
            )
            continue
        try:
            (status,) = catalog_status(config, [locale])
        except ToolkitError as exc:
            summaries.append(LocaleSummary(locale, shown, note=f"unreadable: {exc}"))
            continue
        errors = warnings = None
        note = ""
        try:
            load_builtin_checks()
            report = check_catalogs(config, [locale], jobs=1)
            errors, warnings = report.errors, report.warnings
        except ToolkitError as exc:
            note = f"check could not run: {exc}"
        summaries.append(
            LocaleSummary(
                locale,
                shown,
                status.total,
                status.translated,
                status.fuzzy,
                status.untranslated,
                status.percent,
                errors,
                warnings,
                note,
            )
        )
    return summaries


def _compare(
    name: str,
    columns: list[str],
    links: dict[str, str],
    messages: dict[str, RenderedMessage],
    folder: Path,
    out: Path,
) -> str:
    """One message in every locale next to each other: a column per locale that wraps to the
    screen's width (no frames, no inner scroll areas; the page scrolls as one)."""
    up = "../" * len(folder.relative_to(out).parts)
    cells = []
    for locale in columns:
        message = messages.get(locale)
        if message is None:
            cells.append(
                f'<section class="col" lang="{_lang(locale)}"{_dir(locale)}>'
                f'<h2>{html.escape(locale)}</h2>'
                '<p class="bad">could not be rendered (see the command output)</p></section>'
            )
            continue
        link = html.escape(up + links[locale])
        untranslated = message.served_by.get(message.chain.source, 0)
        state = (
            f'<span class="warn">{untranslated} strings in the source language</span>'
            if untranslated and locale != columns[0]
            else '<span class="ok">complete</span>'
            if locale != columns[0]
            else "source"
        )
        body = [
            f'<h2><a href="{link}">{html.escape(locale)}</a></h2><p class="meta">{state}</p>'
        ]
        body += _part_blocks(message, heading="h3")
        cells.append(
            f'<section class="col" lang="{_lang(locale)}"{_dir(locale)}>{"".join(body)}</section>'
        )
    page = (
        f'<p><a href="{up}index.html">← all messages</a></p><h1>{html.escape(name)}</h1>'
        f'<div class="compare">{"".join(cells)}</div>'
    )
    return _document(name, page, lang="en")


def _lang(locale: str) -> str:
    return html.escape(locale.replace("_", "-"))


def _dir(locale: str) -> str:
    """`` dir="rtl"`` for a language written right to left (Arabic, Hebrew, Persian...):
    their messages showed left-aligned and laid out left to right (QA pass 80)."""
    from .locales import text_direction

    return ' dir="rtl"' if text_direction(locale) == "rtl" else ""


def _part_blocks(message: RenderedMessage, *, heading: str) -> list[str]:
    """The message's parts as HTML: text parts escaped in ``<pre>``, the HTML part as is."""
    parts = message.parts
    blocks = []
    for part, title in PART_TITLES.items():
        if part in parts:
            extra = ""
            if part == "sms" and message.sms is not None:
                extra = f" ({message.sms.encoding}, {message.sms.segments} segment(s))"
            blocks.append(
                f"<{heading}>{title}{html.escape(extra)}</{heading}>"
                f"<pre>{html.escape(parts[part])}</pre>"
            )
    if "html" in parts:  # already rendered with autoescaping; shown as the customer sees it
        blocks.append(f'<{heading}>HTML part</{heading}><div class="part">{parts["html"]}</div>')
    for part, value in parts.items():
        if part not in PART_TITLES and part != "html":
            blocks.append(
                f"<{heading}>{html.escape(part)}</{heading}><pre>{html.escape(value)}</pre>"
            )
    return blocks


def _page(name: str, locale: str, message: RenderedMessage) -> str:
    blocks = [
        f"<h1>{html.escape(name)} <small>[{html.escape(locale)}]</small></h1>",
        '<p class="meta">locale chain: '
        + html.escape(" → ".join(message.chain.chain))
        + (" · country: " + html.escape(message.chain.country) if message.chain.country else "")
        + "</p>",
    ]
    for warning in message.warnings:
        blocks.append(f'<p class="warn">⚠ {html.escape(warning)}</p>')
    parts = "\n".join(_part_blocks(message, heading="h2"))
    blocks.append(f'<div lang="{_lang(locale)}"{_dir(locale)}>{parts}</div>')
    return _document(f"{name} [{locale}]", "\n".join(blocks), lang=locale)


def _index(
    columns: list[str],
    table: dict[str, dict[str, str]],
    missing: dict[str, int],
    summaries: list[LocaleSummary] | None = None,
    skipped: list[tuple[str, str]] | None = None,
) -> str:
    """The index: per-locale coverage and QA status, then a row per message (each cell says
    whether that locale's page is complete), then the templates left out and why."""
    sections = ["<h1>Message library</h1>"]
    if summaries:
        rows = []
        for item in summaries:
            if item.errors is None:
                qa = f'<td class="warn">{html.escape(item.note or "not checked")}</td>'
            elif item.errors:
                qa = (
                    f'<td class="bad">{item.errors} error(s), {item.warnings} warning(s)</td>'
                )
            else:
                qa = f'<td class="ok">passes ({item.warnings} warning(s))</td>'
            coverage = (
                f"{item.percent:.1f} % ({item.translated}/{item.total}"
                + (f", {item.fuzzy} fuzzy" if item.fuzzy else "")
                + (f", {item.untranslated} untranslated" if item.untranslated else "")
                + ")"
            )
            css = "ok" if item.total and item.percent == 100.0 else "warn"
            rows.append(
                f"<tr><th>{html.escape(item.locale)}</th><td class=\"{css}\">"
                f"{html.escape(coverage)}</td>{qa}<td>{html.escape(item.catalog)}</td></tr>"
            )
        sections.append(
            "<h2>Locales</h2><div class=\"wide\"><table><tr><th>locale</th><th>coverage</th>"
            f"<th>QA (toolkit check)</th><th>catalog</th></tr>{''.join(rows)}</table></div>"
        )
    head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
    rows = []
    for name, links in table.items():
        cells = []
        for locale in columns:
            link = links.get(locale, "")
            if not link:
                cells.append('<td class="bad">failed</td>')
                continue
            if link in missing:
                note = f' <span class="warn">({missing[link]} untranslated)</span>'
            elif locale != columns[0]:
                note = ' <span class="ok">✓</span>'
            else:
                note = ""
            cells.append(f'<td><a href="{html.escape(link)}">{html.escape(locale)}</a>{note}</td>')
        compare = html.escape(f"compare/{name}.html")
        rows.append(
            f'<tr><td><a href="{compare}">{html.escape(name)}</a></td>{"".join(cells)}</tr>'
        )
    sections.append(
        f"<h2>Messages ({len(table)})</h2><div class=\"wide\"><table><tr><th>message "
        f"(compare)</th>{head}</tr>{''.join(rows)}</table></div>"
    )
    if skipped:
        items = "".join(
            f"<li><strong>{html.escape(name)}</strong>: {html.escape(why)}</li>"
            for name, why in skipped
        )
        sections.append(f"<h2>Not shown ({len(skipped)})</h2><ul>{items}</ul>")
    return _document("Message library", "".join(sections), lang="en")


def _document(title: str, body: str, *, lang: str) -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="{html.escape(lang.replace("_", "-"))}">\n<head>\n'
        f'<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n"
        f"<style>{_STYLE}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n"
    )
