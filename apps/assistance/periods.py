"""Periods as the API writes them: months ``YYYY-MM``, quarters ``YYYYQn``, years ``YYYY``."""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
QUARTER_RE = re.compile(r"^(\d{4})Q([1-4])$")


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    @classmethod
    def parse(cls, text: str | None, *, field: str = "month") -> Month:
        match = MONTH_RE.match((text or "").strip())
        if not match or not 1 <= int(match[2]) <= 12 or int(match[1]) < 1900:
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
        match = QUARTER_RE.match((text or "").strip().upper())
        if not match or int(match[1]) < 1900:
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

    def __str__(self) -> str:
        return f"{self.year:04d}Q{self.quarter}"


def overlaps(
    start: datetime.date, end: datetime.date | None, first: datetime.date, last: datetime.date
) -> bool:
    """Whether the assignment ``start``–``end`` (open when ``end`` is None) touches ``first``–``last``."""
    return start <= last and (end is None or end >= first)
