"""One FilterSet per list, shared by the pages and the API (``county``, ``township``, ``village``, ``year``)."""

import datetime

import django_filters
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.filters import IdFilter, YearFilter
from apps.core.periods import Month, Quarter

from .models import (
    AssistanceMeasure,
    AwardLevel,
    CheckResult,
    Commendation,
    DisciplineCase,
    DisciplineCategory,
    DutyLog,
    Evaluation,
    Grade,
    Household,
    HouseholdIncome,
    HouseholdMember,
    HouseholdStatus,
    HouseholdStatusChange,
    ListKind,
    MeasureKind,
    MemberRole,
    PovertyCause,
    Promotion,
    ResponsibilityItem,
    SpotCheck,
    UnitLevel,
    UnitType,
    WorkTeam,
    WorkTeamMember,
)
from .selectors._expressions import active_on_q, overlap_q


class RegionFilterSet(django_filters.FilterSet):
    """``county``, ``township`` and ``village`` ids, reached through ``village_path``."""

    village_path = "village"

    county = IdFilter(method="filter_county", label=_("County"))
    township = IdFilter(method="filter_township", label=_("Township"))
    village = IdFilter(method="filter_village", label=_("Village"))

    def filter_county(self, queryset, name, value):
        return queryset.filter(**{f"{self.village_path}__county_id": value})

    def filter_township(self, queryset, name, value):
        return queryset.filter(**{f"{self.village_path}__township_id": value})

    def filter_village(self, queryset, name, value):
        return queryset.filter(**{f"{self.village_path}_id": value})


def _year_range(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


class AssignmentYearMixin:
    """``year``: teams or members serving at some point of that year."""

    assignment_prefix = ""

    def filter_year(self, queryset, name, value):
        return queryset.filter(overlap_q(*_year_range(value), self.assignment_prefix))


class WorkTeamFilter(AssignmentYearMixin, RegionFilterSet):
    year = YearFilter(method="filter_year", label=_("Serving in year"))
    active_on = django_filters.DateFilter(method="filter_active_on", label=_("Active on"))
    short_of_county_plus = django_filters.BooleanFilter(
        field_name="short_of_county_plus", label=_("Too few members from county-level units")
    )

    class Meta:
        model = WorkTeam
        fields = ["county", "township", "village", "year", "active_on", "short_of_county_plus"]

    def filter_active_on(self, queryset, name, value):
        return queryset.filter(active_on_q(value))


class WorkTeamMemberFilter(AssignmentYearMixin, RegionFilterSet):
    village_path = "team__village"

    team = IdFilter(field_name="team_id", label=_("Work team"))

    search = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("Name"))
    year = YearFilter(method="filter_year", label=_("Serving in year"))
    current = django_filters.BooleanFilter(method="filter_current", label=_("Serving today"))
    role = django_filters.ChoiceFilter(choices=MemberRole.choices, label=_("Role in the team"))
    unit_type = django_filters.ChoiceFilter(choices=UnitType.choices, label=_("Unit type"))
    unit_level = django_filters.ChoiceFilter(choices=UnitLevel.choices, label=_("Unit level"))

    class Meta:
        model = WorkTeamMember
        fields = [
            "search",
            "county",
            "township",
            "village",
            "team",
            "year",
            "current",
            "role",
            "unit_type",
            "unit_level",
        ]

    def filter_current(self, queryset, name, value):
        today = timezone.localdate()
        return queryset.filter(active_on_q(today)) if value else queryset.exclude(active_on_q(today))


class DutyLogFilter(RegionFilterSet):
    village_path = "member__team__village"

    month = django_filters.CharFilter(method="filter_month", label=_("Month (YYYY-MM)"))
    year = YearFilter(field_name="date__year", label=_("Year"))
    team = IdFilter(field_name="member__team_id", label=_("Work team"))
    member = IdFilter(field_name="member_id", label=_("Work team member"))

    class Meta:
        model = DutyLog
        fields = ["county", "township", "village", "team", "member", "month", "year", "date", "on_duty"]

    def filter_month(self, queryset, name, value):
        try:
            month = Month.parse(value)
        except ValidationError:
            return queryset.none()
        return queryset.filter(date__range=(month.first, month.last))


class HouseholdFilter(RegionFilterSet):
    search = django_filters.CharFilter(
        field_name="head_name", lookup_expr="icontains", label=_("Head of household")
    )
    status = django_filters.ChoiceFilter(choices=HouseholdStatus.choices, label=_("Status"))
    cause = django_filters.ChoiceFilter(choices=PovertyCause.choices, label=_("Main cause of poverty"))
    exit_year = YearFilter(label=_("Exit year"))
    year = YearFilter(field_name="registered_on__year", label=_("Year registered"))
    paired_cadre = IdFilter(field_name="paired_cadre_id", label=_("Paired cadre"))
    paired = django_filters.BooleanFilter(
        field_name="paired_cadre", lookup_expr="isnull", exclude=True, label=_("Paired with a cadre")
    )

    class Meta:
        model = Household
        fields = [
            "search",
            "county",
            "township",
            "village",
            "status",
            "cause",
            "exit_year",
            "year",
            "paired",
            "paired_cadre",
        ]


