"""Reads of the reporting cycle, scoped: period lists, the county matrix (townships × months)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone

from apps.core.configuration import values_of
from apps.core.models import PeriodEvent, PeriodKind, PeriodStatus, ReportingPeriod
from apps.core.periods import Month, Quarter, Year
from apps.core.scoping import scope_for

from .completeness import incomplete_villages, month_gaps
from .config import DUE_DAYS
from .services import KINDS
from .timeliness import days_late


def period_list(*, user) -> QuerySet[ReportingPeriod]:
    return scope_for(
        user, ReportingPeriod.objects.select_related("county", "township", "submitted_by", "approved_by")
    )


def period_events(*, user, period: ReportingPeriod) -> QuerySet[PeriodEvent]:
    return scope_for(user, PeriodEvent.objects.filter(period=period).select_related("actor"))


def ensure_rows(*, townships, period: Month | Quarter | Year, counties=()) -> None:
    """Create the missing open rows of ``period`` for ``townships`` and ``counties`` (one statement)."""
    kind = KINDS[type(period)]
    rows = [
        ReportingPeriod(county_id=t.county_id, township=t, kind=kind, start=period.first, end=period.last)
        for t in townships
    ]
    rows += [ReportingPeriod(county=c, kind=kind, start=period.first, end=period.last) for c in counties]
    ReportingPeriod.objects.bulk_create(rows, ignore_conflicts=True)


def period_days_late(period: ReportingPeriod, due_days: int, today=None) -> int:
    return days_late(end=period.end, due_days=due_days, submitted_at=period.submitted_at, today=today)


def is_overdue(period: ReportingPeriod, due_days: int, today=None) -> bool:
    return (
        period.status in (PeriodStatus.OPEN, PeriodStatus.RETURNED)
        and period_days_late(period, due_days, today) > 0
    )


@dataclass
class Cell:
    month: Month
    status: str = PeriodStatus.OPEN
    period_id: int | None = None
    villages: int = 0
    complete: int = 0
    days_late: int = 0
    future: bool = False

    @property
    def share_complete(self) -> int | None:
        return round(100 * self.complete / self.villages) if self.villages else None


@dataclass
class MatrixRow:
    township: object
    cells: list[Cell] = field(default_factory=list)


def county_matrix(*, user, county, year: int, today: datetime.date | None = None) -> list[MatrixRow]:
    """Each township of ``county`` (in the user's scope) × each month of ``year``: status, share complete, days late.

    A fixed number of queries whatever the number of townships and villages.
    """
    from apps.villages.models import Township, Village

    today = today or timezone.localdate()
    townships = list(scope_for(user, Township.objects.filter(county=county)).order_by("code"))
    ids = [t.pk for t in townships]
    stored = {
        (row.township_id, row.start.month): row
        for row in ReportingPeriod.objects.filter(township__in=ids, kind=PeriodKind.MONTH, start__year=year)
    }
    village_counts: dict[int, int] = {}
    for township_id in Village.objects.filter(township__in=ids, retired_on__isnull=True).values_list(
        "township_id", flat=True
    ):
        village_counts[township_id] = village_counts.get(township_id, 0) + 1
    gaps = month_gaps(ids, year)
    due_days = values_of(DUE_DAYS, on=datetime.date(year, 12, 31))(county)
    rows = []
    for township in townships:
        row = MatrixRow(township)
        for number in range(1, 13):
            month = Month(year, number)
            period = stored.get((township.pk, number))
            cell = Cell(month=month, villages=village_counts.get(township.pk, 0), future=month.last >= today)
            missing = incomplete_villages(gaps.get((township.pk, number), []))
            cell.complete = cell.villages - len(missing)
            if period is not None:
                cell.status, cell.period_id = period.status, period.pk
                cell.days_late = period_days_late(period, due_days, today)
            elif not cell.future:
                cell.days_late = days_late(end=month.last, due_days=due_days, submitted_at=None, today=today)
            row.cells.append(cell)
        rows.append(row)
    return rows


def county_cells(*, user, county, year: int, today: datetime.date | None = None) -> list[Cell]:
    """The county's own month periods of ``year`` (approved by the city once all townships are)."""
    today = today or timezone.localdate()
    stored = {
        row.start.month: row
        for row in scope_for(
            user, ReportingPeriod.objects.filter(county=county, township__isnull=True)
        ).filter(kind=PeriodKind.MONTH, start__year=year)
    }
    cells = []
    for number in range(1, 13):
        month = Month(year, number)
        period = stored.get(number)
        cell = Cell(month=month, future=month.last >= today)
        if period is not None:
            cell.status, cell.period_id = period.status, period.pk
        cells.append(cell)
    return cells
