"""Pages and exports: rendering, masking per role, forms through the services, scope."""

import datetime
import io

import pytest
from openpyxl import load_workbook

from apps.cadres.models import Cadre, CadrePosition
from apps.core import idnumbers
from apps.core.models import IdNumberAccess
from tests.cadres.conftest import id_number

pytestmark = pytest.mark.django_db

D = datetime.date


def logged_in(client, user, language="en"):
    client.force_login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    return client


@pytest.fixture
def records(world, make_cadre, make_position, make_reserve):
    cadre = make_cadre(name="张书记")
    position = make_position(cadre, "secretary", D(2021, 3, 1))
    make_position(cadre, "director", D(2021, 3, 1))
    reserve = make_reserve()
    from apps.cadres import services
    from apps.core.actors import SYSTEM

    training = services.training_create(
        actor=SYSTEM, cadre=cadre, course="示范培训", start_date=D(2024, 4, 1), days=5
    )
    enrolment = services.enrolment_create(
        actor=SYSTEM,
        cadre=cadre,
        institution="国家开放大学",
        target_education="college",
        enrolled_on=D(2024, 3, 1),
    )
    return {
        "cadre": cadre,
        "position": position,
        "reserve": reserve,
        "training": training,
        "enrolment": enrolment,
    }


PAGES = [
    "/cadres/",
    "/cadres/new/",
    "/cadres/{cadre}/",
    "/cadres/{cadre}/edit/",
    "/cadres/{cadre}/delete/",
    "/cadres/{cadre}/resign/",
    "/cadres/{cadre}/positions/new/",
    "/cadres/{cadre}/trainings/new/",
    "/cadres/{cadre}/enrolments/new/",
    "/cadres/positions/",
    "/cadres/positions/{position}/edit/",
    "/cadres/positions/{position}/end/",
    "/cadres/positions/{position}/delete/",
    "/cadres/reserves/",
    "/cadres/reserves/new/",
    "/cadres/reserves/short/",
    "/cadres/reserves/{reserve}/",
    "/cadres/reserves/{reserve}/edit/",
    "/cadres/reserves/{reserve}/delete/",
    "/cadres/trainings/",
    "/cadres/trainings/{training}/edit/",
    "/cadres/trainings/{training}/delete/",
    "/cadres/enrolments/{enrolment}/complete/",
    "/cadres/enrolments/{enrolment}/delete/",
    "/cadres/stats/",
    "/cadres/stats/?year=2022&township={township}",
    "/history/cadres/cadre/{cadre}/",
    "/history/cadres/cadreposition/{position}/",
    "/history/cadres/reservecadre/{reserve}/",
]


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_pages_render_for_township_staff(client, world, records, path, language):
    client = logged_in(client, world.township_staff, language)
    url = path.format(township=world.township.pk, **{k: v.pk for k, v in records.items()})
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    # The full number never reaches a township user's page, not even in a form.
    assert records["cadre"].id_number not in html
    assert records["reserve"].id_number not in html


def test_county_admin_sees_full_numbers_and_the_view_is_logged(client, world, records):
    client = logged_in(client, world.county_admin)
    cadre = records["cadre"]
    html = client.get(f"/cadres/{cadre.pk}/").content.decode()
    assert cadre.id_number in html
    assert IdNumberAccess.objects.filter(user=world.county_admin, record_id=str(cadre.pk)).exists()
    township_html = logged_in(client, world.township_staff).get(f"/cadres/{cadre.pk}/").content.decode()
    assert idnumbers.mask(cadre.id_number) in township_html


