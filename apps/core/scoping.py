"""The one region-scoping mechanism used by pages, the API, exports and jobs.

Every scoped model declares ``scope_paths``: for each region level a user can be
bound to (city, county, township, village), the ORM lookup from the model to
that region's primary key (or a tuple of lookups, any of
which may match). ``scope_for`` filters a queryset to the acting
user's region; a user without a role or region sees nothing (default-deny).

Region levels nest by statistical code (city 4 digits, county 6, township 9,
village 12), but scoping uses the denormalised foreign keys so every filter is a
plain indexed equality.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from apps.accounts.models import User

LEVELS = ("city", "county", "township", "village")


def village_scope_paths(path_to_village: str) -> dict[str, str]:
    """Scope paths for a model that belongs to a village through ``path_to_village``."""
    return {
        "city": f"{path_to_village}__county__city",
        "county": f"{path_to_village}__county",
        "township": f"{path_to_village}__township",
        "village": path_to_village,
    }


def _user_binding(user) -> tuple[str, int] | None:
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    binding = getattr(user, "region_binding", None)
    return binding() if binding else None


def scope_q(user: User, model: type[Model]) -> Q | None:
    """The filter that limits ``model`` to ``user``'s region; ``None`` means nothing is visible."""
    if user is not None and user.is_authenticated and user.is_active and user.is_superuser:
        return Q()
    binding = _user_binding(user)
    paths = getattr(model, "scope_paths", None)
    if binding is None or paths is None:
        return None
    level, region_id = binding
    path = paths.get(level)
    if path is None:
        return None
    q = Q()
    for lookup in (path,) if isinstance(path, str) else path:
        q |= Q(**{lookup: region_id})
    return q


def scope_for(user: User, queryset: QuerySet) -> QuerySet:
    """Limit ``queryset`` to the records under ``user``'s region (default-deny)."""
    q = scope_q(user, queryset.model)
    if q is None:
        return queryset.none()
    return queryset.filter(q)


def get_for(user: User, queryset: QuerySet | type[Model], **lookup: Any) -> Model:
    """Fetch one record in ``user``'s scope, or raise 404 without revealing whether it exists."""
    if not isinstance(queryset, QuerySet):
        queryset = queryset._default_manager.all()
    try:
        return scope_for(user, queryset).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404(_("No such record in your region.")) from exc


def in_scope(user: User, obj: Model) -> bool:
    return scope_for(user, type(obj)._default_manager.filter(pk=obj.pk)).exists()


def ensure_in_scope(user: User, obj: Model, *, message: str | None = None) -> None:
    """Writes that would touch a record outside the user's region are refused (403)."""
    if obj is None or not in_scope(user, obj):
        raise PermissionDenied(message or _("This record is outside your region."))
