from django.db.models import QuerySet

from apps.core.scoping import scope_for

from .models import City, County, Township, Village


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
