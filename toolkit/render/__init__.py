"""Render localized messages: templates, catalogs, Babel formatting, payment methods.

- :mod:`.locale_chain`: ``da_DK`` -> ``da`` -> source, and loading the catalogs of the chain;
- :mod:`.filters`: Babel-backed filters (``currency``, ``date``, ``list``...);
- :mod:`.environment`: the sandboxed per-locale Jinja2 environments and vetted translations;
- :mod:`.message`: one customer's message with every part, SMS encoding and channel warnings;
- :mod:`.batch`: many customers from CSV/JSONL, streamed, optionally in worker processes;
- :mod:`.articles`: Markdown knowledge-base articles and YAML FAQs, translated by segment.
"""

from __future__ import annotations

from ..errors import RenderError
from .locale_chain import LocaleChain, resolve_chain
from .message import RenderedMessage, Renderer, resolve_template

__all__ = [
    "LocaleChain",
    "RenderError",
    "RenderedMessage",
    "Renderer",
    "resolve_chain",
    "resolve_template",
]
