"""Fault: the worker running a ranking is killed (SIGKILL) mid-run. Its open transaction dies with it,
so no partial snapshot is left; the unacknowledged message (``acks_late``) is redelivered by Redis after
the visibility timeout to a new worker, which completes the run."""

import os
import signal
import subprocess
import sys
import time
import uuid

import psycopg
import pytest
from celery.result import AsyncResult
from django.db import connection

from apps.core.periods import Month
from apps.rankings.models import Ranking, RankingEntry
from apps.rankings.tasks import run_ranking
from tests.rankings.conftest import log_days, make_team

VISIBILITY_TIMEOUT = 2  # seconds; production keeps kombu's default (one hour)

# A real worker in its own process, as `celery -A config worker` runs it, with a short visibility
# timeout so that Redis hands an unacknowledged message to the next worker within the test.
# Its own queue, so no other test's worker takes the message and this worker takes no other test's.
QUEUE = f"worker-faults-{uuid.uuid4().hex}"
WORKER = f"""
import django
django.setup()
from config.celery_app import app
app.conf.broker_transport_options = {{"visibility_timeout": {VISIBILITY_TIMEOUT}}}
app.worker_main(["worker", "--pool=solo", "--loglevel=WARNING", "--without-gossip",
                 "--without-mingle", "--without-heartbeat", "--queues={QUEUE}"])
"""


_started: list[subprocess.Popen] = []


@pytest.fixture(autouse=True)
def _stop_workers():
    """Whatever happens in the test, no worker it started outlives it."""
    yield
    while _started:
        worker = _started.pop()
        if worker.poll() is None:
            worker.kill()
            worker.wait(timeout=10)


def _start_worker(env):
    worker = subprocess.Popen(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", WORKER], env=env, cwd=os.getcwd(), start_new_session=True
    )
    _started.append(worker)
    return worker


def _dsn():
    settings = connection.settings_dict
    return psycopg.conninfo.make_conninfo(
        dbname=settings["NAME"],
        user=settings["USER"],
        password=settings["PASSWORD"] or None,
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
    )


def _wait_for(condition, timeout, message):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(message)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_run_leaves_no_partial_snapshot_and_the_run_completes_on_redelivery(world):
    team = make_team(world.village)
    log_days(team.member, Month(2025, 1), 20)
    settings = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"postgres://{settings['USER']}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/{settings['NAME']}",
        "CONN_MAX_AGE": "0",
    }
    entries_table = RankingEntry._meta.db_table
    ranking_table = Ranking._meta.db_table
    first = second = None
    with (
        psycopg.connect(_dsn(), autocommit=False) as blocker,
        psycopg.connect(_dsn(), autocommit=True) as watch,
    ):
        # Hold the entries table so the run stops half-way through storing its snapshot: the ranking
        # row is written in the worker's transaction, the COPY of its entries waits.
        blocker.execute(f"LOCK TABLE {entries_table} IN SHARE MODE")
        try:
            first = _start_worker(env)
            task_id = run_ranking.apply_async(
                kwargs={"kind": "work_team", "period": "2025-01", "county_id": world.county.pk}, queue=QUEUE
            ).id

            def stuck_in_copy():
                row = watch.execute(
                    "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                    "AND wait_event_type = 'Lock' AND query LIKE 'COPY%%'"
                ).fetchone()
                return row and row[0]

            backend = _wait_for(stuck_in_copy, 60, "the worker never reached the snapshot's COPY")
            holds_ranking = watch.execute(
                "SELECT 1 FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
                "WHERE l.pid = %s AND c.relname = %s AND l.mode = 'RowExclusiveLock' AND l.granted",
                [backend, ranking_table],
            ).fetchone()
            assert holds_ranking, "the worker had not written the ranking row yet: not mid-run"
            assert AsyncResult(task_id).state == "STARTED"

            os.kill(first.pid, signal.SIGKILL)
            assert first.wait(timeout=10) == -signal.SIGKILL
        finally:
            blocker.rollback()
        # The orphaned backend finds its client gone and rolls back.
        _wait_for(
            lambda: not watch.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [backend]).fetchone(),
            15,
            "the killed worker's database session did not end",
        )
    try:
        assert not Ranking.objects.exists() and not RankingEntry.objects.exists(), (
            "a partial snapshot is left"
        )
        time.sleep(VISIBILITY_TIMEOUT + 0.5)
        second = _start_worker(env)
        result = AsyncResult(task_id).get(timeout=60)
    finally:
        for worker in (first, second):
            if worker is not None and worker.poll() is None:
                worker.send_signal(signal.SIGTERM)
                try:
                    worker.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    worker.kill()
    ranking = Ranking.objects.get()
    assert result == {"ranking_id": ranking.pk, "subjects": 1}
    assert (ranking.kind, ranking.period, ranking.status, ranking.subjects) == (
        "work_team",
        "2025-01",
        "draft",
        1,
    )
    assert str(ranking.entries.get().score) == "64.52"  # 20 of 31 days, as an undisturbed run computes
