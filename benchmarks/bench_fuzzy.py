"""Benchmark: ``update``'s fuzzy matching (toolkit.catalogs.fuzzy) against Babel's own.

    python benchmarks/bench_fuzzy.py [--entries 20000] [--questions 20]

Builds ``--entries`` old source strings shaped like real ones (sentences of 3-25 words from a
shared vocabulary, so most strings look alike character-wise, the hard case), then asks both
functions for the best match of ``--questions`` edited strings, as ``Catalog.update`` does for
each changed msgid. Prints seconds per question for each, the speed-up, and checks that both
give the same answer every time. Needs NumPy (the ``[mt]`` extra brings it).
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from babel.messages.catalog import get_close_matches

from toolkit.catalogs.fuzzy import indexed_close_matches

WORDS = (
    "your points order account loyalty reward tier gold silver welcome back we miss you "
    "payment card invoice due today tomorrow please update details thank you for shopping "
    "with us new items in your cart discount code expires soon free delivery on orders over"
).split()


def sentences(count: int, rng: random.Random) -> list[str]:
    found: dict[str, None] = {}
    while len(found) < count:
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 25)))
        found[text.lower().strip()] = None
    return list(found)


def edited(text: str, rng: random.Random) -> str:
    words = text.split()
    words[rng.randrange(len(words))] = rng.choice(WORDS)
    words.insert(rng.randrange(len(words) + 1), rng.choice(WORDS))
    return " ".join(words)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--entries", type=int, default=20_000)
    parser.add_argument("--questions", type=int, default=20)
    args = parser.parse_args()
    rng = random.Random(5)
    candidates = dict.fromkeys(sentences(args.entries, rng)).keys()
    questions = [edited(text, rng) for text in rng.sample(list(candidates), args.questions)]
    fast = indexed_close_matches(get_close_matches)
    started = time.process_time()
    fast(questions[0], candidates, 1)  # the index is built on the first question
    index_seconds = time.process_time() - started
    ours, babel = [], []
    for word in questions:
        started = time.process_time()
        mine = fast(word, candidates, 1)
        ours.append(time.process_time() - started)
        started = time.process_time()
        theirs = get_close_matches(word, candidates, 1)
        babel.append(time.process_time() - started)
        assert mine == theirs, (word, mine, theirs)
    per_ours, per_babel = statistics.median(ours), statistics.median(babel)
    print(f"{args.entries:,} old strings, {args.questions} questions, same answers: yes")
    print(f"index built once: {index_seconds:.3f} s CPU")
    print(f"toolkit: {per_ours * 1000:.1f} ms per question; Babel (pybabel update): "
          f"{per_babel * 1000:.1f} ms; speed-up {per_babel / per_ours:.0f}x")  # fmt: skip


if __name__ == "__main__":
    main()
