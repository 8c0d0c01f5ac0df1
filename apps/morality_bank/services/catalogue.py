"""The items residents earn or lose points for: a default catalogue plus each county's own items."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from apps.core.permissions import ensure_role
from apps.core.scoping import in_scope

from ..catalogue import DEFAULT_ITEMS
from ..models import Item, ItemOptOut
from ..permissions import CATALOGUE_ROLES
from ._common import apply, save

ITEM_EDITABLE_FIELDS = ("category", "name", "min_points", "max_points")


def _actor_county(actor):
    binding = actor.region_binding() if getattr(actor, "is_authenticated", False) else None
    return binding[1] if binding and binding[0] == "county" else None


def _ensure_item_writable(actor, item: Item) -> None:
    """A county's items belong to that county's admins (and the city's); the default catalogue to superusers."""
    ensure_role(actor, CATALOGUE_ROLES)
    if item.county_id is None:
        if not actor.is_superuser:
            raise PermissionDenied(
                _("Only a superuser changes the default catalogue; disable the item instead.")
            )
    elif not in_scope(actor, item.county):
        raise PermissionDenied(_("This record is outside your region."))


@transaction.atomic
def item_create(*, actor, category: str, name: str, min_points: int, max_points: int, county=None) -> Item:
    ensure_role(actor, CATALOGUE_ROLES)
    if county is None:
        if not actor.is_superuser:
            raise ValidationError({"county": _("Choose the county the item is for.")})
    elif not in_scope(actor, county):
        raise ValidationError({"county": _("Choose a region within your own region.")})
    return save(
        Item(county=county, category=category, name=name, min_points=min_points, max_points=max_points)
    )


@transaction.atomic
def item_update(*, actor, item: Item, **fields) -> Item:
    _ensure_item_writable(actor, item)
    if "county" in fields and getattr(fields.pop("county"), "pk", None) != item.county_id:
        raise ValidationError({"county": _("An item cannot move to another county.")})
    before_category, before_deduction = item.category, item.is_deduction
    apply(item, fields, ITEM_EDITABLE_FIELDS)
    if item.awards.exists() and (item.category != before_category or item.is_deduction != before_deduction):
        raise ValidationError(
            _("This item has been used: its category and whether it awards or deducts cannot change.")
        )
    return save(item)


@transaction.atomic
def item_set_active(*, actor, item: Item, active: bool, county=None) -> Item:
    """Enable or disable an item.

    A county's own item is switched for that county. An item of the default catalogue is
    switched for one county (the actor's, or ``county``); only a superuser without a county
    switches it for everyone.
    """
    ensure_role(actor, CATALOGUE_ROLES)
    if item.county_id is not None:
        _ensure_item_writable(actor, item)
        item.is_active = active
        return save(item)
    county_id = getattr(county, "pk", None) or _actor_county(actor)
    if county_id is None:
        if not actor.is_superuser:
            raise ValidationError(
                {"county": _("Choose the county the item is to be disabled or enabled in.")}
            )
        item.is_active = active
        return save(item)
    if county is not None and not in_scope(actor, county):
        raise ValidationError({"county": _("Choose a region within your own region.")})
    opt_outs = ItemOptOut.objects.filter(item=item, county_id=county_id)
    if active:
        opt_outs.delete()
    elif not opt_outs.exists():
        ItemOptOut.objects.create(item=item, county_id=county_id)
    return item


@transaction.atomic
def item_delete(*, actor, item: Item) -> None:
    """Only an item entered by mistake and never used can be deleted; a used one is disabled."""
    _ensure_item_writable(actor, item)
    try:
        with transaction.atomic():
            item.opt_outs.all().delete()
            item.delete()
    except ProtectedError as exc:
        raise ValidationError(
            _("This item has been used and cannot be deleted; disable it instead.")
        ) from exc


@transaction.atomic
def default_catalogue_ensure(*, actor) -> int:
    """Add any item of the shipped default catalogue that is missing (e.g. after tables were emptied);
    items already there, used or disabled, are left as they are. Returns how many were added."""
    if not actor.is_superuser:
        raise PermissionDenied(_("Only a superuser changes the default catalogue; disable the item instead."))
    existing = set(Item.objects.filter(county__isnull=True).values_list("category", "name"))
    missing = [
        Item(category=category, name=name, min_points=low, max_points=high)
        for category, items in DEFAULT_ITEMS.items()
        for name, low, high in items
        if (category, name) not in existing
    ]
    Item.objects.bulk_create(missing, ignore_conflicts=True)
    return len(missing)
