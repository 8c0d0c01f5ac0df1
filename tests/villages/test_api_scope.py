"""Region scope through the API: reads outside the caller's region are 404, writes are refused."""

import pytest

from apps.villages.models import Village

pytestmark = pytest.mark.django_db

VILLAGES = "/api/v1/villages/"


def codes(response):
    return sorted(row["code"] for row in response.json()["results"])


def test_township_staff_lists_only_their_township(world, api):
    response = api(world.township_staff).get(VILLAGES)
    assert response.status_code == 200
    assert codes(response) == [world.village.code, world.village2.code]


def test_county_admin_sees_the_county_and_nothing_of_the_next(world, api):
    client = api(world.county_admin)
    assert codes(client.get(VILLAGES)) == sorted(
        [world.village.code, world.village2.code, world.other_village.code]
    )
    assert client.get(f"{VILLAGES}{world.far_village.pk}/").status_code == 404
    assert client.get(f"{VILLAGES}?county={world.other_county.pk}").json()["count"] == 0
    assert client.get(f"/api/v1/counties/{world.other_county.pk}/").status_code == 404


def test_city_admin_sees_every_county(world, api):
    assert api(world.city_admin).get(VILLAGES).json()["count"] == 4


@pytest.mark.parametrize("method", ["get", "put", "patch", "delete"])
def test_other_townships_village_is_not_found(world, api, method):
    response = getattr(api(world.township_staff), method)(
        f"{VILLAGES}{world.other_village.pk}/", {"name": "改名"}, format="json"
    )
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    world.other_village.refresh_from_db()
    assert world.other_village.name == "柳林村"


def test_create_in_another_township_is_a_field_error_and_saves_nothing(world, api):
    response = api(world.township_staff).post(
        VILLAGES,
        {"code": "511903002009", "name": "越界村", "township": world.other_township.pk},
        format="json",
    )
    assert response.status_code == 400
    assert "township" in response.json()
    assert not Village.objects.filter(code="511903002009").exists()


def test_moving_own_village_out_of_scope_is_refused(world, api):
    response = api(world.township_staff).patch(
        f"{VILLAGES}{world.village.pk}/", {"township": world.far_township.pk}, format="json"
    )
    assert response.status_code == 400
    world.village.refresh_from_db()
    assert world.village.township_id == world.township.pk


def test_township_staff_creates_and_edits_in_their_township(world, api):
    client = api(world.township_staff)
    response = client.post(
        VILLAGES,
        {"code": "511903001003", "name": "新村", "township": world.township.pk, "population_registered": 500},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["county"] == world.county.pk
    response = client.patch(
        f"{VILLAGES}{body['id']}/", {"poverty_status": "poor", "exit_year": 2017}, format="json"
    )
    assert response.status_code == 200
    assert Village.objects.get(pk=body["id"]).poverty_status == "poor"


def test_village_clerk_cannot_create_or_edit_villages(world, api):
    client = api(world.village_clerk)
    assert codes(client.get(VILLAGES)) == [world.village.code]
    response = client.patch(f"{VILLAGES}{world.village.pk}/", {"name": "改名"}, format="json")
    assert response.status_code == 403
    response = client.post(VILLAGES, {"code": "511903001004", "name": "x", "township": world.township.pk})
    assert response.status_code in (400, 403)
    assert not Village.objects.filter(code="511903001004").exists()


def test_township_staff_sees_their_ancestors_but_cannot_edit_them(world, api):
    client = api(world.township_staff)
    assert [c["code"] for c in client.get("/api/v1/counties/").json()["results"]] == [world.county.code]
    assert [t["code"] for t in client.get("/api/v1/townships/").json()["results"]] == [world.township.code]
    response = client.patch(f"/api/v1/townships/{world.township.pk}/", {"name": "x"}, format="json")
    assert response.status_code == 403


def test_city_admin_creates_townships_with_a_consistent_code(world, api):
    client = api(world.city_admin, language="en")
    response = client.post(
        "/api/v1/townships/",
        {"code": "511902009000", "name": "错镇", "county": world.county.pk},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == ["The code must start with 511903, the code of its county."]
    response = client.post(
        "/api/v1/townships/",
        {"code": "511903009000", "name": "新镇", "county": world.county.pk},
        format="json",
    )
    assert response.status_code == 201


def test_county_admin_cannot_create_townships(world, api):
    response = api(world.county_admin).post(
        "/api/v1/townships/",
        {"code": "511903009000", "name": "新镇", "county": world.county.pk},
        format="json",
    )
    assert response.status_code == 403


def test_user_without_region_sees_nothing(world, api):
    from apps.accounts.models import User

    stray = User.objects.create_user("stray", password="x-Touyan-2026")
    assert api(stray).get(VILLAGES).status_code == 403


def test_a_township_with_villages_cannot_change_county(world, api):
    response = api(world.city_admin).patch(
        f"/api/v1/townships/{world.other_township.pk}/",
        {"county": world.other_county.pk, "code": "511902002000"},
        format="json",
    )
    assert response.status_code == 400
    assert "county" in response.json()
    world.other_township.refresh_from_db()
    assert world.other_township.county == world.county


def test_moving_a_village_needs_a_code_under_its_new_township(world, api):
    client = api(world.county_admin, language="en")
    url = f"{VILLAGES}{world.other_village.pk}/"
    response = client.patch(url, {"township": world.township.pk}, format="json")
    assert response.status_code == 400
    assert "code" in response.json()
    response = client.patch(url, {"township": world.township.pk, "code": "511903001009"}, format="json")
    assert response.status_code == 200
    assert api(world.township_staff).get(url).status_code == 200
