"""Cadre statistics selectors, reused by the API, the pages and the dashboards.

Every figure is computed "as of" 31 December of the year asked from the dated records (positions,
reserve pool membership, degree completions), never from today's state: a secretary who resigned in
2020 counts in 2019 and not in 2021. The population is the two committees (secretary, director, clerk,
members) holding a position on that day in a village of the region; group cadres only appear in pay.

Each figure is one set-based query (aggregates with filters, subqueries), so the number of queries
does not grow with the number of villages or cadres; a series makes the same queries once per year.
Shares and ratios are percentages (0-100, two decimals), ``None`` when there is nothing to divide by.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import (
    Avg,
    Case,
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.configuration import value_of, values_of
from apps.core.scoping import get_for, scope_for
from apps.villages.models import City, County, Township, Village

from .config import MIN_RESERVES, SECRETARY_COLLEGE_TARGET
from .models import (
    COLLEGE_OR_ABOVE,
    COMMITTEE_ROLES,
    EDUCATION_ORDER,
    Cadre,
    CadrePosition,
    CadreSource,
    DegreeEnrolment,
    EndReason,
    ReserveCadre,
    Role,
    Training,
)

LEVEL_MODELS = {"city": City, "county": County, "township": Township, "village": Village}
CHILD_LEVEL = {None: "county", "city": "county", "county": "township", "township": "village", "village": None}
# From a village to a region of each level (and back from a record through its village).
VILLAGE_TO_REGION = {"city": "county__city", "county": "county", "township": "township", "village": "pk"}
MAX_SERIES_YEARS = 30
CENT = Decimal("0.01")


def as_of(year: int) -> datetime.date:
    return datetime.date(year, 12, 31)


class AgeOn(Func):
    """Whole years between a birth date and ``on`` (an age), computed by PostgreSQL."""

    template = "EXTRACT(YEAR FROM AGE(%(expressions)s))::integer"
    output_field = IntegerField()

    def __init__(self, on: datetime.date, birth_date: str):
        super().__init__(Value(on), F(birth_date))


def education_on(on: datetime.date, cadre: str = "") -> Coalesce:
    """The cadre's education on ``on``: before the first degree completed after that day, else today's."""
    prefix = f"{cadre}__" if cadre else ""
    previous = (
        DegreeEnrolment.objects.filter(cadre=OuterRef(cadre or "pk"), completed_on__gt=on)
        .order_by("completed_on")
        .values("previous_education")[:1]
    )
    return Coalesce(Subquery(previous), F(f"{prefix}education"))


def percent(part: int | None, whole: int | None) -> float | None:
    if not whole:
        return None
    return float((Decimal(part or 0) * 100 / Decimal(whole)).quantize(CENT, ROUND_HALF_UP))


def one_decimal(value) -> float | None:
    return None if value is None else float(Decimal(value).quantize(Decimal("0.1"), ROUND_HALF_UP))


def money(value) -> str | None:
    return None if value is None else str(Decimal(value).quantize(CENT, ROUND_HALF_UP))


# The region a figure is about


@dataclass(frozen=True)
class StatsRegion:
    """The user's whole region (``level``/``region`` of their binding) or one region inside it."""

    user: Any
    level: str | None  # None: a superuser's everything
    region: Any = None
    explicit: bool = False

    def describe(self) -> dict | None:
        if self.region is None:
            return None
        return {"level": self.level, "id": self.region.pk, "code": self.region.code, "name": self.region.name}

    def _filter(self, queryset: QuerySet, path_to_village: str) -> QuerySet:
        queryset = scope_for(self.user, queryset)
        if not self.explicit:
            return queryset
        lookup = VILLAGE_TO_REGION[self.level]
        path = path_to_village if lookup == "pk" else f"{path_to_village}__{lookup}"
        return queryset.filter(**{path: self.region.pk})

    def villages(self) -> QuerySet[Village]:
        queryset = scope_for(self.user, Village.objects.all())
        if self.explicit:
            lookup = VILLAGE_TO_REGION[self.level]
            queryset = queryset.filter(**{lookup: self.region.pk})
        return queryset

    def positions(self) -> QuerySet[CadrePosition]:
        return self._filter(CadrePosition.objects.all(), "village")

    def reserves(self) -> QuerySet[ReserveCadre]:
        return self._filter(ReserveCadre.objects.all(), "village")

    def trainings(self) -> QuerySet[Training]:
        return self._filter(Training.objects.all(), "cadre__village")

    @property
    def county_id(self) -> int | None:
        """The one county the figures are about, if they are about one (for county-level settings)."""
        if self.level == "county":
            return self.region.pk
        if self.level in ("township", "village"):
            return self.region.county_id
        return None


