"""Assistance pages through the HTTP client: every page renders, scope, the month grid, the export."""

import datetime
import io

import pytest
from openpyxl import load_workbook

from apps.assistance import services
from apps.assistance.models import DutyLog, WorkTeamMember
from apps.core.actors import SYSTEM
from apps.core.periods import Quarter

from .conftest import make_member, make_team

pytestmark = pytest.mark.django_db


def logged_in(client, user, language="zh-hans"):
    client.force_login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    return client


@pytest.fixture
def filled(world, team, household):
    """Duty, a check, a list item and records, so every page has something to show."""
    services.duty_log_create(actor=SYSTEM, member=team.member, date=datetime.date(2025, 3, 3))
    draw = services.spot_check_sample(actor=SYSTEM, county=world.county, quarter=Quarter(2025, 1), seed=1)
    services.responsibility_item_create(
        actor=SYSTEM,
        village=world.village,
        year=2025,
        kind="station",
        holder="李书记",
        task="驻村",
        member=team.secretary,
    )
    services.evaluation_create(actor=SYSTEM, member=team.secretary, year=2025, grade="good")
    services.commendation_create(
        actor=SYSTEM,
        village=world.village,
        person_name="李书记",
        date=datetime.date(2025, 5, 1),
        level="city",
        title="优秀",
    )
    return {"team": team, "household": household, "check": draw.checks.get()}


PAGES = [
    "/assistance/",
    "/assistance/?short_of_county_plus=true&county={county}",
    "/assistance/teams/new/",
    "/assistance/teams/{team}/",
    "/assistance/teams/{team}/edit/",
    "/assistance/teams/{team}/members/new/",
    "/assistance/teams/{team}/duty/2025-03/",
    "/assistance/members/{member}/",
    "/assistance/members/{member}/?month=2025-03",
    "/assistance/members/{member}/edit/",
    "/assistance/members/{member}/end/",
    "/assistance/allowances/?month=2025-03",
    "/assistance/first-secretaries/",
    "/assistance/households/",
    "/assistance/households/?status=poor&cause=illness",
    "/assistance/households/new/",
    "/assistance/households/{household}/",
    "/assistance/households/{household}/edit/",
    "/assistance/households/{household}/status/",
    "/assistance/households/{household}/members/new/",
    "/assistance/households/{household}/incomes/new/",
    "/assistance/households/{household}/measures/new/",
    "/assistance/lists/{village}/?year=2025",
    "/assistance/lists/{village}/new/?year=2030&kind=help",
    "/assistance/list-items/{item}/reconcile/",
    "/assistance/spot-checks/",
    "/assistance/spot-checks/{check}/",
    "/assistance/records/",
    "/assistance/records/?kind=discipline&year=2025",
    "/assistance/stats/",
    "/assistance/stats/?county={county}&month=2025-03",
    "/history/assistance/workteam/{team}/",
    "/history/assistance/household/{household}/",
]


def fill(path, world, filled):
    return path.format(
        county=world.county.pk,
        team=filled["team"].pk,
        member=filled["team"].member.pk,
        household=filled["household"].pk,
        village=world.village.pk,
        item=filled["team"].secretary.responsibility_items.get().pk,
        check=filled["check"].pk,
    )


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize(("language", "shown"), [("zh-hans", "驻村工作队"), ("en", "Work teams")])
def test_pages_render_for_township_staff_in_both_languages(client, world, filled, path, language, shown):
    response = logged_in(client, world.township_staff, language).get(fill(path, world, filled))
    assert response.status_code == 200, response.status_code
    html = response.content.decode()
    assert f'<html lang="{language}">' in html


@pytest.mark.parametrize(
    "path",
    [
        "/assistance/records/commendation/new/",
        "/assistance/members/{member}/evaluate/",
        "/assistance/spot-checks/",
    ],
)
def test_county_pages_render_for_county_admins(client, world, filled, path):
    response = logged_in(client, world.county_admin, "en").get(fill(path, world, filled))
    assert response.status_code == 200


def test_county_business_pages_are_403_for_township_staff(client, world, filled):
    client = logged_in(client, world.township_staff, "en")
    assert client.get("/assistance/records/commendation/new/").status_code == 403
    assert client.get(f"/assistance/members/{filled['team'].member.pk}/evaluate/").status_code == 403
    response = client.post("/assistance/spot-checks/", {"county": world.county.pk, "quarter": "2025Q2"})
    assert response.status_code == 403


@pytest.mark.parametrize(
    "path",
    [
        "/assistance/teams/{team}/",
        "/assistance/teams/{team}/edit/",
        "/assistance/teams/{team}/duty/2025-03/",
        "/assistance/members/{member}/",
        "/assistance/households/{household}/",
        "/assistance/households/{household}/status/",
        "/assistance/lists/{village}/",
        "/history/assistance/workteam/{team}/",
    ],
)
def test_other_townships_records_are_404(client, world, other_team, path):
    from .conftest import make_household

    household = make_household(world.other_village, "邻户")
    url = path.format(
        team=other_team.pk,
        member=other_team.secretary.pk,
        household=household.pk,
        village=world.other_village.pk,
    )
    client = logged_in(client, world.township_staff)
    assert client.get(url).status_code == 404
    assert client.post(url, {"status": "exited", "date": "2020-01-01"}).status_code == 404
    household.refresh_from_db()
    assert household.status == "poor"


