"""Locale names from users: validation, normalisation and CLDR plural forms."""

from __future__ import annotations

import functools
import os
import re
from typing import TYPE_CHECKING

from .errors import LocaleError

if TYPE_CHECKING:  # Babel is imported where a locale is parsed (locale_id mostly needs not)
    from babel import Locale

_LOCALE_SHAPE = re.compile(r"^[A-Za-z]{2,3}(?:[_-][A-Za-z0-9]{2,8})*(?:@[A-Za-z0-9]{1,16})?$")

#: Legacy or macro-language codes users type, mapped to the CLDR locale we keep catalogs for.
ALIASES = {"no": "nb", "no_NO": "nb_NO"}


def quoted(name: str) -> str:
    r"""``name`` in quotes as an error shows it, with characters that are not printable as
    escapes: a line feed in a locale value (``'da\nX'``) must not split the error line.

    >>> print(quoted("da\nX"), quoted("nb_NO"))
    'da\nX' 'nb_NO'
    """
    if not name.isprintable():
        name = "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii")
                       for c in name)
    return f"'{name}'"


def parse_locale(name: str) -> Locale:
    """Validate a locale typed by a user and return the Babel locale.

    Accepts POSIX (``da_DK``) and BCP 47 (``da-DK``) spellings; rejects anything that could be
    a path, and suggests close locales for unknown ones.

    >>> str(parse_locale("da-DK"))
    'da_DK'
    """
    raw = _without_posix_parts(name.strip())
    if not raw or not _LOCALE_SHAPE.match(raw):
        raise LocaleError(
            f"{quoted(name)} is not a locale name.",
            hint="Use a language code such as 'da', 'nb' or 'lt', optionally with a territory "
            "('da_DK', 'pt-BR').",
        )
    raw = _alias(raw)
    if is_undetermined(raw):
        # Babel reads 'und' as en_US (CLDR's likely subtags): an unknown language is no
        # reason to write English.
        raise LocaleError(
            f"{quoted(name)} is CLDR's 'undetermined language', not a locale.",
            hint="Leave the locale empty where the language is unknown, or give it ('da', "
            "'nb_NO', 'lt-LT').",
        )
    from babel import Locale, UnknownLocaleError

    try:
        parsed = Locale.parse(raw, sep="-" if "-" in raw else "_")
    except (UnknownLocaleError, ValueError) as exc:
        close = suggest_locales(raw)
        hint = (
            f"Did you mean {', '.join(repr(c) for c in close)}?"
            if close
            else ("Use a CLDR locale such as 'da', 'nb_NO' or 'lt_LT'.")
        )
        raise LocaleError(
            f"Unknown locale {quoted(name)}: Babel/CLDR has no data for it.", hint=hint
        ) from exc
    script = _SCRIPT_SUBTAG.search(raw.partition("@")[0])
    if script is not None and script.group(1).title() != _script_of(parsed):
        # Babel read be_Latn (be@latin) as Belarusian in Cyrillic and zh_Hant_CN as
        # Simplified Chinese: a script CLDR has no data for, dropped without a word (QA 83)
        raise LocaleError(
            f"Unknown locale {quoted(name)}: CLDR has no data for {parsed.language} in the "
            f"script '{script.group(1).title()}'.",
            hint=f"Use '{parsed}' (in {_script_of(parsed)}) or a locale CLDR has.",
        )
    variant = _VARIANT_SUBTAG.search(raw.partition("@")[0])
    if variant is not None and parsed.variant is None:
        # Babel read de-1996 as de and ca-Latn-ES-valencia as ca_ES, the variant dropped
        # without a word (QA pass 83)
        plain = str(Locale(parsed.language, parsed.territory, parsed.script))
        raise LocaleError(
            f"Unknown locale {quoted(name)}: CLDR has no data for its variant "
            f"'{variant.group(1)}'.",
            hint=f"Use '{plain}' (without the variant) or a locale CLDR has.",
        )
    if re.search(r"[_-]zz(?:$|[_@-])", raw, re.IGNORECASE):
        # CLDR's "unknown region": Babel read en_ZZ as en_US (US dollars, US payment methods)
        raise LocaleError(
            f"{quoted(name)} names CLDR's unknown region (ZZ), not a country.",
            hint=f"Give the language alone ('{parsed.language}') or with the customer's "
            "country ('en_GB').",
        )
    return parsed


