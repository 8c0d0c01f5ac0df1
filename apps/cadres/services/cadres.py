"""Cadres: create, correct, delete one entered by mistake, resign."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from apps.core import idnumbers
from apps.core.permissions import DATA_ENTRY_ROLES, ensure_role
from apps.core.scoping import ensure_in_scope, in_scope
from apps.villages.models import Village

from ..models import Cadre, CadrePosition, CadreSource, EndReason
from .common import (
    MIN_CADRE_AGE,
    apply_fields,
    ensure_not_future,
    ensure_village,
    ensure_village_open,
    save_checked,
    valid_id_number,
)

CADRE_FIELDS = (
    "village",
    "name",
    "gender",
    "ethnicity",
    "id_number",
    "education",
    "is_party_member",
    "source",
    "is_wealth_leader",
    "notes",
)


def _cadre_duplicate_message() -> str:
    return _("A cadre with this ID number is already recorded.")


@transaction.atomic
def cadre_create(
    *,
    actor,
    village: Village,
    name: str,
    gender: str,
    id_number: str,
    education: str,
    ethnicity: str = "汉族",
    is_party_member: bool = False,
    source: str = CadreSource.LOCAL,
    is_wealth_leader: bool = False,
    notes: str = "",
) -> Cadre:
    ensure_role(actor, DATA_ENTRY_ROLES)
    ensure_village(actor, village)
    ensure_village_open(village, until=None)
    number, born = valid_id_number(id_number)
    if Cadre.objects.filter(id_number=number).exists():
        raise ValidationError({"id_number": _cadre_duplicate_message()})
    cadre = Cadre(
        village=village,
        name=(name or "").strip(),
        gender=gender,
        ethnicity=(ethnicity or "").strip(),
        id_number=number,
        birth_date=born,
        education=education,
        is_party_member=is_party_member,
        source=source,
        is_wealth_leader=is_wealth_leader,
        notes=notes or "",
    )
    return save_checked(cadre, unique_message=_cadre_duplicate_message())


@transaction.atomic
def cadre_update(*, actor, cadre: Cadre, **fields) -> Cadre:
    ensure_role(actor, DATA_ENTRY_ROLES)
    ensure_in_scope(actor, cadre)
    village = fields.get("village")
    if village is not None and village.pk != cadre.village_id:
        ensure_village(actor, village)
        ensure_village_open(village, until=None)
    if "id_number" in fields:
        number, born = valid_id_number(fields["id_number"])
        if Cadre.objects.filter(id_number=number).exclude(pk=cadre.pk).exists():
            raise ValidationError({"id_number": _cadre_duplicate_message()})
        fields["id_number"] = number
        if born != cadre.birth_date:
            _ensure_positions_fit_birth_date(cadre, born)
        cadre.birth_date = born
    for name in ("name", "ethnicity"):
        if name in fields:
            fields[name] = (fields[name] or "").strip()
    apply_fields(cadre, fields, CADRE_FIELDS)
    return save_checked(cadre, unique_message=_cadre_duplicate_message())


def _ensure_positions_fit_birth_date(cadre: Cadre, born: datetime.date) -> None:
    first = cadre.positions.order_by("start_date").values_list("start_date", flat=True).first()
    if first is not None and idnumbers.age_on(born, first) < MIN_CADRE_AGE:
        raise ValidationError(
            {
                "id_number": _(
                    "With this ID number the cadre would have been younger than %(age)d "
                    "when the first position began."
                )
                % {"age": MIN_CADRE_AGE}
            }
        )


@transaction.atomic
def cadre_delete(*, actor, cadre: Cadre) -> None:
    """Only a cadre entered by mistake, with no positions, trainings or other records, can be deleted."""
    ensure_role(actor, DATA_ENTRY_ROLES)
    ensure_in_scope(actor, cadre)
    try:
        with transaction.atomic():
            cadre.delete()
    except ProtectedError as exc:
        raise ValidationError(
            _("This cadre has positions or other records and cannot be deleted; end the positions instead.")
        ) from exc


@transaction.atomic
def cadre_resign(*, actor, cadre: Cadre, date: datetime.date, reason: str) -> list[CadrePosition]:
    """The cadre resigns (辞职): every current position ends on ``date`` with the reason given."""
    ensure_role(actor, DATA_ENTRY_ROLES)
    ensure_in_scope(actor, cadre)
    positions = list(cadre.positions.current().select_for_update().order_by("start_date"))
    if not positions:
        raise ValidationError(_("This cadre holds no current position."))
    for position in positions:
        if not in_scope(actor, position):
            raise PermissionDenied(_("One of this cadre's positions is outside your region."))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for the resignation.")})
    ensure_not_future(date, "date")
    latest_start = max(p.start_date for p in positions)
    if date < latest_start:
        raise ValidationError(
            {"date": _("A position cannot end before it starts (%(date)s).") % {"date": latest_start}}
        )
    for position in positions:
        position.end_date, position.end_reason, position.end_note = date, EndReason.RESIGNED, reason.strip()
        save_checked(position)
    return positions
