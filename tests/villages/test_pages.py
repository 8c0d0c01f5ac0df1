"""Server-rendered pages: regions, villages, history and user management, checked through the HTTP client.

The regions and users come from the ``world`` fixture in tests/conftest.py.
"""

import io

import pytest
from openpyxl import load_workbook

from apps.accounts.models import User
from apps.core.actors import SYSTEM
from apps.villages import services as region_services
from apps.villages.models import Village

pytestmark = pytest.mark.django_db


def logged_in(client, user, language="zh-hans"):
    client.force_login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    return client


def village_data(township, **overrides):
    data = {
        "code": "511903001099",
        "name": "新建村",
        "township": township.pk,
        "population_registered": 500,
        "population_resident": 400,
        "households": 150,
        "poverty_status": "none",
        "exit_year": "",
        "notes": "",
    }
    return {**data, **overrides}


def exported_codes(response) -> list[str]:
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert all(cell.data_type == "s" for cell in sheet["A"][1:]), "codes must be text cells"
    return [row[0] for row in rows[1:]]


# Every page renders, in both languages


PAGES = [
    "/",
    "/villages/regions/",
    "/villages/regions/county/{county}/",
    "/villages/regions/township/{township}/",
    "/villages/",
    "/villages/new/",
    "/villages/{village}/",
    "/villages/{village}/edit/",
    "/villages/{village}/retire/",
    "/villages/{village}/delete/",
    "/history/villages/village/{village}/",
]


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize(
    ("language", "shown", "not_shown"), [("zh-hans", "区域", ">Regions<"), ("en", ">Regions<", "区域")]
)
def test_pages_render_for_township_staff_in_both_languages(client, world, path, language, shown, not_shown):
    client = logged_in(client, world.township_staff, language)
    url = path.format(county=world.county.pk, township=world.township.pk, village=world.village.pk)

    response = client.get(url)

    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert shown in html
    assert not_shown not in html


