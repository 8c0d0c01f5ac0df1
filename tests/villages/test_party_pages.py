"""Pages for Party organisations, ratings and rectification, exercised through the Django test client."""

import datetime
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from apps.core.actors import SYSTEM
from apps.villages import services
from apps.villages.models import PartyGrid, PartyOrganisation, Rating, Rectification, RectificationNote

from .conftest import LAST_YEAR, rate, weak_case

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def logged_in(client, user, language="en"):
    client.force_login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    return client


PAGES = [
    "/villages/party-organisations/",
    "/villages/party-organisations/?year={last}&level=weak&is_joint=false",
    "/villages/party-organisations/new/",
    "/villages/party-organisations/figures/",
    "/villages/party-organisations/{organisation}/",
    "/villages/party-organisations/{organisation}/edit/",
    "/villages/party-organisations/{organisation}/delete/",
    "/villages/party-organisations/{organisation}/grids/new/",
    "/villages/party-grids/{grid}/edit/",
    "/villages/party-grids/{grid}/households/new/",
    "/villages/rectifications/",
    "/villages/rectifications/?overdue=true&is_repeat=false",
    "/villages/rectifications/{case}/",
    "/villages/rectifications/{case}/edit/",
    "/history/villages/partyorganisation/{organisation}/",
    "/history/villages/rating/{rating}/",
    "/history/villages/rectification/{case}/",
]


@pytest.fixture
def records(party):
    case = weak_case(party.organisation)
    grid = services.grid_create(actor=SYSTEM, organisation=party.organisation, name="第1网格")
    services.central_household_create(actor=SYSTEM, grid=grid, member_name="李明", households_served=5)
    return {"organisation": party.organisation.pk, "case": case.pk, "rating": case.rating_id, "grid": grid.pk}


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_pages_render_for_township_staff(client, world, records, path, language):
    client = logged_in(client, world.township_staff, language)
    response = client.get(path.format(last=LAST_YEAR, **records))
    assert response.status_code == 200
    assert f'<html lang="{language}">' in response.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/villages/party-organisations/{organisation}/rate/",
        "/villages/ratings/{rating}/edit/",
    ],
)
def test_rating_pages_are_for_county_admins(client, world, records, path):
    url = path.format(**records)
    assert logged_in(client, world.county_admin).get(url).status_code == 200
    assert logged_in(client, world.township_staff).get(url).status_code == 403


@pytest.mark.parametrize(
    "path",
    [
        "/villages/party-organisations/{pk}/",
        "/villages/party-organisations/{pk}/edit/",
        "/villages/party-organisations/{pk}/rate/",
        "/history/villages/partyorganisation/{pk}/",
    ],
)
def test_another_townships_organisation_does_not_exist(client, world, party, path):
    assert (
        logged_in(client, world.township_staff).get(path.format(pk=party.other_organisation.pk)).status_code
        == 404
    )
    assert (
        logged_in(client, world.county_admin).get(path.format(pk=party.far_organisation.pk)).status_code
        == 404
    )


def test_the_list_shows_the_region_and_filters(client, world, party):
    rate(party.organisation, LAST_YEAR, "weak")
    rate(party.organisation2, LAST_YEAR, "advanced")
    client = logged_in(client, world.township_staff)
    listed = client.get("/villages/party-organisations/").context["page"]
    assert {o.pk for o in listed} == {party.organisation.pk, party.organisation2.pk, party.joint.pk}
    weak = client.get(f"/villages/party-organisations/?year={LAST_YEAR}&level=weak").context["page"]
    assert [o.pk for o in weak] == [party.organisation.pk]
    assert weak[0].shown_level == "weak" and weak[0].open_cases == 1
    joint = client.get("/villages/party-organisations/?is_joint=true").context["page"]
    assert [o.pk for o in joint] == [party.joint.pk]
    response = client.get("/villages/party-organisations/export.xlsx?is_joint=false")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert sorted(row[0] for row in rows[1:]) == sorted([party.organisation.name, party.organisation2.name])


def test_creating_an_organisation_validates_and_saves(client, world):
    client = logged_in(client, world.township_staff)
    response = client.post("/villages/party-organisations/new/", {"name": "新支部", "kind": "branch"})
    assert response.status_code == 200
    assert "villages" in response.context["form"].errors
    response = client.post(
        "/villages/party-organisations/new/",
        {"name": "新支部", "kind": "branch", "villages": [world.other_village.pk], "members_count": 10},
    )
    assert "villages" in response.context["form"].errors  # not offered: outside the township
    assert not PartyOrganisation.objects.exists()
    response = client.post(
        "/villages/party-organisations/new/",
        {
            "name": "联合党委",
            "kind": "committee",
            "villages": [world.village.pk, world.village2.pk],
            "members_count": 60,
            "founded_on": "2018-05-04",
        },
    )
    organisation = PartyOrganisation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/villages/party-organisations/{organisation.pk}/"
    assert organisation.is_joint and organisation.founded_on == datetime.date(2018, 5, 4)


def test_editing_shows_service_errors_on_fields(client, world, party):
    client = logged_in(client, world.township_staff)
    response = client.post(
        f"/villages/party-organisations/{party.organisation.pk}/edit/",
        {
            "name": party.organisation.name,
            "kind": "branch",
            "villages": [world.village.pk],
            "members_count": 30,
            "founded_on": "1990-07-01",
            "dissolved_on": "1980-01-01",
        },
    )
    assert response.context["form"].errors["dissolved_on"] == [
        "An organisation cannot be dissolved before it was founded."
    ]


