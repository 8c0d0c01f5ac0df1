"""A real Celery worker on Redis computes a ranking; progress and result through GET tasks/{id}/."""

import datetime

import pytest
from celery.contrib.testing.worker import start_worker
from celery.result import AsyncResult

from apps.core.periods import Month
from apps.rankings.models import Ranking, RankingStatus
from apps.rankings.tasks import run_monthly_rankings
from config.celery_app import app as celery_app

from .conftest import log_days, make_team


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_the_ranking_and_the_api_reports_it(world, api):
    team = make_team(world.village)
    log_days(team.member, Month(2025, 1), 20)
    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        response = api(world.county_admin).post(
            "/api/v1/rankings/run/",
            {"kind": "work_team", "period": "2025-01", "county": world.county.pk},
            format="json",
        )
        assert response.status_code == 202
        task_id = response.json()["task_id"]
        result = AsyncResult(task_id).get(timeout=60)
    ranking = Ranking.objects.get(pk=result["ranking_id"])
    assert (ranking.kind, ranking.period, ranking.status, ranking.subjects) == (
        "work_team",
        "2025-01",
        "draft",
        1,
    )
    body = api(world.county_admin).get(f"/api/v1/tasks/{task_id}/").json()
    assert (
        body["state"] == "SUCCESS" and body["progress"] == 100 and body["result"]["ranking_id"] == ranking.pk
    )
    assert str(ranking.entries.get().score) == "64.52"  # 20 of 31 days
    assert api(world.other_county_admin).get(f"/api/v1/tasks/{task_id}/").status_code == 404


@pytest.mark.django_db
def test_the_monthly_beat_task_drafts_last_months_rankings_of_every_county(world, monkeypatch):
    import apps.rankings.tasks as tasks

    monkeypatch.setattr(tasks.timezone, "localdate", lambda: datetime.date(2025, 2, 1))
    make_team(world.village)
    result = run_monthly_rankings.apply().get()
    assert result["period"] == "2025-01"
    drafts = Ranking.objects.filter(period="2025-01", status=RankingStatus.DRAFT)
    assert sorted(drafts.values_list("county__code", "kind")) == [
        ("511902000000", "township"),
        ("511902000000", "work_team"),
        ("511903000000", "township"),
        ("511903000000", "work_team"),
    ]
    again = run_monthly_rankings.apply().get()  # idempotent: the drafts are replaced, not doubled
    assert len(again["rankings"]) == 4 and drafts.count() == 4
