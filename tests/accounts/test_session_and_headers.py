"""Log-in hardening besides the lockout: password rules, session expiry, CSRF on every form, headers."""

import datetime

import pytest
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.utils import timezone

from apps.accounts.services import user_create, user_set_password
from apps.core.actors import SYSTEM
from tests.conftest import PASSWORD
from tests.core.permission_matrix_urls import SAMPLE, endpoints

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("password", ["short1!", "12345678901234", "township_staff2"])
def test_weak_passwords_are_refused(world, password, english):
    with pytest.raises(ValidationError):
        user_set_password(actor=world.county_admin, user=world.township_staff, password=password)


@pytest.mark.parametrize("password", ["short1!", "12345678901234"])
def test_new_users_need_a_strong_password(world, password, english):
    with pytest.raises(ValidationError):
        user_create(
            actor=SYSTEM, username="clerk2", password=password, role="township_staff", region=world.township
        )


def test_an_expired_session_is_sent_to_log_in_again(world, client, settings):
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60 and settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert client.login(username="township_staff", password=PASSWORD)
    assert client.get("/villages/").status_code == 200
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get("/villages/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_every_form_post_without_a_csrf_token_is_refused(world):
    """Every page URL that takes a POST, as a logged-in user without the token: 403 before any view runs."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.county_admin)
    accepted = []
    for endpoint in endpoints():
        if endpoint.is_api or endpoint.name in {"set_language"}:
            continue
        status = client.post(endpoint.url(**SAMPLE), {"anything": "1"}).status_code
        if status != 403:
            accepted.append(f"{endpoint.name}: {status}")
    assert not accepted, "POST without a CSRF token was not refused:\n" + "\n".join(accepted)


def test_security_headers_on_every_page(world, client):
    client.force_login(world.township_staff)
    response = client.get("/villages/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "unsafe-inline" not in policy.split("style-src")[0]
    assert "Strict-Transport-Security" not in response  # not over plain HTTP


@override_settings(SECURE_HSTS_SECONDS=31536000, SECURE_HSTS_INCLUDE_SUBDOMAINS=True)
def test_hsts_when_served_over_https(world, client):
    response = client.get("/accounts/login/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
