"""Glossary records: one :class:`Term` per row of a glossary file."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

Rule = Literal["required", "dnt", "forbidden"]
RULES: tuple[Rule, ...] = ("required", "dnt", "forbidden")
#: The columns of a glossary CSV file, in the order the toolkit writes them.
COLUMNS: tuple[str, ...] = ("source", "target", "rule", "forms", "case_sensitive", "pos", "note")
#: Columns a file must have; the others may be left out of the header.
REQUIRED_COLUMNS: tuple[str, ...] = ("source", "target", "rule")


@dataclass(frozen=True)
class Term:
    """One glossary row.

    ``required``: ``source`` (English) is translated as ``target`` or one of ``forms``.
    ``dnt``: ``source`` stays as it is (``target`` empty or equal to ``source``; ``forms``
    lists accepted variants such as ``Nordlys'``).
    ``forbidden``: ``target`` and ``forms`` are words the translation must not use;
    ``replacements`` maps a variant to the text that replaces it, ``preferred`` names the
    preferred term (from a ``use: ...`` note or the ``required`` row of the same source).
    """

    source: str
    target: str
    rule: Rule
    forms: tuple[str, ...] = ()
    case_sensitive: bool = False
    pos: str = ""
    note: str = ""
    replacements: tuple[tuple[str, str], ...] = ()
    preferred: str | None = None
    path: Path | None = field(default=None, compare=False)
    line: int | None = field(default=None, compare=False)
    origin: str = field(default="", compare=False)  # "glossaries/da.csv:12", for messages

    @property
    def target_forms(self) -> tuple[str, ...]:
        """Every target form: allowed ones (required, dnt) or forbidden ones (forbidden)."""
        first = self.target or (self.source if self.rule == "dnt" else "")
        return tuple(dict.fromkeys(f for f in (first, *self.forms) if f))

    @property
    def shown(self) -> str:
        """A one-line description for comments and messages.

        >>> Term("loyalty points", "bonuspoint", "required").shown
        'loyalty points -> bonuspoint (required)'
        >>> Term("Nordlys", "", "dnt").shown
        'Nordlys (do not translate)'
        >>> Term("", "kupon", "forbidden", preferred="rabatkode").shown
        'not kupon, use rabatkode (forbidden)'
        """
        if self.rule == "dnt":
            return f"{self.source} (do not translate)"
        if self.rule == "forbidden":
            use = f", use {self.preferred}" if self.preferred else ""
            return f"not {self.target}{use} (forbidden)"
        return f"{self.source} -> {self.target} (required)"

    def row(self) -> dict[str, str]:
        """The row as written to a glossary CSV file."""
        replacements = dict(self.replacements)
        listed = [self.target] if self.target in replacements else []
        forms = [
            f"{form}={replacements[form]}" if form in replacements else form
            for form in (*listed, *self.forms)
        ]
        return {
            "source": self.source,
            "target": self.target,
            "rule": self.rule,
            "forms": "|".join(forms),
            "case_sensitive": "true" if self.case_sensitive else "false",
            "pos": self.pos,
            "note": self.note,
        }


@dataclass(frozen=True)
class TermMatch:
    """An occurrence of a glossary term's source in a text."""

    term: Term
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class GlossaryFinding:
    """A translation that breaks a glossary rule."""

    kind: Literal["required-missing", "forbidden-used", "dnt-altered"]
    term: Term
    message: str  # one sentence, naming the term and the glossary row (file:line)
    found: str | None = None  # the offending text in the target (forbidden-used)
    brief: str = ""  # the same in a few words, for PO comments (``enforce`` problems)
