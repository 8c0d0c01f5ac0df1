"""Monthly duty: on-duty rates (API.md's default work-team score) and allowances."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    DecimalField,
    F,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    When,
)
from django.db.models.functions import Cast, Coalesce, Round, TruncMonth
from django.utils import timezone

from apps.core.configuration import value_of, values_of
from apps.core.periods import Month
from apps.core.scoping import scope_for
from apps.villages.models import Township

from ..config import COMMUNICATION_ALLOWANCE, LIVING_ALLOWANCE
from ..models import DutyLog, WorkTeamMember
from ._expressions import assigned_days, overlap_q
from .teams import team_member_list, work_team_list

CENT = Decimal("0.01")


def _on_duty_count(month: Month, member_path: str):
    """Per outer row: duty logs with ``on_duty`` in ``month`` whose member matches ``member_path``."""
    logs = (
        DutyLog.objects.filter(
            on_duty=True, date__range=(month.first, month.last), **{member_path: OuterRef("pk")}
        )
        .order_by()
        .values(member_path)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(logs, output_field=IntegerField()), 0)


def _rate(on_duty: str, assigned: str):
    """100 × on-duty ÷ assigned days, 2 decimals; null without assigned days."""
    rate = DecimalField(max_digits=7, decimal_places=2)
    return Case(
        When(
            **{f"{assigned}__gt": 0},
            # numeric, not integer, division: literals are bound client-side and would stay integers
            then=Round(
                Cast(F(on_duty), DecimalField(max_digits=12, decimal_places=4)) * 100 / F(assigned),
                2,
                output_field=rate,
            ),
        ),
        default=None,
        output_field=rate,
    )


def with_month_duty(members: QuerySet[WorkTeamMember], month: Month) -> QuerySet[WorkTeamMember]:
    """Members annotated with ``assigned_days`` and ``on_duty_days`` in ``month`` and their ``duty_rate``."""
    return members.annotate(
        assigned_days=assigned_days(month.first, month.last),
        on_duty_days=_on_duty_count(month, "member"),
    ).annotate(duty_rate=_rate("on_duty_days", "assigned_days"))


def team_duty_rates(*, user, month: Month):
    """Teams in scope active in ``month``, with ``assigned_days``, ``on_duty_days`` and ``duty_rate`` (0–100).

    The default monthly work-team score of API.md: on-duty logs of all members in the month over
    the calendar days of the month inside each member's assignment, summed over members.
    """
    days = (
        WorkTeamMember.objects.filter(overlap_q(month.first, month.last), team=OuterRef("pk"))
        .order_by()
        .values("team")
        .annotate(n=Sum(assigned_days(month.first, month.last)))
        .values("n")
    )
    return (
        work_team_list(user=user, on=month.last)
        .filter(overlap_q(month.first, month.last))
        .annotate(
            assigned_days=Coalesce(Subquery(days, output_field=IntegerField()), 0),
            on_duty_days=_on_duty_count(month, "member__team"),
        )
        .annotate(duty_rate=_rate("on_duty_days", "assigned_days"))
    )


def township_duty_rates(*, user, month: Month) -> QuerySet[Township]:
    """Townships in scope with the same figures over all their teams' members (one query)."""
    members = scope_for(user, WorkTeamMember.objects.filter(overlap_q(month.first, month.last)))
    days = (
        members.filter(team__village__township=OuterRef("pk"))
        .order_by()
        .values("team__village__township")
        .annotate(n=Sum(assigned_days(month.first, month.last)))
        .values("n")
    )
    logs = (
        scope_for(user, DutyLog.objects.filter(on_duty=True, date__range=(month.first, month.last)))
        .filter(member__team__village__township=OuterRef("pk"))
        .order_by()
        .values("member__team__village__township")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        scope_for(user, Township.objects.select_related("county"))
        .annotate(
            assigned_days=Coalesce(Subquery(days, output_field=IntegerField()), 0),
            on_duty_days=Coalesce(Subquery(logs, output_field=IntegerField()), 0),
        )
        .filter(assigned_days__gt=0)
        .annotate(duty_rate=_rate("on_duty_days", "assigned_days"))
        .order_by("county__code", "code")
    )


