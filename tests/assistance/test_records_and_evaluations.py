"""Annual evaluations, first secretaries across years, and the records of figures 8, 9 and 11."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from apps.assistance import selectors, services
from apps.assistance.selectors.stats import members_by_unit_type, records_per_year, teams_over_time
from apps.core.actors import SYSTEM

from .conftest import make_member, make_team

pytestmark = pytest.mark.django_db


def test_one_evaluation_per_member_and_year_in_a_year_served(world, team):
    services.evaluation_create(actor=world.county_admin, member=team.secretary, year=2025, grade="excellent")
    with pytest.raises(ValidationError) as info:
        services.evaluation_create(actor=world.county_admin, member=team.secretary, year=2025, grade="good")
    assert "year" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        services.evaluation_create(actor=world.county_admin, member=team.secretary, year=2024, grade="good")
    assert "year" in info.value.message_dict
    with pytest.raises(PermissionDenied):
        services.evaluation_create(actor=world.township_staff, member=team.member, year=2025, grade="good")


def test_first_secretaries_with_grades_across_years(world, django_assert_max_num_queries):
    team = make_team(world.village, start=datetime.date(2021, 1, 1))
    secretary = make_member(team, "老书记", role="first_secretary", end=datetime.date(2023, 6, 30))
    successor = make_member(team, "新书记", role="first_secretary", start=datetime.date(2023, 7, 1))
    for year, grade in ((2021, "good"), (2022, "excellent"), (2023, "fair")):
        services.evaluation_create(actor=SYSTEM, member=secretary, year=year, grade=grade)
    services.evaluation_create(actor=SYSTEM, member=successor, year=2024, grade="poor")
    years = [2021, 2022, 2023, 2024]
    with django_assert_max_num_queries(2):
        rows = {
            m.name: {e.year: e.grade for e in m.year_evaluations}
            for m in selectors.first_secretary_grades(user=world.township_staff, years=years)
        }
    assert rows == {"老书记": {2021: "good", 2022: "excellent", 2023: "fair"}, "新书记": {2024: "poor"}}


def test_records_per_year_and_the_team_figures(world, team, django_assert_max_num_queries):
    for day, level in ((datetime.date(2016, 5, 1), "city"), (datetime.date(2016, 9, 1), "county")):
        services.commendation_create(
            actor=world.county_admin,
            village=world.village,
            person_name="李书记",
            member=team.secretary,
            date=day,
            level=level,
            title="优秀第一书记",
        )
    services.promotion_create(
        actor=world.county_admin,
        village=world.village,
        person_name="王队员",
        date=datetime.date(2018, 1, 1),
        level="county",
        rank="township_section",
    )
    services.discipline_case_create(
        actor=world.county_admin,
        village=world.village2,
        person_name="某干部",
        date=datetime.date(2017, 3, 1),
        category="absent",
        outcome="admonishment",
    )
    with pytest.raises(ValidationError):  # a member of another village's team
        services.promotion_create(
            actor=world.county_admin,
            village=world.village2,
            person_name="王队员",
            member=team.member,
            date=datetime.date(2018, 1, 1),
            level="county",
            rank="other",
        )
    with django_assert_max_num_queries(3):
        records = records_per_year(user=world.township_staff)
    assert records["commendations"] == [
        {"year": 2016, "level": "city", "count": 1},
        {"year": 2016, "level": "county", "count": 1},
    ]
    assert records["promotions"] == [{"year": 2018, "level": "county", "count": 1}]
    assert records["discipline_cases"] == [{"year": 2017, "category": "absent", "count": 1}]
    assert records_per_year(user=world.other_township_staff)["commendations"] == []

    with django_assert_max_num_queries(2):
        over_time = {row["year"]: row for row in teams_over_time(user=world.county_admin, years=[2024, 2025])}
    assert over_time[2024] == {"year": 2024, "teams": 0, "first_secretaries": 0, "members": 0}
    assert over_time[2025] == {"year": 2025, "teams": 1, "first_secretaries": 1, "members": 3}
    assert members_by_unit_type(user=world.county_admin) == {"party_gov": 3}
