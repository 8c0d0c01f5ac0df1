"""Rate limits answer 429 with Retry-After, and a dead cache does not take the API down."""

import pytest
from django.core.cache import cache
from django.test import override_settings

from apps.core.api.throttling import PerUserThrottle, TokenEndpointThrottle

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_counters():
    cache.clear()
    yield
    cache.clear()


def test_token_endpoint_is_limited_per_address(world, client, monkeypatch):
    monkeypatch.setattr(TokenEndpointThrottle, "THROTTLE_RATES", {"auth": "3/min"})
    for _ in range(3):
        response = client.post(
            "/api/v1/auth/token/", {"username": "x", "password": "y"}, content_type="application/json"
        )
        assert response.status_code == 400
    response = client.post(
        "/api/v1/auth/token/", {"username": "x", "password": "y"}, content_type="application/json"
    )
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "detail" in response.json()


def test_api_is_limited_per_token(world, api, monkeypatch):
    monkeypatch.setattr(PerUserThrottle, "THROTTLE_RATES", {"user": "2/min"})
    first, second = api(world.township_staff), api(world.county_admin)
    assert first.get("/api/v1/villages/").status_code == 200
    assert first.get("/api/v1/villages/").status_code == 200
    limited = first.get("/api/v1/villages/")
    assert limited.status_code == 429 and limited["Retry-After"]
    assert second.get("/api/v1/villages/").status_code == 200


@override_settings(
    CACHES={
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens here
        }
    }
)
def test_api_keeps_working_when_the_cache_is_down(world, api):
    assert api(world.township_staff).get("/api/v1/villages/").status_code == 200