def is_undetermined(name: str) -> bool:
    """Whether ``name`` is CLDR's undetermined language (``und``, ``und_DK``, ``und-Latn``).

    >>> is_undetermined("und"), is_undetermined("UND-dk"), is_undetermined("da")
    (True, True, False)
    """
    return re.split(r"[_@.-]", name.strip(), maxsplit=1)[0].lower() == "und"


#: A POSIX locale name's codeset (``da_DK.UTF-8``), which says nothing about the language.
_CODESET = re.compile(r"\.[A-Za-z0-9_-]{1,20}(?=@|$)")
#: gettext's script modifiers (``sr@latin``, the folder GNOME and many projects use for
#: Serbian in Latin letters) as CLDR scripts; Babel would read ``sr@latin`` as Serbian in
#: Cyrillic, ``uz@cyrillic`` as Uzbek in Latin letters.
_SCRIPT_MODIFIERS = {"latin": "Latn", "cyrillic": "Cyrl", "devanagari": "Deva"}
#: Modifiers that say nothing CLDR knows: glibc's ``@euro`` (a currency before the euro).
_DROPPED_MODIFIERS = {"euro"}
#: gettext's and glibc's variant modifiers as CLDR's locale (``ca@valencia``, the folder GNOME
#: and Weblate use for Valencian: CLDR's ``ca_ES_VALENCIA``), by language. BCP 47's
#: ``ca-valencia`` and ``ca-ES-valencia`` name it too; Babel read ``ca-valencia`` as Catalan.
_VARIANT_MODIFIERS = {"valencia": ("ca", "ca_ES_VALENCIA")}
_VARIANT_TAG = re.compile(
    r"^([A-Za-z]{2,3})(?:[_-](?i:latn))?(?:[_-]([A-Za-z]{2}))?[_-]([A-Za-z]{5,8})$"
)
#: A script subtag (``Latn``, ``Hant``) after the language.
_SCRIPT_SUBTAG = re.compile(r"^[A-Za-z]{2,3}[_-]([A-Za-z]{4})(?:[_-]|$)")


def _script_of(locale: Locale) -> str:
    """The script a parsed locale writes: its own, or its language's likely one (CLDR)."""
    if locale.script:
        return str(locale.script)
    from babel.core import get_global

    likely = get_global("likely_subtags").get(locale.language, "")
    parts = likely.split("_")
    return next((p for p in parts[1:] if len(p) == 4), "")


#: A BCP 47 variant subtag (``1996``, ``valencia``, ``posix``) ending a locale name.
_VARIANT_SUBTAG = re.compile(r"[_-]((?:[A-Za-z0-9]{5,8})|(?:[0-9][A-Za-z0-9]{3}))$")


def _without_posix_parts(raw: str) -> str:
    """``da_DK.UTF-8`` -> ``da_DK``, ``sr_RS@latin`` -> ``sr_Latn_RS``, ``de_DE@euro`` ->
    ``de_DE``; other names unchanged.

    >>> _without_posix_parts("sr_RS.UTF-8@latin"), _without_posix_parts("uz@cyrillic")
    ('sr_Latn_RS', 'uz_Cyrl')
    >>> _without_posix_parts("ca_ES@valencia"), _without_posix_parts("ca-valencia@euro")
    ('ca_ES_VALENCIA', 'ca_ES_VALENCIA')
    """
    raw = _CODESET.sub("", raw)
    base, at, modifier = raw.partition("@")
    if not at:
        tagged = _VARIANT_TAG.match(raw)  # ca-valencia, ca_ES_VALENCIA
        if tagged is not None and tagged.group(3).lower() in _VARIANT_MODIFIERS:
            return _variant(raw, tagged.group(1), tagged.group(2), tagged.group(3))
        return raw
    if modifier.lower() in _DROPPED_MODIFIERS:
        return _without_posix_parts(base)  # (ca-valencia@euro is Valencian)
    if modifier.lower() in _VARIANT_MODIFIERS:
        language, _, region = base.replace("-", "_").partition("_")
        return _variant(raw, language, region or None, modifier)
    script = _SCRIPT_MODIFIERS.get(modifier.lower())
    if script is None:
        return raw
    language, _, rest = base.replace("-", "_").partition("_")
    return "_".join(part for part in (language, script, rest) if part)


