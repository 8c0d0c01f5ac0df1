"""Every read of the collective economy, scoped to the user's region; statistics are set-based.

Figures of a year compare incomes with the lines (weak-village line, target line, pairing line,
poverty-exit bar) in force on 31 December of that year, per county: a county's own value, else
the global one, else the declared default (see apps.core.configuration).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import (
    Aggregate,
    BooleanField,
    Case,
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from apps.core.configuration import spec_for
from apps.core.models import Setting
from apps.core.scoping import scope_for
from apps.villages.models import County, Township, Village

from .config import (
    EXIT_PER_CAPITA,
    PAIRING_LINE,
    SUPPORT_FUND_MINIMUM,
    TARGET_LINE,
    TARGET_VILLAGES,
    WEAK_LINE,
)
from .models import (
    AMOUNT_FIELDS,
    CENT,
    MONEY_DIGITS,
    PROJECT_FUND_FIELDS,
    Bracket,
    DevelopmentMode,
    Income,
    Pairing,
    Project,
    SupportFund,
)

MONEY = DecimalField(max_digits=MONEY_DIGITS + 2, decimal_places=2)
ZERO = Decimal("0.00")
# Report figures of Bazhong's study: villages under 5,000 yuan and at or over 100,000 yuan a year.
LOW_REPORT_LINE = Decimal("5000")
HIGH_REPORT_LINE = Decimal("100000")
ALL_LINE_KEYS = (
    WEAK_LINE.key,
    TARGET_LINE.key,
    TARGET_VILLAGES.key,
    PAIRING_LINE.key,
    EXIT_PER_CAPITA.key,
    SUPPORT_FUND_MINIMUM.key,
)


class Median(Aggregate):
    """PostgreSQL's continuous median (an ordered-set aggregate; FILTER works with it)."""

    function = "percentile_cont"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


# Configuration by year and county


class LineTable:
    """The dated values of some settings for a set of years and every county, read in one query."""

    def __init__(self, keys: tuple[str, ...], years):
        self.years = sorted(set(years)) or [timezone.localdate().year]
        last_day = datetime.date(self.years[-1], 12, 31)
        rows = (
            Setting.objects.filter(key__in=keys, valid_from__lte=last_day)
            .order_by("valid_from", "pk")
            .values_list("key", "county_id", "valid_from", "value")
        )
        self._rows: dict[tuple[str, int | None], list[tuple[datetime.date, Any]]] = defaultdict(list)
        for key, county_id, valid_from, value in rows:
            self._rows[key, county_id].append((valid_from, spec_for(key).parse(value)))
        self._defaults = {key: spec_for(key).parse(spec_for(key).default) for key in keys}

    def _latest(self, key, county_id, year):
        on = datetime.date(year, 12, 31)
        found = None
        for valid_from, value in self._rows.get((key, county_id), ()):
            if valid_from <= on:
                found = value
        return found

    def value(self, key: str, year: int, county_id: int | None = None):
        """The value for ``county_id`` (the global one for None) in force at the end of ``year``."""
        for candidate in (county_id, None) if county_id is not None else (None,):
            found = self._latest(key, candidate, year)
            if found is not None:
                return found
        return self._defaults[key]

    def expression(self, key: str, *, year_field: str = "year", county_field: str = "village__county_id"):
        """A database expression with each row's value by its year and county."""
        counties = sorted({county for (k, county) in self._rows if k == key and county is not None})
        whens = []
        for year in self.years:
            for county in counties:
                value = self.value(key, year, county)
                if value != self.value(key, year):
                    whens.append(When(Q(**{year_field: year, county_field: county}), then=Value(value)))
        globals_ = {year: self.value(key, year) for year in self.years}
        if len(set(globals_.values())) > 1:
            whens += [When(Q(**{year_field: year}), then=Value(value)) for year, value in globals_.items()]
        default = Value(globals_[self.years[-1]])
        if not whens:
            return ExpressionWrapper(default, output_field=MONEY)
        return Case(*whens, default=default, output_field=MONEY)


def lines_for(years) -> LineTable:
    return LineTable(ALL_LINE_KEYS, years)


# Lists


def development_mode_list(
    *, user, kind: str | None = None, active_only: bool = False
) -> QuerySet[DevelopmentMode]:
    """The mode list is the same everywhere; anyone bound to a region (default-deny otherwise) reads it."""
    if not (user and user.is_authenticated and user.is_active) or (
        not user.is_superuser and user.region_binding() is None
    ):
        return DevelopmentMode.objects.none()
    modes = DevelopmentMode.objects.all()
    if kind:
        modes = modes.filter(kind=kind)
    if active_only:
        modes = modes.filter(is_active=True)
    return modes


