"""Ranking indicators: each a set-based query over a whole county, then a documented 0–100 rule.

An indicator answers, for every subject of a run (villages, work teams or townships of one
county) and the run's period, a raw value (``None`` when the subject has no data) with one or a
few queries — never a query per subject. Its ``normalise`` docstring is the rule users see on the
"why this score" page. Missing data is treated as the indicator's ``missing`` says:

- ``zero``: the subject scores 0 on it (the lack of data is itself the weakness, e.g. no income record);
- ``exclude``: the indicator is left out for that subject and its weight is spread over the
  subject's other indicators (score = Σ normalised × weight ÷ Σ weights of indicators with data);
  the breakdown lists it as missing.

Figures of a year (ratings, incomes, evaluations) use the year the period ends in; dated records
(positions, reserves, duty) use the period's days or its last day.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Case, Count, Exists, IntegerField, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Cast, Coalesce
from django.utils.translation import gettext_lazy as _

from apps.assistance.models import (
    DutyLog,
    Evaluation,
    Grade,
    HouseholdStatus,
    WorkTeamMember,
)
from apps.assistance.selectors import assistance_measure_list, household_list, team_duty_rates
from apps.assistance.selectors._expressions import assigned_days
from apps.cadres.models import Role
from apps.cadres.selectors import position_list
from apps.cadres.statistics import village_cadre_figures
from apps.collective_economy.selectors import income_list
from apps.core.actors import SYSTEM
from apps.core.periods import Month
from apps.morality_bank.models import Award, AwardStatus, Resident
from apps.villages.models import OPEN_RECTIFICATION_STATUSES, PartyOrganisationVillage, RatingLevel
from apps.villages.selectors import rating_list, rectification_list

from .models import RankingKind

Raw = float | int | None


@dataclass
class Context:
    """One run's inputs: the county, the period's days, and a cache for queries shared by indicators."""

    kind: str
    county: Any
    first: datetime.date
    last: datetime.date
    period: Any = None
    cache: dict = field(default_factory=dict)
    # Township runs: the village scores of the same period, by township id.
    village_scores: dict[int, list[float]] | None = None

    @property
    def year(self) -> int:
        return self.last.year

    def once(self, key: str, compute: Callable[[], Any]) -> Any:
        if key not in self.cache:
            self.cache[key] = compute()
        return self.cache[key]


@dataclass(frozen=True)
class Indicator:
    code: str
    label: Any
    group: Any
    kinds: tuple[str, ...]
    compute: Callable[[Context], dict[int, Raw]]
    rule: Any  # the normalisation rule, as shown to users
    scale: Callable[[dict[int, Raw]], Callable[[Raw], float]]
    missing: str = "exclude"  # or "zero"
    unit: str = ""


def _clamp(value: float) -> float:
    return max(0.0, min(100.0, float(value)))


def _identity(_values):
    return lambda value: _clamp(value)


def _boolean(_values):
    return lambda value: 100.0 if value else 0.0


def _linear(best: float, worst: float):
    """100 at ``best`` or better, 0 at ``worst`` or worse, linear between."""

    def scale(_values):
        return lambda value: _clamp(100 * (float(value) - worst) / (best - worst))

    return scale


def _share_of_county_max(values):
    top = max((float(v) for v in values.values() if v is not None), default=0.0)
    return lambda value: _clamp(100 * float(value) / top) if top > 0 else 0.0


def _growth(_values):
    return lambda value: _clamp(50 + float(value) / 2)


# Branch (Party organisation)

LEVEL_VALUES = {RatingLevel.ADVANCED: 100.0, RatingLevel.ORDINARY: 60.0, RatingLevel.WEAK: 0.0}


def _village_organisations(ctx: Context):
    return PartyOrganisationVillage.objects.filter(village__county=ctx.county).filter(
        Q(organisation__dissolved_on__isnull=True) | Q(organisation__dissolved_on__gte=ctx.first)
    )


def branch_rating(ctx: Context) -> dict[int, Raw]:
    """Per village: its organisation's latest rating of the period's year or before (worst if several)."""
    latest = (
        rating_list(user=SYSTEM)
        .filter(organisation=OuterRef("organisation"), year__lte=ctx.year)
        .order_by("-year")
        .values("level")[:1]
    )
    values: dict[int, Raw] = {}
    for village_id, level in (
        _village_organisations(ctx).annotate(level=Subquery(latest)).values_list("village_id", "level")
    ):
        if level is not None:
            value = LEVEL_VALUES[level]
            values[village_id] = min(value, values.get(village_id, value))
    return values


def branch_rectification(ctx: Context) -> dict[int, Raw]:
    """Per village: 0 with an open case past its deadline on the period's last day, 50 with an open case, else 100."""
    cases = (
        rectification_list(user=SYSTEM, today=ctx.last)
        .prefetch_related(None)
        .filter(
            organisation__county=ctx.county, status__in=OPEN_RECTIFICATION_STATUSES, opened_on__lte=ctx.last
        )
        .values_list("organisation__villages", "overdue")
    )
    values: dict[int, Raw] = {}
    for village_id, overdue in cases:
        value = 0.0 if overdue else 50.0
        values[village_id] = min(value, values.get(village_id, value))
    return values


