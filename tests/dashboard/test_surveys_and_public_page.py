"""Survey results (figure 12) and the public village page (村务公开)."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core import idnumbers
from apps.core.actors import SYSTEM
from apps.dashboard import services
from apps.dashboard.models import PublicVillagePage, SurveyResult
from apps.morality_bank import services as bank

pytestmark = pytest.mark.django_db
ID_NUMBER = "51190319800101001" + idnumbers.check_character("51190319800101001")


def client_for(user=None):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_login(user)
    return client


def survey_form(world, **overrides):
    return {
        "city": world.city.pk,
        "county": world.county.pk,
        "year": 2024,
        "reason": "党建责任不清",
        "share": "40",
        **overrides,
    }


def test_county_admin_records_county_surveys_only(world):
    client = client_for(world.county_admin)
    response = client.post(reverse("dashboard:survey_create"), survey_form(world))
    assert response.status_code == 302
    survey = SurveyResult.objects.get()
    assert (survey.county, survey.share) == (world.county, Decimal("40.00"))

    duplicate = client.post(reverse("dashboard:survey_create"), survey_form(world, share="10"))
    assert duplicate.status_code == 200, duplicate
    assert "already" in str(duplicate.context["form"].errors)
    assert client.post(reverse("dashboard:survey_create"), survey_form(world, county="")).status_code == 403
    assert (
        client.post(
            reverse("dashboard:survey_create"), survey_form(world, county=world.other_county.pk)
        ).status_code
        == 200
    )
    assert SurveyResult.objects.count() == 1
    assert (
        client.post(
            reverse("dashboard:survey_create"), survey_form(world, share="120", reason="x")
        ).status_code
        == 200
    )
    assert (
        client_for(world.township_staff)
        .post(reverse("dashboard:survey_create"), survey_form(world))
        .status_code
        == 403
    )

    update = client.post(
        reverse("dashboard:survey_update", args=[survey.pk]), survey_form(world, share="45.5")
    )
    assert update.status_code == 302
    survey.refresh_from_db()
    assert survey.share == Decimal("45.50")
    assert (
        client_for(world.other_county_admin)
        .get(reverse("dashboard:survey_update", args=[survey.pk]))
        .status_code
        == 404
    )
    assert (
        "党建责任不清"
        not in client_for(world.other_county_admin).get(reverse("dashboard:survey_list")).content.decode()
    )
    client.post(reverse("dashboard:survey_update", args=[survey.pk]), {"delete": "1"})
    assert not SurveyResult.objects.exists()


def test_city_admin_records_city_wide_surveys(world):
    response = client_for(world.city_admin).post(
        reverse("dashboard:survey_create"), survey_form(world, county="")
    )
    assert response.status_code == 302
    assert SurveyResult.objects.get().county is None


@pytest.fixture
def published(world, data):
    """红旗村 with two residents in the morality bank, published by the township's staff."""
    bank.default_catalogue_ensure(actor=SYSTEM)
    bank.resident_create(actor=SYSTEM, village=world.village, name="张德明", id_number=ID_NUMBER)
    client_for(world.township_staff).post(
        reverse("dashboard:public_page_switch", args=[world.village.pk]), {"enabled": "1"}
    )
    return world.village


def test_public_page_is_opt_in_shows_no_personal_data_and_is_cached(world, data, published):
    page = PublicVillagePage.objects.get(village=world.village)
    assert page.enabled and page.enabled_by == world.township_staff

    anonymous = client_for()
    url = reverse("dashboard:public_village", args=[world.village.code])
    response = anonymous.get(url)
    assert response.status_code == 200
    content = response.content.decode()
    assert "张德明" in content and ID_NUMBER not in content and "5119031980" not in content
    assert "红旗村茶叶基地" in content and ">37<" in content  # the project and its households
    assert "65,000" in content  # the collective income of the year
    assert "people_benefiting" not in content

    with CaptureQueriesContext(connection) as queries:
        assert anonymous.get(url).status_code == 200
    assert len(queries) == 1  # only "is it still published?"; the rest comes from the cache

    # Not opted in, withdrawn, or unknown: 404, at once.
    assert anonymous.get(reverse("dashboard:public_village", args=[world.village2.code])).status_code == 404
    services.public_page_set(actor=world.county_admin, village=world.village, enabled=False)
    assert anonymous.get(url).status_code == 404
    assert anonymous.get(reverse("dashboard:public_village", args=["000000000000"])).status_code == 404


def test_village_page_shows_the_qr_code_and_the_switch_to_staff_only(world, published):
    staff = client_for(world.township_staff)
    detail = staff.get(reverse("villages:village_detail", args=[world.village.pk])).content.decode()
    assert reverse("dashboard:public_page_qr", args=[world.village.pk]) in detail
    assert "Withdraw the public page" in detail
    qr = staff.get(reverse("dashboard:public_page_qr", args=[world.village.pk]))
    assert qr.status_code == 200 and qr["Content-Type"].startswith("image/svg+xml") and b"<svg" in qr.content

    clerk = client_for(world.village_clerk)
    assert (
        "Withdraw the public page"
        not in clerk.get(reverse("villages:village_detail", args=[world.village.pk])).content.decode()
    )
    refused = clerk.post(reverse("dashboard:public_page_switch", args=[world.village.pk]), {"enabled": "0"})
    assert refused.status_code == 403
    outside = client_for(world.other_township_staff).post(
        reverse("dashboard:public_page_switch", args=[world.village.pk]), {"enabled": "0"}
    )
    assert outside.status_code == 404
    assert PublicVillagePage.objects.get(village=world.village).enabled