def income_list(*, user) -> QuerySet[Income]:
    return scope_for(
        user,
        Income.objects.select_related("village", "village__township", "village__county", "development_mode"),
    )


def support_fund_list(*, user) -> QuerySet[SupportFund]:
    return scope_for(
        user, SupportFund.objects.select_related("village", "village__township", "village__county")
    )


def project_list(*, user) -> QuerySet[Project]:
    return scope_for(
        user, Project.objects.select_related("village", "village__township", "village__county", "mode")
    )


def pairing_list(*, user) -> QuerySet[Pairing]:
    return scope_for(user, Pairing.objects.select_related("village", "village__township", "village__county"))


def paired_in(year_ref, village_ref="village") -> Exists:
    """Whether the village has a helping unit in the year (both given as outer references or values)."""
    return Exists(
        Pairing.objects.filter(village=OuterRef(village_ref), start_year__lte=year_ref).filter(
            Q(end_year__isnull=True) | Q(end_year__gte=year_ref)
        )
    )


def with_targets(incomes: QuerySet[Income], lines: LineTable) -> QuerySet[Income]:
    """Incomes annotated with last year's total, growth (%) and whether each line is met, per row's year."""
    previous = Income.objects.filter(village=OuterRef("village"), year=OuterRef("year") - 1).values("total")[
        :1
    ]
    weak = lines.expression(WEAK_LINE.key)
    target = lines.expression(TARGET_LINE.key)
    pairing = lines.expression(PAIRING_LINE.key)
    exit_bar = lines.expression(EXIT_PER_CAPITA.key)
    return incomes.annotate(
        previous_total=Subquery(previous, output_field=MONEY),
        growth=Case(
            When(
                previous_total__gt=0,
                then=ExpressionWrapper(
                    (F("total") - F("previous_total")) * Value(Decimal("100")) / F("previous_total"),
                    output_field=DecimalField(max_digits=20, decimal_places=1),
                ),
            ),
            default=None,
        ),
        is_weak=ExpressionWrapper(Q(total__lt=weak), output_field=BooleanField()),
        meets_target=ExpressionWrapper(Q(total__gte=target), output_field=BooleanField()),
        meets_exit_bar=ExpressionWrapper(
            Q(village__population_registered__gt=0)
            & Q(total__gte=F("village__population_registered") * exit_bar),
            output_field=BooleanField(),
        ),
        under_pairing_line=ExpressionWrapper(Q(total__lt=pairing), output_field=BooleanField()),
        is_paired=paired_in(OuterRef("year")),
    )


def income_table(*, user, year: int) -> QuerySet[Income]:
    """The year's incomes in the user's region with growth and the lines met (the township/county table)."""
    return with_targets(income_list(user=user).filter(year=year), lines_for([year]))


def village_income_history(*, user, village: Village) -> QuerySet[Income]:
    """Every year of one village (already fetched in scope), oldest first, with growth and lines met."""
    incomes = income_list(user=user).filter(village=village)
    years = list(incomes.values_list("year", flat=True))
    return with_targets(incomes, lines_for(years)).order_by("year")


def latest_year(*, user) -> int:
    """The latest year with an income record in the user's region (last year when there is none)."""
    found = income_list(user=user).aggregate(latest=Max("year"))["latest"]
    return found or timezone.localdate().year - 1


# Statistics


@dataclass(frozen=True)
class Region:
    county: County | None = None
    township: Township | None = None

    def filter(self, queryset: QuerySet, village_path: str = "village") -> QuerySet:
        prefix = f"{village_path}__" if village_path else ""
        if self.township is not None:
            return queryset.filter(**{f"{prefix}township": self.township})
        if self.county is not None:
            return queryset.filter(**{f"{prefix}county": self.county})
        return queryset


def _money(value) -> Decimal:
    return (value if value is not None else ZERO).quantize(CENT)


def _ratio(part, whole) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001"))


