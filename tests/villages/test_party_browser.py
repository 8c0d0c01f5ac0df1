"""End to end in headless Chromium: a county admin rates a branch weak and lax and sees its case through.

Only record data and form structure are asserted, not the new UI strings (their translations are merged later).
"""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from apps.villages.models import Rectification

from .conftest import LAST_YEAR
from .test_browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_rate_weak_then_rectify_and_accept(world, party, page):
    today = timezone.localdate().isoformat()
    log_in(page, "county_admin")
    page.goto(f"/villages/party-organisations/{party.organisation.pk}/rate/")
    page.fill("input[name=year]", str(LAST_YEAR))
    page.check("input[name=level][value=weak]")
    page.fill("textarea[name=reason]", "班子软弱，组织生活不正常")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#cases")).to_contain_text(str(LAST_YEAR))
    case = Rectification.objects.get(organisation=party.organisation, year=LAST_YEAR)

    page.locator("#cases a", has_text=str(LAST_YEAR)).click()
    expect(page).to_have_url(f"{page.url.split('/villages/')[0]}/villages/rectifications/{case.pk}/")
    page.goto(f"/villages/rectifications/{case.pk}/edit/")
    page.check("input[name=measures][value=work_team]")
    page.fill("input[name=responsible_leader]", "王县长")
    page.locator("main form button[type=submit]").click()
    page.locator(f"form[action='/villages/rectifications/{case.pk}/start/'] button").click()
    page.fill("#note-form input[name=date]", today)
    page.fill("#note-form textarea[name=text]", "工作组入驻，完成班子调整")
    page.locator("#note-form button[type=submit]").click()
    expect(page.locator("#notes")).to_contain_text("工作组入驻，完成班子调整")
    page.locator("#accept-form button[type=submit]").click()
    expect(page.locator(".alert-success")).to_be_visible()
    case.refresh_from_db()
    assert (case.status, case.measures, case.accepted_by) == ("accepted", ["work_team"], world.county_admin)
