"""Role checks for writes. Region checks live in ``apps.core.scoping``; services call both."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

# Roles that enter and correct village data; village clerks only keep morality-bank records.
DATA_ENTRY_ROLES = frozenset({"city_admin", "county_admin", "township_staff", "api_client"})
ADMIN_ROLES = frozenset({"city_admin", "county_admin"})


def ensure_role(actor, roles: frozenset[str] | set[str], *, levels: tuple[str, ...] | None = None) -> None:
    """Refuse unless ``actor`` is a superuser or has one of ``roles`` (bound at one of ``levels``)."""
    if actor.is_superuser:
        return
    binding = actor.region_binding() if actor.is_authenticated else None
    if binding is None or actor.role not in roles or (levels and binding[0] not in levels):
        raise PermissionDenied(_("Your role may not make this change."))


def has_role(actor, roles: frozenset[str] | set[str], *, levels: tuple[str, ...] | None = None) -> bool:
    """``ensure_role`` as a question, for pages that hide what the user may not do."""
    try:
        ensure_role(actor, roles, levels=levels)
    except PermissionDenied:
        return False
    return True