def _rectification_scale(_values):
    return lambda value: float(value)


# Cadres (village_cadre_figures: one query for all of them)


def _cadre_figures(ctx: Context) -> dict[int, dict]:
    def load():
        rows = village_cadre_figures(user=SYSTEM, on=ctx.last, county=ctx.county.pk).values(
            "pk",
            "cadres_in_office",
            "average_age",
            "college_or_above",
            "reserve_count",
            "reserves_required",
        )
        return {row["pk"]: row for row in rows}

    return ctx.once("cadres", load)


def cadre_age(ctx):
    return {
        pk: (float(r["average_age"]) if r["average_age"] is not None else None)
        for pk, r in _cadre_figures(ctx).items()
    }


def cadre_education(ctx):
    return {
        pk: (100 * r["college_or_above"] / r["cadres_in_office"] if r["cadres_in_office"] else None)
        for pk, r in _cadre_figures(ctx).items()
    }


def cadre_reserves(ctx):
    return {pk: r["reserve_count"] for pk, r in _cadre_figures(ctx).items()}


def _reserves_scale(ctx_required: int = 2):
    def scale(_values):
        return lambda value: _clamp(100 * float(value) / ctx_required)

    return scale


def _leaders(ctx: Context) -> dict[int, dict]:
    """Per village: the secretary and the director in office on the period's last day (one query).

    The same facts as ``village_cadre_figures``'s ``has_secretary`` and ``is_one_shoulder``, read
    for the county's villages only (that selector's secretary test scans every village in scope).
    """

    def load():
        leaders: dict[int, dict] = {}
        rows = (
            position_list(user=SYSTEM)
            .held_on(ctx.last)
            .filter(village__county=ctx.county, role__in=(Role.SECRETARY, Role.DIRECTOR))
            .values_list("village_id", "role", "cadre_id", "cadre__is_wealth_leader")
        )
        for village_id, role, cadre_id, wealth in rows:
            leaders.setdefault(village_id, {})[role] = (cadre_id, wealth)
        return leaders

    return ctx.once("leaders", load)


def one_shoulder(ctx):
    """Per village: the secretary is also the director (一肩挑)."""
    leaders = _leaders(ctx)
    return {
        pk: Role.SECRETARY in leaders.get(pk, {})
        and leaders[pk][Role.SECRETARY][0] == leaders[pk].get(Role.DIRECTOR, (None,))[0]
        for pk in _cadre_figures(ctx)
    }


def secretary_post(ctx):
    leaders = _leaders(ctx)
    return {pk: Role.SECRETARY in leaders.get(pk, {}) for pk in _cadre_figures(ctx)}


def secretary_wealth_leader(ctx):
    """Per village: whether the secretary in office on the period's last day is a wealth leader (致富能手)."""
    leaders = _leaders(ctx)
    return {pk: bool(leaders.get(pk, {}).get(Role.SECRETARY, (None, False))[1]) for pk in _cadre_figures(ctx)}


# Collective economy