def resolve_region(*, user, city=None, county=None, township=None, village=None) -> StatsRegion:
    """The region asked for (ids or instances, at most one), 404 when outside the user's region."""
    asked = [
        (level, value)
        for level, value in (("city", city), ("county", county), ("township", township), ("village", village))
        if value not in (None, "")
    ]
    if len(asked) > 1:
        raise Http404(_("Ask for one region at a time."))
    if asked:
        level, value = asked[0]
        region = get_for(user, LEVEL_MODELS[level], pk=getattr(value, "pk", value))
        return StatsRegion(user=user, level=level, region=region, explicit=True)
    binding = user.region_binding() if not user.is_superuser else None
    if binding is None:
        return StatsRegion(user=user, level=None)
    level, region_id = binding
    return StatsRegion(user=user, level=level, region=LEVEL_MODELS[level].objects.get(pk=region_id))


# The figures, one query each


def _committee_figures(region: StatsRegion, on: datetime.date) -> dict:
    """Cadres in office: count, education structure, average age, returned migrants."""
    held = region.positions().held_on(on).filter(role__in=COMMITTEE_ROLES)
    cadres = Cadre.objects.filter(Exists(held.filter(cadre=OuterRef("pk")))).annotate(
        education_then=education_on(on), age_then=AgeOn(on, "birth_date")
    )
    row = cadres.aggregate(
        cadres=Count("pk"),
        average_age=Avg("age_then"),
        returned_migrant_cadres=Count("pk", filter=Q(source=CadreSource.RETURNED_MIGRANT)),
        **{f"education_{level}": Count("pk", filter=Q(education_then=level)) for level in EDUCATION_ORDER},
    )
    counts = {level: row[f"education_{level}"] for level in EDUCATION_ORDER}
    return {
        "cadres": row["cadres"],
        "education_counts": counts,
        "education_shares": {level: percent(n, row["cadres"]) for level, n in counts.items()},
        "average_age": one_decimal(row["average_age"]),
        "returned_migrant_cadres": row["returned_migrant_cadres"],
    }


def _secretary_figures(region: StatsRegion, on: datetime.date) -> dict:
    """Secretaries in office: wealth leaders, returned migrants, exchange (异地交流), education."""
    secretaries = (
        region.positions()
        .held_on(on)
        .filter(role=Role.SECRETARY)
        .annotate(education_then=education_on(on, cadre="cadre"))
    )
    row = secretaries.aggregate(
        secretaries=Count("cadre", distinct=True),
        wealth=Count("cadre", distinct=True, filter=Q(cadre__is_wealth_leader=True)),
        returned=Count("cadre", distinct=True, filter=Q(cadre__source=CadreSource.RETURNED_MIGRANT)),
        exchange=Count("cadre", distinct=True, filter=Q(cadre__source=CadreSource.EXCHANGE)),
        college=Count("cadre", distinct=True, filter=Q(education_then__in=COLLEGE_OR_ABOVE)),
    )
    return {
        "secretaries": row["secretaries"],
        "secretaries_wealth_leaders": row["wealth"],
        "secretaries_wealth_leader_share": percent(row["wealth"], row["secretaries"]),
        "returned_migrant_secretaries": row["returned"],
        "exchange_secretaries": row["exchange"],
        "secretaries_college_or_above": row["college"],
        "secretary_college_share": percent(row["college"], row["secretaries"]),
    }


