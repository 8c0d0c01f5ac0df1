"""Periods as the API writes them: months ``YYYY-MM``, quarters ``YYYYQn``, years ``YYYY``.

Every period type has the same small interface (``parse``, ``of``, ``first``, ``last``,
``previous``, ``next``, ``str``), so code that handles "a period" need not know which kind it is;
``parse_period`` reads any of the three.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

YEAR_RE = re.compile(r"^(\d{4})$")
MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
QUARTER_RE = re.compile(r"^(\d{4})Q([1-4])$")
MIN_YEAR = 1900


@dataclass(frozen=True, order=True)
class Year:
    year: int

    @classmethod
    def parse(cls, text: str | None, *, field: str = "year") -> Year:
        match = YEAR_RE.match(str(text or "").strip())
        if not match or int(match[1]) < MIN_YEAR:
            raise ValidationError({field: _("Give the year as YYYY, e.g. 2026.")})
        return cls(int(match[1]))

    @classmethod
    def of(cls, day: datetime.date) -> Year:
        return cls(day.year)

    @property
    def first(self) -> datetime.date:
        return datetime.date(self.year, 1, 1)

    @property
    def last(self) -> datetime.date:
        return datetime.date(self.year, 12, 31)

    def next(self) -> Year:
        return Year(self.year + 1)

    def previous(self) -> Year:
        return Year(self.year - 1)

    def __str__(self) -> str:
        return f"{self.year:04d}"


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    @classmethod
    def parse(cls, text: str | None, *, field: str = "month") -> Month:
        match = MONTH_RE.match(str(text or "").strip())
        if not match or not 1 <= int(match[2]) <= 12 or int(match[1]) < MIN_YEAR:
            raise ValidationError({field: _("Give the month as YYYY-MM, e.g. 2026-03.")})
        return cls(int(match[1]), int(match[2]))

    @classmethod
    def of(cls, day: datetime.date) -> Month:
        return cls(day.year, day.month)

    @property
    def first(self) -> datetime.date:
        return datetime.date(self.year, self.month, 1)

    @property
    def last(self) -> datetime.date:
        return datetime.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    @property
    def days(self) -> list[datetime.date]:
        return [self.first + datetime.timedelta(days=i) for i in range(self.last.day)]

    def next(self) -> Month:
        return Month(self.year + self.month // 12, self.month % 12 + 1)

    def previous(self) -> Month:
        return Month(self.year - (self.month == 1), (self.month - 2) % 12 + 1)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    quarter: int

    @classmethod
    def parse(cls, text: str | None, *, field: str = "quarter") -> Quarter:
        match = QUARTER_RE.match(str(text or "").strip().upper())
        if not match or int(match[1]) < MIN_YEAR:
            raise ValidationError({field: _("Give the quarter as YYYYQn, e.g. 2026Q1.")})
        return cls(int(match[1]), int(match[2]))

    @classmethod
    def of(cls, day: datetime.date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    @property
    def first(self) -> datetime.date:
        return datetime.date(self.year, 3 * self.quarter - 2, 1)

    @property
    def last(self) -> datetime.date:
        return Month(self.year, 3 * self.quarter).last

    def next(self) -> Quarter:
        return Quarter(self.year + self.quarter // 4, self.quarter % 4 + 1)

    def previous(self) -> Quarter:
        return Quarter(self.year - (self.quarter == 1), (self.quarter - 2) % 4 + 1)

    def __str__(self) -> str:
        return f"{self.year:04d}Q{self.quarter}"


Period = Year | Month | Quarter


def parse_period(text: str | None, *, field: str = "period") -> Period:
    """A year, quarter or month from its API spelling, or a ValidationError naming all three forms."""
    text = str(text or "").strip().upper()
    for kind in (Year, Quarter, Month):
        try:
            return kind.parse(text, field=field)
        except ValidationError:
            continue
    raise ValidationError(
        {field: _("Give the period as YYYY, YYYYQn or YYYY-MM, e.g. 2026, 2026Q1 or 2026-03.")}
    )


def in_quarter_end_window(day: datetime.date, days: int) -> bool:
    """Whether ``day`` is one of the last ``days`` days of its quarter."""
    return (Quarter.of(day).last - day).days < days


def quarter_end_window(day: datetime.date, days: int) -> tuple[datetime.date, datetime.date]:
    """The window at the end of ``day``'s quarter (first and last day)."""
    last = Quarter.of(day).last
    return last - datetime.timedelta(days=days - 1), last
