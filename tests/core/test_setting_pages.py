import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from apps.core.configuration import define, value_of
from apps.core.models import Setting

pytestmark = pytest.mark.django_db

define("test.page_rate", default=Decimal("80.00"), label="test page rate")
URL = "/settings/test.page_rate/"


def login(client, user):
    client.force_login(user)
    return client


def test_county_admin_adds_a_county_value(world, client):
    login(client, world.county_admin)
    assert client.get("/settings/").status_code == 200
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(URL, {"value": "90.50", "valid_from": tomorrow, "county": world.county.pk})
    assert response.status_code == 302
    assert value_of("test.page_rate", on=tomorrow, county=world.county) == Decimal("90.50")
    assert value_of("test.page_rate", on=tomorrow, county=world.other_county) == Decimal("80.00")


def test_county_admin_cannot_set_the_default_or_another_county(world, client):
    login(client, world.county_admin)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(
        URL, {"value": "1", "valid_from": tomorrow, "county": ""}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200 and response.context["form"].errors
    response = client.post(URL, {"value": "1", "valid_from": tomorrow, "county": world.other_county.pk})
    assert response.status_code == 200 and "county" in response.context["form"].errors
    assert not Setting.objects.filter(key="test.page_rate").exists()


def test_bad_values_are_field_errors(world, client):
    login(client, world.city_admin)
    response = client.post(
        URL, {"value": "abc", "valid_from": "2020-01-01", "county": ""}, HTTP_ACCEPT_LANGUAGE="en"
    )
    errors = response.context["form"].errors
    assert "value" in errors or "valid_from" in errors
    assert not Setting.objects.filter(key="test.page_rate").exists()


def test_township_staff_cannot_open_settings(world, client):
    login(client, world.township_staff)
    assert client.get("/settings/").status_code == 403
    assert client.get(URL).status_code == 403
