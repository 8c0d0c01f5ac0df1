"""Repeated failed log-ins lock the username from that address, on the page and on the token endpoint."""

import pytest
from django.test import override_settings

from tests.conftest import PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("world")]


@override_settings(AXES_ENABLED=True)
def test_login_page_locks_at_the_fifth_failure(client):
    for _ in range(4):
        response = client.post("/accounts/login/", {"username": "township_staff", "password": "wrong"})
        assert response.status_code == 200
    response = client.post("/accounts/login/", {"username": "township_staff", "password": "wrong"})
    assert response.status_code == 429
    response = client.post(
        "/accounts/login/", {"username": "township_staff", "password": PASSWORD}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 429
    assert "Too many failed log-in attempts" in response.content.decode()
    assert int(response["Retry-After"]) == 15 * 60
    assert "_auth_user_id" not in client.session


@override_settings(AXES_ENABLED=True)
def test_token_endpoint_locks_with_json_and_retry_after(client):
    url = "/api/v1/auth/token/"
    for _ in range(5):
        client.post(url, {"username": "township_staff", "password": "wrong"}, content_type="application/json")
    response = client.post(
        url, {"username": "township_staff", "password": PASSWORD}, content_type="application/json"
    )
    assert response.status_code == 429
    assert response["Content-Type"] == "application/json"
    assert response["Retry-After"]
    assert "token" not in response.json()


@override_settings(AXES_ENABLED=True)
def test_success_before_the_limit_resets_the_count(client):
    for _ in range(4):
        client.post("/accounts/login/", {"username": "township_staff", "password": "wrong"})
    response = client.post("/accounts/login/", {"username": "township_staff", "password": PASSWORD})
    assert response.status_code == 302
    client.logout()
    for _ in range(4):
        client.post("/accounts/login/", {"username": "township_staff", "password": "wrong"})
    assert (
        client.post("/accounts/login/", {"username": "township_staff", "password": PASSWORD}).status_code
        == 302
    )
