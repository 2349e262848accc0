"""Babel's fuzzy matching for ``update``, the same answers much faster.

When a template string has no exact match, Babel's ``Catalog.update`` asks
``get_close_matches(key, candidates, 1)``: difflib's ``SequenceMatcher`` (``autojunk`` off)
against *every* old translated string. On a 38,000-entry catalog with 6,000 changed strings
that is ~2 s a string, hours in all (pybabel's ``update`` is as slow; msgmerge indexes).

:func:`indexed_close_matches` gives Babel's exact answer: the candidates whose length already
rules them out (``real_quick_ratio``) are dropped at once, the others get their
``quick_ratio`` from a matrix of character counts (NumPy, when installed), and
``SequenceMatcher.ratio`` runs in decreasing order of that upper bound until the bound falls
below the best ratio found. Same candidates, same floating-point formulas, same tie-break
(the larger string wins, as ``heapq.nlargest`` on ``(ratio, string)``). Tests compare it with
Babel's function on real catalogs and on generated strings.

Babel calls the function by its module-level name, so :func:`fast_fuzzy_matching` puts the
indexed one there for the duration of one ``update`` (under a lock), for exactly the candidate
set Babel passes; any other call goes to Babel's own.

The work is bounded, so that no catalog can keep ``update`` busy for hours (30,000 entries
with 16,650 reworded strings that all look alike took Babel's search, and this one, hours): one
merge spends at most :data:`WORK_BUDGET` units of work (a candidate looked at in the index is
one, an exact comparison :data:`RATIO_WORK`); past it, the remaining new strings (and the one
being compared) get no fuzzy match, as with ``--no-fuzzy-matching``, and :class:`FuzzyStats`
counts them for the summary line. So every answer is Babel's, or none and said so: a cap of 100
exact comparisons a question gave Indico's Ukrainian catalog other answers than pybabel's, whose
best candidates ranked 126th and 215th by their bound (QA pass 77). The limit is counted, not
timed, so the output is the same on every machine; it is not reached on the real catalogs of
the test data (Babel's answers throughout, tested).
"""

from __future__ import annotations

import contextlib
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Collection, Iterator
from difflib import SequenceMatcher
from typing import Any

#: Above this many cells (candidates x distinct characters) the matrix would take too much
#: memory (CJK catalogs): Babel's own search is used.
MAX_CELLS = 40_000_000
#: Seconds of Babel's own search after which the index is built (importing NumPy and
#: counting characters cost about this much; a small update never pays it).
SWITCH_AFTER = 0.05
#: Work of one exact comparison of two ~70-character strings, in candidates looked at in the
#: index (~150 us against ~0.025 us on the 2-core machine of docs/benchmarks.md).
RATIO_WORK = 6_000
#: Work of one candidate in Babel's own search (its quick_ratio, ~10 us).
BABEL_CANDIDATE_WORK = 400
#: Work one merge may spend on fuzzy matching: ~25 s there; an update of a 38,000-entry
#: catalog with 6,000 reworded strings of real text needs about half of it (estimated from
#: 15,000 units a question over 1,746 real msgids of four projects).
WORK_BUDGET = 1_000_000_000


class FuzzyStats:
    """What one merge's fuzzy matching left undone: new strings not compared at all because
    the work budget was spent (``skipped``)."""

    __slots__ = ("skipped", "work")

    def __init__(self) -> None:
        self.skipped = 0
        self.work = 0

_LOCK = threading.Lock()


