"""Planted anomalies for the integrity watch (runs after every other demo step, order 95).

The other demo steps generate clean data: exit incomes comfortably above the line, recent measures for
every household still monitored, duty logs entered day by day, awards spread over the year. In 恩阳区 (in
every preset, so also in ``bazhong``) this step then plants one known case per rule, each in a named
village of the demo logins' township ``TOWNSHIP`` (villages by code: 0 登科村, 1 清岭村, 2 鹤河村,
3 常家村) or chosen by a fixed order, beside clean controls — every other village, household, cadre,
team member and bank of the county, left as the other steps seeded it. All changes are a handful of
set-based statements; ``ctx.shared["integrity.planted"]`` lists the planted subjects per detector.

1. **Exit incomes on the line**: in ``BUNCHING_VILLAGE`` every exited household's income of its exit
   year becomes 1–4 % above that year's poverty line, so each household is flagged and its township's
   band just above the line swells (township bunching). Control: the township's other villages.
2. **Village exit just over the bar**: the first poor village of the township gets a collective income
   of its exit year 3 % over the exit bar per registered resident; the second one, the control, 150 %
   over it.
3. **Duty logs** (teams of the county by village code): in the first team with two members on duty
   through last month, one with days off, another member gets that one's days of the month (copied); a member
   of the next team has the latest month that ended 20 days or more ago entered in one go, 20 days
   after the month (late); a member of the team after that is recorded, under the same ID number, as a
   cadre of another township who attended a three-day training on three of their on-duty days. Control:
   every other member, whose logs of the watched year get noon of their day as entry time, in every
   county of the preset (the assistance step bulk-loads them all at the seeding time).
4. **Assistance on paper**: the first cadre (by name) of ``PAIRING_VILLAGE`` is paired with ``OVERLOAD``
   households of the township that have not exited; the first two other paired households of the county
   that have not exited get their recent measures moved back before the watch's months. Control: every
   other cadre and paired household.
5. **Morality bank**: in ``LOOP_VILLAGE`` the demo logins township_staff and village_clerk approve each other's
   awards (a loop); in ``BURST_VILLAGE`` eight awards are dated in the days before last quarter's
   redemption window; in ``CADRE_VILLAGE`` a cadre's own household (a resident with the cadre's ID
   number) gets at least half of the year's points. The planted awards are approved on the seeding day,
   so their ledger entries fall in the current quarter, which no statement has settled. Control: every
   other bank.

The watch then runs once for the county (as the weekly job would), so the findings page has entries.
"""

from __future__ import annotations

import datetime
import math
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    DateTimeField,
    DecimalField,
    F,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Least
from django.utils import timezone

from apps.assistance.config import MAX_HOUSEHOLDS_PER_CADRE, POVERTY_LINE
from apps.assistance.models import (
    AssistanceMeasure,
    DutyLog,
    Household,
    HouseholdIncome,
    HouseholdStatus,
    WorkTeamMember,
)
from apps.cadres.models import Cadre, Training
from apps.collective_economy.config import EXIT_PER_CAPITA
from apps.collective_economy.models import Income
from apps.core import idnumbers
from apps.core.actors import SYSTEM
from apps.core.configuration import value_of
from apps.core.demo import DemoContext, register
from apps.core.periods import Month, Quarter, quarter_end_window
from apps.villages.models import PovertyStatus, Village

from . import config
from .detectors import WATCHED_MONTHS, Detector, months_before
from .services import integrity_run

DEMO_COUNTY = "511903000000"  # 恩阳区
TOWNSHIP = "511903001000"  # the demo logins' township: households, measures and banks in detail
# Indexes (by code) among the villages of the township.
LOOP_VILLAGE = 0  # 登科村, the demo clerk's village: the demo logins record and approve its awards
BUNCHING_VILLAGE = 1
PAIRING_VILLAGE = 2
BURST_VILLAGE = 2
CADRE_VILLAGE = 3
OVERLOAD = 8
INACTIVE_HOUSEHOLDS = 2
BURST_AWARDS = 8
LATE_DAYS = 20  # the late month is entered this many days after it ended
TRAINING_DAYS = 3
TRAINING_COURSE = "村干部履职能力提升培训班"


