"""Planted anomalies for the integrity watch (runs after every other demo step, order 95).

In 恩阳区 (in every preset, so also in ``bazhong``) a few rows of named villages are changed so that the
watch has known cases to find, beside clean controls — every other village of the same township is left
as the other steps seeded it. All changes are a handful of set-based statements:

* **Exit incomes on the line** (detector 1): in the village ``BUNCHING_VILLAGE`` every exited household's
  income of its exit year becomes 1–4 % above that year's poverty line, so its township's band just
  above the line swells (township bunching) and each household is flagged. Control: the township's other
  villages keep the seeded incomes (most exits 6–70 % above the line).
* **Overloaded cadre** (detector 4): the first cadre (by name) of ``PAIRING_VILLAGE`` is paired with
  ``OVERLOAD`` households of the township that have not exited (by 2026 few are left in any one village).
  Control: every other cadre of the county.
* **Month entered late** (detector 3): the duty logs of the latest member-month of the county with 10 or
  more on-duty days (ended 20 days or more before seeding) get one entry time, 20 days after the month ended. Control: every
  other member (their logs of the watched year get noon of their day as entry time, since the
  assistance step bulk-loads them all at the seeding time).

The watch then runs once for the county (as the weekly job would), so the findings page has entries.
"""

import calendar
import datetime
from decimal import Decimal

from django.db.models import Case, Count, DateTimeField, DecimalField, F, Value, When
from django.db.models.functions import Cast, TruncMonth
from django.utils import timezone

from apps.assistance.config import POVERTY_LINE
from apps.assistance.models import DutyLog, Household, HouseholdIncome, HouseholdStatus, WorkTeamMember
from apps.cadres.models import Cadre
from apps.core.actors import SYSTEM
from apps.core.configuration import value_of
from apps.core.demo import DemoContext, register
from apps.villages.models import Village

from .detectors import months_before
from .services import integrity_run

DEMO_COUNTY = "511903000000"  # 恩阳区
BUNCHING_VILLAGE = 1  # index (by code) among the villages of the township below
PAIRING_VILLAGE = 2
TOWNSHIP = "511903001000"  # the demo logins' township: households, measures and duty logs in detail
OVERLOAD = 8


def _villages():
    return list(Village.objects.filter(township__code=TOWNSHIP).order_by("code"))


def plant_bunching(village) -> int:
    years = set(
        HouseholdIncome.objects.filter(
            household__village=village, household__exit_year=F("year")
        ).values_list("year", flat=True)
    )
    lines = {
        y: value_of(POVERTY_LINE.key, on=datetime.date(y, 12, 31), county=village.county_id) for y in years
    }
    if not lines:
        return 0
    line = Case(*(When(year=y, then=Value(v)) for y, v in lines.items()), output_field=DecimalField())
    # 1.01, 1.02, 1.03 or 1.04 times the line, by household id (deterministic).
    factor = Value(Decimal("1.01")) + (F("household_id") % 4) * Value(Decimal("0.01"))
    return HouseholdIncome.objects.filter(household__village=village, household__exit_year=F("year")).update(
        per_capita_net_income=line * factor
    )


def plant_overload(village) -> str | None:
    cadre = Cadre.objects.filter(village=village).order_by("name", "pk").first()
    if cadre is None:
        return None
    ids = list(
        Household.objects.filter(village__township=village.township_id)
        .exclude(status=HouseholdStatus.EXITED)
        .order_by("pk")
        .values_list("pk", flat=True)[:OVERLOAD]
    )
    Household.objects.filter(pk__in=ids).update(paired_cadre=cadre)
    return cadre.name if len(ids) > 5 else None


def plant_late_month(village, today: datetime.date) -> str | None:
    """The latest member-month of the county (within the watched year, ended 20 days or more ago) with 10
    or more on-duty days; its logs get one entry time, 20 days after the month ended."""
    since = months_before(today, 12).replace(day=1)
    # The other steps bulk-load duty logs with the seeding time as their entry time; give the county's
    # logs of the watched year a plausible one (noon of the day) so only the planted month stands out.
    logs = DutyLog.objects.filter(member__team__village__county=village.county_id, date__gte=since)
    logs.update(created_at=Cast(F("date"), DateTimeField()) + datetime.timedelta(hours=12))
    row = (
        logs.filter(on_duty=True, date__lt=today - datetime.timedelta(days=20))
        .annotate(month=TruncMonth("date"))
        .values("month", "member_id")
        .annotate(n=Count("pk"))
        .filter(n__gte=10)
        .order_by("-month", "member_id")
        .first()
    )
    if row is None:
        return None
    month = row["month"]
    month_end = datetime.date(month.year, month.month, calendar.monthrange(month.year, month.month)[1])
    entered = timezone.make_aware(
        datetime.datetime.combine(month_end + datetime.timedelta(days=20), datetime.time(21))
    )
    if entered > timezone.now():
        return None
    logs.filter(member_id=row["member_id"], date__year=month.year, date__month=month.month).update(
        created_at=entered
    )
    member = WorkTeamMember.objects.select_related("team__village").get(pk=row["member_id"])
    return f"{member.team.village.name} {member.name} {month:%Y-%m}"


@register(95)
def seed(ctx: DemoContext) -> None:
    county = ctx.regions.get(DEMO_COUNTY)
    villages = _villages()
    if county is None or len(villages) <= max(BUNCHING_VILLAGE, PAIRING_VILLAGE):
        return
    today = timezone.localdate()
    planted = plant_bunching(villages[BUNCHING_VILLAGE])
    cadre = plant_overload(villages[PAIRING_VILLAGE])
    member = plant_late_month(villages[0], today)
    found = integrity_run(actor=SYSTEM, county=county, as_of=today)
    ctx.summary["integrity: planted exit incomes on the line"] = (
        f"{villages[BUNCHING_VILLAGE].name} ({planted})"
    )
    ctx.summary["integrity: planted overloaded cadre"] = f"{villages[PAIRING_VILLAGE].name} {cadre or '-'}"
    ctx.summary["integrity: planted month entered late"] = member or "-"
    ctx.summary["integrity: findings (恩阳区)"] = sum(found.values())
