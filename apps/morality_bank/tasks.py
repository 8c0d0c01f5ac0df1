"""Celery tasks of the morality bank: thin wrappers around services, idempotent by design."""

from celery import shared_task
from django.utils import timezone

from apps.core.actors import SYSTEM
from apps.core.periods import Quarter
from apps.villages.models import County

from .services import settlement_run


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=3)
def settle_quarter(quarter: str | None = None, county_id: int | None = None) -> dict:
    """Settle ``quarter`` (the one that just ended when left out) for every bank, or one county's.

    Safe to run again (or twice at once): each village and quarter gets exactly one statement.
    """
    quarter = quarter or str(Quarter.of(timezone.localdate()).previous())
    county = County.objects.get(pk=county_id) if county_id else None
    statements = settlement_run(actor=SYSTEM, quarter=quarter, county=county)
    return {"quarter": quarter, "statements": statements.count()}
