"""Reading imports: the batches of the user's region, their progress and their change set."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.utils.translation import gettext as _
from pghistory.models import Context

from apps.core import idnumbers
from apps.core.jobs import job_status
from apps.core.models import ImportBatch, ImportState
from apps.core.scoping import scope_for

from .spec import import_kind


def import_list(*, user, kind: str | None = None, state: str | None = None):
    batches = scope_for(user, ImportBatch.objects.select_related("uploaded_by")).defer("content")
    if kind:
        batches = batches.filter(kind=kind)
    if state:
        batches = batches.filter(state=state)
    return batches


def import_progress(batch: ImportBatch) -> int:
    """0–100: the job's own report while it runs; 100 once finished."""
    if batch.is_finished:
        return 100
    if batch.state == ImportState.RUNNING and batch.job_id:
        try:
            return job_status(batch.job)["progress"]
        except Exception:  # noqa: BLE001 - the broker being away must not break a status page
            return 0
    return 0


def may_download_file(user, batch: ImportBatch) -> bool:
    """The uploaded file (and its annotated copy) holds full ID numbers: the uploader and the roles
    that may see full numbers only."""
    return batch.uploaded_by_id == user.pk or idnumbers.may_see_full(user)


def ensure_may_download_file(user, batch: ImportBatch) -> None:
    if not may_download_file(user, batch):
        raise PermissionDenied(
            _("The uploaded file holds full ID numbers: only its uploader may download it.")
        )


def import_change_set(batch: ImportBatch) -> list[dict]:
    """Per model written: how many history events of each kind (insert, update, delete) this import wrote."""
    kind = import_kind(batch.kind)
    if kind is None or batch.state != ImportState.COMMITTED:
        return []
    contexts = Context.objects.filter(metadata__import_batch=batch.pk).values("pk")
    summary = []
    for model in kind.models:
        for event_model in _event_models(model):
            counts = dict(
                event_model.objects.filter(pgh_context__in=contexts)
                .values_list("pgh_label")
                .annotate(n=Count("pgh_id"))
            )
            if counts:
                summary.append({"model": model._meta.verbose_name_plural, "events": counts})
    return summary


def _event_models(model) -> list:
    from pghistory.models import Event

    return [
        related.related_model
        for related in model._meta.related_objects
        if isinstance(related.related_model, type) and issubclass(related.related_model, Event)
    ]
