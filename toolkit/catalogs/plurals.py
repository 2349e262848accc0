"""A catalog's plural rule: the header as written, whether gettext accepts it, and conversion.

A catalog is judged by its own ``Plural-Forms`` header: Transifex writes Lithuanian with four
forms (one for fractions), Weblate writes French as ``nplurals=2; plural=n > 1``; msgfmt and
Python's gettext accept both, and translators filled every form. ``update`` keeps such a
header. Converting a catalog to CLDR's rule only happens when asked, and maps forms by
evaluating both rules over the integers, so no translated text is lost.
"""

from __future__ import annotations

import functools
import gettext
import re
import warnings
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from babel.messages.catalog import Catalog, Message

from .entry import entries

if TYPE_CHECKING:
    from .pofile import PoFile

#: The integers both rules are evaluated on: what catalogs count (0-1000, then large numbers).
SAMPLE_INTEGERS = (*range(0, 1001), 10_000, 100_000, 1_000_000, 2_000_000, 1_000_001)
#: msgfmt's own limit on a plural expression's forms (``nplurals`` above it is rejected).
MAX_NPLURALS = 100
_HEADER = re.compile(r"^\s*nplurals\s*=\s*(\d+)\s*;\s*plural\s*=\s*(.+?)\s*;?\s*$", re.DOTALL)
#: Translator-comment prefix for a form text that had no place in the converted rule.
UNMAPPED_PREFIX = "plural form not mapped:"


def unmapped_comment(index: int, text: str) -> str:
    """The translator comment that keeps ``msgstr[index]``'s text when the catalog's rule has
    no place for it (one line: backslashes and line breaks escaped).

    >>> unmapped_comment(2, 'a "b"\\nc')
    'plural form not mapped: msgstr[2] was "a "b"\\\\nc"'
    """
    note = text.replace("\\", "\\\\").replace("\n", "\\n")
    return f'{UNMAPPED_PREFIX} msgstr[{index}] was "{note}"'


@dataclass(frozen=True)
class PluralForms:
    """A ``Plural-Forms`` rule: number of forms and the C expression choosing one."""

    nplurals: int
    expr: str

    @property
    def header(self) -> str:
        """The header value, ``nplurals=2; plural=(n != 1);``."""
        return f"nplurals={self.nplurals}; plural={self.expr};"

    def rule(self) -> Callable[[int], int]:
        """The expression as a Python function (gettext's own C-expression compiler)."""
        return gettext.c2py(self.expr)

    def same_as(self, other: PluralForms) -> bool:
        """Whether both rules pick the same form for every sampled integer."""
        return self.nplurals == other.nplurals and sample_forms(self.expr) == sample_forms(
            other.expr
        )


@functools.lru_cache(maxsize=256)
def sample_forms(expr: str) -> tuple[int, ...]:
    """The form a (valid) expression picks for each sampled integer (:data:`SAMPLE_INTEGERS`,
    0-1000 first): catalogs of a project mostly share a handful of rules, and evaluating one
    costs ~0.3 ms."""
    rule = gettext.c2py(expr)
    return tuple(rule(n) for n in SAMPLE_INTEGERS)


class PluralFormsError(ValueError):
    """A Plural-Forms header gettext would reject; the message says why."""


@functools.lru_cache(maxsize=256)
def parse_plural_forms(value: str) -> PluralForms:
    """Parse and validate a header value the way msgfmt ``--check-header`` does.

    >>> parse_plural_forms("nplurals=2; plural=n > 1;").nplurals
    2
    >>> parse_plural_forms("nplurals=2; plural=(n%10==1 ? 0 : n ? 1 : 2);")
    Traceback (most recent call last):
    ...
    toolkit.catalogs.plurals.PluralFormsError: the expression gives form 2 (for n=0), but nplurals=2
    """
    match = _HEADER.match(value)
    if match is None:
        raise PluralFormsError(f"'{value}' is not 'nplurals=N; plural=EXPRESSION;'")
    nplurals, expr = int(match.group(1)), match.group(2).strip()
    if not 1 <= nplurals <= MAX_NPLURALS:
        raise PluralFormsError(f"nplurals={nplurals} is out of range")
    try:
        rule = gettext.c2py(expr)
    except (ValueError, SyntaxError) as exc:
        raise PluralFormsError(f"'{expr}' is not a valid plural expression ({exc})") from exc
    for n in SAMPLE_INTEGERS:
        try:
            form = rule(n)
        except ZeroDivisionError as exc:
            raise PluralFormsError(f"the expression divides by zero for n={n}") from exc
        if not 0 <= form < nplurals:
            raise PluralFormsError(
                f"the expression gives form {form} (for n={n}), but nplurals={nplurals}"
            )
    return PluralForms(nplurals, expr)


def written_plural_forms(header: str | None) -> PluralForms | None:
    """The rule of a header value as written, or None when it is missing or invalid."""
    if header is None:
        return None
    try:
        return parse_plural_forms(header)
    except PluralFormsError:
        return None


