"""Quarters as the API writes them (``YYYYQn``) and the redemption window at the end of each."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

QUARTER_RE = re.compile(r"^(\d{4})Q([1-4])$")


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int

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
        return datetime.date(self.year, 3 * self.number - 2, 1)

    @property
    def last(self) -> datetime.date:
        following = Quarter(self.year + self.number // 4, self.number % 4 + 1).first
        return following - datetime.timedelta(days=1)

    def previous(self) -> Quarter:
        return Quarter(self.year - (self.number == 1), (self.number - 2) % 4 + 1)

    def __str__(self) -> str:
        return f"{self.year:04d}Q{self.number}"


def in_quarter_end_window(day: datetime.date, days: int) -> bool:
    """Whether ``day`` is one of the last ``days`` days of its quarter."""
    return (Quarter.of(day).last - day).days < days


def quarter_end_window(day: datetime.date, days: int) -> tuple[datetime.date, datetime.date]:
    """The window at the end of ``day``'s quarter (first and last day)."""
    last = Quarter.of(day).last
    return last - datetime.timedelta(days=days - 1), last
