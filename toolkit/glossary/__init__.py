"""Style-guide glossaries: required translations, do-not-translate terms, forbidden words.

``load_glossary(config, locale)`` reads ``glossaries/_global.csv`` and
``glossaries/<locale>.csv`` into a :class:`Glossary`; its ``match``, ``check``,
``protected_spans`` and ``enforce`` methods serve ``toolkit translate`` and ``toolkit check``.
``toolkit.glossary.tbx`` imports and exports TBX. The file format is in docs/glossary.md.
"""

from __future__ import annotations

from .files import (
    format_glossary,
    glossary_paths,
    load_glossary,
    merge_layers,
    parse_glossary,
    read_glossary,
    write_glossary,
)
from .glossary import COMMENT_PREFIX, Glossary, replacement_for
from .model import COLUMNS, RULES, GlossaryFinding, Rule, Term, TermMatch

__all__ = [
    "COLUMNS",
    "COMMENT_PREFIX",
    "RULES",
    "Glossary",
    "GlossaryFinding",
    "Rule",
    "Term",
    "TermMatch",
    "format_glossary",
    "glossary_paths",
    "load_glossary",
    "merge_layers",
    "parse_glossary",
    "read_glossary",
    "replacement_for",
    "write_glossary",
]
