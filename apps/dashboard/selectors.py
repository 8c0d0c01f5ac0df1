"""Reads of the dashboard app, each limited to the user's region and set-based.

The dashboard of a region is a fixed number of queries whatever its number of villages: one
aggregate per panel, plus one grouped query per drill-down chart (by child region).
"""

from __future__ import annotations

import datetime

from django.db import connection, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from apps.assistance.models import POOR_STATUSES, Household, HouseholdStatus
from apps.cadres import statistics as cadre_stats
from apps.cadres.models import COLLEGE_OR_ABOVE, COMMITTEE_ROLES, EDUCATION_ORDER, Cadre
from apps.collective_economy.models import Bracket, Income, Project
from apps.core.scoping import scope_for
from apps.morality_bank.models import Resident
from apps.morality_bank.selectors import morality_stats
from apps.rankings import selectors as ranking_selectors
from apps.rankings.models import RankingKind
from apps.villages import selectors as village_selectors
from apps.villages.models import OPEN_RECTIFICATION_STATUSES, PovertyStatus, RatingLevel, Village

from .figures import FigureContext
from .models import PublicVillagePage, ReportPack
from .scope import Scope

CHILD_PATH = {"city": "county", "county": "township", "township": "pk"}


def _assistance_region(scope: Scope) -> dict:
    return {k: v for k, v in scope.region_kwargs().items() if k in ("county", "township")}


def village_panel(*, user, scope: Scope) -> dict:
    """Active villages by poverty status, in total and per child region (two queries)."""
    villages = village_selectors.village_list(user=user, include_retired=False).filter(
        **scope.village_filter("")
    )
    counts = {
        "villages": Count("pk"),
        "poor": Count("pk", filter=Q(poverty_status=PovertyStatus.POOR)),
        "deep_poor": Count("pk", filter=Q(poverty_status=PovertyStatus.DEEP_POOR)),
        "exited": Count("pk", filter=Q(exit_year__isnull=False)),
        "population": Sum("population_registered"),
    }
    totals = villages.aggregate(**counts)
    child = CHILD_PATH[scope.level]
    name = "name" if child == "pk" else f"{child}__name"
    code = "code" if child == "pk" else f"{child}__code"
    rows = (
        villages.order_by()
        .values(child_id=F(child), child_name=F(name), child_code=F(code))
        .annotate(**counts)
        .order_by("child_code")
    )
    return {"totals": totals, "children": list(rows)}


def household_panel(*, user, scope: Scope, population: int | None) -> dict:
    """Registered poor households by current status, people still poor and today's incidence (one query).

    The yearly incidence series (``assistance`` statistics, a replay of every status change) takes
    seconds on a city; the dashboard shows today's, which one aggregate gives.
    """
    households = scope_for(user, Household.objects.all()).filter(**scope.village_filter())
    counts = households.aggregate(
        households=Count("pk"),
        people=Sum("size"),
        poor_people=Sum("size", filter=Q(status__in=POOR_STATUSES)),
        **{status: Count("pk", filter=Q(status=status)) for status in HouseholdStatus.values},
    )
    poor_people = counts["poor_people"] or 0
    incidence = round(100 * poor_people / population, 2) if population else None
    return {"counts": counts, "poor_people": poor_people, "incidence": incidence}


def rating_panel(*, user, scope: Scope, year: int) -> dict:
    rows = village_selectors.level_counts(user=user, year_from=year, year_to=year, **scope.region_kwargs())
    by_region = []
    if scope.level in ("city", "county"):
        by_region = village_selectors.level_counts_by_region(
            user=user, year=year, by=scope.child_level, county=scope.county
        )
    empty = {"year": year, "total": 0, **dict.fromkeys(RatingLevel.values, 0), "shares": {}}
    return {"year": rows[0] if rows else empty, "by_region": by_region}


def rectification_panel(*, user, scope: Scope, year: int, today: datetime.date | None = None) -> dict:
    today = today or timezone.localdate()
    # Organisations carry their county and township, so the village lookups work from them too.
    cases = village_selectors.rectification_list(user=user, today=today).filter(
        **scope.village_filter("organisation")
    )
    open_ = Q(status__in=OPEN_RECTIFICATION_STATUSES)
    return cases.aggregate(
        open=Count("pk", filter=open_),
        overdue=Count("pk", filter=open_ & Q(deadline__lt=today)),
        opened_in_year=Count("pk", filter=Q(year=year)),
        accepted=Count("pk", filter=Q(status="accepted")),
    )


