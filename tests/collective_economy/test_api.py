"""The collective-economy API: contract fields, bracket boundaries, bad input, scope and filters."""

from decimal import Decimal

import pytest
from django.utils import timezone

from apps.collective_economy import services
from apps.collective_economy.models import Income, Pairing, Project, SupportFund
from apps.core.actors import SYSTEM

from .conftest import YEAR
from .test_services import BOUNDARIES

pytestmark = pytest.mark.django_db

INCOMES = "/api/v1/collective-incomes/"
PROJECTS = "/api/v1/collective-projects/"
FUNDS = "/api/v1/collective-support-funds/"
PAIRINGS = "/api/v1/collective-pairings/"
MODES = "/api/v1/collective-development-modes/"


def post_income(client, village, **fields):
    return client.post(INCOMES, {"village": village.pk, "year": YEAR, **fields}, format="json")


@pytest.mark.parametrize(("amount", "bracket"), BOUNDARIES)
def test_bracket_boundaries_through_the_api(world, api, amount, bracket):
    response = post_income(api(world.township_staff), world.village, resource=amount)

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["bracket"] == bracket
    assert body["total"] == f"{Decimal(amount):.2f}"
    assert api(world.township_staff).get(f"{INCOMES}?bracket={bracket}").json()["count"] == 1


def test_contract_fields_and_money_as_two_place_strings(world, api, mode):
    client = api(world.township_staff)
    response = post_income(
        client,
        world.village,
        operating="1000.5",
        resource="2000",
        investment=300.25,
        subsidy="50",
        other="0.25",
        economy_type="farming",
        development_mode="village_enterprise",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert {
        "id",
        "village",
        "year",
        "operating",
        "resource",
        "investment",
        "subsidy",
        "other",
        "total",
        "per_capita",
        "bracket",
    } <= set(body)
    assert body["operating"] == "1000.50"
    assert body["investment"] == "300.25"
    assert body["total"] == "3351.00"
    assert body["per_capita"] == "2.79"
    assert body["bracket"] == "lt_10k"
    assert body["development_mode"] == "village_enterprise"
    assert (body["county"], body["township"], body["village_name"]) == (
        world.county.pk,
        world.township.pk,
        "红旗村",
    )
    assert client.get(f"{INCOMES}{body['id']}/").json() == body


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        ({"operating": "-1"}, "operating", "Ensure this value is greater than or equal to 0."),
        ({"operating": -0.01}, "operating", "Ensure this value is greater than or equal to 0."),
        ({"resource": "abc"}, "resource", "A valid number is required."),
        ({"resource": ""}, "resource", "A valid number is required."),
        ({"subsidy": "12.345"}, "subsidy", "Ensure that there are no more than 2 decimal places."),
        ({"subsidy": 12.345}, "subsidy", "Ensure that there are no more than 2 decimal places."),
        ({"other": "1e-3"}, "other", "Ensure that there are no more than 2 decimal places."),
        ({"operating": None}, "operating", "This field may not be null."),
        ({"year": "二〇二四"}, "year", "A valid integer is required."),
    ],
)
def test_bad_input_is_a_field_error_and_saves_nothing(world, api, payload, field, message):
    response = post_income(api(world.township_staff, language="en"), world.village, **payload)
    assert response.status_code == 400
    assert message in response.json()[field]
    assert not Income.objects.exists()


def test_second_record_future_and_too_early_years(world, api, add_income):
    client = api(world.township_staff, language="en")
    add_income(operating="1")
    response = post_income(client, world.village, operating="2")
    assert response.status_code == 400
    assert response.json() == {"year": ["Village 红旗村 already has a collective income record for 2024."]}

    next_year = timezone.localdate().year + 1
    response = post_income(client, world.village2, year=next_year)
    assert response.status_code == 400
    assert response.json() == {"year": [f"{next_year} is in the future."]}
    response = post_income(client, world.village2, year=2000)
    assert response.json() == {"year": ["Records start in 2014; 2000 is too early."]}
    assert Income.objects.count() == 1


def test_computed_fields_are_ignored_and_unknown_fields_refused(world, api):
    client = api(world.township_staff, language="en")
    response = post_income(client, world.village, operating="1", total="9999", bracket="gte_500k")
    assert response.status_code == 201
    assert (response.json()["total"], response.json()["bracket"]) == ("1.00", "lt_10k")
    Income.objects.all().delete()
    response = post_income(client, world.village, operatng="1")
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Unknown fields: operatng."]}
    assert not Income.objects.exists()


