"""End to end in headless Chromium: a clerk records an award, another user approves it from the queue."""

import pytest
from playwright.sync_api import expect

from apps.morality_bank.models import Award, AwardStatus
from tests.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def log_out(page):
    page.context.clear_cookies()


def test_clerk_records_township_staff_approves_passbook_shows_the_points(world, bank, page):
    log_in(page, "village_clerk", language="en")
    page.goto(f"/morality/awards/new/?resident={bank.resident.pk}")
    page.select_option("select[name=item]", str(bank.item.pk))
    page.fill("input[name=points]", "9")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("main form")).to_contain_text("between 1 and 5")
    assert not Award.objects.exists()

    page.fill("input[name=points]", "4")
    page.fill("textarea[name=evidence]", "主动清扫公共道路")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".alert-success")).to_contain_text("another user must approve")
    expect(page.locator("main")).to_contain_text("You recorded this award")
    award = Award.objects.get()

    log_out(page)
    log_in(page, "township_staff", language="en")
    page.goto("/morality/awards/")
    expect(page.locator("#awards")).to_contain_text("张德明")
    page.locator("#awards button[name=approve]").click()
    expect(page.locator(".alert-success")).to_contain_text("approved")
    award.refresh_from_db()
    assert award.status == AwardStatus.APPROVED

    page.goto(f"/morality/residents/{bank.resident.pk}/")
    expect(page.locator("#balance")).to_have_text("4")
    expect(page.locator("#passbook")).to_contain_text("on notice until")
