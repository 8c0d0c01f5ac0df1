"""End-to-end flows in headless Chromium: log in, find, create and retire a village, read its history."""

import re

import pytest
from playwright.sync_api import expect

from apps.villages.models import Village
from tests.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_township_staff_finds_creates_and_audits_a_village(world, page):
    log_in(page, "township_staff")
    page.goto("/villages/")
    expect(page.locator("#results")).to_contain_text("白鹤村")
    page.fill("input[name=search]", "红旗")
    page.press("input[name=search]", "Enter")
    expect(page.locator("#results")).not_to_contain_text("白鹤村")
    expect(page.locator("#results")).to_contain_text("红旗村")
    expect(page.locator("#results")).not_to_contain_text("柳林村")

    page.goto("/villages/new/")
    page.fill("input[name=code]", "5119030010")
    page.fill("input[name=name]", "新桥村")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("main form")).to_contain_text("区划代码必须为 12 位数字。")
    assert not Village.objects.filter(name="新桥村").exists()

    page.fill("input[name=code]", "511903001003")
    page.fill("input[name=population_registered]", "860")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".alert-success")).to_contain_text("新桥村")
    village = Village.objects.get(code="511903001003")
    assert village.township == world.township and village.population_registered == 860

    page.goto(f"/villages/{village.pk}/edit/")
    page.fill("input[name=population_registered]", "900")
    page.get_by_role("button", name="保存").click()
    page.goto(f"/history/villages/village/{village.pk}/")
    history = page.locator("main")
    expect(history).to_contain_text("township_staff")
    expect(history).to_contain_text("860")
    expect(history).to_contain_text("900")


def test_retiring_asks_for_confirmation(world, page):
    log_in(page, "township_staff")
    page.goto(f"/villages/{world.village2.pk}/retire/")
    page.fill("input[name=retired_on]", "2026-06-30")
    page.fill("input[name=reason]", "与红旗村合并")
    page.get_by_role("button", name=re.compile("撤销…")).click()
    dialog = page.locator(".modal.show")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="撤销", exact=True).click()
    expect(page.locator(".alert-success")).to_be_visible()
    world.village2.refresh_from_db()
    assert world.village2.retired_reason == "与红旗村合并"


def test_language_switch_and_scope_in_the_browser(world, page):
    log_in(page, "township_staff")
    page.goto("/villages/")
    expect(page.locator("nav.navbar")).to_contain_text("村庄")
    page.locator("button[name=language][value=en]").click()
    expect(page.locator("nav.navbar")).to_contain_text("Villages")
    response = page.goto(f"/villages/{world.far_village.pk}/")
    assert response.status == 404
