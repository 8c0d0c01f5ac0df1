"""Work teams and assignments: one first secretary at a time, one team per person, the Dingxi flag."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from apps.assistance import selectors, services
from apps.assistance.models import WorkTeamMember
from apps.core.actors import SYSTEM
from apps.core.services import setting_set

from .conftest import id_number, make_member, make_team

pytestmark = pytest.mark.django_db


def test_a_second_current_first_secretary_is_refused_and_nothing_saved(team):
    with pytest.raises(ValidationError) as info:
        make_member(team, "另一书记", role="first_secretary", start=datetime.date(2025, 6, 1))
    assert "role" in info.value.message_dict
    assert WorkTeamMember.objects.filter(team=team, role="first_secretary").count() == 1


def test_a_successor_may_start_after_the_first_secretary_leaves(team):
    services.team_member_end(actor=SYSTEM, member=team.secretary, end_date=datetime.date(2025, 6, 30))
    successor = make_member(team, "继任书记", role="first_secretary", start=datetime.date(2025, 7, 1))
    assert successor.pk
    team.secretary.refresh_from_db()
    assert team.secretary.end_reason == "term_end"
    # ... but not one whose period overlaps the predecessor's last day.
    with pytest.raises(ValidationError):
        services.team_member_update(actor=SYSTEM, member=successor, start_date=datetime.date(2025, 6, 30))


def test_the_database_refuses_two_first_secretaries_even_without_the_service(team):
    with pytest.raises(IntegrityError), transaction.atomic():
        WorkTeamMember.objects.create(
            team=team,
            name="绕过",
            id_number=id_number(),
            unit_name="x",
            unit_type="other",
            unit_level="county_plus",
            role="first_secretary",
            start_date=datetime.date(2025, 3, 1),
        )


def test_a_person_is_in_one_team_at_a_time(team, other_team):
    with pytest.raises(ValidationError) as info:
        make_member(other_team, "王队员", id_number=team.member.id_number)
    assert "id_number" in info.value.message_dict
    assert team.member.id_number not in str(info.value), "no full ID number in messages"


def test_assignment_inside_the_team_period(world):
    team = make_team(world.village, start=datetime.date(2025, 1, 1), end=datetime.date(2026, 12, 31))
    with pytest.raises(ValidationError) as info:
        make_member(team, start=datetime.date(2024, 12, 1), end=datetime.date(2025, 6, 1))
    assert "start_date" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        make_member(team, start=datetime.date(2025, 1, 1))  # open-ended in a team that ends
    assert "end_date" in info.value.message_dict


def test_invalid_id_number_is_a_field_error(team):
    with pytest.raises(ValidationError) as info:
        make_member(team, id_number="51190319800101123")
    assert "id_number" in info.value.message_dict


def test_dingxi_flag_with_the_configured_minimum(team, world):
    on = datetime.date(2025, 6, 1)
    flagged = selectors.work_team_list(user=SYSTEM, on=on).get(pk=team.pk)
    assert flagged.county_plus_members == 2 and flagged.current_members == 3
    assert flagged.short_of_county_plus is True  # default minimum 3
    setting_set(
        actor=SYSTEM,
        key="assistance.min_county_plus_members",
        value=2,
        valid_from=datetime.date(2025, 1, 1),
        county=world.county,
    )
    assert selectors.work_team_list(user=SYSTEM, on=on).get(pk=team.pk).short_of_county_plus is False
    make_member(team, "第三位", start=datetime.date(2025, 2, 1))
    setting_set(
        actor=SYSTEM, key="assistance.min_county_plus_members", value=3, valid_from=datetime.date(2025, 3, 1)
    )
    # The county's own value (2) still applies; the other county gets the new global one.
    assert selectors.work_team_list(user=SYSTEM, on=on).get(pk=team.pk).short_of_county_plus is False


def test_an_ended_team_is_not_flagged(world):
    team = make_team(world.village, start=datetime.date(2020, 1, 1), end=datetime.date(2021, 12, 31))
    row = selectors.work_team_list(user=SYSTEM, on=datetime.date(2025, 1, 1)).get(pk=team.pk)
    assert row.is_active is False and row.short_of_county_plus is False


def test_ending_before_logged_duty_is_refused(team):
    services.duty_log_create(actor=SYSTEM, member=team.member, date=datetime.date(2025, 3, 10))
    with pytest.raises(ValidationError) as info:
        services.team_member_end(actor=SYSTEM, member=team.member, end_date=datetime.date(2025, 3, 9))
    assert "end_date" in info.value.message_dict
    team.member.refresh_from_db()
    assert team.member.end_date is None


def test_team_in_another_region_is_refused(world):
    with pytest.raises(ValidationError) as info:
        services.work_team_create(
            actor=world.township_staff, village=world.other_village, start_date=datetime.date(2025, 1, 1)
        )
    assert "village" in info.value.message_dict