def _villages():
    return list(Village.objects.filter(township__code=TOWNSHIP).order_by("code"))


def _noon(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


# 1. Exit incomes on the line


def plant_bunching(village) -> set[int]:
    incomes = HouseholdIncome.objects.filter(household__village=village, household__exit_year=F("year"))
    years = set(incomes.values_list("year", flat=True))
    lines = {
        y: value_of(POVERTY_LINE.key, on=datetime.date(y, 12, 31), county=village.county_id) for y in years
    }
    if not lines:
        return set()
    line = Case(*(When(year=y, then=Value(v)) for y, v in lines.items()), output_field=DecimalField())
    # 1.01, 1.02, 1.03 or 1.04 times the line, by household id (deterministic).
    factor = Value(Decimal("1.01")) + (F("household_id") % 4) * Value(Decimal("0.01"))
    incomes.update(per_capita_net_income=line * factor)
    return set(incomes.values_list("household_id", flat=True))


# 2. Village exit just over the bar


def plant_village_exit(villages) -> tuple[Village | None, Village | None]:
    """The first two poor villages: the first just over the exit bar in its exit year, the second well over."""
    poor = [v for v in villages if v.poverty_status != PovertyStatus.NONE and v.exit_year]
    planted = []
    for village, margin in zip(poor[:2], (Decimal("1.03"), Decimal("2.50")), strict=False):
        bar = value_of(
            EXIT_PER_CAPITA.key, on=datetime.date(village.exit_year, 12, 31), county=village.county_id
        )
        Income.objects.update_or_create(
            village=village,
            year=village.exit_year,
            defaults={"operating": (bar * village.population_registered * margin).quantize(Decimal("0.01"))},
        )
        planted.append(village)
    planted += [None] * (2 - len(planted))
    return planted[0], planted[1]


# 3. Duty logs


def _members_through(county, month: Month, today: datetime.date):
    """Members of the county's teams assigned for the whole ``month`` and on duty on enough of its days for
    the duty rules to look at it, by team order."""
    minimum = value_of(config.DUTY_MIN_DAYS.key, on=today, county=county)
    return (
        WorkTeamMember.objects.select_related("team__village")
        .filter(team__village__county=county, start_date__lte=month.first)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=month.last))
        .annotate(
            on_duty=Count(
                "duty_logs",
                filter=Q(duty_logs__on_duty=True, duty_logs__date__range=(month.first, month.last)),
            )
        )
        .filter(on_duty__gte=minimum)
        .order_by("team__village__code", "team_id", "pk")
    )


def _teams(members) -> list[list]:
    teams: dict[int, list] = {}
    for member in members:
        teams.setdefault(member.team_id, []).append(member)
    return list(teams.values())


def plant_copied_month(county, month: Month, teams, today: datetime.date) -> int | None:
    """In the first team with two members and a member with days off in ``month``, another member gets
    that member's days of the month."""
    off_minimum = value_of(config.DUTY_MIN_OFF_DAYS.key, on=today, county=county)
    for members in teams:
        original = next((m for m in members if len(month.days) - m.on_duty >= off_minimum), None)
        if original is None or len(members) < 2:
            continue
        copy = next(m for m in members if m != original)
        DutyLog.objects.filter(member=copy, date__range=(month.first, month.last)).delete()
        DutyLog.objects.bulk_create(
            DutyLog(member=copy, date=log.date, on_duty=log.on_duty, note=log.note)
            for log in DutyLog.objects.filter(member=original, date__range=(month.first, month.last))
        )
        teams.remove(members)
        return original.team_id
    return None


