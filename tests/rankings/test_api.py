"""The REST contract of API.md "Rankings and lists": paths, fields, codes, scope and errors."""

import datetime
from decimal import Decimal

import pytest

from apps.collective_economy import services as economy_services
from apps.core.actors import SYSTEM
from apps.core.models import Job
from apps.core.periods import Month
from apps.rankings import services
from apps.rankings.models import Escalation, WeakCandidate
from apps.villages import services as village_services

from .conftest import log_days, make_team

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(world):
    """A published January work-team ranking with two teams (one in 登科街道, one in 柳林镇)."""
    full, half = make_team(world.village), make_team(world.other_village)
    log_days(full.member, Month(2025, 1), 31)
    log_days(half.member, Month(2025, 1), 10)
    ranking = services.ranking_run(actor=SYSTEM, kind="work_team", period="2025-01", county=world.county)
    return services.ranking_publish(actor=world.county_admin, ranking=ranking)


def test_run_queues_a_job_and_answers_202_with_its_task_id(world, api, monkeypatch):
    queued = []
    monkeypatch.setattr(
        "apps.rankings.tasks.run_ranking.apply_async", lambda **kw: queued.append(kw), raising=False
    )
    response = api(world.county_admin).post(
        "/api/v1/rankings/run/",
        {"kind": "village", "period": "2025", "county": world.county.pk},
        format="json",
    )
    assert response.status_code == 202
    task_id = response.json()["task_id"]
    assert set(response.json()) == {"task_id"}
    job = Job.objects.get(task_id=task_id)
    assert job.county == world.county and job.started_by == world.county_admin
    assert queued[0]["kwargs"] == {"kind": "village", "period": "2025", "county_id": world.county.pk}
    assert api(world.county_admin).get(f"/api/v1/tasks/{task_id}/").json()["state"] == "PENDING"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "district", "period": "2025"}, "kind"),
        ({"kind": "village", "period": "2099-01"}, "period"),
        ({"kind": "village", "period": "soon"}, "period"),
    ],
)
def test_bad_runs_answer_400_with_the_field(world, api, body, field):
    response = api(world.county_admin, "en").post(
        "/api/v1/rankings/run/", {**body, "county": world.county.pk}, format="json"
    )
    assert response.status_code == 400 and field in response.json()


def test_run_for_a_county_outside_the_region_or_by_staff_is_refused(world, api):
    body = {"kind": "village", "period": "2025", "county": world.county.pk}
    assert api(world.other_county_admin).post("/api/v1/rankings/run/", body, format="json").status_code == 400
    assert api(world.township_staff).post("/api/v1/rankings/run/", body, format="json").status_code == 403


def test_run_of_a_published_period_answers_400(world, api, published):
    response = api(world.county_admin, "en").post(
        "/api/v1/rankings/run/",
        {"kind": "work_team", "period": "2025-01", "county": world.county.pk},
        format="json",
    )
    assert response.status_code == 400 and "published" in response.json()["period"][0]


def test_rankings_and_entries_have_the_contract_fields(world, api, published):
    body = api(world.county_admin).get("/api/v1/rankings/", {"county": world.county.pk}).json()
    assert body["count"] == 1
    row = body["results"][0]
    assert {"id", "kind", "period", "county", "township", "status", "computed_at"} <= set(row)
    assert (row["kind"], row["period"], row["status"]) == ("work_team", "2025-01", "published")
    entries = api(world.county_admin).get(f"/api/v1/rankings/{published.pk}/entries/").json()["results"]
    assert [e["rank"] for e in entries] == [1, 2]
    assert entries[0]["score"] == 100.0 and entries[1]["score"] == 32.26
    item = entries[1]["breakdown"][0]
    assert {"indicator", "value", "weight", "contribution"} <= set(item)
    assert (item["indicator"], item["weight"], item["contribution"]) == ("team_duty_rate", 100.0, 32.26)
    assert {"rank", "subject_id", "subject_name", "score", "breakdown"} <= set(entries[0])


def test_township_staff_see_their_townships_entries_and_other_counties_see_nothing(world, api, published):
    entries = api(world.township_staff).get(f"/api/v1/rankings/{published.pk}/entries/").json()["results"]
    assert [e["subject_name"].split(" ")[0] for e in entries] == [world.village.name]
    assert api(world.other_county_admin).get(f"/api/v1/rankings/{published.pk}/").status_code == 404
    assert api(world.other_county_admin).get("/api/v1/rankings/").json()["count"] == 0
    assert api(world.other_county_admin).get(f"/api/v1/rankings/{published.pk}/entries/").status_code == 404


