"""The weekly reminder digest (周提示): per township, what is missing or overdue.

Contents per township: months not submitted past their due date (the last 12 months), overdue
rectification cases, villages short of reserve cadres, morality awards waiting for approval longer
than ``reporting.award_pending_days`` (7). Township staff get their township's digest; county admins a
summary of their townships. Idempotent: one notification per (user, ISO week), so a re-run (or a
retried task) adds nothing.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core.actors import SYSTEM
from apps.core.configuration import values_of
from apps.core.models import PeriodKind, PeriodStatus, ReportingPeriod
from apps.core.periods import Month

from . import notifications
from .config import AWARD_PENDING_DAYS, DUE_DAYS
from .timeliness import due_on


@dataclass
class TownshipDigest:
    township: object
    overdue_periods: list[str] = field(default_factory=list)
    overdue_cases: list[str] = field(default_factory=list)
    short_of_reserves: list[str] = field(default_factory=list)
    pending_awards: list[str] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (
            self.overdue_periods or self.overdue_cases or self.short_of_reserves or self.pending_awards
        )

    def lines(self) -> list[str]:
        out = []
        if self.overdue_periods:
            out.append(
                _("Periods not submitted past their due date: %(list)s")
                % {"list": ", ".join(self.overdue_periods)}
            )
        if self.overdue_cases:
            out.append(
                _("Rectification cases past their deadline: %(list)s")
                % {"list": ", ".join(self.overdue_cases)}
            )
        if self.short_of_reserves:
            out.append(
                _("Villages short of reserve cadres: %(list)s") % {"list": ", ".join(self.short_of_reserves)}
            )
        if self.pending_awards:
            out.append(
                _("Morality awards waiting for approval for more than a week: %(list)s")
                % {"list": ", ".join(self.pending_awards)}
            )
        return out


def township_digests(*, today: datetime.date | None = None, townships=None) -> dict[int, TownshipDigest]:
    """The digest of every township (or those given): a fixed number of queries."""
    from apps.cadres.statistics import villages_short_of_reserves
    from apps.morality_bank.models import Award, AwardStatus
    from apps.villages.models import Township
    from apps.villages.selectors import rectification_list

    today = today or timezone.localdate()
    townships = list(townships if townships is not None else Township.objects.select_related("county"))
    ids = [t.pk for t in townships]
    digests = {t.pk: TownshipDigest(t) for t in townships}

    due_days = values_of(DUE_DAYS, on=today)
    months = [Month.of(today)]
    for _i in range(12):
        months.append(months[-1].previous())
    months = months[1:]
    done = set(
        ReportingPeriod.objects.filter(
            township__in=ids,
            kind=PeriodKind.MONTH,
            start__gte=months[-1].first,
            status__in=(PeriodStatus.SUBMITTED, PeriodStatus.APPROVED),
        ).values_list("township_id", "start")
    )
    for township in townships:
        days = due_days(township.county_id)
        for month in reversed(months):
            if due_on(month.last, days) < today and (township.pk, month.first) not in done:
                digests[township.pk].overdue_periods.append(str(month))

    cases = rectification_list(user=SYSTEM, today=today).filter(overdue=True, organisation__township__in=ids)
    for case in cases.values("organisation__township_id", "organisation__name", "year"):
        digests[case["organisation__township_id"]].overdue_cases.append(
            f"{case['organisation__name']} ({case['year']})"
        )

    for village in (
        villages_short_of_reserves(user=SYSTEM, on=today)
        .filter(township__in=ids)
        .values("township_id", "name")
    ):
        digests[village["township_id"]].short_of_reserves.append(village["name"])

    wait_days = values_of(AWARD_PENDING_DAYS, on=today)
    pending = Award.objects.filter(
        village__township__in=ids,
        status=AwardStatus.PENDING,
        created_at__date__lt=today - datetime.timedelta(days=1),  # the setting's minimum
    ).values("village__township_id", "village__county_id", "village__name", "created_at")
    counts: dict[tuple[int, str], int] = defaultdict(int)
    for row in pending:
        limit = today - datetime.timedelta(days=wait_days(row["village__county_id"]))
        if timezone.localdate(row["created_at"]) < limit:
            counts[(row["village__township_id"], row["village__name"])] += 1
    for (township_id, name), count in sorted(counts.items()):
        digests[township_id].pending_awards.append(f"{name} ×{count}")
    return digests


def week_key(today: datetime.date) -> str:
    year, week, _day = today.isocalendar()
    return f"{year}-W{week:02d}"


def send_weekly_digest(*, today: datetime.date | None = None) -> int:
    """Notify township staff (their township) and county admins (their townships); returns notices added."""
    today = today or timezone.localdate()
    key = week_key(today)
    digests = township_digests(today=today)
    url = reverse("core:notification_list")
    added = 0
    staff = defaultdict(list)
    for user in User.objects.filter(role="township_staff", is_active=True, township__isnull=False):
        staff[user.township_id].append(user)
    admins = defaultdict(list)
    for user in User.objects.filter(role="county_admin", is_active=True, county__isnull=False):
        admins[user.county_id].append(user)
    by_county = defaultdict(list)
    for digest in digests.values():
        by_county[digest.township.county_id].append(digest)
        if digest.is_empty or not staff[digest.township.pk]:
            continue
        title = _("Weekly reminder for %(township)s (%(week)s)") % {
            "township": digest.township.name,
            "week": key,
        }
        added += len(
            notifications.notify(
                users=staff[digest.township.pk],
                kind="weekly_digest",
                key=key,
                title=title,
                body="\n".join(digest.lines()),
                url=url,
                email=True,
            )
        )
    for county_id, county_digests in by_county.items():
        busy = [d for d in sorted(county_digests, key=lambda d: d.township.code) if not d.is_empty]
        if not busy or not admins[county_id]:
            continue
        body = "\n\n".join(f"{d.township.name}\n" + "\n".join(d.lines()) for d in busy)
        added += len(
            notifications.notify(
                users=admins[county_id],
                kind="weekly_digest",
                key=key,
                title=_("Weekly reminder: %(count)s townships with items outstanding (%(week)s)")
                % {"count": len(busy), "week": key},
                body=body,
                url=reverse("core:period_list"),
                email=True,
            )
        )
    return added