def _variant(raw: str, language: str, region: str | None, variant: str) -> str:
    """CLDR's locale for a language's variant (``ca`` + ``valencia``: ``ca_ES_VALENCIA``);
    LocaleError for a variant of another language (``de@valencia``) or a region the variant's
    locale is not of (``ca_FR@valencia``), which CLDR has no data for (QA pass 83)."""
    owner, identifier = _VARIANT_MODIFIERS[variant.lower()]
    home = identifier.split("_")[1]
    if language.lower() != owner or (region is not None and region.upper() != home):
        raise LocaleError(
            f"Unknown locale {quoted(raw)}: CLDR's '{variant.lower()}' variant is "
            f"{identifier} only.",
            hint=f"Use {identifier} (or {owner}@{variant.lower()}, as gettext folders write "
            "it), or leave the variant out.",
        )
    return identifier


def locale_id(name: str) -> str:
    """The canonical identifier (``da_DK``) of a user-typed locale.

    >>> locale_id("da-dk"), locale_id("no"), locale_id("NO-no"), locale_id(" LT ")
    ('da_DK', 'nb', 'nb_NO', 'lt')
    """
    raw = name.strip()
    simple = _SIMPLE_LOCALE.match(_alias(raw))
    if simple is not None:
        # A language with an optional territory whose CLDR data file Babel has: what
        # Locale.parse returns, without importing Babel (~4 ms of every command's start-up:
        # every configured locale is checked when the config loads). A test compares the two
        # for every such file.
        language, territory = simple.group(1).lower(), simple.group(2)
        identifier = language + (f"_{territory.upper()}" if territory else "")
        folder = _locale_data_folder()
        if folder is not None and os.path.isfile(os.path.join(folder, f"{identifier}.dat")):
            return identifier
    return str(parse_locale(name))


def folder_spelling(name: str) -> str:
    """How to write a user-typed locale in a configuration and as a catalog folder: as typed,
    with ``_``, where Babel's identifier adds a script gettext does not look for (``zh_CN``,
    identifier ``zh_Hans_CN``; ``sr_RS``) or the name has gettext's script modifier
    (``sr@latin``, identifier ``sr_Latn``), else the identifier (``pt-br`` -> ``pt_BR``).

    >>> folder_spelling("zh-CN"), folder_spelling("pt-br"), folder_spelling("no")
    ('zh_CN', 'pt_BR', 'nb')
    >>> folder_spelling("sr@latin"), folder_spelling("zh_CN.UTF-8")
    ('sr@latin', 'zh_CN')
    >>> folder_spelling("ca-ES-valencia")
    'ca@valencia'
    """
    identifier = locale_id(name)
    raw = _CODESET.sub("", name.strip())  # zh_CN.UTF-8: the codeset is no part of a folder's
    if raw.partition("@")[2].lower() in (*_SCRIPT_MODIFIERS, *_VARIANT_MODIFIERS):
        return raw  # gettext's script or variant modifier: sr@latin/, ca@valencia/, as GNOME's
    for variant, (language, variant_id) in _VARIANT_MODIFIERS.items():
        if identifier == variant_id:  # (ca-ES-valencia: ca@valencia/, where gettext looks;
            return f"{language}@{variant}"  # ca_ES_VALENCIA/ it never reads, QA pass 83)
    typed = _SIMPLE_LOCALE.match(raw)
    parts = identifier.split("_")
    if typed is None or len(parts) < 3 or len(parts[1]) != 4:  # no script added
        return identifier
    language, territory = typed.group(1).lower(), typed.group(2)
    spelled = language + (f"_{territory.upper()}" if territory else "")
    return spelled if locale_id(spelled) == identifier else identifier


def _alias(raw: str) -> str:
    """The locale an alias stands for, in any case (``no``, ``NO``, ``No-no``: Bokmål)."""
    written = _SIMPLE_LOCALE.match(raw)
    if written is None:
        return ALIASES.get(raw.replace("-", "_"), raw)
    language, territory = written.group(1).lower(), written.group(2)
    return ALIASES.get(language + (f"_{territory.upper()}" if territory else ""), raw)