def test_rating_form_rejects_a_second_rating_and_weak_opens_a_case(client, world, party):
    client = logged_in(client, world.county_admin)
    url = f"/villages/party-organisations/{party.organisation.pk}/rate/"
    response = client.post(url, {"year": LAST_YEAR, "level": "weak", "reason": "班子不团结"})
    assert response.status_code == 302
    case = Rectification.objects.get()
    assert (case.year, case.rating.confirmed_by) == (LAST_YEAR, world.county_admin)
    response = client.post(url, {"year": LAST_YEAR, "level": "advanced"})
    assert response.context["form"].errors["year"] == [
        f"This organisation already has a rating for {LAST_YEAR}."
    ]
    response = client.post(url, {"year": TODAY.year + 1, "level": "advanced"})
    assert response.context["form"].errors["year"] == ["A rating cannot be for a future year."]
    assert Rating.objects.count() == 1


def test_changing_a_rating_asks_for_the_reason(client, world, party):
    rating = rate(party.organisation, LAST_YEAR, "ordinary")
    client = logged_in(client, world.county_admin)
    url = f"/villages/ratings/{rating.pk}/edit/"
    response = client.post(url, {"level": "advanced", "reason": ""})
    assert "change_reason" in response.context["form"].errors
    response = client.post(url, {"level": "advanced", "reason": "", "change_reason": "复核"})
    assert response.status_code == 302
    rating.refresh_from_db()
    assert (rating.level, rating.change_reason) == ("advanced", "复核")


def test_the_case_workflow_on_its_pages(client, world, party):
    case = weak_case(party.organisation)
    staff = logged_in(client, world.township_staff)
    url = f"/villages/rectifications/{case.pk}/"
    response = staff.post(
        f"{url}edit/",
        {"opened_on": TODAY.isoformat(), "deadline": (TODAY - datetime.timedelta(days=3)).isoformat()},
    )
    assert response.context["form"].errors["deadline"] == [
        f"The deadline cannot be before the case opened ({TODAY.isoformat()})."
    ]
    response = staff.post(
        f"{url}edit/",
        {
            "opened_on": TODAY.isoformat(),
            "deadline": (TODAY + datetime.timedelta(days=90)).isoformat(),
            "measures": ["work_team", "leader_liaison"],
            "responsible_leader": "王县长",
            "problems": "班子软弱",
        },
    )
    assert response.status_code == 302
    assert staff.post(f"{url}start/").status_code == 302
    response = staff.post(
        f"{url}notes/", {"date": (TODAY + datetime.timedelta(days=2)).isoformat(), "text": "x"}
    )
    assert response.status_code == 400
    assert response.context["note_form"].errors["date"] == ["A progress note cannot be dated in the future."]
    assert staff.post(f"{url}notes/", {"date": TODAY.isoformat(), "text": "工作组入驻"}).status_code == 302
    assert staff.post(f"{url}accept/").status_code == 403

    admin = logged_in(client, world.county_admin)
    response = admin.post(f"{url}accept/", {"accepted_on": (TODAY + datetime.timedelta(days=1)).isoformat()})
    assert response.status_code == 400
    assert "accepted_on" in response.context["accept_form"].errors
    assert admin.post(f"{url}accept/", {}).status_code == 302
    case.refresh_from_db()
    assert case.status == "accepted"
    assert RectificationNote.objects.filter(rectification=case).count() == 1


def test_accepting_without_notes_shows_the_reason(client, world, party):
    case = services.rectification_start(actor=SYSTEM, rectification=weak_case(party.organisation))
    services.rectification_update(actor=SYSTEM, rectification=case, measures=["pairing"])
    response = logged_in(client, world.county_admin).post(f"/villages/rectifications/{case.pk}/accept/")
    assert response.status_code == 400
    assert "Record at least one progress note before accepting the case." in response.content.decode()


def test_the_board_groups_cases_by_status(client, world, party):
    started = services.rectification_start(actor=SYSTEM, rectification=weak_case(party.organisation))
    identified = weak_case(party.organisation2)
    weak_case(party.far_organisation)
    board = logged_in(client, world.county_admin).get("/villages/rectifications/").context["board"]
    assert [c.pk for c in board["groups"]["rectifying"]] == [started.pk]
    assert [c.pk for c in board["groups"]["identified"]] == [identified.pk]


def test_grid_and_household_forms(client, world, party):
    client = logged_in(client, world.township_staff)
    url = f"/villages/party-organisations/{party.organisation.pk}/grids/new/"
    assert client.post(url, {"name": "第1网格", "members_count": 8}).status_code == 302
    response = client.post(url, {"name": "第1网格", "members_count": 8})
    assert response.context["form"].errors["name"] == ["This organisation already has a grid with this name."]
    grid = PartyGrid.objects.get()
    response = client.post(
        f"/villages/party-grids/{grid.pk}/households/new/", {"member_name": "李明", "households_served": 7}
    )
    assert response.status_code == 302
    assert grid.households.get().households_served == 7
    response = client.post(f"/villages/party-grids/{grid.pk}/delete/", follow=True)
    assert "This grid has central households; remove them first." in response.content.decode()
    assert PartyGrid.objects.exists()
