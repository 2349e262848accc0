"""Knowledge-base articles (Markdown) and FAQs (YAML), translated segment by segment.

Segments are cut exactly as extraction cuts them (:mod:`toolkit.extract.markdown`,
:mod:`toolkit.extract.faq`), so each segment's text is its msgid. A Markdown article is parsed
once with markdown-it-py; each inline segment is replaced by its translation, re-parsed as inline
Markdown, and the token stream renders to HTML and to plain text.

Translations are untrusted: in a translated segment, raw HTML that the source segment does not
contain verbatim becomes text, and links or images pointing anywhere the source does not point
lose their target (the text stays). FAQ answers that are translated render without raw HTML.
"""

from __future__ import annotations

import html as html_lib
from collections.abc import Callable
from typing import Any

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token

from ..errors import CatalogError
from ..extract.faq import FAQ_KEYS
from ..extract.markdown import FRONT_MATTER_KEYS, normalize, split_front_matter
from ..safe_yaml import load_yaml
from .links import localises

Lookup = Callable[[str], str]

#: The same parser configuration as extraction (raw HTML allowed in trusted source text).
_MD = MarkdownIt("commonmark").enable("table")
#: For translated FAQ answers: no raw HTML at all.
_MD_NO_HTML = MarkdownIt("commonmark", {"html": False}).enable("table")


def render_markdown(source: str, lookup: Lookup, *, path: str = "") -> dict[str, str]:
    """Translated ``title``, ``description``, ``summary``, ``html`` and ``text`` of an article."""
    try:
        front, body, _ = split_front_matter(source)
    except (ValueError, yaml.YAMLError) as exc:
        problem = getattr(exc, "problem", None) or exc
        line = getattr(exc, "line", 1)
        raise CatalogError(f"unreadable front matter: {problem}", path=path, line=line) from exc
    parts: dict[str, str] = {}
    for key in FRONT_MATTER_KEYS:
        value = front.get(key)
        if isinstance(value, str) and value.strip():
            parts[key] = lookup(normalize(value))
    tokens = _MD.parse(body)
    for token in tokens:
        if token.type == "inline" and token.content.strip() and token.map:
            msgid = normalize(token.content)
            translated = lookup(msgid)
            if translated != msgid:
                token.content = translated
                token.children = _safe_inline(translated, msgid)
    parts["html"] = _MD.renderer.render(tokens, _MD.options, {}).strip()
    parts["text"] = tokens_text(tokens)
    return parts


def _safe_inline(translated: str, msgid: str) -> list[Token]:
    """Inline tokens of a translation, keeping only the raw HTML and link targets of the source."""
    source = _MD.parseInline(msgid)[0].children or []
    allowed_html = {t.content for t in source if t.type == "html_inline"}
    allowed_urls = {str(t.attrs.get("href") or t.attrs.get("src")) for t in source if t.attrs}
    out: list[Token] = []
    dropped_links = 0
    for token in _MD.parseInline(translated)[0].children or []:
        if token.type == "html_inline" and token.content not in allowed_html:
            out.append(Token("text", "", 0, content=token.content))
        elif token.type == "link_open" and str(token.attrs.get("href")) not in allowed_urls:
            dropped_links += 1
        elif token.type == "link_close" and dropped_links:
            dropped_links -= 1
        elif token.type == "image" and str(token.attrs.get("src")) not in allowed_urls:
            out.append(Token("text", "", 0, content=token.content))
        else:
            out.append(token)
    return out


def tokens_text(tokens: list[Token]) -> str:
    """Plain text of a parsed Markdown document: blocks separated by blank lines, list items
    prefixed with ``-`` or their number, table rows as ``a | b``, link targets in parentheses."""
    blocks: list[tuple[str, bool]] = []  # (text, is a list item or table row)
    lists: list[list[int]] = []  # per open list: [is ordered, next number]
    item_prefix = ""
    row: list[str] | None = None
    for token in tokens:
        if token.type in ("bullet_list_open", "ordered_list_open"):
            start = int(token.attrs.get("start", 1) or 1)
            lists.append([token.type == "ordered_list_open", start])
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif token.type == "list_item_open" and lists:
            ordered, number = lists[-1]
            item_prefix = "  " * (len(lists) - 1) + (f"{number}. " if ordered else "- ")
            lists[-1][1] = number + 1
        elif token.type == "tr_open":
            row = []
        elif token.type == "tr_close" and row is not None:
            blocks.append((" | ".join(row), True))
            row = None
        elif token.type == "inline":
            text = inline_text(token.children or [])
            if row is not None:
                row.append(text)
            elif item_prefix:
                blocks.append((item_prefix + text, True))
                item_prefix = ""
            else:
                blocks.append((text, bool(lists)))
        elif token.type in ("fence", "code_block"):
            blocks.append((token.content.rstrip("\n"), False))
    out = ""
    previous_item = False
    for text, item in blocks:
        if out:
            out += "\n" if item and previous_item else "\n\n"
        out += text
        previous_item = item
    return out.strip()


