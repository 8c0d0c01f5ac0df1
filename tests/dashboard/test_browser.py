"""End-to-end in headless Chromium: a county admin opens the dashboard, clicks a chart segment to drill
down to a township, makes the report pack and follows its progress bar to the download; a township
user cannot reach another township's dashboard. Screenshots are kept under .local/test-artefacts/."""

import os
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from apps.dashboard.models import PackStatus, ReportPack
from apps.dashboard.tasks import build_report_pack
from tests.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ARTEFACTS = (
    Path(os.environ.get("TOUYAN_TEST_ARTEFACTS", settings.BASE_DIR / ".local" / "test-artefacts"))
    / "dashboard"
)


def screenshot(page, name):
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / f"{name}.png"), full_page=True)


def watch_errors(page) -> list[str]:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda message: (
            errors.append(f"{message.text} ({message.location['url']})")
            if message.type == "error" and not message.location["url"].endswith("/favicon.ico")
            else None
        ),
    )
    page.on(
        "response", lambda response: errors.append(f"404 {response.url}") if response.status == 404 else None
    )
    return errors


def click_bar(page, chart: str, category_index: int):
    """Click the middle of the first series' bar of ``category_index`` on a canvas chart."""
    selector = f"[data-dashboard-chart={chart}]"
    page.locator(selector).scroll_into_view_if_needed()
    x, y = page.evaluate(
        """([selector, index]) => {
            const element = document.querySelector(selector);
            const chart = echarts.getInstanceByDom(element);
            const value = chart.getOption().series[0].data[index];
            return chart.convertToPixel({ seriesIndex: 0 }, [index, value / 2]);
        }""",
        [selector, category_index],
    )
    box = page.locator(selector).bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)


def test_county_admin_drills_down_and_downloads_the_report_pack(world, data, page):
    errors = watch_errors(page)
    log_in(page, "county_admin")
    page.goto("/dashboard/?year=2024")
    expect(page).to_have_url(
        f"{page.url.split('/dashboard/')[0]}/dashboard/county/{world.county.pk}/?year=2024"
    )
    for chart in ("children", "ratings", "brackets", "education"):
        expect(page.locator(f"[data-dashboard-chart={chart}] canvas")).to_have_count(1)
    expect(page.locator("[data-panel=open_cases]")).to_have_text("1")
    screenshot(page, "county-dashboard")

    click_bar(page, "children", 0)  # 登科街道
    expect(page).to_have_url(
        f"{page.url.split('/dashboard/')[0]}/dashboard/township/{world.township.pk}/?year=2024"
    )
    expect(page.locator("h1")).to_contain_text("登科街道")
    expect(page.locator("[data-dashboard-chart=children] canvas")).to_have_count(1)
    screenshot(page, "township-dashboard")

    page.goto(f"/dashboard/figures/10/?scope=county:{world.county.pk}&year_from=2023&year_to=2024")
    expect(page.locator("[data-dashboard-chart=figure] canvas")).to_have_count(1)
    expect(page.locator("#figure-table tbody tr")).to_have_count(1)
    screenshot(page, "figure-10")

    page.goto(f"/dashboard/figures/?scope=county:{world.county.pk}&year_from=2023&year_to=2024")
    page.locator("#pack-form button[type=submit]").click()
    expect(page.locator("#pack-progress")).to_be_visible()
    pack = ReportPack.objects.get()
    build_report_pack(
        pack.pk, "zh-hans"
    )  # the worker's part (tests/dashboard/test_report_pack.py runs a real one)
    expect(page.locator("#pack-progress")).to_have_attribute("data-status", PackStatus.DONE, timeout=15_000)
    expect(page.locator("#pack-bar")).to_have_text("100%")
    with page.expect_download() as download:
        page.locator("#pack-pdf").click()
    assert download.value.suggested_filename.endswith(".pdf")
    with page.expect_download() as download:
        page.locator("#pack-xlsx").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    screenshot(page, "report-pack-done")
    assert errors == [], sorted(set(errors))


def test_township_user_cannot_reach_another_townships_dashboard(world, page):
    log_in(page, "township_staff")
    response = page.goto(f"/dashboard/township/{world.other_township.pk}/")
    assert response.status == 404
    response = page.goto(f"/dashboard/county/{world.county.pk}/")
    assert response.status == 404
    page.goto("/dashboard/")
    expect(page.locator("h1")).to_contain_text("登科街道")
    screenshot(page, "township-own-dashboard")
