"""Rules of Party organisations, ratings and rectification, at the service level."""

import datetime
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from pghistory.models import Events

from apps.core.actors import SYSTEM
from apps.core.services import setting_set
from apps.villages import selectors, services
from apps.villages.models import (
    PartyGrid,
    PartyOrganisation,
    Rating,
    Rectification,
    RectificationNote,
    RectificationStatus,
)

from .conftest import LAST_YEAR, make_cadre, rate, weak_case

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def messages(exc_info, field):
    return exc_info.value.message_dict[field]


# Organisations


def test_organisation_takes_its_township_and_county_from_its_villages(world, party):
    assert party.organisation.township == world.township
    assert party.organisation.county == world.county
    assert not party.organisation.is_joint
    assert party.joint.is_joint
    assert sorted(v.pk for v in party.joint.villages.all()) == sorted([world.village.pk, world.village2.pk])


def test_joint_organisation_by_township_staff_of_their_own_villages(world):
    organisation = services.organisation_create(
        actor=world.township_staff,
        name="联合党委",
        kind="committee",
        villages=[world.village, world.village2],
    )
    assert organisation.is_joint


@pytest.mark.parametrize(
    ("villages", "message"),
    [
        (lambda w: [], "Choose at least one village."),
        (lambda w: [w.village, w.other_village], "Choose villages within your own region."),
        (lambda w: [w.far_village], "Choose villages within your own region."),
    ],
)
def test_every_village_must_be_in_the_editors_region(world, villages, message):
    with pytest.raises(ValidationError) as exc_info:
        services.organisation_create(
            actor=world.township_staff, name="越界党组织", kind="branch", villages=villages(world)
        )
    assert messages(exc_info, "villages") == [message]
    assert not PartyOrganisation.objects.exists()


def test_villages_of_one_organisation_belong_to_one_township(world):
    with pytest.raises(ValidationError) as exc_info:
        services.organisation_create(
            actor=world.county_admin,
            name="跨镇",
            kind="committee",
            villages=[world.village, world.other_village],
        )
    assert messages(exc_info, "villages") == ["All villages of one organisation belong to the same township."]


def test_a_retired_village_cannot_join_an_organisation(world):
    services.village_retire(actor=SYSTEM, village=world.village2, retired_on=TODAY, reason="合并")
    world.village2.refresh_from_db()
    with pytest.raises(ValidationError) as exc_info:
        services.organisation_create(
            actor=world.county_admin, name="x", kind="branch", villages=[world.village2]
        )
    assert "villages" in exc_info.value.message_dict


def test_village_clerks_do_not_keep_organisations(world):
    with pytest.raises(PermissionDenied):
        services.organisation_create(
            actor=world.village_clerk, name="x", kind="branch", villages=[world.village]
        )


def test_dates_are_checked(world, party):
    future = TODAY + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as exc_info:
        services.organisation_update(
            actor=world.township_staff, organisation=party.organisation, founded_on=future
        )
    assert "founded_on" in exc_info.value.message_dict
    with pytest.raises(ValidationError) as exc_info:
        services.organisation_update(
            actor=world.township_staff,
            organisation=party.organisation,
            dissolved_on=datetime.date(1980, 1, 1),
        )
    assert messages(exc_info, "dissolved_on") == [
        "An organisation cannot be dissolved before it was founded."
    ]
    rate(party.organisation, 2020, "ordinary")
    with pytest.raises(ValidationError) as exc_info:
        services.organisation_update(
            actor=world.township_staff,
            organisation=party.organisation,
            dissolved_on=datetime.date(2019, 6, 1),
        )
    assert "dissolved_on" in exc_info.value.message_dict


def test_changing_villages_updates_joint_and_township(world, party):
    organisation = services.organisation_update(
        actor=world.township_staff, organisation=party.organisation, villages=[world.village, world.village2]
    )
    assert organisation.is_joint
    organisation = services.organisation_update(
        actor=world.county_admin, organisation=organisation, villages=[world.other_village]
    )
    assert not organisation.is_joint
    assert organisation.township == world.other_township
    assert list(organisation.villages.all()) == [world.other_village]


