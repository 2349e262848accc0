"""Catch the known failure shapes of small NMT models before anything is written.

Short customer strings trip small models in recognisable ways: the output repeats a word or a
phrase ("matriculados matriculados matriculados"), comes back empty, comes back as the
untranslated source, carries unknown-token marks (or a rule-based engine's marks of words it could
not translate), or is far longer or shorter than the source.
Each check returns a reason a reviewer can read; an entry with any reason is left for a human.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"\w+", re.UNICODE)
_MASK = re.compile(r"XPH\d+X", re.IGNORECASE)


def problems(source: str, target: str, *, copies_ok: bool = False) -> list[str]:
    """Reasons why ``target`` (MT output of ``source``) must not be written; empty when fine.

    Both strings are as MT saw them (placeholders masked). ``copies_ok``: a target identical
    to its source is no failure (a rule-based engine between close languages, Danish
    "Navn" -> Bokmål "Navn").

    >>> problems("You have points", "Du har har har point")
    ["repeated word 'har' (3 times)"]
    >>> problems("Welcome back!", "")
    ['empty output']
    >>> problems("Intern serverfejl", "Intern server #feil")
    ["the engine's marks of words it could not translate (#)"]
    """
    if not target.strip():
        return ["empty output"]
    found = []
    if "<unk>" in target or "⁇" in target:
        found.append("unknown-token marks in output")
    # Apertium marks a word it could not inflect with '#' ('Intern server #feil') and one its
    # transfer rules lost with '@': text no customer should read (QA pass 80: 39 Nynorsk
    # entries written with them).
    marks = [m for m in "#@" if target.count(m) > source.count(m)]
    if marks:
        found.append(f"the engine's marks of words it could not translate ({' '.join(marks)})")
    if (
        not copies_ok
        and _normalise(target) == _normalise(source)
        and _WORD.search(_MASK.sub("", source))
    ):
        found.append("output identical to source")
    repeat = repetition(target)
    if repeat is not None and repeat[1] > _max_repeat(source, len(repeat[0].split())):
        phrase, count = repeat
        kind = "word" if " " not in phrase else "phrase"
        found.append(f"repeated {kind} '{phrase}' ({count} times)")
    source_len, target_len = len(source.strip()), len(target.strip())
    if target_len > 3 * source_len + 15:
        found.append(f"output far longer than source ({target_len} vs {source_len} characters)")
    elif 3 * target_len + 10 < source_len:
        found.append(f"output far shorter than source ({target_len} vs {source_len} characters)")
    return found


def repetition(text: str) -> tuple[str, int] | None:
    """The worst back-to-back repetition: a word 3+ times or a 2-4 word phrase 2+ times.

    >>> repetition("tak tak tak for det")
    ('tak', 3)
    >>> repetition("se her se her nu")
    ('se her', 2)
    >>> repetition("very good") is None
    True
    """
    words = _words(text)
    if len(set(words)) == len(words):
        return None  # every run of a word or phrase repeats a word: most texts have none
    worst: tuple[str, int] | None = None
    for size in range(1, 5):
        threshold = 3 if size == 1 else 2
        count, phrase = _longest_run(words, size)
        if count < threshold:
            continue
        if worst is None or count * size > worst[1] * len(worst[0].split()):
            worst = (phrase, count)
    return worst


def _max_repeat(text: str, size: int) -> int:
    words = _words(text)
    if len(set(words)) == len(words):
        return 1
    return _longest_run(words, size)[0]


def _words(text: str) -> list[str]:
    """The lower-cased words of ``text``, mask tokens left out."""
    return [w.lower() for w in _WORD.findall(_MASK.sub(" ", text))]


def _longest_run(words: list[str], size: int) -> tuple[int, str]:
    """Most back-to-back copies of any ``size``-word phrase, and that phrase."""
    best, best_phrase = 1, ""
    for start in range(len(words)):
        phrase = words[start : start + size]
        if len(phrase) < size:
            break
        count = 1
        while words[start + count * size : start + (count + 1) * size] == phrase:
            count += 1
        if count > best:
            best, best_phrase = count, " ".join(phrase)
    return best, best_phrase


def _normalise(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))
