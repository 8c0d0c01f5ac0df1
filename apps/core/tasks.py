"""Core Celery tasks (thin: they call a service)."""

from celery import shared_task

from apps.core.reporting import digest


@shared_task(acks_late=True)
def send_weekly_digest() -> int:
    """The Monday 08:00 reminder digest (beat entry "weekly-reminder-digest"); idempotent per user and week."""
    return digest.send_weekly_digest()
