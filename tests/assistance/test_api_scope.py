"""Scope on every assistance endpoint: other regions' records are 404, writes into them are refused."""

import datetime
from decimal import Decimal

import pytest

from apps.assistance import services
from apps.assistance.models import (
    AssistanceMeasure,
    DutyLog,
    Evaluation,
    Household,
    HouseholdIncome,
    WorkTeam,
    WorkTeamMember,
)
from apps.core.actors import SYSTEM
from apps.core.periods import Quarter

from .conftest import id_number, make_household, make_member, make_team

pytestmark = pytest.mark.django_db


def build(village, label):
    """One record of every kind in ``village``."""
    team = make_team(village, start=datetime.date(2024, 1, 1))
    member = make_member(team, f"{label}书记", role="first_secretary", start=datetime.date(2024, 1, 1))
    household = make_household(village, f"{label}户")
    return {
        "work-teams": team,
        "work-team-members": member,
        "duty-logs": services.duty_log_create(actor=SYSTEM, member=member, date=datetime.date(2025, 3, 3)),
        "households": household,
        "household-members": services.household_member_create(
            actor=SYSTEM,
            household=household,
            name=f"{label}子",
            id_number=id_number(born="20100101"),
            relation="child",
        ),
        "household-incomes": services.household_income_create(
            actor=SYSTEM, household=household, year=2019, per_capita_net_income=Decimal("5000")
        ),
        "household-status-changes": services.household_status_change(
            actor=SYSTEM, household=household, status="exited", date=datetime.date(2019, 12, 1)
        ),
        "assistance-measures": services.assistance_measure_create(
            actor=SYSTEM,
            household=household,
            kind="industry",
            date=datetime.date(2019, 3, 1),
            amount=Decimal("800"),
        ),
        "responsibility-items": services.responsibility_item_create(
            actor=SYSTEM, village=village, year=2025, kind="help", holder=f"{label}单位", task="修路"
        ),
        "evaluations": services.evaluation_create(actor=SYSTEM, member=member, year=2024, grade="good"),
        "commendations": services.commendation_create(
            actor=SYSTEM,
            village=village,
            person_name=f"{label}书记",
            date=datetime.date(2024, 5, 1),
            level="county",
            title="优秀",
        ),
        "promotions": services.promotion_create(
            actor=SYSTEM,
            village=village,
            person_name=f"{label}书记",
            date=datetime.date(2024, 5, 1),
            level="county",
            rank="other",
        ),
        "discipline-cases": services.discipline_case_create(
            actor=SYSTEM,
            village=village,
            person_name=f"{label}干部",
            date=datetime.date(2024, 5, 1),
            category="absent",
            outcome="criticism",
        ),
    }


@pytest.fixture
def records(world):
    mine = build(world.village, "本")
    other = build(world.other_village, "邻")
    far = build(world.far_village, "外")
    for county in (world.county, world.other_county):
        services.spot_check_sample(actor=SYSTEM, county=county, quarter=Quarter(2025, 1), seed=1)
    mine["spot-checks"] = mine["work-teams"].spot_checks.get()
    other["spot-checks"] = None
    far["spot-checks"] = far["work-teams"].spot_checks.get()
    return {"mine": mine, "other": other, "far": far}


ENDPOINTS = [
    "work-teams",
    "work-team-members",
    "duty-logs",
    "households",
    "household-members",
    "household-incomes",
    "household-status-changes",
    "assistance-measures",
    "responsibility-items",
    "spot-checks",
    "evaluations",
    "commendations",
    "promotions",
    "discipline-cases",
]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_township_staff_list_only_their_township_and_get_404_elsewhere(world, api, records, endpoint):
    client = api(world.township_staff)
    response = client.get(f"/api/v1/{endpoint}/")
    assert response.status_code == 200
    ids = {row["id"] for row in response.json()["results"]}
    assert ids == {records["mine"][endpoint].pk}
    for region in ("other", "far"):
        record = records[region][endpoint]
        if record is None:
            continue
        for method in ("get", "patch", "put", "delete"):
            response = getattr(client, method)(f"/api/v1/{endpoint}/{record.pk}/", {}, format="json")
            assert response.status_code in (404, 405), (method, response.status_code)
            assert response["Content-Type"].startswith("application/json")


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_county_admin_sees_the_county_and_not_the_next(world, api, records, endpoint):
    response = api(world.county_admin).get(f"/api/v1/{endpoint}/?page_size=100")
    ids = {row["id"] for row in response.json()["results"]}
    expected = {records[r][endpoint].pk for r in ("mine", "other") if records[r][endpoint] is not None}
    assert ids == expected
    response = api(world.county_admin).get(f"/api/v1/{endpoint}/?county={world.other_county.pk}")
    assert response.json()["count"] == 0


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_village_clerk_reads_their_village_but_cannot_write(world, api, records, endpoint):
    client = api(world.village_clerk)
    ids = {row["id"] for row in client.get(f"/api/v1/{endpoint}/").json()["results"]}
    assert ids == {records["mine"][endpoint].pk}
    response = client.patch(f"/api/v1/{endpoint}/{records['mine'][endpoint].pk}/", {}, format="json")
    assert response.status_code in (403, 405)


