"""Web forms: shape only (fields, labels, choices from the models); the rules are the services'."""

from __future__ import annotations

from django import forms
from django.forms.models import fields_for_model, model_to_dict
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from apps.core import idnumbers
from apps.core.idnumbers import IdNumberFormField

from . import selectors
from .filters import CadreFilter, PositionFilter, ReserveFilter, TrainingFilter
from .models import Cadre, CadrePosition, DegreeEnrolment, Education, EndReason, ReserveCadre, Training

YES_NO_ANY = [("", _("Any")), ("true", _("Yes")), ("false", _("No"))]
DATE_WIDGET = {"type": "date"}
FIRST_STATS_YEAR = 2010


class VillageChoiceField(forms.ModelChoiceField):
    """Villages labelled with their township: names repeat across townships."""

    def label_from_instance(self, obj):
        return f"{obj.township.name} · {obj.name}"


def _date_field(label, *, required=True, help_text="") -> forms.DateField:
    return forms.DateField(
        label=capfirst(label),
        required=required,
        help_text=help_text,
        widget=forms.DateInput(attrs=DATE_WIDGET),
    )


# Filters for the list pages (the same FilterSets as the API)


def _region_choices(user):
    counties = [(c.pk, c.name) for c in selectors.county_choices(user=user)]
    townships = [(t.pk, t.name) for t in selectors.township_choices(user=user)]
    return counties, townships


def configure_filter(filterset, *, user):
    """Drop-downs limited to the user's scope, Bootstrap classes, no single-choice region drop-downs."""
    fields = filterset.form.fields
    counties, townships = _region_choices(user)
    single = set()
    if "county" in fields:
        fields["county"].widget = forms.Select(choices=[("", _("All counties")), *counties])
        if len(counties) < 2:
            single.add("county")
    if "township" in fields:
        fields["township"].widget = forms.Select(choices=[("", _("All townships")), *townships])
        if len(townships) < 2:
            single.add("township")
    for name in ("village", "cadre"):  # too many for a drop-down: set by links from the record pages
        if name in fields:
            fields[name].widget = forms.HiddenInput()
    for name, field in fields.items():
        if field.widget.is_hidden:
            continue
        if isinstance(field, forms.NullBooleanField):
            field.widget = forms.Select(choices=YES_NO_ANY)
        elif isinstance(field, forms.ChoiceField) and name not in ("county", "township"):
            field.widget = forms.Select(choices=[("", _("Any")), *field.choices[1:]])
        css = "form-control" if name in ("search", "year", "ended_in") else "form-select"
        field.widget.attrs["class"] = css
    if "search" in fields:
        fields["search"].widget.attrs["placeholder"] = fields["search"].label
    filterset.single_choice_fields = single
    return filterset


def cadre_filter(data, *, user) -> CadreFilter:
    return configure_filter(CadreFilter(data, queryset=selectors.cadre_list(user=user)), user=user)


def position_filter(data, *, user) -> PositionFilter:
    return configure_filter(PositionFilter(data, queryset=selectors.position_list(user=user)), user=user)


def reserve_filter(data, *, user) -> ReserveFilter:
    return configure_filter(ReserveFilter(data, queryset=selectors.reserve_list(user=user)), user=user)


def training_filter(data, *, user) -> TrainingFilter:
    return configure_filter(TrainingFilter(data, queryset=selectors.training_list(user=user)), user=user)


# Records


class IdNumberFormMixin:
    """The ID number field: typed in full; when editing, blank keeps the stored number.

    Users who may not see full numbers never get one back in a form: they see the masked number
    in the help text and type a new one only to replace it.
    """

    def setup_id_number(self, *, instance, user):
        field = self.fields["id_number"]
        if instance is None:
            return
        field.required = False
        field.help_text = _(
            "Stored: %(number)s. Leave blank to keep it; type a full number to replace it."
        ) % {"number": idnumbers.mask(instance.id_number)}
        full = idnumbers.may_see_full(user)
        self.initial["id_number"] = (
            idnumbers.shown_to(user, instance.id_number, record=instance) if full else ""
        )

    def clean(self):
        data = super().clean()
        if not data.get("id_number"):
            data.pop("id_number", None)
        return data


class CadreForm(IdNumberFormMixin, forms.Form):
    FIELDS = (
        "name",
        "gender",
        "ethnicity",
        "education",
        "is_party_member",
        "source",
        "is_wealth_leader",
        "notes",
    )

    village = VillageChoiceField(queryset=None, label=capfirst(_("village")))
    id_number = IdNumberFormField(label=capfirst(_("ID number")), max_length=40)

    def __init__(self, *args, villages, user, cadre: Cadre | None = None, **kwargs):
        if cadre is not None:
            kwargs.setdefault("initial", model_to_dict(cadre, fields=("village", *self.FIELDS)))
        super().__init__(*args, **kwargs)
        self.fields.update(fields_for_model(Cadre, fields=self.FIELDS))
        self.fields["village"].queryset = villages
        self.fields["notes"].widget.attrs["rows"] = 2
        self.setup_id_number(instance=cadre, user=user)
        self.order_fields(["village", "name", "id_number", "gender", "ethnicity", "education"])


