"""Checks every assistance service makes: role, region, an active village, and saving with full_clean."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.permissions import DATA_ENTRY_ROLES, ensure_role
from apps.core.reporting.locks import ensure_record_open
from apps.core.scoping import ensure_in_scope, in_scope, scope_for

# Checks, evaluations and records of commendations, promotions and discipline are county business.
COUNTY_LEVELS = ("city", "county")


def ensure_data_entry(actor) -> None:
    ensure_role(actor, DATA_ENTRY_ROLES)


def ensure_county_business(actor) -> None:
    ensure_role(actor, DATA_ENTRY_ROLES, levels=COUNTY_LEVELS)


def ensure_village_open(actor, village, *, field: str = "village") -> None:
    """New records go to an active village inside the actor's region (else a field error, nothing saved)."""
    check_village_open(village, village is not None and in_scope(actor, village), field=field)


def villages_in_scope(actor, villages) -> set[int]:
    """The ids of those ``villages`` inside the actor's region, in one query (bulk paths)."""
    from apps.villages.models import Village

    ids = {village.pk for village in villages if village is not None}
    return set(scope_for(actor, Village.objects.filter(pk__in=ids)).values_list("pk", flat=True))


def check_village_open(village, in_region: bool, *, field: str = "village") -> None:
    """The rule of ``ensure_village_open`` once the region is known (``in_region``: checked by the caller)."""
    if village is None or not in_region:
        raise ValidationError({field: _("Choose a village within your own region.")})
    if village.retired_on is not None:
        raise ValidationError(
            {
                field: _("Village %(name)s was retired on %(date)s.")
                % {"name": village.name, "date": village.retired_on}
            }
        )


def ensure_related_in_scope(actor, obj, *, field: str) -> None:
    """A related record named in a write must be one the actor can see (else it reads as nonexistent)."""
    check_related_in_scope(obj, obj is not None and in_scope(actor, obj), field=field)


def check_related_in_scope(obj, in_region: bool, *, field: str) -> None:
    """The rule of ``ensure_related_in_scope`` once the region is known (bulk paths read it set-based)."""
    if obj is None or not in_region:
        raise ValidationError({field: _("Choose a record within your own region.")})


def ensure_not_future(day: datetime.date | None, *, field: str) -> None:
    if day is not None and day > timezone.localdate():
        raise ValidationError({field: _("This date is in the future.")})


def apply(instance, fields: dict[str, Any], allowed: tuple[str, ...]):
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValidationError(_("Unknown fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    for name, value in fields.items():
        setattr(instance, name, value)
    return instance


def save(instance):
    instance.full_clean()
    ensure_record_open(instance)
    instance.save()
    return instance


__all__ = [
    "COUNTY_LEVELS",
    "apply",
    "check_related_in_scope",
    "check_village_open",
    "ensure_county_business",
    "ensure_data_entry",
    "ensure_in_scope",
    "ensure_not_future",
    "ensure_related_in_scope",
    "ensure_village_open",
    "save",
    "villages_in_scope",
]
