"""Pages: the county matrix, a period with its actions, the quarterly bulletin (.xlsx too)."""

import io

import openpyxl
import pytest

from apps.core.actors import SYSTEM
from apps.core.models import ReportingPeriod
from apps.core.periods import Month
from apps.core.reporting import services
from tests.conftest import PASSWORD
from tests.exports import sheet_rows


@pytest.fixture
def login(client):
    def as_user(user):
        client.login(username=user.username, password=PASSWORD)
        return client

    return as_user


def test_the_matrix_shows_townships_by_month(world, login):
    period = services.period_open(actor=SYSTEM, township=world.township, period=Month(2025, 3))
    services.period_submit(actor=world.township_staff, period=period, gaps_reason="x")
    page = login(world.county_admin).get("/periods/", {"county": world.county.pk, "year": 2025})
    assert page.status_code == 200
    html = page.content.decode()
    assert "登科街道" in html and "柳林镇" in html and "江北街道" not in html
    assert 'data-status="submitted"' in html
    rows = page.context["rows"]
    assert rows[0].cells[2].status == "submitted" and rows[1].cells[2].status == "open"


def test_the_matrix_exports_one_row_per_township_and_past_month_in_scope(world, login):
    period = services.period_open(actor=SYSTEM, township=world.township, period=Month(2025, 3))
    services.period_submit(actor=world.township_staff, period=period, gaps_reason="x")
    client = login(world.county_admin)
    page = client.get("/periods/", {"county": world.county.pk, "year": 2025})
    assert f"/periods/export.xlsx?county={world.county.pk}&amp;year=2025" in page.content.decode()

    response = client.get("/periods/export.xlsx", {"county": world.county.pk, "year": 2025})
    rows = sheet_rows(response)[1:]
    assert {row[0] for row in rows} == {"登科街道", "柳林镇"}  # not 巴州区's 江北街道
    assert len(rows) == 2 * 12
    march = next(row for row in rows if row[0] == "登科街道" and row[1] == "2025-03")
    assert march[2] == "已报送"  # submitted, in the default language
    # Another county's matrix is not the caller's: the export falls back to the caller's own county.
    other = client.get("/periods/export.xlsx", {"county": world.other_county.pk, "year": 2025})
    assert {row[0] for row in sheet_rows(other)[1:]} == {"登科街道", "柳林镇"}


def test_a_cell_opens_its_period_and_the_township_submits_from_the_page(world, login):
    client = login(world.township_staff)
    response = client.get(f"/periods/open/{world.township.pk}/2025-03/")
    period = ReportingPeriod.objects.get(township=world.township, start="2025-03-01")
    assert response.status_code == 302 and response.url == f"/periods/{period.pk}/"
    response = client.post(f"/periods/{period.pk}/", {"action": "submit", "gaps_reason": ""})
    assert response.status_code == 302
    period.refresh_from_db()
    assert period.status == "submitted"
    assert client.get(f"/periods/open/{world.far_township.pk}/2025-03/").status_code == 404


def test_approving_ones_own_submission_is_403_and_return_needs_a_reason(world, login):
    from apps.accounts.services import user_create

    boss = user_create(
        actor=SYSTEM, username="boss", password=PASSWORD, role="county_admin", region=world.county
    )
    period = services.period_open(actor=SYSTEM, township=world.township, period=Month(2025, 3))
    ReportingPeriod.objects.filter(pk=period.pk).update(status="submitted", submitted_by=boss)
    client = login(boss)
    assert client.post(f"/periods/{period.pk}/", {"action": "approve"}).status_code == 403
    response = client.post(f"/periods/{period.pk}/", {"action": "return", "return-reason": ""})
    assert response.status_code == 200 and response.context["forms"]["return"].errors
    period.refresh_from_db()
    assert period.status == "submitted"


def test_the_bulletin_page_and_workbook(world, login, draft):
    from apps.rankings.services import ranking_publish

    ranking_publish(actor=world.county_admin, ranking=draft({"甲队": 90, "乙队": 50}, period="2025-02"))
    ranking_publish(actor=world.county_admin, ranking=draft({"甲队": 90, "乙队": 50}, period="2025-04"))
    period = services.period_open(actor=SYSTEM, township=world.township, period=Month(2025, 1))
    services.period_submit(actor=world.township_staff, period=period, gaps_reason="x")
    client = login(world.county_admin)
    page = client.get("/periods/bulletin/", {"county": world.county.pk, "quarter": "2025Q1"})
    assert page.status_code == 200
    lines = page.context["data"]["lines"]
    assert [line["township"].name for line in lines] == ["登科街道", "柳林镇"]
    assert lines[0]["months"][0]["status"] == "submitted"
    workbook = client.get(
        "/periods/bulletin/", {"county": world.county.pk, "quarter": "2025Q1", "format": "xlsx"}
    )
    sheet = openpyxl.load_workbook(io.BytesIO(workbook.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == "登科街道" and rows[1][1] == "submitted" and rows[2][0] == "柳林镇"
    # With two teams both are in the bottom three; April's ranking belongs to the next quarter.
    assert [(e.subject_name, e.ranking.period) for e in page.context["data"]["escalations"]] == [
        ("乙队", "2025-02"),
        ("甲队", "2025-02"),
    ]
    escalations = openpyxl.load_workbook(io.BytesIO(workbook.content)).worksheets[1]
    assert [row[:3] for row in escalations.iter_rows(min_row=2, values_only=True)] == [
        ("2025-02", "驻村工作队", "乙队"),
        ("2025-02", "驻村工作队", "甲队"),
    ]


def test_the_county_row_leads_the_city_to_the_county_period(world, login):
    client = login(world.city_admin)
    page = client.get("/periods/", {"county": world.county.pk, "year": 2025})
    assert len(page.context["county_cells"]) == 12
    response = client.get(f"/periods/open-county/{world.county.pk}/2025-03/")
    period = ReportingPeriod.objects.get(county=world.county, township__isnull=True, start="2025-03-01")
    assert response.url == f"/periods/{period.pk}/"
    assert login(world.township_staff).get("/periods/").context["county_cells"] == []


def test_each_role_sees_only_its_actions(world, login, client):
    period = services.period_open(actor=SYSTEM, township=world.township, period=Month(2025, 3))
    assert 'value="submit"' in login(world.township_staff).get(f"/periods/{period.pk}/").content.decode()
    client.logout()
    admin_page = login(world.county_admin).get(f"/periods/{period.pk}/").content.decode()
    assert 'value="submit"' not in admin_page
    services.period_submit(actor=world.township_staff, period=period, gaps_reason="x")
    assert 'value="approve"' in login(world.county_admin).get(f"/periods/{period.pk}/").content.decode()
    client.logout()
    assert 'value="approve"' not in login(world.township_staff).get(f"/periods/{period.pk}/").content.decode()
