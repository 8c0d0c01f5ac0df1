"""The detectors of the integrity watch. Each is one or a few set-based queries over one county's data
(never a query per village, household or member) and returns ``Draft`` findings; each has a rule in
plain words (``RULES``, shown with every finding) and reads its thresholds from dated configuration in
force on the day of the run (``as_of``) for the county.

Detectors only read; ``services.integrity_run`` stores what they return.
"""

from __future__ import annotations

import calendar
import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.postgres.aggregates import ArrayAgg
from django.db.models import (
    Case,
    Count,
    DateField,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, ExtractDay, Floor, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.assistance.config import MAX_HOUSEHOLDS_PER_CADRE, POVERTY_LINE
from apps.assistance.models import DutyLog, Household, HouseholdIncome, HouseholdStatus
from apps.cadres.models import Cadre, Training
from apps.collective_economy.config import EXIT_PER_CAPITA
from apps.collective_economy.models import Income
from apps.core.configuration import value_of
from apps.core.scoping import scope_for

from . import config
from .bunching import NEIGHBOURS, bunching_statistic

RATIO = DecimalField(max_digits=20, decimal_places=6)


class Detector:
    HOUSEHOLD_BUNCHING = "household_bunching"
    TOWNSHIP_BUNCHING = "township_bunching"
    VILLAGE_EXIT = "village_exit"
    NO_MEASURE = "no_measure"
    OVERLOADED_CADRE = "overloaded_cadre"
    DUTY_COPIED = "duty_copied"
    DUTY_BURST = "duty_burst"
    DUTY_TRAINING = "duty_training"
    CADRE_POINTS = "cadre_points"
    AWARD_LOOP = "award_loop"


DETECTOR_CHOICES = [
    (Detector.HOUSEHOLD_BUNCHING, _("Exit income just above the poverty line")),
    (Detector.TOWNSHIP_BUNCHING, _("Township incomes bunched just above the poverty line")),
    (Detector.VILLAGE_EXIT, _("Village exit income just above the exit bar")),
    (Detector.NO_MEASURE, _("Paired household without a measure")),
    (Detector.OVERLOADED_CADRE, _("Cadre paired with too many households")),
    (Detector.DUTY_COPIED, _("Identical duty logs across a team")),
    (Detector.DUTY_BURST, _("A month of duty logs entered in one burst, late")),
    (Detector.DUTY_TRAINING, _("On duty while at a training")),
    (Detector.CADRE_POINTS, _("Morality points concentrated in cadres' households")),
    (Detector.AWARD_LOOP, _("Awards recorded and approved in a closed loop")),
]
DETECTOR_LABELS = dict(DETECTOR_CHOICES)

RULES = {
    Detector.HOUSEHOLD_BUNCHING: _(
        "The household's per-capita net income in the year it exited poverty is at or above that year's "
        "poverty line but less than the configured percent above it: the ledger may have been computed "
        "just to clear the line."
    ),
    Detector.TOWNSHIP_BUNCHING: _(
        "Household incomes of the year are put in bands of the configured width relative to the poverty "
        "line. The band just above the line holds clearly more households than the mean of the two bands "
        "below and the two bands above it (log-ratio at or above the configured value): incomes pile up "
        "where they clear the line."
    ),
    Detector.VILLAGE_EXIT: _(
        "In the year the village exited poverty its collective income per registered resident is at or "
        "above the exit bar but less than the configured percent above it."
    ),
    Detector.NO_MEASURE: _(
        "A household that has not exited poverty has a paired cadre but no assistance measure dated in "
        "the configured number of months before the run (or none at all)."
    ),
    Detector.OVERLOADED_CADRE: _(
        "The cadre is paired with more households that have not exited poverty than the configured maximum."
    ),
    Detector.DUTY_COPIED: _(
        "In one month two or more members of the same work team have exactly the same on-duty days "
        "(at least the configured number of days): the logs look copied from one sheet."
    ),
    Detector.DUTY_BURST: _(
        "All duty logs of a member's month (at least the configured number of on-duty days) were entered "
        "within one day, and that day is the configured number of days or more after the month ended "
        "(entry times from the audit trail): filled in after the fact."
    ),
    Detector.DUTY_TRAINING: _(
        "The member is logged on duty in the village on days of a recorded cadre training of the person "
        "with the same ID number."
    ),
    Detector.CADRE_POINTS: _(
        "Of the points approved in the village in the year, at least the configured percent went to cadres' "
        "own households: residents whose ID number is that of a cadre of the same village, or who belong to "
        "a poor household whose head is such a cadre."
    ),
    Detector.AWARD_LOOP: _(
        "In the year two users each approved awards the other recorded in the village: recording and "
        "approving close into a loop instead of a separate check."
    ),
}


@dataclass
class Draft:
    detector: str
    subject_type: str
    subject_id: int
    subject_name: str
    county_id: int
    township_id: int | None
    village_id: int | None
    year: int
    period: str
    score: Decimal
    evidence: dict = field(default_factory=dict)


def _dec(value) -> str:
    return str(Decimal(value).quantize(Decimal("0.01")))


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` months earlier (clamped to the month's last day)."""
    year, month0 = divmod(day.year * 12 + day.month - 1 - months, 12)
    last = calendar.monthrange(year, month0 + 1)[1]
    return datetime.date(year, month0 + 1, min(day.day, last))


def _line_case(lines: dict[int, Decimal], year_field: str):
    """A SQL CASE giving the dated line of each row's year."""
    return Case(
        *(When(**{year_field: year}, then=Value(line)) for year, line in lines.items()),
        default=Value(None),
        output_field=RATIO,
    )


def _lines(key: str, years, county) -> dict[int, Decimal]:
    """The positive value of ``key`` in force on 31 December of each year (one query per year, not per record)."""
    values = {
        year: value_of(key, on=datetime.date(year, 12, 31), county=county) for year in sorted(set(years))
    }
    return {year: value for year, value in values.items() if value > 0}  # a zero line flags nothing


# 1. Threshold bunching


def household_bunching(actor, county, as_of: datetime.date) -> list[Draft]:
    band = value_of(config.BUNCHING_BAND.key, on=as_of, county=county) / 100
    incomes = scope_for(actor, HouseholdIncome.objects.all()).filter(
        household__village__county=county, household__exit_year=F("year")
    )
    lines = _lines(POVERTY_LINE.key, incomes.values_list("year", flat=True).distinct(), county)
    if not lines:
        return []
    rows = (
        incomes.annotate(line=_line_case(lines, "year"))
        .annotate(ratio=ExpressionWrapper(F("per_capita_net_income") / F("line"), output_field=RATIO))
        .filter(ratio__gte=1, ratio__lt=1 + band)
        .values(
            "household_id",
            "household__head_name",
            "household__village_id",
            "household__village__name",
            "household__village__township_id",
            "year",
            "per_capita_net_income",
            "line",
            "ratio",
        )
    )
    return [
        Draft(
            detector=Detector.HOUSEHOLD_BUNCHING,
            subject_type="household",
            subject_id=row["household_id"],
            subject_name=f"{row['household__village__name']} {row['household__head_name']}",
            county_id=county.pk,
            township_id=row["household__village__township_id"],
            village_id=row["household__village_id"],
            year=row["year"],
            period=str(row["year"]),
            # Closer to the line scores higher (1 on the line, 0 at the band's top).
            score=(1 - (row["ratio"] - 1) / band).quantize(Decimal("0.0001")),
            evidence={
                "income": _dec(row["per_capita_net_income"]),
                "line": _dec(row["line"]),
                "percent_above": _dec((row["ratio"] - 1) * 100),
                "band_percent": _dec(band * 100),
            },
        )
        for row in rows
    ]


def township_band_counts(
    actor, county, width: Decimal, lines: dict[int, Decimal]
) -> dict[tuple, dict[int, int]]:
    """{(township id, township name, year): {band: count}} of bands -2..2, in one query."""
    rows = (
        scope_for(actor, HouseholdIncome.objects.all())
        .filter(household__village__county=county, year__in=list(lines))
        .annotate(
            band=Cast(
                Floor(
                    ExpressionWrapper(
                        (F("per_capita_net_income") / _line_case(lines, "year") - 1) / Value(width),
                        output_field=RATIO,
                    )
                ),
                IntegerField(),
            )
        )
        .filter(band__gte=min(NEIGHBOURS), band__lte=max(NEIGHBOURS))
        .values("household__village__township_id", "household__village__township__name", "year", "band")
        .annotate(n=Count("pk"))
    )
    counts: dict[tuple, dict[int, int]] = defaultdict(dict)
    for row in rows:
        key = (row["household__village__township_id"], row["household__village__township__name"], row["year"])
        counts[key][row["band"]] = row["n"]
    return counts


def township_bunching(actor, county, as_of: datetime.date) -> list[Draft]:
    """Townships whose incomes of a year bunch just above the line; the statistic is their score."""
    width = value_of(config.BUNCHING_BAND.key, on=as_of, county=county) / 100
    threshold = float(value_of(config.BUNCHING_MIN_LOG_RATIO.key, on=as_of, county=county))
    minimum = value_of(config.BUNCHING_MIN_COUNT.key, on=as_of, county=county)
    years = (
        scope_for(actor, HouseholdIncome.objects.all())
        .filter(household__village__county=county)
        .values_list("year", flat=True)
    )
    lines = _lines(POVERTY_LINE.key, years.distinct(), county)
    if not lines:
        return []
    drafts = []
    for (township_id, name, year), counts in township_band_counts(actor, county, width, lines).items():
        stat = bunching_statistic(counts)
        if stat.log_ratio < threshold or stat.above < minimum:
            continue
        drafts.append(
            Draft(
                detector=Detector.TOWNSHIP_BUNCHING,
                subject_type="township",
                subject_id=township_id,
                subject_name=name,
                county_id=county.pk,
                township_id=township_id,
                village_id=None,
                year=year,
                period=str(year),
                score=Decimal(str(round(stat.log_ratio, 4))),
                evidence={
                    **stat.as_dict(),
                    "bands": {str(band): counts.get(band, 0) for band in sorted((*NEIGHBOURS, 0))},
                    "line": _dec(lines[year]),
                    "band_percent": _dec(width * 100),
                },
            )
        )
    return drafts


def township_bunching_ranking(actor, county, year: int, as_of: datetime.date) -> list[dict]:
    """Every township of the county with its statistic for ``year``, highest log-ratio first."""
    width = value_of(config.BUNCHING_BAND.key, on=as_of, county=county) / 100
    lines = _lines(POVERTY_LINE.key, [year], county)
    rows = [
        {"township_id": tid, "township": name, **bunching_statistic(counts).as_dict()}
        for (tid, name, _year), counts in township_band_counts(actor, county, width, lines).items()
    ]
    return sorted(rows, key=lambda row: (-row["log_ratio"], row["township"]))


# 2. Village exit just over the bar


def village_exit(actor, county, as_of: datetime.date) -> list[Draft]:
    band = value_of(config.VILLAGE_EXIT_BAND.key, on=as_of, county=county) / 100
    incomes = scope_for(actor, Income.objects.all()).filter(
        village__county=county, village__exit_year=F("year"), village__population_registered__gt=0
    )
    bars = _lines(EXIT_PER_CAPITA.key, incomes.values_list("year", flat=True).distinct(), county)
    if not bars:
        return []
    rows = (
        incomes.annotate(
            bar=_line_case(bars, "year"),
            per_capita=ExpressionWrapper(
                F("total") / F("village__population_registered"), output_field=RATIO
            ),
        )
        .filter(per_capita__gte=F("bar"), per_capita__lt=F("bar") * (1 + band))
        .values(
            "village_id",
            "village__name",
            "village__township_id",
            "year",
            "total",
            "per_capita",
            "bar",
            "village__population_registered",
        )
    )
    return [
        Draft(
            detector=Detector.VILLAGE_EXIT,
            subject_type="village",
            subject_id=row["village_id"],
            subject_name=row["village__name"],
            county_id=county.pk,
            township_id=row["village__township_id"],
            village_id=row["village_id"],
            year=row["year"],
            period=str(row["year"]),
            score=(1 - (row["per_capita"] / row["bar"] - 1) / band).quantize(Decimal("0.0001"))
            if band and row["bar"]
            else Decimal(1),
            evidence={
                "total": _dec(row["total"]),
                "population_registered": row["village__population_registered"],
                "per_capita": _dec(row["per_capita"]),
                "bar": _dec(row["bar"]),
                "band_percent": _dec(band * 100),
            },
        )
        for row in rows
    ]


# 4. Assistance on paper


def no_measure(actor, county, as_of: datetime.date) -> list[Draft]:
    months = value_of(config.INACTIVE_MONTHS.key, on=as_of, county=county)
    since = months_before(as_of, months)
    rows = (
        scope_for(actor, Household.objects.all())
        .filter(village__county=county, paired_cadre__isnull=False, registered_on__lte=since)
        .exclude(status=HouseholdStatus.EXITED)
        .annotate(last_measure=Max("measures__date", filter=Q(measures__date__lte=as_of)))
        .filter(Q(last_measure__isnull=True) | Q(last_measure__lt=since))
        .values(
            "pk",
            "head_name",
            "village_id",
            "village__name",
            "village__township_id",
            "paired_cadre__name",
            "last_measure",
        )
    )
    return [
        Draft(
            detector=Detector.NO_MEASURE,
            subject_type="household",
            subject_id=row["pk"],
            subject_name=f"{row['village__name']} {row['head_name']}",
            county_id=county.pk,
            township_id=row["village__township_id"],
            village_id=row["village_id"],
            year=as_of.year,
            period=str(as_of.year),
            score=Decimal((as_of - row["last_measure"]).days if row["last_measure"] else 9999),
            evidence={
                "cadre": row["paired_cadre__name"],
                "last_measure": row["last_measure"].isoformat() if row["last_measure"] else None,
                "since": since.isoformat(),
                "months": months,
            },
        )
        for row in rows
    ]


def overloaded_cadre(actor, county, as_of: datetime.date) -> list[Draft]:
    maximum = value_of(MAX_HOUSEHOLDS_PER_CADRE.key, on=as_of, county=county)
    rows = (
        scope_for(actor, Cadre.objects.all())
        .filter(village__county=county)
        .annotate(
            paired=Count("paired_households", filter=~Q(paired_households__status=HouseholdStatus.EXITED))
        )
        .filter(paired__gt=maximum)
        .values("pk", "name", "village_id", "village__name", "village__township_id", "paired")
    )
    return [
        Draft(
            detector=Detector.OVERLOADED_CADRE,
            subject_type="cadre",
            subject_id=row["pk"],
            subject_name=f"{row['village__name']} {row['name']}",
            county_id=county.pk,
            township_id=row["village__township_id"],
            village_id=row["village_id"],
            year=as_of.year,
            period=str(as_of.year),
            score=Decimal(row["paired"] - maximum),
            evidence={"paired": row["paired"], "maximum": maximum},
        )
        for row in rows
    ]


# 3. Duty logs that look copied


DUTY_WINDOW_MONTHS = 12  # the duty detectors look at the months of the last year before the run


def _month_logs(actor, county, as_of: datetime.date):
    since = months_before(as_of, DUTY_WINDOW_MONTHS).replace(day=1)
    return scope_for(actor, DutyLog.objects.all()).filter(
        member__team__village__county=county, date__gte=since, date__lte=as_of
    )


def duty_copied(actor, county, as_of: datetime.date) -> list[Draft]:
    """One query: each member-month's on-duty days as an array; identical arrays in a team are grouped."""
    minimum = value_of(config.DUTY_MIN_DAYS.key, on=as_of, county=county)
    rows = (
        _month_logs(actor, county, as_of)
        .filter(on_duty=True, date__lte=as_of)
        .annotate(month=TruncMonth("date"))
        .values(
            "member_id",
            "member__name",
            "member__team_id",
            "member__team__village_id",
            "member__team__village__name",
            "member__team__village__township_id",
            "month",
        )
        .annotate(days=ArrayAgg(ExtractDay("date"), order_by="date"), n=Count("pk"))
        .filter(n__gte=minimum)
    )
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for row in rows:
        groups[(row["member__team_id"], row["month"], tuple(row["days"]))].append(row)
    drafts = []
    for (team_id, month, days), members in groups.items():
        if len(members) < 2:
            continue
        first = members[0]
        drafts.append(
            Draft(
                detector=Detector.DUTY_COPIED,
                subject_type="work_team",
                subject_id=team_id,
                subject_name=f"{first['member__team__village__name']} {month:%Y-%m}",
                county_id=county.pk,
                township_id=first["member__team__village__township_id"],
                village_id=first["member__team__village_id"],
                year=month.year,
                period=f"{month:%Y-%m}",
                score=Decimal(len(members)),
                evidence={
                    "members": ", ".join(sorted(m["member__name"] for m in members)),
                    "days_count": len(days),
                    "days": ", ".join(str(d) for d in days),
                },
            )
        )
    return drafts


def duty_burst(actor, county, as_of: datetime.date) -> list[Draft]:
    """Entry times are the audit trail's insert times (``created_at``, set by the database on insert)."""
    minimum = value_of(config.DUTY_MIN_DAYS.key, on=as_of, county=county)
    late = value_of(config.DUTY_LATE_DAYS.key, on=as_of, county=county)
    rows = (
        _month_logs(actor, county, as_of)
        .annotate(month=TruncMonth("date"))
        .values(
            "member_id",
            "member__name",
            "member__team__village_id",
            "member__team__village__name",
            "member__team__village__township_id",
            "month",
        )
        .annotate(
            n=Count("pk", filter=Q(on_duty=True)),
            first_entry=Min("created_at"),
            last_entry=Max("created_at"),
            last_day=Max("date"),
        )
        .filter(n__gte=minimum)
    )
    drafts = []
    for row in rows:
        month = row["month"]
        month_end = datetime.date(month.year, month.month, calendar.monthrange(month.year, month.month)[1])
        entered = timezone.localdate(row["first_entry"])
        delay = (entered - month_end).days
        if row["last_entry"] - row["first_entry"] > datetime.timedelta(days=1) or delay < late:
            continue
        drafts.append(
            Draft(
                detector=Detector.DUTY_BURST,
                subject_type="work_team_member",
                subject_id=row["member_id"],
                subject_name=f"{row['member__team__village__name']} {row['member__name']}",
                county_id=county.pk,
                township_id=row["member__team__village__township_id"],
                village_id=row["member__team__village_id"],
                year=month.year,
                period=f"{month:%Y-%m}",
                score=Decimal(delay),
                evidence={
                    "on_duty_days": row["n"],
                    "entered_on": entered.isoformat(),
                    "days_after_month": delay,
                    "late_days": late,
                },
            )
        )
    return drafts


def duty_training(actor, county, as_of: datetime.date) -> list[Draft]:
    """On-duty days inside a training (start_date … start_date + days − 1) of a cadre with the member's ID number."""
    trainings = Training.objects.filter(
        cadre__id_number=OuterRef("member__id_number"), start_date__lte=OuterRef("date")
    ).annotate(end=ExpressionWrapper(F("start_date") + F("days"), output_field=DateField()))
    rows = (
        _month_logs(actor, county, as_of)
        .filter(on_duty=True)
        .filter(Exists(trainings.filter(end__gt=OuterRef("date"))))
        .annotate(month=TruncMonth("date"))
        .values(
            "member_id",
            "member__name",
            "member__team__village_id",
            "member__team__village__name",
            "member__team__village__township_id",
            "month",
        )
        .annotate(n=Count("pk"), days=ArrayAgg("date", order_by="date"))
    )
    return [
        Draft(
            detector=Detector.DUTY_TRAINING,
            subject_type="work_team_member",
            subject_id=row["member_id"],
            subject_name=f"{row['member__team__village__name']} {row['member__name']}",
            county_id=county.pk,
            township_id=row["member__team__village__township_id"],
            village_id=row["member__team__village_id"],
            year=row["month"].year,
            period=f"{row['month']:%Y-%m}",
            score=Decimal(row["n"]),
            evidence={"days_count": row["n"], "days": ", ".join(d.isoformat() for d in row["days"])},
        )
        for row in rows
    ]


# 5. Morality bank


def _approved_awards(actor, county):
    from apps.morality_bank.models import Award, AwardStatus

    return scope_for(actor, Award.objects.all()).filter(village__county=county, status=AwardStatus.APPROVED)


def cadre_points(actor, county, as_of: datetime.date) -> list[Draft]:
    share = value_of(config.CADRE_POINTS_SHARE.key, on=as_of, county=county)
    own = Exists(
        Cadre.objects.filter(village=OuterRef("village")).filter(
            Q(id_number=OuterRef("resident__id_number"))
            | Q(id_number=OuterRef("resident__household__head_id_number"))
        )
    )
    rows = (
        _approved_awards(actor, county)
        .filter(points__gt=0)
        .annotate(own=own)
        .values("village_id", "village__name", "village__township_id", "date__year")
        .annotate(total=Sum("points"), cadres=Sum("points", filter=Q(own=True)))
        .filter(cadres__gt=0)
    )
    drafts = []
    for row in rows:
        percent = Decimal(row["cadres"] * 100) / row["total"]
        if percent < share:
            continue
        drafts.append(
            Draft(
                detector=Detector.CADRE_POINTS,
                subject_type="village",
                subject_id=row["village_id"],
                subject_name=row["village__name"],
                county_id=county.pk,
                township_id=row["village__township_id"],
                village_id=row["village_id"],
                year=row["date__year"],
                period=str(row["date__year"]),
                score=percent.quantize(Decimal("0.0001")),
                evidence={
                    "cadre_points": row["cadres"],
                    "village_points": row["total"],
                    "cadre_percent": _dec(percent),
                    "share_percent": _dec(share),
                },
            )
        )
    return drafts


def award_loop(actor, county, as_of: datetime.date) -> list[Draft]:
    """One query: (village, year, recorder, approver) pairs; a pair whose reverse also occurs is a loop."""
    rows = (
        _approved_awards(actor, county)
        .filter(recorded_by__isnull=False, decided_by__isnull=False)
        .exclude(recorded_by=F("decided_by"))
        .values(
            "village_id",
            "village__name",
            "village__township_id",
            "date__year",
            "recorded_by_id",
            "recorded_by__username",
            "decided_by_id",
            "decided_by__username",
        )
        .annotate(n=Count("pk"))
    )
    pairs = {(r["village_id"], r["date__year"], r["recorded_by_id"], r["decided_by_id"]): r for r in rows}
    drafts = []
    for (village, year, recorder, approver), row in pairs.items():
        back = pairs.get((village, year, approver, recorder))
        if back is None or recorder > approver:  # each loop once
            continue
        drafts.append(
            Draft(
                detector=Detector.AWARD_LOOP,
                subject_type="village",
                subject_id=village,
                subject_name=row["village__name"],
                county_id=county.pk,
                township_id=row["village__township_id"],
                village_id=village,
                year=year,
                period=f"{year}:{recorder}-{approver}",
                score=Decimal(row["n"] + back["n"]),
                evidence={
                    "users": f"{row['recorded_by__username']} ⇄ {row['decided_by__username']}",
                    "awards": row["n"] + back["n"],
                },
            )
        )
    return drafts


DETECTORS = {
    Detector.HOUSEHOLD_BUNCHING: household_bunching,
    Detector.TOWNSHIP_BUNCHING: township_bunching,
    Detector.VILLAGE_EXIT: village_exit,
    Detector.NO_MEASURE: no_measure,
    Detector.OVERLOADED_CADRE: overloaded_cadre,
    Detector.DUTY_COPIED: duty_copied,
    Detector.DUTY_BURST: duty_burst,
    Detector.DUTY_TRAINING: duty_training,
    Detector.CADRE_POINTS: cadre_points,
    Detector.AWARD_LOOP: award_loop,
}


EVIDENCE_LABELS = {
    "income": _("per-capita net income in the exit year (yuan)"),
    "line": _("poverty line of the year (yuan)"),
    "percent_above": _("percent above the line"),
    "band_percent": _("configured band (percent)"),
    "above": _("households just above the line (band 0)"),
    "neighbours": _("mean households of the neighbouring bands"),
    "log_ratio": _("log-ratio (0: smooth; 0.69: twice the neighbours)"),
    "z": _("z-score"),
    "bands": _("households per band (-2 … 2)"),
    "total": _("collective income of the exit year (yuan)"),
    "population_registered": _("registered residents"),
    "per_capita": _("income per registered resident (yuan)"),
    "bar": _("exit bar (yuan per resident)"),
    "cadre": _("paired cadre"),
    "last_measure": _("last measure"),
    "since": _("no measure since"),
    "months": _("configured months"),
    "paired": _("households paired (not exited)"),
    "maximum": _("configured maximum"),
    "members": _("members with the same days"),
    "days_count": _("days"),
    "days": _("the days"),
    "on_duty_days": _("on-duty days of the month"),
    "entered_on": _("entered on"),
    "days_after_month": _("days after the month ended"),
    "late_days": _("configured days"),
    "cadre_points": _("points to cadres' households"),
    "village_points": _("points approved in the village"),
    "cadre_percent": _("percent to cadres' households"),
    "share_percent": _("configured percent"),
    "users": _("recorded and approved by"),
    "awards": _("awards"),
}


def explanation(finding) -> list[tuple[str, object]]:
    """The finding's numbers with readable labels, in the order the detector stored them."""
    rows = []
    for key, value in (finding.evidence or {}).items():
        if isinstance(value, dict):
            value = ", ".join(f"{k}: {v}" for k, v in value.items())
        rows.append((str(EVIDENCE_LABELS.get(key, key)), "—" if value is None else value))
    return rows