def folder_locale(name: str) -> str:
    """The locale a catalog folder's name stands for (``sr@latin`` -> ``sr_Latn``). A name
    with a codeset (``zh_TW.Big5``: Sphinx's catalog in a legacy encoding, beside ``zh_TW``)
    is no locale folder: LocaleError, as for ``cak``."""
    if "." in name:
        raise LocaleError(
            f"{quoted(name)} is not a locale name (a codeset is no part of a folder's)."
        )
    return locale_id(name)


_SIMPLE_LOCALE = re.compile(r"^([A-Za-z]{2,3})(?:[_-]([A-Za-z]{2}))?$")


@functools.cache
def _locale_data_folder() -> str | None:
    """Babel's ``locale-data`` folder, found without importing Babel."""
    from importlib.util import find_spec

    spec = find_spec("babel")
    folders = list(spec.submodule_search_locations or []) if spec is not None else []
    return os.path.join(folders[0], "locale-data") if folders else None


@functools.lru_cache(maxsize=256)
def text_direction(locale: str) -> str:
    """``"rtl"`` for a language written right to left (CLDR's character order: Arabic,
    Hebrew, Persian, Urdu...), else ``"ltr"`` (also for a locale Babel does not know).

    >>> text_direction("ar_EG"), text_direction("he"), text_direction("da_DK")
    ('rtl', 'rtl', 'ltr')
    """
    from babel import Locale, UnknownLocaleError

    try:
        return "rtl" if Locale.parse(locale.split("@")[0]).text_direction == "rtl" else "ltr"
    except (UnknownLocaleError, ValueError, TypeError):
        return "ltr"


def suggest_locales(name: str, limit: int = 3) -> list[str]:
    """Known locale identifiers close to ``name``: same territory, same language, similar.

    >>> suggest_locales("dk")[0], suggest_locales("sh")[0]
    ('da_DK', 'sr_Latn')
    """
    from babel.core import get_global
    from babel.localedata import locale_identifiers

    known = locale_identifiers()
    wanted = name.replace("-", "_")
    lowered = {k.lower(): k for k in known}
    hits: list[str] = []
    # CLDR's alias of a retired code first: 'sh' is Serbo-Croatian, sr_Latn, not en_SH
    alias = str(get_global("language_aliases").get(wanted.split("_")[0].lower(), ""))
    if alias.lower() in lowered:
        hits.append(lowered[alias.lower()])
    territory = wanted.split("_")[-1].upper()
    hits += sorted(k for k in known if k.endswith(f"_{territory}") and k.count("_") == 1)
    language = wanted.split("_")[0].lower()
    if language in lowered and language != wanted.lower():
        hits.append(lowered[language])
    import difflib  # only for a locale nobody knows

    hits += [lowered[h] for h in difflib.get_close_matches(wanted.lower(), list(lowered), n=limit)]
    return list(dict.fromkeys(hits))[:limit]


_SAMPLE_INTEGERS = (*range(0, 1001), 10_000, 100_000, 1_000_000, 2_000_000)
_TAG_ORDER = ("zero", "one", "two", "few", "many", "other")


@functools.cache
def plural_forms(locale: str) -> tuple[int, str]:
    """``(nplurals, plural expression)`` for a locale, derived from CLDR (see
    :func:`computed_plural_forms`), read from the table shipped for this Babel when it has it.

    >>> plural_forms("lt") == computed_plural_forms("lt")
    True
    """
    name = str(parse_locale(locale))
    table = _plural_table()
    if name in table:
        return table[name]
    return computed_plural_forms(locale)


#: ``toolkit/data/plural_forms.json``: :func:`computed_plural_forms` of every locale Babel
#: knows, made by ``python -m toolkit.plural_table`` for the Babel version it names. Computing
#: one locale's rule loads its whole CLDR data (~15 ms each, most of ``update`` on a small
#: project); the table is only used with that exact Babel version, else rules are computed.
PLURAL_TABLE = "data/plural_forms.json"


@functools.cache
def _plural_table() -> dict[str, tuple[int, str]]:
    import json
    from pathlib import Path

    import babel

    try:  # next to this module (importlib.resources would cost more than reading the file)
        data = json.loads((Path(__file__).parent / PLURAL_TABLE).read_bytes())
    except (OSError, ValueError):
        return {}
    if data.get("babel") != babel.__version__:
        return {}
    forms = [(int(count), str(expr)) for count, expr in data["forms"]]
    return {name: forms[index] for name, index in data["locales"].items()}


