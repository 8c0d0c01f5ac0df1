"""Field-level change history of any tracked record, read from django-pghistory's event tables."""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from pghistory.models import MiddlewareEvents


@dataclass
class FieldChange:
    field: str
    label: str
    old: object
    new: object


@dataclass
class HistoryEntry:
    at: datetime
    action: str
    user: object
    url: str | None
    changes: list[FieldChange]
    import_batch: int | None = None  # the Excel import that made the change (apps.core.imports)


def _field_label(model, name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


def record_history(obj) -> list[HistoryEntry]:
    """Every insert, update and delete of ``obj``, newest first, with who made it and what changed."""
    model = type(obj)
    events = list(MiddlewareEvents.objects.tracks(obj).order_by("-pgh_created_at", "-pgh_id"))
    user_ids = {e.pgh_context.get("user") for e in events if e.pgh_context and e.pgh_context.get("user")}
    users = get_user_model().objects.in_bulk(user_ids)
    entries = []
    for event in events:
        context = event.pgh_context or {}
        if event.pgh_diff:
            changes = [
                FieldChange(name, _field_label(model, name.removesuffix("_id")), old, new)
                for name, (old, new) in sorted(event.pgh_diff.items())
                if name not in ("updated_at",)
            ]
        else:
            changes = [
                FieldChange(name, _field_label(model, name.removesuffix("_id")), None, value)
                for name, value in sorted(event.pgh_data.items())
                if name not in ("updated_at", "created_at")
            ]
        entries.append(
            HistoryEntry(
                at=event.pgh_created_at,
                action=event.pgh_label,
                user=users.get(context.get("user")),
                url=context.get("url"),
                changes=changes,
                import_batch=context.get("import_batch"),
            )
        )
    return entries
