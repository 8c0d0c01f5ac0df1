"""/healthz against the real database and broker, and a real Celery worker answering on Redis."""

import pytest
from celery.contrib.testing.worker import start_worker

from config.celery_app import app as celery_app


@pytest.mark.django_db
def test_healthz_reports_database_and_broker(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["ok"] and body["checks"]["broker"]["ok"]
    assert set(body["checks"]["worker"]) == {"ok", "workers"}


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_healthz_sees_a_running_worker(client):
    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        body = client.get("/healthz").json()
    assert body["checks"]["worker"]["ok"] is True
    assert body["checks"]["worker"]["workers"]
