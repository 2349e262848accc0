"""Plural forms: the header's rule and each plural entry's number of forms, against CLDR."""

from __future__ import annotations

import gettext
import re
from collections.abc import Iterator

from babel import Locale

from .base import CatalogCheck, CheckContext, Entry, EntryCheck, Problem, register

_HEADER = re.compile(r"^\s*nplurals\s*=\s*(\d+)\s*;\s*plural\s*=\s*(.+?)\s*;?\s*$", re.DOTALL)
_SAMPLE = range(1001)


def _language_name(locale: str) -> str:
    try:
        return str(Locale.parse(locale).english_name)
    except (ValueError, TypeError):
        return locale


def header_plural_forms(context: CheckContext) -> tuple[int, str] | None:
    """``(nplurals, expression)`` as written in the catalog header, or None."""
    value = context.header.get("plural-forms")
    if value is None:
        return None
    match = _HEADER.match(value)
    return (int(match.group(1)), match.group(2)) if match else (0, value)


@register
class PluralHeaderCheck(CatalogCheck):
    id = "plural-header"
    name = "Plural-Forms header"
    description = (
        "The header's Plural-Forms disagrees with CLDR's rule for the locale (compared on the "
        "numbers 0-1000): plural messages pick the wrong form."
    )
    severity = "error"

    def check(self, context: CheckContext) -> Iterator[Problem]:
        fix = f"run 'toolkit update --locale {context.locale}' to correct it."
        header = header_plural_forms(context)
        from ..locales import plural_forms

        count, expected = plural_forms(context.locale)
        language = _language_name(context.locale)
        if header is None:
            yield Problem(f"no Plural-Forms header; {language} needs {count} forms; {fix}")
            return
        nplurals, expr = header
        if nplurals == 0:
            yield Problem(f"Plural-Forms '{expr}' cannot be read; {fix}")
            return
        if nplurals != count:
            yield Problem(
                f"Plural-Forms has nplurals={nplurals}; {language} needs {count} (CLDR); {fix}"
            )
            return
        try:
            rule = gettext.c2py(expr)
        except (ValueError, SyntaxError) as exc:
            yield Problem(f"Plural-Forms expression '{expr}' is not valid C ({exc}); {fix}")
            return
        reference = gettext.c2py(expected)
        wrong = [n for n in _SAMPLE if rule(n) != reference(n)]
        if wrong:
            n = wrong[0]
            yield Problem(
                f"Plural-Forms picks form {rule(n)} for n={n}, CLDR form {reference(n)} "
                f"({len(wrong)} of the numbers 0-1000 differ); {fix}"
            )
        elif any(rule(n) >= count for n in _SAMPLE):
            yield Problem(f"Plural-Forms returns a form number >= nplurals; {fix}")


@register
class PluralFormsCheck(EntryCheck):
    id = "plural-forms"
    name = "Number of plural forms"
    description = (
        "A plural entry with more or fewer msgstr[n] forms than the locale has: msgfmt "
        "rejects the catalog."
    )
    severity = "error"
    untranslated = True

    def check(self, entry: Entry, context: CheckContext) -> Iterator[str]:
        if entry.msgid_plural is None or entry.form_count == context.nplurals:
            return
        language = _language_name(context.locale)
        yield (
            f"{entry.form_count} plural forms, {language} needs {context.nplurals}; run "
            f"'toolkit update --locale {context.locale}' or add the missing msgstr[n]."
        )
