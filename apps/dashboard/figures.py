"""The fourteen standard figures of the Bazhong report, for any region and year range.

Each figure is computed from the records through the set-based selectors of the app that owns them
(villages, cadres, assistance, collective economy) and comes out as one ``FigureData``: categories
(usually years) × series, the exact numbers behind the table, the .xlsx sheet, the ECharts chart and
the server-side SVG, so all four always agree. Every value has the link to the list behind it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from urllib.parse import urlencode

from django.db.models import Avg, Count, Exists, Max, OuterRef, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.assistance.models import AwardLevel, DisciplineCategory, UnitType
from apps.assistance.selectors.stats import members_by_unit_type, records_per_year
from apps.cadres import statistics as cadre_stats
from apps.cadres.models import COMMITTEE_ROLES, EDUCATION_ORDER, Cadre, Education
from apps.collective_economy.models import AMOUNT_FIELDS, Bracket, Income
from apps.collective_economy.selectors import income_list
from apps.core.scoping import scope_for
from apps.villages import selectors as village_selectors
from apps.villages.models import RatingLevel

from .models import SurveyResult
from .scope import Scope

FIRST_YEAR = 2014
MAX_YEARS = 30
AGE_BANDS = (  # (key, label, lowest age, highest age)
    ("age_35", gettext_lazy("35 and under"), None, 35),
    ("age_36_45", gettext_lazy("36 to 45"), 36, 45),
    ("age_46_55", gettext_lazy("46 to 55"), 46, 55),
    ("age_56", gettext_lazy("56 and over"), 56, None),
)


def default_years() -> tuple[int, int]:
    return FIRST_YEAR, timezone.localdate().year - 1


@dataclass
class Series:
    key: str
    name: str
    values: list
    plot: bool = True  # drawn in the chart (shares and averages stay in the table when counts are drawn)
    additive: bool = True  # summed in the total row
    links: list[str | None] = field(default_factory=list)


@dataclass
class FigureData:
    number: int
    title: str
    kind: str  # bar | stacked | line | pie
    category_label: str
    categories: list[str]
    series: list[Series]
    unit: str
    list_url: str | None = None
    note: str = ""
    total_row: bool = False

    @property
    def headers(self) -> list[str]:
        return [self.category_label, *(s.name for s in self.series)]

    @property
    def rows(self) -> list[list]:
        rows = [[category, *(s.values[i] for s in self.series)] for i, category in enumerate(self.categories)]
        if self.total_row and self.categories:
            rows.append(
                [_("Total"), *(sum(v or 0 for v in s.values) if s.additive else None for s in self.series)]
            )
        return rows

    def table(self) -> list[list[dict]]:
        """Rows of cells ``{"value", "link"}`` for the page's table."""
        table = []
        for i, category in enumerate(self.categories):
            cells = [{"value": category, "link": None}]
            cells += [{"value": s.values[i], "link": s.links[i] if s.links else None} for s in self.series]
            table.append(cells)
        if self.total_row and self.categories:
            table.append([{"value": value, "link": None} for value in self.rows[-1]])
        return table

    def plotted(self) -> list[Series]:
        return [s for s in self.series if s.plot]

    def chart_json(self) -> dict:
        """What the page's ECharts script draws (numbers as floats, one link per segment)."""
        return {
            "title": self.title,
            "kind": self.kind,
            "unit": self.unit,
            "categories": [str(c) for c in self.categories],
            "series": [
                {"name": s.name, "values": [_number(v) for v in s.values], "links": s.links}
                for s in self.plotted()
            ],
        }


def _number(value):
    if value is None:
        return None
    return float(value) if isinstance(value, Decimal) else value


def _one_decimal(value) -> Decimal | None:
    if value is None:
        return None
    return Decimal(value).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _percent(part, whole) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part or 0) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


# What a figure is computed for