def economy_stats(*, user, year: int, county: County | None = None, township: Township | None = None) -> dict:
    """The figures of one year in the user's region (optionally one county or township of it).

    Five queries whatever the number of villages: the lines, incomes, villages, support funds, projects.
    """
    region = Region(county, township)
    lines = lines_for([year - 1, year])
    county_id = county.pk if county else (township.county_id if township else None)
    weak = lines.expression(WEAK_LINE.key)
    target = lines.expression(TARGET_LINE.key)
    pairing = lines.expression(PAIRING_LINE.key)
    exit_bar = lines.expression(EXIT_PER_CAPITA.key)
    current = Q(year=year)
    incomes = region.filter(scope_for(user, Income.objects.all())).filter(year__in=[year - 1, year])
    figures = incomes.aggregate(
        reported=Count("pk", filter=current),
        previous_reported=Count("pk", filter=Q(year=year - 1)),
        sum_total=Sum("total", filter=current),
        sum_previous=Sum("total", filter=Q(year=year - 1)),
        median=Median("total", filter=current),
        **{f"source_{name}": Sum(name, filter=current) for name in AMOUNT_FIELDS},
        **{
            f"bracket_{bracket}": Count("pk", filter=current & Q(bracket=bracket))
            for bracket in Bracket.values
        },
        lt_5k=Count("pk", filter=current & Q(total__lt=LOW_REPORT_LINE)),
        gte_100k=Count("pk", filter=current & Q(total__gte=HIGH_REPORT_LINE)),
        mostly_non_operating=Count("pk", filter=current & Q(total__gt=F("operating") * 2)),
        weak=Count("pk", filter=current & Q(total__lt=weak)),
        meets_weak_line=Count("pk", filter=current & Q(total__gte=weak)),
        meets_target=Count("pk", filter=current & Q(total__gte=target)),
        meets_pairing_line=Count("pk", filter=current & Q(total__gte=pairing)),
        under_pairing_line=Count("pk", filter=current & Q(total__lt=pairing)),
        unpaired=Count("pk", filter=current & Q(total__lt=pairing) & ~Q(paired_in(year))),
        meets_exit_bar=Count(
            "pk",
            filter=current
            & Q(village__population_registered__gt=0)
            & Q(total__gte=F("village__population_registered") * exit_bar),
        ),
    )

    fund_minimum = lines.expression(SUPPORT_FUND_MINIMUM.key, year_field="year_", county_field="county_id")
    funds = (
        SupportFund.objects.filter(village=OuterRef("pk"), year__lte=year)
        .order_by()
        .values("village")
        .annotate(amount=Sum("amount"))
        .values("amount")
    )
    villages = (
        region.filter(scope_for(user, Village.objects.all()), village_path="")
        .filter(Q(retired_on__isnull=True) | Q(retired_on__year__gte=year))
        .annotate(
            year_=Value(year, output_field=IntegerField()),
            funds=Coalesce(Subquery(funds), ZERO, output_field=MONEY),
            has_record=Exists(Income.objects.filter(village=OuterRef("pk"), year=year)),
        )
        .aggregate(
            villages=Count("pk"),
            not_reported=Count("pk", filter=Q(has_record=False)),
            short_of_support_fund=Count("pk", filter=Q(funds__lt=fund_minimum)),
        )
    )
    # Summed apart: a second reference to the per-village sum above would make PostgreSQL compute it twice.
    support_funds = (
        region.filter(scope_for(user, SupportFund.objects.all()))
        .filter(year__lte=year)
        .aggregate(total=Sum("amount"))
    )
    projects = (
        region.filter(scope_for(user, Project.objects.all()))
        .filter(start_year__lte=year)
        .aggregate(
            count=Count("pk"),
            funds_total=Sum("funds_total"),
            **{name: Sum(name) for name in PROJECT_FUND_FIELDS},
            households_benefiting=Sum("households_benefiting"),
            people_benefiting=Sum("people_benefiting"),
            poor_party_members_lifted=Sum("poor_party_members_lifted"),
        )
    )

    total, previous_total = _money(figures["sum_total"]), figures["sum_previous"]
    by_source = {name: _money(figures[f"source_{name}"]) for name in AMOUNT_FIELDS}
    reported = figures["reported"]
    median = figures["median"]
    project_funds = _money(projects["funds_total"])
    return {
        "year": year,
        "county": county.pk if county else (township.county_id if township else None),
        "township": township.pk if township else None,
        "villages": villages["villages"],
        "reported": reported,
        "not_reported": villages["not_reported"],
        "brackets": {bracket: figures[f"bracket_{bracket}"] for bracket in Bracket.values},
        "total": total,
        "median": Decimal(str(median)).quantize(CENT) if median is not None else None,
        "average": (total / reported).quantize(CENT) if reported else None,
        "previous_total": _money(previous_total) if figures["previous_reported"] else None,
        "growth": _ratio(total - previous_total, previous_total) if previous_total else None,
        "by_source": by_source,
        "operating_share": _ratio(by_source["operating"], total),
        "mostly_non_operating": figures["mostly_non_operating"],
        "mostly_non_operating_share": _ratio(figures["mostly_non_operating"], reported),
        "lt_5k": figures["lt_5k"],
        "gte_100k": figures["gte_100k"],
        "weak_line": lines.value(WEAK_LINE.key, year, county_id),
        "weak_villages": figures["weak"],
        "targets": [
            {
                "code": "weak_line",
                "line": lines.value(WEAK_LINE.key, year, county_id),
                "villages_meeting": figures["meets_weak_line"],
                "goal": None,
            },
            {
                "code": "target_line",
                "line": lines.value(TARGET_LINE.key, year, county_id),
                "villages_meeting": figures["meets_target"],
                # A goal is set per county; summed over counties it would mean nothing.
                "goal": (lines.value(TARGET_VILLAGES.key, year, county_id) or None) if county_id else None,
            },
            {
                "code": "pairing_line",
                "line": lines.value(PAIRING_LINE.key, year, county_id),
                "villages_meeting": figures["meets_pairing_line"],
                "goal": None,
            },
            {
                "code": "exit_per_capita",
                "line": lines.value(EXIT_PER_CAPITA.key, year, county_id),
                "villages_meeting": figures["meets_exit_bar"],
                "goal": None,
            },
        ],
        "pairing_line": lines.value(PAIRING_LINE.key, year, county_id),
        "under_pairing_line": figures["under_pairing_line"],
        "unpaired_under_pairing_line": figures["unpaired"],
        "support_funds": {
            "total": _money(support_funds["total"]),
            "minimum": lines.value(SUPPORT_FUND_MINIMUM.key, year, county_id),
            "villages_below_minimum": villages["short_of_support_fund"],
        },
        "projects": {
            "count": projects["count"],
            "funds_total": project_funds,
            "funds_by_source": {
                **{name.removeprefix("funds_"): _money(projects[name]) for name in PROJECT_FUND_FIELDS},
                "other": project_funds - sum((_money(projects[name]) for name in PROJECT_FUND_FIELDS), ZERO),
            },
            "households_benefiting": projects["households_benefiting"] or 0,
            "people_benefiting": projects["people_benefiting"] or 0,
            "poor_party_members_lifted": projects["poor_party_members_lifted"] or 0,
        },
    }


