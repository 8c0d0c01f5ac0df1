"""End-to-end in headless Chromium: the month grid, and a county's quarterly draw."""

import datetime

import pytest
from playwright.sync_api import expect

from apps.assistance.models import DutyLog, SpotCheckDraw
from tests.conftest import log_in

from .conftest import make_member, make_team

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_township_staff_fill_a_month_of_duty(world, page):
    team = make_team(world.village, start=datetime.date(2025, 1, 1))
    member = make_member(team, "王队员", start=datetime.date(2025, 1, 1))
    log_in(page, "township_staff", language="en")
    page.goto("/assistance/")
    page.get_by_role("link", name="红旗村").click()
    expect(page.locator("main")).to_contain_text("王队员")
    page.goto(f"/assistance/teams/{team.pk}/duty/2025-03/")
    for day in (3, 4, 5, 6, 7):
        page.get_by_label(f"王队员 2025-03-{day:02d}").check()
    page.get_by_role("button", name="Save the month").click()
    expect(page.locator(".alert-success")).to_contain_text("31 new days")
    assert DutyLog.objects.filter(member=member).count() == 31
    assert DutyLog.objects.filter(member=member, on_duty=True).count() == 5
    expect(page.get_by_label("王队员 2025-03-04")).to_be_checked()
    page.goto(f"/assistance/members/{member.pk}/?month=2025-03")
    expect(page.locator("#allowance")).to_contain_text("580.00")


def test_county_admin_draws_the_quarter_once(world, page):
    for village in (world.village, world.village2, world.other_village):
        make_team(village, start=datetime.date(2025, 1, 1))
    log_in(page, "county_admin", language="en")
    page.goto("/assistance/spot-checks/")
    page.fill("input[name=quarter]", "2025Q2")
    page.fill("input[name=seed]", "20250401")
    page.get_by_role("button", name="Draw", exact=True).click()
    expect(page.locator(".alert-success")).to_contain_text("20250401")
    draw = SpotCheckDraw.objects.get()
    assert (draw.quarter, draw.active_teams, draw.checks.count()) == ("2025Q2", 3, 1)
    page.fill("input[name=quarter]", "2025Q2")
    page.get_by_role("button", name="Draw", exact=True).click()
    expect(page.locator("main form").first).to_contain_text("already drawn for 2025Q2")
    assert SpotCheckDraw.objects.count() == 1