@dataclass
class FigureContext:
    user: Any
    scope: Scope
    year_from: int
    year_to: int
    _memo: dict = field(default_factory=dict)

    @property
    def years(self) -> list[int]:
        return list(range(self.year_from, self.year_to + 1))

    def memo(self, key: str, compute: Callable[[], Any]):
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    def link(self, url_name: str, **params) -> str:
        query = {**self.scope.list_query(), **{k: v for k, v in params.items() if v is not None}}
        return f"{reverse(url_name)}?{urlencode(query)}" if query else reverse(url_name)

    def cadre_series(self) -> list[dict]:
        return self.memo(
            "cadre_series",
            lambda: cadre_stats.cadre_series(
                user=self.user, from_year=self.year_from, to_year=self.year_to, **self.scope.region_kwargs()
            )["years"],
        )

    def records(self) -> dict:
        region = {k: v for k, v in self.scope.region_kwargs().items() if k in ("county", "township")}
        return self.memo("records", lambda: records_per_year(user=self.user, **region))

    def incomes(self) -> list[dict]:
        """Per year: villages per bracket and the income by source (one query for figures 10 and 14)."""

        def compute():
            incomes = income_list(user=self.user).filter(
                year__range=(self.year_from, self.year_to), **self.scope.village_filter()
            )
            rows = (
                incomes.order_by()
                .values("year")
                .annotate(
                    reported=Count("pk"),
                    total=Sum("total"),
                    **{f"bracket_{b}": Count("pk", filter=Q(bracket=b)) for b in Bracket.values},
                    **{f"source_{name}": Sum(name) for name in AMOUNT_FIELDS},
                )
                .order_by("year")
            )
            return {row["year"]: row for row in rows}

        return self.memo("incomes", compute)


@dataclass(frozen=True)
class Figure:
    number: int
    title: Any
    compute: Callable[[FigureContext], FigureData]
    description: Any = ""


FIGURES: dict[int, Figure] = {}


def figure(number: int, title, description=""):
    def register(function):
        FIGURES[number] = Figure(number, title, function, description)
        return function

    return register


def compute(number: int, ctx: FigureContext) -> FigureData:
    return FIGURES[number].compute(ctx)


def _year_labels(ctx: FigureContext) -> list[str]:
    return [str(year) for year in ctx.years]


# 1–3: Party organisations (apps.villages.selectors)


@figure(1, gettext_lazy("Party organisations rectified per year"))
def rectified(ctx: FigureContext) -> FigureData:
    result = village_selectors.rectified_per_year(
        user=ctx.user, year_from=ctx.year_from, year_to=ctx.year_to, **ctx.scope.region_kwargs()
    )
    by_year = {row["year"]: row for row in result["years"]}
    running, cumulative, shares = 0, [], []
    for year in ctx.years:
        running += by_year.get(year, {}).get("first_time", 0)
        cumulative.append(running)
        shares.append(_percent(running, result["villages"]))
    links = [ctx.link("villages:rectification_board", year=year) for year in ctx.years]
    return FigureData(
        number=1,
        title=str(FIGURES[1].title),
        kind="bar",
        category_label=_("Year"),
        categories=_year_labels(ctx),
        series=[
            Series(
                "cases",
                _("Cases opened"),
                [by_year.get(y, {}).get("cases", 0) for y in ctx.years],
                links=links,
            ),
            Series(
                "first_time",
                _("Organisations rectified for the first time"),
                [by_year.get(y, {}).get("first_time", 0) for y in ctx.years],
                links=links,
            ),
            Series("cumulative", _("Rectified so far"), cumulative, plot=False, additive=False),
            Series("share", _("Share of villages (%)"), shares, plot=False, additive=False),
            Series(
                "repeat",
                _("Repeat cases"),
                [by_year.get(y, {}).get("repeat", 0) for y in ctx.years],
                plot=False,
            ),
        ],
        unit=_("organisations"),
        list_url=ctx.link("villages:rectification_board"),
        total_row=True,
        note=_("%(villages)s villages in the region.") % {"villages": result["villages"]},
    )


@figure(2, gettext_lazy("Rating distribution of Party organisations"))
def ratings(ctx: FigureContext) -> FigureData:
    rows = village_selectors.level_counts(
        user=ctx.user, year_from=ctx.year_from, year_to=ctx.year_to, **ctx.scope.region_kwargs()
    )
    by_year = {row["year"]: row for row in rows}
    series = []
    for level in RatingLevel:
        series.append(
            Series(
                level.value,
                str(level.label),
                [by_year.get(y, {}).get(level.value, 0) for y in ctx.years],
                links=[
                    ctx.link("villages:partyorganisation_list", year=y, level=level.value) for y in ctx.years
                ],
            )
        )
    for level in RatingLevel:
        series.append(
            Series(
                f"share_{level.value}",
                _("%(level)s (%%)") % {"level": level.label},
                [by_year[y]["shares"][level.value] if y in by_year else None for y in ctx.years],
                plot=False,
                additive=False,
            )
        )
    return FigureData(
        number=2,
        title=str(FIGURES[2].title),
        kind="stacked",
        category_label=_("Year"),
        categories=_year_labels(ctx),
        series=series,
        unit=_("organisations"),
        list_url=ctx.link("villages:partyorganisation_list"),
    )


