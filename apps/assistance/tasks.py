"""Celery tasks of the assistance app: thin wrappers around services, idempotent by design."""

from celery import shared_task
from django.utils import timezone

from apps.core.actors import SYSTEM
from apps.core.periods import Quarter
from apps.villages.models import County

from .services import spot_check_draw_quarter


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=3)
def draw_spot_checks(quarter: str | None = None, county_id: int | None = None) -> dict:
    """The quarterly 10 % spot-check draw (四不两直) for every county, or one, with a stored random seed.

    ``quarter`` defaults to the current one (meant for the first days of a quarter). Counties
    already drawn are left as they are, so the task can run again safely.
    """
    quarter = Quarter.parse(quarter) if quarter else Quarter.of(timezone.localdate())
    counties = County.objects.filter(pk=county_id) if county_id else None
    draws = spot_check_draw_quarter(actor=SYSTEM, quarter=quarter, counties=counties)
    return {"quarter": str(quarter), "draws": [{"county": d.county_id, "seed": d.seed} for d in draws]}
