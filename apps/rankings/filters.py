"""One FilterSet per list, shared by the pages and the API."""

import django_filters

from apps.core.filters import IdFilter, YearFilter
from apps.core.scoping import scope_for
from apps.villages.models import County, Township

from .models import (
    CandidateStatus,
    Escalation,
    EscalationLevel,
    Ranking,
    RankingKind,
    RankingStatus,
    SubjectType,
    WeakCandidate,
)


def _counties(request):
    return (
        scope_for(getattr(request, "user", None), County.objects.all()) if request else County.objects.none()
    )


def _townships(request):
    return (
        scope_for(getattr(request, "user", None), Township.objects.all())
        if request
        else Township.objects.none()
    )


class RankingFilter(django_filters.FilterSet):
    county = django_filters.ModelChoiceFilter(queryset=_counties)
    kind = django_filters.ChoiceFilter(choices=RankingKind.choices)
    status = django_filters.ChoiceFilter(choices=RankingStatus.choices)
    period = django_filters.CharFilter()
    year = YearFilter(field_name="period_last__year")

    class Meta:
        model = Ranking
        fields = ["county", "kind", "period", "status", "year"]


class EscalationFilter(django_filters.FilterSet):
    county = django_filters.ModelChoiceFilter(queryset=_counties)
    township = django_filters.ModelChoiceFilter(queryset=_townships)
    level = django_filters.ChoiceFilter(choices=EscalationLevel.choices)
    subject_type = django_filters.ChoiceFilter(choices=SubjectType.choices)
    open = django_filters.BooleanFilter(field_name="talk_date", lookup_expr="isnull", label="open")
    period = django_filters.CharFilter(field_name="ranking__period")
    subject_id = IdFilter()

    class Meta:
        model = Escalation
        fields = ["county", "township", "level", "subject_type", "subject_id", "ranking", "open", "period"]


class WeakCandidateFilter(django_filters.FilterSet):
    county = IdFilter(field_name="organisation__county")
    status = django_filters.ChoiceFilter(choices=CandidateStatus.choices)
    year = YearFilter()

    class Meta:
        model = WeakCandidate
        fields = ["county", "year", "status", "ranking"]
