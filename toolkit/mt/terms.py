"""The hook through which a glossary takes part in machine translation.

``translate_catalog(..., terms=...)`` accepts any object with these two methods:

``protected_spans(source)``
    ``(start, end)`` spans of ``source`` (one segment: a sentence of a message, placeholders
    not yet masked) that MT must not touch, such as brand names or do-not-translate terms.
    They are masked like placeholders and restored verbatim.

``enforce(source, target)``
    Called once per message form with the full source and the restored MT output. Returns
    the corrected target (e.g. a required term substituted in its correct inflection) and a
    list of problems it could not fix. Problems never block the MT result: it is written
    (fuzzy, as always), each problem becomes a translator comment ``mt: glossary: ...`` on
    the entry, and the run's summary reports them.

Optionally ``comments(source)``
    Translator comments naming the terms that apply to a msgid (``glossary: ...``); they are
    written on each translated entry and replaced on every run. ``toolkit.glossary.Glossary``
    implements all three.
"""

from __future__ import annotations

from typing import Protocol


class Terms(Protocol):
    """A glossary as MT sees it (see the module docstring)."""

    def protected_spans(self, source: str) -> list[tuple[int, int]]:
        """Spans of ``source`` to keep verbatim."""
        ...

    def enforce(self, source: str, target: str) -> tuple[str, list[str]]:
        """The corrected ``target`` and the problems left."""
        ...
