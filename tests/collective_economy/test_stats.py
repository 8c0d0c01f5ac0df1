"""Statistics: brackets, sources, lines met (dated, per county), pairing, and a fixed number of queries."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.collective_economy import selectors, services
from apps.collective_economy.models import Income
from apps.core.actors import SYSTEM
from apps.core.services import setting_set
from apps.villages import services as village_services

pytestmark = pytest.mark.django_db

STATS = "/api/v1/stats/collective-economy/"


@pytest.fixture
def incomes(world, add_income):
    """2024: 红旗村 3,000 (mostly resource), 白鹤村 60,000, 柳林村 350,000 (恩阳区); 江北村 0 (巴州区)."""
    add_income(village=world.village, year=2024, operating="500", resource="2500")
    add_income(village=world.village2, year=2024, operating="40000", subsidy="20000")
    add_income(village=world.other_village, year=2024, operating="300000", investment="50000")
    add_income(village=world.far_village, year=2024)
    add_income(village=world.village, year=2023, operating="1000")
    add_income(village=world.village2, year=2023, operating="50000")
    services.pairing_create(actor=SYSTEM, village=world.village2, unit_name="恩阳区财政局", start_year=2023)
    services.pairing_create(
        actor=SYSTEM, village=world.village, unit_name="恩阳区农业农村局", start_year=2020, end_year=2023
    )


def test_city_wide_figures(world, api, incomes):
    body = api(world.city_admin).get(f"{STATS}?year=2024").json()

    assert body["year"] == 2024
    assert body["villages"] == 4 and body["reported"] == 4 and body["not_reported"] == 0
    assert body["brackets"] == {
        "empty": 1,
        "lt_10k": 1,
        "10k_50k": 0,
        "50k_100k": 1,
        "100k_500k": 1,
        "gte_500k": 0,
    }
    assert body["total"] == "413000.00"
    assert body["median"] == "31500.00"  # the mean of 3,000 and 60,000
    assert body["average"] == "103250.00"
    assert body["previous_total"] == "51000.00"
    assert body["by_source"] == {
        "operating": "340500.00",
        "resource": "2500.00",
        "investment": "50000.00",
        "subsidy": "20000.00",
        "other": "0.00",
    }
    assert body["mostly_non_operating"] == 1  # 红旗村; 江北村 has no income at all
    assert body["lt_5k"] == 2 and body["gte_100k"] == 1
    assert body["weak_line"] == "50000.00"
    assert body["weak_villages"] == 2
    targets = {t["code"]: t for t in body["targets"]}
    assert targets["target_line"]["line"] == "300000.00"
    assert targets["target_line"]["villages_meeting"] == 1
    assert targets["pairing_line"]["villages_meeting"] == 1
    # 6 yuan per registered resident: 红旗村 3,000 / 1,200 = 2.5 fails, 江北村 fails, the others pass.
    assert targets["exit_per_capita"]["villages_meeting"] == 2
    # Under 100,000: 红旗村 (its pairing ended in 2023), 白鹤村 (paired), 江北村 (never paired).
    assert body["under_pairing_line"] == 3
    assert body["unpaired_under_pairing_line"] == 2


def test_growth_and_default_year(world, api, incomes):
    body = api(world.township_staff).get(STATS).json()
    assert body["year"] == 2024  # the latest year with records
    assert body["total"] == "63000.00" and body["previous_total"] == "51000.00"
    assert body["growth"] == "0.2353"


def test_region_parameters_and_scope(world, api, incomes):
    county = api(world.county_admin).get(f"{STATS}?year=2024&county={world.county.pk}").json()
    assert county["reported"] == 3
    assert county["county"] == world.county.pk
    township = api(world.county_admin).get(f"{STATS}?year=2024&township={world.other_township.pk}").json()
    assert township["reported"] == 1 and township["total"] == "350000.00"
    # Another county, or one that does not exist, is simply not found.
    assert api(world.county_admin).get(f"{STATS}?county={world.other_county.pk}").status_code == 404
    assert api(world.county_admin).get(f"{STATS}?county=999999").status_code == 404
    assert api(world.township_staff).get(f"{STATS}?township={world.other_township.pk}").status_code == 404
    # Without parameters a user sees their own region only.
    assert api(world.other_county_admin).get(f"{STATS}?year=2024").json()["reported"] == 1
    response = api(world.county_admin, language="en").get(f"{STATS}?year=abc")
    assert response.status_code == 400 and "year" in response.json()


def test_lines_are_dated_configuration_per_county(world, api, incomes):
    # From 2024 恩阳区 counts villages under 70,000 as weak and pairs villages under 400,000.
    for key, value in (("weak_line", "70000"), ("pairing_line", "400000")):
        setting_set(
            actor=SYSTEM,
            key=f"collective_economy.{key}",
            value=value,
            valid_from=datetime.date(2024, 1, 1),
            county=world.county,
        )
    setting_set(
        actor=SYSTEM,
        key="collective_economy.target_villages",
        value=42,
        valid_from=datetime.date(2024, 1, 1),
        county=world.county,
    )
    body = api(world.city_admin).get(f"{STATS}?year=2024").json()
    assert body["weak_villages"] == 3  # 红旗村 and 白鹤村 by 恩阳区's line, 江北村 by the default
    assert body["unpaired_under_pairing_line"] == 3  # now 柳林村 as well
    enyang = api(world.city_admin).get(f"{STATS}?year=2024&county={world.county.pk}").json()
    assert enyang["weak_line"] == "70000.00"
    assert {t["code"]: t["goal"] for t in enyang["targets"]}["target_line"] == 42
    # 2023's figures keep the lines of 2023.
    body_2023 = api(world.city_admin).get(f"{STATS}?year=2023&county={world.county.pk}").json()
    assert body_2023["weak_line"] == "50000.00"
    assert body_2023["weak_villages"] == 1  # 红旗村 1,000; 白鹤村 50,000 is at the line
    # The list filters use the same lines.
    names = [
        r["village_name"]
        for r in api(world.city_admin)
        .get("/api/v1/collective-incomes/?year=2024&weak=true")
        .json()["results"]
    ]
    assert sorted(names) == ["江北村", "白鹤村", "红旗村"]


def test_support_funds_and_projects(world, api, incomes):
    services.support_fund_create(
        actor=SYSTEM, village=world.village, year=2020, amount=Decimal("20000"), source="county", use="x"
    )
    services.support_fund_create(
        actor=SYSTEM, village=world.village2, year=2024, amount=Decimal("15000"), source="city", use="x"
    )
    services.project_create(
        actor=SYSTEM,
        village=world.village,
        name="茶园",
        start_year=2019,
        funds_total=Decimal("1000000"),
        funds_demonstration=Decimal("100000"),
        households_benefiting=10,
        people_benefiting=30,
        poor_party_members_lifted=1,
    )
    services.project_create(
        actor=SYSTEM,
        village=world.village2,
        name="民宿",
        start_year=2025,
        funds_total=Decimal("5"),
        status="planned",
    )
    body = api(world.county_admin).get(f"{STATS}?year=2024").json()
    assert body["support_funds"] == {"total": "35000.00", "minimum": "20000.00", "villages_below_minimum": 2}
    assert body["projects"]["count"] == 1
    assert body["projects"]["funds_total"] == "1000000.00"
    assert body["projects"]["funds_by_source"]["demonstration"] == "100000.00"
    assert body["projects"]["funds_by_source"]["other"] == "900000.00"
    assert (body["projects"]["households_benefiting"], body["projects"]["people_benefiting"]) == (10, 30)


def test_no_data_is_zero_not_an_error(world, api):
    body = api(world.township_staff).get(f"{STATS}?year=2024").json()
    assert body["reported"] == 0 and body["villages"] == 2 and body["not_reported"] == 2
    assert body["total"] == "0.00" and body["median"] is None and body["growth"] is None


def _more_villages(world, count):
    villages = [
        village_services.village_create(
            actor=SYSTEM,
            township=world.other_township,
            code=f"511903002{n:03d}",
            name=f"新村{n}",
            population_registered=1000,
        )
        for n in range(100, 100 + count)
    ]
    Income.objects.bulk_create(
        [Income(village=v, year=2024, operating=Decimal(n * 1000)) for n, v in enumerate(villages)]
        + [Income(village=v, year=2023, operating=Decimal(n * 900)) for n, v in enumerate(villages)]
    )


def _count_queries(call) -> int:
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured)


def test_statistics_take_the_same_few_queries_at_any_scale(world, incomes, django_assert_max_num_queries):
    def figures():
        selectors.economy_stats(user=world.city_admin, year=2024)
        selectors.township_summary(user=world.city_admin, year=2024)

    small = _count_queries(figures)
    _more_villages(world, 40)
    with django_assert_max_num_queries(7):  # 5 for the figures, 2 for the townships
        figures()
    assert _count_queries(figures) == small
    stats = selectors.economy_stats(user=world.city_admin, year=2024)
    assert stats["reported"] == 44


def test_township_summary(world, incomes):
    rows = selectors.township_summary(user=world.county_admin, year=2024)
    assert [(r["name"], r["reported"], r["total"], r["weak"]) for r in rows] == [
        ("登科街道", 2, Decimal("63000.00"), 1),
        ("柳林镇", 1, Decimal("350000.00"), 0),
    ]
    assert rows[0]["brackets"] == [0, 1, 0, 1, 0, 0]
    assert rows[0]["growth"] == Decimal("0.2353")


def test_income_table_rows(world, incomes):
    rows = {r.village.name: r for r in selectors.income_table(user=world.county_admin, year=2024)}
    assert rows["白鹤村"].previous_total == Decimal("50000.00")
    assert rows["白鹤村"].growth == Decimal("20.0")
    assert rows["白鹤村"].is_paired and not rows["红旗村"].is_paired
    assert rows["红旗村"].is_weak and not rows["柳林村"].is_weak
    assert rows["柳林村"].meets_target and rows["柳林村"].meets_exit_bar
    assert not rows["红旗村"].meets_exit_bar
    assert rows["柳林村"].growth is None  # no record for 2023
