"""Reserve cadres (后备力量)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.core import idnumbers
from apps.core.permissions import DATA_ENTRY_ROLES, ensure_role
from apps.core.reporting.locks import ensure_record_open
from apps.core.scoping import ensure_in_scope
from apps.villages.models import Village

from ..models import ReserveCadre
from .common import (
    apply_fields,
    ensure_not_future,
    ensure_village,
    ensure_village_open,
    save_checked,
    valid_id_number,
)

RESERVE_FIELDS = (
    "village",
    "name",
    "gender",
    "id_number",
    "education",
    "is_party_member",
    "is_returned_migrant",
    "since",
    "until",
    "notes",
)


def _reserve_duplicate_message() -> str:
    return _("A reserve cadre with this ID number is already recorded.")


def _check_reserve(reserve: ReserveCadre) -> None:
    ensure_not_future(reserve.since, "since")
    ensure_not_future(reserve.until, "until")
    if reserve.until is not None and reserve.since and reserve.until < reserve.since:
        raise ValidationError({"until": _("A reserve cannot leave the pool before joining it.")})
    if reserve.since and reserve.birth_date and idnumbers.age_on(reserve.birth_date, reserve.since) < 16:
        raise ValidationError({"since": _("The person would have been younger than 16 on this date.")})


@transaction.atomic
def reserve_create(
    *,
    actor,
    village: Village,
    name: str,
    gender: str,
    id_number: str,
    education: str,
    since: datetime.date,
    is_party_member: bool = False,
    is_returned_migrant: bool = False,
    until: datetime.date | None = None,
    notes: str = "",
) -> ReserveCadre:
    ensure_role(actor, DATA_ENTRY_ROLES)
    ensure_village(actor, village)
    ensure_village_open(village, until=until)
    number, born = valid_id_number(id_number)
    if ReserveCadre.objects.filter(id_number=number).exists():
        raise ValidationError({"id_number": _reserve_duplicate_message()})
    reserve = ReserveCadre(
        village=village,
        name=(name or "").strip(),
        gender=gender,
        id_number=number,
        birth_date=born,
        education=education,
        is_party_member=is_party_member,
        is_returned_migrant=is_returned_migrant,
        since=since,
        until=until,
        notes=notes or "",
    )
    _check_reserve(reserve)
    return save_checked(reserve, unique_message=_reserve_duplicate_message())


@transaction.atomic
def reserve_update(*, actor, reserve: ReserveCadre, **fields) -> ReserveCadre:
    ensure_role(actor, DATA_ENTRY_ROLES)
    ensure_in_scope(actor, reserve)
    village = fields.get("village")
    if village is not None and village.pk != reserve.village_id:
        ensure_village(actor, village)
    if "id_number" in fields:
        number, born = valid_id_number(fields["id_number"])
        if ReserveCadre.objects.filter(id_number=number).exclude(pk=reserve.pk).exists():
            raise ValidationError({"id_number": _reserve_duplicate_message()})
        fields["id_number"], reserve.birth_date = number, born
    if "name" in fields:
        fields["name"] = (fields["name"] or "").strip()
    apply_fields(reserve, fields, RESERVE_FIELDS)
    ensure_village_open(reserve.village, until=reserve.until)
    _check_reserve(reserve)
    return save_checked(reserve, unique_message=_reserve_duplicate_message())


@transaction.atomic
def reserve_delete(*, actor, reserve: ReserveCadre) -> None:
    """Only for a record entered by mistake; someone who leaves the pool gets an ``until`` date."""
    ensure_role(actor, DATA_ENTRY_ROLES)
    ensure_in_scope(actor, reserve)
    ensure_record_open(reserve, delete=True)
    reserve.delete()
