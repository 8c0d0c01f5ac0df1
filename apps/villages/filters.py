import django_filters
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _

from apps.core.filters import IdFilter, YearFilter

from .models import (
    CentralHousehold,
    OrganisationKind,
    PartyGrid,
    PartyOrganisation,
    PovertyStatus,
    Rating,
    RatingLevel,
    Rectification,
    RectificationStatus,
    Village,
)


class VillageFilter(django_filters.FilterSet):
    """The one filter for the village list page and the ``villages/`` API."""

    search = django_filters.CharFilter(method="filter_search", label=_("Name or code"))
    county = IdFilter(field_name="county_id", label=_("County"))
    township = IdFilter(field_name="township_id", label=_("Township"))
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


def _keep(queryset, name, value):
    """For filters applied together in ``filter_queryset`` (their meaning depends on each other)."""
    return queryset


class PartyOrganisationFilter(django_filters.FilterSet):
    """The one filter for the organisation list page and the ``party-organisations/`` API.

    ``year`` keeps the organisations that existed in that year; ``level`` keeps those rated that level
    in ``year`` or, without a year, in their latest rating.
    """

    search = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("Name"))
    county = IdFilter(field_name="county_id", label=_("County"))
    township = IdFilter(field_name="township_id", label=_("Township"))
    village = IdFilter(field_name="villages", label=_("Village"))
    kind = django_filters.ChoiceFilter(choices=OrganisationKind.choices, label=_("Kind"))
    is_joint = django_filters.BooleanFilter(label=_("Joint organisation"))
    year = YearFilter(method=_keep, label=_("Year"))
    level = django_filters.ChoiceFilter(choices=RatingLevel.choices, method=_keep, label=_("Rating"))
    dissolved = django_filters.BooleanFilter(
        field_name="dissolved_on", lookup_expr="isnull", exclude=True, label=_("Dissolved")
    )

    class Meta:
        model = PartyOrganisation
        fields = ["search", "county", "township", "village", "kind", "is_joint", "year", "level", "dissolved"]

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        year, level = self.form.cleaned_data.get("year"), self.form.cleaned_data.get("level")
        if year:
            queryset = queryset.filter(
                Q(founded_on__isnull=True) | Q(founded_on__year__lte=year),
                Q(dissolved_on__isnull=True) | Q(dissolved_on__year__gte=year),
            )
        if level:
            ratings = Rating.objects.filter(organisation=OuterRef("pk"))
            if year:
                queryset = queryset.filter(Exists(ratings.filter(year=year, level=level)))
            else:
                latest = Subquery(ratings.order_by("-year").values("level")[:1])
                queryset = queryset.alias(latest_level=latest).filter(latest_level=level)
        return queryset


class RatingFilter(django_filters.FilterSet):
    county = IdFilter(field_name="organisation__county_id", label=_("County"))
    township = IdFilter(field_name="organisation__township_id", label=_("Township"))
    village = IdFilter(field_name="organisation__villages", label=_("Village"))
    organisation = IdFilter(field_name="organisation_id", label=_("Party organisation"))
    year = YearFilter(label=_("Year"))
    level = django_filters.ChoiceFilter(choices=RatingLevel.choices, label=_("Rating"))

    class Meta:
        model = Rating
        fields = ["county", "township", "village", "organisation", "year", "level"]


class RectificationFilter(django_filters.FilterSet):
    """The one filter for the rectification board and the ``rectifications/`` API (on ``rectification_list``)."""

    county = IdFilter(field_name="organisation__county_id", label=_("County"))
    township = IdFilter(field_name="organisation__township_id", label=_("Township"))
    village = IdFilter(field_name="organisation__villages", label=_("Village"))
    organisation = IdFilter(field_name="organisation_id", label=_("Party organisation"))
    year = YearFilter(label=_("Year"))
    status = django_filters.ChoiceFilter(choices=RectificationStatus.choices, label=_("Status"))
    overdue = django_filters.BooleanFilter(label=_("Overdue"))
    is_repeat = django_filters.BooleanFilter(label=_("Repeat case"))

    class Meta:
        model = Rectification
        fields = ["county", "township", "village", "organisation", "year", "status", "overdue", "is_repeat"]


class PartyGridFilter(django_filters.FilterSet):
    county = IdFilter(field_name="organisation__county_id", label=_("County"))
    township = IdFilter(field_name="organisation__township_id", label=_("Township"))
    village = IdFilter(field_name="organisation__villages", label=_("Village"))
    organisation = IdFilter(field_name="organisation_id", label=_("Party organisation"))

    class Meta:
        model = PartyGrid
        fields = ["county", "township", "village", "organisation"]


class CentralHouseholdFilter(django_filters.FilterSet):
    county = IdFilter(field_name="grid__organisation__county_id", label=_("County"))
    township = IdFilter(field_name="grid__organisation__township_id", label=_("Township"))
    village = IdFilter(field_name="grid__organisation__villages", label=_("Village"))
    organisation = IdFilter(field_name="grid__organisation_id", label=_("Party organisation"))
    grid = IdFilter(field_name="grid_id", label=_("Grid"))

    class Meta:
        model = CentralHousehold
        fields = ["county", "township", "village", "organisation", "grid"]
