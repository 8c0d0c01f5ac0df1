import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from apps.core.permissions import DATA_ENTRY_ROLES, ensure_role
from apps.core.scoping import ensure_in_scope, in_scope

from ..models import City, County, Township, Village

VILLAGE_EDITABLE_FIELDS = (
    "code",
    "name",
    "population_registered",
    "population_resident",
    "households",
    "poverty_status",
    "exit_year",
    "is_minority",
    "is_remote",
    "notes",
)
# Only levels that contain townships can create villages.
VILLAGE_CREATOR_LEVELS = ("city", "county", "township")


def ensure_village_active(village: Village, *, field: str = "village") -> None:
    """New records may not be attached to a retired village."""
    if village.retired_on is not None:
        raise ValidationError(
            {
                field: _("Village %(name)s was retired on %(date)s.")
                % {"name": village.name, "date": village.retired_on}
            }
        )


def _ensure_parent_in_scope(actor, parent, field: str) -> None:
    if parent is None or not in_scope(actor, parent):
        raise ValidationError({field: _("Choose a region within your own region.")})


def _save(instance):
    instance.full_clean()
    instance.save()
    return instance


def _apply(instance, fields: dict[str, Any], allowed: tuple[str, ...]):
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValidationError(_("Unknown fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    for name, value in fields.items():
        setattr(instance, name, value)
    return instance


@transaction.atomic
def city_create(*, actor, code: str, name: str) -> City:
    if not actor.is_superuser:
        raise PermissionDenied(_("Only a superuser creates cities."))
    return _save(City(code=code, name=name))


@transaction.atomic
def city_update(*, actor, city: City, **fields) -> City:
    if not actor.is_superuser:
        raise PermissionDenied(_("Only a superuser edits cities."))
    return _save(_apply(city, fields, ("code", "name")))


@transaction.atomic
def county_create(*, actor, city: City, code: str, name: str) -> County:
    ensure_role(actor, {"city_admin"})
    _ensure_parent_in_scope(actor, city, "city")
    return _save(County(city=city, code=code, name=name))


@transaction.atomic
def county_update(*, actor, county: County, **fields) -> County:
    ensure_role(actor, {"city_admin"})
    ensure_in_scope(actor, county)
    if "city" in fields:
        _ensure_parent_in_scope(actor, fields["city"], "city")
    return _save(_apply(county, fields, ("code", "name", "city")))


@transaction.atomic
def township_create(*, actor, county: County, code: str, name: str) -> Township:
    ensure_role(actor, {"city_admin"})
    _ensure_parent_in_scope(actor, county, "county")
    return _save(Township(county=county, code=code, name=name))


@transaction.atomic
def township_update(*, actor, township: Township, **fields) -> Township:
    ensure_role(actor, {"city_admin"})
    ensure_in_scope(actor, township)
    county = fields.get("county")
    if county is not None and county.pk != township.county_id:
        _ensure_parent_in_scope(actor, county, "county")
        # Village codes and the villages' denormalised county follow the township: move villages one by one.
        if township.villages.exists():
            raise ValidationError(
                {
                    "county": _(
                        "A township with villages cannot move to another county; move its villages first."
                    )
                }
            )
    return _save(_apply(township, fields, ("code", "name", "county")))


@transaction.atomic
def village_create(*, actor, township: Township, **fields) -> Village:
    ensure_role(actor, DATA_ENTRY_ROLES, levels=VILLAGE_CREATOR_LEVELS)
    _ensure_parent_in_scope(actor, township, "township")
    village = _apply(
        Village(township=township, county_id=township.county_id), fields, VILLAGE_EDITABLE_FIELDS
    )
    return _save(village)


@transaction.atomic
def village_update(*, actor, village: Village, **fields) -> Village:
    ensure_role(actor, DATA_ENTRY_ROLES)
    ensure_in_scope(actor, village)
    township = fields.pop("township", None)
    if township is not None and township.pk != village.township_id:
        ensure_role(actor, DATA_ENTRY_ROLES, levels=("city", "county"))
        _ensure_parent_in_scope(actor, township, "township")
        village.township, village.county_id = township, township.county_id
        from .party import organisations_follow_village  # party services build on these region services

        _save(_apply(village, fields, VILLAGE_EDITABLE_FIELDS))
        organisations_follow_village(village)
        return village
    return _save(_apply(village, fields, VILLAGE_EDITABLE_FIELDS))


@transaction.atomic
def village_retire(
    *, actor, village: Village, retired_on: datetime.date, reason: str, merged_into: Village | None = None
) -> Village:
    """Villages that merge or split are retired, never deleted, so their records keep their history."""
    ensure_role(actor, DATA_ENTRY_ROLES, levels=VILLAGE_CREATOR_LEVELS)
    ensure_in_scope(actor, village)
    if village.retired_on is not None:
        raise ValidationError(_("This village is already retired."))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for retiring the village.")})
    if merged_into is not None:
        if merged_into.pk == village.pk:
            raise ValidationError({"merged_into": _("A village cannot be merged into itself.")})
        _ensure_parent_in_scope(actor, merged_into, "merged_into")
        ensure_village_active(merged_into, field="merged_into")
    village.retired_on, village.retired_reason, village.merged_into = retired_on, reason.strip(), merged_into
    return _save(village)


@transaction.atomic
def village_delete(*, actor, village: Village) -> None:
    """Only a village entered by mistake, with no records attached, can be deleted; others are retired."""
    ensure_role(actor, DATA_ENTRY_ROLES, levels=VILLAGE_CREATOR_LEVELS)
    ensure_in_scope(actor, village)
    try:
        with transaction.atomic():
            village.delete()
    except ProtectedError as exc:
        raise ValidationError(
            _("This village has records and cannot be deleted; retire it instead.")
        ) from exc
