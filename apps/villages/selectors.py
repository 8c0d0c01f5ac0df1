import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from apps.core.queries import count_each
from apps.core.scoping import scope_for

from .models import (
    OPEN_RECTIFICATION_STATUSES,
    CentralHousehold,
    City,
    County,
    PartyGrid,
    PartyOrganisation,
    PovertyStatus,
    Rating,
    RatingLevel,
    Rectification,
    RectificationNote,
    RectificationStatus,
    Township,
    Village,
)


def city_list(*, user) -> QuerySet[City]:
    return scope_for(user, City.objects.all())


def county_list(*, user) -> QuerySet[County]:
    return scope_for(user, County.objects.select_related("city"))


def township_list(*, user) -> QuerySet[Township]:
    return scope_for(user, Township.objects.select_related("county"))


def village_list(*, user, include_retired: bool = True) -> QuerySet[Village]:
    qs = Village.objects.select_related("township", "county")
    if not include_retired:
        qs = qs.active()
    return scope_for(user, qs)


def _scoped_count(user, queryset: QuerySet, parent_field: str) -> Coalesce:
    """Per outer row: how many of the scoped ``queryset`` records have it as ``parent_field``."""
    counts = (
        scope_for(user, queryset.filter(**{parent_field: OuterRef("pk")}))
        .order_by()
        .values(parent_field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counts), 0)


def county_list_with_counts(*, user) -> QuerySet[County]:
    """Counties in scope with ``township_count`` and ``village_count`` (active villages in scope)."""
    return county_list(user=user).annotate(
        township_count=_scoped_count(user, Township.objects.all(), "county"),
        village_count=_scoped_count(user, Village.objects.active(), "county"),
    )


def township_list_with_counts(*, user) -> QuerySet[Township]:
    """Townships in scope with ``village_count`` (active villages in scope)."""
    return township_list(user=user).annotate(
        village_count=_scoped_count(user, Village.objects.active(), "township")
    )


def region_totals(*, user) -> dict[str, int]:
    """Counties, townships, active villages and active poor villages in scope, in one query."""
    villages = village_list(user=user, include_retired=False)
    return count_each(
        counties=county_list(user=user),
        townships=township_list(user=user),
        villages=villages,
        poor_villages=villages.exclude(poverty_status=PovertyStatus.NONE),
    )


# Party organisations, ratings and rectification


def organisation_list(*, user) -> QuerySet[PartyOrganisation]:
    """Organisations in the user's region, with their villages' ids prefetched (each organisation once)."""
    return scope_for(
        user, PartyOrganisation.objects.select_related("township", "county", "secretary")
    ).prefetch_related(
        Prefetch("villages", queryset=Village.objects.only("pk", "name", "code").order_by("code"))
    )