def test_other_townships_records_are_not_found(client, world, make_cadre, make_position):
    cadre = make_cadre(village=world.other_village)
    position = make_position(cadre, "clerk", D(2020, 1, 1))
    client = logged_in(client, world.township_staff)
    for url in (f"/cadres/{cadre.pk}/", f"/cadres/{cadre.pk}/edit/", f"/cadres/positions/{position.pk}/end/"):
        assert client.get(url).status_code == 404
    assert (
        client.post(
            f"/cadres/positions/{position.pk}/end/", {"end_date": "2021-01-01", "end_reason": "other"}
        ).status_code
        == 404
    )
    assert CadrePosition.objects.get(pk=position.pk).end_date is None
    assert client.get(f"/cadres/?township={world.other_township.pk}").context["page"].paginator.count == 0


def exported(response) -> list[tuple]:
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    return list(sheet.iter_rows(values_only=True))


@pytest.mark.parametrize(
    ("role", "full"),
    [("city_admin", True), ("county_admin", True), ("township_staff", False), ("api_client", False)],
)
def test_exports_mask_numbers_below_county_admin(client, world, records, role, full):
    client = logged_in(client, getattr(world, role))
    cadre, reserve = records["cadre"], records["reserve"]
    for url, number in (
        ("/cadres/export.xlsx", cadre.id_number),
        ("/cadres/positions/export.xlsx", cadre.id_number),
        ("/cadres/reserves/export.xlsx", reserve.id_number),
    ):
        rows = exported(client.get(url))
        shown = {cell for row in rows[1:] for cell in row if isinstance(cell, str) and len(cell) == 18}
        assert shown == ({number} if full else {idnumbers.mask(number)}), url
    sheet = load_workbook(io.BytesIO(client.get("/cadres/export.xlsx").content)).active
    assert sheet["G2"].data_type == "s"  # the ID number column is text


def test_create_cadre_with_a_spaced_number_and_see_the_warning(client, world):
    client = logged_in(client, world.township_staff)
    number = id_number(D(1980, 1, 1), prefix="999901")
    response = client.post(
        "/cadres/new/",
        {
            "village": world.village.pk, "name": "新干部", "id_number": f"{number[:6]} {number[6:]}", "gender": "male",
            "ethnicity": "汉族", "education": "college", "source": "local",
        },
        follow=True,
    )  # fmt: skip
    assert response.status_code == 200
    cadre = Cadre.objects.get(name="新干部")
    assert cadre.id_number == number
    messages = [str(m) for m in response.context["messages"]]
    assert "The region code of this ID number is not in the list of known codes; check it." in messages


def test_broken_number_on_the_form_is_a_field_error(client, world):
    client = logged_in(client, world.township_staff)
    number = id_number()
    broken = number[:-1] + ("0" if number[-1] != "0" else "1")
    response = client.post(
        "/cadres/new/",
        {"village": world.village.pk, "name": "坏号", "id_number": broken, "gender": "male", "ethnicity": "汉族",
         "education": "college", "source": "local"},
    )  # fmt: skip
    assert response.status_code == 200
    assert response.context["form"].errors["id_number"] == [
        "The check character of this ID number is wrong: check for a mistyped digit."
    ]
    assert not Cadre.objects.exists()


def test_editing_without_retyping_the_number_keeps_it(client, world, records):
    cadre = records["cadre"]
    client = logged_in(client, world.township_staff)
    form = client.get(f"/cadres/{cadre.pk}/edit/").context["form"]
    assert form.initial["id_number"] == ""
    data = {
        "village": world.village.pk, "name": "改名", "id_number": "", "gender": "male", "ethnicity": "汉族",
        "education": "bachelor_plus", "source": "local",
    }  # fmt: skip
    response = client.post(f"/cadres/{cadre.pk}/edit/", data)
    assert response.status_code == 302
    cadre.refresh_from_db()
    assert (cadre.name, cadre.education) == ("改名", "bachelor_plus")
    assert cadre.id_number == records["cadre"].id_number


def test_second_secretary_on_the_form(client, world, records, make_cadre):
    other = make_cadre(name="另一人")
    client = logged_in(client, world.township_staff)
    response = client.post(
        f"/cadres/{other.pk}/positions/new/", {"role": "secretary", "start_date": "2022-01-01"}
    )
    assert response.status_code == 200
    assert "already has a current Party secretary, 张书记" in response.content.decode()
    assert not other.positions.exists()