def give_plausible_entry_times(today: datetime.date) -> None:
    """The assistance step bulk-loads duty logs with the seeding time as their entry time, which would make
    every month of every member look entered in one burst; give the logs of the watched year (in every
    county of the preset) one of their own day instead (noon, never after now), so that only the planted
    month stands out."""
    since = months_before(today, WATCHED_MONTHS).replace(day=1)
    DutyLog.objects.filter(date__gte=since).update(
        created_at=Least(
            Cast(F("date"), DateTimeField()) + datetime.timedelta(hours=12),
            Value(timezone.now(), output_field=DateTimeField()),
        )
    )


def plant_late_month(county, today: datetime.date, teams) -> int | None:
    """A member of the next team has a month that ended more than ``LATE_DAYS`` days ago (the month before
    the one ``LATE_DAYS`` days ago) entered in one go, ``LATE_DAYS`` days after the month."""
    month = Month.of(today - datetime.timedelta(days=LATE_DAYS)).previous()
    candidates = {member.pk for member in _members_through(county, month, today)}
    team = next((members for members in teams if any(m.pk in candidates for m in members)), None)
    if team is None:
        return None
    member = next(m for m in team if m.pk in candidates)
    entered = _noon(month.last + datetime.timedelta(days=LATE_DAYS)) + datetime.timedelta(hours=9)
    DutyLog.objects.filter(member=member, date__range=(month.first, month.last)).update(created_at=entered)
    teams.remove(team)
    return member.pk


def plant_training(county, month: Month, teams) -> int | None:
    """A member of the next team is also recorded as a cadre of another township (same ID number) who
    attended a training on ``TRAINING_DAYS`` consecutive days of ``month`` when the member was on duty."""
    for members in teams:
        for member in members:
            days = sorted(
                DutyLog.objects.filter(
                    member=member, on_duty=True, date__range=(month.first, month.last)
                ).values_list("date", flat=True)
            )
            start = next(
                (
                    day
                    for index, day in enumerate(days[: len(days) - TRAINING_DAYS + 1])
                    if days[index + TRAINING_DAYS - 1] - day == datetime.timedelta(days=TRAINING_DAYS - 1)
                ),
                None,
            )
            elsewhere = (
                Village.objects.filter(county=county)
                .exclude(township=member.team.village.township_id)
                .order_by("code")
                .first()
            )
            if (
                start is None
                or elsewhere is None
                or Cadre.objects.filter(id_number=member.id_number).exists()
            ):
                continue
            male = int(member.id_number[16]) % 2 == 1
            cadre = Cadre.objects.create(
                village=elsewhere,
                name=member.name,
                gender="male" if male else "female",
                id_number=member.id_number,
                birth_date=idnumbers.birth_date(member.id_number),
                education="high_school",
            )
            Training.objects.create(
                cadre=cadre,
                course=TRAINING_COURSE,
                organiser="恩阳区委组织部",
                start_date=start,
                days=TRAINING_DAYS,
            )
            return member.pk
    return None


# 4. Assistance on paper


def plant_overload(village) -> tuple[int | None, set[int]]:
    cadre = Cadre.objects.filter(village=village).order_by("name", "pk").first()
    if cadre is None:
        return None, set()
    ids = list(
        Household.objects.filter(village__township=village.township_id)
        .exclude(status=HouseholdStatus.EXITED)
        .order_by("pk")
        .values_list("pk", flat=True)[:OVERLOAD]
    )
    Household.objects.filter(pk__in=ids).update(paired_cadre=cadre)
    maximum = value_of(MAX_HOUSEHOLDS_PER_CADRE.key, county=village.county_id)
    return (cadre.pk if len(ids) > maximum else None), set(ids)


