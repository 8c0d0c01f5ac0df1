"""Core Celery tasks (thin: they call a service)."""

from celery import shared_task

from apps.core.imports.runner import run_batch
from apps.core.jobs import report_progress
from apps.core.reporting import digest


@shared_task(acks_late=True)
def send_weekly_digest() -> int:
    """The Monday 08:00 reminder digest (beat entry "weekly-reminder-digest"); idempotent per user and week."""
    return digest.send_weekly_digest()


@shared_task(bind=True, acks_late=True)
def run_import(self, batch_id: int) -> dict:
    """Validate or commit one uploaded workbook (apps.core.imports); a redelivery of a finished batch is a no-op."""
    batch = run_batch(batch_id, on_progress=lambda percent: report_progress(self, percent))
    return {"state": batch.state, "errors": len(batch.errors)}
