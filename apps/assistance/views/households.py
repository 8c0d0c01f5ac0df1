"""Pages for registered poor households: list, record, status history, members, incomes, measures."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.cadres.models import Cadre
from apps.core.exports import list_export
from apps.core.forms import posted, run_service
from apps.core.idnumbers import shown_to
from apps.core.scoping import get_for, scope_for
from apps.villages import selectors as region_selectors

from .. import selectors, services
from ..filters import HouseholdFilter
from ..forms import (
    AssistanceMeasureForm,
    HouseholdForm,
    HouseholdIncomeForm,
    HouseholdMemberForm,
    HouseholdStatusForm,
)
from ..models import STATUS_TRANSITIONS, Household, HouseholdStatus
from ._common import page_of, permissions, render_form, require, styled_filter


def _household(request, pk) -> Household:
    return get_for(request.user, selectors.household_list(user=request.user), pk=pk)


def _choices(request):
    return {
        "village": region_selectors.village_list(user=request.user, include_retired=False),
        "paired_cadre": scope_for(request.user, Cadre.objects.select_related("village")).order_by(
            "village_id", "name"
        ),
    }


def _filtered_households(request):
    """The filter and the filtered, sorted households the list page and its export share."""
    filterset = styled_filter(
        HouseholdFilter(request.GET or None, queryset=selectors.household_list(user=request.user)),
        user=request.user,
        hidden=("village", "paired_cadre"),
    )
    households = filterset.qs.order_by("village__township__code", "village__code", "head_name", "pk")
    return filterset, households


@login_required
def household_list(request):
    filterset, households = _filtered_households(request)
    context = {"filter": filterset, "page": page_of(request, households), "may": permissions(request.user)}
    return render(request, "assistance/household_list.html", context)


@login_required
def household_export(request):
    _filterset, households = _filtered_households(request)
    headers = [
        _("village code"),
        _("village"),
        _("township"),
        _("head of household"),
        _("ID number of the head"),
        _("household size"),
        _("main cause of poverty"),
        _("status"),
        _("exit year"),
        _("paired cadre"),
    ]
    return list_export(
        name=_("poor households"),
        records=households,
        headers=headers,
        row=lambda household: [
            household.village.code,
            household.village.name,
            household.village.township.name,
            household.head_name,
            shown_to(request.user, household.head_id_number, record=household),
            household.size,
            household.get_cause_display(),
            household.get_status_display(),
            household.exit_year,
            household.paired_cadre.name if household.paired_cadre else "",
        ],
        text_columns=[0, 4],
    )


@login_required
def household_create(request):
    require(permissions(request.user)["enter"])
    form = HouseholdForm(
        posted(request), choices=_choices(request), initial={"registered_on": timezone.localdate()}
    )
    if form.is_valid() and (
        household := run_service(form, services.household_create, actor=request.user, **form.cleaned_data)
    ):
        messages.success(request, _("Household %(name)s was registered.") % {"name": household.head_name})
        return redirect("assistance:household_detail", pk=household.pk)
    back = reverse("assistance:household_list")
    return render_form(
        request,
        form,
        title=_("Register a poor household"),
        back=back,
        breadcrumbs=[(_("Poor households"), back)],
    )


@login_required
def household_detail(request, pk):
    household = _household(request, pk)
    context = {
        "household": household,
        "members": household.members.order_by("birth_date"),
        "incomes": selectors.income_with_poverty_lines(household),
        "changes": household.status_changes.order_by("date", "pk"),
        "measures": household.measures.order_by("-date", "-pk"),
        "next_statuses": [HouseholdStatus(s) for s in STATUS_TRANSITIONS[HouseholdStatus(household.status)]],
        "may": permissions(request.user),
    }
    return render(request, "assistance/household_detail.html", context)


@login_required
def household_update(request, pk):
    household = _household(request, pk)
    require(permissions(request.user)["enter"])
    form = HouseholdForm(posted(request), instance=household, choices=_choices(request))
    if form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if not (k == "head_id_number" and not v)}
        if fields.get("registered_on") is None:
            fields.pop("registered_on", None)
        if run_service(form, services.household_update, actor=request.user, household=household, **fields):
            messages.success(request, _("Household %(name)s was saved.") % {"name": household.head_name})
            return redirect("assistance:household_detail", pk=household.pk)
    back = reverse("assistance:household_detail", args=[household.pk])
    return render_form(
        request, form, title=_("Edit household"), back=back, breadcrumbs=[(household.head_name, back)]
    )


def _household_form_page(request, pk, *, form_class, service, title, initial=None):
    household = _household(request, pk)
    require(permissions(request.user)["enter"])
    form = form_class(posted(request), initial=initial)
    if form.is_valid() and run_service(
        form, service, actor=request.user, household=household, **form.cleaned_data
    ):
        messages.success(request, _("Saved."))
        return redirect("assistance:household_detail", pk=household.pk)
    back = reverse("assistance:household_detail", args=[household.pk])
    return render_form(request, form, title=title, back=back, breadcrumbs=[(household.head_name, back)])


@login_required
def household_status(request, pk):
    return _household_form_page(
        request,
        pk,
        form_class=HouseholdStatusForm,
        service=services.household_status_change,
        title=_("Change status"),
        initial={"date": timezone.localdate()},
    )


@login_required
def household_member_create(request, pk):
    return _household_form_page(
        request,
        pk,
        form_class=HouseholdMemberForm,
        service=services.household_member_create,
        title=_("New household member"),
    )


@login_required
def household_income_create(request, pk):
    return _household_form_page(
        request,
        pk,
        form_class=HouseholdIncomeForm,
        service=services.household_income_create,
        title=_("Income of a year"),
        initial={"year": timezone.localdate().year - 1},
    )


@login_required
def household_measure_create(request, pk):
    return _household_form_page(
        request,
        pk,
        form_class=AssistanceMeasureForm,
        service=services.assistance_measure_create,
        title=_("New assistance measure"),
        initial={"date": timezone.localdate()},
    )
