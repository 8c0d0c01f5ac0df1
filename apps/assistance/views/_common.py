"""What every assistance page shares: the user's permissions, scoped filter drop-downs, forms."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.permissions import DATA_ENTRY_ROLES, has_role
from apps.villages import selectors as region_selectors

from ..services._common import COUNTY_LEVELS

PAGE_SIZE = 25
YES_NO_ANY = [("", gettext_lazy("Any")), ("true", gettext_lazy("Yes")), ("false", gettext_lazy("No"))]


def permissions(user) -> dict[str, bool]:
    """What the pages offer: data entry (teams, duty, households, lists) and county business (checks)."""
    return {
        "enter": has_role(user, DATA_ENTRY_ROLES),
        "county": has_role(user, DATA_ENTRY_ROLES, levels=COUNTY_LEVELS),
    }


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("Your role may not make this change."))


def styled_filter(filterset, *, user, hidden=()):
    """Region drop-downs limited to the user's scope, Bootstrap classes, and ``hidden`` fields removed."""
    fields = filterset.form.fields
    counties = [(c.pk, c.name) for c in region_selectors.county_list(user=user)]
    townships = [(t.pk, t.name) for t in region_selectors.township_list(user=user)]
    if "county" in fields:
        fields["county"].widget = forms.Select(choices=[("", _("All counties")), *counties])
    if "township" in fields:
        fields["township"].widget = forms.Select(choices=[("", _("All townships")), *townships])
    for name in hidden:
        fields.pop(name, None)
    for field in fields.values():
        if isinstance(field, forms.DateField):
            field.widget = forms.DateInput(attrs={"type": "date"})
        if isinstance(field, forms.NullBooleanField):
            field.widget = forms.Select(choices=YES_NO_ANY)
        elif isinstance(field, forms.ChoiceField) and not isinstance(field.widget, forms.Select):
            field.widget = forms.Select(choices=field.choices)
        if isinstance(field.widget, forms.Select):
            field.widget.attrs["class"] = "form-select"
        else:
            field.widget.attrs["class"] = "form-control"
    filterset.single_choice_fields = {
        name for name, choices in (("county", counties), ("township", townships)) if len(choices) < 2
    }
    return filterset


def page_of(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def render_form(request, form, *, title, back, breadcrumbs=(), intro=""):
    """The shared form page: ``breadcrumbs`` are (label, url) pairs before the title."""
    return render(
        request,
        "assistance/form.html",
        {"form": form, "title": title, "back": back, "breadcrumbs": breadcrumbs, "intro": intro},
    )
