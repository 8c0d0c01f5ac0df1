"""Starting an import: the upload is checked and stored, then a Celery job runs it."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from apps.core.jobs import start_job
from apps.core.models import ImportBatch, ImportMode
from apps.core.permissions import DATA_ENTRY_ROLES, ensure_role

from .runner import checksum_of
from .spec import import_kind
from .workbook import MAX_UPLOAD_BYTES

IMPORT_LEVELS = ("city", "county", "township")


def _ensure_importer(actor) -> None:
    ensure_role(actor, DATA_ENTRY_ROLES, levels=None if actor.is_superuser else IMPORT_LEVELS)


def import_start(*, actor, kind: str, file_name: str, content: bytes, mode: str) -> ImportBatch:
    """Store the upload and queue its job; raises ValidationError for a bad kind, mode or size and
    JobQueueUnavailable (nothing kept) when the broker is down."""
    _ensure_importer(actor)
    errors = {}
    if import_kind(kind) is None:
        errors["kind"] = _("Choose one of the listed kinds of records.")
    if mode not in ImportMode.values:
        errors["mode"] = _("Choose “validate” or “commit”.")
    if not content:
        errors["file"] = _("The file is empty.")
    elif len(content) > MAX_UPLOAD_BYTES:
        errors["file"] = _("The file is larger than %(limit)d MB; split it into several files.") % {
            "limit": MAX_UPLOAD_BYTES // (1024 * 1024)
        }
    if errors:
        raise ValidationError(errors)
    batch = ImportBatch.objects.create(
        kind=kind,
        mode=mode,
        file_name=(file_name or "upload.xlsx")[:255],
        content=content,
        size=len(content),
        checksum=checksum_of(content),
        language=translation.get_language() or "zh-hans",
        uploaded_by=actor,
        **_regions_of(actor),
    )
    _queue(batch, actor)
    return batch


def import_commit_validated(*, actor, batch: ImportBatch) -> ImportBatch:
    """Commit the file of a batch that validated cleanly, as a new batch (the validation stays listed)."""
    _ensure_importer(actor)
    if batch.mode != ImportMode.VALIDATE or batch.state != "valid":
        raise ValidationError(_("Only a validation without errors can be committed."))
    if batch.uploaded_by_id != actor.pk:
        raise PermissionDenied(_("Only the person who uploaded the file can commit it."))
    return import_start(
        actor=actor,
        kind=batch.kind,
        file_name=batch.file_name,
        content=bytes(batch.content),
        mode=ImportMode.COMMIT,
    )


def _regions_of(actor) -> dict:
    """The actor's own region and the regions above it: the batch's scope."""
    binding = actor.region_binding()
    level = binding[0] if binding else None
    township = actor.region if level == "township" else None
    county = township.county if township else (actor.region if level == "county" else None)
    city = county.city if county else (actor.region if level == "city" else None)
    return {"city": city, "county": county, "township": township}


def _queue(batch: ImportBatch, actor) -> None:
    from apps.core.tasks import run_import

    try:
        job = start_job(
            run_import, actor=actor, name="import", county=batch.county, kwargs={"batch_id": batch.pk}
        )
    except Exception:
        batch.delete()
        raise
    ImportBatch.objects.filter(pk=batch.pk).update(job=job)
    batch.job = job
