"""PostgreSQL going away mid-life: 503 JSON for the API, a plain page for people, and recovery without restart."""

from contextlib import contextmanager

import pytest
from django.db import connection

from apps.accounts.services import token_for

pytestmark = pytest.mark.django_db(transaction=True)


@contextmanager
def database_unreachable():
    """Point the default connection at a port where nothing listens, then back."""
    original = connection.settings_dict.copy()
    connection.close()
    connection.settings_dict.update(HOST="127.0.0.1", PORT="1")
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(original)


def test_api_answers_503_json_then_recovers(world, client):
    headers = {
        "HTTP_AUTHORIZATION": f"Token {token_for(user=world.township_staff)}",
        "HTTP_ACCEPT_LANGUAGE": "en",
    }
    with database_unreachable():
        response = client.get("/api/v1/villages/", **headers)
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert "database is not reachable" in response.json()["detail"]
    assert int(response["Retry-After"]) > 0
    assert client.get("/api/v1/villages/", **headers).status_code == 200


def test_pages_answer_503_then_recover(world, client):
    client.force_login(world.township_staff)
    # The session is read by middleware, so this outage reaches handler500 as a real server would.
    client.raise_request_exception = False
    with database_unreachable():
        response = client.get("/villages/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 503
    assert "Temporarily unavailable" in response.content.decode()
    assert client.get("/villages/").status_code == 200
