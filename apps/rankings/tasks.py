"""Celery tasks of the rankings app: thin wrappers around ``services.ranking_run``.

Idempotent by design: a run replaces the draft of its (kind, period, county) under an advisory
lock and never touches a published snapshot, so a redelivered or retried task is harmless — hence
``acks_late``. Transient database errors are retried with exponential backoff.
"""

from celery import shared_task
from django.core.exceptions import ValidationError
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from apps.core.actors import SYSTEM
from apps.core.jobs import report_progress
from apps.core.periods import Month
from apps.villages.models import County

from .models import RankingKind, RankingStatus
from .selectors import ranking_exists
from .services import ranking_run

RETRY = {
    "acks_late": True,
    "autoretry_for": (OperationalError, InterfaceError),
    "retry_backoff": 5,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 5,
}


@shared_task(bind=True, soft_time_limit=600, time_limit=660, **RETRY)
def run_ranking(self, kind: str, period: str, county_id: int) -> dict:
    """Compute the draft ranking of (kind, period, county); the result names the snapshot."""
    report_progress(self, 1)
    ranking = ranking_run(
        actor=SYSTEM,
        kind=kind,
        period=period,
        county=County.objects.get(pk=county_id),
        progress=lambda percent: report_progress(self, percent),
    )
    return {"ranking_id": ranking.pk, "subjects": ranking.subjects}


@shared_task(bind=True, soft_time_limit=1800, time_limit=1900, **RETRY)
def run_monthly_rankings(self) -> dict:
    """Beat, on the 1st at 02:00: the previous month's work-team and township rankings of every county,
    as drafts (publishing, and so escalating, stays a person's decision). Published months are skipped."""
    month = Month.of(timezone.localdate()).previous()
    counties = list(County.objects.order_by("code"))
    done, skipped = [], []
    for index, county in enumerate(counties):
        for kind in (RankingKind.WORK_TEAM, RankingKind.TOWNSHIP):
            if ranking_exists(kind=kind, period=str(month), county=county, status=RankingStatus.PUBLISHED):
                skipped.append({"county": county.pk, "kind": kind})
                continue
            try:
                ranking = ranking_run(actor=SYSTEM, kind=kind, period=month, county=county)
            except ValidationError:
                skipped.append({"county": county.pk, "kind": kind})
                continue
            done.append(ranking.pk)
        report_progress(self, 100 * (index + 1) // max(len(counties), 1))
    return {"period": str(month), "rankings": done, "skipped": skipped}


@shared_task(bind=True, soft_time_limit=1800, time_limit=1900, **RETRY)
def run_integrity_watch(self) -> dict:
    """Beat, Sundays at 03:00: the integrity watch's detectors over every county. Writes findings only
    (idempotent: a finding is unique per detector, subject and period), never the data it reads."""
    from .integrity.services import integrity_run

    counties = list(County.objects.order_by("code"))
    found = {}
    for index, county in enumerate(counties):
        found[county.pk] = integrity_run(actor=SYSTEM, county=county)
        report_progress(self, 100 * (index + 1) // max(len(counties), 1))
    return {"counties": found}
