"""The findings' FilterSet, shared by the page and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from apps.core.filters import YearFilter
from apps.core.scoping import scope_for
from apps.villages.models import County, Township, Village

from ..models import Finding, FindingStatus
from .detectors import DETECTOR_CHOICES


def _scoped(model):
    def queryset(request):
        user = getattr(request, "user", None)
        return scope_for(user, model.objects.all()) if request else model.objects.none()

    return queryset


class FindingFilter(django_filters.FilterSet):
    county = django_filters.ModelChoiceFilter(queryset=_scoped(County), label=_("county"))
    township = django_filters.ModelChoiceFilter(queryset=_scoped(Township), label=_("township"))
    village = django_filters.ModelChoiceFilter(queryset=_scoped(Village), label=_("village"))
    year = YearFilter(label=_("year"))
    detector = django_filters.ChoiceFilter(choices=DETECTOR_CHOICES, label=_("detector"))
    status = django_filters.ChoiceFilter(choices=FindingStatus.choices, label=_("status"))

    class Meta:
        model = Finding
        fields = ["county", "township", "village", "year", "detector", "status"]
