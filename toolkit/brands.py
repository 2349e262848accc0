"""Brand safety: names that no translation may change.

The protected names of a project are the brand names of the payment methods (``PayPal``,
``MobilePay``, ``Klarna``...; generic names such as "Online banking" are messages instead),
the brand and product names the project declares (``brands`` in ``[tool.toolkit]``) and, through
the glossary, every ``dnt`` term. A new project is protected without writing a glossary:

- ``toolkit translate`` masks every protected name before machine translation and restores it
  verbatim (:class:`BrandTerms` wraps the glossary's MT hook);
- ``toolkit check`` reports a translation that drops or changes a protected name of its source
  as an error (``brand-name``, :mod:`toolkit.checks.brands`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .config import ProjectConfig
    from .mt.terms import Terms


def protected_names(config: ProjectConfig | None) -> tuple[str, ...]:
    """The project's declared brands and the payment brand names, longest first."""
    declared = config.brands if config is not None else ()
    names = dict.fromkeys([*declared, *payment_brand_names()])
    return tuple(sorted(names, key=lambda n: (-len(n), n)))


@functools.cache
def payment_brand_names() -> tuple[str, ...]:
    """:func:`toolkit.payments.brand_names` of the shipped payment data, read straight from its
    JSON: building and validating the whole data (``payment_data()``) costs ~25 ms of every
    ``translate``, ``check`` and first ``compile``, which need only these names. A test keeps
    the two equal."""
    import json
    from pathlib import Path

    # Next to this module (importlib.resources costs ~4 ms of imports for the same file).
    data = (Path(__file__).parent / "data" / "payments.json").read_bytes()
    methods = json.loads(data)["methods"]
    names = {
        entry["name"]
        for entry in methods.values()
        if entry.get("status") == "active" and entry.get("name_kind", "brand") == "brand"
    }
    return tuple(sorted(names, key=lambda n: (-len(n), n)))


#: A letter that continues a word around a Latin name: any but the Chinese, Japanese and
#: Korean scripts, which write no space between words ("PayPalアカウント", "PayPal은").
_WORD = "[^\\W\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff66-\uff9f]"
#: The first code point of those scripts (U+3040): a text with none at or above it has no
#: letter :data:`_WORD` excludes, and there ``\w`` reads the same. Its patterns compile in
#: ~1 ms instead of ~18 ms (the large class), most of a check's one-off work for the names.
_FIRST_SPACELESS = "\u3040"


def _word(text: str) -> str:
    r""":data:`_WORD`, or the plain ``\w`` that matches the same in ``text``."""
    if text.isascii() or max(text) < _FIRST_SPACELESS:
        return r"\w"
    return _WORD


#: Languages that decline a name by gluing endings to it: Finnish "PayPalilla", Polish
#: "PayPalem", Czech "PayPalem", Lithuanian "PayPalu", Hungarian "PayPallal".
INFLECTING = frozenset(
    "fi et hu tr az pl cs sk sl hr sr bs lt lv ru uk be bg mk eu ka is".split()
)
#: Languages that say a repeated name once and then refer back to it ("其官网").
PRONOUN_LANGUAGES = frozenset({"zh", "ja", "ko"})


@functools.lru_cache(maxsize=64)
def _pattern(names: tuple[str, ...], word: str) -> re.Pattern[str] | None:
    if not names:
        return None
    alternatives = "|".join(re.escape(n) for n in names)  # longest first: "Nordlys Plus" wins
    return re.compile(rf"(?<!{word})(?:{alternatives})(?!{word})")


def find_names(text: str, names: tuple[str, ...]) -> list[tuple[int, int, str]]:
    """``(start, end, name)`` of every protected name in ``text`` (whole words, exact case).

    >>> find_names("Pay with PayPal or PayPalX.", ("PayPal",))
    [(9, 15, 'PayPal')]
    """
    pattern = _pattern(names, _word(text))
    if pattern is None:
        return []
    return [(m.start(), m.end(), m.group()) for m in pattern.finditer(text)]


def altered_names(
    source: str,
    translation: str,
    names: tuple[str, ...],
    *,
    inflecting: bool = False,
    pronouns: bool = False,
) -> list[str]:
    """Names of ``source`` that ``translation`` does not contain as often, verbatim.
    ``inflecting``: the translation's language glues case endings to names
    (:data:`INFLECTING`). ``pronouns``: its language commonly says a repeated name once and
    then "it" (Chinese, Japanese, Korean: :data:`PRONOUN_LANGUAGES`), so a name there fewer
    times is changed only when missing or with a changed copy beside it ("PayPay").

    >>> altered_names("Pay with PayPal.", "Betal med BetalPal.", ("PayPal",))
    ['PayPal']
    >>> altered_names("PayPal takes you to PayPal's site.", "PayPal 会将您带到其官网",
    ...               ("PayPal",), pronouns=True)
    []
    >>> altered_names("PayPal or PayPal", "PayPal或PayPay", ("PayPal",), pronouns=True)
    ['PayPal']
    """
    wanted: dict[str, int] = {}
    for _, _, name in find_names(source, names):
        wanted[name] = wanted.get(name, 0) + 1
    if not wanted:
        return []
    found: dict[str, int] = {}
    for name in _inflected_names(translation, names, inflecting):
        found[name] = found.get(name, 0) + 1
    return [
        name
        for name, count in wanted.items()
        if not found.get(name)
        or (
            found[name] < count
            and (not pronouns or _changed_copy(translation, name, inflecting))
        )
    ]