@functools.cache
def computed_plural_forms(locale: str) -> tuple[int, str]:
    """``(nplurals, plural expression)`` for a locale, derived from CLDR.

    CLDR categories that integers never reach (Lithuanian "many", Polish "other" exist for
    fractions only) are dropped, as gettext catalogs count integers: Lithuanian gets 3 forms.
    Where the traditional gettext expression (Babel's table) agrees with CLDR on every sampled
    integer, it is used, as translators and other tools recognise it.

    >>> plural_forms("lt")[0], plural_forms("da")[0], plural_forms("ja")[0], plural_forms("ar")[0]
    (3, 2, 1, 6)
    >>> plural_forms("da")
    (2, '(n != 1)')
    """
    # Here, not at the top: babel.messages imports its catalog model, dates and time zones,
    # which a command reading the Plural-Forms table (or none) never needs.
    from babel.messages.plurals import get_plural
    from babel.plural import PluralRule, to_gettext

    if not has_cldr_plural_rules(locale):
        # Occitan, Latin, Maori...: CLDR says nothing (Babel's root "other" is no rule for
        # them); gettext's usual rule, as pybabel init writes it, keeps their singular.
        traditional = get_plural(locale)
        return traditional.num_plurals, traditional.plural_expr
    rule = parse_locale(locale).plural_form
    reached = {rule(n) for n in _SAMPLE_INTEGERS}
    tags = [tag for tag in _TAG_ORDER if tag in reached]
    kept = {tag: expr for tag, expr in rule.rules.items() if tag in reached}
    if "other" not in reached:
        kept.pop(tags[-1], None)  # the last integer category becomes the fallback
    header = to_gettext(PluralRule(kept))
    match = re.match(r"nplurals=(\d+); plural=(.*);$", header)
    if match is None:  # pragma: no cover - Babel always returns this shape
        raise LocaleError(f"Babel returned an unusable plural rule for '{locale}': {header}")
    count = int(match.group(1))
    # CLDR's compact-exponent operands (e, c) are 0 for plain integers; gettext has no name
    # for them.
    expr = re.sub(r"\b[ec]\b", "0", match.group(2))
    if _CONSTANT_TEST.search(expr):
        expr = _folded(expr)
    traditional = get_plural(locale)
    if traditional.num_plurals == count and _same_plural(traditional.plural_expr, expr):
        return count, traditional.plural_expr
    return count, expr


@functools.cache
def has_cldr_plural_rules(locale: str) -> bool:
    """Whether CLDR has plural rules for the locale's language (117 languages it knows, such
    as Occitan, Latin and Maori, have none: Babel gives them root's single form).

    >>> has_cldr_plural_rules("da_DK"), has_cldr_plural_rules("ja"), has_cldr_plural_rules("oc")
    (True, True, False)
    """
    import pickle

    from babel.localedata import resolve_locale_filename

    language = parse_locale(locale).language
    # The language's own data file, read here: babel.localedata.load(merge_inherited=False)
    # caches the unmerged data under the locale's name, and every later Locale of it lacked
    # its inherited formats (KeyError None, "'standard' is not a known currency format").
    try:
        with open(resolve_locale_filename(language), "rb") as handle:
            return "plural_form" in pickle.load(handle)  # noqa: S301 - Babel's own data file
    except (OSError, ValueError, pickle.UnpicklingError):  # no data file of its own
        return False


#: A comparison of constants, left where CLDR's e and c operands became 0: ``(0 == 0)``.
_CONSTANT_TEST = re.compile(r"\b0 (?:==|>=|<=|!=|<|>) \d")
#: Rewrites of constant parts (each kept only if the rule still picks the same form for
#: every sampled number): ``!(n == 0)`` -> ``n != 0``, ``(0 == 0)`` -> ``1``, ``X && 1`` -> ``X``.
_FOLDS = (
    (re.compile(r"!\(\(?(n(?: % \d+)?) == (\d+)\)?\)"), r"\1 != \2"),
    (re.compile(r"\(0 == 0\)"), "1"),
    (re.compile(r"\(0 >= 0 && 0 <= \d+\)"), "1"),
    (re.compile(r"!\(1\)|!1\b"), "0"),
    (re.compile(r"!\(0\)|!0\b"), "1"),
    (re.compile(r"\((\d+)\)"), r"\1"),
    (re.compile(r" && 1\b(?! *[=!<>%?])"), ""),
    (re.compile(r"(?<![=!<>%] )\b1 && "), ""),
    (re.compile(r" \|\| 0\b(?! *[=!<>%?])"), ""),
    (re.compile(r"(?<![=!<>%] )\b0 \|\| "), ""),
)