class _Index:
    """Character counts of the candidates, built on the first question."""

    def __init__(self, candidates: list[str], characters: set[str], numpy: Any) -> None:
        self.np = numpy
        self.candidates = candidates
        alphabet = sorted(characters)
        self.column = {c: i for i, c in enumerate(alphabet)}
        counts = numpy.zeros((len(candidates), len(alphabet)), dtype=numpy.int32)
        for row, text in enumerate(candidates):
            for char, count in Counter(text).items():
                counts[row, self.column[char]] = count
        # By character: a question reads only the rows of its own characters (~25 of them),
        # not the whole alphabet of every candidate (thousands of columns in a CJK catalog).
        self.by_char = numpy.ascontiguousarray(counts.T)
        self.lengths = numpy.array([len(text) for text in candidates], dtype=numpy.int64)

    def best(self, word: str, cutoff: float, stats: FuzzyStats | None = None) -> list[str]:
        np = self.np
        size = len(word)
        # real_quick_ratio, as difflib computes it: 2.0 * min(la, lb) / (la + lb) (1.0 if 0).
        total = self.lengths + size
        with np.errstate(divide="ignore", invalid="ignore"):
            real_quick = np.where(total > 0, 2.0 * np.minimum(self.lengths, size) / total, 1.0)
        rows = np.nonzero(real_quick >= cutoff)[0]
        if stats is not None:
            stats.work += len(rows)
        if not len(rows):
            return []
        # quick_ratio: the characters the two have in common, counted with multiplicity (a
        # character of the word no candidate has adds nothing).
        known = [(self.column[c], n) for c, n in Counter(word).items() if c in self.column]
        if known:
            columns = self.by_char[[column for column, _ in known]]
            if len(rows) < len(self.candidates):
                columns = columns[:, rows]
            wanted = np.array([[n] for _, n in known], dtype=np.int32)
            common = np.minimum(columns, wanted).sum(axis=0)
        else:
            common = np.zeros(len(rows), dtype=np.int64)
        total = total[rows]
        with np.errstate(divide="ignore", invalid="ignore"):
            quick = np.where(total > 0, 2.0 * common / total, 1.0)
        keep = quick >= cutoff
        rows, quick = rows[keep], quick[keep]
        matcher = SequenceMatcher(autojunk=False)
        matcher.set_seq2(word)
        best: tuple[float, str] | None = None
        for position in np.argsort(-quick, kind="stable"):
            bound = float(quick[position])
            if best is not None and bound < best[0]:
                break  # ratio <= quick_ratio: nothing further can reach the best
            if stats is not None:
                if stats.work >= WORK_BUDGET:  # spent within this question: no answer but
                    stats.skipped += 1  # Babel's, so none (counted for the summary line)
                    return []
                stats.work += RATIO_WORK
            text = self.candidates[int(rows[position])]
            matcher.set_seq1(text)
            ratio = matcher.ratio()
            if ratio >= cutoff and (best is None or (ratio, text) > best):
                best = (ratio, text)
        return [best[1]] if best is not None else []


def indexed_close_matches(
    original: Callable[..., list[str]], stats: FuzzyStats | None = None
) -> Callable[..., list[str]]:
    """A drop-in for Babel's ``get_close_matches`` that indexes the first candidate set it is
    given and answers later questions about that set from the index (``original`` for
    anything else). With ``stats``, the work is counted and bounded (see the module)."""
    from importlib.util import find_spec

    if find_spec("numpy") is None:  # pragma: no cover - the [mt] extra's ctranslate2 brings it
        return original
    state: dict[str, Any] = {"spent": 0.0}

    def babels(word: str, possibilities: Collection[str], cutoff: float) -> list[str]:
        if stats is not None:
            stats.work += BABEL_CANDIDATE_WORK * len(possibilities)
        return original(word, possibilities, 1, cutoff)

    def close_matches(
        word: str, possibilities: Collection[str], n: int = 3, cutoff: float = 0.6
    ) -> list[str]:
        if n != 1:
            return original(word, possibilities, n, cutoff)
        if stats is not None and stats.work >= WORK_BUDGET:
            stats.skipped += 1
            return []
        index = state.get("index")
        if index is None and not _numpy_loaded() and state["spent"] < SWITCH_AFTER:
            # Small catalogs, few changed strings: Babel's search costs less than importing
            # NumPy and indexing; the index takes over once it has cost that much.
            started = time.perf_counter()
            answer = babels(word, possibilities, cutoff)
            state["spent"] += time.perf_counter() - started
            return answer
        if index is None:
            import numpy

            candidates = list(possibilities)
            alphabet = {c for text in candidates for c in text}
            if state.get("too_big") or len(candidates) * (len(alphabet) + 1) > MAX_CELLS:
                state["too_big"] = True
                return babels(word, possibilities, cutoff)
            index = state["index"] = _Index(candidates, alphabet, numpy)
            state["probe"] = candidates[:: max(1, len(candidates) // 8)]
        elif len(possibilities) != len(index.candidates) or not all(
            text in possibilities for text in state["probe"]
        ):
            return babels(word, possibilities, cutoff)  # another candidate set
        return index.best(word, cutoff, stats)

    return close_matches


def _numpy_loaded() -> bool:
    return "numpy" in sys.modules


@contextlib.contextmanager
def fast_fuzzy_matching(stats: FuzzyStats | None = None) -> Iterator[FuzzyStats]:
    """Babel's ``Catalog.update`` with :func:`indexed_close_matches` inside the block; the
    :class:`FuzzyStats` (``stats``, or new ones) say what the work budget left undone."""
    from babel.messages import catalog as babel_catalog

    stats = stats if stats is not None else FuzzyStats()
    with _LOCK:
        original = babel_catalog.get_close_matches
        babel_catalog.get_close_matches = indexed_close_matches(original, stats)
        try:
            yield stats
        finally:
            babel_catalog.get_close_matches = original