def test_the_team_list_shows_only_the_township_and_flags_short_teams(client, world, team, other_team):
    response = logged_in(client, world.township_staff, "en").get("/assistance/")
    assert [t.pk for t in response.context["page"].object_list] == [team.pk]
    assert "below 3" in response.content.decode()


def grid_post(team, month, cells):
    return {f"d-{member.pk}-{day}": "on" for member, day in cells}


def test_the_month_grid_saves_every_day_or_nothing(client, world):
    team = make_team(world.village, start=datetime.date(2025, 1, 1))
    full = make_member(team, "全月", start=datetime.date(2025, 1, 1))
    late = make_member(team, "月中来", start=datetime.date(2025, 3, 16))
    client = logged_in(client, world.township_staff, "en")
    url = f"/assistance/teams/{team.pk}/duty/2025-03/"
    # A tick on the 10th for a member who only starts on the 16th: nothing at all is saved.
    bad = grid_post(team, "2025-03", [(full, d) for d in range(1, 32)] + [(late, 10)])
    response = client.post(url, bad)
    assert response.status_code == 400
    assert "Nothing was saved" in response.content.decode()
    assert "2025-03-10 is outside 月中来&#x27;s assignment." in response.content.decode()
    assert not DutyLog.objects.exists()
    # Without it: every assigned day of both members gets a log, ticked or not.
    good = grid_post(team, "2025-03", [(full, d) for d in range(1, 21)] + [(late, d) for d in range(16, 32)])
    response = client.post(url, good)
    assert response.status_code == 302
    assert DutyLog.objects.filter(member=full).count() == 31
    assert DutyLog.objects.filter(member=full, on_duty=True).count() == 20
    assert DutyLog.objects.filter(member=late).count() == 16
    page = client.get(url)
    late_row = page.context["rows"][1][1]
    assert late_row[14][2] is False and late_row[15][2] is True  # 月中来 starts on the 16th
    assert late_row[15][3] is True and late_row[15][4] is True  # ticked and logged


def test_village_clerk_sees_the_grid_but_cannot_save(client, world, team):
    client = logged_in(client, world.village_clerk, "en")
    url = f"/assistance/teams/{team.pk}/duty/2025-03/"
    assert client.get(url).status_code == 200
    assert client.post(url, {f"d-{team.member.pk}-3": "on"}).status_code == 403
    assert not DutyLog.objects.exists()


def test_allowance_export_masks_id_numbers_below_county_admin(client, world, team):
    services.duty_log_create(actor=SYSTEM, member=team.member, date=datetime.date(2025, 3, 3))
    response = logged_in(client, world.township_staff, "en").get(
        "/assistance/allowances/export.xlsx?month=2025-03"
    )
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    by_name = {row[2]: row for row in rows[1:]}
    assert by_name["王队员"][3] == team.member.id_number[:3] + "*" * 11 + team.member.id_number[-4:]
    assert float(by_name["王队员"][10]) == 180.0
    full = logged_in(client, world.county_admin, "en").get("/assistance/allowances/export.xlsx?month=2025-03")
    rows = list(load_workbook(io.BytesIO(full.content)).active.iter_rows(values_only=True))
    assert team.member.id_number in {row[3] for row in rows}


def test_creating_a_team_and_a_member_through_the_forms(client, world):
    client = logged_in(client, world.township_staff, "en")
    response = client.post(
        "/assistance/teams/new/", {"village": world.village.pk, "start_date": "2025-01-01"}
    )
    assert response.status_code == 302
    team = world.village.work_teams.get()
    data = {
        "name": "新书记",
        "id_number": "",
        "unit_name": "恩阳区委组织部",
        "unit_type": "party_gov",
        "unit_level": "county_plus",
        "role": "first_secretary",
        "start_date": "2024-12-01",
    }
    response = client.post(f"/assistance/teams/{team.pk}/members/new/", data)
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    from .conftest import id_number

    data["id_number"] = id_number()
    response = client.post(f"/assistance/teams/{team.pk}/members/new/", data)
    assert "The assignment cannot start before the team does." in response.content.decode()
    data["start_date"] = "2025-01-01"
    assert client.post(f"/assistance/teams/{team.pk}/members/new/", data).status_code == 302
    assert WorkTeamMember.objects.get(team=team).role == "first_secretary"


def test_pages_take_a_bounded_number_of_queries(client, world, filled, django_assert_max_num_queries):
    client = logged_in(client, world.county_admin, "en")
    for number in range(5):
        make_member(
            make_team(
                world.village2,
                start=datetime.date(2020 + number, 1, 1),
                end=datetime.date(2020 + number, 12, 31),
            ),
            f"队{number}",
            start=datetime.date(2020 + number, 1, 1),
            end=datetime.date(2020 + number, 12, 31),
        )
    with django_assert_max_num_queries(20):
        client.get("/assistance/")
    with django_assert_max_num_queries(30):
        client.get("/assistance/stats/")
    with django_assert_max_num_queries(20):
        client.get("/assistance/allowances/?month=2025-03")


@pytest.mark.parametrize(
    "model",
    ["workteam", "workteammember", "dutylog", "household", "householdincome", "spotcheck", "evaluation"],
)
def test_admin_lists_render_for_a_superuser(client, world, filled, model):
    from apps.accounts.models import User

    admin = User.objects.create_superuser("root", password="x-Touyan-2026")
    client.force_login(admin)
    assert client.get(f"/admin/assistance/{model}/").status_code == 200
    assert client.get(f"/admin/assistance/workteam/{filled['team'].pk}/change/").status_code == 200