def plant_inactive_households(county, today: datetime.date, busy: set[int]) -> set[int]:
    months = value_of(config.INACTIVE_MONTHS.key, on=today, county=county)
    ids = set(
        Household.objects.filter(village__county=county, paired_cadre__isnull=False)
        .exclude(status=HouseholdStatus.EXITED)
        .exclude(pk__in=busy)
        .order_by("pk")
        .values_list("pk", flat=True)[:INACTIVE_HOUSEHOLDS]
    )
    AssistanceMeasure.objects.filter(household__in=ids, date__gt=months_before(today, months)).update(
        date=months_before(today, months + 2)
    )
    return ids


# 5. Morality bank


def _approve_today(awards: list[tuple], today: datetime.date, county) -> None:
    """Approved awards (resident, item, date, recorded by, approved by), approved today: with their ledger
    entries and the residents' balances, as ``award_approve`` would leave them."""
    from apps.morality_bank.config import NOTICE_DAYS
    from apps.morality_bank.models import Award, AwardStatus, EntryKind, LedgerEntry, Resident

    notice_ends_on = today + datetime.timedelta(days=value_of(NOTICE_DAYS, on=today, county=county))
    decided_at = timezone.now()
    rows = Award.objects.bulk_create(
        Award(
            village_id=resident.village_id,
            resident=resident,
            item=item,
            points=item.max_points,
            date=date,
            evidence="村民小组推荐",
            status=AwardStatus.APPROVED,
            recorded_by=recorder,
            decided_by=approver,
            decided_at=decided_at,
            notice_ends_on=notice_ends_on,
        )
        for resident, item, date, recorder, approver in awards
    )
    LedgerEntry.objects.bulk_create(
        LedgerEntry(
            resident_id=award.resident_id,
            village_id=award.village_id,
            kind=EntryKind.AWARD,
            points=award.points,
            date=today,
            available_from=notice_ends_on,
            category=award.item.category,
            award=award,
            created_by=award.decided_by,
        )
        for award in rows
    )
    gained = (
        LedgerEntry.objects.filter(award__in=rows, resident=OuterRef("pk"))
        .values("resident")
        .annotate(points=Sum("points"))
        .values("points")
    )
    Resident.objects.filter(pk__in={award.resident_id for award in rows}).update(
        balance=F("balance") + Subquery(gained)
    )


def _award_items():
    from apps.morality_bank.models import Item

    return list(
        Item.objects.filter(county__isnull=True, is_active=True, max_points__gt=0).order_by(
            "-max_points", "category", "name"
        )
    )


def _quarter_days(today: datetime.date, count: int) -> list[datetime.date]:
    """The first ``count`` days of the current quarter (never after today): far from any window."""
    first = Quarter.of(today).first
    return [min(first + datetime.timedelta(days=i), today) for i in range(count)]


def plant_award_loop(village, today, users) -> int | None:
    from apps.morality_bank.models import Resident

    clerk, staff = users.get("village_clerk"), users.get("township_staff")
    residents = list(Resident.objects.filter(village=village).order_by("pk")[:3])
    items = _award_items()
    if clerk is None or staff is None or len(residents) < 3 or not items:
        return None
    days = _quarter_days(today, 3)
    _approve_today(
        [
            (residents[0], items[-1], days[0], staff, clerk),
            (residents[1], items[-1], days[1], staff, clerk),
            (residents[2], items[-1], days[2], clerk, staff),
        ],
        today,
        village.county_id,
    )
    return village.pk


