"""Helpers shared by the morality bank's services."""

from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils.translation import gettext as _

from apps.core.reporting.locks import ensure_open, ensure_record_open
from apps.core.scoping import in_scope

from ..models import EntryKind, LedgerEntry, Resident


def user_or_none(actor):
    """The user to record as author; the shell's SYSTEM actor has none."""
    return actor if getattr(actor, "pk", None) else None


def save(instance):
    instance.full_clean()
    ensure_record_open(instance)
    instance.save()
    return instance


def apply(instance, fields: dict, allowed: tuple[str, ...]):
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValidationError(_("Unknown fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    for name, value in fields.items():
        setattr(instance, name, value)
    return instance


def ensure_field_in_scope(actor, obj, field: str) -> None:
    """A related record outside the actor's region is a field error (it does not exist for them)."""
    if obj is None or not in_scope(actor, obj):
        raise ValidationError({field: _("Choose a record within your own region.")})


def lock_resident(resident: Resident) -> Resident:
    """The resident's row, locked until the transaction ends: every movement of points takes this lock first."""
    return Resident.objects.select_for_update().select_related("village").get(pk=resident.pk)


def post_entry(*, actor, resident: Resident, kind: str, points: int, date, available_from=None, **links):
    """Append one ledger entry and move the (locked) resident's balance by the same points.

    The check constraint on the balance is the last line of defence; callers check first so
    the user gets a clear message instead of a database error.
    """
    ensure_open(village=resident.village, on=date)
    entry = LedgerEntry.objects.create(
        resident=resident,
        village_id=resident.village_id,
        kind=kind,
        points=points,
        date=date,
        available_from=available_from or date,
        created_by=user_or_none(actor),
        **links,
    )
    Resident.objects.filter(pk=resident.pk).update(balance=F("balance") + points)
    resident.balance += points
    return entry


def ensure_balance_covers(resident: Resident, points: int, *, field: str) -> None:
    """Refuse a negative movement larger than the balance (a balance never goes below zero)."""
    if points < 0 and resident.balance + points < 0:
        raise ValidationError(
            {
                field: _(
                    "%(name)s has %(balance)d points; %(points)d points cannot be taken off "
                    "(a balance never goes below zero)."
                )
                % {"name": resident.name, "balance": resident.balance, "points": -points}
            }
        )


__all__ = [
    "EntryKind",
    "apply",
    "ensure_balance_covers",
    "ensure_field_in_scope",
    "lock_resident",
    "post_entry",
    "save",
    "user_or_none",
]
