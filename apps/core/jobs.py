"""Starting Celery jobs on behalf of a user, and saying so clearly when the broker is down.

``start_job`` records who started what for which county (so ``GET /api/v1/tasks/{id}/`` is
scoped like everything else), then queues the task with that id. A job's progress is reported
by the task with ``report_progress`` and read back by ``job_status``.
"""

from __future__ import annotations

import logging

from celery import states
from celery.result import AsyncResult
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError as BrokerError
from redis.exceptions import RedisError

from config.celery_app import app as celery_app

from .models import Job

logger = logging.getLogger(__name__)


class JobQueueUnavailable(Exception):
    """The broker cannot take the job now; nothing was queued."""

    def __str__(self):
        return _(
            "The job queue is not reachable at the moment, so this cannot start now. Please try again shortly."
        )


def start_job(task, *, actor, name: str, county=None, kwargs: dict) -> Job:
    """Queue ``task`` with ``kwargs`` after recording the job; raises JobQueueUnavailable if Redis is down."""
    with transaction.atomic():
        job = Job.objects.create(
            name=name, county=county, started_by=actor if getattr(actor, "pk", None) else None
        )
    try:
        task.apply_async(kwargs=kwargs, task_id=str(job.task_id), retry=False)
    except (BrokerError, RedisError, OSError) as exc:
        logger.warning("job %s not queued: broker unavailable (%s)", name, exc.__class__.__name__)
        job.delete()
        raise JobQueueUnavailable from exc
    return job


def report_progress(task, percent: int) -> None:
    """Called from inside a running task (``bind=True``): 0–100, visible to ``job_status``."""
    if task.request.id and not task.request.is_eager:
        task.update_state(state=states.STARTED, meta={"progress": max(0, min(100, int(percent)))})


def job_status(job: Job) -> dict:
    """``{"state", "progress", "result"?}`` in Celery's states; ``error`` on failure (its type only)."""
    # The project's app, not Celery's "current" one: another app made current (a test worker, a
    # library) would have no result backend and answer every job as unknown.
    result = AsyncResult(str(job.task_id), app=celery_app)
    try:
        state, info = result.state, result.info
    except (BrokerError, RedisError, OSError) as exc:
        raise ValidationError(str(JobQueueUnavailable())) from exc
    body = {"task_id": str(job.task_id), "name": job.name, "state": state, "progress": 0}
    if state == states.SUCCESS:
        body.update(progress=100, result=info)
    elif state == states.STARTED and isinstance(info, dict):
        body["progress"] = info.get("progress", 0)
    elif state in (states.FAILURE, states.RETRY):
        body["error"] = info.__class__.__name__ if info is not None else None
    return body