def test_an_organisation_with_villages_outside_the_region_is_read_only(world, party, village_api_client):
    # The village-bound client sees the joint organisation (one of its villages) but may not change it.
    assert selectors.organisation_list(user=village_api_client).filter(pk=party.joint.pk).exists()
    with pytest.raises(PermissionDenied):
        services.organisation_update(actor=village_api_client, organisation=party.joint, members_count=1)
    with pytest.raises(ValidationError) as exc_info:
        rate(party.joint, LAST_YEAR, "weak", actor=village_api_client)
    assert "organisation" in exc_info.value.message_dict
    services.organisation_update(actor=village_api_client, organisation=party.organisation, members_count=40)


def test_the_secretary_is_a_cadre_of_one_of_the_villages(world, party):
    own, other = make_cadre(world.village), make_cadre(world.other_village)
    with pytest.raises(ValidationError) as exc_info:
        services.organisation_update(
            actor=world.county_admin, organisation=party.organisation, secretary=other
        )
    assert messages(exc_info, "secretary") == [
        "The secretary must be a cadre of one of the organisation's villages."
    ]
    with pytest.raises(ValidationError) as exc_info:
        services.organisation_update(
            actor=world.township_staff, organisation=party.organisation, secretary=other
        )
    assert messages(exc_info, "secretary") == ["Choose a cadre within your own region."]
    organisation = services.organisation_update(
        actor=world.township_staff, organisation=party.organisation, secretary=own
    )
    assert organisation.secretary == own


def test_only_an_organisation_without_records_is_deleted_and_it_protects_its_villages(world, party):
    rate(party.organisation, LAST_YEAR, "advanced")
    with pytest.raises(ValidationError):
        services.organisation_delete(actor=world.township_staff, organisation=party.organisation)
    assert PartyOrganisation.objects.filter(pk=party.organisation.pk).exists()
    with pytest.raises(ValidationError):
        services.village_delete(actor=world.township_staff, village=world.village2)  # its organisations
    services.organisation_delete(actor=world.township_staff, organisation=party.organisation2)
    assert not PartyOrganisation.objects.filter(pk=party.organisation2.pk).exists()


# The four-level chain


def test_grids_and_central_households(world, party):
    grid = services.grid_create(
        actor=world.township_staff, organisation=party.organisation, name="第1网格党小组"
    )
    with pytest.raises(ValidationError) as exc_info:
        services.grid_create(
            actor=world.township_staff, organisation=party.organisation, name="第1网格党小组"
        )
    assert messages(exc_info, "name") == ["This organisation already has a grid with this name."]
    household = services.central_household_create(
        actor=world.township_staff, grid=grid, member_name="李党员", households_served=8
    )
    assert household.grid.organisation == party.organisation
    with pytest.raises(ValidationError):
        services.grid_delete(actor=world.township_staff, grid=grid)
    with pytest.raises(ValidationError) as exc_info:
        services.grid_create(actor=world.township_staff, organisation=party.other_organisation, name="越界")
    assert "organisation" in exc_info.value.message_dict
    services.central_household_delete(actor=world.township_staff, household=household)
    services.grid_delete(actor=world.township_staff, grid=grid)
    assert not PartyGrid.objects.exists()


# Ratings


def test_a_rating_records_who_confirmed_it_and_when(world, party):
    rating = rate(party.organisation, LAST_YEAR, "advanced", actor=world.county_admin, reason="班子坚强")
    assert rating.confirmed_by == world.county_admin
    assert timezone.now() - rating.confirmed_at < datetime.timedelta(minutes=1)
    assert not Rectification.objects.exists()


def test_one_rating_per_organisation_and_year(world, party):
    rate(party.organisation, LAST_YEAR, "ordinary", actor=world.county_admin)
    with pytest.raises(ValidationError) as exc_info:
        rate(party.organisation, LAST_YEAR, "advanced", actor=world.county_admin)
    assert messages(exc_info, "year") == [f"This organisation already has a rating for {LAST_YEAR}."]
    assert Rating.objects.get().level == "ordinary"


def test_no_rating_for_a_future_year_or_before_founding(world, party):
    with pytest.raises(ValidationError) as exc_info:
        rate(party.organisation, TODAY.year + 1, "advanced", actor=world.county_admin)
    assert messages(exc_info, "year") == ["A rating cannot be for a future year."]
    with pytest.raises(ValidationError) as exc_info:
        rate(party.joint, 2016, "advanced", actor=world.county_admin)
    assert messages(exc_info, "year") == ["The organisation was founded in 2017."]
    assert not Rating.objects.exists()