def _incomes(ctx: Context) -> dict[int, dict]:
    """Per village: the income record of the latest year up to the period's year, and the year before's total."""

    def load():
        previous = income_list(user=SYSTEM).filter(village=OuterRef("village"), year=OuterRef("year") - 1)
        rows = (
            income_list(user=SYSTEM)
            .filter(village__county=ctx.county, year__lte=ctx.year)
            .order_by("village_id", "-year")
            .distinct("village_id")
            .annotate(previous_total=Subquery(previous.values("total")[:1]))
            .values("village_id", "year", "total", "operating", "previous_total")
        )
        return {row["village_id"]: row for row in rows}

    return ctx.once("incomes", load)


def income_total(ctx):
    return {pk: float(r["total"]) for pk, r in _incomes(ctx).items()}


def income_growth(ctx):
    return {
        pk: float((r["total"] - r["previous_total"]) * 100 / r["previous_total"])
        for pk, r in _incomes(ctx).items()
        if r["previous_total"]
    }


def income_operating_share(ctx):
    return {
        pk: (float(100 * r["operating"] / r["total"]) if r["total"] else 0.0)
        for pk, r in _incomes(ctx).items()
    }


# Assistance

GRADE_VALUES = {Grade.EXCELLENT: 100, Grade.GOOD: 80, Grade.FAIR: 60, Grade.POOR: 0}


def _team_path(ctx: Context) -> str:
    """From a team to the run's subject: the team itself, its village or its township."""
    return {RankingKind.WORK_TEAM: "team_id", RankingKind.VILLAGE: "team__village_id"}.get(
        ctx.kind, "team__village__township_id"
    )


