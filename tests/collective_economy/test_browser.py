"""End-to-end in headless Chromium: the entry form's live total and bracket, saving, the charts."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from apps.collective_economy.models import Income
from tests.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_entry_form_previews_total_and_bracket_then_saves(world, page, add_income):
    add_income(year=2024, operating="8000")
    log_in(page, "township_staff")
    page.goto(f"/collective-economy/incomes/new/?village={world.village.pk}&year=2025")
    total, bracket = page.locator("#live-total"), page.locator("#live-bracket")

    expect(bracket).to_have_attribute("data-bracket", "empty")
    page.fill("input[name=operating]", "9999.99")
    expect(bracket).to_have_attribute("data-bracket", "lt_10k")
    page.fill("input[name=other]", "0.01")
    expect(total).to_have_text("10,000.00")
    expect(bracket).to_have_attribute("data-bracket", "10k_50k")
    page.fill("input[name=resource]", "490000")
    expect(bracket).to_have_attribute("data-bracket", "gte_500k")
    # Over-precise or negative input: no preview, and the server refuses it.
    page.fill("input[name=resource]", "1.001")
    expect(total).to_have_text("—")
    expect(bracket).to_have_attribute("data-bracket", "")
    page.locator("form[data-income-form] button[type=submit]").click()
    expect(page.locator("#id_resource").locator("xpath=..").locator(".invalid-feedback")).to_be_visible()
    assert not Income.objects.filter(year=2025).exists()

    page.fill("input[name=resource]", "40000")
    expect(bracket).to_have_attribute("data-bracket", "50k_100k")
    page.locator("form[data-income-form] button[type=submit]").click()
    expect(page.locator(".alert-success")).to_be_visible()
    income = Income.objects.get(year=2025)
    assert (income.total, income.bracket) == (Decimal("50000.00"), "50k_100k")

    # The village's history: both years in the table and a drawn chart in the page's language.
    expect(page.locator("#history-table tbody tr")).to_have_count(2)
    expect(page.locator("[data-chart=village] canvas")).to_have_count(1)
    title = page.evaluate(
        "echarts.getInstanceByDom(document.querySelector('[data-chart=village]'))"
        ".getOption().toolbox[0].feature.saveAsImage.title"
    )
    assert title == "保存为图片"


def test_overview_charts_follow_the_language(world, page, add_income):
    add_income(year=2024, operating="120000")
    log_in(page, "county_admin")
    page.goto("/collective-economy/?year=2024")
    expect(page.locator("[data-chart=brackets] canvas")).to_have_count(1)
    expect(page.locator("[data-chart=sources] canvas")).to_have_count(1)
    page.locator("button[name=language][value=en]").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("[data-chart=brackets] canvas")).to_have_count(1)
    title = page.evaluate(
        "echarts.getInstanceByDom(document.querySelector('[data-chart=brackets]'))"
        ".getOption().toolbox[0].feature.saveAsImage.title"
    )
    assert title == "Save as Image"
    expect(page.locator("#bracket-table [data-bracket='100k_500k']")).to_have_text("1")
