"""Glossary rules on every translation, human or machine: required terms, forbidden words,
do-not-translate terms (``glossaries/_global.csv`` + ``glossaries/<locale>.csv``)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, ClassVar

from .base import DNT_SOURCES, CheckContext, Entry, EntryCheck, register

if TYPE_CHECKING:
    from ..glossary import Glossary, GlossaryFinding


def has_terms(context: CheckContext) -> bool:
    """Whether the catalog's locale has glossary files at all (asked once per catalog):
    without them the glossary checks find nothing and import no glossary module."""

    def look() -> bool:
        from ..glossary.paths import has_glossary

        return context.config is not None and has_glossary(context.config, context.locale)

    return context.memo("has-glossary", look)


def glossary_of(context: CheckContext) -> Glossary:
    """The catalog's glossary, loaded once per catalog (empty without a project config).

    A malformed glossary file stops the run with CatalogError (file:line), exit 2.
    """
    loaded: Glossary | None = context.cache.get("glossary")
    if loaded is not None:
        return loaded  # asked three times per entry: no closure, no memo call

    def load() -> Glossary:
        from ..glossary import Glossary

        if context.config is None or not has_terms(context):
            return Glossary(locale=context.locale)  # the file reader is not even imported
        from ..glossary import load_glossary

        return load_glossary(context.config, context.locale)

    return context.memo("glossary", load)


def _findings(entry: Entry, context: CheckContext) -> list[tuple[str, GlossaryFinding]]:
    """``(msgstr label, finding)`` for every translated form of the entry, computed once."""

    def compute() -> list[tuple[str, GlossaryFinding]]:
        glossary = glossary_of(context)
        if not len(glossary):
            return []
        warnings = context.warnings
        return [
            (pair.label, finding)
            for pair in entry.pairs()
            # Required terms give warnings only: compile (context.warnings False) skips them.
            for finding in glossary.check(pair.source, pair.translation, required=warnings)
        ]

    key = f"glossary-findings:{entry.line}:{entry.msgctxt}:{entry.msgid}"
    return context.memo(key, compute)


class _GlossaryCheck(EntryCheck):
    kind: ClassVar[str] = ""

    def applies(self, context: CheckContext) -> bool:
        return has_terms(context)

    def check(self, entry: Entry, context: CheckContext) -> Iterator[str]:
        if not len(glossary_of(context)):  # applies() keeps it from locales without files
            return
        seen: set[str] = set()
        for label, finding in _findings(entry, context):
            if finding.kind != self.kind:
                continue
            message = f"{label}: {finding.message}"
            if message not in seen:
                seen.add(message)
                yield message


@register
class GlossaryRequiredCheck(_GlossaryCheck):
    id = "glossary-required"
    name = "Glossary term missing"
    description = (
        "A glossary term of the source is not translated with its required target term "
        "(or one of its listed forms)."
    )
    severity = "warning"
    kind = "required-missing"


@register
class GlossaryForbiddenCheck(_GlossaryCheck):
    id = "glossary-forbidden"
    name = "Forbidden term"
    description = "The translation uses a word the glossary forbids (the preferred term is named)."
    severity = "error"
    kind = "forbidden-used"


@register
class GlossaryDntCheck(_GlossaryCheck):
    id = "glossary-dnt"
    name = "Do-not-translate term altered"
    description = (
        "A do-not-translate term of the source (brand, product, keyword) is missing or "
        "changed in the translation."
    )
    severity = "error"
    kind = "dnt-altered"


def _dnt_terms(context: CheckContext) -> Iterable[str]:
    if not has_terms(context):
        return
    for term in glossary_of(context).rows("dnt"):
        yield from term.target_forms


DNT_SOURCES.append(_dnt_terms)
