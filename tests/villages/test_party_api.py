"""The ``party-organisations/``, ``ratings/``, ``rectifications/`` API: contract, scope and rules (API.md)."""

import datetime

import pytest
from django.utils import timezone

from apps.core.actors import SYSTEM
from apps.villages import services
from apps.villages.models import PartyOrganisation, Rating, Rectification, RectificationNote

from .conftest import LAST_YEAR, make_cadre, rate, weak_case

pytestmark = pytest.mark.django_db
ORGANISATIONS = "/api/v1/party-organisations/"
RATINGS = "/api/v1/ratings/"
CASES = "/api/v1/rectifications/"
TODAY = timezone.localdate()


def names(response):
    assert response.status_code == 200, response.json()
    return sorted(row["name"] for row in response.json()["results"])


# Organisations


def test_organisation_fields(world, party, api):
    secretary = make_cadre(world.village)
    services.organisation_update(actor=SYSTEM, organisation=party.organisation, secretary=secretary)
    body = api(world.township_staff).get(f"{ORGANISATIONS}{party.organisation.pk}/").json()
    assert body == {
        "id": party.organisation.pk,
        "name": "中共红旗村支部委员会",
        "kind": "branch",
        "villages": [world.village.pk],
        "is_joint": False,
        "members_count": 32,
        "founded_on": "1990-07-01",
        "dissolved_on": None,
        "secretary": secretary.pk,
        "township": world.township.pk,
        "county": world.county.pk,
    }


def test_each_user_lists_the_organisations_of_their_region_once(world, party, api, village_api_client):
    assert names(api(world.township_staff).get(ORGANISATIONS)) == sorted(
        ["中共红旗村支部委员会", "中共白鹤村支部委员会", "中共红旗村白鹤村联合委员会"]
    )
    assert api(world.county_admin).get(ORGANISATIONS).json()["count"] == 4
    assert api(world.city_admin).get(ORGANISATIONS).json()["count"] == 5
    # A joint organisation appears once, also to a user bound to one of its villages.
    assert names(api(village_api_client).get(ORGANISATIONS)) == [
        "中共红旗村支部委员会",
        "中共红旗村白鹤村联合委员会",
    ]
    assert api(world.township_staff).get(f"{ORGANISATIONS}{party.other_organisation.pk}/").status_code == 404
    assert api(world.county_admin).get(f"{ORGANISATIONS}?county={world.other_county.pk}").json()["count"] == 0


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("is_joint=true", ["中共红旗村白鹤村联合委员会"]),
        ("is_joint=false&village={village}", ["中共红旗村支部委员会"]),
        ("year=2016", ["中共白鹤村支部委员会", "中共红旗村支部委员会"]),  # the joint one was founded in 2017
        ("year={last}&level=weak", ["中共红旗村支部委员会"]),
        ("level=advanced", ["中共白鹤村支部委员会"]),  # by the latest rating
        ("kind=committee", ["中共红旗村白鹤村联合委员会"]),
    ],
)
def test_organisation_filters(world, party, api, query, expected):
    rate(party.organisation, LAST_YEAR - 1, "advanced")
    rate(party.organisation, LAST_YEAR, "weak")
    rate(party.organisation2, LAST_YEAR, "advanced")
    url = f"{ORGANISATIONS}?{query.format(village=world.village.pk, last=LAST_YEAR)}"
    assert names(api(world.township_staff).get(url)) == sorted(expected)


