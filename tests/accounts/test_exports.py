"""Export of the user list: its search and its scope."""

import pytest

from tests.exports import column, logged_in

pytestmark = pytest.mark.django_db


def test_user_export_applies_the_search_and_the_scope(client, world):
    client = logged_in(client, world.county_admin)

    everyone = column(client.get("/accounts/users/export.xlsx"), "Username")
    assert "township_staff" in everyone and "village_clerk" in everyone
    assert "other_county_admin" not in everyone and "city_admin" not in everyone
    staff = client.get("/accounts/users/export.xlsx?role=township_staff")
    assert column(staff, "Username") == ["other_township_staff", "township_staff"]
    assert column(staff, "Region") == ["柳林镇", "登科街道"]
    assert column(staff, "Code") == [world.other_township.code, world.township.code]
    page = client.get("/accounts/users/?role=township_staff")
    assert 'href="/accounts/users/export.xlsx?role=township_staff"' in page.text