def cadre_panel(*, user, scope: Scope, year: int) -> dict:
    """Two-committee cadres in office on 31 December of ``year``: average age and education (one query).

    Grouped by the education on that day, so each cadre's degree history is looked up once (filtered
    aggregates repeated the lookup per level: five subplans per cadre)."""
    region = cadre_stats.resolve_region(user=user, **scope.region_kwargs())
    on = min(cadre_stats.as_of(year), timezone.localdate())
    held = region.positions().held_on(on).filter(role__in=COMMITTEE_ROLES)
    rows = list(
        Cadre.objects.filter(Exists(held.filter(cadre=OuterRef("pk"))))
        .annotate(education_then=cadre_stats.education_on(on))
        .order_by()
        .values("education_then")
        .annotate(cadres=Count("pk"), ages=Sum(cadre_stats.AgeOn(on, "birth_date")))
    )
    by_level = {row["education_then"]: row["cadres"] for row in rows}
    cadres = sum(row["cadres"] for row in rows)
    college = sum(by_level.get(level, 0) for level in COLLEGE_OR_ABOVE)
    return {
        "on": on,
        "cadres": cadres,
        # A float mean, as Avg() of an integer gave: 48.65 shows as 48.6 (binary 48.649…), as before.
        "average_age": cadre_stats.one_decimal(sum(row["ages"] for row in rows) / cadres if cadres else None),
        "education": {level: by_level.get(level, 0) for level in EDUCATION_ORDER},
        "college_share": cadre_stats.percent(college, cadres),
    }


def bracket_panel(*, user, scope: Scope, year: int) -> dict:
    ctx = FigureContext(user=user, scope=scope, year_from=year, year_to=year)
    row = ctx.incomes().get(year)
    return {
        "reported": row["reported"] if row else 0,
        "total": row["total"] if row else None,
        "brackets": [(code, label, row[f"bracket_{code}"] if row else 0) for code, label in Bracket.choices],
    }


def morality_panel(*, user, scope: Scope, year: int) -> dict:
    return morality_stats(user=user, year=year, **_assistance_region(scope))


RANKING_PANEL_SIZE = 5


def ranking_panel(*, user, scope: Scope) -> dict:
    """The latest published yearly village ranking of the region's county (a township sees its own
    villages in it): its top and bottom five; and the open escalations in the region, latest first.

    Rankings are made per county, so a city's dashboard lists escalations only."""
    ranking = top = bottom = None
    if scope.level != "city":
        county = scope.region if scope.level == "county" else scope.region.county
        ranking = ranking_selectors.latest_published(user=user, kind=RankingKind.VILLAGE, county=county)
    if ranking is not None:
        entries = ranking_selectors.entry_list(user=user, ranking=ranking)
        if scope.level == "township":
            entries = entries.filter(township=scope.region)
        top = list(entries[:RANKING_PANEL_SIZE])
        bottom = list(entries.order_by("-rank", "-subject_name", "-pk")[:RANKING_PANEL_SIZE])[::-1]
    region = {"city": "county__city", "county": "county", "township": "township"}[scope.level]
    escalations = ranking_selectors.open_escalations(user=user).filter(**{region: scope.region})
    return {
        "ranking": ranking,
        "top": top,
        "bottom": bottom,
        "escalations": list(escalations[:RANKING_PANEL_SIZE]),
        "open_escalations": escalations.count(),
    }


@transaction.atomic
def dashboard(*, user, scope: Scope, year: int) -> dict:
    """Every panel of the region's dashboard for ``year``."""
    with connection.cursor() as cursor:
        # The panels are short aggregates whose estimated cost crosses PostgreSQL's JIT threshold at a
        # city's scale: compiling them took ~50 ms of a ~90 ms query (benchmarks/README.md).
        cursor.execute("SELECT set_config('jit', 'off', true)")
    villages = village_panel(user=user, scope=scope)
    return {
        "villages": villages,
        "households": household_panel(user=user, scope=scope, population=villages["totals"]["population"]),
        "ratings": rating_panel(user=user, scope=scope, year=year),
        "rectifications": rectification_panel(user=user, scope=scope, year=year),
        "cadres": cadre_panel(user=user, scope=scope, year=year),
        "brackets": bracket_panel(user=user, scope=scope, year=year),
        "morality": morality_panel(user=user, scope=scope, year=year),
        "rankings": ranking_panel(user=user, scope=scope),
    }


# Report packs


def pack_list(*, user) -> QuerySet[ReportPack]:
    return scope_for(user, ReportPack.objects.select_related("city", "county", "township", "requested_by"))


# Public village pages (no login: these read only what the page shows, for one opted-in village)


def public_page_list(*, user) -> QuerySet[PublicVillagePage]:
    return scope_for(user, PublicVillagePage.objects.select_related("village"))


def published_village(code: str) -> Village | None:
    return (
        Village.objects.filter(code=code, public_page__enabled=True, retired_on__isnull=True)
        .select_related("township", "county")
        .first()
    )


def public_village_data(village: Village) -> dict:
    """The transparency page: points board (names and balances only), income by year, projects."""
    board = list(
        resident_list_for_public(village).order_by("-balance", "name").values_list("name", "balance")
    )
    incomes = list(
        Income.objects.filter(village=village)
        .order_by("year")
        .values("year", "operating", "resource", "investment", "subsidy", "other", "total")
    )
    projects = list(
        Project.objects.filter(village=village)
        .order_by("-start_year", "name")
        .values("name", "start_year", "households_benefiting")
    )
    return {"board": board, "incomes": incomes, "projects": projects}


def resident_list_for_public(village: Village) -> QuerySet[Resident]:
    """Residents of one published village: the public page reads names and balances, nothing else."""
    return Resident.objects.filter(village=village)


__all__ = ["dashboard", "pack_list", "public_page_list", "published_village", "public_village_data"]
