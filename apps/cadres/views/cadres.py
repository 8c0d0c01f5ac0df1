"""Cadre pages: list, export, record, forms, resignation."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core import idnumbers
from apps.core.exports import list_export, yes_no
from apps.core.forms import posted, run_service

from .. import selectors, services
from ..forms import (
    CadreForm,
    ResignForm,
    cadre_filter,
)
from ..models import Role
from .common import (
    delete_page,
    form_page,
    get_cadre,
    list_page,
    may_edit,
    require_edit,
    show_warnings,
)


def _cadre_filter_data(request):
    """The list's filters; a first visit (no query) shows the cadres in office."""
    return request.GET or QueryDict("in_office=true")


@login_required
def cadre_list(request):
    filterset = cadre_filter(_cadre_filter_data(request), user=request.user)
    return list_page(request, filterset, "cadres/cadre_list.html", "cadres/_cadre_results.html")


@login_required
def cadre_export(request):
    cadres = cadre_filter(_cadre_filter_data(request), user=request.user).qs
    user, today = request.user, timezone.localdate()
    roles = dict(Role.choices)
    headers = [
        _("village code"),
        _("township"),
        _("village"),
        _("name"),
        _("gender"),
        _("ethnicity"),
        _("ID number"),
        _("birth date"),
        _("age"),
        _("education"),
        _("Party member"),
        _("source"),
        _("wealth leader"),
        _("current roles"),
        _("secretary and director (一肩挑)"),
    ]
    return list_export(
        name=_("cadres"),
        records=cadres,
        headers=headers,
        row=lambda c: [
            c.village.code,
            c.village.township.name,
            c.village.name,
            c.name,
            c.get_gender_display(),
            c.ethnicity,
            idnumbers.shown_to(user, c.id_number, record=c),
            c.birth_date,
            idnumbers.age_on(c.birth_date, today),
            c.get_education_display(),
            yes_no(c.is_party_member),
            c.get_source_display(),
            yes_no(c.is_wealth_leader),
            "、".join(str(roles.get(r, r)) for r in c.current_roles),
            yes_no(c.is_one_shoulder),
        ],
        text_columns=[0, 6],
    )


@login_required
def cadre_detail(request, pk):
    cadre = get_cadre(request, pk)
    user = request.user
    context = {
        "cadre": cadre,
        "age": idnumbers.age_on(cadre.birth_date, timezone.localdate()),
        "positions": selectors.position_list(user=user).filter(cadre=cadre).order_by("-start_date"),
        "trainings": selectors.training_list(user=user).filter(cadre=cadre),
        "enrolments": selectors.enrolment_list(user=user).filter(cadre=cadre),
        "warnings": services.id_number_warnings(cadre.id_number, gender=cadre.gender, user=user),
        "may_edit": may_edit(user),
    }
    return render(request, "cadres/cadre_detail.html", context)


@login_required
def cadre_create(request):
    require_edit(request.user)
    villages = selectors.village_choices(user=request.user)
    form = CadreForm(posted(request), villages=villages, user=request.user)
    if form.is_valid() and (
        cadre := run_service(form, services.cadre_create, actor=request.user, **form.cleaned_data)
    ):
        messages.success(request, _("Cadre %(name)s was recorded.") % {"name": cadre.name})
        show_warnings(request, cadre)
        return redirect("cadres:cadre_detail", pk=cadre.pk)
    return form_page(request, form, title=_("New cadre"), cancel_url=reverse("cadres:cadre_list"))


@login_required
def cadre_update(request, pk):
    cadre = get_cadre(request, pk)
    require_edit(request.user)
    villages = selectors.village_choices(user=request.user)
    form = CadreForm(posted(request), villages=villages, user=request.user, cadre=cadre)
    if form.is_valid():
        if run_service(form, services.cadre_update, actor=request.user, cadre=cadre, **form.cleaned_data):
            messages.success(request, _("Cadre %(name)s was saved.") % {"name": cadre.name})
            show_warnings(request, cadre)
            return redirect("cadres:cadre_detail", pk=cadre.pk)
        cadre.refresh_from_db()
    return form_page(
        request,
        form,
        title=_("Edit cadre %(name)s") % {"name": cadre.name},
        cancel_url=reverse("cadres:cadre_detail", args=[cadre.pk]),
        cadre=cadre,
    )


@login_required
def cadre_delete(request, pk):
    cadre = get_cadre(request, pk)
    require_edit(request.user)
    return delete_page(
        request,
        cadre,
        services.cadre_delete,
        kwarg="cadre",
        title=_("Delete cadre %(name)s?") % {"name": cadre.name},
        text=_(
            "Only a cadre entered by mistake should be deleted, and only one without positions, trainings or "
            "other records. A cadre who left office keeps the record: end the positions instead."
        ),
        cancel_url=reverse("cadres:cadre_detail", args=[cadre.pk]),
        done_url=reverse("cadres:cadre_list"),
    )


@login_required
def cadre_resign(request, pk):
    cadre = get_cadre(request, pk)
    require_edit(request.user)
    form = ResignForm(posted(request))
    if form.is_valid() and run_service(
        form, services.cadre_resign, actor=request.user, cadre=cadre, **form.cleaned_data
    ):
        messages.success(request, _("The resignation of %(name)s was recorded.") % {"name": cadre.name})
        return redirect("cadres:cadre_detail", pk=cadre.pk)
    return form_page(
        request,
        form,
        title=_("Resignation of %(name)s") % {"name": cadre.name},
        cancel_url=reverse("cadres:cadre_detail", args=[cadre.pk]),
        cadre=cadre,
        intro=_("Every position the cadre holds now ends on this day with the reason “resigned”."),
    )
