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

_LOCK = threading.Lock()


class _Index:
    """Character counts of the candidates, built on the first question."""

    def __init__(self, candidates: list[str], characters: set[str], numpy: Any) -> None:
        self.np = numpy
        self.candidates = candidates
        alphabet = sorted(characters)
        self.column = {c: i for i, c in enumerate(alphabet)}
        self.other = len(alphabet)  # a column for characters no candidate has (count 0)
        counts = numpy.zeros((len(candidates), len(alphabet) + 1), dtype=numpy.int32)
        for row, text in enumerate(candidates):
            for char, count in Counter(text).items():
                counts[row, self.column[char]] = count
        self.counts = counts
        self.lengths = numpy.array([len(text) for text in candidates], dtype=numpy.int64)

    def best(self, word: str, cutoff: float) -> list[str]:
        np = self.np
        size = len(word)
        # real_quick_ratio, as difflib computes it: 2.0 * min(la, lb) / (la + lb) (1.0 if 0).
        total = self.lengths + size
        with np.errstate(divide="ignore", invalid="ignore"):
            real_quick = np.where(total > 0, 2.0 * np.minimum(self.lengths, size) / total, 1.0)
        rows = np.nonzero(real_quick >= cutoff)[0]
        if not len(rows):
            return []
        wanted = np.zeros(self.other + 1, dtype=np.int32)
        for char, count in Counter(word).items():
            wanted[self.column.get(char, self.other)] += count
        # quick_ratio: the characters the two have in common, counted with multiplicity.
        common = np.minimum(self.counts[rows], wanted).sum(axis=1)
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
            text = self.candidates[int(rows[position])]
            matcher.set_seq1(text)
            ratio = matcher.ratio()
            if ratio >= cutoff and (best is None or (ratio, text) > best):
                best = (ratio, text)
        return [best[1]] if best is not None else []


def indexed_close_matches(
    original: Callable[..., list[str]],
) -> Callable[..., list[str]]:
    """A drop-in for Babel's ``get_close_matches`` that indexes the first candidate set it is
    given and answers later questions about that set from the index (``original`` for
    anything else)."""
    from importlib.util import find_spec

    if find_spec("numpy") is None:  # pragma: no cover - the [mt] extra's ctranslate2 brings it
        return original
    state: dict[str, Any] = {"spent": 0.0}

    def close_matches(
        word: str, possibilities: Collection[str], n: int = 3, cutoff: float = 0.6
    ) -> list[str]:
        if n != 1:
            return original(word, possibilities, n, cutoff)
        index = state.get("index")
        if index is None and not _numpy_loaded() and state["spent"] < SWITCH_AFTER:
            # Small catalogs, few changed strings: Babel's search costs less than importing
            # NumPy and indexing; the index takes over once it has cost that much.
            started = time.perf_counter()
            answer = original(word, possibilities, n, cutoff)
            state["spent"] += time.perf_counter() - started
            return answer
        if index is None:
            import numpy

            candidates = list(possibilities)
            alphabet = {c for text in candidates for c in text}
            if state.get("too_big") or len(candidates) * (len(alphabet) + 1) > MAX_CELLS:
                state["too_big"] = True
                return original(word, possibilities, n, cutoff)
            index = state["index"] = _Index(candidates, alphabet, numpy)
            state["probe"] = candidates[:: max(1, len(candidates) // 8)]
        elif len(possibilities) != len(index.candidates) or not all(
            text in possibilities for text in state["probe"]
        ):
            return original(word, possibilities, n, cutoff)  # another candidate set
        return index.best(word, cutoff)

    return close_matches


def _numpy_loaded() -> bool:
    return "numpy" in sys.modules


@contextlib.contextmanager
def fast_fuzzy_matching() -> Iterator[None]:
    """Babel's ``Catalog.update`` with :func:`indexed_close_matches` inside the block."""
    from babel.messages import catalog as babel_catalog

    with _LOCK:
        original = babel_catalog.get_close_matches
        babel_catalog.get_close_matches = indexed_close_matches(original)
        try:
            yield
        finally:
            babel_catalog.get_close_matches = original