def _village_figures(region: StatsRegion, on: datetime.date) -> dict:
    """Villages (not retired on that day) and those whose secretary is also the director (一肩挑)."""
    held = CadrePosition.objects.held_on(on)
    same_person_directs = held.filter(
        role=Role.DIRECTOR, village=OuterRef("village"), cadre=OuterRef("cadre")
    )
    one_shoulder = held.filter(role=Role.SECRETARY, village=OuterRef("pk")).filter(
        Exists(same_person_directs)
    )
    row = _active_villages(region, on).aggregate(
        villages=Count("pk"), one_shoulder=Count("pk", filter=Exists(one_shoulder))
    )
    return {
        "villages": row["villages"],
        "one_shoulder_villages": row["one_shoulder"],
        "one_shoulder_ratio": percent(row["one_shoulder"], row["villages"]),
    }


def _active_villages(region: StatsRegion, on: datetime.date) -> QuerySet[Village]:
    return region.villages().filter(Q(retired_on__isnull=True) | Q(retired_on__gt=on))


def resignations_in(region: StatsRegion, year: int) -> int:
    """Cadres who resigned in ``year`` (a cadre leaving several positions at once counts once)."""
    return (
        region.positions()
        .filter(end_reason=EndReason.RESIGNED, end_date__year=year)
        .aggregate(n=Count("cadre", distinct=True))["n"]
    )


def _pay_by_role(region: StatsRegion, on: datetime.date) -> list[dict]:
    rows = (
        region.positions()
        .held_on(on)
        .values("role")
        .annotate(
            positions=Count("pk"),
            paid=Count("monthly_pay"),
            minimum=Min("monthly_pay"),
            maximum=Max("monthly_pay"),
            average=Avg("monthly_pay"),
        )
        .order_by()
    )
    by_role = {row["role"]: row for row in rows}
    return [
        {
            "role": role,
            "positions": by_role[role]["positions"],
            "with_pay": by_role[role]["paid"],
            "minimum": money(by_role[role]["minimum"]),
            "maximum": money(by_role[role]["maximum"]),
            "average": money(by_role[role]["average"]),
        }
        for role in Role.values
        if role in by_role
    ]


def _reserve_figures(region: StatsRegion, on: datetime.date) -> dict:
    pool = region.reserves().in_pool_on(on).annotate(age_then=AgeOn(on, "birth_date"))
    row = pool.aggregate(
        reserves=Count("pk"),
        average_age=Avg("age_then"),
        returned=Count("pk", filter=Q(is_returned_migrant=True)),
        college=Count("pk", filter=Q(education__in=COLLEGE_OR_ABOVE)),
        **{f"education_{level}": Count("pk", filter=Q(education=level)) for level in EDUCATION_ORDER},
    )
    return {
        "reserve_count": row["reserves"],
        "reserve_average_age": one_decimal(row["average_age"]),
        "reserve_returned_migrants": row["returned"],
        "reserve_college_or_above": row["college"],
        "reserve_education_shares": {
            level: percent(row[f"education_{level}"], row["reserves"]) for level in EDUCATION_ORDER
        },
    }


def _required_reserves(region: StatsRegion, on: datetime.date) -> tuple[Case | Value, set[int]]:
    """The configured minimum per village's county, as an expression, and the distinct values in force."""
    lookup = values_of(MIN_RESERVES.key, on=on)
    default = lookup(None)
    county_ids = _active_villages(region, on).order_by().values_list("county_id", flat=True).distinct()
    overrides = {county_id: lookup(county_id) for county_id in county_ids}
    overrides = {county_id: value for county_id, value in overrides.items() if value != default}
    values = {default, *overrides.values()}
    if not overrides:
        return Value(default, output_field=IntegerField()), values
    whens = [When(county_id=county_id, then=Value(value)) for county_id, value in overrides.items()]
    return Case(*whens, default=Value(default), output_field=IntegerField()), values