def test_resignation_page(client, world, records):
    cadre = records["cadre"]
    client = logged_in(client, world.township_staff)
    response = client.post(f"/cadres/{cadre.pk}/resign/", {"date": "2024-05-01", "reason": "外出务工"})
    assert response.status_code == 302
    assert set(cadre.positions.values_list("end_reason", flat=True)) == {"resigned"}


def test_village_clerk_reads_but_may_not_write(client, world, records):
    client = logged_in(client, world.village_clerk)
    assert client.get(f"/cadres/{records['cadre'].pk}/").status_code == 200
    assert client.get("/cadres/new/").status_code == 403
    assert (
        client.post(
            f"/cadres/{records['cadre'].pk}/resign/", {"date": "2024-05-01", "reason": "x"}
        ).status_code
        == 403
    )


def test_stats_page_and_list_filters(client, world, records):
    client = logged_in(client, world.county_admin)
    response = client.get("/cadres/stats/?year=2024")
    assert response.status_code == 200
    assert response.context["figures"]["one_shoulder_villages"] == 1
    assert [row["year"] for row in response.context["series"]] == list(range(2019, 2025))
    page = client.get("/cadres/?role=secretary").context["page"]
    assert [c.name for c in page] == ["张书记"]
    assert client.get("/cadres/?one_shoulder=true").context["page"].paginator.count == 1
    assert client.get("/cadres/?in_office=false").context["page"].paginator.count == 0
    partial = client.get("/cadres/", HTTP_HX_REQUEST="true")
    assert "<html" not in partial.content.decode()
    short = client.get("/cadres/reserves/short/")
    assert short.context["page"].paginator.count == 3


def test_the_list_shows_cadres_in_office_unless_asked_otherwise(client, world, records, make_cadre):
    make_cadre(name="离任者")
    client = logged_in(client, world.township_staff)
    assert [c.name for c in client.get("/cadres/").context["page"]] == ["张书记"]
    assert {c.name for c in client.get("/cadres/?in_office=").context["page"]} == {"张书记", "离任者"}
    rows = exported(client.get("/cadres/export.xlsx"))
    assert [row[3] for row in rows[1:]] == ["张书记"]


@pytest.mark.parametrize("model", ["cadre", "cadreposition", "reservecadre", "training", "degreeenrolment"])
def test_admin_pages_for_a_superuser(client, records, model, django_user_model):
    admin = django_user_model.objects.create_superuser("root", password="x")
    client.force_login(admin)
    assert client.get(f"/admin/cadres/{model}/").status_code == 200
    assert client.get(f"/admin/cadres/{model}/add/").status_code == 200


def test_admin_writes_go_through_the_services(client, world, django_user_model):
    admin = django_user_model.objects.create_superuser("root", password="x")
    client.force_login(admin)
    number = id_number(D(1979, 9, 9))
    data = {
        "village": world.village.pk, "name": "后台录入", "gender": "male", "ethnicity": "汉族",
        "id_number": f"{number[:6]} {number[6:]}", "education": "college", "source": "local", "notes": "",
        "positions-TOTAL_FORMS": "0", "positions-INITIAL_FORMS": "0",
    }  # fmt: skip
    response = client.post("/admin/cadres/cadre/add/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    cadre = Cadre.objects.get(name="后台录入")
    assert (cadre.id_number, cadre.birth_date) == (number, D(1979, 9, 9))
    response = client.post(
        "/admin/cadres/cadreposition/add/",
        {"cadre": cadre.pk, "village": world.village.pk, "role": "secretary", "start_date": "2021-03-01",
         "end_reason": "", "end_note": ""},
    )  # fmt: skip
    assert response.status_code == 302
    assert cadre.positions.get().role == "secretary"
