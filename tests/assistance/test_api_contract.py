"""API.md's Assistance contract: paths, field names, codes, money as strings, and the rules' errors."""

import datetime

import pytest

from apps.assistance import services
from apps.assistance.models import DutyLog, SpotCheckDraw
from apps.core.actors import SYSTEM

from .conftest import id_number, make_member, make_team

pytestmark = pytest.mark.django_db


def test_work_team_and_member_fields(world, api, team):
    client = api(world.county_admin)
    body = client.get(f"/api/v1/work-teams/{team.pk}/").json()
    assert {"id", "village", "start_date", "end_date"} <= set(body)
    assert body["first_secretary_name"] == "李书记"
    member = client.get(f"/api/v1/work-team-members/{team.member.pk}/").json()
    assert {
        "id",
        "team",
        "name",
        "id_number",
        "unit_name",
        "unit_type",
        "unit_level",
        "role",
        "start_date",
        "end_date",
    } <= set(member)
    assert (member["unit_type"], member["unit_level"], member["role"]) == (
        "party_gov",
        "county_plus",
        "member",
    )
    assert member["id_number"] == team.member.id_number  # county admins see it in full
    masked = api(world.township_staff).get(f"/api/v1/work-team-members/{team.member.pk}/").json()["id_number"]
    assert masked == team.member.id_number[:3] + "*" * 11 + team.member.id_number[-4:]


