"""Two runs of one key at once write one snapshot; task options; the selectors the dashboards use."""

import datetime
import threading

import pytest
from django.db import InterfaceError, OperationalError, connection

from apps.core.actors import SYSTEM
from apps.core.periods import Month
from apps.rankings import selectors, services
from apps.rankings.models import Ranking, RankingEntry
from apps.rankings.tasks import run_monthly_rankings, run_ranking

from .conftest import log_days, make_team


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_runs_of_the_same_key_leave_one_snapshot(world):
    for village in (world.village, world.village2, world.other_village):
        log_days(make_team(village).member, Month(2025, 1), 12)
    barrier, errors = threading.Barrier(2), []

    def run():
        try:
            barrier.wait(timeout=10)
            services.ranking_run(actor=SYSTEM, kind="work_team", period="2025-01", county=world.county)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    ranking = Ranking.objects.get(kind="work_team", period="2025-01", county=world.county)
    assert RankingEntry.objects.filter(ranking__kind="work_team").count() == 3 == ranking.subjects


def test_tasks_retry_transient_database_errors_with_backoff_and_time_limits():
    for task in (run_ranking, run_monthly_rankings):
        assert task.acks_late is True
        assert set(task.autoretry_for) == {OperationalError, InterfaceError}
        assert task.retry_backoff and task.max_retries >= 3
        assert task.soft_time_limit < task.time_limit
    assert run_monthly_rankings.name == "apps.rankings.tasks.run_monthly_rankings"


@pytest.mark.django_db
def test_dashboard_selectors(world, draft):
    january = draft({"a": 9, "b": 5, "c": 1}, period="2025-01")
    february = draft({"a": 9, "b": 5, "c": 1}, period="2025-02")
    draft({"a": 1}, period="2025-03")  # a draft: never "latest published"
    services.ranking_publish(actor=world.county_admin, ranking=january)
    services.ranking_publish(actor=world.county_admin, ranking=february)
    assert selectors.latest_published(user=world.county_admin, kind="work_team") == february
    assert (
        selectors.latest_published(user=world.county_admin, kind="work_team", county=world.county) == february
    )
    assert selectors.latest_published(user=world.county_admin, kind="village") is None
    assert selectors.latest_published(user=world.other_county_admin, kind="work_team") is None
    assert selectors.open_escalations(user=world.county_admin).count() == 6
    first = selectors.open_escalations(user=world.county_admin).first()
    services.escalation_record_talk(
        actor=world.county_admin, escalation=first, talk_date=datetime.date(2025, 3, 3), talk_by="部长"
    )
    assert selectors.open_escalations(user=world.county_admin).count() == 5
    quarter = selectors.escalations_between(
        user=world.county_admin,
        county=world.county,
        first=datetime.date(2025, 1, 1),
        last=datetime.date(2025, 1, 31),
    )
    assert {e.ranking_id for e in quarter} == {january.pk} and quarter.count() == 3
    assert (
        selectors.escalations_between(
            user=world.other_county_admin,
            county=world.county,
            first=datetime.date(2025, 1, 1),
            last=datetime.date(2025, 3, 31),
        ).count()
        == 0
    )
