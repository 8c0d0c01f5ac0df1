"""Position pages: list, export, appoint, correct, end, delete."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.core import idnumbers
from apps.core.exports import list_export
from apps.core.forms import posted, run_service
from apps.core.scoping import get_for

from .. import selectors, services
from ..forms import (
    PositionEndForm,
    PositionForm,
    position_filter,
)
from ..models import CadrePosition
from .common import (
    delete_page,
    form_page,
    get_cadre,
    list_page,
    require_edit,
)


def _get_position(request, pk) -> CadrePosition:
    return get_for(request.user, selectors.position_list(user=request.user), pk=pk)


@login_required
def position_list(request):
    filterset = position_filter(request.GET or None, user=request.user)
    return list_page(request, filterset, "cadres/position_list.html", "cadres/_position_results.html")


@login_required
def position_export(request):
    positions = position_filter(request.GET or None, user=request.user).qs
    user = request.user
    headers = [
        _("village code"),
        _("township"),
        _("village"),
        _("name"),
        _("ID number"),
        _("role"),
        _("start date"),
        _("end date"),
        _("end reason"),
        _("reason given"),
        _("monthly pay (yuan)"),
    ]
    return list_export(
        name=_("cadre positions"),
        records=positions,
        headers=headers,
        row=lambda p: [
            p.village.code,
            p.village.township.name,
            p.village.name,
            p.cadre.name,
            idnumbers.shown_to(user, p.cadre.id_number, record=p.cadre),
            p.get_role_display(),
            p.start_date,
            p.end_date,
            p.get_end_reason_display() if p.end_reason else "",
            p.end_note,
            p.monthly_pay,
        ],
        text_columns=[0, 4],
    )


@login_required
def position_create(request, pk):
    cadre = get_cadre(request, pk)
    require_edit(request.user)
    form = PositionForm(posted(request), villages=selectors.village_choices(user=request.user))
    if form.is_valid() and run_service(
        form, services.position_create, actor=request.user, cadre=cadre, **form.cleaned_data
    ):
        messages.success(request, _("The position was recorded."))
        return redirect("cadres:cadre_detail", pk=cadre.pk)
    return form_page(
        request,
        form,
        title=_("New position for %(name)s") % {"name": cadre.name},
        cancel_url=reverse("cadres:cadre_detail", args=[cadre.pk]),
        cadre=cadre,
    )


@login_required
def position_update(request, pk):
    position = _get_position(request, pk)
    require_edit(request.user)
    form = PositionForm(
        posted(request), villages=selectors.village_choices(user=request.user), position=position
    )
    if form.is_valid():
        if run_service(
            form, services.position_update, actor=request.user, position=position, **form.cleaned_data
        ):
            messages.success(request, _("The position was saved."))
            return redirect("cadres:cadre_detail", pk=position.cadre_id)
        position.refresh_from_db()
    return form_page(
        request,
        form,
        title=_("Edit position: %(position)s") % {"position": position},
        cancel_url=reverse("cadres:cadre_detail", args=[position.cadre_id]),
        cadre=position.cadre,
    )


@login_required
def position_end(request, pk):
    position = _get_position(request, pk)
    require_edit(request.user)
    form = PositionEndForm(posted(request))
    if form.is_valid():
        if run_service(
            form, services.position_end, actor=request.user, position=position, **form.cleaned_data
        ):
            messages.success(request, _("The position was ended."))
            return redirect("cadres:cadre_detail", pk=position.cadre_id)
        position.refresh_from_db()
    return form_page(
        request,
        form,
        title=_("End position: %(position)s") % {"position": position},
        cancel_url=reverse("cadres:cadre_detail", args=[position.cadre_id]),
        cadre=position.cadre,
        intro=_("The position is held until the day before the end date; a successor may start on it."),
    )


@login_required
def position_delete(request, pk):
    position = _get_position(request, pk)
    require_edit(request.user)
    return delete_page(
        request,
        position,
        services.position_delete,
        kwarg="position",
        title=_("Delete position: %(position)s?") % {"position": position},
        text=_(
            "Delete only a position entered by mistake. A position that really ended is ended, not deleted."
        ),
        cancel_url=reverse("cadres:cadre_detail", args=[position.cadre_id]),
        done_url=reverse("cadres:cadre_detail", args=[position.cadre_id]),
    )
