"""Forms check shape only (types, two decimal places); the services decide the rules."""

from django import forms
from django.forms.models import fields_for_model, model_to_dict
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from apps.villages import selectors as village_selectors

from . import selectors
from .filters import IncomeFilter, PairingFilter, ProjectFilter, SupportFundFilter
from .models import AMOUNT_FIELDS, DevelopmentMode, Income, ModeKind, Pairing, Project, SupportFund
from .services import INCOME_FIELDS, MODE_FIELDS, PAIRING_FIELDS, PROJECT_FIELDS, SUPPORT_FUND_FIELDS

MONEY_FIELDS = (*AMOUNT_FIELDS, "amount", "funds_total", "funds_demonstration", "funds_agricultural",
                "funds_department", "funds_social")  # fmt: skip


def _money_widget(field: forms.Field, *, live: bool = False) -> None:
    # Text, not type=number: the browser must not round or refuse what the server should judge.
    attrs = {"inputmode": "decimal", "autocomplete": "off", "class": "text-end"}
    if live:
        attrs["data-amount"] = ""
    field.widget = forms.TextInput(attrs=attrs)


class RecordForm(forms.Form):
    """Fields, labels and choices from the model; ``village`` is offered only when a record is created."""

    model = None
    fields_order: tuple[str, ...] = ()

    def __init__(self, *args, user, instance=None, **kwargs):
        if instance is not None:
            kwargs.setdefault("initial", model_to_dict(instance, fields=self.fields_order))
        super().__init__(*args, **kwargs)
        self.instance = instance
        self.fields.update(fields_for_model(self.model, fields=self.fields_order))
        self.order_fields(self.fields_order)
        if instance is None:
            villages = village_selectors.village_list(user=user, include_retired=False)
            self.fields["village"] = forms.ModelChoiceField(queryset=villages, label=capfirst(_("village")))
            self.order_fields(self.fields_order)
        else:
            del self.fields["village"]
        for name, field in self.fields.items():
            if name in MONEY_FIELDS:
                _money_widget(field, live=name in AMOUNT_FIELDS)
                if self.model._meta.get_field(name).has_default():
                    field.required = False  # left empty: the model's default (0)
            if name == "note":
                field.widget.attrs["rows"] = 2

    def clean(self):
        cleaned = super().clean()
        for name in MONEY_FIELDS:
            field = self.fields.get(name)
            if (
                field is not None
                and not field.required
                and cleaned.get(name) is None
                and name not in self.errors
            ):
                cleaned[name] = self.model._meta.get_field(name).get_default()
        return cleaned

    def _limit_modes(self, name: str, kind: str) -> None:
        current = getattr(self.instance, f"{name}_id", None)
        modes = DevelopmentMode.objects.filter(kind=kind, is_active=True) | DevelopmentMode.objects.filter(
            pk=current
        )
        self.fields[name].queryset = modes.distinct().order_by("position", "code")


class IncomeForm(RecordForm):
    model = Income
    fields_order = INCOME_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._limit_modes("development_mode", ModeKind.VILLAGE)


class SupportFundForm(RecordForm):
    model = SupportFund
    fields_order = SUPPORT_FUND_FIELDS


class ProjectForm(RecordForm):
    model = Project
    fields_order = PROJECT_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._limit_modes("mode", ModeKind.PROJECT)


class PairingForm(RecordForm):
    model = Pairing
    fields_order = PAIRING_FIELDS


class DevelopmentModeForm(forms.Form):
    def __init__(self, *args, instance=None, **kwargs):
        if instance is not None:
            kwargs.setdefault("initial", model_to_dict(instance, fields=MODE_FIELDS))
        super().__init__(*args, **kwargs)
        self.fields.update(fields_for_model(DevelopmentMode, fields=MODE_FIELDS))
        self.fields["code"].validators = []  # uniqueness: the service's full_clean names the field


class YearRegionForm(forms.Form):
    """The year and region the overview shows; regions are limited to the user's scope."""

    year = forms.IntegerField(label=_("Year"), required=False, min_value=1949, max_value=2100)
    county = forms.ChoiceField(label=_("County"), required=False)
    township = forms.ChoiceField(label=_("Township"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.counties = {str(c.pk): c for c in village_selectors.county_list(user=user)}
        self.townships = {str(t.pk): t for t in village_selectors.township_list(user=user)}
        self.fields["county"].choices = [("", _("All counties"))] + [
            (k, c.name) for k, c in self.counties.items()
        ]
        self.fields["township"].choices = [("", _("All townships"))] + [
            (k, t.name) for k, t in self.townships.items()
        ]
        self.fields["year"].widget.attrs.update({"class": "form-control", "style": "max-width: 8rem"})
        for name in ("county", "township"):
            self.fields[name].widget.attrs["class"] = "form-select"
        self.single_choice_fields = {
            name
            for name, found in (("county", self.counties), ("township", self.townships))
            if len(found) < 2
        }

    def clean_county(self):
        return self.counties.get(self.cleaned_data["county"])

    def clean_township(self):
        return self.townships.get(self.cleaned_data["township"])


def styled_filter(filter_class, data, *, user, queryset):
    """The shared FilterSet with drop-downs limited to the user's regions and Bootstrap classes."""
    filterset = filter_class(data, queryset=queryset)
    fields = filterset.form.fields
    counties = [(c.pk, c.name) for c in village_selectors.county_list(user=user)]
    townships = [(t.pk, t.name) for t in village_selectors.township_list(user=user)]
    fields["county"].widget = forms.Select(choices=[("", _("All counties")), *counties])
    fields["township"].widget = forms.Select(choices=[("", _("All townships")), *townships])
    fields["village"].widget = forms.HiddenInput()
    yes_no = [("", _("Any")), ("true", _("Yes")), ("false", _("No"))]
    for name, field in fields.items():
        if isinstance(field, forms.NullBooleanField):
            field.widget = forms.Select(choices=yes_no)
        elif isinstance(field, forms.ChoiceField):
            field.widget = forms.Select(choices=[("", _("Any")), *(c for c in field.choices if c[0] != "")])
        if name in ("development_mode", "mode"):
            kind = ModeKind.VILLAGE if name == "development_mode" else ModeKind.PROJECT
            modes = selectors.development_mode_list(user=user, kind=kind)
            field.widget = forms.Select(choices=[("", _("Any")), *((m.code, m.name) for m in modes)])
        if isinstance(field.widget, forms.Select):
            field.widget.attrs["class"] = "form-select"
        elif not isinstance(field.widget, forms.HiddenInput):
            field.widget.attrs["class"] = "form-control"
    fields["search"].widget.attrs["placeholder"] = fields["search"].label
    filterset.single_choice_fields = {
        name for name, choices in (("county", counties), ("township", townships)) if len(choices) < 2
    }
    return filterset


FILTERS = {
    "income": IncomeFilter,
    "project": ProjectFilter,
    "supportfund": SupportFundFilter,
    "pairing": PairingFilter,
}
