"""Translatable fields of YAML FAQ files: questions, answers, titles, descriptions."""

from __future__ import annotations

from collections.abc import Iterator

import yaml

from ..safe_yaml import compose_yaml
from .markdown import Segment

FAQ_KEYS = ("question", "answer", "title", "description", "category")


def faq_segments(text: str) -> Iterator[Segment]:
    """Every FAQ field anywhere in the document, in document order, with its line."""
    node = compose_yaml(text)
    if node is None:
        return
    yield from _walk(node)


def _walk(node: yaml.Node) -> Iterator[Segment]:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if (
                isinstance(key, yaml.ScalarNode)
                and key.value in FAQ_KEYS
                and isinstance(value, yaml.ScalarNode)
                and value.value.strip()
            ):
                yield Segment(
                    line=value.start_mark.line + 1, kind=key.value, text=value.value.strip()
                )
            else:
                yield from _walk(value)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _walk(item)