def duty_rate(ctx: Context) -> dict[int, Raw]:
    """On-duty logs of all members in the period ÷ the period's days inside each member's assignment (× 100).

    Monthly work-team runs read ``apps.assistance.selectors.team_duty_rates`` (API.md's default score);
    other periods and subjects the same figure grouped by village or township (one query).
    """
    if ctx.kind == RankingKind.WORK_TEAM and isinstance(ctx.period, Month):
        rows = team_duty_rates(user=SYSTEM, month=ctx.period).filter(village__county=ctx.county)
        return {
            pk: (float(rate) if rate is not None else None)
            for pk, rate in rows.values_list("pk", "duty_rate")
        }
    # One query driven by the county's members: each member's logs of the period are counted through the
    # (member, date) index, so the cost follows the county's size, not every county's logs of the period.
    path = _team_path(ctx)
    logs = (
        DutyLog.objects.filter(member=OuterRef("pk"), on_duty=True, date__range=(ctx.first, ctx.last))
        .order_by()
        .values("member")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rows = (
        WorkTeamMember.objects.filter(team__village__county=ctx.county)
        .order_by()
        .values(path)
        .annotate(
            days=Sum(assigned_days(ctx.first, ctx.last)),
            # integer (not bigint) counts, so their sum is an int like the days and not a Decimal
            logs=Sum(Cast(Coalesce(Subquery(logs), 0), IntegerField())),
        )
        .values_list(path, "days", "logs")
    )
    return {pk: 100 * logs / days for pk, days, logs in rows if days}


def evaluation_grade(ctx: Context) -> dict[int, Raw]:
    path = f"member__{_team_path(ctx)}"
    points = Case(
        *(When(grade=g, then=Value(v)) for g, v in GRADE_VALUES.items()), output_field=IntegerField()
    )
    rows = (
        Evaluation.objects.filter(year=ctx.year, member__team__village__county=ctx.county)
        .order_by()
        .values(path)
        .annotate(points=Avg(points))
        .values_list(path, "points")
    )
    return {pk: float(value) for pk, value in rows}


def households_paired(ctx: Context) -> dict[int, Raw]:
    """Per village: share of households still in need (poor, monitored, relapsed) paired with a cadre and
    with an assistance measure dated in the period's year."""
    measures = assistance_measure_list(user=SYSTEM).filter(household=OuterRef("pk"), date__year=ctx.year)
    rows = (
        household_list(user=SYSTEM)
        .filter(
            village__county=ctx.county,
            status__in=(HouseholdStatus.POOR, HouseholdStatus.MONITORED, HouseholdStatus.RELAPSED),
            registered_on__lte=ctx.last,
        )
        .order_by()
        .values("village_id")
        .annotate(
            total=Count("pk"),
            helped=Count("pk", filter=Q(paired_cadre__isnull=False) & Q(Exists(measures))),
        )
        .values_list("village_id", "total", "helped")
    )
    return {pk: 100 * helped / total for pk, total, helped in rows if total}


# Morality bank


def morality_participation(ctx: Context) -> dict[int, Raw]:
    """Per village: residents with an approved award (positive points) dated in the period ÷ residents × 100."""
    awarded = Award.objects.filter(
        resident=OuterRef("pk"), status=AwardStatus.APPROVED, points__gt=0, date__range=(ctx.first, ctx.last)
    )
    rows = (
        Resident.objects.filter(village__county=ctx.county)
        .order_by()
        .values("village_id")
        .annotate(total=Count("pk"), active=Count("pk", filter=Q(Exists(awarded))))
        .values_list("village_id", "total", "active")
    )
    return {pk: 100 * active / total for pk, total, active in rows if total}


# Townships


def village_mean(ctx: Context) -> dict[int, Raw]:
    """Mean of the township's village scores of the same period (computed in the same run)."""
    return {pk: sum(scores) / len(scores) for pk, scores in (ctx.village_scores or {}).items() if scores}


def integrity_findings(ctx: Context) -> dict[int, Raw]:
    """Confirmed integrity findings (apps/rankings/integrity) about the village's data of the period's year."""
    from .integrity.selectors import finding_list
    from .models import FindingStatus

    rows = (
        finding_list(SYSTEM, county=ctx.county.pk, year=ctx.year, status=FindingStatus.CONFIRMED)
        .filter(village__isnull=False)
        .values("village_id")
        .annotate(n=Count("pk"))
    )
    return {row["village_id"]: row["n"] for row in rows}


V, T, W = RankingKind.VILLAGE, RankingKind.TOWNSHIP, RankingKind.WORK_TEAM

INDICATORS: dict[str, Indicator] = {
    i.code: i
    for i in (
        Indicator(
            "branch_rating",
            _("Last rating of the branch"),
            _("Branch"),
            (V,),
            branch_rating,
            _(
                "advanced 100, ordinary 60, weak and lax 0 (latest rating up to the period's year; no rating: left out)"
            ),
            lambda _v: float,
        ),
        Indicator(
            "branch_rectification",
            _("Rectification"),
            _("Branch"),
            (V,),
            branch_rectification,
            _("no open case 100, an open case 50, an open case past its deadline 0"),
            _rectification_scale,
            missing="full",
        ),
        Indicator(
            "cadre_age",
            _("Average age of the two committees"),
            _("Cadres"),
            (V,),
            cadre_age,
            _("100 at 35 years or younger, 0 at 65 or older, linear between (no cadres in office: left out)"),
            _linear(35, 65),
            unit=_("years"),
        ),
        Indicator(
            "cadre_education",
            _("Share with junior college or higher"),
            _("Cadres"),
            (V,),
            cadre_education,
            _("the share in percent (no cadres in office: left out)"),
            _identity,
            unit="%",
        ),
        Indicator(
            "cadre_reserves",
            _("Reserve cadres"),
            _("Cadres"),
            (V,),
            cadre_reserves,
            _("100 with 2 or more reserve cadres, 50 with 1, 0 with none"),
            _reserves_scale(2),
        ),
        Indicator(
            "one_shoulder",
            _("Secretary is also director (一肩挑)"),
            _("Cadres"),
            (V,),
            one_shoulder,
            _("yes 100, no 0"),
            _boolean,
            missing="zero",
        ),
        Indicator(
            "secretary_wealth_leader",
            _("Secretary is a wealth leader"),
            _("Cadres"),
            (V,),
            secretary_wealth_leader,
            _("yes 100, no 0"),
            _boolean,
            missing="zero",
        ),
        Indicator(
            "secretary_post",
            _("Secretary post filled"),
            _("Cadres"),
            (V,),
            secretary_post,
            _("filled on the period's last day 100, vacant 0"),
            _boolean,
            missing="zero",
        ),
        Indicator(
            "income_total",
            _("Collective income"),
            _("Collective economy"),
            (V,),
            income_total,
            _(
                "100 × income ÷ the highest income in the county (latest year up to the period's; no record: 0)"
            ),
            _share_of_county_max,
            missing="zero",
            unit=_("yuan"),
        ),
        Indicator(
            "income_growth",
            _("Growth of collective income"),
            _("Collective economy"),
            (V,),
            income_growth,
            _(
                "50 + growth in percent ÷ 2, within 0–100 (−100 % → 0, unchanged → 50, doubled → 100; no earlier year: left out)"
            ),
            _growth,
            unit="%",
        ),
        Indicator(
            "income_operating_share",
            _("Share of operating income"),
            _("Collective economy"),
            (V,),
            income_operating_share,
            _("the share in percent (no income record: 0)"),
            _identity,
            missing="zero",
            unit="%",
        ),
        Indicator(
            "team_duty_rate",
            _("Work-team on-duty rate"),
            _("Assistance"),
            (V, W, T),
            duty_rate,
            _(
                "the rate in percent: on-duty days ÷ assigned days of the period (no team: left out; work teams: 0)"
            ),
            _identity,
            unit="%",
        ),
        Indicator(
            "team_evaluation",
            _("Evaluation grades of the work team"),
            _("Assistance"),
            (V, W),
            evaluation_grade,
            _("mean of excellent 100, good 80, fair 60, poor 0 over the year's evaluations (none: left out)"),
            _identity,
        ),
        Indicator(
            "households_paired",
            _("Households paired and helped this year"),
            _("Assistance"),
            (V,),
            households_paired,
            _(
                "the share in percent of households in need with a paired cadre and a measure this year (none in need: left out)"
            ),
            _identity,
            unit="%",
        ),
        Indicator(
            "morality_participation",
            _("Morality-bank participation"),
            _("Morality bank"),
            (V,),
            morality_participation,
            _("the share in percent of residents with an approved award in the period (no bank: left out)"),
            _identity,
            unit="%",
        ),
        # Optional, off by default (not in DEFAULT_WEIGHTS): a county gives it a weight to use it.
        Indicator(
            "integrity_findings",
            _("Confirmed integrity findings"),
            _("Villages"),
            (V,),
            integrity_findings,
            _("100 without a confirmed finding of the year, 25 points less for each (none: 100)"),
            _linear(0, 4),
            missing="full",
        ),
        Indicator(
            "village_mean",
            _("Mean score of the township's villages"),
            _("Villages"),
            (T,),
            village_mean,
            _("the mean of the village scores of the same period (no villages: left out)"),
            _identity,
        ),
    )
}

# What a new install computes (API.md): work teams on their duty rate only, townships the mean of their villages.
DEFAULT_WEIGHTS: dict[str, dict[str, int]] = {
    V: {
        "branch_rating": 15,
        "branch_rectification": 10,
        "cadre_age": 5,
        "cadre_education": 5,
        "cadre_reserves": 5,
        "one_shoulder": 5,
        "secretary_wealth_leader": 5,
        "secretary_post": 5,
        "income_total": 10,
        "income_growth": 5,
        "income_operating_share": 5,
        "team_duty_rate": 5,
        "team_evaluation": 5,
        "households_paired": 5,
        "morality_participation": 10,
    },
    W: {"team_duty_rate": 100},
    T: {"village_mean": 100},
}
DEFAULT_BOTTOM_N = 3


def indicators_for(kind: str) -> list[Indicator]:
    return [indicator for indicator in INDICATORS.values() if kind in indicator.kinds]


def missing_value(indicator: Indicator, ctx: Context) -> Raw:
    """The raw value a subject without data gets: ``None`` (left out), 0, or (rectification) no case."""
    if indicator.missing == "full":
        return 100.0
    if indicator.missing == "zero" or (
        indicator.code == "team_duty_rate" and ctx.kind == RankingKind.WORK_TEAM
    ):
        return 0
    return None


def round2(value: float) -> Decimal:
    return Decimal(str(round(value + 0.0, 2))).quantize(Decimal("0.01"))
