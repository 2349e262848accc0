"""Translatable segments of Markdown articles: front matter, headings, paragraphs, list items.

The same segmentation is used to extract messages and to render a translated article, so a
segment's text is its msgid: inline markup (``**bold**``, ``[links](...)``) stays inside it and
soft line breaks become single spaces.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import yaml
from markdown_it import MarkdownIt

from ..safe_yaml import load_yaml

FRONT_MATTER_KEYS = ("title", "description", "summary")
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)---[ \t]*(?:\n|\Z)", re.DOTALL)


@dataclass(frozen=True)
class Segment:
    """One translatable piece of an article."""

    line: int  # 1-based line in the file
    kind: str  # "title", "description", "heading", "paragraph", "list item", ...
    text: str
    start: int = 0  # 0-based first line of the block in the body (for rendering)
    end: int = 0  # 0-based line after the block


class FrontMatterError(ValueError):
    """Front matter that is no YAML mapping: what is wrong, and the file's line (1-based)."""

    def __init__(self, problem: str, line: int) -> None:
        super().__init__(problem)
        self.line = line


def split_front_matter(text: str) -> tuple[dict[str, object], str, int]:
    """Return ``(front matter, body, number of lines the front matter took)``; malformed
    front matter raises :class:`FrontMatterError`."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text, 0
    try:
        data = load_yaml(match.group(1)) or {}
    except yaml.YAMLError as exc:  # the front matter starts on the file's second line
        # (where an unclosed '[' or quote opened, rather than the end where it was noticed)
        mark = getattr(exc, "context_mark", None) or getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise FrontMatterError(str(problem), mark.line + 2 if mark is not None else 2) from exc
    if not isinstance(data, dict):
        raise FrontMatterError("front matter must be a mapping of keys to values", 2)
    return data, text[match.end() :], match.group(0).count("\n")


def normalize(text: str) -> str:
    """Collapse soft line breaks and surrounding blanks into single spaces."""
    return re.sub(r"[ \t]*\n[ \t]*", " ", text.strip())


def front_matter_segments(text: str) -> Iterator[Segment]:
    """Title, description and summary from the YAML front matter, with their lines."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return
    node = yaml.compose(match.group(1))
    if not isinstance(node, yaml.MappingNode):
        return
    for key, value in node.value:
        if key.value in FRONT_MATTER_KEYS and isinstance(value, yaml.ScalarNode) and value.value:
            yield Segment(
                line=value.start_mark.line + 2, kind=key.value, text=normalize(value.value)
            )


def body_segments(body: str, line_offset: int = 0) -> Iterator[Segment]:
    """Headings, paragraphs and list items of a Markdown body, in document order."""
    tokens = MarkdownIt("commonmark").enable("table").parse(body)
    context: list[str] = []
    for index, token in enumerate(tokens):
        if token.type.endswith("_open") and token.nesting == 1:
            context.append(token.type[: -len("_open")])
        elif token.type.endswith("_close") and token.nesting == -1 and context:
            context.pop()
        elif token.type == "inline" and token.content.strip() and token.map:
            parent = tokens[index - 1].type if index else ""
            if parent == "heading_open":
                kind = "heading"
            elif "list_item" in context:
                kind = "list item"
            elif "th" in context or "td" in context:
                kind = "table cell"
            elif "blockquote" in context:
                kind = "quote"
            else:
                kind = "paragraph"
            start, end = token.map
            yield Segment(
                line=start + 1 + line_offset,
                kind=kind,
                text=normalize(token.content),
                start=start,
                end=end,
            )


def article_segments(text: str) -> list[Segment]:
    """Every translatable segment of an article (front matter first)."""
    _, body, offset = split_front_matter(text)
    return [*front_matter_segments(text), *body_segments(body, offset)]
