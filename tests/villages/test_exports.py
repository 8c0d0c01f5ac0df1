"""Export of the rectification board: every case its filters select, in the user's region."""

import pytest

from tests.exports import column, logged_in

from .conftest import weak_case

pytestmark = pytest.mark.django_db


def test_rectification_export_applies_the_filter_and_the_scope(client, world, party):
    for organisation in (party.organisation, party.other_organisation, party.far_organisation):
        weak_case(organisation)
    client = logged_in(client, world.county_admin)

    everything = client.get("/villages/rectifications/export.xlsx")
    assert sorted(column(everything, "Party organisation")) == sorted(
        ["中共红旗村支部委员会", "中共柳林村支部委员会"]  # not 江北村's of 巴州区
    )
    one_township = client.get(f"/villages/rectifications/export.xlsx?township={world.other_township.pk}")
    assert column(one_township, "Party organisation") == ["中共柳林村支部委员会"]
    assert column(one_township, "Township") == ["柳林镇"]


def test_the_board_links_its_export_with_the_filters(client, world, party):
    page = logged_in(client, world.county_admin).get(
        f"/villages/rectifications/?township={world.township.pk}"
    )
    assert f'href="/villages/rectifications/export.xlsx?township={world.township.pk}"' in page.text


def test_region_export_lists_the_counties_in_scope_with_their_counts(client, world):
    county_admin = logged_in(client, world.county_admin).get("/villages/regions/export.xlsx")
    assert column(county_admin, "County") == ["恩阳区"]  # not 巴州区
    assert column(county_admin, "Code") == [world.county.code]
    assert column(county_admin, "Townships") == [2]
    staff = logged_in(client, world.township_staff).get("/villages/regions/export.xlsx")
    assert column(staff, "Townships") == [1]  # counts follow the user's own region
