"""Reserve cadre pages and the villages short of reserves."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core import idnumbers
from apps.core.exports import list_export, yes_no
from apps.core.forms import posted, run_service
from apps.core.scoping import get_for

from .. import selectors, services, statistics
from ..forms import (
    ReserveForm,
    StatsForm,
    reserve_filter,
)
from ..models import ReserveCadre
from .common import (
    delete_page,
    form_page,
    list_page,
    may_edit,
    require_edit,
    show_warnings,
)


def _get_reserve(request, pk) -> ReserveCadre:
    return get_for(request.user, selectors.reserve_list(user=request.user), pk=pk)


@login_required
def reserve_list(request):
    filterset = reserve_filter(request.GET or None, user=request.user)
    return list_page(request, filterset, "cadres/reserve_list.html", "cadres/_reserve_results.html")


@login_required
def reserve_export(request):
    reserves = reserve_filter(request.GET or None, user=request.user).qs
    user, today = request.user, timezone.localdate()
    headers = [
        _("village code"),
        _("township"),
        _("village"),
        _("name"),
        _("gender"),
        _("ID number"),
        _("birth date"),
        _("age"),
        _("education"),
        _("Party member"),
        _("returned migrant worker"),
        _("in the reserve pool since"),
        _("left the reserve pool on"),
        _("notes"),
    ]
    return list_export(
        name=_("reserve cadres"),
        records=reserves,
        headers=headers,
        row=lambda r: [
            r.village.code,
            r.village.township.name,
            r.village.name,
            r.name,
            r.get_gender_display(),
            idnumbers.shown_to(user, r.id_number, record=r),
            r.birth_date,
            idnumbers.age_on(r.birth_date, today),
            r.get_education_display(),
            yes_no(r.is_party_member),
            yes_no(r.is_returned_migrant),
            r.since,
            r.until,
            r.notes,
        ],
        text_columns=[0, 5],
    )


@login_required
def reservecadre_detail(request, pk):
    reserve = _get_reserve(request, pk)
    context = {
        "reserve": reserve,
        "age": idnumbers.age_on(reserve.birth_date, timezone.localdate()),
        "warnings": services.id_number_warnings(reserve.id_number, gender=reserve.gender, user=request.user),
        "may_edit": may_edit(request.user),
    }
    return render(request, "cadres/reserve_detail.html", context)


@login_required
def reserve_create(request):
    require_edit(request.user)
    form = ReserveForm(
        posted(request), villages=selectors.village_choices(user=request.user), user=request.user
    )
    if form.is_valid() and (
        reserve := run_service(form, services.reserve_create, actor=request.user, **form.cleaned_data)
    ):
        messages.success(request, _("Reserve cadre %(name)s was recorded.") % {"name": reserve.name})
        show_warnings(request, reserve)
        return redirect("cadres:reservecadre_detail", pk=reserve.pk)
    return form_page(request, form, title=_("New reserve cadre"), cancel_url=reverse("cadres:reserve_list"))


@login_required
def reserve_update(request, pk):
    reserve = _get_reserve(request, pk)
    require_edit(request.user)
    form = ReserveForm(
        posted(request),
        villages=selectors.village_choices(user=request.user),
        user=request.user,
        reserve=reserve,
    )
    if form.is_valid():
        if run_service(
            form, services.reserve_update, actor=request.user, reserve=reserve, **form.cleaned_data
        ):
            messages.success(request, _("Reserve cadre %(name)s was saved.") % {"name": reserve.name})
            show_warnings(request, reserve)
            return redirect("cadres:reservecadre_detail", pk=reserve.pk)
        reserve.refresh_from_db()
    return form_page(
        request,
        form,
        title=_("Edit reserve cadre %(name)s") % {"name": reserve.name},
        cancel_url=reverse("cadres:reservecadre_detail", args=[reserve.pk]),
    )


@login_required
def reserve_delete(request, pk):
    reserve = _get_reserve(request, pk)
    require_edit(request.user)
    return delete_page(
        request,
        reserve,
        services.reserve_delete,
        kwarg="reserve",
        title=_("Delete reserve cadre %(name)s?") % {"name": reserve.name},
        text=_("Delete only a record entered by mistake. Someone who leaves the pool gets a leaving date."),
        cancel_url=reverse("cadres:reservecadre_detail", args=[reserve.pk]),
        done_url=reverse("cadres:reserve_list"),
    )


def _villages_short_of_reserves(request):
    """The region and year form and the villages short of reserves on its day, for the page and its export."""
    form = StatsForm(
        request.GET or None,
        counties=selectors.county_choices(user=request.user),
        townships=selectors.township_choices(user=request.user),
    )
    region, on = {}, timezone.localdate()
    if form.is_valid():
        region = {k: form.cleaned_data[k] for k in ("county", "township") if form.cleaned_data.get(k)}
        on = min(statistics.as_of(form.cleaned_data["year"]), on)
    return form, statistics.villages_short_of_reserves(user=request.user, on=on, **region), on


@login_required
def short_of_reserves(request):
    form, villages, on = _villages_short_of_reserves(request)
    page = Paginator(villages, 50).get_page(request.GET.get("page"))
    return render(request, "cadres/short_of_reserves.html", {"form": form, "page": page, "on": on})


@login_required
def short_of_reserves_export(request):
    _form, villages, on = _villages_short_of_reserves(request)
    headers = [_("code"), _("village"), _("township"), _("county"), _("Reserves"), _("Required")]
    return list_export(
        name=_("Villages short of reserve cadres"),
        records=villages,
        headers=headers,
        row=lambda v: [v.code, v.name, v.township.name, v.county.name, v.reserve_count, v.reserves_required],
        text_columns=[0],
        qualifier=on,
    )
