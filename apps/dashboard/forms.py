"""Forms of the dashboard app: they check shape only; the services check roles and regions."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.villages import selectors as village_selectors

from .figures import FIRST_YEAR, default_years
from .models import SurveyResult


class YearRangeForm(forms.Form):
    year_from = forms.IntegerField(label=_("From year"), min_value=2000, max_value=2100, required=False)
    year_to = forms.IntegerField(label=_("To year"), min_value=2000, max_value=2100, required=False)

    def clean(self):
        cleaned = super().clean()
        start, end = default_years()
        cleaned["year_from"] = cleaned.get("year_from") or start
        cleaned["year_to"] = cleaned.get("year_to") or end
        if cleaned["year_from"] > cleaned["year_to"]:
            raise forms.ValidationError(_("The last year cannot be before the first."))
        if cleaned["year_to"] - cleaned["year_from"] >= 30:
            raise forms.ValidationError(_("Choose at most 30 years."))
        return cleaned


def year_choices():
    return list(range(timezone.localdate().year, FIRST_YEAR - 1, -1))


class SurveyResultForm(forms.ModelForm):
    class Meta:
        model = SurveyResult
        fields = ["city", "county", "year", "reason", "share"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["city"].queryset = village_selectors.city_list(user=user)
        self.fields["county"].queryset = village_selectors.county_list(user=user)
        if self.fields["city"].queryset.count() == 1 and not self.instance.pk:
            self.fields["city"].initial = self.fields["city"].queryset.first()
