"""Brand safety in every translation: payment-method brand names and the project's declared
``brands`` must reach the translation verbatim (see :mod:`toolkit.brands`)."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator

from ..brands import INFLECTING, PRONOUN_LANGUAGES, altered_names, find_names
from .base import DNT_SOURCES, CheckContext, Entry, EntryCheck, register


def _names(context: CheckContext) -> tuple[str, ...]:
    """Protected names of the catalog's project, without the glossary's dnt terms (the
    ``glossary-dnt`` check reports those, with the glossary's own forms)."""

    def load() -> tuple[str, ...]:
        from ..brands import protected_names
        from .glossary import glossary_of, has_terms

        glossary_dnt: set[str] = set()
        if has_terms(context):  # no glossary files: no glossary module is imported
            dnt = glossary_of(context).rows("dnt")
            glossary_dnt = {form for term in dnt for form in term.target_forms}
            glossary_dnt |= {term.source for term in dnt}
        return tuple(n for n in protected_names(context.config) if n not in glossary_dnt)

    return context.memo("brand-names", load)


@register
class BrandNameCheck(EntryCheck):
    id = "brand-name"
    name = "Brand name changed"
    description = (
        "A payment-method brand (PayPal, MobilePay...) or a brand the project declares in "
        "'brands' is missing or changed in the translation."
    )
    severity = "error"

    def check(self, entry: Entry, context: CheckContext) -> Iterator[str]:
        names = _names(context)
        inflecting = context.language in INFLECTING
        pronouns = context.language in PRONOUN_LANGUAGES
        for pair in entry.pairs():
            if not _names_in(pair.source, names):
                continue  # most sources name no brand: the translation is not searched
            for name in altered_names(pair.source, pair.translation, names,
                                      inflecting=inflecting, pronouns=pronouns):  # fmt: skip
                yield f"{pair.label}: '{name}' must stay exactly as in the source"


@functools.lru_cache(maxsize=65536)
def _names_in(source: str, names: tuple[str, ...]) -> bool:
    """Whether ``source`` names a protected name (cached: sources repeat in every locale)."""
    return bool(find_names(source, names))


def _brand_dnt(context: CheckContext) -> Iterable[str]:
    return _names(context)


DNT_SOURCES.append(_brand_dnt)
