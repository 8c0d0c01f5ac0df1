"""Forms of the rankings pages: they check shape; the services decide."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .indicators import DEFAULT_BOTTOM_N, DEFAULT_WEIGHTS, indicators_for
from .models import RankingKind


def _county_choices(counties):
    return [(str(c.pk), c.name) for c in counties]


class RunForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=RankingKind.choices)
    period = forms.CharField(
        label=_("Period"), max_length=7, help_text=_("YYYY, YYYYQn or YYYY-MM, e.g. 2026, 2026Q1 or 2026-03")
    )
    county = forms.ChoiceField(label=_("County"))

    def __init__(self, *args, counties, **kwargs):
        super().__init__(*args, **kwargs)
        self.counties = {str(c.pk): c for c in counties}
        self.fields["county"].choices = _county_choices(counties)
        if not self.is_bound:
            last_month = timezone.localdate().replace(day=1) - timezone.timedelta(days=1)
            self.initial.setdefault("period", f"{last_month:%Y-%m}")
            self.initial.setdefault("kind", RankingKind.WORK_TEAM)

    def clean_county(self):
        return self.counties.get(self.cleaned_data["county"])


class ConfigurationForm(forms.Form):
    """County, date and bottom N, then one weight field per indicator of the chosen kind."""

    county = forms.ChoiceField(label=_("County"))
    valid_from = forms.DateField(label=_("Valid from"), widget=forms.DateInput(attrs={"type": "date"}))
    bottom_n = forms.IntegerField(
        label=_("Bottom N proposed as weak and lax"), min_value=0, max_value=1000, initial=DEFAULT_BOTTOM_N
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, counties, kind: str, current: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.counties = {str(c.pk): c for c in counties}
        self.fields["county"].choices = _county_choices(counties)
        weights = current if current is not None else DEFAULT_WEIGHTS[kind]
        for indicator in indicators_for(kind):
            self.fields[f"weight_{indicator.code}"] = forms.DecimalField(
                label=f"{indicator.group} · {indicator.label}",
                min_value=0,
                max_value=100,
                decimal_places=2,
                required=False,
                initial=weights.get(indicator.code, 0),
                help_text=indicator.rule,
            )
        if not self.is_bound:
            self.initial.setdefault("valid_from", timezone.localdate())

    def clean_county(self):
        return self.counties.get(self.cleaned_data["county"])

    def weights(self) -> dict:
        return {
            name.removeprefix("weight_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("weight_") and value is not None
        }


class TalkForm(forms.Form):
    talk_date = forms.DateField(label=_("Date of the talk"), widget=forms.DateInput(attrs={"type": "date"}))
    talk_by = forms.CharField(label=_("Talk held by"), max_length=100)
    talk_notes = forms.CharField(
        label=_("Notes of the talk"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )


class ConfirmForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
