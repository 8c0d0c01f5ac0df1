"""Checks shared by the cadre services."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core import idnumbers
from apps.core.reporting.locks import ensure_record_open
from apps.core.scoping import in_scope
from apps.villages.models import Village

from ..models import Cadre

MIN_CADRE_AGE = 18


def apply_fields(instance, fields: dict[str, Any], allowed: tuple[str, ...]):
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValidationError(_("Unknown fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    for name, value in fields.items():
        setattr(instance, name, value)
    return instance


def ensure_village(actor, village: Village | None, *, field: str = "village") -> None:
    if village is None or not in_scope(actor, village):
        raise ValidationError({field: _("Choose a village within your own region.")})


def ensure_village_open(village: Village, *, until: datetime.date | None, field: str = "village") -> None:
    """Records may not run past the day a village was retired (merged or split)."""
    if village.retired_on is not None and (until is None or until > village.retired_on):
        raise ValidationError(
            {
                field: _("Village %(name)s was retired on %(date)s.")
                % {"name": village.name, "date": village.retired_on}
            }
        )


def ensure_cadre(actor, cadre: Cadre | None, *, field: str = "cadre") -> None:
    if cadre is None or not in_scope(actor, cadre):
        raise ValidationError({field: _("Choose a cadre within your own region.")})


def ensure_not_future(value: datetime.date | None, field: str) -> None:
    if value is not None and value > timezone.localdate():
        raise ValidationError({field: _("This date is in the future.")})


def valid_id_number(value: str | None, *, field: str = "id_number") -> tuple[str, datetime.date]:
    """The normalised number and its birth date, or a field error that does not repeat the number."""
    try:
        number = idnumbers.validate(value or "")
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from exc
    return number, idnumbers.birth_date(number)


def save_checked(instance, *, unique_message: str | None = None):
    """``full_clean`` then save; a unique ID number that a concurrent write took first is a field error."""
    instance.full_clean(validate_unique=False, validate_constraints=False)
    ensure_record_open(instance)
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as exc:
        if unique_message and "id_number" in str(exc):
            raise ValidationError({"id_number": unique_message}) from exc
        raise
    return instance


def id_number_warnings(number: str, *, gender: str | None = None, user=None) -> list[str]:
    """Warnings (not errors) about a valid number: an unknown region prefix, a gender the number contradicts.

    The region message quotes the first 6 digits only to users who may see the full number.
    """
    warnings = []
    if idnumbers.region_warning(number):
        if idnumbers.may_see_full(user):
            warnings.append(idnumbers.region_warning(number))
        else:
            warnings.append(
                _("The region code of this ID number is not in the list of known codes; check it.")
            )
    if gender and len(number) == idnumbers.ID_LENGTH and number[16].isdigit():
        says_male = int(number[16]) % 2 == 1
        if says_male != (gender == "male"):
            warnings.append(
                _("The gender does not match the ID number (its 17th digit is odd for men, even for women).")
            )
    return warnings