def test_ratings_are_county_decisions(world, party):
    with pytest.raises(PermissionDenied):
        rate(party.organisation, LAST_YEAR, "weak", actor=world.township_staff)
    with pytest.raises(ValidationError) as exc_info:
        rate(party.far_organisation, LAST_YEAR, "weak", actor=world.county_admin)
    assert messages(exc_info, "organisation") == ["Choose an organisation within your own region."]
    assert not Rating.objects.exists()


def test_a_weak_rating_opens_a_case_for_that_year(world, party):
    rating = rate(party.organisation, LAST_YEAR, "weak", actor=world.county_admin)
    case = Rectification.objects.get()
    assert (case.organisation, case.year, case.rating) == (party.organisation, LAST_YEAR, rating)
    assert case.status == RectificationStatus.IDENTIFIED
    assert case.opened_on == TODAY
    assert not case.is_repeat


def test_the_case_is_opened_in_the_ratings_transaction(world, party):
    with (
        mock.patch("apps.villages.services.party._open_case", side_effect=RuntimeError("boom")),
        pytest.raises(RuntimeError),
    ):
        rate(party.organisation, LAST_YEAR, "weak", actor=world.county_admin)
    assert not Rating.objects.exists()


def test_changing_a_rating_needs_a_reason_and_keeps_the_old_one_in_the_history(world, party):
    rating = rate(party.organisation, LAST_YEAR, "ordinary", actor=world.county_admin)
    with pytest.raises(ValidationError) as exc_info:
        services.rating_update(actor=world.city_admin, rating=rating, level="advanced")
    assert messages(exc_info, "change_reason") == ["Give the reason for changing a confirmed rating."]
    rating = services.rating_update(
        actor=world.city_admin, rating=rating, level="advanced", change_reason="复核后上调"
    )
    assert (rating.level, rating.confirmed_by, rating.change_reason) == (
        "advanced",
        world.city_admin,
        "复核后上调",
    )
    levels = list(
        Events.objects.tracks(rating)
        .order_by("pgh_created_at", "pgh_id")
        .values_list("pgh_data__level", flat=True)
    )
    assert levels == ["ordinary", "advanced"]
    for field, value in (("year", LAST_YEAR - 1), ("organisation", party.organisation2)):
        with pytest.raises(ValidationError) as exc_info:
            services.rating_update(actor=world.city_admin, rating=rating, change_reason="x", **{field: value})
        assert field in exc_info.value.message_dict


def test_changing_to_weak_opens_a_case_and_back_removes_an_untouched_one(world, party):
    rating = rate(party.organisation, LAST_YEAR, "ordinary", actor=world.county_admin)
    services.rating_update(actor=world.county_admin, rating=rating, level="weak", change_reason="复核")
    assert Rectification.objects.filter(organisation=party.organisation, year=LAST_YEAR).exists()
    services.rating_update(actor=world.county_admin, rating=rating, level="ordinary", change_reason="误判")
    assert not Rectification.objects.exists()


def test_a_rating_whose_case_is_under_way_stays_weak(world, party):
    case = weak_case(party.organisation, actor=world.county_admin)
    services.rectification_start(actor=world.township_staff, rectification=case)
    with pytest.raises(ValidationError) as exc_info:
        services.rating_update(
            actor=world.county_admin, rating=case.rating, level="ordinary", change_reason="x"
        )
    assert "level" in exc_info.value.message_dict
    assert Rating.objects.get().level == "weak"


def test_weak_again_within_five_years_is_a_repeat_case(world, party):
    first = weak_case(party.organisation, 2015)
    rate(party.organisation, 2016, "ordinary")
    assert not weak_case(party.organisation, 2021).is_repeat  # six years later
    assert weak_case(party.organisation, 2025).is_repeat  # four years after 2021
    assert not first.is_repeat


def test_a_case_entered_later_for_an_earlier_year_marks_the_later_one(party):
    later = weak_case(party.organisation, 2022)
    assert not later.is_repeat
    weak_case(party.organisation, 2019)
    later.refresh_from_db()
    assert later.is_repeat


