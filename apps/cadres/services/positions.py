"""Positions: one current secretary and one current director per village at a time; ends and resignations."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from apps.core import idnumbers
from apps.core.permissions import DATA_ENTRY_ROLES, ensure_role
from apps.core.reporting.locks import ensure_record_open
from apps.core.scoping import ensure_in_scope
from apps.villages.models import Village

from ..models import SINGLE_HOLDER_ROLES, Cadre, CadrePosition
from .common import (
    MIN_CADRE_AGE,
    apply_fields,
    ensure_cadre,
    ensure_not_future,
    ensure_village,
    ensure_village_open,
)

POSITION_FIELDS = (
    "cadre",
    "village",
    "role",
    "start_date",
    "end_date",
    "end_reason",
    "end_note",
    "monthly_pay",
)


def _check_position(position: CadrePosition) -> None:
    """Rules across fields and records; the database constraints back the overlap rule up."""
    errors: dict[str, str] = {}
    if position.end_date is not None and position.start_date and position.end_date < position.start_date:
        errors["end_date"] = _("A position cannot end before it starts.")
    if position.end_date is not None and not position.end_reason:
        errors["end_reason"] = _("Give the reason the position ended.")
    if position.end_date is None and position.end_reason:
        errors["end_date"] = _("Give the date the position ended.")
    if position.monthly_pay is not None and position.monthly_pay < Decimal("0"):
        errors["monthly_pay"] = _("Pay cannot be negative.")
    if errors:
        raise ValidationError(errors)
    ensure_not_future(position.start_date, "start_date")
    ensure_not_future(position.end_date, "end_date")
    if idnumbers.age_on(position.cadre.birth_date, position.start_date) < MIN_CADRE_AGE:
        raise ValidationError(
            {
                "start_date": _("The cadre would have been younger than %(age)d on this date.")
                % {"age": MIN_CADRE_AGE}
            }
        )
    ensure_village_open(position.village, until=position.end_date)
    overlapping = CadrePosition.objects.filter(village=position.village, role=position.role).exclude(
        pk=position.pk
    )
    overlapping = overlapping.filter(Q(end_date__isnull=True) | Q(end_date__gt=position.start_date))
    if position.end_date is not None:
        overlapping = overlapping.filter(start_date__lt=position.end_date)
    if position.role in SINGLE_HOLDER_ROLES:
        # Serialise concurrent appointments to the same village before looking for a holder.
        Village.objects.select_for_update().filter(pk=position.village_id).first()
        holder = overlapping.select_related("cadre").order_by("start_date").first()
        if holder is not None:
            raise ValidationError(_single_holder_message(position, holder))
    elif overlapping.filter(cadre=position.cadre_id).exists():
        raise ValidationError(_("This cadre already holds this role in this village during that period."))


def _single_holder_message(position: CadrePosition, holder: CadrePosition) -> str:
    values = {
        "village": position.village.name,
        "role": holder.get_role_display(),
        "name": holder.cadre.name,
        "start": holder.start_date,
    }
    if holder.end_date is None:
        return (
            _(
                "%(village)s already has a current %(role)s, %(name)s (since %(start)s); "
                "end that position first."
            )
            % values
        )
    values["end"] = holder.end_date
    return _("%(village)s had another %(role)s in that period: %(name)s, from %(start)s to %(end)s.") % values


def _save_position(position: CadrePosition) -> CadrePosition:
    position.full_clean(validate_unique=False, validate_constraints=False)
    _check_position(position)
    ensure_record_open(position)
    try:
        with transaction.atomic():
            position.save()
    except IntegrityError as exc:
        # A concurrent appointment won the race past the checks: the constraints refused this one.
        raise ValidationError(
            _("Another holder of this role was recorded for this village at the same time; reload and check.")
        ) from exc
    return position


@transaction.atomic
def position_create(
    *,
    actor,
    cadre: Cadre,
    role: str,
    start_date: datetime.date,
    village: Village | None = None,
    end_date: datetime.date | None = None,
    end_reason: str = "",
    end_note: str = "",
    monthly_pay: Decimal | None = None,
) -> CadrePosition:
    """A position for ``cadre`` in ``village`` (the cadre's own village unless another is given)."""
    ensure_role(actor, DATA_ENTRY_ROLES)
    ensure_cadre(actor, cadre)
    village = village or cadre.village
    ensure_village(actor, village)
    position = CadrePosition(
        cadre=cadre,
        village=village,
        role=role,
        start_date=start_date,
        end_date=end_date,
        end_reason=end_reason or "",
        end_note=(end_note or "").strip(),
        monthly_pay=monthly_pay,
    )
    return _save_position(position)


@transaction.atomic
def position_update(*, actor, position: CadrePosition, **fields) -> CadrePosition:
    ensure_role(actor, DATA_ENTRY_ROLES)
    ensure_in_scope(actor, position)
    if "cadre" in fields and fields["cadre"].pk != position.cadre_id:
        ensure_cadre(actor, fields["cadre"])
    if "village" in fields:
        fields["village"] = fields["village"] or position.cadre.village
        if fields["village"].pk != position.village_id:
            ensure_village(actor, fields["village"])
    if "end_note" in fields:
        fields["end_note"] = (fields["end_note"] or "").strip()
    if "end_reason" in fields:
        fields["end_reason"] = fields["end_reason"] or ""
    apply_fields(position, fields, POSITION_FIELDS)
    return _save_position(position)


@transaction.atomic
def position_end(
    *, actor, position: CadrePosition, end_date: datetime.date, end_reason: str, end_note: str = ""
) -> CadrePosition:
    """End a current position (term end, resignation, transfer ...)."""
    ensure_role(actor, DATA_ENTRY_ROLES)
    ensure_in_scope(actor, position)
    if position.end_date is not None:
        raise ValidationError(_("This position has already ended."))
    if not end_reason:
        raise ValidationError({"end_reason": _("Give the reason the position ended.")})
    position.end_date, position.end_reason, position.end_note = end_date, end_reason, (end_note or "").strip()
    return _save_position(position)


@transaction.atomic
def position_delete(*, actor, position: CadrePosition) -> None:
    """Only for a position entered by mistake: a position that really ended is ended, not deleted."""
    ensure_role(actor, DATA_ENTRY_ROLES)
    ensure_in_scope(actor, position)
    ensure_record_open(position, delete=True)
    position.delete()