@figure(3, gettext_lazy("Joint Party organisations per year"))
def joint(ctx: FigureContext) -> FigureData:
    rows = village_selectors.joint_organisations_per_year(
        user=ctx.user, year_from=ctx.year_from, year_to=ctx.year_to, **ctx.scope.region_kwargs()
    )
    links = [ctx.link("villages:partyorganisation_list", is_joint="true") for _row in rows]
    return FigureData(
        number=3,
        title=str(FIGURES[3].title),
        kind="bar",
        category_label=_("Year"),
        categories=[str(row["year"]) for row in rows],
        series=[
            Series("new", _("Founded in the year"), [row["new"] for row in rows], links=links),
            Series(
                "existing",
                _("Existing at the end of the year"),
                [row["existing"] for row in rows],
                additive=False,
                links=links,
            ),
        ],
        unit=_("organisations"),
        list_url=ctx.link("villages:partyorganisation_list", is_joint="true"),
    )


# 4–6, 13: cadres (apps.cadres.statistics)


@figure(4, gettext_lazy("Education of village cadres by year"))
def education(ctx: FigureContext) -> FigureData:
    years = ctx.cadre_series()
    series = [
        Series(
            level,
            str(Education(level).label),
            [row["education_shares"][level] for row in years],
            additive=False,
            links=[ctx.link("cadres:cadre_list", year=row["year"], education=level) for row in years],
        )
        for level in EDUCATION_ORDER
    ]
    series.append(
        Series("cadres", _("Cadres in office"), [row["cadres"] for row in years], plot=False, additive=False)
    )
    return FigureData(
        number=4,
        title=str(FIGURES[4].title),
        kind="stacked",
        category_label=_("Year (31 December)"),
        categories=[str(row["year"]) for row in years],
        series=series,
        unit="%",
        list_url=ctx.link("cadres:cadre_list"),
    )


def age_structure(ctx: FigureContext) -> list[dict]:
    """Per year (31 December): two-committee cadres in office, their average age and age bands.

    One query per year, like the other cadre figures (``apps.cadres.statistics``).
    """
    region = cadre_stats.resolve_region(user=ctx.user, **ctx.scope.region_kwargs())
    result = []
    for year in ctx.years:
        on = cadre_stats.as_of(year)
        held = region.positions().held_on(on).filter(role__in=COMMITTEE_ROLES)
        cadres = Cadre.objects.filter(Exists(held.filter(cadre=OuterRef("pk")))).annotate(
            age_then=cadre_stats.AgeOn(on, "birth_date")
        )
        bands = {}
        for key, _label, low, high in AGE_BANDS:
            condition = Q()
            if low is not None:
                condition &= Q(age_then__gte=low)
            if high is not None:
                condition &= Q(age_then__lte=high)
            bands[key] = Count("pk", filter=condition)
        row = cadres.aggregate(cadres=Count("pk"), average=Avg("age_then"), **bands)
        result.append(
            {
                "year": year,
                "cadres": row["cadres"],
                "average_age": _one_decimal(row["average"]),
                "bands": {key: row[key] for key, *_rest in AGE_BANDS},
            }
        )
    return result


@figure(5, gettext_lazy("Age of village cadres by year"))
def ages(ctx: FigureContext) -> FigureData:
    years = ctx.memo("ages", lambda: age_structure(ctx))
    links = [ctx.link("cadres:cadre_list", year=row["year"]) for row in years]
    series = [
        Series(
            key,
            _("%(band)s (%%)") % {"band": label},
            [_percent(row["bands"][key], row["cadres"]) for row in years],
            additive=False,
            links=links,
        )
        for key, label, *_bounds in AGE_BANDS
    ]
    series += [
        Series(
            "average_age", _("Average age"), [row["average_age"] for row in years], plot=False, additive=False
        ),
        Series("cadres", _("Cadres in office"), [row["cadres"] for row in years], plot=False, additive=False),
    ]
    return FigureData(
        number=5,
        title=str(FIGURES[5].title),
        kind="stacked",
        category_label=_("Year (31 December)"),
        categories=[str(row["year"]) for row in years],
        series=series,
        unit="%",
        list_url=ctx.link("cadres:cadre_list"),
    )


