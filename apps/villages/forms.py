from django import forms
from django.forms.models import fields_for_model, model_to_dict
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from . import selectors
from .filters import PartyOrganisationFilter, VillageFilter
from .models import (
    CentralHousehold,
    OrganisationKind,
    PartyGrid,
    PartyOrganisation,
    PovertyStatus,
    RatingLevel,
    Rectification,
    RectificationMeasure,
    RectificationStatus,
    Village,
)
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


# Party organisations, ratings and rectification


def _date_widget():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def organisation_filter(data, *, user, years, year: int | None = None) -> PartyOrganisationFilter:
    """The shared ``PartyOrganisationFilter`` with drop-downs limited to the user's scope.

    The list shows each organisation's rating of ``year`` (or its latest rating).
    """
    queryset = selectors.organisation_list_for_page(user=user, year=year)
    filterset = PartyOrganisationFilter(data, queryset=queryset)
    fields = filterset.form.fields
    counties = [(c.pk, c.name) for c in selectors.county_list(user=user)]
    townships = [(t.pk, t.name) for t in selectors.township_list(user=user)]
    fields["county"].widget = forms.Select(choices=[("", _("All counties")), *counties])
    fields["township"].widget = forms.Select(choices=[("", _("All townships")), *townships])
    fields["kind"].widget = forms.Select(choices=[("", _("Any")), *OrganisationKind.choices])
    fields["level"].widget = forms.Select(choices=[("", _("Any")), *RatingLevel.choices])
    fields["year"].widget = forms.Select(choices=[("", _("Latest")), *((y, y) for y in years)])
    for name in ("is_joint", "dissolved"):
        fields[name].widget = forms.Select(choices=YES_NO_ANY)
    del fields["village"]  # the API filter; the page filters by township
    for name, field in fields.items():
        field.widget.attrs["class"] = "form-control" if name == "search" else "form-select"
    fields["search"].widget.attrs["placeholder"] = _("Name")
    filterset.single_choice_fields = {
        name for name, choices in (("county", counties), ("township", townships)) if len(choices) < 2
    }
    return filterset


ORGANISATION_FORM_FIELDS = ("name", "kind", "members_count", "founded_on", "dissolved_on", "secretary")
GRID_FORM_FIELDS = ("name", "area", "leader_name", "members_count")


class PartyOrganisationForm(forms.Form):
    villages = forms.ModelMultipleChoiceField(
        queryset=None,
        label=capfirst(_("villages")),
        help_text=_("One village, or several villages of one township for a joint organisation."),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    secretary = forms.ModelChoiceField(queryset=None, required=False, label=capfirst(_("secretary")))

    def __init__(
        self, *args, villages, secretaries=None, organisation: PartyOrganisation | None = None, **kwargs
    ):
        """``secretaries``: the cadres who may be chosen (``None`` hides the field, e.g. before villages are set)."""
        if organisation is not None:
            initial = model_to_dict(organisation, fields=ORGANISATION_FORM_FIELDS)
            initial["villages"] = [v.pk for v in organisation.villages.all()]
            kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.fields.update(
            fields_for_model(
                PartyOrganisation,
                fields=("name", "kind", "members_count", "founded_on", "dissolved_on"),
                widgets={"founded_on": _date_widget(), "dissolved_on": _date_widget()},
            )
        )
        self.fields["villages"].queryset = villages
        self.fields["villages"].label_from_instance = lambda v: f"{v.township.name} · {v.name} ({v.code})"
        if secretaries is None:
            del self.fields["secretary"]
        else:
            self.fields["secretary"].queryset = secretaries
        self.order_fields(
            ["name", "kind", "villages", "members_count", "founded_on", "dissolved_on", "secretary"]
        )


class RatingForm(forms.Form):
    year = forms.IntegerField(label=capfirst(_("year")), min_value=2000, max_value=2100)
    level = forms.ChoiceField(
        label=capfirst(_("level")), choices=RatingLevel.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=capfirst(_("reason")), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, change: bool = False, **kwargs):
        """``change``: the form to change a confirmed rating (year fixed, a reason for the change required)."""
        super().__init__(*args, **kwargs)
        if change:
            del self.fields["year"]
            self.fields["change_reason"] = forms.CharField(
                label=_("Reason for the change"),
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text=_("Required: the earlier rating stays in the history with who changed it and why."),
            )


class RectificationForm(forms.Form):
    problems = forms.CharField(
        label=capfirst(_("problems found")), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    measures = forms.MultipleChoiceField(
        label=capfirst(_("measures")),
        choices=RectificationMeasure.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The five standard measures (五个一批)."),
    )
    responsible_leader = forms.CharField(
        label=capfirst(_("responsible leader")), max_length=100, required=False
    )
    opened_on = forms.DateField(label=capfirst(_("opened on")), widget=_date_widget())
    deadline = forms.DateField(label=capfirst(_("deadline")), required=False, widget=_date_widget())

    def __init__(self, *args, rectification: Rectification, **kwargs):
        kwargs.setdefault(
            "initial",
            model_to_dict(
                rectification, fields=("problems", "measures", "responsible_leader", "opened_on", "deadline")
            ),
        )
        super().__init__(*args, **kwargs)
        if rectification.status != RectificationStatus.IDENTIFIED and rectification.deadline is not None:
            # Once rectification is under way the deadline moves only by extending the case.
            del self.fields["deadline"]


class RectificationNoteForm(forms.Form):
    date = forms.DateField(label=capfirst(_("date")), widget=_date_widget())
    text = forms.CharField(label=capfirst(_("progress")), widget=forms.Textarea(attrs={"rows": 3}))


class RectificationExtendForm(forms.Form):
    deadline = forms.DateField(label=_("New deadline"), widget=_date_widget())
    reason = forms.CharField(
        label=capfirst(_("reason")), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class RectificationAcceptForm(forms.Form):
    accepted_on = forms.DateField(
        label=capfirst(_("accepted on")),
        required=False,
        widget=_date_widget(),
        help_text=_("Default: today."),
    )


class PartyGridForm(forms.Form):
    def __init__(self, *args, grid: PartyGrid | None = None, **kwargs):
        if grid is not None:
            kwargs.setdefault("initial", model_to_dict(grid, fields=GRID_FORM_FIELDS))
        super().__init__(*args, **kwargs)
        self.fields.update(fields_for_model(PartyGrid, fields=GRID_FORM_FIELDS))


class CentralHouseholdForm(forms.Form):
    def __init__(self, *args, household: CentralHousehold | None = None, **kwargs):
        if household is not None:
            kwargs.setdefault(
                "initial", model_to_dict(household, fields=("member_name", "households_served"))
            )
        super().__init__(*args, **kwargs)
        self.fields.update(fields_for_model(CentralHousehold, fields=("member_name", "households_served")))