class HouseholdPartFilter(RegionFilterSet):
    village_path = "household__village"

    household = IdFilter(field_name="household_id", label=_("Poor household"))


class HouseholdMemberFilter(HouseholdPartFilter):
    class Meta:
        model = HouseholdMember
        fields = ["county", "township", "village", "household", "relation", "labour_capacity", "health"]


class HouseholdIncomeFilter(HouseholdPartFilter):
    year = YearFilter(label=_("Year"))

    class Meta:
        model = HouseholdIncome
        fields = ["county", "township", "village", "household", "year"]


class HouseholdStatusChangeFilter(HouseholdPartFilter):
    year = YearFilter(field_name="date__year", label=_("Year"))

    class Meta:
        model = HouseholdStatusChange
        fields = ["county", "township", "village", "household", "status", "year"]


class AssistanceMeasureFilter(HouseholdPartFilter):
    year = YearFilter(field_name="date__year", label=_("Year"))
    kind = django_filters.ChoiceFilter(choices=MeasureKind.choices, label=_("Kind of measure"))

    class Meta:
        model = AssistanceMeasure
        fields = ["county", "township", "village", "household", "kind", "year"]


class ResponsibilityItemFilter(RegionFilterSet):
    year = YearFilter(label=_("Year"))
    kind = django_filters.ChoiceFilter(choices=ListKind.choices, label=_("Responsibility list"))
    member = IdFilter(field_name="member_id", label=_("Work team member"))
    closed = django_filters.BooleanFilter(
        field_name="closed_on", lookup_expr="isnull", exclude=True, label=_("Closed")
    )

    class Meta:
        model = ResponsibilityItem
        fields = ["county", "township", "village", "year", "kind", "closed", "member"]


class SpotCheckFilter(RegionFilterSet):
    village_path = "team__village"

    county = IdFilter(field_name="draw__county_id", label=_("County"))
    quarter = django_filters.CharFilter(method="filter_quarter", label=_("Quarter (YYYYQn)"))
    year = YearFilter(method="filter_year", label=_("Year"))
    result = django_filters.ChoiceFilter(choices=CheckResult.choices, label=_("Result"))
    team = IdFilter(field_name="team_id", label=_("Work team"))

    class Meta:
        model = SpotCheck
        fields = ["county", "township", "village", "quarter", "year", "team", "result"]

    def filter_quarter(self, queryset, name, value):
        try:
            return queryset.filter(draw__quarter=str(Quarter.parse(value)))
        except ValidationError:
            return queryset.none()

    def filter_year(self, queryset, name, value):
        return queryset.filter(draw__quarter__startswith=f"{value:04d}Q")


class EvaluationFilter(RegionFilterSet):
    village_path = "member__team__village"

    year = YearFilter(label=_("Year"))
    grade = django_filters.ChoiceFilter(choices=Grade.choices, label=_("Grade"))
    member = IdFilter(field_name="member_id", label=_("Work team member"))
    role = django_filters.ChoiceFilter(
        field_name="member__role", choices=MemberRole.choices, label=_("Role in the team")
    )

    class Meta:
        model = Evaluation
        fields = ["county", "township", "village", "member", "year", "grade", "role"]


class FrontLineRecordFilter(RegionFilterSet):
    year = YearFilter(field_name="date__year", label=_("Year"))
    search = django_filters.CharFilter(
        field_name="person_name", lookup_expr="icontains", label=_("Name of the person")
    )


class CommendationFilter(FrontLineRecordFilter):
    level = django_filters.ChoiceFilter(choices=AwardLevel.choices, label=_("Awarded by"))

    class Meta:
        model = Commendation
        fields = ["county", "township", "village", "year", "level", "search"]


class PromotionFilter(FrontLineRecordFilter):
    level = django_filters.ChoiceFilter(choices=AwardLevel.choices, label=_("Promoted by"))

    class Meta:
        model = Promotion
        fields = ["county", "township", "village", "year", "level", "rank", "search"]


class DisciplineCaseFilter(FrontLineRecordFilter):
    category = django_filters.ChoiceFilter(choices=DisciplineCategory.choices, label=_("Category"))

    class Meta:
        model = DisciplineCase
        fields = ["county", "township", "village", "year", "category", "outcome", "search"]