def test_messages_follow_accept_language(world, api):
    en = post_income(api(world.township_staff, language="en"), world.village, operating="-1").json()
    zh = post_income(api(world.township_staff, language="zh-hans"), world.village, operating="-1").json()
    assert en["operating"] == ["Ensure this value is greater than or equal to 0."]
    assert zh["operating"] != en["operating"]


def test_patch_and_put_recompute_total_and_bracket(world, api, add_income):
    income = add_income(operating="9999.99")
    client = api(world.township_staff)
    response = client.patch(f"{INCOMES}{income.pk}/", {"other": "0.01"}, format="json")
    assert response.status_code == 200
    assert (response.json()["total"], response.json()["bracket"]) == ("10000.00", "10k_50k")
    amounts = {"operating": "500000", "resource": "0", "investment": "0", "subsidy": "0", "other": "0"}
    response = client.put(
        f"{INCOMES}{income.pk}/", {"village": world.village.pk, "year": YEAR, **amounts}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert (response.json()["total"], response.json()["bracket"]) == ("500000.00", "gte_500k")
    assert Income.objects.get().other == Decimal("0.00")


def test_a_record_does_not_move_to_another_village(world, api, add_income):
    income = add_income(operating="1")
    response = api(world.township_staff, language="en").patch(
        f"{INCOMES}{income.pk}/", {"village": world.village2.pk}, format="json"
    )
    assert response.status_code == 400
    assert "village" in response.json()
    assert Income.objects.get().village == world.village


def test_delete(world, api, add_income):
    income = add_income(operating="1")
    assert api(world.township_staff).delete(f"{INCOMES}{income.pk}/").status_code == 204
    assert not Income.objects.exists()


# Scope


def test_each_user_sees_their_region_only(world, api, add_income):
    for village in (world.village, world.village2, world.other_village, world.far_village):
        add_income(village=village, operating="100")

    def villages(user):
        return sorted(row["village"] for row in api(user).get(INCOMES).json()["results"])

    assert villages(world.township_staff) == sorted([world.village.pk, world.village2.pk])
    assert villages(world.village_clerk) == [world.village.pk]
    assert len(villages(world.county_admin)) == 3
    assert len(villages(world.city_admin)) == 4
    assert villages(world.other_county_admin) == [world.far_village.pk]


@pytest.mark.parametrize("method", ["get", "put", "patch", "delete"])
def test_records_outside_the_region_are_not_found(world, api, add_income, method):
    income = add_income(village=world.other_village, operating="100")
    response = getattr(api(world.township_staff), method)(
        f"{INCOMES}{income.pk}/", {"operating": "1"}, format="json"
    )
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert Income.objects.get().operating == Decimal("100.00")


def test_creating_for_a_village_outside_the_region_is_a_field_error(world, api):
    response = post_income(api(world.township_staff), world.other_village, operating="1")
    assert response.status_code == 400
    assert "village" in response.json()
    assert not Income.objects.exists()


def test_village_clerks_read_but_do_not_write(world, api, add_income):
    income = add_income(operating="1")
    client = api(world.village_clerk)
    assert client.get(f"{INCOMES}{income.pk}/").status_code == 200
    assert client.patch(f"{INCOMES}{income.pk}/", {"operating": "2"}, format="json").status_code == 403
    assert post_income(client, world.village, year=2023).status_code == 403
    assert Income.objects.count() == 1


def test_anonymous_is_401(client, world):
    assert client.get(INCOMES).status_code == 401


# Filters


def test_filters(world, api, add_income):
    add_income(village=world.village, operating="40000")
    add_income(village=world.village2, operating="150000")
    add_income(village=world.other_village, operating="90000")
    add_income(village=world.village, year=2023, operating="1000")
    services.pairing_create(
        actor=SYSTEM, village=world.other_village, unit_name="恩阳区财政局", start_year=2024
    )
    client = api(world.county_admin)

    def names(query):
        return sorted(row["village_name"] for row in client.get(f"{INCOMES}?{query}").json()["results"])

    assert names("year=2024") == ["柳林村", "白鹤村", "红旗村"]
    assert names(f"township={world.township.pk}&year=2024") == ["白鹤村", "红旗村"]
    assert names(f"village={world.village.pk}") == ["红旗村", "红旗村"]
    assert names("bracket=50k_100k") == ["柳林村"]
    assert names("search=红旗&year=2023") == ["红旗村"]
    assert names("year=2024&weak=true") == ["红旗村"]  # below 50,000
    assert names("year=2024&weak=false") == ["柳林村", "白鹤村"]
    assert names("year=2024&unpaired=true") == ["红旗村"]  # 柳林村 is paired
    assert names("year=2024&meets_target=false") == ["柳林村", "白鹤村", "红旗村"]
    assert names(f"county={world.other_county.pk}") == []


# Projects, funds, pairings, modes


def test_projects_contract(world, api, mode):
    client = api(world.township_staff, language="en")
    payload = {
        "village": world.village.pk,
        "name": "红旗村茶叶基地",
        "mode": "cooperative_led",
        "start_year": 2018,
        "funds_total": "600000",
        "funds_demonstration": "100000",
        "funds_agricultural": "300000.50",
        "households_benefiting": 40,
        "people_benefiting": 130,
        "poor_party_members_lifted": 3,
        "status": "completed",
    }
    response = client.post(PROJECTS, payload, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["funds_total"] == "600000.00"
    assert body["funds_other"] == "199999.50"
    assert body["mode"] == "cooperative_led"
    assert {
        "id",
        "village",
        "name",
        "mode",
        "start_year",
        "funds_total",
        "households_benefiting",
        "people_benefiting",
        "status",
    } <= set(body)

    response = client.post(PROJECTS, {**payload, "name": "另一个", "funds_social": "200000"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"funds_total": ["The funds by source add up to more than the total funds."]}
    response = client.post(PROJECTS, {**payload, "name": "另一个", "mode": "cluster"}, format="json")
    assert response.status_code == 400 and "mode" in response.json()
    response = client.post(PROJECTS, {**payload, "name": "另一个", "funds_total": "1.001"}, format="json")
    assert response.status_code == 400 and "funds_total" in response.json()
    assert Project.objects.count() == 1
    assert client.get(f"{PROJECTS}?year=2018&mode=cooperative_led&status=completed").json()["count"] == 1
    assert client.get(f"{PROJECTS}?year=2019").json()["count"] == 0


def test_support_funds_and_pairings(world, api):
    client = api(world.township_staff, language="en")
    response = client.post(
        FUNDS,
        {
            "village": world.village.pk,
            "year": 2020,
            "amount": "20000",
            "source": "county",
            "use": "发展集体经济",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["amount"] == "20000.00"
    response = client.post(
        FUNDS,
        {"village": world.village.pk, "year": 2020, "amount": "0", "source": "county", "use": "x"},
        format="json",
    )
    assert response.status_code == 400 and "amount" in response.json()
    assert SupportFund.objects.count() == 1

    response = client.post(
        PAIRINGS,
        {
            "village": world.village.pk,
            "unit_name": "恩阳区财政局",
            "unit_type": "party_gov",
            "start_year": 2023,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    response = client.post(
        PAIRINGS,
        {"village": world.village.pk, "unit_name": "巴中市国资公司", "start_year": 2023, "end_year": 2021},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"end_year": ["The end year cannot be before the start year."]}
    assert client.get(f"{PAIRINGS}?year=2024").json()["count"] == 1
    assert client.get(f"{PAIRINGS}?year=2022").json()["count"] == 0
    assert Pairing.objects.count() == 1


def test_mode_list_is_read_by_all_and_kept_by_city_admins(world, api):
    response = api(world.village_clerk).get(f"{MODES}?kind=project")
    assert response.status_code == 200
    assert len(response.json()) == 6
    payload = {"code": "park", "name": "园区带动", "kind": "village"}
    assert api(world.county_admin).post(MODES, payload, format="json").status_code == 403
    response = api(world.city_admin).post(MODES, payload, format="json")
    assert response.status_code == 201, response.json()
    response = api(world.city_admin, language="en").post(MODES, payload, format="json")
    assert response.status_code == 400 and "code" in response.json()


def test_the_list_takes_the_same_queries_for_few_and_many_records(world, api, add_income, mode):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = api(world.county_admin)

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(INCOMES).status_code == 200
        return len(captured)

    add_income(village=world.village, operating="1")
    few = count()
    for year in range(2015, 2024):
        for village in (world.village, world.village2, world.other_village):
            services.income_create(
                actor=SYSTEM, village=village, year=year, development_mode=mode["cluster"], other=Decimal("2")
            )
    assert count() == few
