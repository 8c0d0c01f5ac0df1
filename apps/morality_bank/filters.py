"""One FilterSet per list, shared by the pages and the API viewsets."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.filters import IdFilter, YearFilter

from .models import (
    Award,
    AwardStatus,
    Category,
    EntryKind,
    Goods,
    Item,
    LedgerEntry,
    Redemption,
    Resident,
    Settlement,
)


class RegionFilterSet(django_filters.FilterSet):
    """``county``, ``township`` and ``village`` by id, for records that belong to a village."""

    county = IdFilter(field_name="village__county_id", label=_("County"))
    township = IdFilter(field_name="village__township_id", label=_("Township"))
    village = IdFilter(field_name="village_id", label=_("Village"))


class ItemFilter(django_filters.FilterSet):
    category = django_filters.ChoiceFilter(choices=Category.choices, label=_("Category"))
    county = IdFilter(method="filter_county", label=_("County"))
    is_active = django_filters.BooleanFilter(label=_("Active"))

    class Meta:
        model = Item
        fields = ["category", "county", "is_active"]

    def filter_county(self, queryset, name, value):
        """The county's own items and the default catalogue."""
        return queryset.filter(Q(county_id=value) | Q(county__isnull=True))


class ResidentFilter(RegionFilterSet):
    search = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("Name"))
    has_household = django_filters.BooleanFilter(
        field_name="household", lookup_expr="isnull", exclude=True, label=_("From a poor household")
    )

    class Meta:
        model = Resident
        fields = ["county", "township", "village", "search", "has_household"]


class AwardFilter(RegionFilterSet):
    status = django_filters.ChoiceFilter(choices=AwardStatus.choices, label=_("Status"))
    category = django_filters.ChoiceFilter(
        field_name="item__category", choices=Category.choices, label=_("Category")
    )
    year = YearFilter(field_name="date__year", label=_("Year"))
    resident = IdFilter(field_name="resident_id", label=_("Resident"))
    item = IdFilter(field_name="item_id", label=_("Item"))

    class Meta:
        model = Award
        fields = ["county", "township", "village", "status", "category", "year", "resident", "item"]


class GoodsFilter(RegionFilterSet):
    search = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("Name"))
    is_active = django_filters.BooleanFilter(label=_("On sale"))

    class Meta:
        model = Goods
        fields = ["county", "township", "village", "search", "is_active"]


class RedemptionFilter(RegionFilterSet):
    year = YearFilter(field_name="date__year", label=_("Year"))
    resident = IdFilter(field_name="resident_id", label=_("Resident"))
    goods = IdFilter(field_name="goods_id", label=_("Goods"))

    class Meta:
        model = Redemption
        fields = ["county", "township", "village", "year", "resident", "goods"]


class LedgerFilter(RegionFilterSet):
    kind = django_filters.ChoiceFilter(choices=EntryKind.choices, label=_("Kind"))
    year = YearFilter(field_name="date__year", label=_("Year"))
    resident = IdFilter(field_name="resident_id", label=_("Resident"))

    class Meta:
        model = LedgerEntry
        fields = ["county", "township", "village", "kind", "year", "resident"]


class SettlementFilter(RegionFilterSet):
    quarter = django_filters.CharFilter(label=_("Quarter"))
    year = YearFilter(field_name="period_start__year", label=_("Year"))

    class Meta:
        model = Settlement
        fields = ["county", "township", "village", "quarter", "year"]
