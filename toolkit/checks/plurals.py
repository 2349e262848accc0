"""Plural forms: the header's rule (valid for gettext, compared with CLDR) and each plural
entry's number of forms (against the catalog's own rule)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from babel import Locale

from ..locales import has_cldr_plural_rules
from .base import CatalogCheck, CheckContext, Entry, EntryCheck, Problem, register

_HEADER = re.compile(r"^\s*nplurals\s*=\s*(\d+)\s*;\s*plural\s*=\s*(.+?)\s*;?\s*$", re.DOTALL)


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
        "The Plural-Forms header is missing or gettext rejects it (error); a valid rule that "
        "differs from CLDR's for the locale on the integers is a warning."
    )
    severity = "error"

    def check(self, context: CheckContext) -> Iterator[Problem]:
        from ..catalogs.plurals import (
            PluralFormsError,
            cldr_plural_forms,
            parse_plural_forms,
            sample_forms,
        )

        fix = f"run 'toolkit update --locale {context.locale}' to correct it."
        cldr = cldr_plural_forms(context.locale)
        value = context.header.get("plural-forms")
        if value is None:
            # msgfmt only needs the header once the catalog has plural entries.
            language = _language_name(context.locale)  # English locale data: only when said
            translated = any(
                e.plural and e.strings and e.strings[0] and not e.fuzzy for e in context.entries
            )
            yield Problem(
                f"no Plural-Forms header; {language} needs {cldr.nplurals} forms; {fix}",
                # msgfmt needs it only once a plural entry is translated: not fuzzy, and
                # msgstr[0] not empty (msgfmt's own notion of a translated entry).
                severity=None if translated else "warning",
            )
            return
        first = context.header_first.get("plural-forms")
        if first is not None:
            # Python's gettext reads the last line, C gettext and msgfmt the first: the same
            # count picks different texts in different apps (QA pass 83)
            yield Problem(
                f"two Plural-Forms lines that differ ('{first}', then '{value}'): C gettext "
                "and msgfmt read the first, Python's gettext and the toolkit the last; delete "
                "the one that is wrong."
            )
        try:
            own = parse_plural_forms(value)
        except PluralFormsError as exc:
            yield Problem(f"Plural-Forms cannot be used: {exc}; {fix}")
            return
        if own.same_as(cldr) or not context.warnings:
            return  # (what follows is a warning: it names the language, from CLDR's data)
        if not has_cldr_plural_rules(context.locale):
            if own.nplurals == 1 < cldr.nplurals:  # an earlier version's single form
                yield Problem(
                    f"Plural-Forms has one form, so singular and plural cannot differ; CLDR "
                    f"has no plural rules for {_language_name(context.locale)}, and gettext's "
                    f"usual rule has {cldr.nplurals} ({cldr.expr}). If the language tells them "
                    f"apart, run 'toolkit update --locale {context.locale} --plural-forms cldr'.",
                    severity="warning",
                )
            return  # a rule of the catalog's own: nothing of CLDR's to compare it with
        before, after = sample_forms(own.expr)[:1001], sample_forms(cldr.expr)[:1001]  # 0-1000
        differ = [n for n in range(1001) if before[n] != after[n]]
        language = _language_name(context.locale)
        convert = f"'toolkit update --locale {context.locale} --plural-forms cldr'"
        if not differ:  # Transifex's 4-form Lithuanian: a form only fractions would reach
            unused = sorted(set(range(own.nplurals)) - set(before))
            forms = ", ".join(f"msgstr[{i}]" for i in unused) or "none"
            yield Problem(
                f"Plural-Forms has {own.nplurals} forms where CLDR's rule for {language} has "
                f"{cldr.nplurals}; both pick the same form for every whole number 0-1000, and "
                f"only a fraction (1.5) picks {forms}. The catalog's own rule is used; to "
                f"convert, run {convert}.",
                severity="warning",
            )
            return
        renumbered: dict[int, int] = {}
        for n in range(1001):
            renumbered.setdefault(before[n], after[n])
        if all(renumbered[before[n]] == after[n] for n in range(1001)) and len(
            set(renumbered.values())
        ) == len(renumbered):
            # French "n > 1" against CLDR's one/many/other: the same groups of whole numbers
            # 0-1000 under other form numbers ("999 of 0-1000 differ" overstated it).
            shown = ", ".join(f"msgstr[{a}] is CLDR's msgstr[{b}]"
                              for a, b in sorted(renumbered.items()) if a != b)  # fmt: skip
            rest = [
                f"{whose}{', '.join(f'msgstr[{i}]' for i in unused)}"
                for whose, unused in (
                    ("the catalog's ", sorted(set(range(own.nplurals)) - set(renumbered))),
                    ("CLDR's ", sorted(set(range(cldr.nplurals)) - set(renumbered.values()))),
                )
                if unused
            ]
            reached = " and ".join(rest)
            beyond = f"; only larger numbers or fractions reach {reached}" if rest else ""
            yield Problem(
                f"Plural-Forms (nplurals={own.nplurals}) groups every whole number 0-1000 as "
                f"CLDR's rule for {language} (nplurals={cldr.nplurals}) does, numbered "
                f"differently ({shown}){beyond}. The catalog's own rule is used; to convert, "
                f"run {convert}.",
                severity="warning",
            )
            return
        yield Problem(
            f"Plural-Forms (nplurals={own.nplurals}) differs from CLDR's rule for {language} "
            f"(nplurals={cldr.nplurals}; e.g. n={differ[0]}; {len(differ)} of 0-1000 "
            f"differ). The catalog's own rule is used; to convert, run {convert}.",
            severity="warning",
        )


@register
class PluralFormsCheck(EntryCheck):
    id = "plural-forms"
    name = "Number of plural forms"
    description = (
        "A translated plural entry with more or fewer msgstr[n] forms than the catalog's "
        "Plural-Forms has (CLDR's count without a usable header): msgfmt rejects the catalog. "
        "An untranslated one is not reported (msgfmt accepts it; update gives it the count)."
    )
    severity = "error"
    untranslated = True

    def check(self, entry: Entry, context: CheckContext) -> Iterator[str]:
        if entry.msgid_plural is None or entry.form_count == context.nplurals:
            return
        if not entry.strings or not entry.strings[0]:
            # msgfmt counts an entry with an empty msgstr[0] as untranslated and accepts any
            # count; update gives it the rule's.
            return
        language = _language_name(context.locale)
        fix = (
            "add the missing msgstr[n]"
            if entry.form_count < context.nplurals
            else ("remove the msgstr[n] it has no place for")
        )
        yield (
            f"{entry.form_count} plural forms, the catalog's Plural-Forms has "
            f"{context.nplurals} ({language}); {fix} or run "
            f"'toolkit update --locale {context.locale}'."
        )
