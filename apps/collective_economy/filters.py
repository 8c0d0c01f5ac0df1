"""One FilterSet per list, shared by the page and the API viewset."""

import django_filters
from django.db.models import OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.filters import IdFilter, YearFilter

from .config import PAIRING_LINE, TARGET_LINE, WEAK_LINE
from .models import (
    Bracket,
    EconomyType,
    FundSource,
    Income,
    Pairing,
    Project,
    ProjectStatus,
    SupportFund,
    UnitType,
)
from .selectors import lines_for, paired_in


class RegionFilterSet(django_filters.FilterSet):
    """county, township and village ids (records are filtered through their village)."""

    county = IdFilter(field_name="village__county_id", label=_("County"))
    township = IdFilter(field_name="village__township_id", label=_("Township"))
    village = IdFilter(field_name="village_id", label=_("Village"))

    def filter_village_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        if value.isdigit():
            return queryset.filter(village__code__startswith=value)
        return queryset.filter(Q(village__name__icontains=value) | Q(village__code__startswith=value))


class IncomeFilter(RegionFilterSet):
    year = YearFilter(label=_("Year"))
    bracket = django_filters.ChoiceFilter(choices=Bracket.choices, label=_("Income bracket"))
    economy_type = django_filters.ChoiceFilter(choices=EconomyType.choices, label=_("Economy type"))
    development_mode = django_filters.CharFilter(
        field_name="development_mode__code", label=_("Development mode")
    )
    search = django_filters.CharFilter(method="filter_village_search", label=_("Village name or code"))
    weak = django_filters.BooleanFilter(method="filter_weak", label=_("Below the weak-village line"))
    meets_target = django_filters.BooleanFilter(
        method="filter_meets_target", label=_("Meets the target line")
    )
    unpaired = django_filters.BooleanFilter(
        method="filter_unpaired", label=_("Below the pairing line without a helping unit")
    )

    class Meta:
        model = Income
        fields = [
            "search",
            "county",
            "township",
            "village",
            "year",
            "bracket",
            "economy_type",
            "development_mode",
            "weak",
            "meets_target",
            "unpaired",
        ]

    def _lines(self):
        # Lines are dated: each row is compared with the values in force at the end of its own year.
        year = self.form.cleaned_data.get("year")
        this_year = timezone.localdate().year
        return lines_for([year] if year else range(this_year - 40, this_year + 1))

    def filter_weak(self, queryset, name, value):
        below = Q(total__lt=self._lines().expression(WEAK_LINE.key))
        return queryset.filter(below if value else ~below)

    def filter_meets_target(self, queryset, name, value):
        meets = Q(total__gte=self._lines().expression(TARGET_LINE.key))
        return queryset.filter(meets if value else ~meets)

    def filter_unpaired(self, queryset, name, value):
        unpaired = Q(total__lt=self._lines().expression(PAIRING_LINE.key)) & ~Q(paired_in(OuterRef("year")))
        return queryset.filter(unpaired if value else ~unpaired)


class SupportFundFilter(RegionFilterSet):
    year = YearFilter(label=_("Year"))
    source = django_filters.ChoiceFilter(choices=FundSource.choices, label=_("Source"))
    search = django_filters.CharFilter(method="filter_village_search", label=_("Village name or code"))

    class Meta:
        model = SupportFund
        fields = ["search", "county", "township", "village", "year", "source"]


class ProjectFilter(RegionFilterSet):
    year = YearFilter(field_name="start_year", label=_("Start year"))
    mode = django_filters.CharFilter(field_name="mode__code", label=_("Project mode"))
    status = django_filters.ChoiceFilter(choices=ProjectStatus.choices, label=_("Status"))
    search = django_filters.CharFilter(method="filter_search", label=_("Project or village"))

    class Meta:
        model = Project
        fields = ["search", "county", "township", "village", "year", "mode", "status"]

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value) | Q(village__name__icontains=value) | Q(village__code__startswith=value)
        )


class PairingFilter(RegionFilterSet):
    year = YearFilter(method="filter_year", label=_("Paired in year"))
    unit_type = django_filters.ChoiceFilter(choices=UnitType.choices, label=_("Unit type"))
    search = django_filters.CharFilter(method="filter_search", label=_("Unit or village"))

    class Meta:
        model = Pairing
        fields = ["search", "county", "township", "village", "year", "unit_type"]

    def filter_year(self, queryset, name, value):
        return queryset.filter(Q(start_year__lte=value) & (Q(end_year__isnull=True) | Q(end_year__gte=value)))

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(unit_name__icontains=value) | Q(village__name__icontains=value))
