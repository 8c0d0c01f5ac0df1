"""The import page in a browser: upload, see every error, upload a valid file, validate, confirm, saved."""

import pytest
from playwright.sync_api import expect

from apps.collective_economy.models import Income
from tests.conftest import import_workbook, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
KIND = "collective_incomes"


def upload(page, tmp_path, name, content, mode):
    path = tmp_path / name
    path.write_bytes(content)
    page.goto("/imports/")
    page.select_option("select[name=kind]", KIND)
    page.check(f"input[name=mode][value={mode}]")
    page.set_input_files("input[name=file]", str(path))
    page.locator("[data-testid=import-form] button[type=submit]").click()


def test_a_clerk_validates_sees_the_errors_then_saves_a_corrected_file(world, page, run_import, tmp_path):
    log_in(page, "township_staff")
    bad = import_workbook(KIND, [{"village": "红旗村", "year": "明年", "operating": 1}])
    upload(page, tmp_path, "收入.xlsx", bad, "commit")
    status = page.get_by_test_id("import-status")
    expect(status).to_have_attribute("data-state", "invalid")
    expect(page.get_by_test_id("import-errors")).to_contain_text("请输入整数")
    expect(page.get_by_test_id("import-report")).to_be_visible()

    good = import_workbook(KIND, [{"village": "红旗村", "year": 2024, "operating": 1}])
    upload(page, tmp_path, "收入.xlsx", good, "validate")
    expect(page.get_by_test_id("import-status")).to_have_attribute("data-state", "valid")
    assert not Income.objects.exists()
    page.get_by_test_id("import-commit").click()
    page.get_by_test_id("import-commit-confirm").click()
    expect(page.get_by_test_id("import-status")).to_have_attribute("data-state", "committed")
    expect(page.get_by_test_id("change-set")).to_be_visible()
    assert Income.objects.get().operating == 1