def organisation_list_for_page(*, user, year: int | None = None) -> QuerySet[PartyOrganisation]:
    """``organisation_list`` with the rating of ``year`` (or the latest one) and the count of open cases."""
    ratings = Rating.objects.filter(organisation=OuterRef("pk"))
    ratings = ratings.filter(year=year) if year else ratings.order_by("-year")
    open_cases = (
        Rectification.objects.filter(organisation=OuterRef("pk"), status__in=OPEN_RECTIFICATION_STATUSES)
        .order_by()
        .values("organisation")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return organisation_list(user=user).annotate(
        shown_level=Subquery(ratings.values("level")[:1]),
        shown_year=Subquery(ratings.values("year")[:1]),
        open_cases=Coalesce(Subquery(open_cases), 0),
    )


def rating_list(*, user) -> QuerySet[Rating]:
    return scope_for(user, Rating.objects.select_related("organisation", "confirmed_by"))


def grid_list(*, user) -> QuerySet[PartyGrid]:
    return scope_for(user, PartyGrid.objects.select_related("organisation"))


def central_household_list(*, user) -> QuerySet[CentralHousehold]:
    return scope_for(user, CentralHousehold.objects.select_related("grid__organisation"))


def _overdue_expression(today: datetime.date) -> Case:
    return Case(
        When(status__in=OPEN_RECTIFICATION_STATUSES, deadline__lt=today, then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )


def rectification_list(*, user, today: datetime.date | None = None) -> QuerySet[Rectification]:
    """Cases in the user's region, each with ``next_rating`` (the level a year later) and ``overdue``."""
    next_rating = Rating.objects.filter(organisation=OuterRef("organisation"), year=OuterRef("year") + 1)
    return (
        scope_for(
            user,
            Rectification.objects.select_related(
                "organisation__township", "organisation__county", "accepted_by", "rating"
            ),
        )
        .annotate(
            next_rating=Subquery(next_rating.values("level")[:1]),
            overdue=_overdue_expression(today or timezone.localdate()),
        )
        .prefetch_related(
            Prefetch(
                "notes", queryset=RectificationNote.objects.select_related("author").order_by("date", "pk")
            )
        )
    )


def rectification_board(
    *, user, cases: QuerySet[Rectification] | None = None, accepted_shown: int = 20
) -> dict:
    """The board: open cases grouped by status, overdue first and then by deadline; the latest accepted
    cases (``accepted_shown`` of ``accepted_count``); open repeat cases apart."""
    cases = rectification_list(user=user) if cases is None else cases
    open_cases = list(
        cases.filter(status__in=OPEN_RECTIFICATION_STATUSES)
        .prefetch_related(None)
        .order_by(F("overdue").desc(), F("deadline").asc(nulls_last=True), "-year", "organisation__name")
    )
    groups: dict[str, list] = {status: [] for status in OPEN_RECTIFICATION_STATUSES}
    for case in open_cases:
        groups[case.status].append(case)
    accepted = cases.filter(status=RectificationStatus.ACCEPTED).prefetch_related(None)
    return {
        "groups": groups,
        "labels": dict(RectificationStatus.choices),
        "overdue_count": sum(case.overdue for case in open_cases),
        "repeat": [case for case in open_cases if case.is_repeat],
        "accepted": list(accepted.order_by("-accepted_on", "-pk")[:accepted_shown]),
        "accepted_count": accepted.count(),
    }


# Figures for dashboards, per region and year range (Bazhong figures 1–3). Every figure is one query.


def _in_region(queryset: QuerySet, prefix: str, county=None, township=None, city=None) -> QuerySet:
    """Narrow an already scoped queryset to one city, county or township (objects or ids)."""
    if city is not None:
        queryset = queryset.filter(**{f"{prefix}county__city": city})
    if county is not None:
        queryset = queryset.filter(**{f"{prefix}county": county})
    if township is not None:
        queryset = queryset.filter(**{f"{prefix}township": township})
    return queryset


def _share(part: int, total: int) -> Decimal:
    """A percentage with one decimal (0.0 when there is nothing to divide)."""
    if not total:
        return Decimal("0.0")
    return (Decimal(100) * part / total).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def level_counts(*, user, year_from: int, year_to: int, county=None, township=None, city=None) -> list[dict]:
    """Per year: rated organisations and the count and share of each level (an organisation counts once)."""
    ratings = _in_region(rating_list(user=user), "organisation__", county, township, city)
    rows = (
        ratings.filter(year__range=(year_from, year_to))
        .order_by()
        .values("year")
        .annotate(
            total=Count("pk"),
            **{level: Count("pk", filter=Q(level=level)) for level in RatingLevel.values},
        )
        .order_by("year")
    )
    return [
        {
            "year": row["year"],
            "total": row["total"],
            **{level: row[level] for level in RatingLevel.values},
            "shares": {level: _share(row[level], row["total"]) for level in RatingLevel.values},
        }
        for row in rows
    ]


def level_counts_by_region(*, user, year: int, by: str = "county", county=None) -> list[dict]:
    """For one year: each county (or township) with its count and share of each level."""
    if by not in ("county", "township"):
        raise ValueError(by)
    ratings = _in_region(rating_list(user=user), "organisation__", county).filter(year=year)
    rows = (
        ratings.order_by()
        .values(region_id=F(f"organisation__{by}"), region_name=F(f"organisation__{by}__name"))
        .annotate(
            total=Count("pk"), **{level: Count("pk", filter=Q(level=level)) for level in RatingLevel.values}
        )
        .order_by(f"organisation__{by}__code")
    )
    return [
        {**row, "shares": {level: _share(row[level], row["total"]) for level in RatingLevel.values}}
        for row in rows
    ]


def latest_rated_year(*, user, county=None, township=None, city=None) -> int | None:
    ratings = _in_region(rating_list(user=user), "organisation__", county, township, city)
    return ratings.aggregate(year=Max("year"))["year"]


def level_distribution(
    *, user, year: int | None = None, county=None, township=None, city=None
) -> dict | None:
    """Figure 2: the share of advanced / ordinary / weak-and-lax organisations in ``year`` (default: the latest)."""
    region = {"county": county, "township": township, "city": city}
    year = year or latest_rated_year(user=user, **region)
    if year is None:
        return None
    rows = level_counts(user=user, year_from=year, year_to=year, **region)
    return rows[0] if rows else None


def rectified_per_year(*, user, year_from: int, year_to: int, county=None, township=None, city=None) -> dict:
    """Figure 1: cases opened per year, how many organisations were rectified for the first time since
    ``year_from``, the running total and its share of the region's villages, and repeat cases apart."""
    cases = _in_region(rectification_list(user=user), "organisation__", county, township, city).filter(
        year__range=(year_from, year_to)
    )
    earlier = Rectification.objects.filter(
        organisation=OuterRef("organisation"), year__gte=year_from, year__lt=OuterRef("year")
    )
    rows = list(
        cases.order_by()
        .values("year")
        .annotate(
            cases=Count("pk"),
            first_time=Count("pk", filter=~Q(Exists(earlier))),
            repeat=Count("pk", filter=Q(is_repeat=True)),
        )
        .order_by("year")
    )
    villages = _in_region(village_list(user=user, include_retired=False), "", county, township, city).count()
    running = 0
    for row in rows:
        running += row["first_time"]
        row["cumulative"] = running
        row["share_of_villages"] = _share(running, villages)
    return {
        "years": rows,
        "organisations": running,
        "villages": villages,
        "share_of_villages": _share(running, villages),
        "repeat_cases": sum(row["repeat"] for row in rows),
    }


def joint_organisations_per_year(
    *, user, year_from: int, year_to: int, county=None, township=None, city=None
) -> list[dict]:
    """Figure 3: joint organisations founded in each year and how many existed at each year's end."""
    joint = _in_region(
        scope_for(user, PartyOrganisation.objects.filter(is_joint=True)), "", county, township, city
    )
    years = range(year_from, year_to + 1)

    def existing(year):
        founded = Q(founded_on__isnull=True) | Q(founded_on__year__lte=year)
        return founded & (Q(dissolved_on__isnull=True) | Q(dissolved_on__year__gt=year))

    counts = joint.aggregate(
        **{f"new_{y}": Count("pk", filter=Q(founded_on__year=y)) for y in years},
        **{f"existing_{y}": Count("pk", filter=existing(y)) for y in years},
    )
    return [{"year": y, "new": counts[f"new_{y}"], "existing": counts[f"existing_{y}"]} for y in years]


def party_figures(*, user, year_from: int, year_to: int, county=None, township=None, city=None) -> dict:
    """Figures 1–3 for a region and year range, as the report command and the figures page show them."""
    region = {"county": county, "township": township, "city": city}
    return {
        "rectified": rectified_per_year(user=user, year_from=year_from, year_to=year_to, **region),
        "levels": level_distribution(user=user, year=year_to, **region),
        "levels_per_year": level_counts(user=user, year_from=year_from, year_to=year_to, **region),
        "joint": joint_organisations_per_year(user=user, year_from=year_from, year_to=year_to, **region),
        "joint_now": _in_region(
            scope_for(user, PartyOrganisation.objects.filter(is_joint=True, dissolved_on__isnull=True)),
            "",
            county,
            township,
            city,
        ).count(),
    }
