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
    CharField,
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
from apps.core.configuration import value_of, values_of
from apps.core.periods import Quarter, quarter_end_window
from apps.core.scoping import scope_for

from . import config
from .bunching import NEIGHBOURS, Bunching, bunching_statistic

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
    AWARD_BURST = "award_burst"


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
    (Detector.AWARD_BURST, _("A burst of awards just before a redemption window")),
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
        "In one month that has ended two or more members of the same work team have exactly the same "
        "on-duty days (at least the configured number of days on duty, and of days off): the logs look "
        "copied from one sheet."
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
    Detector.AWARD_BURST: _(
        "In the configured number of days before a quarter's redemption window opened (the morality bank's "
        "setting), the village's approved awards, by their date, are at least the configured number and at "
        "least the configured multiple of its normal number for as many days: its awards outside those days "
        "in the 12 months before the run, per day. Points awarded just before they can be redeemed."
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


def _county_year_lines(key: str, county_ids, years) -> dict[tuple[int, int], Decimal]:
    """{(county id, year): the positive value of ``key`` in force on 31 December of the year}, one query per
    year however many counties (a zero line flags nothing)."""
    lines = {}
    for year in sorted(set(years)):
        value_for = values_of(key, on=datetime.date(year, 12, 31))
        for county_id in county_ids:
            value = value_for(county_id)
            if value > 0:
                lines[(county_id, year)] = value
    return lines


def township_band_counts(
    incomes, lines: dict[tuple[int, int], Decimal], widths: dict[int, Decimal]
) -> dict[tuple[int, int, str, int], dict[int, int]]:
    """{(township id, county id, township name, year): {band: count}} of bands -2..2 of ``incomes`` (household
    incomes), in one query; each income is measured against its county's line of its year and band width."""
    if not lines:
        return {}
    line = Case(
        *(
            When(household__village__county_id=county_id, year=year, then=Value(value))
            for (county_id, year), value in lines.items()
        ),
        default=Value(None),
        output_field=RATIO,
    )
    width = Case(
        *(When(household__village__county_id=county_id, then=Value(w)) for county_id, w in widths.items()),
        default=Value(None),
        output_field=RATIO,
    )
    rows = (
        incomes.filter(year__in={year for _county, year in lines})
        .annotate(
            band=Cast(
                Floor(ExpressionWrapper((F("per_capita_net_income") / line - 1) / width, output_field=RATIO)),
                IntegerField(),
            )
        )
        .filter(band__gte=min(NEIGHBOURS), band__lte=max(NEIGHBOURS))
        .values(
            "household__village__township_id",
            "household__village__county_id",
            "household__village__township__name",
            "year",
            "band",
        )
        .annotate(n=Count("pk"))
    )
    counts: dict[tuple, dict[int, int]] = defaultdict(dict)
    for row in rows:
        key = (
            row["household__village__township_id"],
            row["household__village__county_id"],
            row["household__village__township__name"],
            row["year"],
        )
        counts[key][row["band"]] = row["n"]
    return counts


@dataclass(frozen=True)
class TownshipStatistic:
    """The bunching statistic of one township's household incomes of one year."""

    township_id: int
    county_id: int
    township_name: str
    year: int
    bands: dict[int, int]  # band -> count, bands -2..2
    statistic: Bunching
    line: Decimal
    band_percent: Decimal
    enough: bool  # at least the county's configured count just above the line: the log-ratio means something
    flagged: bool  # and at or above the county's configured log-ratio

    def evidence(self) -> dict:
        return {
            **self.statistic.as_dict(),
            "bands": {str(band): self.bands.get(band, 0) for band in sorted((*NEIGHBOURS, 0))},
            "line": _dec(self.line),
            "band_percent": _dec(self.band_percent),
        }


def township_statistics(incomes, county_ids, years, as_of: datetime.date) -> list[TownshipStatistic]:
    """The bunching statistic of every (township, year) of ``incomes`` with incomes in bands -2..2, with
    each county's thresholds in force on ``as_of``. A few queries, whatever the number of townships."""
    width_of = values_of(config.BUNCHING_BAND.key, on=as_of)
    threshold_of = values_of(config.BUNCHING_MIN_LOG_RATIO.key, on=as_of)
    minimum_of = values_of(config.BUNCHING_MIN_COUNT.key, on=as_of)
    widths = {county_id: width_of(county_id) / 100 for county_id in county_ids}
    lines = _county_year_lines(POVERTY_LINE.key, county_ids, years)
    statistics = []
    for (township_id, county_id, name, year), bands in township_band_counts(incomes, lines, widths).items():
        stat = bunching_statistic(bands)
        enough = stat.above >= minimum_of(county_id)
        statistics.append(
            TownshipStatistic(
                township_id=township_id,
                county_id=county_id,
                township_name=name,
                year=year,
                bands=bands,
                statistic=stat,
                line=lines[(county_id, year)],
                band_percent=widths[county_id] * 100,
                enough=enough,
                flagged=enough and stat.log_ratio >= float(threshold_of(county_id)),
            )
        )
    return statistics


def township_bunching(actor, county, as_of: datetime.date) -> list[Draft]:
    """Townships whose incomes of a year bunch just above the line; the statistic is their score."""
    incomes = scope_for(actor, HouseholdIncome.objects.all()).filter(household__village__county=county)
    years = incomes.values_list("year", flat=True).distinct()
    return [
        Draft(
            detector=Detector.TOWNSHIP_BUNCHING,
            subject_type="township",
            subject_id=row.township_id,
            subject_name=row.township_name,
            county_id=county.pk,
            township_id=row.township_id,
            village_id=None,
            year=row.year,
            period=str(row.year),
            score=Decimal(str(round(row.statistic.log_ratio, 4))),
            evidence=row.evidence(),
        )
        for row in township_statistics(incomes, [county.pk], years, as_of)
        if row.flagged
    ]


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


WATCHED_MONTHS = 12  # the duty and award-burst detectors look at the 12 months before the run


def _month_logs(actor, county, as_of: datetime.date):
    since = months_before(as_of, WATCHED_MONTHS).replace(day=1)
    return scope_for(actor, DutyLog.objects.all()).filter(
        member__team__village__county=county, date__gte=since, date__lte=as_of
    )


def duty_copied(actor, county, as_of: datetime.date) -> list[Draft]:
    """One query: each member-month's on-duty days as an array; identical arrays in a team are grouped.

    Only months that have ended count (days to come would make any two diligent members alike), and only
    patterns with days off: members on duty every day of a month are alike without copying anything.
    """
    minimum = value_of(config.DUTY_MIN_DAYS.key, on=as_of, county=county)
    off_minimum = value_of(config.DUTY_MIN_OFF_DAYS.key, on=as_of, county=county)
    rows = (
        _month_logs(actor, county, as_of)
        .filter(on_duty=True, date__lt=as_of.replace(day=1))
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
        if len(members) < 2 or calendar.monthrange(month.year, month.month)[1] - len(days) < off_minimum:
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
                    "off_days": calendar.monthrange(month.year, month.month)[1] - len(days),
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


@dataclass(frozen=True)
class LeadPeriod:
    """The ``days`` days before a quarter's redemption window opens."""

    quarter: Quarter
    first: datetime.date
    last: datetime.date
    window_opens: datetime.date
    window_closes: datetime.date


def redemption_lead_periods(county, as_of: datetime.date, days: int) -> list[LeadPeriod]:
    """The lead periods of the watched year (the 12 months before ``as_of``) whose window has opened by
    ``as_of``. Each quarter's window is the morality bank's in force on its last day (two settings per
    quarter); a county whose bank redeems at any time has none."""
    from apps.morality_bank.config import REDEMPTION_WINDOW, REDEMPTION_WINDOW_DAYS, WINDOW_ALWAYS

    since = months_before(as_of, WATCHED_MONTHS)
    periods = []
    quarter = Quarter.of(as_of)
    while quarter.last >= since:
        if value_of(REDEMPTION_WINDOW, on=quarter.last, county=county) != WINDOW_ALWAYS:
            window = value_of(REDEMPTION_WINDOW_DAYS, on=quarter.last, county=county)
            opens, closes = quarter_end_window(quarter.last, window)
            first = opens - datetime.timedelta(days=days)
            if first >= since and opens <= as_of:
                periods.append(LeadPeriod(quarter, first, opens - datetime.timedelta(days=1), opens, closes))
        quarter = quarter.previous()
    return sorted(periods, key=lambda period: period.first)


def award_burst(actor, county, as_of: datetime.date) -> list[Draft]:
    """One query: each village's approved awards of the watched year, counted per lead period and outside
    them; the normal rate is the count outside the lead periods over the days outside them."""
    days = value_of(config.AWARD_BURST_LEAD_DAYS.key, on=as_of, county=county)
    multiple = value_of(config.AWARD_BURST_MULTIPLE.key, on=as_of, county=county)
    minimum = value_of(config.AWARD_BURST_MIN_AWARDS.key, on=as_of, county=county)
    periods = {str(period.quarter): period for period in redemption_lead_periods(county, as_of, days)}
    if not periods:
        return []
    since = months_before(as_of, WATCHED_MONTHS)
    normal_days = max((as_of - since).days + 1 - days * len(periods), 1)
    lead = Case(
        *(
            When(date__range=(period.first, period.last), then=Value(code))
            for code, period in periods.items()
        ),
        default=Value(""),
        output_field=CharField(),
    )
    rows = (
        _approved_awards(actor, county)
        .filter(points__gt=0, date__gte=since, date__lte=as_of)
        .annotate(lead=lead)
        .values("village_id", "village__name", "village__township_id", "lead")
        .annotate(n=Count("pk"), points=Sum("points"), residents=Count("resident", distinct=True))
    )
    normal: dict[int, int] = defaultdict(int)
    bursts = []
    for row in rows:
        if row["lead"]:
            bursts.append(row)
        else:
            normal[row["village_id"]] += row["n"]
    drafts = []
    for row in bursts:
        period = periods[row["lead"]]
        expected = Decimal(normal[row["village_id"]] * days) / normal_days
        if row["n"] < minimum or row["n"] < multiple * expected:
            continue
        drafts.append(
            Draft(
                detector=Detector.AWARD_BURST,
                subject_type="village",
                subject_id=row["village_id"],
                subject_name=row["village__name"],
                county_id=county.pk,
                township_id=row["village__township_id"],
                village_id=row["village_id"],
                year=period.quarter.year,
                period=row["lead"],
                # The awards beyond the normal number: how much the burst stands out.
                score=(row["n"] - expected).quantize(Decimal("0.0001")),
                evidence={
                    "lead_period": f"{period.first.isoformat()} – {period.last.isoformat()}",
                    "window": f"{period.window_opens.isoformat()} – {period.window_closes.isoformat()}",
                    "lead_awards": row["n"],
                    "lead_points": row["points"],
                    "lead_residents": row["residents"],
                    "normal_awards": _dec(expected),
                    "multiple": _dec(row["n"] / expected) if expected else None,
                    "burst_multiple": _dec(multiple),
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
    Detector.AWARD_BURST: award_burst,
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
    "off_days": _("days off"),
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
    "lead_period": _("days before the window"),
    "window": _("redemption window"),
    "lead_awards": _("awards dated in those days"),
    "lead_points": _("their points"),
    "lead_residents": _("residents awarded"),
    "normal_awards": _("normal number of awards for as many days"),
    "multiple": _("times the normal number"),
    "burst_multiple": _("configured multiple"),
}


def explanation(finding) -> list[tuple[str, object]]:
    """The finding's numbers with readable labels, in the order the detector stored them."""
    rows = []
    for key, value in (finding.evidence or {}).items():
        if isinstance(value, dict):
            value = ", ".join(f"{k}: {v}" for k, v in value.items())
        rows.append((str(EVIDENCE_LABELS.get(key, key)), "—" if value is None else value))
    return rows