def test_the_repeat_window_is_configuration(world, party):
    setting_set(actor=SYSTEM, key="villages.repeat_case_window_years", value=3, valid_from=TODAY)
    weak_case(party.organisation, 2018)
    assert not weak_case(party.organisation, 2022).is_repeat
    assert weak_case(party.organisation, 2024).is_repeat


# Rectification


def test_a_deadline_before_the_case_opened_is_refused(world, party):
    case = weak_case(party.organisation)
    with pytest.raises(ValidationError) as exc_info:
        services.rectification_update(
            actor=world.township_staff, rectification=case, deadline=TODAY - datetime.timedelta(days=1)
        )
    assert messages(exc_info, "deadline") == [
        f"The deadline cannot be before the case opened ({TODAY.isoformat()})."
    ]
    case.refresh_from_db()
    assert case.deadline is None


def test_the_plan_and_the_workflow_to_acceptance(world, party):
    case = weak_case(party.organisation, actor=world.county_admin)
    deadline = TODAY + datetime.timedelta(days=200)
    case = services.rectification_update(
        actor=world.township_staff,
        rectification=case,
        problems="班子软弱",
        measures=["pairing", "work_team", "pairing"],
        responsible_leader="王县长",
        deadline=deadline,
    )
    assert case.measures == ["work_team", "pairing"]  # standard order, no repeats
    case = services.rectification_start(actor=world.township_staff, rectification=case)
    assert case.status == RectificationStatus.RECTIFYING
    with pytest.raises(ValidationError):
        services.rectification_start(actor=world.township_staff, rectification=case)
    services.rectification_note_add(
        actor=world.township_staff, rectification=case, date=TODAY, text="召开组织生活会"
    )
    with pytest.raises(PermissionDenied):
        services.rectification_accept(actor=world.township_staff, rectification=case)
    case = services.rectification_accept(actor=world.county_admin, rectification=case)
    assert (case.status, case.accepted_on, case.accepted_by) == ("accepted", TODAY, world.county_admin)
    with pytest.raises(ValidationError):
        services.rectification_update(actor=world.township_staff, rectification=case, problems="改")
    with pytest.raises(ValidationError):
        services.rectification_note_add(actor=world.township_staff, rectification=case, date=TODAY, text="x")


def test_accepting_needs_a_measure_and_a_progress_note(world, party):
    case = services.rectification_start(
        actor=world.township_staff, rectification=weak_case(party.organisation)
    )
    with pytest.raises(ValidationError) as exc_info:
        services.rectification_accept(actor=world.county_admin, rectification=case)
    assert set(exc_info.value.message_dict) == {"measures", "progress_notes"}
    services.rectification_update(actor=world.township_staff, rectification=case, measures=["leader_liaison"])
    with pytest.raises(ValidationError) as exc_info:
        services.rectification_accept(actor=world.county_admin, rectification=case)
    assert set(exc_info.value.message_dict) == {"progress_notes"}
    case.refresh_from_db()
    assert case.status == RectificationStatus.RECTIFYING


def test_an_identified_case_is_started_before_it_is_accepted(world, party):
    case = weak_case(party.organisation)
    services.rectification_update(actor=world.township_staff, rectification=case, measures=["work_team"])
    services.rectification_note_add(actor=world.township_staff, rectification=case, date=TODAY, text="x")
    with pytest.raises(ValidationError):
        services.rectification_accept(actor=world.county_admin, rectification=case)
    case.refresh_from_db()
    assert case.status == RectificationStatus.IDENTIFIED


def test_extending_moves_the_deadline_later_and_keeps_the_reason(world, party):
    case = weak_case(party.organisation)
    deadline = TODAY + datetime.timedelta(days=30)
    services.rectification_update(actor=world.township_staff, rectification=case, deadline=deadline)
    with pytest.raises(ValidationError):
        services.rectification_extend(
            actor=world.county_admin, rectification=case, deadline=deadline + datetime.timedelta(days=90)
        )
    services.rectification_start(actor=world.township_staff, rectification=case)
    with pytest.raises(ValidationError) as exc_info:
        services.rectification_update(
            actor=world.township_staff, rectification=case, deadline=deadline + datetime.timedelta(days=9)
        )
    assert "deadline" in exc_info.value.message_dict
    with pytest.raises(ValidationError) as exc_info:
        services.rectification_extend(actor=world.county_admin, rectification=case, deadline=deadline)
    assert "deadline" in exc_info.value.message_dict
    new = deadline + datetime.timedelta(days=90)
    case = services.rectification_extend(
        actor=world.county_admin, rectification=case, deadline=new, reason="汛期"
    )
    assert (case.status, case.deadline) == (RectificationStatus.EXTENDED, new)
    assert "汛期" in RectificationNote.objects.get(rectification=case).text


