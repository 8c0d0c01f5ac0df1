"""Exports of the support-fund and pairing lists: the page's filters and its scope."""

from decimal import Decimal

import pytest

from apps.collective_economy import services
from apps.core.actors import SYSTEM
from tests.exports import column, logged_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def funds(world):
    for village, year, source, amount in (
        (world.village, 2024, "county", "20000"),
        (world.other_village, 2023, "central", "50000.50"),
        (world.far_village, 2024, "county", "30000"),
    ):
        services.support_fund_create(
            actor=SYSTEM, village=village, year=year, amount=Decimal(amount), source=source, use="产业"
        )


def test_support_fund_export_applies_the_filter_and_the_scope(client, world, funds):
    client = logged_in(client, world.county_admin)
    response = client.get("/collective-economy/support-funds/export.xlsx")
    assert column(response, "Village") == ["红旗村", "柳林村"]  # not 江北村 of 巴州区
    assert column(response, "Amount") == [20000, 50000.5]
    filtered = client.get("/collective-economy/support-funds/export.xlsx?source=central")
    assert column(filtered, "Code") == [world.other_village.code]


def test_the_support_fund_page_links_its_export_with_the_filters(client, world, funds):
    page = logged_in(client, world.county_admin).get("/collective-economy/support-funds/?year=2024")
    assert 'href="/collective-economy/support-funds/export.xlsx?year=2024"' in page.text


def test_pairing_export_applies_the_filter_and_the_scope(client, world):
    for village, unit, start, end in (
        (world.village, "恩阳区财政局", 2020, 2022),
        (world.village2, "恩阳区农业局", 2023, None),
        (world.far_village, "巴州区财政局", 2023, None),
    ):
        services.pairing_create(actor=SYSTEM, village=village, unit_name=unit, start_year=start, end_year=end)
    client = logged_in(client, world.township_staff)

    assert column(client.get("/collective-economy/pairings/export.xlsx"), "Helping unit") == [
        "恩阳区财政局",
        "恩阳区农业局",
    ]
    in_2024 = client.get("/collective-economy/pairings/export.xlsx?year=2024")
    assert column(in_2024, "Helping unit") == ["恩阳区农业局"]
    assert column(in_2024, "End year") == [None]
