"""A locale's glossary and what it says about a source text and its translation."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from .matching import (
    Span,
    TermPattern,
    find_all,
    find_each,
    keep_case,
    overlaps,
    source_alternatives,
)
from .model import GlossaryFinding, Term, TermMatch

#: Translator comments written by ``toolkit translate`` start with this.
COMMENT_PREFIX = "glossary:"
_RULE_ORDER = {"dnt": 0, "required": 1, "forbidden": 2}
_VERB = re.compile(r"(?<!ad)verb", re.IGNORECASE)
#: Sources whose matches a glossary remembers (``translate`` asks for each source's terms for
#: its comments and again for each form's check); emptied when full.
_MATCH_MEMO_LIMIT = 4096


def _source_pattern(term: Term) -> TermPattern:
    proper = term.rule == "dnt" or "proper" in term.pos.lower()
    alternatives = source_alternatives(
        term.source, inflect=not proper, verb=bool(_VERB.search(term.pos))
    )
    return TermPattern(alternatives, term.case_sensitive, capital=term.rule != "dnt")


def _target_pattern(term: Term) -> TermPattern:
    return TermPattern(term.target_forms, term.case_sensitive, capital=term.rule != "dnt")


def _normal(text: str) -> str:
    return " ".join(text.split()).casefold()


def _resolve(candidates: list[tuple[int, int, str, Term]]) -> list[tuple[int, int, str, Term]]:
    """Leftmost-longest: drop candidates overlapping a longer (or earlier) kept one; several
    terms on the very same span are all kept."""
    kept: list[tuple[int, int, str, Term]] = []
    spans: list[Span] = []
    for cand in sorted(candidates, key=lambda c: (c[0], c[0] - c[1], _RULE_ORDER[c[3].rule])):
        start, end = cand[0], cand[1]
        if (start, end) in spans or not overlaps(start, end, spans):
            kept.append(cand)
            spans.append((start, end))
    return kept


class Glossary:
    """The terms that hold for one target locale (see docs/glossary.md).

    ``match`` finds terms in an English source; ``check`` compares a translation with the
    rules; ``protected_spans`` and ``enforce`` are the hook machine translation calls
    (:class:`toolkit.mt.Terms`).
    """

    def __init__(self, terms: Iterable[Term] = (), *, locale: str | None = None) -> None:
        self.terms: tuple[Term, ...] = tuple(terms)
        self.locale = locale
        self._sourced = [(t, _source_pattern(t)) for t in self.terms if t.source]
        self._dnt = [(t, p) for t, p in self._sourced if t.rule == "dnt"]
        self._targets = {t: _target_pattern(t) for t in self.terms if t.target_forms}
        self._dnt_targets, self._forbidden_targets = (
            [(t, self._targets[t]) for t in self.rows(rule) if t.target_forms]
            for rule in ("dnt", "forbidden")
        )
        self._matched: dict[str, tuple[TermMatch, ...]] = {}

    def __len__(self) -> int:
        return len(self.terms)

    def __iter__(self) -> Iterator[Term]:
        return iter(self.terms)

    def __repr__(self) -> str:
        return f"Glossary(locale={self.locale!r}, terms={len(self.terms)})"

    def rows(self, rule: str) -> list[Term]:
        """The terms with one rule (``required``, ``dnt`` or ``forbidden``)."""
        return [t for t in self.terms if t.rule == rule]

    def match(self, source: str) -> list[TermMatch]:
        """Occurrences of glossary terms in an English ``source``, leftmost-longest.

        Forbidden rows with a source term are reported too (they apply to the same words).
        """
        found = self._matched.get(source)
        if found is None:  # the terms are a tuple: a source's matches never change
            candidates = [
                (m.start(), m.end(), m.group(), term)
                for term, m in find_each(self._sourced, source)
            ]
            found = tuple(
                TermMatch(term, start, end, text) for start, end, text, term in _resolve(candidates)
            )
            if len(self._matched) >= _MATCH_MEMO_LIMIT:
                self._matched.clear()
            self._matched[source] = found
        return list(found)

    def protected_spans(self, source: str) -> list[tuple[int, int]]:
        """Spans of do-not-translate terms in ``source``, for MT to keep verbatim."""
        candidates = [
            (m.start(), m.end(), m.group(), term) for term, m in find_each(self._dnt, source)
        ]
        return sorted({(start, end) for start, end, _, _ in _resolve(candidates)})

    def check(self, source: str, target: str, *, required: bool = True) -> list[GlossaryFinding]:
        """Where ``target`` breaks the glossary for ``source``: a required term missing, a
        forbidden word used, a do-not-translate term altered. ``required=False`` leaves out
        the required terms (warnings; ``compile`` keeps only errors), and with them the
        search of every term in ``source`` unless a do-not-translate term is there."""
        return self._check(source, target, self._forbidden_hits(target), required=required)

    def _dnt_altered(self, source: str, target: str, name: str) -> bool:
        """Whether ``target`` lacks the do-not-translate ``name`` of ``source``, or has it
        fewer times, read as :func:`toolkit.brands.altered_names` reads brand names."""
        from ..brands import INFLECTING, PRONOUN_LANGUAGES, altered_names

        language = (self.locale or "").split("_")[0].split("@")[0].lower()
        return bool(altered_names(source, target, (name,), inflecting=language in INFLECTING,
                                  pronouns=language in PRONOUN_LANGUAGES))  # fmt: skip

    def _check(
        self,
        source: str,
        target: str,
        forbidden: list[tuple[int, int, str, Term]],
        *,
        required: bool = True,
    ) -> list[GlossaryFinding]:
        """:meth:`check`, with the forbidden words of ``target`` already found."""
        found: list[GlossaryFinding] = []
        # A forbidden word used for a term is reported once, as forbidden, not again as the
        # required term missing: same source concept, or the forbidden row prefers one of
        # the required term's forms.
        blamed = {t.source.casefold() for _, _, _, t in forbidden if t.source}
        preferred = {_normal(t.preferred) for _, _, _, t in forbidden if t.preferred}
        done: set[int] = set()
        # Without required terms only do-not-translate ones are looked at; the search of all
        # terms still decides which of them count (a longer term can cover one), and none
        # can unless one of them is in the source at all.
        wanted = required or bool(self._dnt and find_each(self._dnt, source))
        for match in self.match(source) if wanted else ():
            term = match.term
            if term.rule == "forbidden" or id(term) in done:
                continue
            if not required and term.rule != "dnt":
                continue
            done.add(id(term))
            if term.rule == "dnt":
                # As the brand-name check reads names: a genitive or case ending glued on is
                # the name kept (Danish "Liberapays", Polish "PayPalem": 30 of Liberapay's 41
                # findings were such), and a name the source says twice must be there twice
                # ("PayPal ... PayPa" passed; QA pass 80). A form the row lists is kept too.
                if not self._dnt_altered(source, target, match.text) or (
                    term.forms and find_all(self._targets[term], target)
                ):
                    continue
            elif find_all(self._targets[term], target):
                continue
            if term.rule == "dnt":
                found.append(
                    GlossaryFinding(
                        "dnt-altered",
                        term,
                        f"'{match.text}' must stay as written (do not translate), but the "
                        f"translation lacks it ({term.origin}).",
                        brief=f"'{match.text}' must stay as written ({_short(term)})",
                    )
                )
            elif term.source.casefold() not in blamed and not preferred & {
                _normal(form) for form in term.target_forms
            }:
                others = f" or one of its {len(term.forms)} listed forms" if term.forms else ""
                found.append(
                    GlossaryFinding(
                        "required-missing",
                        term,
                        f"'{match.text}' must be translated as '{term.target}'{others} "
                        f"({term.origin}).",
                        brief=f"'{match.text}' needs '{term.target}' ({_short(term)})",
                    )
                )
        reported: set[tuple[int, str]] = set()
        for _, _, text, term in forbidden:
            if (id(term), _normal(text)) in reported:
                continue
            reported.add((id(term), _normal(text)))
            use = f"; use '{term.preferred}'" if term.preferred else ""
            found.append(
                GlossaryFinding(
                    "forbidden-used",
                    term,
                    f"'{text}' is forbidden{use} ({term.origin}).",
                    found=text,
                    brief=f"'{text}' is forbidden{use} ({_short(term)})",
                )
            )
        return found

    def enforce(self, source: str, target: str) -> tuple[str, list[str]]:
        """``target`` with forbidden variants replaced by their preferred terms (keeping
        capitalization), and the problems left that need a human.

        Problems are short (``'receipt' needs 'kvittering' (da.csv:8)``): MT writes each as a
        translator comment, and PO comment lines wrap at 76 columns."""
        fixed = target
        hits = self._forbidden_hits(target)
        for start, end, text, term in reversed(hits):
            replacement = replacement_for(term, text)
            if replacement is not None:
                fixed = fixed[:start] + keep_case(text, replacement) + fixed[end:]
        # Nothing replaced (most translations): the forbidden words found are still the ones.
        if fixed != target:
            hits = self._forbidden_hits(fixed)
        findings = self._check(source, fixed, hits)
        return fixed, [finding.brief or finding.message for finding in findings]

    def comments(self, source: str) -> list[str]:
        """Translator comments naming the terms that apply to ``source`` (one per term)."""
        groups: dict[str, list[Term]] = {}
        for match in self.match(source):
            group = groups.setdefault(match.term.source.casefold(), [])
            if match.term not in group:
                group.append(match.term)
        lines = []
        for terms in groups.values():
            avoid = [t.target for t in terms if t.rule == "forbidden"]
            main = next((t for t in terms if t.rule != "forbidden"), None)
            if main is None:
                use = next((t.preferred for t in terms if t.preferred), None)
                text = f"{terms[0].source}: not {', '.join(avoid)}"
                text += f", use {use}" if use else ""
            elif main.rule == "dnt":
                text = f"{main.source} (do not translate)"
            else:
                extra = f"; not {', '.join(avoid)}" if avoid else ""
                text = f"{main.source} -> {main.target} (required{extra})"
            lines.append(f"{COMMENT_PREFIX} {text}")
        return lines

    def _dnt_spans(self, target: str) -> list[Span]:
        return [(m.start(), m.end()) for _, m in find_each(self._dnt_targets, target)]

    def _forbidden_hits(self, target: str) -> list[tuple[int, int, str, Term]]:
        """Forbidden words in ``target``, outside do-not-translate terms (looked for only
        when a forbidden word is there: most translations have none)."""
        hits = find_each(self._forbidden_targets, target)
        if not hits:
            return []
        protected = self._dnt_spans(target)
        candidates = [
            (m.start(), m.end(), m.group(), term)
            for term, m in hits
            if not overlaps(m.start(), m.end(), protected)
        ]
        return _resolve(candidates)


def _short(term: Term) -> str:
    """``da.csv:8``: the row's file name and line, short enough for a PO comment line."""
    return term.origin.rsplit("/", 1)[-1]


def replacement_for(term: Term, found: str) -> str | None:
    """What replaces ``found`` (a variant of a forbidden ``term``), if the glossary says.

    >>> t = Term("", "kupon", "forbidden", forms=("kuponen",), preferred="rabatkode",
    ...          replacements=(("kuponen", "rabatkoden"),))
    >>> replacement_for(t, "Kupon"), replacement_for(t, "KUPONEN"), replacement_for(t, "kuponer")
    ('rabatkode', 'rabatkoden', None)
    """
    wanted = _normal(found)
    for variant, replacement in term.replacements:
        if _normal(variant) == wanted:
            return replacement
    if term.preferred and _normal(term.target) == wanted:
        return term.preferred
    return None
