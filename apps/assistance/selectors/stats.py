"""Statistics for the assistance reports (Bazhong figures 7, 8, 9, 11 and the incidence curve).

Every figure is one or two set-based queries, whatever the number of villages; a region filter
(``county``/``township``) narrows the user's own scope, it never widens it.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import ExtractYear
from django.utils import timezone

from apps.core.periods import Month
from apps.core.scoping import scope_for
from apps.villages.models import Village

from ..models import (
    POOR_STATUSES,
    Commendation,
    DisciplineCase,
    Household,
    MemberRole,
    Promotion,
    WorkTeam,
    WorkTeamMember,
)
from ._expressions import overlap_q
from .duty import township_duty_rates

FIRST_YEAR = 2014


def _region(queryset: QuerySet, village_path: str, county=None, township=None) -> QuerySet:
    """Narrow to one county or township; ``village_path`` leads to the village ("" for villages)."""
    prefix = f"{village_path}__" if village_path else ""
    if county is not None:
        queryset = queryset.filter(**{f"{prefix}county": county})
    if township is not None:
        queryset = queryset.filter(**{f"{prefix}township": township})
    return queryset


def _sql(queryset: QuerySet) -> tuple[str, tuple] | None:
    try:
        return queryset.query.sql_with_params()
    except EmptyResultSet:  # default-deny compiles to nothing
        return None


def members_by_unit_type(*, user, county=None, township=None, year: int | None = None) -> dict[str, int]:
    """Figure 7: work-team members by the type of their dispatching unit (those serving in ``year``)."""
    members = _region(scope_for(user, WorkTeamMember.objects.all()), "team__village", county, township)
    if year is not None:
        members = members.filter(overlap_q(datetime.date(year, 1, 1), datetime.date(year, 12, 31)))
    return dict(members.order_by().values_list("unit_type").annotate(n=Count("pk")))


def teams_over_time(*, user, years: list[int], county=None, township=None) -> list[dict]:
    """Teams, first secretaries and members serving at some point of each year (two queries)."""

    def in_year(year, prefix=""):
        return overlap_q(datetime.date(year, 1, 1), datetime.date(year, 12, 31), prefix)

    teams = _region(scope_for(user, WorkTeam.objects.all()), "village", county, township).aggregate(
        **{f"t{year}": Count("pk", filter=in_year(year)) for year in years}
    )
    members = _region(scope_for(user, WorkTeamMember.objects.all()), "team__village", county, township)
    people = members.aggregate(
        **{f"m{year}": Count("pk", filter=in_year(year)) for year in years},
        **{
            f"f{year}": Count("pk", filter=in_year(year) & Q(role=MemberRole.FIRST_SECRETARY))
            for year in years
        },
    )
    return [
        {
            "year": year,
            "teams": teams[f"t{year}"],
            "first_secretaries": people[f"f{year}"],
            "members": people[f"m{year}"],
        }
        for year in years
    ]


def households_by_cause_and_status(*, user, county=None, township=None) -> list[dict]:
    """Households and people by main cause and current status (one query)."""
    households = _region(scope_for(user, Household.objects.all()), "village", county, township)
    rows = (
        households.order_by()
        .values("cause", "status")
        .annotate(households=Count("pk"), people=Sum("size"))
        .order_by("cause", "status")
    )
    return list(rows)


INCIDENCE_SQL = """
WITH h AS ({households}),
changes AS (
    SELECT c.household_id, c.status, c.date,
           LEAD(c.date) OVER (PARTITION BY c.household_id ORDER BY c.date, c.id) AS next_date,
           ROW_NUMBER() OVER (PARTITION BY c.household_id ORDER BY c.date, c.id) AS position
    FROM assistance_householdstatuschange c
    WHERE c.household_id IN (SELECT id FROM h)
),
poor AS (
    -- Poor from registration to the first change ...
    SELECT h.size, EXTRACT(YEAR FROM h.registered_on)::int AS first_year,
           EXTRACT(YEAR FROM first_change.date)::int AS end_year
    FROM h LEFT JOIN changes first_change ON first_change.household_id = h.id AND first_change.position = 1
    UNION ALL
    -- ... and again in every period that starts with a poor or relapsed status.
    SELECT h.size, EXTRACT(YEAR FROM changes.date)::int, EXTRACT(YEAR FROM changes.next_date)::int
    FROM changes JOIN h ON h.id = changes.household_id
    WHERE changes.status = ANY(%s)
)
SELECT year, SUM(size)
FROM poor CROSS JOIN LATERAL generate_series(
    GREATEST(first_year, %s), LEAST(COALESCE(end_year - 1, %s), %s)
) AS year
GROUP BY year
"""


def incidence_by_year(*, user, years: list[int], county=None, township=None) -> list[dict]:
    """Poverty incidence: people of households poor at the end of each year ÷ registered population.

    A household is poor from its registration until its first status change, and again from a
    change to ``poor`` or ``relapsed`` until the next change; a change dated 31 December already
    counts for that year. The population is the registered population of the villages in scope
    today. Two queries.
    """
    villages = _region(scope_for(user, Village.objects.active()), "", county, township)
    population = villages.aggregate(total=Sum("population_registered"))["total"] or 0
    households = _region(scope_for(user, Household.objects.all()), "village", county, township)
    compiled = _sql(households.order_by().values("id", "size", "registered_on"))
    poor = {}
    if compiled is not None and years:
        sql, params = compiled
        with connection.cursor() as cursor:
            cursor.execute(
                INCIDENCE_SQL.format(households=sql),
                [*params, [str(s) for s in POOR_STATUSES], min(years), max(years), max(years)],
            )
            poor = dict(cursor.fetchall())
    return [
        {
            "year": year,
            "poor_people": int(poor.get(year, 0)),
            "population": population,
            "incidence": round(100 * int(poor.get(year, 0)) / population, 2) if population else None,
        }
        for year in years
    ]


def pairs_per_cadre(*, user, county=None, township=None) -> dict:
    """How many cadres are paired with 1, 2, 3 … households, and how many households have no cadre."""
    households = _region(scope_for(user, Household.objects.all()), "village", county, township)
    totals = households.aggregate(
        paired=Count("pk", filter=Q(paired_cadre__isnull=False)),
        unpaired=Count("pk", filter=Q(paired_cadre__isnull=True)),
    )
    compiled = _sql(
        households.filter(paired_cadre__isnull=False)
        .order_by()
        .values("paired_cadre")
        .annotate(n=Count("pk"))
        .values("n")
    )
    distribution = []
    if compiled is not None:
        sql, params = compiled
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT n, COUNT(*) FROM ({sql}) AS pairs GROUP BY n ORDER BY n", params)  # noqa: S608
            distribution = [{"households": n, "cadres": cadres} for n, cadres in cursor.fetchall()]
    return {
        "paired_households": totals["paired"],
        "unpaired_households": totals["unpaired"],
        "distribution": distribution,
    }


def _per_year(queryset: QuerySet, field: str) -> list[dict]:
    return list(
        queryset.order_by()
        .annotate(year=ExtractYear("date"))
        .values("year", field)
        .annotate(count=Count("pk"))
        .order_by("year", field)
    )


def records_per_year(*, user, county=None, township=None) -> dict[str, list[dict]]:
    """Figures 8, 9 and 11: commendations and promotions by level, discipline cases by category, per year."""
    return {
        "commendations": _per_year(
            _region(scope_for(user, Commendation.objects.all()), "village", county, township), "level"
        ),
        "promotions": _per_year(
            _region(scope_for(user, Promotion.objects.all()), "village", county, township), "level"
        ),
        "discipline_cases": _per_year(
            _region(scope_for(user, DisciplineCase.objects.all()), "village", county, township), "category"
        ),
    }


def duty_rates_by_township(*, user, month: Month, county=None) -> list[dict]:
    townships = township_duty_rates(user=user, month=month)
    if county is not None:
        townships = townships.filter(county=county)
    return [
        {
            "township": township.pk,
            "name": township.name,
            "assigned_days": township.assigned_days,
            "on_duty_days": township.on_duty_days,
            "duty_rate": township.duty_rate,
        }
        for township in townships
    ]


def assistance_stats(
    *, user, county=None, township=None, year: int | None = None, month: Month | None = None
):
    """Every figure of the statistics page and ``GET stats/assistance/``."""
    today = timezone.localdate()
    years = list(range(FIRST_YEAR, today.year + 1))
    month = month or Month.of(today).previous()
    region = {"county": county, "township": township}
    return {
        "year": year,
        "month": str(month),
        "members_by_unit_type": members_by_unit_type(user=user, year=year, **region),
        "over_time": teams_over_time(user=user, years=years, **region),
        "duty_rates_by_township": duty_rates_by_township(user=user, month=month, county=county)
        if township is None
        else [
            row
            for row in duty_rates_by_township(user=user, month=month, county=county)
            if row["township"] == township.pk
        ],
        "households_by_cause_and_status": households_by_cause_and_status(user=user, **region),
        "incidence": incidence_by_year(user=user, years=years, **region),
        "pairs_per_cadre": pairs_per_cadre(user=user, **region),
        **records_per_year(user=user, **region),
    }
