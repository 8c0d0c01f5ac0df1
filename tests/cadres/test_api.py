"""The cadres API: contract, ID numbers (validation, masking per role, warnings), scope, actions, statistics."""

import datetime

import pytest

from apps.cadres.models import Cadre, CadrePosition, ReserveCadre
from apps.core import idnumbers
from apps.core.models import IdNumberAccess
from tests.cadres.conftest import id_number, with_wrong_check

pytestmark = pytest.mark.django_db

D = datetime.date
CADRES = "/api/v1/cadres/"
POSITIONS = "/api/v1/cadre-positions/"
RESERVES = "/api/v1/reserve-cadres/"
TRAININGS = "/api/v1/trainings/"
ENROLMENTS = "/api/v1/degree-enrolments/"
STATS = "/api/v1/stats/cadres/"


def cadre_payload(world, number, **overrides):
    payload = {
        "village": world.village.pk,
        "name": "王五",
        "gender": "male",
        "ethnicity": "汉族",
        "id_number": number,
        "education": "college",
        "is_party_member": True,
        "source": "returned_migrant",
        "is_wealth_leader": False,
    }
    return {**payload, **overrides}


def test_create_normalises_the_number_and_derives_birth_date_and_age(world, api):
    number = id_number(D(1985, 7, 9))
    typed = f"{number[:6]} {number[6:14]} {number[14:].lower()}"
    response = api(world.county_admin, language="en").post(CADRES, cadre_payload(world, typed), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["id_number"] == number
    assert body["birth_date"] == "1985-07-09"
    assert body["age"] == idnumbers.age_on(D(1985, 7, 9), datetime.date.today())
    assert (body["township"], body["county"]) == (world.township.pk, world.county.pk)
    assert body["current_roles"] == [] and body["is_one_shoulder"] is False
    assert body["warnings"] == []
    assert Cadre.objects.get().id_number == number


@pytest.mark.parametrize(
    ("role", "full"),
    [
        ("city_admin", True),
        ("county_admin", True),
        ("township_staff", False),
        ("api_client", False),
        ("village_clerk", False),
    ],
)
def test_numbers_are_masked_below_county_admin(world, api, make_cadre, role, full):
    cadre = make_cadre()
    body = api(getattr(world, role)).get(f"{CADRES}{cadre.pk}/").json()
    expected = cadre.id_number if full else cadre.id_number[:3] + "*" * 11 + cadre.id_number[-4:]
    assert body["id_number"] == expected
    listed = api(getattr(world, role)).get(CADRES).json()["results"]
    assert [row["id_number"] for row in listed] == [expected]
    # Every full number shown is in the access log; masked ones are not.
    assert IdNumberAccess.objects.filter(record_id=str(cadre.pk)).exists() is full


@pytest.mark.parametrize(
    ("number", "message"),
    [
        (
            with_wrong_check(id_number()),
            "The check character of this ID number is wrong: check for a mistyped digit.",
        ),
        ("511902" + "19750230" + "123" + "X", "The birth date in this ID number does not exist."),
        ("5119021975", "An ID number has 18 characters; this one has 10."),
    ],
    ids=["check character", "impossible date", "short"],
)
def test_broken_numbers_answer_400_without_echoing_them(world, api, number, message):
    response = api(world.township_staff, language="en").post(
        CADRES, cadre_payload(world, number), format="json"
    )
    assert response.status_code == 400
    assert response.json()["id_number"] == [message]
    assert number not in response.content.decode()
    assert not Cadre.objects.exists()


def test_future_birth_date_and_duplicate_numbers_are_400(world, api, make_cadre):
    client = api(world.township_staff, language="en")
    first17 = f"511902{datetime.date.today().year + 1}0101123"
    response = client.post(
        CADRES, cadre_payload(world, first17 + idnumbers.check_character(first17)), format="json"
    )
    assert response.status_code == 400
    assert response.json()["id_number"] == ["The birth date in this ID number is in the future."]
    existing = make_cadre(village=world.far_village)
    response = client.post(CADRES, cadre_payload(world, existing.id_number), format="json")
    assert response.status_code == 400
    assert response.json()["id_number"] == ["A cadre with this ID number is already recorded."]
    assert Cadre.objects.count() == 1


def test_unknown_region_code_is_saved_with_a_warning(world, api):
    number = id_number(D(1980, 1, 1), prefix="999901")
    response = api(world.county_admin, language="en").post(
        CADRES, cadre_payload(world, number), format="json"
    )
    assert response.status_code == 201
    assert response.json()["warnings"] == [
        "The region code 999901 is not in the list of known codes; check it."
    ]
    masked = api(world.township_staff, language="en").get(f"{CADRES}{response.json()['id']}/").json()
    assert masked["warnings"] == [
        "The region code of this ID number is not in the list of known codes; check it."
    ]


def test_unknown_fields_and_read_only_birth_date(world, api):
    response = api(world.township_staff).post(
        CADRES, cadre_payload(world, id_number(), colour="red"), format="json"
    )
    assert response.status_code == 400
    assert "colour" in response.json()["non_field_errors"][0]


def test_patch_without_the_number_keeps_it_and_masked_users_cannot_put_it_back_masked(world, api, make_cadre):
    cadre = make_cadre()
    client = api(world.township_staff, language="en")
    response = client.patch(f"{CADRES}{cadre.pk}/", {"education": "bachelor_plus"}, format="json")
    assert response.status_code == 200
    cadre.refresh_from_db()
    assert cadre.education == "bachelor_plus" and cadre.id_number.isalnum()
    masked = client.get(f"{CADRES}{cadre.pk}/").json()["id_number"]
    response = client.patch(f"{CADRES}{cadre.pk}/", {"id_number": masked}, format="json")
    assert response.status_code == 400
    assert Cadre.objects.get(pk=cadre.pk).id_number == cadre.id_number


def test_scope_of_reads_and_writes(world, api, make_cadre):
    other = make_cadre(village=world.other_village)
    client = api(world.township_staff, language="en")
    assert client.get(f"{CADRES}{other.pk}/").status_code == 404
    assert client.patch(f"{CADRES}{other.pk}/", {"name": "改"}, format="json").status_code == 404
    assert client.get(CADRES).json()["count"] == 0
    response = client.post(
        CADRES, cadre_payload(world, id_number(), village=world.other_village.pk), format="json"
    )
    assert response.status_code == 400 and "village" in response.json()
    assert api(world.county_admin).get(f"{CADRES}?township={world.other_township.pk}").json()["count"] == 1


def test_anonymous_gets_401(client, db):
    for path in (CADRES, POSITIONS, RESERVES, TRAININGS, STATS):
        response = client.get(path)
        assert response.status_code == 401
        assert response["Content-Type"] == "application/json"


def test_positions_contract_and_rules(world, api, make_cadre):
    client = api(world.township_staff, language="en")
    first, second = make_cadre(name="甲"), make_cadre(name="乙")
    response = client.post(
        POSITIONS,
        {"cadre": first.pk, "role": "secretary", "start_date": "2021-03-01", "monthly_pay": "1680"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["village"] == world.village.pk and body["monthly_pay"] == "1680.00"
    assert body["end_date"] is None and body["end_reason"] == "" and body["is_current"] is True

    response = client.post(
        POSITIONS, {"cadre": second.pk, "role": "secretary", "start_date": "2022-01-01"}, format="json"
    )
    assert response.status_code == 400
    assert "already has a current Party secretary" in response.json()["non_field_errors"][0]

    response = client.post(
        POSITIONS,
        {
            "cadre": second.pk,
            "role": "clerk",
            "start_date": "2022-01-01",
            "end_date": "2021-12-31",
            "end_reason": "resigned",
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["end_date"] == ["A position cannot end before it starts."]
    assert CadrePosition.objects.count() == 1

    client.post(POSITIONS, {"cadre": first.pk, "role": "director", "start_date": "2021-03-01"}, format="json")
    cadre = client.get(f"{CADRES}{first.pk}/").json()
    assert cadre["current_roles"] == ["director", "secretary"] and cadre["is_one_shoulder"] is True

    response = client.post(
        f"{CADRES}{first.pk}/resign/", {"date": "2023-05-01", "reason": "外出务工"}, format="json"
    )
    assert response.status_code == 200
    assert {(p["role"], p["end_reason"], p["end_date"]) for p in response.json()} == {
        ("secretary", "resigned", "2023-05-01"),
        ("director", "resigned", "2023-05-01"),
    }
    assert client.get(f"{POSITIONS}?end_reason=resigned&ended_in=2023").json()["count"] == 2
    assert client.get(f"{POSITIONS}?current=true").json()["count"] == 0


def test_end_action(world, api, make_cadre, make_position):
    position = make_position(make_cadre(), "clerk", D(2020, 1, 1))
    client = api(world.township_staff, language="en")
    response = client.post(
        f"{POSITIONS}{position.pk}/end/", {"end_date": "2019-01-01", "end_reason": "resigned"}
    )
    assert response.status_code == 400
    response = client.post(
        f"{POSITIONS}{position.pk}/end/",
        {"end_date": "2021-02-01", "end_reason": "transferred", "end_note": "调乡镇"},
    )
    assert response.status_code == 200
    assert (response.json()["end_reason"], response.json()["end_note"]) == ("transferred", "调乡镇")


def test_reserves_trainings_and_enrolments(world, api, make_cadre):
    client = api(world.township_staff, language="en")
    number = id_number(D(1993, 4, 4))
    response = client.post(
        RESERVES,
        {
            "village": world.village.pk, "name": "后备", "gender": "male", "id_number": number,
            "education": "college", "is_returned_migrant": True, "since": "2022-01-01",
        },
        format="json",
    )  # fmt: skip
    assert response.status_code == 201, response.json()
    assert response.json()["id_number"] == idnumbers.mask(number)
    assert response.json()["birth_date"] == "1993-04-04"
    assert ReserveCadre.objects.get().id_number == number

    cadre = make_cadre(education="high_school")
    response = client.post(
        TRAININGS, {"cadre": cadre.pk, "course": "示范培训", "start_date": "2024-04-01", "days": 5}
    )
    assert response.status_code == 201
    assert client.get(f"{TRAININGS}?year=2024").json()["count"] == 1
    response = client.post(
        TRAININGS, {"cadre": cadre.pk, "course": "x", "start_date": "2024-04-01", "days": 0}
    )
    assert response.status_code == 400 and "days" in response.json()

    response = client.post(
        ENROLMENTS,
        {
            "cadre": cadre.pk,
            "institution": "国家开放大学",
            "target_education": "college",
            "enrolled_on": "2022-09-01",
        },
    )
    assert response.status_code == 201, response.json()
    response = client.post(f"{ENROLMENTS}{response.json()['id']}/complete/", {"completed_on": "2024-07-01"})
    assert response.status_code == 200
    assert response.json()["previous_education"] == "high_school"
    assert client.get(f"{CADRES}{cadre.pk}/").json()["education"] == "college"


def test_stats_endpoint(world, api, make_cadre, make_position, make_reserve):
    old = make_cadre(name="老", born=D(1960, 1, 1))
    make_position(old, "secretary", D(2016, 11, 1), D(2020, 7, 1), end_reason="resigned")
    make_position(make_cadre(name="新", born=D(1985, 1, 1)), "secretary", D(2020, 7, 1))
    make_reserve()
    client = api(world.county_admin, language="en")

    body = client.get(f"{STATS}?year=2019&county={world.county.pk}").json()
    assert body["as_of"] == "2019-12-31"
    assert body["region"] == {
        "level": "county",
        "id": world.county.pk,
        "code": "511903000000",
        "name": "恩阳区",
    }
    for key in ("education_shares", "average_age", "one_shoulder_ratio", "resignations", "reserve_count",
                "villages_short_of_reserves"):  # fmt: skip
        assert key in body
    assert body["average_age"] == 59.0 and body["reserve_count"] == 1
    assert client.get(f"{STATS}?year=2020").json()["resignations"] == 1
    assert client.get(f"{STATS}?year=2021").json()["average_age"] == 36.0

    assert client.get(f"{STATS}?county={world.other_county.pk}").status_code == 404
    response = client.get(f"{STATS}?county={world.county.pk}&township={world.township.pk}")
    assert response.status_code == 400
    assert client.get(f"{STATS}?year=abc").status_code == 400

    series = client.get(f"{STATS}series/?from_year=2019&to_year=2021").json()["years"]
    assert [row["average_age"] for row in series] == [59.0, 35.0, 36.0]
    assert client.get(f"{STATS}series/?from_year=2021&to_year=2019").status_code == 400

    short = client.get(f"{STATS}short-of-reserves/?year=2019").json()
    assert short["count"] == 3
    assert short["results"][0]["reserve_count"] in (0, 1) and short["results"][0]["reserves_required"] == 2
    assert api(world.township_staff).get(f"{STATS}short-of-reserves/?year=2019").json()["count"] == 2


def test_schema_lists_the_cadre_endpoints(client, db):
    schema = client.get("/api/schema/").content.decode()
    for path in ("/api/v1/cadres/", "/api/v1/cadre-positions/", "/api/v1/reserve-cadres/", "/api/v1/trainings/",
                 "/api/v1/stats/cadres/"):  # fmt: skip
        assert path in schema