def test_create_a_joint_organisation(world, api):
    response = api(world.township_staff).post(
        ORGANISATIONS,
        {
            "name": "联合党委",
            "kind": "committee",
            "villages": [world.village.pk, world.village2.pk],
            "members_count": 80,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["is_joint"] is True
    assert response.json()["township"] == world.township.pk


def test_a_village_outside_the_region_is_a_field_error_and_nothing_is_saved(world, api):
    response = api(world.township_staff, language="en").post(
        ORGANISATIONS,
        {"name": "越界", "kind": "committee", "villages": [world.village.pk, world.other_village.pk]},
        format="json",
    )
    assert response.status_code == 400
    assert "villages" in response.json()
    assert not PartyOrganisation.objects.exists()


def test_villages_of_two_townships_are_refused(world, api):
    response = api(world.county_admin, language="en").post(
        ORGANISATIONS,
        {"name": "跨镇", "kind": "committee", "villages": [world.village.pk, world.other_village.pk]},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"villages": ["All villages of one organisation belong to the same township."]}


def test_is_joint_is_read_only_and_unknown_fields_are_refused(world, party, api):
    client = api(world.township_staff)
    response = client.patch(f"{ORGANISATIONS}{party.organisation.pk}/", {"is_joint": True}, format="json")
    assert response.status_code == 200
    assert response.json()["is_joint"] is False
    response = client.patch(f"{ORGANISATIONS}{party.organisation.pk}/", {"rating": "weak"}, format="json")
    assert response.status_code == 400
    assert "non_field_errors" in response.json()


def test_a_partly_visible_joint_organisation_cannot_be_changed(world, party, api, village_api_client):
    response = api(village_api_client).patch(
        f"{ORGANISATIONS}{party.joint.pk}/", {"members_count": 1}, format="json"
    )
    assert response.status_code == 403
    party.joint.refresh_from_db()
    assert party.joint.members_count == 0


def test_deleting_an_organisation_with_ratings_is_refused(world, party, api):
    rate(party.organisation, LAST_YEAR, "ordinary")
    client = api(world.township_staff)
    assert client.delete(f"{ORGANISATIONS}{party.organisation.pk}/").status_code == 400
    assert client.delete(f"{ORGANISATIONS}{party.organisation2.pk}/").status_code == 204


# Ratings


def test_a_rating_is_confirmed_by_the_caller(world, party, api):
    response = api(world.county_admin).post(
        RATINGS,
        {"organisation": party.organisation.pk, "year": LAST_YEAR, "level": "advanced", "reason": "好"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["confirmed_by"] == world.county_admin.pk
    assert body["confirmed_at"]
    assert set(body) == {
        "id",
        "organisation",
        "year",
        "level",
        "reason",
        "change_reason",
        "confirmed_by",
        "confirmed_at",
    }


def test_a_second_rating_for_the_year_answers_400(world, party, api):
    client = api(world.county_admin, language="en")
    data = {"organisation": party.organisation.pk, "year": LAST_YEAR, "level": "ordinary"}
    assert client.post(RATINGS, data, format="json").status_code == 201
    response = client.post(RATINGS, {**data, "level": "weak"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"year": [f"This organisation already has a rating for {LAST_YEAR}."]}
    assert Rating.objects.count() == 1
    assert not Rectification.objects.exists()


def test_a_future_year_answers_400(world, party, api):
    response = api(world.county_admin, language="en").post(
        RATINGS,
        {"organisation": party.organisation.pk, "year": TODAY.year + 1, "level": "weak"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"year": ["A rating cannot be for a future year."]}


def test_rating_outside_the_region_or_by_township_staff(world, party, api):
    response = api(world.other_county_admin).post(
        RATINGS, {"organisation": party.organisation.pk, "year": LAST_YEAR, "level": "weak"}, format="json"
    )
    assert response.status_code == 400
    assert "organisation" in response.json()
    response = api(world.township_staff).post(
        RATINGS, {"organisation": party.organisation.pk, "year": LAST_YEAR, "level": "weak"}, format="json"
    )
    assert response.status_code == 403
    assert not Rating.objects.exists()
    rating = rate(party.far_organisation, LAST_YEAR, "ordinary")
    assert api(world.county_admin).get(f"{RATINGS}{rating.pk}/").status_code == 404


def test_a_weak_rating_opens_a_case_visible_in_rectifications(world, party, api):
    client = api(world.county_admin)
    response = client.post(
        RATINGS, {"organisation": party.organisation.pk, "year": LAST_YEAR, "level": "weak"}, format="json"
    )
    assert response.status_code == 201
    cases = client.get(f"{CASES}?year={LAST_YEAR}").json()["results"]
    assert [(c["organisation"], c["year"], c["status"]) for c in cases] == [
        (party.organisation.pk, LAST_YEAR, "identified")
    ]


def test_changing_a_rating_needs_a_reason_and_ratings_are_not_deleted(world, party, api):
    rating = rate(party.organisation, LAST_YEAR, "ordinary")
    client = api(world.county_admin, language="en")
    response = client.patch(f"{RATINGS}{rating.pk}/", {"level": "advanced"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"change_reason": ["Give the reason for changing a confirmed rating."]}
    response = client.patch(
        f"{RATINGS}{rating.pk}/", {"level": "advanced", "change_reason": "复核"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["confirmed_by"] == world.county_admin.pk
    response = client.patch(
        f"{RATINGS}{rating.pk}/", {"year": LAST_YEAR - 1, "change_reason": "x"}, format="json"
    )
    assert response.status_code == 400 and "year" in response.json()
    assert client.delete(f"{RATINGS}{rating.pk}/").status_code == 405
    assert Rating.objects.get().level == "advanced"


def test_rating_filters(world, party, api):
    rate(party.organisation, LAST_YEAR, "weak")
    rate(party.organisation2, LAST_YEAR, "advanced")
    rate(party.other_organisation, LAST_YEAR, "weak")
    client = api(world.county_admin)
    assert client.get(f"{RATINGS}?level=weak").json()["count"] == 2
    assert client.get(f"{RATINGS}?level=weak&township={world.township.pk}").json()["count"] == 1
    assert client.get(f"{RATINGS}?village={world.village2.pk}").json()["count"] == 1
    assert client.get(f"{RATINGS}?year={LAST_YEAR - 1}").json()["count"] == 0


# Rectification


def test_case_fields_and_no_post_on_the_list(world, party, api):
    case = weak_case(party.organisation)
    client = api(world.township_staff)
    body = client.get(f"{CASES}{case.pk}/").json()
    assert {
        "id",
        "organisation",
        "year",
        "problems",
        "measures",
        "responsible_leader",
        "deadline",
        "status",
        "next_rating",
    } <= set(body)
    assert (body["status"], body["next_rating"], body["measures"], body["overdue"]) == (
        "identified",
        None,
        [],
        False,
    )
    response = client.post(
        CASES, {"organisation": party.organisation.pk, "year": LAST_YEAR - 2}, format="json"
    )
    assert response.status_code == 405


def test_the_workflow_through_the_api(world, party, api):
    case = weak_case(party.organisation)
    staff, admin = api(world.township_staff, language="en"), api(world.county_admin, language="en")
    url = f"{CASES}{case.pk}/"

    response = staff.patch(url, {"deadline": (TODAY - datetime.timedelta(days=1)).isoformat()}, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "deadline": [f"The deadline cannot be before the case opened ({TODAY.isoformat()})."]
    }
    deadline = TODAY + datetime.timedelta(days=180)
    response = staff.patch(
        url,
        {
            "problems": "软弱涣散",
            "responsible_leader": "王县长",
            "deadline": deadline.isoformat(),
            "measures": ["pairing"],
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    response = staff.patch(url, {"measures": ["bribery"]}, format="json")
    assert response.status_code == 400 and "measures" in response.json()

    assert staff.post(f"{url}start/").json()["status"] == "rectifying"
    assert staff.post(f"{url}start/").status_code == 400

    response = admin.post(f"{url}accept/")
    assert response.status_code == 400
    assert list(response.json()) == ["progress_notes"]
    response = staff.post(f"{url}notes/", {"date": TODAY.isoformat(), "text": "召开专题会"}, format="json")
    assert response.status_code == 201
    assert response.json()["author"] == "township_staff"
    assert staff.post(f"{url}accept/").status_code == 403

    response = admin.post(f"{url}extend/", {"deadline": deadline.isoformat()}, format="json")
    assert response.status_code == 400 and "deadline" in response.json()
    later = deadline + datetime.timedelta(days=60)
    response = admin.post(f"{url}extend/", {"deadline": later.isoformat()}, format="json")
    assert (response.json()["status"], response.json()["deadline"]) == ("extended", later.isoformat())

    response = admin.post(f"{url}accept/")
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["accepted_on"], body["accepted_by"]) == (
        "accepted",
        TODAY.isoformat(),
        world.county_admin.pk,
    )
    assert [note["text"] for note in body["progress_notes"]] == ["召开专题会"]


def test_accepting_without_measures_or_notes_saves_nothing(world, party, api):
    case = services.rectification_start(actor=SYSTEM, rectification=weak_case(party.organisation))
    response = api(world.county_admin, language="en").post(f"{CASES}{case.pk}/accept/")
    assert response.status_code == 400
    assert response.json() == {
        "measures": ["Choose at least one of the five standard measures before accepting the case."],
        "progress_notes": ["Record at least one progress note before accepting the case."],
    }
    case.refresh_from_db()
    assert case.status == "rectifying"


def test_cases_outside_the_region_are_not_found(world, party, api):
    case = weak_case(party.other_organisation)
    client = api(world.township_staff)
    assert client.get(f"{CASES}{case.pk}/").status_code == 404
    assert client.post(f"{CASES}{case.pk}/start/").status_code == 404
    assert (
        client.post(
            f"{CASES}{case.pk}/notes/", {"date": TODAY.isoformat(), "text": "x"}, format="json"
        ).status_code
        == 404
    )
    assert not RectificationNote.objects.exists()
    assert client.get(CASES).json()["count"] == 0


def test_case_filters_next_rating_and_overdue(world, party, api):
    old = weak_case(party.organisation, LAST_YEAR - 1)
    services.rectification_update(
        actor=SYSTEM,
        rectification=old,
        opened_on=datetime.date(LAST_YEAR - 1, 12, 1),
        deadline=datetime.date(LAST_YEAR, 3, 1),
    )
    services.rectification_start(actor=SYSTEM, rectification=old)
    rate(party.organisation, LAST_YEAR, "ordinary")
    repeat = weak_case(party.organisation2, LAST_YEAR - 3)
    rate(party.organisation2, LAST_YEAR - 2, "ordinary")
    repeat = weak_case(party.organisation2, LAST_YEAR)
    client = api(world.county_admin)
    overdue = client.get(f"{CASES}?overdue=true").json()["results"]
    assert [(c["id"], c["next_rating"], c["overdue"]) for c in overdue] == [(old.pk, "ordinary", True)]
    assert [c["id"] for c in client.get(f"{CASES}?is_repeat=true").json()["results"]] == [repeat.pk]
    assert client.get(f"{CASES}?status=rectifying&township={world.township.pk}").json()["count"] == 1


# The four-level chain


def test_grids_and_households_through_the_api(world, party, api):
    client = api(world.township_staff)
    response = client.post(
        "/api/v1/party-grids/", {"organisation": party.organisation.pk, "name": "第1网格"}, format="json"
    )
    assert response.status_code == 201, response.json()
    grid = response.json()["id"]
    response = client.post(
        "/api/v1/central-households/",
        {"grid": grid, "member_name": "李明", "households_served": 6},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert (
        client.get(f"/api/v1/central-households/?organisation={party.organisation.pk}").json()["count"] == 1
    )
    response = client.post(
        "/api/v1/party-grids/", {"organisation": party.other_organisation.pk, "name": "越界"}, format="json"
    )
    assert response.status_code == 400 and "organisation" in response.json()
    assert api(world.other_township_staff).get("/api/v1/party-grids/").json()["count"] == 0


# Figures


def test_figures_endpoint(world, party, api, django_assert_max_num_queries):
    weak_case(party.organisation, 2015)
    weak_case(party.organisation2, 2016)
    weak_case(party.organisation, 2017)
    rate(party.joint, 2017, "advanced")
    rate(party.organisation2, 2017, "ordinary")
    weak_case(party.other_organisation, 2016)
    client = api(world.township_staff)
    with django_assert_max_num_queries(12):
        response = client.get("/api/v1/stats/party-organisations/?year_from=2014&year_to=2017")
    assert response.status_code == 200
    body = response.json()
    assert body["rectified"]["organisations"] == 2
    assert body["rectified"]["villages"] == 2
    assert body["rectified"]["share_of_villages"] == "100.0"
    assert [(y["year"], y["cases"], y["first_time"], y["repeat"]) for y in body["rectified"]["years"]] == [
        (2015, 1, 1, 0),
        (2016, 1, 1, 0),
        (2017, 1, 0, 1),
    ]
    assert body["levels"]["year"] == 2017
    assert (body["levels"]["total"], body["levels"]["weak"], body["levels"]["shares"]["weak"]) == (
        3,
        1,
        "33.3",
    )
    assert [(y["year"], y["new"], y["existing"]) for y in body["joint"]] == [
        (2014, 0, 0),
        (2015, 0, 0),
        (2016, 0, 0),
        (2017, 1, 1),
    ]
    assert (
        api(world.township_staff)
        .get(f"/api/v1/stats/party-organisations/?county={world.other_county.pk}")
        .status_code
        == 404
    )


@pytest.mark.parametrize("path", [ORGANISATIONS, RATINGS, CASES])
def test_lists_take_the_same_number_of_queries_at_two_scales(world, party, api, path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = api(world.county_admin)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        return len(captured)

    weak_case(party.organisation, 2015)
    small = queries()
    for year in (2018, 2020):
        for organisation in (party.organisation2, party.joint, party.other_organisation):
            case = weak_case(organisation, year)
            services.rectification_note_add(actor=SYSTEM, rectification=case, date=TODAY, text="x")
    assert queries() == small