def test_anonymous_gets_401(client, world):
    for endpoint in ENDPOINTS + ["stats/assistance", "allowances"]:
        assert client.get(f"/api/v1/{endpoint}/").status_code == 401


CREATES = [
    (
        "work-teams",
        lambda r: {"village": r["other"]["work-teams"].village_id, "start_date": "2025-01-01"},
        "village",
    ),
    (
        "work-team-members",
        lambda r: {
            "team": r["other"]["work-teams"].pk,
            "name": "越界",
            "id_number": id_number(),
            "unit_name": "x",
            "unit_type": "other",
            "unit_level": "county_plus",
            "start_date": "2025-01-01",
        },
        "team",
    ),
    ("duty-logs", lambda r: {"member": r["other"]["work-team-members"].pk, "date": "2025-03-04"}, "member"),
    (
        "households",
        lambda r: {
            "village": r["other"]["households"].village_id,
            "head_name": "越界",
            "head_id_number": id_number(),
            "size": 2,
            "cause": "illness",
        },
        "village",
    ),
    (
        "household-members",
        lambda r: {
            "household": r["other"]["households"].pk,
            "name": "越界",
            "id_number": id_number(),
            "relation": "child",
        },
        "household",
    ),
    (
        "household-incomes",
        lambda r: {
            "household": r["other"]["households"].pk,
            "year": 2018,
            "per_capita_net_income": "4000.00",
        },
        "household",
    ),
    (
        "assistance-measures",
        lambda r: {"household": r["other"]["households"].pk, "kind": "health", "date": "2020-01-01"},
        "household",
    ),
    (
        "responsibility-items",
        lambda r: {
            "village": r["other"]["households"].village_id,
            "year": 2030,
            "kind": "lead",
            "holder": "x",
            "task": "x",
        },
        "village",
    ),
]


@pytest.mark.parametrize(("endpoint", "payload", "field"), CREATES)
def test_creating_into_another_township_is_a_field_error_and_saves_nothing(
    world, api, records, endpoint, payload, field
):
    models = [WorkTeam, WorkTeamMember, DutyLog, Household, HouseholdIncome, AssistanceMeasure, Evaluation]
    before = [m.objects.count() for m in models]
    response = api(world.township_staff, language="en").post(
        f"/api/v1/{endpoint}/", payload(records), format="json"
    )
    assert response.status_code == 400, response.json()
    assert field in response.json()
    assert [m.objects.count() for m in models] == before


def test_county_business_is_refused_to_township_staff(world, api, records):
    client = api(world.township_staff)
    member = records["mine"]["work-team-members"]
    response = client.post(
        "/api/v1/evaluations/", {"member": member.pk, "year": 2025, "grade": "good"}, format="json"
    )
    assert response.status_code == 403
    response = client.post(
        "/api/v1/spot-checks/sample/",
        {"county": world.county.pk, "quarter": "2025Q2", "seed": 1},
        format="json",
    )
    assert response.status_code == 403
    check = records["mine"]["spot-checks"]
    assert (
        client.patch(f"/api/v1/spot-checks/{check.pk}/", {"result": "pass"}, format="json").status_code == 403
    )


def test_other_county_admin_cannot_draw_or_read_this_county(world, api, records):
    client = api(world.other_county_admin)
    response = client.post(
        "/api/v1/spot-checks/sample/", {"county": world.county.pk, "quarter": "2025Q2"}, format="json"
    )
    assert response.status_code == 400 and "county" in response.json()
    member = records["mine"]["work-team-members"]
    assert client.get(f"/api/v1/work-team-members/{member.pk}/allowance/?month=2025-03").status_code == 404
    assert client.get(f"/api/v1/stats/assistance/?county={world.county.pk}").status_code == 404
    assert client.get(f"/api/v1/allowances/?month=2025-03&township={world.township.pk}").status_code == 404
    rows = client.get("/api/v1/allowances/?month=2025-03").json()["rows"]
    assert {row["name"] for row in rows} == {"外书记"}


def test_actions_on_records_outside_scope_are_404(world, api, records):
    client = api(world.township_staff)
    other = records["other"]
    assert (
        client.post(
            f"/api/v1/households/{other['households'].pk}/status/", {"status": "monitored"}, format="json"
        ).status_code
        == 404
    )
    assert (
        client.post(
            f"/api/v1/responsibility-items/{other['responsibility-items'].pk}/reconcile/",
            {"quarter": 1, "done": False},
            format="json",
        ).status_code
        == 404
    )
    assert (
        client.post(
            f"/api/v1/work-team-members/{other['work-team-members'].pk}/end/",
            {"end_date": "2025-12-31"},
            format="json",
        ).status_code
        == 404
    )
    far_check = records["far"]["spot-checks"]
    assert (
        api(world.county_admin)
        .post(
            f"/api/v1/spot-checks/{far_check.pk}/recall/",
            {"member": records["far"]["work-team-members"].pk},
            format="json",
        )
        .status_code
        == 404
    )
    response = client.post(
        "/api/v1/duty-logs/month/",
        {
            "team": other["work-teams"].pk,
            "month": "2025-03",
            "entries": [{"member": other["work-team-members"].pk, "date": "2025-03-05", "on_duty": True}],
        },
        format="json",
    )
    assert response.status_code == 400 and "team" in response.json()