@figure(6, gettext_lazy("Cross-region (exchange) secretaries per year"))
def exchange(ctx: FigureContext) -> FigureData:
    years = ctx.cadre_series()
    return FigureData(
        number=6,
        title=str(FIGURES[6].title),
        kind="bar",
        category_label=_("Year (31 December)"),
        categories=[str(row["year"]) for row in years],
        series=[
            Series(
                "exchange",
                _("Secretaries from another region in office"),
                [row["exchange_secretaries"] for row in years],
                additive=False,
                links=[
                    ctx.link("cadres:cadre_list", year=row["year"], source="exchange", role="secretary")
                    for row in years
                ],
            ),
            Series(
                "secretaries",
                _("Secretaries in office"),
                [row["secretaries"] for row in years],
                plot=False,
                additive=False,
            ),
        ],
        unit=_("secretaries"),
        list_url=ctx.link("cadres:cadre_list", source="exchange"),
    )


@figure(13, gettext_lazy("Village cadre resignations per year"))
def resignations(ctx: FigureContext) -> FigureData:
    region = cadre_stats.resolve_region(user=ctx.user, **ctx.scope.region_kwargs())
    counts = [cadre_stats.resignations_in(region, year) for year in ctx.years]
    return FigureData(
        number=13,
        title=str(FIGURES[13].title),
        kind="bar",
        category_label=_("Year"),
        categories=_year_labels(ctx),
        series=[
            Series(
                "resignations",
                _("Cadres who resigned"),
                counts,
                links=[
                    ctx.link("cadres:position_list", end_reason="resigned", ended_in=year)
                    for year in ctx.years
                ],
            )
        ],
        unit=_("cadres"),
        list_url=ctx.link("cadres:position_list", end_reason="resigned"),
        total_row=True,
    )


# 7–9, 11: assistance (apps.assistance.selectors.stats)


@figure(7, gettext_lazy("Work-team members by type of dispatching unit"))
def unit_types(ctx: FigureContext) -> FigureData:
    region = {k: v for k, v in ctx.scope.region_kwargs().items() if k in ("county", "township")}
    counts = ctx.memo("unit_types", lambda: members_by_unit_type(user=ctx.user, **region))
    return FigureData(
        number=7,
        title=str(FIGURES[7].title),
        kind="pie",
        category_label=_("Unit type"),
        categories=[str(label) for label in UnitType.labels],
        series=[
            Series(
                "members",
                _("Members dispatched"),
                [counts.get(code, 0) for code in UnitType.values],
                links=[ctx.link("assistance:team_list") for _code in UnitType.values],
            )
        ],
        unit=_("members"),
        list_url=ctx.link("assistance:team_list"),
        total_row=True,
        note=_("Every member dispatched since records began, whatever the year range."),
    )


def _records_figure(ctx, number, kind, records_key, field_name, choices, unit) -> FigureData:
    rows = [r for r in ctx.records()[records_key] if ctx.year_from <= r["year"] <= ctx.year_to]
    counts = {(r["year"], r[field_name]): r["count"] for r in rows}
    series = [
        Series(
            code,
            str(label),
            [counts.get((year, code), 0) for year in ctx.years],
            links=[
                ctx.link("assistance:record_list", kind=kind, year=year, **{field_name: code})
                for year in ctx.years
            ],
        )
        for code, label in choices
    ]
    series.append(
        Series(
            "total",
            _("All"),
            [sum(counts.get((y, c), 0) for c, _l in choices) for y in ctx.years],
            plot=False,
        )
    )
    return FigureData(
        number=number,
        title=str(FIGURES[number].title),
        kind="stacked",
        category_label=_("Year"),
        categories=_year_labels(ctx),
        series=series,
        unit=unit,
        list_url=ctx.link("assistance:record_list", kind=kind),
        total_row=True,
    )


@figure(8, gettext_lazy("Front-line cadres commended per year"))
def commended(ctx: FigureContext) -> FigureData:
    return _records_figure(ctx, 8, "commendation", "commendations", "level", AwardLevel.choices, _("people"))


