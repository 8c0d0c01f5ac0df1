"""Rankings fixtures on top of ``world``: drafts with chosen scores, teams with duty logs."""

import datetime
import itertools
from decimal import Decimal

import pytest

from apps.assistance import services as assistance_services
from apps.assistance.models import DutyLog
from apps.core.actors import SYSTEM
from apps.core.idnumbers import check_character
from apps.core.periods import Month, parse_period
from apps.rankings.models import Ranking, RankingKind
from apps.rankings.scoring import ComputedEntry, ComputedRanking, Subject, competition_ranks
from apps.rankings.services import _store

_sequence = itertools.count(500)


def id_number(region="511903", born="19800101"):
    first17 = f"{region}{born}{next(_sequence) % 1000:03d}"
    return first17 + check_character(first17)


@pytest.fixture
def english():
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def draft(world):
    """``draft(kind, period, {name: score})``: a stored draft with those scores, ranked like a real run
    (subject ids are stable per name, so consecutive months see the same subjects)."""
    ids: dict[str, int] = {}

    def make(
        scores: dict[str, float], *, kind=RankingKind.WORK_TEAM, period="2025-01", county=None
    ) -> Ranking:
        period = parse_period(period)
        entries = [
            ComputedEntry(
                Subject(ids.setdefault(name, 1000 + len(ids)), name, world.township.pk, None),
                Decimal(str(score)).quantize(Decimal("0.01")),
                [
                    {
                        "indicator": "team_duty_rate",
                        "value": score,
                        "normalised": score,
                        "weight": 100.0,
                        "contribution": score,
                        "missing": False,
                    }
                ],
                [],
            )
            for name, score in scores.items()
        ]
        competition_ranks(entries)
        computed = ComputedRanking(
            kind,
            period,
            county or world.county,
            None,
            {"team_duty_rate": 100},
            3,
            datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC),
            entries,
        )
        return _store(computed)

    make.ids = ids
    return make


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