def villages_short_of_reserves(
    *, user, on: datetime.date | None = None, city=None, county=None, township=None, village=None
) -> QuerySet[Village]:
    """Villages with fewer reserve cadres in the pool on ``on`` (default: today) than configured (2).

    Annotated with ``reserve_count`` and ``reserves_required``; for the rectification lists.
    """
    region = resolve_region(user=user, city=city, county=county, township=township, village=village)
    on = on or timezone.localdate()
    return _short_of_reserves(region, on, _required_reserves(region, on)[0])


def _short_of_reserves(region: StatsRegion, on: datetime.date, required) -> QuerySet[Village]:
    in_pool = (
        ReserveCadre.objects.in_pool_on(on)
        .filter(village=OuterRef("pk"))
        .order_by()
        .values("village")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        _active_villages(region, on)
        .select_related("township", "county")
        .annotate(reserve_count=Coalesce(Subquery(in_pool), 0), reserves_required=required)
        .filter(reserve_count__lt=F("reserves_required"))
        .order_by("code")
    )


def village_cadre_figures(
    *, user, on: datetime.date | None = None, city=None, county=None, township=None, village=None
) -> QuerySet[Village]:
    """Per village, on ``on`` (default today), in one query: the inputs of the cadre-structure indicators.

    Villages not retired on that day, annotated with ``cadres_in_office`` (two committees),
    ``average_age``, ``college_or_above`` (cadres with junior college or above), ``has_secretary``,
    ``is_one_shoulder`` (一肩挑), ``reserve_count`` and ``reserves_required``. For rankings and dashboards.
    """
    region = resolve_region(user=user, city=city, county=county, township=township, village=village)
    on = on or timezone.localdate()
    held = CadrePosition.objects.held_on(on)
    in_office = Cadre.objects.filter(
        Exists(held.filter(role__in=COMMITTEE_ROLES, cadre=OuterRef("pk"), village=OuterRef(OuterRef("pk"))))
    ).order_by()

    def per_village(expression, output_field=None):
        rows = in_office.annotate(one=Value(1)).values("one").annotate(value=expression).values("value")
        return Subquery(rows, output_field=output_field)

    college = Count("pk", filter=Q(education_then__in=COLLEGE_OR_ABOVE))
    in_pool = (
        ReserveCadre.objects.in_pool_on(on)
        .filter(village=OuterRef("pk"))
        .order_by()
        .values("village")
        .annotate(n=Count("pk"))
        .values("n")
    )
    same_person_directs = held.filter(
        role=Role.DIRECTOR, village=OuterRef("village"), cadre=OuterRef("cadre")
    )
    secretary = held.filter(role=Role.SECRETARY, village=OuterRef("pk"))
    required, _values = _required_reserves(region, on)
    return (
        _active_villages(region, on)
        .select_related("township", "county")
        .annotate(
            cadres_in_office=Coalesce(per_village(Count("pk"), IntegerField()), 0),
            average_age=per_village(Avg(AgeOn(on, "birth_date"))),
            college_or_above=Coalesce(
                Subquery(
                    in_office.annotate(education_then=education_on(on), one=Value(1))
                    .values("one")
                    .annotate(value=college)
                    .values("value"),
                    output_field=IntegerField(),
                ),
                0,
            ),
            has_secretary=Exists(secretary),
            is_one_shoulder=Exists(secretary.filter(Exists(same_person_directs))),
            reserve_count=Coalesce(Subquery(in_pool), 0),
            reserves_required=required,
        )
        .order_by("code")
    )


