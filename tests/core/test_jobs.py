"""Jobs: queued with a recorded owner and county, progress through GET tasks/{id}/ within scope,
and a clear 'try again' when the broker is down."""

import pytest
from celery import Celery
from celery.contrib.testing.worker import start_worker
from django.utils import translation

from apps.core.jobs import JobQueueUnavailable, job_status, report_progress, start_job
from apps.core.models import Job
from config.celery_app import app as celery_app


@celery_app.task(bind=True, name="tests.core.count_to")
def count_to(self, n):
    for i in range(n):
        report_progress(self, 100 * i // n)
    return {"counted": n}


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_the_job_and_the_owner_reads_its_result(world, api):
    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        job = start_job(
            count_to, actor=world.county_admin, name="count", county=world.county, kwargs={"n": 3}
        )
        from celery.result import AsyncResult

        assert AsyncResult(str(job.task_id)).get(timeout=20) == {"counted": 3}
    body = api(world.township_staff).get(f"/api/v1/tasks/{job.task_id}/").json()
    assert body["state"] == "SUCCESS" and body["progress"] == 100 and body["result"] == {"counted": 3}
    assert api(world.other_county_admin).get(f"/api/v1/tasks/{job.task_id}/").status_code == 404


@pytest.mark.django_db
def test_pending_job_status(world):
    job = Job.objects.create(name="never queued", county=world.county)
    assert job_status(job)["state"] == "PENDING"


@pytest.mark.django_db
def test_broker_down_is_a_clear_refusal_and_leaves_no_job(world):
    dead = Celery("dead", broker="redis://127.0.0.1:1/0", broker_connection_retry=False)

    @dead.task(name="tests.core.never")
    def never():
        return None

    with pytest.raises(JobQueueUnavailable) as info:
        start_job(never, actor=world.county_admin, name="never", county=world.county, kwargs={})
    with translation.override("en"):
        assert "try again" in str(info.value)
    assert not Job.objects.exists()