@figure(9, gettext_lazy("Front-line cadres promoted per year"))
def promoted(ctx: FigureContext) -> FigureData:
    return _records_figure(ctx, 9, "promotion", "promotions", "level", AwardLevel.choices, _("people"))


@figure(11, gettext_lazy("Discipline cases in assistance work per year"))
def discipline(ctx: FigureContext) -> FigureData:
    return _records_figure(
        ctx, 11, "discipline", "discipline_cases", "category", DisciplineCategory.choices, _("cases")
    )


# 10, 14: collective economy


def _income_years(ctx: FigureContext) -> list[int]:
    return [year for year in ctx.years if year in ctx.incomes()]


@figure(10, gettext_lazy("Villages by collective income bracket"))
def brackets(ctx: FigureContext) -> FigureData:
    incomes, years = ctx.incomes(), _income_years(ctx)
    return FigureData(
        number=10,
        title=str(FIGURES[10].title),
        kind="stacked",
        category_label=_("Year"),
        categories=[str(y) for y in years],
        series=[
            Series(
                code,
                str(label),
                [incomes[y][f"bracket_{code}"] for y in years],
                additive=False,
                links=[ctx.link("collective_economy:income_list", year=y, bracket=code) for y in years],
            )
            for code, label in Bracket.choices
        ]
        + [
            Series(
                "reported",
                _("Villages reporting"),
                [incomes[y]["reported"] for y in years],
                plot=False,
                additive=False,
            )
        ],
        unit=_("villages"),
        list_url=ctx.link("collective_economy:income_list"),
        note=_("Years without any income record are left out."),
    )


@figure(14, gettext_lazy("Collective income by source"))
def sources(ctx: FigureContext) -> FigureData:
    incomes, years = ctx.incomes(), _income_years(ctx)
    series = [
        Series(
            name,
            str(Income._meta.get_field(name).verbose_name).capitalize(),
            [incomes[y][f"source_{name}"] or Decimal("0.00") for y in years],
            additive=False,
            links=[ctx.link("collective_economy:income_list", year=y) for y in years],
        )
        for name in AMOUNT_FIELDS
    ]
    series.append(
        Series("total", _("Total"), [incomes[y]["total"] for y in years], plot=False, additive=False)
    )
    return FigureData(
        number=14,
        title=str(FIGURES[14].title),
        kind="stacked",
        category_label=_("Year"),
        categories=[str(y) for y in years],
        series=series,
        unit=_("yuan"),
        list_url=ctx.link("collective_economy:income_list"),
        note=_("Years without any income record are left out."),
    )


# 12: surveys (this app)


def survey_list(*, user):
    return scope_for(user, SurveyResult.objects.select_related("city", "county"))


def surveys_for(ctx: FigureContext):
    """The surveys of the scope: its county's, or the city-wide ones (a township reads its county's)."""
    surveys = survey_list(user=ctx.user).filter(year__range=(ctx.year_from, ctx.year_to))
    if ctx.scope.county_id is not None:
        surveys = surveys.filter(county_id=ctx.scope.county_id)
    else:
        surveys = surveys.filter(city_id=ctx.scope.city_id, county__isnull=True)
    return surveys


@figure(12, gettext_lazy("Reasons given in surveys for weak results"))
def survey_reasons(ctx: FigureContext) -> FigureData:
    surveys = surveys_for(ctx)
    year = surveys.aggregate(latest=Max("year"))["latest"]
    rows = (
        list(surveys.filter(year=year).order_by("-share", "reason").values("reason", "share")) if year else []
    )
    return FigureData(
        number=12,
        title=str(FIGURES[12].title),
        kind="pie",
        category_label=_("Reason"),
        categories=[row["reason"] for row in rows],
        series=[
            Series(
                "share",
                _("Share of answers (%)"),
                [row["share"] for row in rows],
                links=[ctx.link("dashboard:survey_list", year=year) for _row in rows],
            )
        ],
        unit="%",
        list_url=ctx.link("dashboard:survey_list"),
        note=(_("Survey of %(year)s.") % {"year": year})
        if year
        else _("No survey result is recorded for this region."),
    )


def all_figures(ctx: FigureContext) -> list[FigureData]:
    return [compute(number, ctx) for number in sorted(FIGURES)]


__all__ = ["FIGURES", "FigureContext", "FigureData", "Series", "all_figures", "compute", "default_years"]
