"""Exports of the settings page and the ID access log, and the shared list-export helper."""

import datetime
import io

import pytest
from openpyxl import load_workbook

from apps.core.actors import SYSTEM
from apps.core.exports import list_export
from apps.core.models import IdNumberAccess
from apps.core.services import setting_set
from apps.morality_bank import config as morality_config
from tests.exports import column, logged_in

pytestmark = pytest.mark.django_db


def test_setting_export_has_the_values_in_force_in_scope(client, world):
    key = morality_config.NOTICE_DAYS
    for county, value in ((None, 4), (world.county, 5), (world.other_county, 9)):
        setting_set(actor=SYSTEM, key=key, value=value, valid_from=datetime.date(2020, 1, 1), county=county)
    response = logged_in(client, world.county_admin).get("/settings/export.xlsx")

    row = column(response, "Key").index(key)
    assert column(response, "All counties")[row] == "4"
    assert column(response, "Own county values")[row] == "恩阳区: 5"  # not 巴州区's 9


def test_id_access_export_applies_the_search_and_the_scope(client, world):
    for user, path in (
        (world.township_staff, "/cadres/export.xlsx"),
        (world.county_admin, "/cadres/1/"),
        (world.other_county_admin, "/cadres/export.xlsx"),
    ):
        IdNumberAccess.objects.create(user=user, path=path, masked_number="511*********1234")
    client = logged_in(client, world.county_admin)

    assert sorted(column(client.get("/id-number-access/export.xlsx"), "User")) == [
        "county_admin",
        "township_staff",
    ]
    searched = client.get("/id-number-access/export.xlsx?q=export")
    assert column(searched, "User") == ["township_staff"]
    assert column(searched, "ID number (masked)") == ["511*********1234"]


def test_list_export_streams_every_row_with_local_times_and_text_cells(settings):
    settings.TIME_ZONE = "Asia/Shanghai"
    at = datetime.datetime(2025, 1, 1, 0, 30, tzinfo=datetime.UTC)
    response = list_export(
        name="rows",
        records=iter([("012345678901234567", at)] * 3),
        headers=["number", "time"],
        row=list,
        text_columns=[0],
        qualifier="2025",
    )
    assert response["Content-Disposition"].startswith('attachment; filename="rows-2025-')
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [cell.value for cell in sheet[1]] == ["Number", "Time"]
    assert sheet.max_row == 4
    assert (sheet["A2"].value, sheet["A2"].data_type) == ("012345678901234567", "s")
    assert sheet["B2"].value == datetime.datetime(2025, 1, 1, 8, 30)  # Shanghai time, as pages show it


# List pages whose records are not exported, and why; every other ``*_list`` page has an ``*_export``.
LISTS_WITHOUT_EXPORT = {
    "core:import_list": "each import downloads as its own workbook and error report",
    "core:notification_list": "a user's own inbox of reminders, not data",
    "collective_economy:mode_list": "a short catalogue shown whole; incomes and projects export by mode",
    "morality_bank:item_list": "a short catalogue shown whole, with the county's opt-outs as buttons",
}


def test_every_list_page_has_an_export_or_a_reason():
    from tests.core.permission_matrix_urls import endpoints

    names = {endpoint.name for endpoint in endpoints() if not endpoint.is_api}
    lists = {name for name in names if name.endswith("_list") and name not in LISTS_WITHOUT_EXPORT}
    missing = sorted(name for name in lists if name.removesuffix("_list") + "_export" not in names)
    assert not missing, f"list pages without an .xlsx export: {missing}"
    assert set(LISTS_WITHOUT_EXPORT) <= names, "a list page named in LISTS_WITHOUT_EXPORT no longer exists"
