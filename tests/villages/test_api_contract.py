"""API conventions: token auth, JSON errors, validation messages in the request's language, pagination."""

import pytest

from apps.villages.models import Village
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

VILLAGES = "/api/v1/villages/"


def test_token_endpoint_and_token_auth(world, client):
    response = client.post(
        "/api/v1/auth/token/",
        {"username": "township_staff", "password": PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 200
    token = response.json()["token"]
    response = client.get(VILLAGES, HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 200
    assert response.json()["count"] == 2


def test_wrong_password_is_400_json(world, client):
    response = client.post(
        "/api/v1/auth/token/",
        {"username": "township_staff", "password": "nope"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "non_field_errors" in response.json()


def test_anonymous_gets_401_json(client, db):
    response = client.get(VILLAGES)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"


def test_unknown_api_path_is_json_404(client, db):
    response = client.get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "detail" in response.json()


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("51190300100", "A code is exactly 12 digits."),
        ("51190300100x", "A code is exactly 12 digits."),
        ("511903001000", "Digits 10–12 of a village code cannot all be zero."),
        ("511903002005", "The code must start with 511903001, the code of its township."),
    ],
)
def test_malformed_codes_are_field_errors(world, api, code, message):
    response = api(world.township_staff, language="en").post(
        VILLAGES, {"code": code, "name": "坏码村", "township": world.township.pk}, format="json"
    )
    assert response.status_code == 400
    assert message in response.json()["code"]
    assert not Village.objects.filter(name="坏码村").exists()


def test_duplicate_code_is_a_field_error(world, api):
    response = api(world.township_staff, language="en").post(
        VILLAGES, {"code": world.village.code, "name": "重复村", "township": world.township.pk}, format="json"
    )
    assert response.status_code == 400
    assert "code" in response.json()


def test_messages_follow_accept_language(world, api):
    payload = {"code": "123", "name": "x", "township": world.township.pk}
    zh = api(world.township_staff, language="zh-hans").post(VILLAGES, payload, format="json").json()
    en = api(world.township_staff, language="en").post(VILLAGES, payload, format="json").json()
    assert en["code"] == ["A code is exactly 12 digits."]
    assert zh["code"] != en["code"]


def test_unknown_fields_are_rejected(world, api):
    response = api(world.township_staff).post(
        VILLAGES,
        {"code": "511903001007", "name": "x", "township": world.township.pk, "colour": "red"},
        format="json",
    )
    assert response.status_code == 400
    assert "colour" in response.json()["non_field_errors"][0]
    assert not Village.objects.filter(code="511903001007").exists()


def test_pagination_shape_and_cap(world, api):
    body = api(world.county_admin).get(f"{VILLAGES}?page_size=1").json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 3 and len(body["results"]) == 1 and body["next"]
    body = api(world.county_admin).get(f"{VILLAGES}?page_size=100000").json()
    assert len(body["results"]) == 3


def test_search_and_filters(world, api):
    client = api(world.county_admin)
    assert [v["code"] for v in client.get(f"{VILLAGES}?search=红旗").json()["results"]] == [
        world.village.code
    ]
    assert client.get(f"{VILLAGES}?search=5119030020").json()["count"] == 1
    assert client.get(f"{VILLAGES}?township={world.township.pk}").json()["count"] == 2
    assert client.get(f"{VILLAGES}?poverty_status=poor").json()["count"] == 0


def test_retired_village_cannot_parent_new_records_and_cannot_retire_twice(world, api):
    client = api(world.township_staff, language="en")
    url = f"{VILLAGES}{world.village2.pk}/retire/"
    response = client.post(
        url, {"retired_on": "2026-01-01", "reason": "合并", "merged_into": world.village.pk}
    )
    assert response.status_code == 200, response.json()
    assert response.json()["merged_into"] == world.village.pk
    response = client.post(url, {"retired_on": "2026-01-02", "reason": "again"})
    assert response.status_code == 400
    response = client.post(
        f"{VILLAGES}{world.village.pk}/retire/",
        {"retired_on": "2026-01-01", "reason": "x", "merged_into": world.village2.pk},
    )
    assert response.status_code == 400
    assert "merged_into" in response.json()


def test_delete_village_without_records(world, api):
    response = api(world.township_staff).delete(f"{VILLAGES}{world.village2.pk}/")
    assert response.status_code == 204
    assert not Village.objects.filter(pk=world.village2.pk).exists()


def test_village_with_records_cannot_be_deleted(world, api):
    from apps.core.actors import SYSTEM
    from apps.villages.services import village_retire

    village_retire(
        actor=SYSTEM,
        village=world.village2,
        retired_on="2026-01-01",
        reason="合并",
        merged_into=world.village,
    )
    response = api(world.township_staff, language="en").delete(f"{VILLAGES}{world.village.pk}/")
    assert response.status_code == 400
    assert Village.objects.filter(pk=world.village.pk).exists()


def test_schema_and_docs_are_served(client, db):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/villages/" in schema.content
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert b"swagger-ui" in docs.content
