"""Masking placeholders for MT and restoring them: exact round trips, loud failures."""

from __future__ import annotations

import doctest
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from toolkit.mt import masking, quality, segments
from toolkit.mt.masking import RestoreError, mask, restore

PLACEHOLDERS = [
    "{name}", "{0}", "%(amount)s", "%s", "%d", "{{ first_name }}", "{{var}}",
    "{% if vip %}", "{% endif %}", "{# note #}", "<b>", "</b>", '<a href="https://x.dk">',
    "&amp;", "&#8364;", "https://example.com/a?b=1", "help@example.com", "first_name",
    "order_id", "XPH0X", "xph12x", "%%",
]
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)


@given(st.lists(st.one_of(TEXT, st.sampled_from(PLACEHOLDERS)), max_size=12))
def test_mask_then_restore_is_the_identity(parts):
    text = "".join(parts)
    masked = mask(text)
    assert restore(masked, masked.text) == text
    literal = mask(text, percent_literal=True)
    assert restore(literal, literal.text) == text


@given(st.lists(st.sampled_from(PLACEHOLDERS), max_size=8), TEXT)
def test_placeholders_between_words_never_reach_mt(placeholders, tail):
    masked = mask("".join(f"word {p} " for p in placeholders) + "end " + tail)
    assert masked.spans[: len(placeholders)] == tuple(placeholders)
    assert masked.text.startswith("".join(f"word XPH{i}X " for i in range(len(placeholders))))


@pytest.mark.parametrize(
    ("source", "masked_text"),
    [
        ("Hi {name}!", "Hi XPH0X!"),
        ("<b>Hello</b>", "XPH0X Hello XPH1X"),
        ("<p><b>{name}</b></p> wins", "XPH0X wins"),
        ("Use first_name here", "Use XPH0X here"),
        ("Call %(phone)s.", "Call XPH0X."),
        ("50% off", "50% off"),
    ],
)
def test_mask_examples(source, masked_text):
    literal = "%(" not in source
    assert mask(source, percent_literal=literal).text == masked_text


def test_restore_accepts_reordered_tokens_and_removes_added_spaces():
    masked = mask("Click <a href='x'>here</a> now")
    assert masked.text == "Click XPH0X here XPH1X now"
    assert restore(masked, "Klik XPH0X her XPH1X nu") == "Klik <a href='x'>her</a> nu"
    two = mask("{a} and {b}")
    assert restore(two, "XPH1X og XPH0X") == "{b} og {a}"


@pytest.mark.parametrize(
    ("output", "message"),
    [
        ("Hej!", "lost '{name}'"),
        # messages name the source's placeholders, never the internal mask tokens
        ("Hej XPH0X XPH0X!", "repeated or invented '{name}'"),
        ("Hej XPH0X XPH1X!", "repeated or invented <?>"),
    ],
)
def test_restore_refuses_broken_output(output, message):
    with pytest.raises(RestoreError, match=re.escape(message)) as caught:
        restore(mask("Hi {name}!"), output)
    assert "XPH" not in str(caught.value)


def test_extra_spans_are_protected():
    masked = mask("Try Acme Points today", [(4, 15)])
    assert masked.text == "Try XPH0X today"
    assert restore(masked, "Prøv XPH0X i dag") == "Prøv Acme Points i dag"


@pytest.mark.parametrize("module", [masking, quality, segments])
def test_doctests(module):
    assert doctest.testmod(module).failed == 0