def plant_award_burst(village, today) -> int | None:
    from apps.morality_bank.config import REDEMPTION_WINDOW, REDEMPTION_WINDOW_DAYS, WINDOW_ALWAYS
    from apps.morality_bank.models import Resident

    quarter = Quarter.of(today).previous()
    residents = list(Resident.objects.filter(village=village).order_by("pk"))
    items = _award_items()
    if not residents or not items:
        return None
    if value_of(REDEMPTION_WINDOW, on=quarter.last, county=village.county_id) == WINDOW_ALWAYS:
        return None
    window = value_of(REDEMPTION_WINDOW_DAYS, on=quarter.last, county=village.county_id)
    lead = value_of(config.AWARD_BURST_LEAD_DAYS.key, on=today, county=village.county_id)
    opens, _closes = quarter_end_window(quarter.last, window)
    _approve_today(
        [
            (
                residents[i % len(residents)],
                items[len(items) // 2],
                opens - datetime.timedelta(days=1 + (i * lead) // BURST_AWARDS),
                None,
                None,
            )
            for i in range(BURST_AWARDS)
        ],
        today,
        village.county_id,
    )
    return village.pk


def plant_cadre_points(village, today) -> int | None:
    """A resident with the ID number of the village's first cadre gets at least the village's other points
    of the year (so at least half)."""
    from apps.morality_bank.models import Award, AwardStatus, Resident

    cadre = Cadre.objects.filter(village=village).order_by("name", "pk").first()
    items = _award_items()
    if cadre is None or not items or not Resident.objects.filter(village=village).exists():
        return None
    if Resident.objects.filter(id_number=cadre.id_number).exclude(village=village).exists():
        return None
    resident, _created = Resident.objects.get_or_create(
        id_number=cadre.id_number, defaults={"village": village, "name": cadre.name}
    )
    others = (
        Award.objects.filter(
            village=village, status=AwardStatus.APPROVED, points__gt=0, date__year=today.year
        ).aggregate(points=Sum("points"))["points"]
        or 0
    )
    count = max(1, math.ceil(others / items[0].max_points))
    _approve_today(
        [(resident, items[0], day, None, None) for day in _quarter_days(today, count)],
        today,
        village.county_id,
    )
    return village.pk


@register(95)
def seed(ctx: DemoContext) -> None:
    county = ctx.regions.get(DEMO_COUNTY)
    villages = _villages()
    if county is None or len(villages) <= max(BUNCHING_VILLAGE, PAIRING_VILLAGE, CADRE_VILLAGE):
        return
    today = timezone.localdate()
    users = ctx.shared.get("accounts.users", {})
    planted: dict[str, set] = {}

    planted[Detector.HOUSEHOLD_BUNCHING] = plant_bunching(villages[BUNCHING_VILLAGE])
    planted[Detector.TOWNSHIP_BUNCHING] = {villages[BUNCHING_VILLAGE].township_id}
    exit_village, exit_control = plant_village_exit(villages)
    planted[Detector.VILLAGE_EXIT] = {exit_village.pk} if exit_village else set()

    last_month = Month.of(today).previous()
    teams = _teams(_members_through(county, last_month, today))
    planted[Detector.DUTY_COPIED] = {plant_copied_month(county, last_month, teams, today)} - {None}
    give_plausible_entry_times(today)
    planted[Detector.DUTY_BURST] = {plant_late_month(county, today, teams)} - {None}
    planted[Detector.DUTY_TRAINING] = {plant_training(county, last_month, teams)} - {None}

    cadre, overloaded = plant_overload(villages[PAIRING_VILLAGE])
    planted[Detector.OVERLOADED_CADRE] = {cadre} - {None}
    planted[Detector.NO_MEASURE] = plant_inactive_households(county, today, overloaded)

    planted[Detector.AWARD_LOOP] = {plant_award_loop(villages[LOOP_VILLAGE], today, users)} - {None}
    planted[Detector.AWARD_BURST] = {plant_award_burst(villages[BURST_VILLAGE], today)} - {None}
    planted[Detector.CADRE_POINTS] = {plant_cadre_points(villages[CADRE_VILLAGE], today)} - {None}

    found = integrity_run(actor=SYSTEM, county=county, as_of=today)
    ctx.shared["integrity.planted"] = planted
    ctx.shared["integrity.controls"] = {Detector.VILLAGE_EXIT: {exit_control.pk} if exit_control else set()}
    ctx.summary["integrity: planted anomalies (恩阳区)"] = sum(len(subjects) for subjects in planted.values())
    ctx.summary["integrity: findings (恩阳区)"] = sum(found.values())
