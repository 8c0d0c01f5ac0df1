from django import forms
from django.forms.models import fields_for_model, model_to_dict
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from . import selectors
from .filters import VillageFilter
from .models import PovertyStatus, Village
from .services import VILLAGE_EDITABLE_FIELDS

YES_NO_ANY = [("", _("Any")), ("true", _("Yes")), ("false", _("No"))]


def village_filter(data, *, user) -> VillageFilter:
    """The shared ``VillageFilter`` on the user's villages, with drop-downs limited to the user's scope."""
    filterset = VillageFilter(data, queryset=selectors.village_list(user=user))
    fields = filterset.form.fields
    counties = [(c.pk, c.name) for c in selectors.county_list(user=user)]
    townships = [(t.pk, t.name) for t in selectors.township_list(user=user)]
    fields["county"].widget = forms.Select(choices=[("", _("All counties")), *counties])
    fields["township"].widget = forms.Select(choices=[("", _("All townships")), *townships])
    fields["poverty_status"].widget = forms.Select(choices=[("", _("Any")), *PovertyStatus.choices])
    for name in ("is_minority", "is_remote", "retired"):
        fields[name].widget = forms.Select(choices=YES_NO_ANY)
    for name, field in fields.items():
        field.widget.attrs["class"] = "form-control" if name == "search" else "form-select"
    fields["search"].widget.attrs["placeholder"] = _("Name or code")
    # A drop-down with a single region in it is noise.
    filterset.single_choice_fields = {
        name for name, choices in (("county", counties), ("township", townships)) if len(choices) < 2
    }
    return filterset


class VillageForm(forms.Form):
    """Shape only: fields, labels and choices come from the model; the rules are the services'."""

    township = forms.ModelChoiceField(queryset=None, label=capfirst(_("township")))

    def __init__(self, *args, townships=None, village: Village | None = None, **kwargs):
        """``townships``: where the village may be placed; ``None`` hides the field (the user may not move it)."""
        if village is not None:
            kwargs.setdefault(
                "initial", model_to_dict(village, fields=("township", *VILLAGE_EDITABLE_FIELDS))
            )
        super().__init__(*args, **kwargs)
        self.fields.update(fields_for_model(Village, fields=VILLAGE_EDITABLE_FIELDS))
        self.fields["notes"].widget.attrs["rows"] = 3
        if townships is None:
            del self.fields["township"]
        else:
            self.fields["township"].queryset = townships
            if village is None and townships.count() == 1:
                self.fields["township"].initial = townships.first().pk
        self.order_fields(["code", "name", "township"])


class VillageRetireForm(forms.Form):
    retired_on = forms.DateField(
        label=capfirst(_("retired on")), widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(label=capfirst(_("reason for retirement")), max_length=200)
    merged_into = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label=capfirst(_("merged into")),
        help_text=_("If it was merged: the village it became part of."),
    )

    def __init__(self, *args, merge_targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["merged_into"].queryset = merge_targets