def _changed_copy(text: str, name: str, inflecting: bool = False) -> bool:
    """Whether ``text`` has a word that is ``name`` changed a little (case, a letter or two),
    other than the name with an ending :func:`_inflected_names` accepts.

    >>> _changed_copy("PayPal eller PayPay", "PayPal"), _changed_copy("PayPal's, den", "PayPal")
    (True, False)
    """
    import difflib

    letter = _word(text)
    for word in re.findall(rf"{letter}(?:{letter}|['\u2019.-])*", text):
        if _inflected_names(word, (name,), inflecting):
            continue
        if word.casefold() == name.casefold() or (
            abs(len(word) - len(name)) <= 2
            and difflib.SequenceMatcher(None, word.casefold(), name.casefold()).ratio() >= 0.8
        ):
            return True
    return False


@functools.lru_cache(maxsize=64)
def _inflected_pattern(names: tuple[str, ...], word: str) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(n) for n in names)
    return re.compile(rf"(?<!{word})({alternatives})(['\u2019]?{word}{{1,6}})?(?!{word})")


def _inflected_names(text: str, names: tuple[str, ...], inflecting: bool = False) -> list[str]:
    """The names in a translation, each written as in the source, with a genitive "s"
    (Danish, Norwegian, Swedish "PayPals politik") or an ending after an apostrophe
    ("PayPal'u", "PayPal’in"): the name itself unchanged. "Paypal", "PayPalX" and a definite
    form glued to it ("Nordlyset": the word, no longer the name) are changes; in a language
    that glues case endings to names (``inflecting``) a lower-case ending is one of them
    ("PayPalilla", "PayPalem"). Chinese, Japanese and Korean text around a name is no
    ending ("PayPalアカウント").

    >>> _inflected_names("PayPals politik, PayPalX, Paypal, PayPal'u, PayPalet", ("PayPal",))
    ['PayPal', 'PayPal']
    >>> _inflected_names("Maksa PayPalilla, PayPalX, PayPall", ("PayPal",), inflecting=True)
    ['PayPal']
    >>> _inflected_names("PayPalアカウント、PayPal은", ("PayPal",))
    ['PayPal', 'PayPal']
    """
    found = []
    for match in _inflected_pattern(names, _word(text)).finditer(text):
        suffix = match.group(2)
        if (
            suffix is None
            or suffix == "s"
            or (suffix[0] in "'\u2019" and suffix[1:].islower())
            or (
                inflecting and suffix.isalpha() and suffix.islower()
                # a doubled last letter is a typo, not an ending ("PayPall")
                and suffix != match.group(1)[-1:].lower()
            )
        ):
            found.append(match.group(1))
    return found


class BrandTerms:
    """The MT terms hook (:class:`toolkit.mt.terms.Terms`): the glossary's, plus every
    protected name masked and checked after restoring."""

    def __init__(self, names: Iterable[str], inner: Terms | None = None) -> None:
        self.names = tuple(sorted(set(names), key=lambda n: (-len(n), n)))
        self.inner = inner

    def protected_spans(self, source: str) -> list[tuple[int, int]]:
        spans = [(start, end) for start, end, _ in find_names(source, self.names)]
        if self.inner is not None:
            spans += self.inner.protected_spans(source)
        return sorted(set(spans))

    def enforce(self, source: str, target: str) -> tuple[str, list[str]]:
        problems: list[str] = []
        if self.inner is not None:
            target, problems = self.inner.enforce(source, target)
        for name in altered_names(source, target, self.names):
            problems.append(f"brand name '{name}' is not kept verbatim")
        return target, problems

    def comments(self, source: str) -> list[str]:
        inner = getattr(self.inner, "comments", None)
        return list(inner(source)) if inner is not None else []

    def __len__(self) -> int:
        inner: Any = self.inner
        return len(self.names) + (len(inner) if inner is not None else 0)


def brand_terms(config: ProjectConfig, inner: Terms | None = None) -> BrandTerms:
    """The MT hook for ``config``: ``inner`` (the locale's glossary) plus its protected names."""
    return BrandTerms(protected_names(config), inner)