@functools.cache
def _wide_integers() -> tuple[int, ...]:
    """Whole numbers beyond :data:`SAMPLE_INTEGERS` a rule may single out (``n==5000``,
    ``n>2000000``): each of 1-99 times a power of ten, and its neighbours (built on first
    use: compile and check import this module)."""
    return tuple(
        sorted({k * 10**j + d for k in range(1, 100) for j in range(1, 10) for d in (-1, 0, 1)})
    )


#: Fractions a fraction form is for (Transifex's Polish gives 0.5 form 2, 1.5 form 3).
_FRACTIONS = (0.5, 1.5, 2.5, 5.5, 11.5, 21.5, 0.1, 1.1, 101.5, 1000.5)


@functools.lru_cache(maxsize=64)
def unreached_forms(header: str | None) -> frozenset[int]:
    """The forms of a Plural-Forms value kept for fractions, which no whole number picks:
    Transifex's 4-form Lithuanian and Polish keep one (``n % 1 != 0``), which gettext's
    unsigned counts never reach. An entry whose other forms are all written is translated, as
    msgfmt counts it; an empty form there shows no customer anything. A form no sampled
    number picks, whole or fraction (``n==5000 ? 3``, between samples), is not one: its empty
    text could still reach a customer (QA pass 83); the numbers the rule names, and those
    within 100 of them, are tried too. Empty for a missing or invalid value."""
    rule = written_plural_forms(header)
    if rule is None:
        return frozenset()
    unreached = frozenset(range(rule.nplurals)).difference(sample_forms(rule.expr))
    if not unreached:
        return unreached
    evaluate = rule.rule()
    # ... and the whole numbers the rule itself names, with those around them: a form for
    # "n == 123456789" or "n % 7919 == 7918" alone is reached (QA pass 83)
    named = {int(x) for x in re.findall(r"\d+", rule.expr)}
    near = {n + d for n in named for d in range(-100, 101) if n + d >= 0}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # (a float count, on purpose)
        try:
            fractions = {evaluate(x) for x in _FRACTIONS}  # type: ignore[arg-type]
            wide = {evaluate(n) for n in (*_wide_integers(), *sorted(near))}
        except (TypeError, ZeroDivisionError):  # (a Python refusing fractions: none unreached)
            return frozenset()
    return frozenset(unreached & fractions - wide)


def header_plural_forms(header: str | None) -> str | None:
    """The ``Plural-Forms`` value of a header entry's text, as written: the last one of a
    header that has two, which Python's gettext reads and status judges by (QA pass 83)."""
    found = None
    for line in (header or "").splitlines():
        name, colon, value = line.partition(":")
        if colon and name.strip().lower() == "plural-forms":
            found = value.strip()
    return found


def judged_plural_forms(header: str | None, locale: str) -> tuple[int, str]:
    """``(nplurals, plural expression)`` a catalog is judged and edited by: its own
    Plural-Forms when gettext accepts it (Transifex's 4 Lithuanian forms, Weblate's French
    ``n > 1``), CLDR's only when the header is missing or unusable."""
    rule = written_plural_forms(header)
    if rule is not None:
        return rule.nplurals, rule.expr
    from ..locales import plural_forms

    return plural_forms(locale)


def catalog_nplurals(po: PoFile, locale: str) -> int:
    """The plural forms a read catalog's entries have (:func:`judged_plural_forms` of its
    header): what ``translate`` fills and ``xliff export`` writes units for."""
    return judged_plural_forms(po.layout.header.get("plural-forms"), locale)[0]


def cldr_plural_forms(locale: str) -> PluralForms:
    """The rule new catalogs get: CLDR's integer categories (see docs/catalogs.md)."""
    from ..locales import plural_forms

    count, expr = plural_forms(locale)
    return PluralForms(count, expr)


def set_header(catalog: Catalog, forms: PluralForms) -> None:
    """Write ``forms`` into the catalog's Plural-Forms header."""
    headers = [(k, v) for k, v in catalog.mime_headers if k.lower() != "plural-forms"]
    headers.append(("Plural-Forms", forms.header))
    catalog.mime_headers = headers


def _spread(old: PluralForms, new: PluralForms) -> list[Counter[int]]:
    """For each new form, how many sampled integers each old form served."""
    before, after = sample_forms(old.expr), sample_forms(new.expr)
    used: list[Counter[int]] = [Counter() for _ in range(new.nplurals)]
    for was, now in zip(before, after, strict=True):
        if now < new.nplurals:
            used[now][was] += 1
    return used