def _folded(expr: str) -> str:
    """``expr`` without its constant comparisons and the parentheses they leave: Galician's
    and Portuguese's rule read ``(((((((0 == 0)) && (!((n == 0)))) && ...`` where Portugal's
    is ``(n == 1 ? 0 : n != 0 && n % 1000000 == 0 ? 1 : 2)`` (QA pass 78). Every step is kept
    only if the rule picks the same form for every sampled number; parentheses go only around
    an ``&&`` chain or one term (never after ``!``), where precedence cannot regroup them.

    >>> _folded("(((n == 1)) && ((0 == 0))) ? 0 : 1")
    '(n == 1 ? 0 : 1)'
    """
    current = expr
    for _ in range(100):
        before = current
        for pattern, replacement in _FOLDS:
            candidate = pattern.sub(replacement, current)
            if candidate != current and _same_or_invalid(candidate, expr):
                current = candidate
        for start, end in _paren_pairs(current):
            inside = current[start + 1 : end]
            if (start and current[start - 1] == "!") or "||" in inside or "?" in inside:
                continue
            candidate = current[:start] + inside + current[end + 1 :]
            if _same_or_invalid(candidate, expr):
                current = candidate
                break
        if current == before:
            break
    return f"({current})" if "?" in current and not current.startswith("(") else current


def _same_or_invalid(candidate: str, expr: str) -> bool:
    try:
        return _same_plural(candidate, expr)
    except ValueError:  # (a rewrite that unbalanced the parentheses)
        return False


def _paren_pairs(text: str) -> list[tuple[int, int]]:
    """Positions of matching parentheses, in the order they open."""
    stack: list[int] = []
    found: list[tuple[int, int]] = []
    for index, character in enumerate(text):
        if character == "(":
            stack.append(index)
        elif character == ")" and stack:
            found.append((stack.pop(), index))
    return sorted(found)


def _same_plural(first: str, second: str) -> bool:
    import gettext

    a, b = gettext.c2py(first), gettext.c2py(second)
    return all(a(n) == b(n) for n in _SAMPLE_INTEGERS)


def plural_forms_header(locale: str) -> str:
    """The ``Plural-Forms`` header value for a locale."""
    count, expr = plural_forms(locale)
    return f"nplurals={count}; plural={expr};"


_TERRITORY_CODE = re.compile(r"^(?:[A-Z]{2}|[0-9]{3})$")


def likely_script(language: str, territory: str | None = None) -> str | None:
    """CLDR's likely script of a language (in a territory), as its likely subtags give it, or
    None where they give none.

    >>> likely_script("zh"), likely_script("zh", "TW"), likely_script("sr"), likely_script("da")
    ('Hans', 'Hant', 'Cyrl', 'Latn')
    """
    from babel.core import get_global

    subtags = get_global("likely_subtags")
    keys = ([f"{language}_{territory.upper()}"] if territory else []) + [language]
    full = str(next((subtags[k] for k in keys if k in subtags), ""))
    return next((p for p in full.split("_")[1:] if len(p) == 4), None)


def territory_for_locale(locale: str) -> str | None:
    """The territory of a locale; for a language-only locale, CLDR's likely territory.

    Raises LocaleError for a name Babel does not know.

    >>> territory_for_locale("nb_NO"), territory_for_locale("lt"), territory_for_locale("no")
    ('NO', 'LT', 'NO')
    """
    from babel.core import get_global

    parsed = parse_locale(locale)
    if parsed.territory:
        return str(parsed.territory)
    likely = get_global("likely_subtags")
    keys = [f"{parsed.language}_{parsed.script}"] if parsed.script else []
    for key in [*keys, parsed.language]:
        full = likely.get(key)
        if full:
            last = str(full).split("_")[-1]
            if _TERRITORY_CODE.match(last):
                return last
    return None
