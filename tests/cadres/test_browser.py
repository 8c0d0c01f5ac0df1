"""End to end in headless Chromium: record a cadre with a typed ID number, appoint, refuse a second secretary."""

import datetime

import pytest
from playwright.sync_api import expect

from apps.cadres.models import Cadre
from apps.core import idnumbers
from tests.cadres.conftest import id_number
from tests.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_township_staff_records_a_cadre_and_appoints_a_secretary(world, page, make_cadre, make_position):
    incumbent = make_cadre(name="现任书记", village=world.village2)
    make_position(incumbent, "secretary", datetime.date(2021, 3, 1))
    log_in(page, "township_staff", language="en")

    page.goto("/cadres/new/")
    number = id_number(datetime.date(1986, 8, 8))
    page.select_option("select[name=village]", str(world.village.pk))
    page.fill("input[name=name]", "赵新")
    page.fill("input[name=id_number]", f"{number[:6]} {number[6:14]} {number[14:].lower()}")
    page.select_option("select[name=gender]", "male")
    page.select_option("select[name=education]", "college")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".alert-success")).to_contain_text("赵新")
    expect(page.locator("main")).to_contain_text(idnumbers.mask(number))
    expect(page.locator("main")).not_to_contain_text(number)
    cadre = Cadre.objects.get(name="赵新")
    assert cadre.id_number == number and cadre.birth_date == datetime.date(1986, 8, 8)

    page.get_by_role("link", name="New position").click()
    page.select_option("select[name=role]", "secretary")
    page.fill("input[name=start_date]", "2022-01-10")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".alert-success")).to_contain_text("The position was recorded.")

    # The same role in 白鹤村, which already has a current secretary, is refused with the reason.
    page.goto(f"/cadres/{cadre.pk}/positions/new/")
    page.select_option("select[name=role]", "secretary")
    page.select_option("select[name=village]", str(world.village2.pk))
    page.fill("input[name=start_date]", "2022-02-01")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("main form")).to_contain_text("already has a current Party secretary, 现任书记")
    assert cadre.positions.count() == 1

    page.goto("/cadres/stats/")
    expect(page.locator("main")).to_contain_text("Cadres in office")