@pytest.mark.parametrize(
    ("days", "message"),
    [(1, "A progress note cannot be dated in the future."), (-400, "A progress note cannot be dated before")],
)
def test_progress_notes_are_dated_within_the_case(world, party, days, message):
    case = weak_case(party.organisation)
    with pytest.raises(ValidationError) as exc_info:
        services.rectification_note_add(
            actor=world.township_staff,
            rectification=case,
            date=TODAY + datetime.timedelta(days=days),
            text="x",
        )
    assert messages(exc_info, "date")[0].startswith(message)
    assert not RectificationNote.objects.exists()


def test_overdue_and_next_rating_are_shown_with_the_case(world, party):
    case = weak_case(party.organisation, LAST_YEAR - 1)
    services.rectification_update(
        actor=SYSTEM,
        rectification=case,
        opened_on=datetime.date(LAST_YEAR - 1, 12, 20),
        deadline=datetime.date(LAST_YEAR, 6, 30),
    )
    services.rectification_start(actor=SYSTEM, rectification=case)
    row = selectors.rectification_list(user=world.township_staff).get(pk=case.pk)
    assert row.overdue and row.next_rating is None
    rate(party.organisation, LAST_YEAR, "ordinary")
    row = selectors.rectification_list(user=world.township_staff).get(pk=case.pk)
    assert row.next_rating == "ordinary"
    services.rectification_note_add(actor=SYSTEM, rectification=case, date=TODAY, text="x")
    services.rectification_update(actor=SYSTEM, rectification=case, measures=["pairing"])
    services.rectification_accept(actor=SYSTEM, rectification=case)
    assert not selectors.rectification_list(user=world.township_staff).get(pk=case.pk).overdue


def test_the_board_puts_overdue_cases_first_and_repeat_cases_apart(world, party):
    late = weak_case(party.organisation, LAST_YEAR - 1)
    services.rectification_update(
        actor=SYSTEM,
        rectification=late,
        opened_on=datetime.date(LAST_YEAR - 1, 12, 1),
        deadline=datetime.date(LAST_YEAR, 1, 31),
    )
    on_time = weak_case(party.organisation2, LAST_YEAR)
    services.rectification_update(
        actor=SYSTEM, rectification=on_time, deadline=TODAY + datetime.timedelta(days=5)
    )
    for case in (late, on_time):
        services.rectification_start(actor=SYSTEM, rectification=case)
    repeat = weak_case(party.organisation, LAST_YEAR)
    board = selectors.rectification_board(user=world.county_admin)
    assert [c.pk for c in board["groups"]["rectifying"]] == [late.pk, on_time.pk]
    assert [c.pk for c in board["groups"]["identified"]] == [repeat.pk]
    assert board["overdue_count"] == 1
    assert [c.pk for c in board["repeat"]] == [repeat.pk]
    assert selectors.rectification_board(user=world.other_county_admin)["groups"]["rectifying"] == []


def test_an_organisation_follows_its_village_to_another_township(world, party):
    with pytest.raises(ValidationError) as exc_info:
        services.village_update(
            actor=world.county_admin,
            village=world.village2,
            township=world.other_township,
            code="511903002002",
        )
    assert "township" in exc_info.value.message_dict  # it is in the joint organisation of 登科街道
    world.village2.refresh_from_db()
    assert world.village2.township == world.township
    services.organisation_update(actor=SYSTEM, organisation=party.joint, villages=[world.village])
    services.village_update(
        actor=world.county_admin, village=world.village2, township=world.other_township, code="511903002002"
    )
    party.organisation2.refresh_from_db()
    assert party.organisation2.township == world.other_township
    assert (
        selectors.organisation_list(user=world.other_township_staff)
        .filter(pk=party.organisation2.pk)
        .exists()
    )
