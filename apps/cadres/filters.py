"""One FilterSet per list, shared by the pages and the API viewsets."""

import datetime

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from apps.core.filters import IdFilter, YearFilter

from .models import (
    Cadre,
    CadrePosition,
    CadreSource,
    DegreeEnrolment,
    Education,
    EndReason,
    Gender,
    ReserveCadre,
    Role,
    Training,
)


class RegionFilterMixin(django_filters.FilterSet):
    """``county``, ``township`` and ``village`` ids, through the record's village."""

    village_path = "village"

    county = IdFilter(method="filter_region", label=_("County"))
    township = IdFilter(method="filter_region", label=_("Township"))
    village = IdFilter(method="filter_region", label=_("Village"))

    def filter_region(self, queryset, name, value):
        if value is None:
            return queryset
        path = self.village_path if name == "village" else f"{self.village_path}__{name}"
        return queryset.filter(**{f"{path}_id": value})


def _year_end(value) -> datetime.date:
    return datetime.date(value, 12, 31)


class CadreFilter(RegionFilterMixin):
    """Cadres: by region, person, current role and office."""

    search = django_filters.CharFilter(method="filter_search", label=_("Name"))
    gender = django_filters.ChoiceFilter(choices=Gender.choices, label=_("Gender"))
    education = django_filters.ChoiceFilter(choices=Education.choices, label=_("Education"))
    source = django_filters.ChoiceFilter(choices=CadreSource.choices, label=_("Source"))
    is_party_member = django_filters.BooleanFilter(label=_("Party member"))
    is_wealth_leader = django_filters.BooleanFilter(label=_("Wealth leader"))
    role = django_filters.ChoiceFilter(choices=Role.choices, method="filter_role", label=_("Current role"))
    in_office = django_filters.BooleanFilter(method="filter_in_office", label=_("In office"))
    one_shoulder = django_filters.BooleanFilter(
        field_name="is_one_shoulder", label=_("Secretary and director")
    )
    year = YearFilter(method="filter_year", label=_("In office during year"))

    class Meta:
        model = Cadre
        fields = [
            "search",
            "county",
            "township",
            "village",
            "role",
            "in_office",
            "one_shoulder",
            "education",
            "source",
            "gender",
            "is_party_member",
            "is_wealth_leader",
            "year",
        ]

    def filter_search(self, queryset, name, value):
        value = (value or "").strip()
        return queryset.filter(name__icontains=value) if value else queryset

    def filter_role(self, queryset, name, value):
        current = CadrePosition.objects.current().filter(cadre=OuterRef("pk"), role=value)
        return queryset.filter(Exists(current))

    def filter_in_office(self, queryset, name, value):
        if value is None:
            return queryset
        current = Exists(CadrePosition.objects.current().filter(cadre=OuterRef("pk")))
        return queryset.filter(current if value else ~current)

    def filter_year(self, queryset, name, value):
        held = CadrePosition.objects.held_during(value).filter(cadre=OuterRef("pk"))
        return queryset.filter(Exists(held))


class PositionFilter(RegionFilterMixin):
    """Positions: by region, cadre, role, current or ended, and year."""

    search = django_filters.CharFilter(method="filter_search", label=_("Cadre name"))
    cadre = IdFilter(field_name="cadre_id", label=_("Cadre"))
    role = django_filters.ChoiceFilter(choices=Role.choices, label=_("Role"))
    current = django_filters.BooleanFilter(field_name="end_date", lookup_expr="isnull", label=_("Current"))
    end_reason = django_filters.ChoiceFilter(choices=EndReason.choices, label=_("End reason"))
    year = YearFilter(method="filter_year", label=_("Held during year"))
    ended_in = YearFilter(field_name="end_date", lookup_expr="year", label=_("Ended in year"))

    class Meta:
        model = CadrePosition
        fields = [
            "search",
            "county",
            "township",
            "village",
            "cadre",
            "role",
            "current",
            "end_reason",
            "year",
            "ended_in",
        ]

    def filter_search(self, queryset, name, value):
        value = (value or "").strip()
        return queryset.filter(cadre__name__icontains=value) if value else queryset

    def filter_year(self, queryset, name, value):
        return queryset.held_during(value)


class ReserveFilter(RegionFilterMixin):
    """Reserve cadres: by region, education, returned migrants, pool membership."""

    search = django_filters.CharFilter(method="filter_search", label=_("Name"))
    education = django_filters.ChoiceFilter(choices=Education.choices, label=_("Education"))
    is_returned_migrant = django_filters.BooleanFilter(label=_("Returned migrant worker"))
    current = django_filters.BooleanFilter(
        field_name="until", lookup_expr="isnull", label=_("In the pool now")
    )
    year = YearFilter(method="filter_year", label=_("In the pool on 31 December of"))

    class Meta:
        model = ReserveCadre
        fields = [
            "search",
            "county",
            "township",
            "village",
            "education",
            "is_returned_migrant",
            "current",
            "year",
        ]

    def filter_search(self, queryset, name, value):
        value = (value or "").strip()
        return queryset.filter(name__icontains=value) if value else queryset

    def filter_year(self, queryset, name, value):
        return queryset.in_pool_on(_year_end(value))


class TrainingFilter(RegionFilterMixin):
    """Training records: by region (the cadre's village), cadre, year and course."""

    village_path = "cadre__village"

    search = django_filters.CharFilter(method="filter_search", label=_("Course or cadre"))
    cadre = IdFilter(field_name="cadre_id", label=_("Cadre"))
    year = YearFilter(field_name="start_date", lookup_expr="year", label=_("Year"))

    class Meta:
        model = Training
        fields = ["search", "county", "township", "village", "cadre", "year"]

    def filter_search(self, queryset, name, value):
        value = (value or "").strip()
        if not value:
            return queryset
        return queryset.filter(Q(course__icontains=value) | Q(cadre__name__icontains=value))


class EnrolmentFilter(RegionFilterMixin):
    """Degree-upgrade enrolments: by region, cadre, completion and year of enrolment."""

    village_path = "cadre__village"

    cadre = IdFilter(field_name="cadre_id", label=_("Cadre"))
    completed = django_filters.BooleanFilter(
        field_name="completed_on", lookup_expr="isnull", exclude=True, label=_("Completed")
    )
    year = YearFilter(field_name="enrolled_on", lookup_expr="year", label=_("Year enrolled"))

    class Meta:
        model = DegreeEnrolment
        fields = ["county", "township", "village", "cadre", "completed", "year"]