def form_mapping(old: PluralForms, new: PluralForms) -> list[tuple[int, bool]]:
    """For each new form, ``(old form, exact)``: the old form used for its numbers.

    ``exact`` is False when the new form's numbers were spread over several old forms: the
    old form of its smallest positive number is taken, the number CLDR names a category by
    (Portuguese "one" is 0 and 1, Russian "one" 1, 21, 31...: the singular ``n != 1`` gave
    1, not the plural it gave 0 or 21; QA pass 72). A translator reviews such an entry.

    >>> lt_tx = PluralForms(4, "(n % 10 == 1 && (n % 100 > 19 || n % 100 < 11) ? 0 : "
    ...     "(n % 10 >= 2 && n % 10 <=9) && (n % 100 > 19 || n % 100 < 11) ? 1 : "
    ...     "n % 1 != 0 ? 2: 3)")
    >>> form_mapping(lt_tx, PluralForms(3, "(n%10==1 && n%100!=11 ? 0 : "
    ...     "n%10>=2 && (n%100<10 || n%100>=20) ? 1 : 2)"))
    [(0, True), (1, True), (3, True)]
    >>> form_mapping(PluralForms(2, "(n != 1)"), PluralForms(2, "(n > 1)"))
    [(0, False), (1, True)]
    """
    before, after = sample_forms(old.expr), sample_forms(new.expr)
    spread = _spread(old, new)
    first: dict[int, int] = {}  # new form -> the old form of its smallest positive number
    for n, was, now in zip(SAMPLE_INTEGERS, before, after, strict=True):
        if n > 0:
            first.setdefault(now, was)
    mapping = []
    for index, counts in enumerate(spread):
        if not counts:  # a form no integer reaches: the nearest old form of the same index
            mapping.append((min(index, old.nplurals - 1), False))
            continue
        form = first.get(index, next(iter(counts)))  # (only 0 in it: 0's old form)
        mapping.append((form, len(counts) == 1))
    return mapping


def singular_and_other(forms: PluralForms, locale: str) -> tuple[int, int]:
    """The form a catalog's rule uses for 1, and the one it uses for CLDR's "other" numbers
    of its locale: the forms a translation memory pairs with the msgid and the msgid_plural.
    With CLDR's order, the first and the last form; GNOME's Slovenian rule gives 1 its
    msgstr[1] and "other" (5, 6, ...) msgstr[0] (QA pass 72).

    >>> singular_and_other(PluralForms(4, "(n%100==1 ? 1 : n%100==2 ? 2 : "
    ...                                   "n%100==3 || n%100==4 ? 3 : 0)"), "sl")
    (1, 0)
    >>> singular_and_other(PluralForms(3, "(n%10==1 && n%100!=11 ? 0 : "
    ...     "n%10>=2 && (n%100<10 || n%100>=20) ? 1 : 2)"), "lt")
    (0, 2)
    """
    one = sample_forms(forms.expr)[1]
    try:
        cldr = cldr_plural_forms(locale)
    except Exception:  # noqa: BLE001 - a locale CLDR has no rule for: the last form
        return one, forms.nplurals - 1
    return one, form_mapping(forms, cldr)[-1][0]


@dataclass(frozen=True)
class Conversion:
    """What converting a catalog's plural entries did."""

    old: PluralForms
    new: PluralForms
    entries: int  # plural entries with a translation
    fuzzy: int  # of those, marked fuzzy: a text without a place, or an inexact mapping


def convert_plural_forms(catalog: Catalog, old: PluralForms, new: PluralForms) -> Conversion:
    """Re-index every plural entry from rule ``old`` to rule ``new`` and set the header.

    A text that no new form takes is kept in a translator comment and the entry is marked
    fuzzy, so a translator decides; nothing is dropped.
    """
    mapping = form_mapping(old, new)
    spread = [sorted(counts) for counts in _spread(old, new)]
    changed = fuzzy = 0
    for message in (*entries(catalog), *catalog.obsolete.values()):
        if not message.pluralizable:
            continue
        strings = _strings(message)
        if not any(strings):
            message.string = tuple("" for _ in range(new.nplurals))
            continue
        changed += 1
        converted = tuple(strings[form] if form < len(strings) else "" for form, _ in mapping)
        placed = set(converted)
        unmapped = [
            (index, text)
            for index, text in enumerate(strings)
            if text and text not in placed
        ]
        # A new form whose numbers had several old forms is a guess, unless their texts are
        # one and the same (a catalog that wrote "%(n)d天" in both: nothing to choose).
        inexact = any(
            len({strings[old_form] for old_form in forms if old_form < len(strings)}) > 1
            if forms  # (a form no integer reaches took the old text of its index: a guess)
            else bool(form < len(strings) and strings[form])
            for forms, (form, _) in zip(spread, mapping, strict=True)
        )
        # From a single form to several (an Occitan catalog an earlier version wrote with
        # nplurals=1): its one text was written for every number; the singular needs a look.
        split = old.nplurals == 1 < new.nplurals
        for index, text in unmapped:
            message.user_comments.append(unmapped_comment(index, text))
        message.string = converted
        if unmapped or inexact or split:
            message.flags.add("fuzzy")
            fuzzy += 1
    set_header(catalog, new)
    return Conversion(old=old, new=new, entries=changed, fuzzy=fuzzy)


def _strings(message: Message) -> Sequence[str]:
    string = message.string
    if isinstance(string, (list, tuple)):
        return [str(s or "") for s in string]
    return [str(string or "")]