def township_summary(
    *, user, year: int, county: County | None = None, township: Township | None = None
) -> list[dict]:
    """One row per township in the region: villages reporting, brackets, total, growth, lines met (one query)."""
    region = Region(county, township)
    lines = lines_for([year])
    current = Q(year=year)
    rows = (
        region.filter(scope_for(user, Income.objects.all()))
        .filter(year__in=[year - 1, year])
        .values(
            "village__township_id",
            "village__township__code",
            "village__township__name",
            "village__county__name",
        )
        .annotate(
            reported=Count("pk", filter=current),
            sum_total=Sum("total", filter=current),
            sum_previous=Sum("total", filter=Q(year=year - 1)),
            weak=Count("pk", filter=current & Q(total__lt=lines.expression(WEAK_LINE.key))),
            meets_target=Count("pk", filter=current & Q(total__gte=lines.expression(TARGET_LINE.key))),
            meets_exit_bar=Count(
                "pk",
                filter=current
                & Q(village__population_registered__gt=0)
                & Q(total__gte=F("village__population_registered") * lines.expression(EXIT_PER_CAPITA.key)),
            ),
            unpaired=Count(
                "pk",
                filter=current & Q(total__lt=lines.expression(PAIRING_LINE.key)) & ~Q(paired_in(year)),
            ),
            **{
                f"bracket_{bracket}": Count("pk", filter=current & Q(bracket=bracket))
                for bracket in Bracket.values
            },
        )
        .order_by("village__township__code")
    )
    result = []
    for row in rows:
        total, previous = _money(row["sum_total"]), row["sum_previous"]
        result.append(
            {
                "township_id": row["village__township_id"],
                "code": row["village__township__code"],
                "name": row["village__township__name"],
                "county": row["village__county__name"],
                "reported": row["reported"],
                "total": total,
                "growth": _ratio(total - previous, previous) if previous else None,
                "weak": row["weak"],
                "meets_target": row["meets_target"],
                "meets_exit_bar": row["meets_exit_bar"],
                "unpaired": row["unpaired"],
                "brackets": [row[f"bracket_{bracket}"] for bracket in Bracket.values],
            }
        )
    return result


def villages_below_weak_line(*, user, year: int) -> QuerySet[Village]:
    """Villages of the user's region whose income of ``year`` is below their county's weak-village line.

    For the rectification lists of the rankings app.
    """
    weak = income_table(user=user, year=year).filter(is_weak=True).values("village")
    return scope_for(user, Village.objects.filter(pk__in=weak))