def test_publish_answers_200_then_400(world, api):
    make_team(world.village)
    ranking = services.ranking_run(actor=SYSTEM, kind="work_team", period="2025-02", county=world.county)
    client = api(world.county_admin, "en")
    first = client.post(f"/api/v1/rankings/{ranking.pk}/publish/")
    assert first.status_code == 200 and first.json()["status"] == "published"
    second = client.post(f"/api/v1/rankings/{ranking.pk}/publish/")
    assert second.status_code == 400 and "already published" in second.json()["non_field_errors"][0]
    assert api(world.township_staff).post(f"/api/v1/rankings/{ranking.pk}/publish/").status_code == 403


def test_escalations_list_and_talk(world, api, published):
    body = api(world.county_admin).get("/api/v1/escalations/").json()
    assert body["count"] == 2  # two teams: both in the bottom three
    row = body["results"][0]
    assert {"id", "subject_type", "subject_id", "ranking", "level", "consecutive"} <= set(row)
    assert (row["subject_type"], row["level"], row["consecutive"], row["ranking"]) == (
        "work_team",
        "interview",
        1,
        published.pk,
    )
    escalation = Escalation.objects.get(pk=row["id"])
    response = api(world.county_admin).post(
        f"/api/v1/escalations/{escalation.pk}/talk/",
        {"talk_date": "2025-02-05", "talk_by": "副部长", "talk_notes": "已约谈"},
        format="json",
    )
    assert response.status_code == 200 and response.json()["talk_date"] == "2025-02-05"
    assert api(world.county_admin).get("/api/v1/escalations/", {"open": "true"}).json()["count"] == 1
    assert api(world.other_county_admin).get("/api/v1/escalations/").json()["count"] == 0


def test_weak_candidates_by_county_and_year_and_confirm(world, api):
    org = village_services.organisation_create(
        actor=SYSTEM, villages=[world.village], name="红旗村党支部", kind="branch"
    )
    economy_services.income_create(actor=SYSTEM, village=world.village, year=2025)
    ranking = services.ranking_run(actor=SYSTEM, kind="village", period="2025", county=world.county)
    services.ranking_publish(actor=world.county_admin, ranking=ranking)
    body = (
        api(world.county_admin)
        .get("/api/v1/weak-candidates/", {"county": world.county.pk, "year": 2025})
        .json()
    )
    assert body["count"] == 1
    row = body["results"][0]
    assert row["organisation"] == org.pk and row["status"] == "proposed"
    assert {r["code"] for r in row["reasons"]} >= {"secretary_vacant", "empty_income"}
    assert api(world.county_admin).get("/api/v1/weak-candidates/", {"year": 2024}).json()["count"] == 0
    confirmed = api(world.county_admin).post(
        f"/api/v1/weak-candidates/{row['id']}/confirm/", {}, format="json"
    )
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "confirmed"
    rating = api(world.county_admin).get("/api/v1/ratings/", {"year": 2025}).json()["results"][0]
    assert rating["organisation"] == org.pk and rating["level"] == "weak"
    assert WeakCandidate.objects.get().rating_id == rating["id"]


def test_rectification_lists(world, api):
    economy_services.income_create(actor=SYSTEM, village=world.village, year=2025, operating=Decimal("100"))
    body = api(world.county_admin).get("/api/v1/rectification-lists/", {"county": world.county.pk}).json()
    assert set(body) >= {"overdue_rectifications", "short_of_reserves", "below_income_line"}
    assert [v["code"] for v in body["below_income_line"]] == [world.village.code]
    assert {v["code"] for v in body["short_of_reserves"]} == {
        world.village.code,
        world.village2.code,
        world.other_village.code,
    }
    assert (
        api(world.county_admin)
        .get("/api/v1/rectification-lists/", {"county": world.other_county.pk})
        .status_code
        == 404
    )


def test_configurations_api_refuses_weights_not_summing_to_100(world, api):
    client = api(world.county_admin, "en")
    body = {
        "county": world.county.pk,
        "kind": "work_team",
        "valid_from": "2025-01-01",
        "weights": {"team_duty_rate": 99},
    }
    response = client.post("/api/v1/ranking-configurations/", body, format="json")
    assert response.status_code == 400 and "100" in response.json()["weights"][0]
    body["weights"] = {"team_duty_rate": 60, "team_evaluation": 40}
    response = client.post("/api/v1/ranking-configurations/", body, format="json")
    assert response.status_code == 201 and response.json()["weights"] == {
        "team_duty_rate": 60,
        "team_evaluation": 40,
    }
    assert datetime.date.fromisoformat(response.json()["valid_from"]) == datetime.date(2025, 1, 1)


def test_anonymous_gets_401(client):
    assert client.get("/api/v1/rankings/").status_code == 401
