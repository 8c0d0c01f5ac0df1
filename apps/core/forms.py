"""Glue between web forms and services: forms check shape, services decide, errors land on fields."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _


def add_service_errors(
    form: forms.Form, exc: ValidationError, field_map: dict[str, str] | None = None
) -> None:
    """Attach a service's ``ValidationError`` to ``form``: named fields next to the field, the rest on top.

    ``field_map`` renames service/model fields to form fields (``{"first_name": "full_name"}``).
    """
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.error_list)
        return
    for name, errors in exc.error_dict.items():
        field = (field_map or {}).get(name, name)
        if field == NON_FIELD_ERRORS or field not in form.fields:
            field = None
        form.add_error(field, errors)


def run_service(
    form: forms.Form, service: Callable[..., Any], *, field_map: dict[str, str] | None = None, **kwargs
) -> Any:
    """Call ``service(**kwargs)``; on ``ValidationError`` put its messages on ``form`` and return None.

    ``PermissionDenied`` is not caught: it becomes a 403. Callers check ``form.is_valid()``
    (or ``form.errors``) afterwards, since some services return nothing.
    """
    try:
        return service(**kwargs)
    except ValidationError as exc:
        add_service_errors(form, exc, field_map)
        return None


def posted(request):
    """Form data for a POST (even an empty one, so the form is bound and reports missing fields)."""
    return request.POST if request.method == "POST" else None


class SettingValueForm(forms.Form):
    """A new dated value for one setting; the service checks role, region, type and date."""

    value = forms.CharField(label=_("Value"), max_length=100)
    valid_from = forms.DateField(label=_("Valid from"), widget=forms.DateInput(attrs={"type": "date"}))
    county = forms.ChoiceField(label=_("Applies to"), required=False)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, counties, may_set_global: bool, spec, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("All counties (default)"))] if may_set_global else []
        self.fields["county"].choices = choices + [(str(c.pk), c.name) for c in counties]
        self.fields["county"].required = not may_set_global
        self.counties = {str(c.pk): c for c in counties}
        if spec.kind == "choice":
            self.fields["value"] = forms.ChoiceField(label=_("Value"), choices=[(c, c) for c in spec.choices])

    def clean_county(self):
        return self.counties.get(self.cleaned_data["county"])