class PositionForm(forms.Form):
    role = forms.ChoiceField(label=capfirst(_("role")), choices=CadrePosition._meta.get_field("role").choices)
    village = VillageChoiceField(
        queryset=None,
        required=False,
        label=capfirst(_("village")),
        help_text=_("Leave blank for the cadre's own village."),
    )
    start_date = _date_field(_("start date"))
    end_date = _date_field(_("end date"), required=False, help_text=_("Blank while the position is held."))
    end_reason = forms.ChoiceField(
        label=capfirst(_("end reason")), required=False, choices=[("", "---------"), *EndReason.choices]
    )
    end_note = forms.CharField(label=capfirst(_("reason given")), max_length=200, required=False)
    monthly_pay = forms.DecimalField(
        label=capfirst(_("monthly pay (yuan)")), required=False, max_digits=9, decimal_places=2, min_value=0
    )

    def __init__(self, *args, villages, position: CadrePosition | None = None, **kwargs):
        if position is not None:
            kwargs.setdefault(
                "initial",
                model_to_dict(
                    position,
                    fields=(
                        "role",
                        "village",
                        "start_date",
                        "end_date",
                        "end_reason",
                        "end_note",
                        "monthly_pay",
                    ),
                ),
            )
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages


class PositionEndForm(forms.Form):
    end_date = _date_field(_("end date"))
    end_reason = forms.ChoiceField(label=capfirst(_("end reason")), choices=EndReason.choices)
    end_note = forms.CharField(label=capfirst(_("reason given")), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["end_date"].initial = timezone.localdate()


class ResignForm(forms.Form):
    date = _date_field(_("resigned on"))
    reason = forms.CharField(label=capfirst(_("reason given")), max_length=200)


class ReserveForm(IdNumberFormMixin, forms.Form):
    FIELDS = ("name", "gender", "education", "is_party_member", "is_returned_migrant", "notes")

    village = VillageChoiceField(queryset=None, label=capfirst(_("village")))
    id_number = IdNumberFormField(label=capfirst(_("ID number")), max_length=40)
    since = _date_field(_("in the reserve pool since"))
    until = _date_field(_("left the reserve pool on"), required=False)

    def __init__(self, *args, villages, user, reserve: ReserveCadre | None = None, **kwargs):
        if reserve is not None:
            kwargs.setdefault(
                "initial", model_to_dict(reserve, fields=("village", "since", "until", *self.FIELDS))
            )
        super().__init__(*args, **kwargs)
        self.fields.update(fields_for_model(ReserveCadre, fields=self.FIELDS))
        self.fields["village"].queryset = villages
        self.setup_id_number(instance=reserve, user=user)
        self.order_fields(["village", "name", "id_number", "gender", "education"])


class TrainingForm(forms.ModelForm):
    class Meta:
        model = Training
        fields = ["course", "organiser", "start_date", "days"]
        widgets = {"start_date": forms.DateInput(attrs=DATE_WIDGET)}


class EnrolmentForm(forms.ModelForm):
    class Meta:
        model = DegreeEnrolment
        fields = ["institution", "programme", "target_education", "enrolled_on"]
        widgets = {"enrolled_on": forms.DateInput(attrs=DATE_WIDGET)}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target_education"].choices = [("", "---------"), *Education.choices[:3]]


class EnrolmentCompleteForm(forms.Form):
    completed_on = _date_field(_("completed on"))


class StatsForm(forms.Form):
    """Which region and year the statistics page shows."""

    county = forms.TypedChoiceField(label=capfirst(_("county")), required=False, coerce=int, empty_value=None)
    township = forms.TypedChoiceField(
        label=capfirst(_("township")), required=False, coerce=int, empty_value=None
    )
    year = forms.TypedChoiceField(label=capfirst(_("year")), coerce=int)

    def __init__(self, *args, counties, townships, **kwargs):
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        counties, townships = list(counties), list(townships)
        self.fields["county"].choices = [("", _("Whole region")), *[(c.pk, c.name) for c in counties]]
        self.fields["township"].choices = [("", _("All townships")), *[(t.pk, t.name) for t in townships]]
        # A drop-down with a single region in it is noise.
        for name, regions in (("county", counties), ("township", townships)):
            if len(regions) < 2:
                del self.fields[name]
        self.fields["year"].choices = [(y, y) for y in range(this_year, FIRST_STATS_YEAR - 1, -1)]
        self.fields["year"].initial = this_year
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"
