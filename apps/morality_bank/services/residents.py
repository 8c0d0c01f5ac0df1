"""Residents taking part in a village's morality bank."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from apps.core.permissions import ensure_role
from apps.core.scoping import ensure_in_scope
from apps.villages.services import ensure_village_active

from ..models import Resident
from ..permissions import MORALITY_ROLES
from ._common import apply, ensure_field_in_scope, save

RESIDENT_EDITABLE_FIELDS = ("name", "id_number", "household")


def _check_household(actor, village, household) -> None:
    if household is None:
        return
    ensure_field_in_scope(actor, household, "household")
    if household.village_id != village.pk:
        raise ValidationError({"household": _("The household belongs to another village.")})


@transaction.atomic
def resident_create(*, actor, village, name: str, id_number: str, household=None) -> Resident:
    ensure_role(actor, MORALITY_ROLES)
    ensure_field_in_scope(actor, village, "village")
    ensure_village_active(village)
    _check_household(actor, village, household)
    return save(Resident(village=village, name=name, id_number=id_number, household=household))


@transaction.atomic
def resident_update(*, actor, resident: Resident, **fields) -> Resident:
    ensure_role(actor, MORALITY_ROLES)
    ensure_in_scope(actor, resident)
    village = fields.pop("village", None)
    if village is not None and village.pk != resident.village_id:
        raise ValidationError(
            {
                "village": _(
                    "A resident's points stay with their village; register them anew in the other one."
                )
            }
        )
    apply(resident, fields, RESIDENT_EDITABLE_FIELDS)
    _check_household(actor, resident.village, resident.household)
    return save(resident)


@transaction.atomic
def resident_delete(*, actor, resident: Resident) -> None:
    """Only a resident entered by mistake, without awards or ledger entries, can be deleted."""
    ensure_role(actor, MORALITY_ROLES)
    ensure_in_scope(actor, resident)
    try:
        with transaction.atomic():
            resident.delete()
    except ProtectedError as exc:
        raise ValidationError(_("This resident has awards or points and cannot be deleted.")) from exc
