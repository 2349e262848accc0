"""Where an entry stands in the translation workflow: untranslated, fuzzy, unreviewed MT."""

from __future__ import annotations

from collections.abc import Iterator

from .base import CheckContext, Entry, EntryCheck, register


@register
class UntranslatedCheck(EntryCheck):
    id = "untranslated"
    name = "Untranslated"
    description = "No translation (or some plural forms empty): customers see the source text."
    severity = "warning"
    untranslated = True

    def check(self, entry: Entry, context: CheckContext) -> Iterator[str]:
        if not entry.has_translation:
            yield "not translated."
        elif not all(entry.strings):
            unreached = _unreached(context) if entry.plural else frozenset()
            empty = [f"msgstr[{i}]" for i, text in enumerate(entry.strings) if not text]
            if entry.complete(unreached):  # only a form no whole number picks is empty
                yield (
                    f"{', '.join(empty)} not translated: only a fraction (1.5) picks it, so "
                    "the entry compiles, and a fractional count shows the source text."
                )
                return
            yield (
                f"{', '.join(empty)} not translated: compile leaves the entry out (customers "
                "see the source text) until every form is filled; the rest still compiles."
            )


def _unreached(context: CheckContext) -> frozenset[int]:
    """The catalog's plural forms no whole number picks (see compile)."""
    from ..catalogs.plurals import unreached_forms

    written = next((v for k, v in context.header.items() if k.lower() == "plural-forms"), None)
    return context.memo("unreached-forms", lambda: unreached_forms(written))


@register
class FuzzyCheck(EntryCheck):
    id = "fuzzy"
    name = "Fuzzy"
    description = (
        "Marked fuzzy (a changed source or a guessed match) and not reviewed: compile leaves "
        "it out."
    )
    severity = "warning"
    untranslated = True

    def check(self, entry: Entry, context: CheckContext) -> Iterator[str]:
        if entry.fuzzy and entry.provenance is None:
            yield "fuzzy: review the translation and remove the fuzzy flag."


@register
class MachineTranslatedCheck(EntryCheck):
    id = "mt-unreviewed"
    name = "Machine translation not reviewed"
    description = (
        "Machine-translated (a '# mt:' comment) and still fuzzy: a person has not reviewed it."
    )
    severity = "warning"

    def check(self, entry: Entry, context: CheckContext) -> Iterator[str]:
        provenance = entry.provenance if entry.fuzzy else None
        if provenance is not None:
            yield f"machine translation not reviewed ({provenance}); review it and remove fuzzy."
