"""Helpers shared by the cadre pages."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from apps.core.forms import posted, run_service
from apps.core.permissions import DATA_ENTRY_ROLES, has_role
from apps.core.scoping import get_for

from .. import selectors, services
from ..models import Cadre

PAGE_SIZE = 25


def may_edit(user) -> bool:
    return has_role(user, DATA_ENTRY_ROLES)


def require_edit(user) -> None:
    if not may_edit(user):
        raise PermissionDenied(_("Your role may not make this change."))


def list_page(request, filterset, template: str, results_template: str, **context):
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context.update({"filter": filterset, "page": page, "may_edit": may_edit(request.user)})
    return render(request, results_template if request.htmx else template, context)


def form_page(request, form, *, title: str, cancel_url: str, cadre=None, intro: str = ""):
    """A form page; ``cadre`` (the cadre the form is about, if any) sets the breadcrumbs."""
    return render(
        request,
        "cadres/form.html",
        {"form": form, "title": title, "cancel_url": cancel_url, "cadre": cadre, "intro": intro},
    )


def show_warnings(request, record) -> None:
    for warning in services.id_number_warnings(record.id_number, gender=record.gender, user=request.user):
        messages.warning(request, warning)


def delete_page(
    request, record, service, *, kwarg: str, title: str, text: str, cancel_url: str, done_url: str
):
    form = forms.Form(posted(request))
    if form.is_valid():
        run_service(form, service, actor=request.user, **{kwarg: record})
        if not form.errors:
            messages.success(request, _("%(record)s was deleted.") % {"record": record})
            return redirect(done_url)
    return render(
        request,
        "cadres/confirm_delete.html",
        {"form": form, "title": title, "text": text, "cancel_url": cancel_url, "record": record},
    )


def get_cadre(request, pk) -> Cadre:
    return get_for(request.user, selectors.cadre_list(user=request.user), pk=pk)