def member_duty_by_month(member: WorkTeamMember, *, months: int) -> list[dict]:
    """The member's last ``months`` months (newest first): days assigned, days on duty and the rate (one query)."""
    current = Month.of(timezone.localdate())
    periods = [current]
    for _i in range(months - 1):
        periods.append(periods[-1].previous())
    on_duty = dict(
        DutyLog.objects.filter(member=member, on_duty=True, date__gte=periods[-1].first)
        .annotate(month=TruncMonth("date"))
        .order_by()
        .values("month")
        .annotate(n=Count("pk"))
        .values_list("month", "n")
    )
    rows = []
    for month in periods:
        start = max(member.start_date, month.first)
        end = min(member.end_date or month.last, month.last)
        assigned = max((end - start).days + 1, 0)
        days = on_duty.get(month.first, 0)
        rate = (Decimal(100) * days / assigned).quantize(CENT) if assigned else None
        rows.append({"month": month, "assigned_days": assigned, "on_duty_days": days, "duty_rate": rate})
    return rows


@dataclass(frozen=True)
class Allowance:
    """A member's allowances for one month: living per on-duty day, communication per month served."""

    month: Month
    on_duty_days: int
    assigned_days: int
    living_rate: Decimal
    communication_rate: Decimal

    @property
    def served(self) -> bool:
        return self.assigned_days > 0

    @property
    def living(self) -> Decimal:
        return (self.living_rate * self.on_duty_days).quantize(CENT)

    @property
    def communication(self) -> Decimal:
        return (self.communication_rate if self.served else Decimal(0)).quantize(CENT)

    @property
    def total(self) -> Decimal:
        return self.living + self.communication


def member_allowance(member: WorkTeamMember, month: Month) -> Allowance:
    """The rates in force on the first day of the month, for the member's county, apply to the whole month."""
    row = with_month_duty(WorkTeamMember.objects.filter(pk=member.pk), month).values(
        "assigned_days", "on_duty_days", "team__village__county_id"
    )[0]
    county = row["team__village__county_id"]
    return Allowance(
        month=month,
        on_duty_days=row["on_duty_days"],
        assigned_days=row["assigned_days"],
        living_rate=value_of(LIVING_ALLOWANCE.key, on=month.first, county=county),
        communication_rate=value_of(COMMUNICATION_ALLOWANCE.key, on=month.first, county=county),
    )


@dataclass(frozen=True)
class AllowanceRow:
    member: WorkTeamMember
    allowance: Allowance


def allowance_sheet(*, user, month: Month, county=None, township=None) -> list[AllowanceRow]:
    """Every member in scope who served in ``month`` (optionally of one county or township), with allowances.

    Three queries whatever the size: the members with their duty days, and the two rates by county.
    """
    members = team_member_list(user=user).filter(overlap_q(month.first, month.last))
    if county is not None:
        members = members.filter(team__village__county=county)
    if township is not None:
        members = members.filter(team__village__township=township)
    members = (
        with_month_duty(members, month)
        .select_related("team__village__county")
        .order_by("team__village__township__code", "team__village__code", "team_id", "role", "name", "pk")
    )
    living, communication = (
        values_of(LIVING_ALLOWANCE.key, on=month.first),
        values_of(COMMUNICATION_ALLOWANCE.key, on=month.first),
    )
    rows = []
    for member in members:
        county_id = member.team.village.county_id
        rows.append(
            AllowanceRow(
                member,
                Allowance(
                    month=month,
                    on_duty_days=member.on_duty_days,
                    assigned_days=member.assigned_days,
                    living_rate=living(county_id),
                    communication_rate=communication(county_id),
                ),
            )
        )
    return rows
