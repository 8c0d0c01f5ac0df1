from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from apps.core.queries import count_each
from apps.core.scoping import scope_for

from .models import City, County, PovertyStatus, Township, Village


def city_list(*, user) -> QuerySet[City]:
    return scope_for(user, City.objects.all())


def county_list(*, user) -> QuerySet[County]:
    return scope_for(user, County.objects.select_related("city"))


def township_list(*, user) -> QuerySet[Township]:
    return scope_for(user, Township.objects.select_related("county"))


def village_list(*, user, include_retired: bool = True) -> QuerySet[Village]:
    qs = Village.objects.select_related("township", "county")
    if not include_retired:
        qs = qs.active()
    return scope_for(user, qs)


def _scoped_count(user, queryset: QuerySet, parent_field: str) -> Coalesce:
    """Per outer row: how many of the scoped ``queryset`` records have it as ``parent_field``."""
    counts = (
        scope_for(user, queryset.filter(**{parent_field: OuterRef("pk")}))
        .order_by()
        .values(parent_field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counts), 0)


def county_list_with_counts(*, user) -> QuerySet[County]:
    """Counties in scope with ``township_count`` and ``village_count`` (active villages in scope)."""
    return county_list(user=user).annotate(
        township_count=_scoped_count(user, Township.objects.all(), "county"),
        village_count=_scoped_count(user, Village.objects.active(), "county"),
    )


def township_list_with_counts(*, user) -> QuerySet[Township]:
    """Townships in scope with ``village_count`` (active villages in scope)."""
    return township_list(user=user).annotate(
        village_count=_scoped_count(user, Village.objects.active(), "township")
    )


def region_totals(*, user) -> dict[str, int]:
    """Counties, townships, active villages and active poor villages in scope, in one query."""
    villages = village_list(user=user, include_retired=False)
    return count_each(
        counties=county_list(user=user),
        townships=township_list(user=user),
        villages=villages,
        poor_villages=villages.exclude(poverty_status=PovertyStatus.NONE),
    )