def inline_text(children: list[Token]) -> str:
    """The visible text of inline tokens (links as ``text (url)``)."""
    out: list[str] = []
    hrefs: list[str] = []
    for child in children:
        if child.type in ("text", "code_inline"):
            out.append(child.content)
        elif child.type == "softbreak":
            out.append(" ")
        elif child.type == "hardbreak":
            out.append("\n")
        elif child.type == "image":
            out.append(child.content)
        elif child.type == "link_open":
            hrefs.append(str(child.attrs.get("href", "")))
        elif child.type == "link_close" and hrefs:
            href = hrefs.pop()
            if href and not href.startswith("mailto:"):
                out.append(f" ({href})")
    return "".join(out)


def render_faq(source: str, lookup: Lookup, *, path: str = "") -> dict[str, Any]:
    """Translated FAQ: ``title`` (when present), ``html``, ``text`` and the translated data."""
    try:
        data = load_yaml(source)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise CatalogError(
            f"invalid YAML: {getattr(exc, 'problem', None) or exc}",
            path=path,
            line=(mark.line + 1) if mark else None,
        ) from exc
    translated = _translate_faq(data, lookup, {})
    html: list[str] = []
    text: list[str] = []
    _faq_output(translated, html, text, depth=1)
    parts: dict[str, Any] = {}
    if isinstance(translated, dict) and isinstance(translated.get("title"), str):
        parts["title"] = translated["title"]
    parts["html"] = "\n".join(html)
    parts["text"] = "\n\n".join(text)
    parts["data"] = translated
    return parts


def _translate_faq(node: Any, lookup: Lookup, translated_keys: dict[int, bool]) -> Any:
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key in FAQ_KEYS and isinstance(value, str) and value.strip():
                source = value.strip()
                out[key] = _keep_links(lookup(source), source)
            else:
                out[key] = _translate_faq(value, lookup, translated_keys)
        return out
    if isinstance(node, list):
        return [_translate_faq(item, lookup, translated_keys) for item in node]
    return node


def markdown_link_targets(text: str) -> list[str]:
    """Link and image targets of a Markdown string (inline links, autolinks, references)."""
    found: list[str] = []
    for block in _MD_NO_HTML.parse(text):
        for child in block.children or []:
            if child.type in ("link_open", "image"):
                found.append(str(child.attrs.get("href") or child.attrs.get("src") or ""))
    return found


def _keep_links(translated: str, source: str) -> str:
    """The translation, or the source text when the translation links somewhere the source
    does not (``[m](https://evil.example)`` in a translated FAQ answer)."""
    if translated == source:
        return translated
    allowed = markdown_link_targets(source)
    if all(localises(url, allowed) for url in markdown_link_targets(translated)):
        return translated
    return source


def _faq_output(node: Any, html: list[str], text: list[str], depth: int) -> None:
    esc = html_lib.escape
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("title", "category") and isinstance(value, str):
                level = min(depth, 6)
                html.append(f"<h{level}>{esc(value)}</h{level}>")
                text.append(value)
            elif key == "question" and isinstance(value, str):
                level = min(depth, 6)
                html.append(f"<h{level}>{esc(value)}</h{level}>")
                text.append(value)
            elif key in ("answer", "description") and isinstance(value, str):
                tokens = _MD_NO_HTML.parse(value)
                html.append(_MD_NO_HTML.renderer.render(tokens, _MD_NO_HTML.options, {}).strip())
                text.append(tokens_text(tokens))
            elif isinstance(value, (dict, list)):
                _faq_output(value, html, text, depth + 1)
    elif isinstance(node, list):
        for item in node:
            _faq_output(item, html, text, depth)
