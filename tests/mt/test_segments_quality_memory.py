"""Sentence splitting, output quality checks and the translation memory."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.mt.memory import Stored, TranslationMemory
from toolkit.mt.quality import _longest_run, _words, problems, repetition
from toolkit.mt.segments import sentence_breaks, split_segments


@given(st.text(alphabet=st.sampled_from(list("ab .!?\n {}%(s)<>AZ1é…")), max_size=80))
def test_segments_join_back_to_the_original(text):
    pieces = split_segments(text)
    assert "".join(p.text for p in pieces) == text
    for piece in pieces:
        if piece.translate:
            assert piece.text.strip() == piece.text and "\n" not in piece.text


def _reference_split(text: str) -> list[tuple[str, bool]]:
    """The splitter as first written (regexes for the line edges), kept as the reference
    for the faster one: the pieces must be the same on any text."""
    edge = re.compile(r"^(\s*)(.*?)(\s*)$", re.DOTALL)
    pieces: list[tuple[str, bool]] = []

    def add_line(line: str) -> None:
        match = edge.match(line)
        assert match is not None
        lead, body, trail = match.groups()
        if lead:
            pieces.append((lead, False))
        position = 0
        for start, end in sentence_breaks(body):
            pieces.extend([(body[position:start], True), (body[start:end], False)])
            position = end
        if body[position:]:
            pieces.append((body[position:], True))
        if trail:
            pieces.append((trail, False))

    position = 0
    for match in re.finditer(r"\s*\n\s*", text):
        add_line(text[position : match.start()])
        pieces.append((match.group(0), False))
        position = match.end()
    add_line(text[position:])
    return [p for p in pieces if p[0]]


_SPACES = [" ", "\t", "\r", "\n", "\x0b", "\x0c", "\x1c", "\x85", "\xa0", "\u2028", "\u3000",
           "\u200b"]  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from([*"ab.!?{}%<>AZ1…\"(", *_SPACES, "e.g", "Dr"])).map("".join))
def test_segments_are_those_of_the_reference_splitter(text):
    assert [(p.text, p.translate) for p in split_segments(text)] == _reference_split(text)


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("Welcome back! You have 5 points.", ["Welcome back!", "You have 5 points."]),
        ("See e.g. this. Or Dr. Who.", ["See e.g. this.", "Or Dr. Who."]),
        ("Go to {{ url }}. Then {name} wins", ["Go to {{ url }}.", "Then {name} wins"]),
        ("Version 1.5 is out. Enjoy", ["Version 1.5 is out.", "Enjoy"]),
        ("Line one\n\n  Line two.", ["Line one", "Line two."]),
        ("{% if a. B %}x{% endif %}", ["{% if a. B %}x{% endif %}"]),
    ],
)
def test_sentence_examples(text, sentences):
    assert [p.text for p in split_segments(text) if p.translate] == sentences


@pytest.mark.parametrize(
    ("source", "target", "reason"),
    [
        ("students enrolled", "matriculados matriculados matriculados", "repeated word"),
        ("Click to see", "Klik se her se her se her", "repeated phrase"),
        ("Welcome back!", "   ", "empty output"),
        ("Welcome back!", "Welcome back!", "identical to source"),
        ("Hi", "Hej " * 20, "far longer"),
        ("Thank you for shopping with us today, see you soon", "Tak", "far shorter"),
        ("Hello", "Hej <unk>", "unknown-token"),
    ],
)
def test_quality_rejects_known_failure_shapes(source, target, reason):
    assert any(reason in p for p in problems(source, target))


@pytest.mark.parametrize(
    ("source", "target"),
    [
        ("Welcome back!", "Velkommen tilbage!"),
        ("XPH0X", "XPH0X"),
        ("very very good", "meget meget godt"),
        ("OK", "OK!"),
    ],
)
def test_quality_accepts_good_output(source, target):
    found = problems(source, target)
    assert found == [] or (source == "OK" and found == ["output identical to source"])


@given(st.lists(st.sampled_from(["tak", "Tak", "for", "det", "XPH0X", "se", "her"]), max_size=12))
def test_repetition_is_the_longest_run_of_any_phrase(words):
    text = " ".join(words)
    runs = [(_longest_run(_words(text), size), size) for size in range(1, 5)]
    expected = None
    for (count, phrase), size in runs:
        if count >= (3 if size == 1 else 2) and (
            expected is None or count * size > expected[1] * len(expected[0].split())
        ):
            expected = (phrase, count)
    assert repetition(text) == expected


def test_memory_round_trip_and_model_keys(tmp_path):
    path = tmp_path / "tm" / "memory.sqlite"
    with TranslationMemory(path) as memory:
        memory.store("m1", [("Hi XPH0X", Stored("Hej XPH0X", -0.5))])
        memory.store("m2", [("Hi XPH0X", Stored("Hallo XPH0X", None))])
        assert memory.lookup("m1", ["Hi XPH0X", "Bye"]) == {"Hi XPH0X": Stored("Hej XPH0X", -0.5)}
        assert memory.lookup("m2", ["Hi XPH0X"])["Hi XPH0X"].target == "Hallo XPH0X"
        assert memory.count() == 2
    with TranslationMemory(path, read_only=True) as memory:
        memory.store("m1", [("New", Stored("Ny", None))])  # ignored
        assert memory.count("m1") == 1


def test_read_only_memory_creates_nothing(tmp_path):
    path = tmp_path / "absent" / "memory.sqlite"
    with TranslationMemory(path, read_only=True) as memory:
        assert memory.lookup("m", ["x"]) == {}
    assert not path.parent.exists()
