"""YAML for FAQs and front matter, with limits: no alias bombs, no runaway nesting.

A 600-byte file of nested anchors and aliases (a "billion laughs") expands to billions of
nodes when walked. PyYAML shares aliased nodes, so the cost comes later, in every pass that
walks the document; the loader here counts aliases and the size of the document as it would
be walked, and refuses it before anything else sees it.
"""

from __future__ import annotations

from typing import Any

import yaml

#: Most aliases (``*name``) one document may use.
MAX_ALIASES = 100
#: Most nodes one document may have with every alias expanded.
MAX_EXPANDED_NODES = 100_000
#: Deepest nesting of mappings and sequences.
MAX_DEPTH = 100


class YAMLLimitError(yaml.MarkedYAMLError):
    """A YAML document over one of the limits above."""


class _LimitedLoader(yaml.SafeLoader):
    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._aliases = 0
        self._depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                raise YAMLLimitError(
                    problem=f"more than {MAX_ALIASES} aliases (*name); write the text out",
                    problem_mark=self.peek_event().start_mark,
                )
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise YAMLLimitError(
                    problem=f"nested deeper than {MAX_DEPTH} levels",
                    problem_mark=self.peek_event().start_mark,
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def get_single_node(self) -> Any:
        node = super().get_single_node()
        if node is not None:
            _check_expanded_size(node)
        return node


def _check_expanded_size(root: yaml.Node) -> None:
    sizes: dict[int, int] = {}

    def size(node: yaml.Node) -> int:
        known = sizes.get(id(node))
        if known is not None:
            return known
        total = 1
        if isinstance(node, yaml.SequenceNode):
            total += sum(size(child) for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            total += sum(size(key) + size(value) for key, value in node.value)
        sizes[id(node)] = total
        if total > MAX_EXPANDED_NODES:
            raise YAMLLimitError(
                problem=f"expands to more than {MAX_EXPANDED_NODES:,} values through aliases",
                problem_mark=node.start_mark,
            )
        return total

    size(root)


def compose_yaml(text: str) -> yaml.Node | None:
    """The node graph of one YAML document, within the limits."""
    loader = _LimitedLoader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def load_yaml(text: str) -> Any:
    """Python data of one YAML document (safe types only), within the limits."""
    loader = _LimitedLoader(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()
