"""Sentence splitting, output quality checks and the translation memory."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from toolkit.mt.memory import Stored, TranslationMemory
from toolkit.mt.quality import problems
from toolkit.mt.segments import split_segments


@given(st.text(alphabet=st.sampled_from(list("ab .!?\n {}%(s)<>AZ1é…")), max_size=80))
def test_segments_join_back_to_the_original(text):
    pieces = split_segments(text)
    assert "".join(p.text for p in pieces) == text
    for piece in pieces:
        if piece.translate:
            assert piece.text.strip() == piece.text and "\n" not in piece.text


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