def _training_figures(region: StatsRegion, year: int, cadres_in_office: int) -> dict:
    row = (
        region.trainings()
        .filter(start_date__year=year)
        .aggregate(days=Coalesce(Sum("days"), 0), people=Count("cadre", distinct=True), courses=Count("pk"))
    )
    return {
        "training_records": row["courses"],
        "training_days": row["days"],
        "trained_cadres": row["people"],
        "training_days_per_trained_cadre": one_decimal(Decimal(row["days"]) / row["people"])
        if row["people"]
        else None,
        "training_days_per_cadre": one_decimal(Decimal(row["days"]) / cadres_in_office)
        if cadres_in_office
        else None,
    }


def training_by_region(region: StatsRegion, year: int) -> list[dict]:
    """Training days and people per child region (counties of a city, townships of a county ...)."""
    child = CHILD_LEVEL[region.level]
    if child is None:
        return []
    key = "cadre__village" if child == "village" else f"cadre__village__{child}"
    id_key = f"{key}_id"
    rows = (
        region.trainings()
        .filter(start_date__year=year)
        .values(id_key, f"{key}__code", f"{key}__name")
        .annotate(days=Sum("days"), people=Count("cadre", distinct=True))
        .order_by(f"{key}__code")
    )
    return [
        {
            "level": child,
            "id": row[id_key],
            "code": row[f"{key}__code"],
            "name": row[f"{key}__name"],
            "training_days": row["days"],
            "trained_cadres": row["people"],
            "training_days_per_trained_cadre": one_decimal(Decimal(row["days"]) / row["people"]),
        }
        for row in rows
    ]


# What the API and the pages ask for


def cadre_statistics(*, user, year: int, city=None, county=None, township=None, village=None) -> dict:
    """Every cadre figure for the region as of 31 December of ``year`` (see the module docstring)."""
    region = resolve_region(user=user, city=city, county=county, township=township, village=village)
    return statistics_for(region, year)


def statistics_for(region: StatsRegion, year: int) -> dict:
    on = as_of(year)
    figures: dict[str, Any] = {"year": year, "as_of": on.isoformat(), "region": region.describe()}
    figures.update(_committee_figures(region, on))
    figures.update(_secretary_figures(region, on))
    figures["secretary_college_target"] = float(
        value_of(SECRETARY_COLLEGE_TARGET.key, on=on, county=region.county_id)
    )
    figures.update(_village_figures(region, on))
    figures["resignations"] = resignations_in(region, year)
    figures["pay_by_role"] = _pay_by_role(region, on)
    figures.update(_reserve_figures(region, on))
    required, values = _required_reserves(region, on)
    figures["reserves_required"] = min(values)
    figures["villages_short_of_reserves"] = _short_of_reserves(region, on, required).count()
    figures.update(_training_figures(region, year, figures["cadres"]))
    figures["training_by_region"] = training_by_region(region, year)
    return figures


def cadre_series(
    *, user, from_year: int, to_year: int, city=None, county=None, township=None, village=None
) -> dict:
    """The structure figures for each year from ``from_year`` to ``to_year`` (Bazhong figures 4, 5, 6, 13)."""
    region = resolve_region(user=user, city=city, county=county, township=township, village=village)
    years = []
    for year in range(from_year, to_year + 1):
        on = as_of(year)
        committee = _committee_figures(region, on)
        secretaries = _secretary_figures(region, on)
        villages = _village_figures(region, on)
        years.append(
            {
                "year": year,
                "as_of": on.isoformat(),
                "cadres": committee["cadres"],
                "education_shares": committee["education_shares"],
                "average_age": committee["average_age"],
                "returned_migrant_cadres": committee["returned_migrant_cadres"],
                "secretaries": secretaries["secretaries"],
                "returned_migrant_secretaries": secretaries["returned_migrant_secretaries"],
                "exchange_secretaries": secretaries["exchange_secretaries"],
                "one_shoulder_ratio": villages["one_shoulder_ratio"],
                "resignations": resignations_in(region, year),
                "reserve_count": region.reserves().in_pool_on(on).count(),
            }
        )
    return {"region": region.describe(), "years": years}
