"""Exports of the assistance lists: the page's filters, its scope and its masking of ID numbers."""

import datetime

import pytest

from apps.assistance import services
from apps.core import idnumbers
from apps.core.actors import SYSTEM
from apps.core.models import IdNumberAccess
from apps.core.periods import Quarter
from tests.exports import column, logged_in, sheet_rows

from .conftest import make_household

pytestmark = pytest.mark.django_db

D = datetime.date


def test_team_export_applies_the_filter_and_the_scope(client, world, team, other_team, far_team):
    client = logged_in(client, world.county_admin)
    assert column(client.get("/assistance/teams/export.xlsx"), "Village") == ["红旗村", "柳林村"]
    filtered = client.get(f"/assistance/teams/export.xlsx?township={world.other_township.pk}")
    assert column(filtered, "Village") == ["柳林村"]
    assert column(filtered, "First secretary") == ["柳林书记"]


def test_the_team_page_links_its_export_with_the_filters(client, world, team):
    page = logged_in(client, world.township_staff).get("/assistance/?year=2025&page=1")
    assert 'href="/assistance/teams/export.xlsx?year=2025"' in page.text


def test_first_secretary_export_has_the_years_of_the_page(client, world, team, other_team, far_team):
    services.evaluation_create(actor=SYSTEM, member=team.secretary, year=2025, grade="good")
    client = logged_in(client, world.county_admin)

    response = client.get("/assistance/first-secretaries/export.xlsx?to=2025")
    assert column(response, "Name") == ["李书记", "柳林书记"]  # not 外县书记 of 巴州区
    assert [bool(grade) for grade in column(response, "2025")] == [True, False]
    assert column(client.get("/assistance/first-secretaries/export.xlsx?to=2020"), "Name") == []


@pytest.mark.parametrize(("role", "full"), [("county_admin", True), ("township_staff", False)])
def test_household_export_filters_scopes_and_masks(client, world, household, far_household, role, full):
    make_household(world.village2, "白鹤户", cause="disability")
    user = getattr(world, role)
    client = logged_in(client, user)

    response = client.get("/assistance/households/export.xlsx")
    assert column(response, "Head of household") == ["张大山", "白鹤户"]  # not 外县户 of 巴州区
    assert column(client.get("/assistance/households/export.xlsx?cause=illness"), "Head of household") == [
        "张大山"
    ]
    numbers = column(client.get("/assistance/households/export.xlsx?search=张大山"), "ID number of the head")
    assert numbers == [household.head_id_number if full else idnumbers.mask(household.head_id_number)]
    logged = IdNumberAccess.objects.filter(user=user, path="/assistance/households/export.xlsx")
    assert logged.filter(record_id=str(household.pk)).exists() == full


def test_spot_check_export_applies_the_filter_and_the_scope(client, world, team, far_team):
    services.spot_check_sample(actor=SYSTEM, county=world.county, quarter=Quarter(2025, 1), seed=1)
    services.spot_check_sample(actor=SYSTEM, county=world.other_county, quarter=Quarter(2025, 1), seed=1)
    client = logged_in(client, world.county_admin)

    assert column(client.get("/assistance/spot-checks/export.xlsx"), "Work team") == ["红旗村"]
    assert column(client.get("/assistance/spot-checks/export.xlsx?quarter=2025Q2"), "Work team") == []


def test_record_export_has_the_kind_and_the_filters_of_the_page(client, world):
    for village, name, day in (
        (world.village, "李书记", D(2024, 5, 1)),
        (world.village2, "王队员", D(2025, 5, 1)),
        (world.far_village, "外县干部", D(2025, 6, 1)),
    ):
        services.commendation_create(
            actor=SYSTEM, village=village, person_name=name, date=day, level="city", title="优秀"
        )
    services.promotion_create(
        actor=SYSTEM,
        village=world.village,
        person_name="赵队员",
        date=D(2025, 1, 1),
        level="county",
        rank="other",
    )
    client = logged_in(client, world.county_admin)

    assert column(client.get("/assistance/records/export.xlsx"), "Person") == ["王队员", "李书记"]
    assert column(client.get("/assistance/records/export.xlsx?year=2024"), "Person") == ["李书记"]
    promotions = client.get("/assistance/records/export.xlsx?kind=promotion")
    assert column(promotions, "Person") == ["赵队员"]
    assert "New rank" in sheet_rows(promotions)[0]
    page = client.get("/assistance/records/?kind=promotion&year=2025")
    assert 'href="/assistance/records/export.xlsx?kind=promotion&amp;year=2025"' in page.text
