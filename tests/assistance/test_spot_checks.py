"""Quarterly spot checks: ceil(10%) of the active teams, reproducible by seed, once per county and quarter."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from apps.assistance import services
from apps.assistance.models import SpotCheck, SpotCheckDraw, WorkTeam
from apps.assistance.services.checks import draw_teams, sample_size
from apps.core.actors import SYSTEM
from apps.core.periods import Quarter
from apps.core.services import setting_set
from apps.villages import services as region_services

from .conftest import make_member, make_team

pytestmark = pytest.mark.django_db

Q1 = Quarter(2025, 1)


def make_teams(world, count, start=datetime.date(2024, 6, 1), end=None):
    """``count`` teams in 恩阳区, spread over new villages of 登科街道."""
    teams = []
    for number in range(count):
        village = region_services.village_create(
            actor=SYSTEM, township=world.township, code=f"511903001{100 + number:03d}", name=f"测试{number}村"
        )
        teams.append(make_team(village, start=start, end=end))
    return teams


@pytest.mark.parametrize(("active", "drawn"), [(1, 1), (10, 1), (11, 2), (25, 3)])
def test_sample_size_is_ten_percent_rounded_up(world, active, drawn):
    assert sample_size(active, Decimal("0.10")) == drawn
    make_teams(world, active)
    draw = services.spot_check_sample(actor=world.county_admin, county=world.county, quarter=Q1, seed=7)
    assert draw.active_teams == active
    assert draw.checks.count() == drawn
    assert draw.rate == Decimal("0.10")


def test_only_teams_active_in_the_quarter_of_the_county_count(world, far_team):
    make_teams(world, 3)
    ended = make_team(world.village2, start=datetime.date(2023, 1, 1), end=datetime.date(2024, 12, 31))
    later = make_team(world.other_village, start=datetime.date(2025, 4, 1))
    draw = services.spot_check_sample(actor=SYSTEM, county=world.county, quarter=Q1, seed=1)
    assert draw.active_teams == 3
    drawn = set(draw.checks.values_list("team_id", flat=True))
    assert not drawn & {ended.pk, later.pk, far_team.pk}


def test_the_same_seed_draws_the_same_teams(world):
    teams = make_teams(world, 25)
    ids = [t.pk for t in teams]
    first = draw_teams(ids, 3, seed=20250101)
    assert draw_teams(list(reversed(ids)), 3, seed=20250101) == first
    assert len({tuple(draw_teams(ids, 3, seed=seed)) for seed in range(20)}) > 1
    draw = services.spot_check_sample(
        actor=world.county_admin, county=world.county, quarter=Q1, seed=20250101
    )
    assert sorted(draw.checks.values_list("team_id", flat=True)) == first
    assert SpotCheckDraw.objects.get(pk=draw.pk).seed == 20250101


def test_without_a_seed_one_is_drawn_and_stored(world):
    make_teams(world, 12)
    draw = services.spot_check_sample(actor=world.county_admin, county=world.county, quarter=Q1)
    assert draw.seed is not None
    active = list(WorkTeam.objects.values_list("pk", flat=True))
    assert sorted(draw.checks.values_list("team_id", flat=True)) == draw_teams(active, 2, draw.seed)


def test_a_second_draw_for_the_same_county_and_quarter_is_refused(world):
    make_teams(world, 5)
    services.spot_check_sample(actor=world.county_admin, county=world.county, quarter=Q1, seed=1)
    with pytest.raises(ValidationError) as info:
        services.spot_check_sample(actor=world.county_admin, county=world.county, quarter=Q1, seed=2)
    assert "quarter" in info.value.message_dict
    assert SpotCheckDraw.objects.count() == 1 and SpotCheck.objects.count() == 1
    services.spot_check_sample(
        actor=world.county_admin, county=world.county, quarter=Quarter(2025, 2), seed=1
    )


def test_a_quarter_without_active_teams_is_refused(world):
    make_teams(world, 2, start=datetime.date(2025, 7, 1))
    with pytest.raises(ValidationError) as info:
        services.spot_check_sample(actor=world.county_admin, county=world.county, quarter=Q1, seed=1)
    assert "quarter" in info.value.message_dict
    assert not SpotCheckDraw.objects.exists()


def test_the_rate_is_configuration(world):
    make_teams(world, 25)
    setting_set(
        actor=SYSTEM, key="assistance.spot_check_rate", value="0.2", valid_from=datetime.date(2025, 1, 1)
    )
    draw = services.spot_check_sample(actor=world.county_admin, county=world.county, quarter=Q1, seed=3)
    assert draw.checks.count() == 5


def test_township_staff_and_other_counties_cannot_draw(world):
    from django.core.exceptions import PermissionDenied

    make_teams(world, 3)
    with pytest.raises(PermissionDenied):
        services.spot_check_sample(actor=world.township_staff, county=world.county, quarter=Q1, seed=1)
    with pytest.raises(ValidationError) as info:
        services.spot_check_sample(actor=world.other_county_admin, county=world.county, quarter=Q1, seed=1)
    assert "county" in info.value.message_dict
    assert not SpotCheckDraw.objects.exists()


def test_failing_and_recalling_a_member(world, team):
    draw = services.spot_check_sample(actor=world.county_admin, county=world.county, quarter=Q1, seed=1)
    check = draw.checks.get()
    with pytest.raises(ValidationError):  # not failed yet
        services.spot_check_recall(actor=world.county_admin, spot_check=check, member=team.member)
    with pytest.raises(ValidationError) as info:
        services.spot_check_update(actor=world.county_admin, spot_check=check, result="fail")
    assert "finding" in info.value.message_dict
    check = services.spot_check_update(
        actor=world.county_admin, spot_check=check, result="fail", finding="白天在村、晚上回城"
    )
    assert check.checked_on is not None
    member = services.spot_check_recall(
        actor=world.county_admin, spot_check=check, member=team.member, date=datetime.date(2025, 3, 31)
    )
    assert (member.end_date, member.end_reason) == (datetime.date(2025, 3, 31), "recalled")
    other = make_member(make_team(world.village2), "别队")
    with pytest.raises(ValidationError) as info:
        services.spot_check_recall(actor=world.county_admin, spot_check=check, member=other)
    assert "member" in info.value.message_dict


def test_the_quarterly_task_draws_every_county_once(world, team, far_team):
    from apps.assistance.tasks import draw_spot_checks

    result = draw_spot_checks.run(quarter="2025Q1")
    assert {d["county"] for d in result["draws"]} == {world.county.pk, world.other_county.pk}
    assert draw_spot_checks.run(quarter="2025Q1")["draws"] == []
    assert SpotCheckDraw.objects.filter(quarter="2025Q1").count() == 2
    assert draw_spot_checks.run(quarter="2024Q1")["draws"] == []  # no team active then
