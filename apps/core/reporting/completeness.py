"""What a township still misses for a period: set-based, a fixed number of queries for any number of
townships and months, so the county matrix costs the same as one township's check.

A gap is ``{"check", "label", "village", "village_name", "detail"}`` (``village`` may be None for
county-level gaps). A village is complete for a period when it has no gap.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import ExtractMonth
from django.utils.translation import gettext as _

from apps.core.periods import Month, Quarter, Year


def _gap(check: str, label: str, village_id=None, village_name="", detail="") -> dict:
    return {
        "check": check,
        "label": label,
        "village": village_id,
        "village_name": village_name,
        "detail": detail,
    }


def month_gaps(township_ids: Iterable[int], year: int) -> dict[tuple[int, int], list[dict]]:
    """Gaps of every (township id, month number) of ``year``: four queries whatever the size."""
    from apps.assistance.models import DutyLog, WorkTeam
    from apps.morality_bank.models import Award, AwardStatus

    township_ids = list(township_ids)
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    teams = list(
        WorkTeam.objects.filter(
            village__township__in=township_ids, village__retired_on__isnull=True, start_date__lte=last
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=first))
        .values("pk", "village_id", "village__name", "village__township_id", "start_date", "end_date")
    )
    logged = set(
        DutyLog.objects.filter(member__team__in=[t["pk"] for t in teams], date__range=(first, last))
        .annotate(month=ExtractMonth("date"))
        .values_list("member__team_id", "month")
        .distinct()
    )
    gaps: dict[tuple[int, int], list[dict]] = defaultdict(list)
    for team in teams:
        for number in range(1, 13):
            month = Month(year, number)
            active = team["start_date"] <= month.last and (
                team["end_date"] is None or team["end_date"] >= month.first
            )
            if active and (team["pk"], number) not in logged:
                gaps[(team["village__township_id"], number)].append(
                    _gap("duty_logs", _("No duty logs"), team["village_id"], team["village__name"])
                )
    pending = (
        Award.objects.filter(
            village__township__in=township_ids, status=AwardStatus.PENDING, date__range=(first, last)
        )
        .annotate(month=ExtractMonth("date"))
        .values("village_id", "village__name", "village__township_id", "month")
        .annotate(n=Count("pk"))
    )
    for row in pending:
        gaps[(row["village__township_id"], row["month"])].append(
            _gap(
                "pending_awards",
                _("Morality awards not yet approved"),
                row["village_id"],
                row["village__name"],
                str(row["n"]),
            )
        )
    return gaps


def year_gaps(township_ids: Iterable[int], year: int) -> dict[int, list[dict]]:
    """Gaps of every township for the yearly data of ``year``: collective income, ratings, household incomes."""
    from apps.assistance.models import Household, HouseholdIncome
    from apps.collective_economy.models import Income
    from apps.villages.models import PartyOrganisation, Rating, Village

    township_ids = list(township_ids)
    gaps: dict[int, list[dict]] = defaultdict(list)
    villages = Village.objects.filter(township__in=township_ids, retired_on__isnull=True)
    for row in villages.filter(~Exists(Income.objects.filter(village=OuterRef("pk"), year=year))).values(
        "pk", "name", "township_id"
    ):
        gaps[row["township_id"]].append(
            _gap("collective_income", _("No collective income"), row["pk"], row["name"])
        )
    organisations = (
        PartyOrganisation.objects.filter(township__in=township_ids)
        .filter(Q(founded_on__isnull=True) | Q(founded_on__year__lte=year))
        .filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__year__gte=year))
        .filter(~Exists(Rating.objects.filter(organisation=OuterRef("pk"), year=year)))
        .values("pk", "name", "township_id")
    )
    for row in organisations:
        gaps[row["township_id"]].append(_gap("rating", _("No rating"), None, row["name"]))
    missing_incomes = (
        Household.objects.filter(village__in=villages, registered_on__year__lte=year)
        .filter(~Exists(HouseholdIncome.objects.filter(household=OuterRef("pk"), year=year)))
        .values("village_id", "village__name", "village__township_id")
        .annotate(n=Count("pk"))
    )
    for row in missing_incomes:
        gaps[row["village__township_id"]].append(
            _gap(
                "household_income",
                _("Households without income"),
                row["village_id"],
                row["village__name"],
                str(row["n"]),
            )
        )
    return gaps


def township_gaps(township_id: int, period: Month | Quarter | Year) -> list[dict]:
    """The gaps of one township for one period (a quarter: those of its three months)."""
    if isinstance(period, Month):
        return month_gaps([township_id], period.year).get((township_id, period.month), [])
    if isinstance(period, Quarter):
        by_month = month_gaps([township_id], period.year)
        months = range(3 * period.quarter - 2, 3 * period.quarter + 1)
        return [
            {**gap, "detail": str(Month(period.year, m))}
            for m in months
            for gap in by_month.get((township_id, m), [])
        ]
    return year_gaps([township_id], period.year).get(township_id, [])


def incomplete_villages(gaps: list[dict]) -> set[int]:
    return {gap["village"] for gap in gaps if gap["village"] is not None}
