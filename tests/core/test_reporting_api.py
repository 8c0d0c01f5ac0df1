"""``/api/v1/periods/``: list (lazy rows, filters, scope), open, submit, approve, return, reopen; JSON errors."""

import pytest

from apps.core.actors import SYSTEM
from apps.core.models import ReportingPeriod
from apps.core.periods import Month
from apps.core.reporting import services

URL = "/api/v1/periods/"
MARCH = Month(2025, 3)


def test_listing_a_period_creates_the_rows_of_the_region(world, api):
    response = api(world.county_admin).get(URL, {"period": "2025-03"})
    assert response.status_code == 200
    body = response.json()
    assert {"count", "next", "previous", "results"} <= set(body)
    rows = {(r["township"], r["kind"], r["period"], r["status"]) for r in body["results"]}
    assert rows == {
        (world.township.pk, "month", "2025-03", "open"),
        (world.other_township.pk, "month", "2025-03", "open"),
        (None, "month", "2025-03", "open"),
    }
    assert not ReportingPeriod.objects.filter(township=world.far_township).exists()


def test_township_staff_see_only_their_township(world, api):
    body = api(world.township_staff).get(URL, {"period": "2025-03"}).json()
    assert [r["township"] for r in body["results"]] == [world.township.pk]
    other = services.period_open(actor=SYSTEM, township=world.other_township, period=MARCH)
    assert api(world.township_staff).get(f"{URL}{other.pk}/").status_code == 404


def test_filters(world, api):
    client = api(world.county_admin)
    client.get(URL, {"period": "2025-03"})
    client.get(URL, {"period": "2025"})
    assert client.get(URL, {"year": 2025, "kind": "year", "level": "township"}).json()["count"] == 2
    assert client.get(URL, {"township": world.township.pk, "year": 2025}).json()["count"] == 2
    assert client.get(URL, {"county": world.county.pk, "level": "county"}).json()["count"] == 2
    bad = client.get(URL, {"period": "2025-13"})
    assert bad.status_code == 400 and "period" in bad.json()


def test_the_whole_cycle_through_the_api(world, api):
    staff, admin = api(world.township_staff, "en"), api(world.county_admin, "en")
    opened = staff.post(URL, {"township": world.township.pk, "period": "2025-03"}, format="json")
    assert opened.status_code == 201
    again = staff.post(URL, {"township": world.township.pk, "period": "2025-03"}, format="json")
    assert again.status_code == 200 and again.json()["id"] == opened.json()["id"]
    pk = opened.json()["id"]

    submitted = staff.post(f"{URL}{pk}/submit/", {"gaps_reason": ""}, format="json")
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"

    assert staff.post(f"{URL}{pk}/approve/").status_code == 403
    returned = admin.post(f"{URL}{pk}/return/", {"reason": ""}, format="json")
    assert returned.status_code == 400 and "reason" in returned.json()
    returned = admin.post(f"{URL}{pk}/return/", {"reason": "重报"}, format="json")
    assert returned.json()["status"] == "returned" and returned.json()["returned_reason"] == "重报"

    staff.post(f"{URL}{pk}/submit/", {}, format="json")
    approved = admin.post(f"{URL}{pk}/approve/")
    assert approved.status_code == 200
    assert approved.json()["status"] == "approved" and approved.json()["approved_by"] == "county_admin"

    reopened = admin.post(f"{URL}{pk}/reopen/", {"reason": "补录"}, format="json")
    assert reopened.json()["status"] == "open"


def test_gaps_without_a_reason_answer_400_listing_them(world, api):
    from apps.collective_economy import services as economy  # noqa: F401

    client = api(world.township_staff, "en")
    pk = client.post(URL, {"township": world.township.pk, "period": "2025"}, format="json").json()["id"]
    response = client.post(f"{URL}{pk}/submit/", {}, format="json")
    assert response.status_code == 400
    assert "No collective income" in response.json()["gaps_reason"][0]
    assert ReportingPeriod.objects.get(pk=pk).status == "open"


def test_unknown_fields_and_other_regions_are_refused(world, api):
    client = api(world.township_staff, "en")
    response = client.post(URL, {"township": world.far_township.pk, "period": "2025-03"}, format="json")
    assert response.status_code == 400 and "township" in response.json()
    response = client.post(URL, {"township": world.township.pk, "period": "2025-03", "x": 1}, format="json")
    assert response.status_code == 400 and "non_field_errors" in response.json()
    response = client.post(URL, {"period": "2025-03"}, format="json")
    assert response.status_code == 400


def test_a_locked_period_refuses_writes_through_the_api(world, api):
    from apps.collective_economy import services as economy
    from apps.core.periods import Year

    income = economy.income_create(actor=SYSTEM, village=world.village, year=2025)
    period = services.period_open(actor=SYSTEM, township=world.township, period=Year(2025))
    period = services.period_submit(actor=world.township_staff, period=period, gaps_reason="x")
    services.period_approve(actor=world.county_admin, period=period)
    client = api(world.township_staff, "en")
    response = client.patch(f"/api/v1/collective-incomes/{income.pk}/", {"operating": "10.00"}, format="json")
    assert response.status_code == 400
    assert "is closed: approved by county_admin" in response.json()["non_field_errors"][0]
    income.refresh_from_db()
    assert income.operating == 0


def test_anonymous_is_401(client, db):
    assert client.get(URL).status_code == 401


@pytest.mark.parametrize("path", [URL, "/api/v1/notifications/"])
def test_schema_documents_the_endpoints(client, db, path):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    assert f"/api{path[4:]}" in schema["paths"] or path in schema["paths"]
