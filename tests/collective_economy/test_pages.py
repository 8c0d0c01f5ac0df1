"""Server-rendered pages of the collective economy, through the HTTP client."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from apps.collective_economy import services
from apps.collective_economy.models import Income, Project
from apps.core.actors import SYSTEM

from .conftest import YEAR

pytestmark = pytest.mark.django_db


def logged_in(client, user, language="en"):
    client.force_login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    return client


@pytest.fixture
def records(world, add_income):
    income = add_income(operating="40000", resource="10000")
    add_income(year=YEAR - 1, operating="30000")
    fund = services.support_fund_create(
        actor=SYSTEM,
        village=world.village,
        year=2020,
        amount=Decimal("20000"),
        source="county",
        use="扶持基金",
    )
    pairing = services.pairing_create(
        actor=SYSTEM, village=world.village, unit_name="恩阳区财政局", start_year=2023
    )
    project = services.project_create(
        actor=SYSTEM,
        village=world.village,
        name="红旗村茶叶基地",
        start_year=2019,
        funds_total=Decimal("600000"),
        funds_demonstration=Decimal("60000"),
        households_benefiting=20,
        people_benefiting=66,
    )
    return {"income": income, "fund": fund, "pairing": pairing, "project": project}


PAGES = [
    "/collective-economy/",
    "/collective-economy/?year=2023&county={county}",
    "/collective-economy/incomes/",
    "/collective-economy/incomes/?year=2024&weak=true&bracket=50k_100k",
    "/collective-economy/incomes/new/",
    "/collective-economy/incomes/new/?village={village}&year=2025",
    "/collective-economy/incomes/{income}/",
    "/collective-economy/incomes/{income}/edit/",
    "/collective-economy/incomes/{income}/delete/",
    "/collective-economy/villages/{village}/",
    "/collective-economy/projects/",
    "/collective-economy/projects/new/",
    "/collective-economy/projects/{project}/",
    "/collective-economy/projects/{project}/edit/",
    "/collective-economy/support-funds/",
    "/collective-economy/support-funds/new/",
    "/collective-economy/support-funds/{fund}/",
    "/collective-economy/support-funds/{fund}/edit/",
    "/collective-economy/pairings/",
    "/collective-economy/pairings/new/",
    "/collective-economy/pairings/{pairing}/",
    "/collective-economy/modes/",
    "/history/collective_economy/income/{income}/",
    "/history/collective_economy/project/{project}/",
]


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_pages_render_for_township_staff(client, world, records, path, language):
    client = logged_in(client, world.township_staff, language)
    url = path.format(
        county=world.county.pk,
        village=world.village.pk,
        income=records["income"].pk,
        project=records["project"].pk,
        fund=records["fund"].pk,
        pairing=records["pairing"].pk,
    )
    response = client.get(url)
    assert response.status_code == 200
    assert f'<html lang="{language}">' in response.content.decode()


def test_navigation_lists_the_app(client, world):
    html = logged_in(client, world.village_clerk).get("/").content.decode()
    assert 'href="/collective-economy/"' in html


def test_records_outside_the_region_are_not_found(client, world, add_income):
    income = add_income(village=world.far_village, operating="1")
    client = logged_in(client, world.township_staff)
    for url in (
        f"/collective-economy/incomes/{income.pk}/",
        f"/collective-economy/incomes/{income.pk}/edit/",
        f"/collective-economy/villages/{world.far_village.pk}/",
        f"/history/collective_economy/income/{income.pk}/",
        f"/collective-economy/?county={world.other_county.pk}",
    ):
        response = client.get(url)
        assert response.status_code == (200 if "?county" in url else 404), url
    # An out-of-region county in the overview filter is ignored, showing the user's own figures only.
    html = client.get(f"/collective-economy/?county={world.other_county.pk}&year={YEAR}").content.decode()
    assert 'data-figure="reported">0<' in html


def test_village_clerks_read_but_get_no_forms(client, world, records):
    client = logged_in(client, world.village_clerk)
    assert client.get(f"/collective-economy/villages/{world.village.pk}/").status_code == 200
    assert client.get("/collective-economy/incomes/new/").status_code == 403
    assert client.get(f"/collective-economy/incomes/{records['income'].pk}/edit/").status_code == 403
    response = client.post(f"/collective-economy/incomes/{records['income'].pk}/delete/")
    assert response.status_code == 403
    assert Income.objects.count() == 2


def income_data(village, **overrides):
    data = {
        "village": village.pk,
        "year": 2025,
        "operating": "10000",
        "resource": "2500.50",
        "investment": "",
        "subsidy": "0",
        "other": "0",
        "economy_type": "farming",
        "development_mode": "",
        "note": "",
    }
    return {**data, **overrides}


def test_entry_form_creates_a_record(client, world):
    client = logged_in(client, world.township_staff)
    response = client.post("/collective-economy/incomes/new/", income_data(world.village))
    assert response.status_code == 302
    income = Income.objects.get()
    assert (income.year, income.total, income.bracket) == (2025, Decimal("12500.50"), "10k_50k")
    assert income.investment == Decimal("0")  # left empty
    assert response["Location"] == f"/collective-economy/villages/{world.village.pk}/"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"operating": "-1"}, "Ensure this value is greater than or equal to 0."),
        ({"operating": "10.001"}, "Ensure that there are no more than 2 decimal places."),
        ({"resource": "一万"}, "Enter a number."),
        ({"year": "2013"}, "Records start in 2014; 2013 is too early."),
        ({"year": "2999"}, "2999 is in the future."),
    ],
)
def test_entry_form_shows_errors_and_saves_nothing(client, world, overrides, message):
    client = logged_in(client, world.township_staff)
    response = client.post("/collective-economy/incomes/new/", income_data(world.village, **overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Income.objects.exists()


def test_entry_form_refuses_a_second_record(client, world, add_income):
    add_income(year=2025, operating="1")
    client = logged_in(client, world.township_staff)
    response = client.post("/collective-economy/incomes/new/", income_data(world.village))
    assert "already has a collective income record for 2025" in response.content.decode()
    assert Income.objects.get().total == Decimal("1.00")


def test_entry_form_offers_the_live_preview_with_the_database_bounds(client, world):
    html = logged_in(client, world.township_staff).get("/collective-economy/incomes/new/").content.decode()
    assert "data-income-form" in html
    assert 'id="live-total"' in html and 'id="live-bracket"' in html
    assert '"lower_cents": 50000000' in html and '"code": "gte_500k"' in html
    assert "collective_economy/income_form.js" in html
    # Amounts are text inputs, so the browser never rounds what the server should judge.
    assert 'name="operating" inputmode="decimal"' in html or 'inputmode="decimal"' in html


def test_edit_and_history_record_who_changed_what(client, world, records):
    income = records["income"]
    client = logged_in(client, world.township_staff)
    response = client.post(
        f"/collective-economy/incomes/{income.pk}/edit/",
        {**income_data(world.village, year=YEAR, operating="60000", resource="10000"), "village": ""},
    )
    assert response.status_code == 302
    income.refresh_from_db()
    assert (income.total, income.bracket) == (Decimal("70000.00"), "50k_100k")
    html = client.get(f"/history/collective_economy/income/{income.pk}/").content.decode()
    assert "township_staff" in html
    assert "40000" in html and "60000" in html and "70000" in html  # operating and the generated total


def test_delete_asks_then_deletes(client, world, records):
    client = logged_in(client, world.township_staff)
    url = f"/collective-economy/projects/{records['project'].pk}/delete/"
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302
    assert not Project.objects.exists()


def test_overview_figures_and_tables(client, world, records, add_income):
    add_income(village=world.other_village, operating="600000")
    html = logged_in(client, world.county_admin).get(f"/collective-economy/?year={YEAR}").content.decode()
    assert 'data-figure="reported">2<' in html
    assert 'data-figure="total">650,000.00<' in html
    assert 'data-bracket="gte_500k">1<' in html
    assert 'id="ce-charts"' in html and "vendor/echarts/echarts.min.js" in html
    assert "登科街道" in html and "柳林镇" in html  # the township table


def test_income_table_and_export(client, world, records, add_income):
    add_income(village=world.village2, operating="3000")
    client = logged_in(client, world.township_staff)
    html = client.get(f"/collective-economy/incomes/?year={YEAR}&sort=-total").content.decode()
    assert html.index("红旗村") < html.index("白鹤村")
    assert "+66.7%" in html  # 红旗村: 30,000 → 50,000
    response = client.get(f"/collective-economy/incomes/export.xlsx?year={YEAR}&weak=true")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert [row[0] for row in rows[1:]] == [world.village2.code]  # 红旗村's 50,000 is at the line, not below
    assert all(cell.data_type == "s" for cell in sheet["A"][1:]), "village codes must be text cells"


def test_htmx_requests_get_the_results_only(client, world, records):
    client = logged_in(client, world.township_staff)
    response = client.get("/collective-economy/projects/?search=茶叶", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html and "红旗村茶叶基地" in html


def test_project_form_and_detail(client, world, mode):
    client = logged_in(client, world.township_staff)
    data = {
        "village": world.village.pk,
        "name": "白鹤村民宿",
        "mode": mode["cross_village"].pk,
        "start_year": 2022,
        "status": "ongoing",
        "funds_total": "300000",
        "funds_demonstration": "30000",
        "funds_agricultural": "",
        "funds_department": "",
        "funds_social": "400000",
        "households_benefiting": 10,
        "people_benefiting": 30,
        "poor_party_members_lifted": 1,
        "note": "",
    }
    response = client.post("/collective-economy/projects/new/", data)
    assert "The funds by source add up to more than the total funds." in response.content.decode()
    response = client.post("/collective-economy/projects/new/", {**data, "funds_social": "100000"})
    assert response.status_code == 302
    project = Project.objects.get()
    html = client.get(f"/collective-economy/projects/{project.pk}/").content.decode()
    assert "170,000.00" in html  # other sources
    assert "强村+弱村跨村合办" in html


def test_city_admins_keep_the_mode_list(client, world):
    assert logged_in(client, world.county_admin).get("/collective-economy/modes/new/").status_code == 403
    client = logged_in(client, world.city_admin)
    response = client.post(
        "/collective-economy/modes/new/",
        {
            "code": "park",
            "name": "园区带动",
            "kind": "village",
            "description": "",
            "is_active": "on",
            "position": 20,
        },
    )
    assert response.status_code == 302
    assert "园区带动" in client.get("/collective-economy/modes/").content.decode()
