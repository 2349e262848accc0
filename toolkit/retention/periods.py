"""Reporting periods: ``2026-Q3``, ``2026-09``, ``2026-W37`` or ``2026-07-01..2026-09-30``.

A period is a half-open range of dates ``[start, end)``. Its *previous* period is the one of the
same kind just before it: the previous quarter, month or ISO week, and for an explicit range the
same number of days immediately before ``start``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ..errors import InputError

_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$", re.IGNORECASE)
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$", re.IGNORECASE)
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$")


@dataclass(frozen=True)
class Period:
    """Dates ``start`` (inclusive) to ``end`` (exclusive), of a ``kind``."""

    kind: str  # "quarter", "month", "week" or "range"
    start: dt.date
    end: dt.date

    @property
    def last(self) -> dt.date:
        """The last day in the period (``end`` is exclusive)."""
        return self.end - dt.timedelta(days=1)

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    @property
    def label(self) -> str:
        """``2026-Q3``, ``2026-09``, ``2026-W37`` or ``2026-07-01..2026-09-30``.

        >>> parse_period("2026-q3").label, parse_period("2026-W01").previous().label
        ('2026-Q3', '2025-W52')
        """
        if self.kind == "quarter":
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        if self.kind == "month":
            return f"{self.start.year}-{self.start.month:02d}"
        if self.kind == "week":
            year, week, _ = self.start.isocalendar()
            return f"{year}-W{week:02d}"
        return f"{self.start.isoformat()}..{self.last.isoformat()}"

    def previous(self) -> Period:
        """The period of the same kind and length just before this one.

        >>> parse_period("2026-Q1").previous().label
        '2025-Q4'
        >>> parse_period("2026-03-01..2026-03-10").previous().label
        '2026-02-19..2026-02-28'
        """
        try:
            if self.kind in ("quarter", "month"):
                months = 3 if self.kind == "quarter" else 1
                year, month = self.start.year, self.start.month - months
                if month < 1:
                    year, month = year - 1, month + 12
                return Period(self.kind, dt.date(year, month, 1), self.start)
            return Period(self.kind, self.start - dt.timedelta(days=self.days), self.start)
        except (ValueError, OverflowError) as exc:  # before 0001-01-01
            raise InputError(
                f"there is no period before {self.label} (the first quarter, month or week of "
                "year 1).",
                hint="Ask for fewer --trend periods.",
            ) from exc

    def history(self, count: int) -> list[Period]:
        """The ``count`` periods before this one and this one, oldest first."""
        periods = [self]
        for _ in range(count):
            periods.append(periods[-1].previous())
        return periods[::-1]

    def as_dict(self) -> dict[str, str]:
        return {"label": self.label, "start": self.start.isoformat(), "end": self.last.isoformat()}


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def parse_period(text: str) -> Period:
    """A period from its name; an InputError says which forms are accepted.

    >>> p = parse_period("2026-09"); (p.start.isoformat(), p.end.isoformat())
    ('2026-09-01', '2026-10-01')
    """
    value = text.strip()
    try:
        if match := _QUARTER.match(value):
            start = dt.date(int(match[1]), (int(match[2]) - 1) * 3 + 1, 1)
            return Period("quarter", start, _add_months(start, 3))
        if match := _MONTH.match(value):
            start = dt.date(int(match[1]), int(match[2]), 1)
            return Period("month", start, _add_months(start, 1))
        if match := _WEEK.match(value):
            start = dt.date.fromisocalendar(int(match[1]), int(match[2]), 1)
            return Period("week", start, start + dt.timedelta(days=7))
        if match := _RANGE.match(value):
            start, last = dt.date.fromisoformat(match[1]), dt.date.fromisoformat(match[2])
            if last < start:
                raise InputError(f"period '{text}' ends before it starts.")
            return Period("range", start, last + dt.timedelta(days=1))
    except ValueError as exc:
        raise InputError(f"period '{text}' is not a real date: {exc}.") from exc
    raise InputError(
        f"cannot read period '{text}'.",
        hint="Use 2026-Q3, 2026-09, 2026-W37 or START..END (2026-07-01..2026-09-30, both "
        "days included).",
    )
