"""Celery tasks of the dashboard: building a report pack (thin: the work is in ``pack.build``)."""

from celery import shared_task
from django.utils import translation

from apps.core.jobs import report_progress

from .models import PackStatus, ReportPack
from .pack import build


@shared_task(bind=True, acks_late=True)
def build_report_pack(self, pack_id: int, language: str = "zh-hans") -> dict:
    """Build pack ``pack_id``; running it again rebuilds the same files (nothing else changes).

    The figures are computed as the person who asked for the pack, so it never holds more than
    they may see, even if their region changes later.
    """
    pack = ReportPack.objects.select_related("city", "county", "township", "requested_by").get(pk=pack_id)
    try:
        with translation.override(language):
            build(pack, user=pack.requested_by, progress=lambda percent: report_progress(self, percent))
    except Exception:
        ReportPack.objects.filter(pk=pack_id).update(status=PackStatus.FAILED)
        raise
    return {"pack_id": pack.pk, "status": pack.status}
