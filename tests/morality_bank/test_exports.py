"""Exports of the morality-bank lists: the page's filters, its scope and its masking of ID numbers."""

import pytest
from django.utils import timezone

from apps.core import idnumbers
from apps.core.actors import SYSTEM
from apps.core.models import IdNumberAccess
from apps.core.periods import Quarter
from apps.morality_bank import services
from tests.exports import column, logged_in

pytestmark = pytest.mark.django_db


def test_village_export_applies_the_filters_and_the_scope(client, world, bank):
    client = logged_in(client, world.county_admin)
    assert column(client.get("/morality/export.xlsx"), "Village") == ["红旗村", "柳林村", "白鹤村"]
    with_bank = client.get("/morality/export.xlsx?with_bank=1")
    assert column(with_bank, "Village") == ["红旗村", "柳林村"]
    assert column(with_bank, "Residents") == [2, 1]
    assert column(client.get("/morality/export.xlsx?search=柳林"), "Code") == [world.other_village.code]


def test_the_village_page_links_its_export_with_the_filters(client, world, bank):
    page = logged_in(client, world.county_admin).get("/morality/?with_bank=1")
    assert 'href="/morality/export.xlsx?with_bank=1"' in page.text


@pytest.mark.parametrize(("role", "full"), [("county_admin", True), ("township_staff", False)])
def test_resident_export_filters_scopes_and_masks(client, world, bank, role, full):
    user = getattr(world, role)
    client = logged_in(client, user)
    expected = ["张德明", "李秀兰", "王建国"] if full else ["张德明", "李秀兰"]  # never 赵春梅 of 巴州区
    assert sorted(column(client.get("/morality/residents/export.xlsx"), "Name")) == sorted(expected)

    response = client.get("/morality/residents/export.xlsx?search=张")
    number = bank.resident.id_number
    assert column(response, "ID number") == [number if full else idnumbers.mask(number)]
    logged = IdNumberAccess.objects.filter(user=user, record_id=str(bank.resident.pk))
    assert logged.exists() == full


def test_award_export_has_the_status_of_the_page(client, world, bank):
    bank.give(bank.resident, 5)
    bank.give(bank.far_resident, 7)
    services.award_create(
        actor=SYSTEM, resident=bank.resident2, item=bank.big, points=3, date=timezone.localdate()
    )
    client = logged_in(client, world.county_admin)

    assert column(client.get("/morality/awards/export.xlsx"), "Resident") == ["李秀兰"]  # the queue
    approved = client.get("/morality/awards/export.xlsx?status=approved")
    assert column(approved, "Resident") == ["张德明"]  # not 赵春梅 of 巴州区
    assert column(approved, "Points") == [5]


def test_goods_export_applies_the_filter_and_the_scope(client, world, bank):
    services.goods_create(actor=SYSTEM, village=world.village2, name="面粉", price_points=20, stock=3)
    client = logged_in(client, world.county_admin)
    assert column(client.get("/morality/shop/export.xlsx"), "Name") == ["大米", "面粉"]  # not 食用油
    assert column(client.get("/morality/shop/export.xlsx?search=面"), "Name") == ["面粉"]


def test_settlement_export_applies_the_filter_and_the_scope(client, world, bank):
    for quarter in (Quarter(2019, 4), Quarter(2020, 1)):
        services.settlement_run(actor=SYSTEM, quarter=quarter)
    client = logged_in(client, world.county_admin)

    everything = client.get("/morality/settlements/export.xlsx")
    assert column(everything, "Quarter") == ["2020Q1", "2020Q1", "2019Q4", "2019Q4"]  # no 江北村 rows
    assert set(column(everything, "Village")) == {"红旗村", "柳林村"}
    assert column(client.get("/morality/settlements/export.xlsx?quarter=2019Q4"), "Village") == [
        "红旗村",
        "柳林村",
    ]
