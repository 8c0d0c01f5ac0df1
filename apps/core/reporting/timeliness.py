"""When a period can be submitted and when it is late.

A period can be submitted from ``end + grace_days + 1`` (``reporting.grace_days``, default 5: time
for late entries) and is due on ``end + due_days`` (``reporting.due_days``, default 15). Days late
count from the due date to the submission (or to today while it is not submitted); 0 when on time.
Values are read for the county as in force on the period's last day.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from apps.core.configuration import value_of

from .config import DUE_DAYS, GRACE_DAYS


def opens_on(end: datetime.date, grace_days: int) -> datetime.date:
    return end + datetime.timedelta(days=grace_days + 1)


def due_on(end: datetime.date, due_days: int) -> datetime.date:
    return end + datetime.timedelta(days=max(due_days, 0))


def days_late(
    *,
    end: datetime.date,
    due_days: int,
    submitted_at: datetime.datetime | None,
    today: datetime.date | None = None,
) -> int:
    until = timezone.localdate(submitted_at) if submitted_at else (today or timezone.localdate())
    return max((until - due_on(end, due_days)).days, 0)


def rules_for(county, end: datetime.date) -> tuple[int, int]:
    """(grace days, due days) for ``county`` as configured on ``end``."""
    return value_of(GRACE_DAYS, on=end, county=county), value_of(DUE_DAYS, on=end, county=county)
