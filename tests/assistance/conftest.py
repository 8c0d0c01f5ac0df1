"""Assistance fixtures on top of ``world``: ID numbers, a team with members, households."""

import datetime

import pytest

from apps.assistance import services
from apps.assistance.models import WorkTeam
from apps.core.actors import SYSTEM
from tests.conftest import id_number  # noqa: F401 - re-exported for this app's tests


def make_team(village, start=datetime.date(2025, 1, 1), end=None, **fields) -> WorkTeam:
    return services.work_team_create(actor=SYSTEM, village=village, start_date=start, end_date=end, **fields)


def make_member(team, name="队员", *, role="member", start=None, end=None, level="county_plus", **fields):
    defaults = {
        "id_number": id_number(),
        "unit_name": "恩阳区财政局",
        "unit_type": "party_gov",
        "unit_level": level,
    }
    return services.team_member_create(
        actor=SYSTEM,
        team=team,
        name=name,
        role=role,
        start_date=start or team.start_date,
        end_date=end,
        **{**defaults, **fields},
    )


def make_household(village, name="张大山", **fields):
    defaults = {
        "head_id_number": id_number(),
        "size": 3,
        "cause": "illness",
        "registered_on": datetime.date(2014, 5, 1),
    }
    return services.household_create(actor=SYSTEM, village=village, head_name=name, **{**defaults, **fields})


@pytest.fixture
def team(world):
    """A team in 红旗村 (登科街道, 恩阳区) since 2025 with a first secretary and two members."""
    t = make_team(world.village, lead_unit="恩阳区财政局")
    t.secretary = make_member(t, "李书记", role="first_secretary")
    t.member = make_member(t, "王队员")
    t.member2 = make_member(t, "赵队员", level="below_county", unit_name="登科街道办事处")
    return t


@pytest.fixture
def far_team(world):
    """A team in 江北村 (巴州区), outside every 恩阳区 user's region."""
    t = make_team(world.far_village)
    t.secretary = make_member(t, "外县书记", role="first_secretary", id_number=id_number("511902"))
    return t


@pytest.fixture
def other_team(world):
    """A team in 柳林村 (柳林镇, 恩阳区): in the county, outside 登科街道."""
    t = make_team(world.other_village)
    t.secretary = make_member(t, "柳林书记", role="first_secretary")
    return t


@pytest.fixture
def household(world):
    return make_household(world.village)


@pytest.fixture
def far_household(world):
    return make_household(world.far_village, "外县户", head_id_number=id_number("511902"))


def make_cadre(village, name="结对干部"):
    """A village cadre to pair with households (created directly: the cadres app owns its services)."""
    from apps.cadres.models import Cadre

    return Cadre.objects.create(
        village=village,
        name=name,
        gender="male",
        id_number=id_number(village.code[:6]),
        birth_date=datetime.date(1980, 1, 1),
        education="college",
    )
