from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import FindingStatus


class FindingReviewForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=FindingStatus.choices)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