def test_two_current_first_secretaries_answer_400(world, api, team):
    response = api(world.township_staff, language="en").post(
        "/api/v1/work-team-members/",
        {
            "team": team.pk,
            "name": "二书记",
            "id_number": id_number(),
            "unit_name": "x",
            "unit_type": "soe",
            "unit_level": "county_plus",
            "role": "first_secretary",
            "start_date": "2025-05-01",
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"role": ["The team already has a first secretary in this period."]}


def test_duty_log_one_per_member_and_date(world, api, team):
    client = api(world.township_staff, language="en")
    payload = {"member": team.member.pk, "date": "2025-03-03", "on_duty": True}
    assert client.post("/api/v1/duty-logs/", payload, format="json").status_code == 201
    response = client.post("/api/v1/duty-logs/", payload, format="json")
    assert response.status_code == 400
    assert response.json() == {"date": ["This member already has a duty log for this day."]}
    response = client.post("/api/v1/duty-logs/", {**payload, "date": "2024-12-31"}, format="json")
    assert response.status_code == 400 and "date" in response.json()
    assert DutyLog.objects.count() == 1


def test_duty_month_all_or_nothing_through_the_api(world, api):
    team = make_team(world.village, start=datetime.date(2025, 1, 1))
    member = make_member(team, start=datetime.date(2025, 3, 10))
    client = api(world.township_staff, language="en")
    entries = [{"member": member.pk, "date": f"2025-03-{d:02d}", "on_duty": d % 2 == 0} for d in range(9, 32)]
    response = client.post(
        "/api/v1/duty-logs/month/", {"team": team.pk, "month": "2025-03", "entries": entries}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["entries"] == [f"2025-03-09 is outside {member.name}'s assignment."]
    assert not DutyLog.objects.exists()
    response = client.post(
        "/api/v1/duty-logs/month/",
        {"team": team.pk, "month": "2025-03", "entries": entries[1:]},
        format="json",
    )
    assert response.status_code == 200
    assert response.json() == {"created": 22, "updated": 0}
    response = client.post(
        "/api/v1/duty-logs/month/", {"team": team.pk, "month": "March", "entries": entries[1:]}, format="json"
    )
    assert response.status_code == 400 and "month" in response.json()


def test_allowance_endpoint(world, api, team):
    for day in (3, 4, 5):
        services.duty_log_create(actor=SYSTEM, member=team.member, date=datetime.date(2025, 3, day))
    client = api(world.township_staff)
    body = client.get(f"/api/v1/work-team-members/{team.member.pk}/allowance/?month=2025-03").json()
    assert (body["living"], body["communication"], body["total"]) == ("300.00", "80.00", "380.00")
    assert body["month"] == "2025-03" and body["on_duty_days"] == 3 and body["assigned_days"] == 31
    response = client.get(f"/api/v1/work-team-members/{team.member.pk}/allowance/")
    assert response.status_code == 400 and "month" in response.json()
    sheet = client.get("/api/v1/allowances/?month=2025-03").json()
    assert sheet["total"] == "540.00" and len(sheet["rows"]) == 3


def test_spot_check_sample_endpoint(world, api, team, other_team):
    client = api(world.county_admin, language="en")
    response = client.post(
        "/api/v1/spot-checks/sample/",
        {"county": world.county.pk, "quarter": "2025Q2", "seed": 42},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["quarter"], body["seed"], body["active_teams"], body["sample_size"]) == ("2025Q2", 42, 2, 1)
    check = body["checks"][0]
    assert {"id", "county", "quarter", "team", "seed", "finding", "result"} <= set(check)
    assert (check["county"], check["seed"], check["result"]) == (world.county.pk, 42, "pending")
    again = client.post(
        "/api/v1/spot-checks/sample/",
        {"county": world.county.pk, "quarter": "2025Q2", "seed": 42},
        format="json",
    )
    assert again.status_code == 400
    assert again.json() == {"quarter": ["This county's teams were already drawn for 2025Q2."]}
    empty = client.post(
        "/api/v1/spot-checks/sample/", {"county": world.county.pk, "quarter": "2024Q4"}, format="json"
    )
    assert empty.status_code == 400
    assert empty.json() == {"quarter": ["No work team of this county is active in 2024Q4."]}
    bad = client.post(
        "/api/v1/spot-checks/sample/", {"county": world.county.pk, "quarter": "2025-2"}, format="json"
    )
    assert bad.status_code == 400 and "quarter" in bad.json()
    assert SpotCheckDraw.objects.count() == 1
    assert client.post("/api/v1/spot-checks/", {}, format="json").status_code == 405
    # Result and recall
    check_id = check["id"]
    team_id = check["team"]
    fail = client.patch(
        f"/api/v1/spot-checks/{check_id}/", {"result": "fail", "finding": "不在岗"}, format="json"
    )
    assert fail.status_code == 200 and fail.json()["result"] == "fail"
    member = (team if team.pk == team_id else other_team).secretary
    recall = client.post(
        f"/api/v1/spot-checks/{check_id}/recall/", {"member": member.pk, "date": "2025-06-30"}, format="json"
    )
    assert recall.status_code == 200
    assert (recall.json()["end_date"], recall.json()["end_reason"]) == ("2025-06-30", "recalled")


def test_household_contract_and_bad_input(world, api):
    client = api(world.township_staff, language="en")
    payload = {
        "village": world.village.pk,
        "head_name": "张大山",
        "head_id_number": id_number(),
        "size": 4,
        "cause": "lack_labour",
        "registered_on": "2014-06-01",
    }
    response = client.post("/api/v1/households/", payload, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert {
        "id",
        "village",
        "head_name",
        "head_id_number",
        "size",
        "cause",
        "status",
        "exit_year",
        "paired_cadre",
    } <= set(body)
    assert (body["status"], body["exit_year"], body["paired_cadre"]) == ("poor", None, None)
    household = body["id"]
    change = client.post(
        f"/api/v1/households/{household}/status/", {"status": "exited", "date": "2017-10-01"}, format="json"
    )
    assert change.status_code == 201 and change.json()["status"] == "exited"
    assert client.get(f"/api/v1/households/{household}/").json()["exit_year"] == 2017
    bad = client.post(f"/api/v1/households/{household}/status/", {"status": "poor"}, format="json")
    assert bad.status_code == 400 and "status" in bad.json()
    negative = client.post(
        "/api/v1/household-incomes/",
        {"household": household, "year": 2017, "per_capita_net_income": "-5.00"},
        format="json",
    )
    assert negative.status_code == 400
    assert negative.json() == {"per_capita_net_income": ["An income cannot be negative."]}
    income = client.post(
        "/api/v1/household-incomes/",
        {"household": household, "year": 2017, "per_capita_net_income": "3400.5"},
        format="json",
    )
    assert income.status_code == 201 and income.json()["per_capita_net_income"] == "3400.50"
    unknown = client.post("/api/v1/households/", {**payload, "colour": "red"}, format="json")
    assert unknown.status_code == 400 and "non_field_errors" in unknown.json()
    duplicate = client.post("/api/v1/households/", payload, format="json")
    assert duplicate.status_code == 400 and "head_id_number" in duplicate.json()
    assert payload["head_id_number"] not in str(duplicate.json())


def test_evaluations_and_records_codes(world, api, team):
    client = api(world.county_admin)
    response = client.post(
        "/api/v1/evaluations/",
        {"member": team.secretary.pk, "year": 2025, "grade": "excellent"},
        format="json",
    )
    assert response.status_code == 201 and response.json()["grade"] == "excellent"
    again = client.post(
        "/api/v1/evaluations/", {"member": team.secretary.pk, "year": 2025, "grade": "poor"}, format="json"
    )
    assert again.status_code == 400 and "year" in again.json()
    wrong = client.post(
        "/api/v1/evaluations/", {"member": team.secretary.pk, "year": 2025, "grade": "A"}, format="json"
    )
    assert wrong.status_code == 400 and "grade" in wrong.json()
    case = client.post(
        "/api/v1/discipline-cases/",
        {
            "village": world.village.pk,
            "person_name": "某",
            "date": "2018-04-01",
            "category": "false_figures",
            "outcome": "party_discipline",
        },
        format="json",
    )
    assert case.status_code == 201, case.json()


def test_stats_endpoint(world, api, team):
    response = api(world.county_admin).get("/api/v1/stats/assistance/?month=2025-03")
    assert response.status_code == 200
    body = response.json()
    assert body["members_by_unit_type"] == {"party_gov": 3}
    assert body["month"] == "2025-03"
    assert [row["year"] for row in body["incidence"]][0] == 2014
    assert {
        "over_time",
        "duty_rates_by_township",
        "households_by_cause_and_status",
        "pairs_per_cadre",
    } <= set(body)
    assert api(world.county_admin).get("/api/v1/stats/assistance/?month=bad").status_code == 400
