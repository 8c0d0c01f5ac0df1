import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import PovertyStatus, Village


class VillageFilter(django_filters.FilterSet):
    """The one filter for the village list page and the ``villages/`` API."""

    search = django_filters.CharFilter(method="filter_search", label=_("Name or code"))
    county = django_filters.NumberFilter(field_name="county_id", label=_("County"))
    township = django_filters.NumberFilter(field_name="township_id", label=_("Township"))
    poverty_status = django_filters.ChoiceFilter(choices=PovertyStatus.choices, label=_("Poverty status"))
    is_minority = django_filters.BooleanFilter(label=_("Minority village"))
    is_remote = django_filters.BooleanFilter(label=_("Remote village"))
    retired = django_filters.BooleanFilter(
        field_name="retired_on", lookup_expr="isnull", exclude=True, label=_("Retired")
    )

    class Meta:
        model = Village
        fields = ["search", "county", "township", "poverty_status", "is_minority", "is_remote", "retired"]

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        if value.isdigit():
            return queryset.filter(code__startswith=value)
        return queryset.filter(Q(name__icontains=value) | Q(code__startswith=value))
