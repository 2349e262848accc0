"""The HTML pages: small shells; the page script fills them from the JSON API.

Every value put into HTML here goes through :func:`html.escape`; data for the script travels
as JSON in a ``<script type="application/json">`` block with ``<``, ``>`` and ``&`` escaped, so
no catalog string can close the block or become markup.
"""

from __future__ import annotations

import json
from html import escape
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .workspace import ReviewWorkspace

SHORTCUTS = (
    ("Ctrl+Enter", "approve: save, clear fuzzy, record you as reviewer, go to the next entry"),
    ("Ctrl+S", "save without approving"),
    ("Alt+R", "reject the suggestion (empty the translation)"),
    ("Alt+J", "next entry"),
    ("Alt+K", "previous entry"),
    ("Alt+Q", "back to the queue"),
)
QUEUE_SHORTCUTS = (("J / K", "move down / up"), ("Enter", "open the entry"), ("/", "search"))


def _language(locale: str) -> str:
    """``Danish (dansk)``: the language in English and in itself (Babel/CLDR).

    >>> _language("lt")
    'Lithuanian (lietuvių)'
    """
    from babel import Locale, UnknownLocaleError

    try:
        parsed = Locale.parse(locale.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return ""
    english, native = parsed.get_display_name("en"), parsed.get_display_name()
    return f"{english} ({native})" if native and native != english else (english or "")


def _json_block(data: Any) -> str:
    text = json.dumps(data, ensure_ascii=False)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def _layout(lang: str, title: str, body: str, *, csrf: str = "", data: Any = None) -> str:
    return (
        "<!doctype html>\n"
        f'<html lang="{escape(lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n"
        f'<meta name="csrf-token" content="{escape(csrf)}">\n'
        '<link rel="stylesheet" href="/static/review.css">\n'
        "</head>\n<body>\n"
        '<header class="top"><a href="/" lang="en">toolkit review</a></header>\n'
        f"{body}\n"
        f'<script type="application/json" id="page-data">{_json_block(data or {})}</script>\n'
        '<script src="/static/review.js" defer></script>\n'
        "</body>\n</html>\n"
    )


def _shortcuts(items: tuple[tuple[str, str], ...]) -> str:
    rows = "".join(f"<li><kbd>{escape(k)}</kbd> {escape(v)}</li>" for k, v in items)
    return f'<aside class="shortcuts" lang="en"><h2>Keyboard</h2><ul>{rows}</ul></aside>'


def index_page(workspace: ReviewWorkspace, csrf: str) -> str:
    """``/``: the project's locales and their coverage."""
    rows = []
    for row in workspace.coverage():
        locale = escape(row["locale"])
        if "error" in row:
            rows.append(
                f'<tr><td><a href="/{locale}">{locale}</a></td>'
                f'<td colspan="6" class="error">{escape(row["error"])}</td></tr>'
            )
            continue
        rows.append(
            f'<tr><td><a href="/{locale}">{locale}</a> {escape(_language(row["locale"]))}</td>'
            f'<td>{row["total"]}</td><td>{row["translated"]}</td><td>{row["fuzzy"]}</td>'
            f'<td>{row["untranslated"]}</td><td>{row["findings"]}</td>'
            f'<td><meter min="0" max="100" value="{row["percent"]}"></meter> '
            f'{row["percent"]} %</td></tr>'
        )
    body = (
        '<main lang="en"><h1>Locales</h1>'
        '<table class="coverage"><thead><tr><th>locale</th><th>entries</th>'
        "<th>reviewed</th><th>fuzzy</th><th>untranslated</th><th>with findings</th>"
        f"<th>coverage</th></tr></thead><tbody>{''.join(rows)}</tbody></table></main>"
    )
    lang = workspace.config.source_locale.replace("_", "-")
    return _layout(lang, "toolkit review", body, csrf=csrf, data={"page": "index"})


def queue_page(workspace: ReviewWorkspace, locale: str, csrf: str) -> str:
    """``/<locale>``: the entries needing review, filterable (filled by the script)."""
    body = (
        '<main class="queue">'
        f'<h1 lang="en">Review queue: {escape(locale)}</h1>'
        '<nav class="filters" id="filters" lang="en"></nav>'
        '<input id="search" type="search" lang="en" placeholder="Search source and translation"'
        ' aria-label="Search">'
        '<table class="entries"><thead lang="en"><tr><th>source</th><th>translation</th>'
        '<th>state</th></tr></thead><tbody id="entries"></tbody></table>'
        '<p id="status" lang="en" role="status"></p>'
        f"{_shortcuts(QUEUE_SHORTCUTS)}</main>"
    )
    return _layout(
        locale.replace("_", "-"),
        f"Review {locale}",
        body,
        csrf=csrf,
        data={"page": "queue", "locale": locale},
    )


def entry_page(workspace: ReviewWorkspace, locale: str, key: str, csrf: str) -> str:
    """``/<locale>/<id>``: one entry with its context, live checks and preview."""
    body = (
        '<main class="entry">'
        '<nav class="entry-nav" lang="en"><a id="back" href="">queue</a>'
        '<a id="prev" href="">previous</a><span id="position"></span>'
        '<a id="next" href="">next</a></nav>'
        '<section class="source" lang="en"><h2>Source</h2><div id="context"></div>'
        '<p id="source" class="text"></p><p id="source-plural" class="text"></p>'
        '<div id="previous"></div><ul id="comments" class="comments"></ul></section>'
        '<section class="edit"><h2 lang="en">Translation</h2><div id="mt" lang="en"></div>'
        '<div id="forms"></div>'
        '<div class="actions" lang="en">'
        '<button id="approve" type="button">Approve <kbd>Ctrl+Enter</kbd></button>'
        '<button id="save" type="button">Save <kbd>Ctrl+S</kbd></button>'
        '<button id="reject" type="button">Reject suggestion <kbd>Alt+R</kbd></button>'
        '<label><input id="force" type="checkbox"> save despite errors</label></div>'
        '<p id="message" role="status" lang="en"></p></section>'
        '<section class="checks" lang="en"><h2>Budget</h2><table id="budget"></table>'
        '<h2>Findings</h2><ul id="findings"></ul><h2>Glossary</h2><ul id="glossary"></ul>'
        "</section>"
        '<section class="preview"><h2 lang="en">In context</h2><div id="preview"></div></section>'
        f"{_shortcuts(SHORTCUTS)}</main>"
    )
    return _layout(
        locale.replace("_", "-"),
        f"Review {locale}",
        body,
        csrf=csrf,
        data={"page": "entry", "locale": locale, "id": key},
    )


def error_page(message: str, *, status: int = 500) -> str:
    """A plain page naming the problem (a catalog unreadable on disk, an unknown locale)."""
    title = "Not found" if status == 404 else "Cannot show this page"
    body = (
        f'<main lang="en"><h1>{escape(title)}</h1><p class="error">{escape(message)}</p>'
        '<p><a href="/">Back to the locales</a></p></main>'
    )
    return _layout("en", title, body)
