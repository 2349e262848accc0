from __future__ import annotations

import datetime as dt

import pytest

from toolkit.errors import InputError
from toolkit.retention.periods import parse_period

D = dt.date


@pytest.mark.parametrize(
    ("text", "start", "end", "previous"),
    [
        ("2026-Q3", D(2026, 7, 1), D(2026, 10, 1), (D(2026, 4, 1), D(2026, 7, 1))),
        ("2026-Q1", D(2026, 1, 1), D(2026, 4, 1), (D(2025, 10, 1), D(2026, 1, 1))),
        ("2026-03", D(2026, 3, 1), D(2026, 4, 1), (D(2026, 2, 1), D(2026, 3, 1))),
        ("2026-01", D(2026, 1, 1), D(2026, 2, 1), (D(2025, 12, 1), D(2026, 1, 1))),
        ("2026-W37", D(2026, 9, 7), D(2026, 9, 14), (D(2026, 8, 31), D(2026, 9, 7))),
        ("2026-07-01..2026-07-10", D(2026, 7, 1), D(2026, 7, 11),
         (D(2026, 6, 21), D(2026, 7, 1))),
    ],
)
def test_periods_and_their_previous_period(text, start, end, previous):
    period = parse_period(text)
    assert (period.start, period.end) == (start, end)
    assert (period.previous().start, period.previous().end) == previous


def test_history_is_oldest_first():
    labels = [p.label for p in parse_period("2026-Q1").history(2)]
    assert labels == ["2025-Q3", "2025-Q4", "2026-Q1"]


@pytest.mark.parametrize("text", ["2026-Q5", "2026-13", "2026-W54", "Q3", "2026-07-10..2026-07-01"])
def test_bad_periods_say_what_is_accepted(text):
    with pytest.raises(InputError):
        parse_period(text)
