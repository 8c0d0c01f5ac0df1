"""Web forms: shape only (fields, labels and choices from the models); the services decide."""

from django import forms
from django.forms.models import fields_for_model, model_to_dict
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from apps.core.idnumbers import IdNumberFormField

from .models import (
    AssignmentEndReason,
    AssistanceMeasure,
    Commendation,
    DisciplineCase,
    Evaluation,
    Household,
    HouseholdIncome,
    HouseholdMember,
    HouseholdStatus,
    Promotion,
    ResponsibilityItem,
    WorkTeam,
    WorkTeamMember,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _dates(form: forms.Form) -> None:
    for field in form.fields.values():
        if isinstance(field, forms.DateField):
            field.widget = DATE


class ServiceForm(forms.Form):
    """A form over ``model``'s ``fields``, with related choices limited by the view (the user's scope)."""

    model = None
    fields_order: tuple[str, ...] = ()

    def __init__(self, *args, instance=None, choices: dict | None = None, **kwargs):
        if instance is not None:
            kwargs.setdefault("initial", model_to_dict(instance, fields=self.fields_order))
        super().__init__(*args, **kwargs)
        self.fields.update(fields_for_model(self.model, fields=self.fields_order))
        for name, queryset in (choices or {}).items():
            if queryset is None:
                self.fields.pop(name, None)
            else:
                self.fields[name].queryset = queryset
        self.order_fields(self.fields_order)
        _dates(self)


class WorkTeamForm(ServiceForm):
    model = WorkTeam
    fields_order = ("village", "start_date", "end_date", "lead_unit", "note")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note"].widget.attrs["rows"] = 3


class WorkTeamMemberForm(ServiceForm):
    model = WorkTeamMember
    fields_order = (
        "name",
        "id_number",
        "unit_name",
        "unit_type",
        "unit_level",
        "role",
        "start_date",
        "end_date",
    )

    def __init__(self, *args, instance=None, **kwargs):
        super().__init__(*args, instance=instance, **kwargs)
        # The number is shown to the user as they may see it; an unchanged masked value is kept.
        self.fields["id_number"] = IdNumberFormField(label=capfirst(_("ID number")), max_length=40)
        if instance is not None:
            self.fields["id_number"].required = False
            self.fields["id_number"].help_text = _("Leave empty to keep the number on record.")
            self.initial["id_number"] = ""


class MemberEndForm(forms.Form):
    end_date = forms.DateField(label=capfirst(_("end date")), widget=DATE)
    reason = forms.ChoiceField(
        label=capfirst(_("reason the assignment ended")), choices=AssignmentEndReason.choices
    )


class EvaluationForm(ServiceForm):
    model = Evaluation
    fields_order = ("year", "grade", "note")


class HouseholdForm(ServiceForm):
    model = Household
    fields_order = (
        "village",
        "head_name",
        "head_id_number",
        "size",
        "cause",
        "status",
        "exit_year",
        "paired_cadre",
        "registered_on",
    )

    def __init__(self, *args, instance=None, **kwargs):
        super().__init__(*args, instance=instance, **kwargs)
        self.fields["head_id_number"] = IdNumberFormField(
            label=capfirst(_("ID number of the head")), max_length=40
        )
        self.fields["registered_on"].required = False
        self.order_fields(self.fields_order)
        if instance is not None:
            # Status moves through its own dated form; editing keeps it.
            del self.fields["status"]
            self.fields["head_id_number"].required = False
            self.fields["head_id_number"].help_text = _("Leave empty to keep the number on record.")
            self.initial["head_id_number"] = ""
        else:
            self.fields["status"].choices = [
                (HouseholdStatus.POOR, HouseholdStatus.POOR.label),
                (HouseholdStatus.EXITED, HouseholdStatus.EXITED.label),
            ]


class HouseholdStatusForm(forms.Form):
    status = forms.ChoiceField(label=capfirst(_("status")), choices=HouseholdStatus.choices)
    date = forms.DateField(label=capfirst(_("date")), widget=DATE)
    note = forms.CharField(label=capfirst(_("note")), max_length=200, required=False)


class HouseholdMemberForm(ServiceForm):
    model = HouseholdMember
    fields_order = ("name", "id_number", "relation", "labour_capacity", "health")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["id_number"] = IdNumberFormField(label=capfirst(_("ID number")), max_length=40)
        self.order_fields(self.fields_order)


class HouseholdIncomeForm(ServiceForm):
    model = HouseholdIncome
    fields_order = ("year", "per_capita_net_income")


class AssistanceMeasureForm(ServiceForm):
    model = AssistanceMeasure
    fields_order = ("kind", "date", "amount", "note")


class ResponsibilityItemForm(ServiceForm):
    model = ResponsibilityItem
    fields_order = ("kind", "holder", "holder_title", "member", "task")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["task"].widget.attrs["rows"] = 3


class ReconcileForm(forms.Form):
    quarter = forms.TypedChoiceField(
        label=capfirst(_("quarter")), coerce=int, choices=[(q, f"Q{q}") for q in (1, 2, 3, 4)]
    )
    done = forms.BooleanField(label=capfirst(_("done")), required=False)
    evidence = forms.CharField(
        label=capfirst(_("evidence")), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class CloseForm(forms.Form):
    note = forms.CharField(label=capfirst(_("closing note")), max_length=200, required=False)


class SampleForm(forms.Form):
    county = forms.ModelChoiceField(queryset=None, label=capfirst(_("county")))
    quarter = forms.CharField(label=capfirst(_("quarter")), max_length=6, help_text=_("YYYYQn, e.g. 2026Q1"))
    seed = forms.IntegerField(
        label=capfirst(_("seed")),
        required=False,
        min_value=0,
        help_text=_("Leave empty to draw a random seed."),
    )

    def __init__(self, *args, counties, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = counties


class SpotCheckResultForm(forms.Form):
    result = forms.ChoiceField(label=capfirst(_("result")), choices=[])
    finding = forms.CharField(
        label=capfirst(_("finding")), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    checked_on = forms.DateField(label=capfirst(_("checked on")), widget=DATE, required=False)

    def __init__(self, *args, **kwargs):
        from .models import CheckResult

        super().__init__(*args, **kwargs)
        self.fields["result"].choices = CheckResult.choices


class RecallForm(forms.Form):
    member = forms.ModelChoiceField(queryset=None, label=capfirst(_("work team member")))
    date = forms.DateField(label=capfirst(_("end date")), widget=DATE)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members


class CommendationForm(ServiceForm):
    model = Commendation
    fields_order = ("village", "person_name", "member", "date", "level", "title")


class PromotionForm(ServiceForm):
    model = Promotion
    fields_order = ("village", "person_name", "member", "date", "level", "rank", "position")


class DisciplineCaseForm(ServiceForm):
    model = DisciplineCase
    fields_order = ("village", "person_name", "member", "date", "category", "outcome", "note")


RECORD_FORMS = {
    "commendation": CommendationForm,
    "promotion": PromotionForm,
    "discipline": DisciplineCaseForm,
}
