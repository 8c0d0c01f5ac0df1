"""Rankings fixtures on top of ``world``: drafts with chosen scores, teams with duty logs."""

import datetime

from apps.assistance import services as assistance_services
from apps.assistance.models import DutyLog
from apps.core.actors import SYSTEM
from apps.core.periods import Month
from tests.conftest import id_number  # noqa: F401 - re-exported for this app's tests


def make_team(village, start=datetime.date(2025, 1, 1)):
    team = assistance_services.work_team_create(
        actor=SYSTEM, village=village, start_date=start, end_date=None
    )
    team.member = assistance_services.team_member_create(
        actor=SYSTEM,
        team=team,
        name="队员",
        role="first_secretary",
        start_date=start,
        end_date=None,
        id_number=id_number(),
        unit_name="恩阳区财政局",
        unit_type="party_gov",
        unit_level="county_plus",
    )
    return team


def log_days(member, month: Month, on_duty_days: int):
    """``on_duty_days`` of the month's days on duty, the rest off duty."""
    DutyLog.objects.bulk_create(
        DutyLog(member=member, date=day, on_duty=index < on_duty_days) for index, day in enumerate(month.days)
    )