def test_login_page_shows_errors(client, world):
    response = client.post(
        "/accounts/login/", {"username": "township_staff", "password": "wrong"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()


def test_dashboard_counts_what_the_user_may_see(client, world):
    response = logged_in(client, world.county_admin).get("/")
    assert response.context["totals"] == {"counties": 1, "townships": 2, "villages": 3, "poor_villages": 0}


# Scope: another township's village does not exist for a township user


@pytest.mark.parametrize(
    "path",
    [
        "/villages/{pk}/",
        "/villages/{pk}/edit/",
        "/villages/{pk}/retire/",
        "/villages/{pk}/delete/",
        "/history/villages/village/{pk}/",
    ],
)
def test_township_staff_gets_404_for_another_townships_village(client, world, path):
    client = logged_in(client, world.township_staff)
    url = path.format(pk=world.other_village.pk)
    assert client.get(url).status_code == 404
    assert client.post(url, {"reason": "x", "retired_on": "2026-01-01"}).status_code == 404
    assert Village.objects.filter(pk=world.other_village.pk, retired_on__isnull=True).exists()


def test_township_staff_lists_and_exports_only_their_townships_villages(client, world):
    client = logged_in(client, world.township_staff)
    mine = sorted([world.village.code, world.village2.code])

    page = client.get("/villages/")
    assert sorted(v.code for v in page.context["page"]) == mine
    assert world.other_village.code not in page.content.decode()

    # Even when asking for the other township by id.
    assert list(client.get(f"/villages/?township={world.other_township.pk}").context["page"]) == []
    assert exported_codes(client.get(f"/villages/export.xlsx?township={world.other_township.pk}")) == []
    assert sorted(exported_codes(client.get("/villages/export.xlsx"))) == mine


def test_county_admin_sees_the_whole_county_and_nothing_of_the_next(client, world):
    client = logged_in(client, world.county_admin)
    county_codes = sorted([world.village.code, world.village2.code, world.other_village.code])

    assert sorted(v.code for v in client.get("/villages/").context["page"]) == county_codes
    assert sorted(exported_codes(client.get("/villages/export.xlsx"))) == county_codes
    assert client.get(f"/villages/{world.far_village.pk}/").status_code == 404
    assert client.get(f"/villages/regions/county/{world.other_county.pk}/").status_code == 404


def test_list_filters_sorts_and_keeps_filters_in_export(client, world):
    client = logged_in(client, world.county_admin)

    by_name = client.get("/villages/?sort=-code")
    assert [v.code for v in by_name.context["page"]] == sorted(
        [world.village.code, world.village2.code, world.other_village.code], reverse=True
    )
    searched = client.get("/villages/", {"search": "红旗"})
    assert [v.code for v in searched.context["page"]] == [world.village.code]
    assert exported_codes(client.get("/villages/export.xlsx", {"search": "红旗"})) == [world.village.code]
    assert exported_codes(client.get("/villages/export.xlsx", {"township": world.other_township.pk})) == [
        world.other_village.code
    ]


def test_export_headers_follow_the_language(client, world):
    client = logged_in(client, world.township_staff, "en")
    sheet = load_workbook(io.BytesIO(client.get("/villages/export.xlsx").content)).active
    assert sheet["A1"].value == "Code"


def test_htmx_list_request_returns_only_the_results(client, world):
    response = logged_in(client, world.township_staff).get("/villages/", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html
    assert world.village.code in html


def test_village_list_query_count_does_not_grow_with_villages(client, world, django_assert_max_num_queries):
    client = logged_in(client, world.county_admin)
    with django_assert_max_num_queries(10):
        client.get("/villages/")
    for number in range(10, 40):
        region_services.village_create(
            actor=SYSTEM, township=world.township, code=f"511903001{number:03d}", name=f"村{number}"
        )
    with django_assert_max_num_queries(10):
        client.get("/villages/")


# Writes go through the services; their refusals show next to the fields


def test_township_staff_creates_a_village_in_their_township(client, world):
    client = logged_in(client, world.township_staff)

    response = client.post("/villages/new/", village_data(world.township))

    village = Village.objects.get(code="511903001099")
    assert response.status_code == 302
    assert response["Location"] == f"/villages/{village.pk}/"
    assert (village.township, village.county) == (world.township, world.county)


def test_creating_a_village_in_another_township_is_a_field_error(client, world):
    client = logged_in(client, world.township_staff)

    response = client.post("/villages/new/", village_data(world.other_township, code="511903002099"))

    assert response.status_code == 200
    assert "township" in response.context["form"].errors
    assert not Village.objects.filter(code="511903002099").exists()


def test_duplicate_code_is_a_field_error(client, world):
    client = logged_in(client, world.township_staff, "en")

    response = client.post("/villages/new/", village_data(world.township, code=world.village2.code))

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["code"]
    assert "already exists" in errors["code"][0]
    assert Village.objects.filter(code=world.village2.code).count() == 1


def test_code_outside_the_township_is_a_field_error_from_the_service(client, world):
    client = logged_in(client, world.township_staff)
    response = client.post("/villages/new/", village_data(world.township, code="511903002099"))
    assert "code" in response.context["form"].errors


def test_village_clerk_cannot_open_the_create_page(client, world):
    client = logged_in(client, world.village_clerk)
    assert client.get("/villages/new/").status_code == 403
    assert client.post("/villages/new/", village_data(world.township)).status_code == 403
    assert "/villages/new/" not in client.get("/villages/").content.decode()


def test_edit_is_recorded_in_the_history_with_its_user(client, world):
    client = logged_in(client, world.township_staff, "en")
    data = village_data(world.township, code=world.village.code, name="红旗新村")

    assert client.post(f"/villages/{world.village.pk}/edit/", data).status_code == 302

    world.village.refresh_from_db()
    assert world.village.name == "红旗新村"
    history = client.get(f"/history/villages/village/{world.village.pk}/")
    html = history.content.decode()
    assert history.context["events"][0].action == "update"
    assert "红旗新村" in html
    assert "township_staff" in html
    assert f'href="/villages/{world.village.pk}/"' in html


def test_retire_a_village_merged_into_another(client, world):
    client = logged_in(client, world.township_staff)
    data = {"retired_on": "2026-03-01", "reason": "合并", "merged_into": world.village.pk}

    assert client.post(f"/villages/{world.village2.pk}/retire/", data).status_code == 302

    world.village2.refresh_from_db()
    assert (str(world.village2.retired_on), world.village2.merged_into) == ("2026-03-01", world.village)


def test_retire_cannot_merge_into_a_village_outside_the_scope(client, world):
    client = logged_in(client, world.township_staff)
    data = {"retired_on": "2026-03-01", "reason": "合并", "merged_into": world.other_village.pk}

    response = client.post(f"/villages/{world.village2.pk}/retire/", data)

    assert "merged_into" in response.context["form"].errors
    world.village2.refresh_from_db()
    assert world.village2.retired_on is None


def test_delete_is_refused_with_the_services_message_when_records_exist(client, world):
    client = logged_in(client, world.township_staff, "en")

    # The village clerk's account belongs to world.village.
    response = client.post(f"/villages/{world.village.pk}/delete/")

    assert response.status_code == 200
    assert "retire it instead" in response.content.decode()
    assert Village.objects.filter(pk=world.village.pk).exists()


def test_delete_a_village_without_records(client, world):
    client = logged_in(client, world.township_staff)
    response = client.post(f"/villages/{world.village2.pk}/delete/")
    assert response.status_code == 302
    assert not Village.objects.filter(pk=world.village2.pk).exists()


# User management


def user_data(**overrides):
    data = {
        "username": "new_staff",
        "full_name": "张三",
        "email": "",
        "role": "township_staff",
        "region": "",
        "password": "Long-enough-pass-2026",
        "password_again": "Long-enough-pass-2026",
    }
    return {**data, **overrides}


def test_county_admin_creates_a_township_user_in_their_county(client, world):
    client = logged_in(client, world.county_admin)

    response = client.post("/accounts/users/new/", user_data(region=f"township:{world.other_township.pk}"))

    assert response.status_code == 302
    user = User.objects.get(username="new_staff")
    assert (user.role, user.township, user.first_name) == ("township_staff", world.other_township, "张三")
    assert user.check_password("Long-enough-pass-2026")


def test_county_admin_cannot_create_a_user_in_another_county(client, world):
    client = logged_in(client, world.county_admin)

    response = client.post("/accounts/users/new/", user_data(region=f"township:{world.far_township.pk}"))

    assert response.status_code == 200
    assert "region" in response.context["form"].errors
    assert not User.objects.filter(username="new_staff").exists()


def test_county_admin_cannot_bind_a_user_to_the_city_above(client, world):
    client = logged_in(client, world.county_admin)

    response = client.post(
        "/accounts/users/new/", user_data(role="api_client", region=f"city:{world.city.pk}")
    )

    assert "region" in response.context["form"].errors
    assert not User.objects.filter(username="new_staff").exists()


def test_county_admin_cannot_grant_county_admin(client, world):
    client = logged_in(client, world.county_admin)
    response = client.post(
        "/accounts/users/new/", user_data(role="county_admin", region=f"county:{world.county.pk}")
    )
    assert "role" in response.context["form"].errors
    assert not User.objects.filter(username="new_staff").exists()


@pytest.mark.parametrize(
    "path",
    ["/accounts/users/", "/accounts/users/new/", "/accounts/users/{pk}/", "/accounts/users/{pk}/edit/"],
)
def test_township_staff_gets_403_on_user_management(client, world, path):
    client = logged_in(client, world.township_staff)
    url = path.format(pk=world.township_staff.pk)
    assert client.get(url).status_code == 403
    assert client.post(url, user_data(region=f"township:{world.township.pk}")).status_code == 403
    assert not User.objects.filter(username="new_staff").exists()


def test_user_list_is_scoped_and_searchable(client, world):
    client = logged_in(client, world.county_admin)

    listed = {u.username for u in client.get("/accounts/users/").context["page"]}
    assert "township_staff" in listed and "other_county_admin" not in listed
    searched = {u.username for u in client.get("/accounts/users/", {"q": "other_township"}).context["page"]}
    assert searched == {"other_township_staff"}
    assert client.get(f"/accounts/users/{world.other_county_admin.pk}/").status_code == 404


def test_edit_deactivate_reactivate_and_set_password(client, world):
    client = logged_in(client, world.county_admin)
    staff = world.township_staff
    edit = {
        "full_name": "李四",
        "email": "li@example.com",
        "role": "township_staff",
        "region": f"township:{world.other_township.pk}",
    }

    assert client.post(f"/accounts/users/{staff.pk}/edit/", edit).status_code == 302
    assert client.post(f"/accounts/users/{staff.pk}/deactivate/").status_code == 302
    staff.refresh_from_db()
    assert (staff.first_name, staff.township, staff.is_active) == ("李四", world.other_township, False)

    assert client.post(f"/accounts/users/{staff.pk}/reactivate/").status_code == 302
    password = {"password": "Another-long-pass-2026", "password_again": "Another-long-pass-2026"}
    assert client.post(f"/accounts/users/{staff.pk}/password/", password).status_code == 302
    staff.refresh_from_db()
    assert staff.is_active and staff.check_password("Another-long-pass-2026")


def test_a_weak_password_is_a_field_error(client, world):
    client = logged_in(client, world.county_admin)
    response = client.post(
        f"/accounts/users/{world.township_staff.pk}/password/", {"password": "123", "password_again": "123"}
    )
    assert "password" in response.context["form"].errors


def test_county_admin_cannot_manage_another_county_admin_of_the_same_county(client, world):
    from apps.accounts.services import user_create

    peer = user_create(
        actor=SYSTEM,
        username="peer",
        password="Long-enough-pass-2026",
        role="county_admin",
        region=world.county,
    )
    client = logged_in(client, world.county_admin)
    assert client.get(f"/accounts/users/{peer.pk}/").status_code == 200
    assert client.post(f"/accounts/users/{peer.pk}/deactivate/").status_code == 403
    peer.refresh_from_db()
    assert peer.is_active


def test_region_field_follows_the_chosen_role(client, world):
    client = logged_in(client, world.county_admin)
    html = client.get("/accounts/users/region-field/", {"role": "village_clerk"}).content.decode()
    assert f"village:{world.village.pk}" in html
    assert f"township:{world.township.pk}" not in html
