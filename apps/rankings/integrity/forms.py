from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.scoping import scope_for
from apps.villages.models import County

from ..models import FindingStatus


class FindingReviewForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=FindingStatus.choices)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class BunchingRankingForm(forms.Form):
    """The year of the township bunching ranking (default: the latest with incomes) and, for users with
    several counties, one county."""

    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
    county = forms.ModelChoiceField(label=_("County"), queryset=County.objects.none(), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = scope_for(user, County.objects.order_by("code"))
        self.fields["year"].widget.attrs["class"] = "form-control"
        self.fields["county"].widget.attrs["class"] = "form-select"
