"""Style-guide glossaries: required translations, do-not-translate terms, forbidden words.

``load_glossary(config, locale)`` reads ``glossaries/_global.csv`` and
``glossaries/<locale>.csv`` into a :class:`Glossary`; its ``match``, ``check``,
``protected_spans`` and ``enforce`` methods serve ``toolkit translate`` and ``toolkit check``.
``toolkit.glossary.tbx`` imports and exports TBX. The names load their module on first
use (:mod:`toolkit.lazy`). The file format is in docs/glossary.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy import lazy_names

if TYPE_CHECKING:
    from .files import (
        format_glossary,
        load_glossary,
        merge_layers,
        parse_glossary,
        read_glossary,
        write_glossary,
    )
    from .glossary import COMMENT_PREFIX, Glossary, replacement_for
    from .model import COLUMNS, RULES, GlossaryFinding, Rule, Term, TermMatch
    from .paths import glossary_paths, has_glossary

_WHERE = {
    "COLUMNS": "model",
    "COMMENT_PREFIX": "glossary",
    "Glossary": "glossary",
    "GlossaryFinding": "model",
    "RULES": "model",
    "Rule": "model",
    "Term": "model",
    "TermMatch": "model",
    "format_glossary": "files",
    "glossary_paths": "paths",
    "has_glossary": "paths",
    "load_glossary": "files",
    "merge_layers": "files",
    "parse_glossary": "files",
    "read_glossary": "files",
    "replacement_for": "glossary",
    "write_glossary": "files",
}
__getattr__ = lazy_names(__name__, _WHERE)

__all__ = [
    "COLUMNS",
    "COMMENT_PREFIX",
    "Glossary",
    "GlossaryFinding",
    "RULES",
    "Rule",
    "Term",
    "TermMatch",
    "format_glossary",
    "glossary_paths",
    "has_glossary",
    "load_glossary",
    "merge_layers",
    "parse_glossary",
    "read_glossary",
    "replacement_for",
    "write_glossary",
]
