"""Training and degree-upgrade pages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.core.exports import list_export
from apps.core.forms import posted, run_service
from apps.core.scoping import get_for

from .. import selectors, services
from ..forms import (
    EnrolmentCompleteForm,
    EnrolmentForm,
    TrainingForm,
    training_filter,
)
from .common import (
    delete_page,
    form_page,
    get_cadre,
    list_page,
    require_edit,
)


@login_required
def training_list(request):
    filterset = training_filter(request.GET or None, user=request.user)
    return list_page(request, filterset, "cadres/training_list.html", "cadres/_training_results.html")


@login_required
def training_export(request):
    trainings = training_filter(request.GET or None, user=request.user).qs
    headers = [
        _("village code"),
        _("township"),
        _("village"),
        _("cadre"),
        _("course"),
        _("organiser"),
        _("start date"),
        _("days"),
    ]
    return list_export(
        name=_("trainings"),
        records=trainings,
        headers=headers,
        row=lambda t: [
            t.cadre.village.code,
            t.cadre.village.township.name,
            t.cadre.village.name,
            t.cadre.name,
            t.course,
            t.organiser,
            t.start_date,
            t.days,
        ],
        text_columns=[0],
    )


@login_required
def training_create(request, pk):
    cadre = get_cadre(request, pk)
    require_edit(request.user)
    form = TrainingForm(posted(request))
    if form.is_valid() and run_service(
        form, services.training_create, actor=request.user, cadre=cadre, **form.cleaned_data
    ):
        messages.success(request, _("The training was recorded."))
        return redirect("cadres:cadre_detail", pk=cadre.pk)
    return form_page(
        request,
        form,
        title=_("New training for %(name)s") % {"name": cadre.name},
        cancel_url=reverse("cadres:cadre_detail", args=[cadre.pk]),
        cadre=cadre,
    )


@login_required
def training_update(request, pk):
    training = get_for(request.user, selectors.training_list(user=request.user), pk=pk)
    require_edit(request.user)
    form = TrainingForm(posted(request), instance=training)
    if form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        if run_service(form, services.training_update, actor=request.user, training=training, **fields):
            messages.success(request, _("The training was saved."))
            return redirect("cadres:cadre_detail", pk=training.cadre_id)
        training.refresh_from_db()
    return form_page(
        request,
        form,
        title=_("Edit training: %(course)s") % {"course": training.course},
        cancel_url=reverse("cadres:cadre_detail", args=[training.cadre_id]),
        cadre=training.cadre,
    )


@login_required
def training_delete(request, pk):
    training = get_for(request.user, selectors.training_list(user=request.user), pk=pk)
    require_edit(request.user)
    return delete_page(
        request,
        training,
        services.training_delete,
        kwarg="training",
        title=_("Delete training: %(course)s?") % {"course": training.course},
        text=_("The training record is removed from the cadre's history."),
        cancel_url=reverse("cadres:cadre_detail", args=[training.cadre_id]),
        done_url=reverse("cadres:cadre_detail", args=[training.cadre_id]),
    )


# Degree-upgrade enrolments


@login_required
def enrolment_create(request, pk):
    cadre = get_cadre(request, pk)
    require_edit(request.user)
    form = EnrolmentForm(posted(request))
    if form.is_valid() and run_service(
        form, services.enrolment_create, actor=request.user, cadre=cadre, **form.cleaned_data
    ):
        messages.success(request, _("The enrolment was recorded."))
        return redirect("cadres:cadre_detail", pk=cadre.pk)
    return form_page(
        request,
        form,
        title=_("Degree-upgrade enrolment for %(name)s") % {"name": cadre.name},
        cancel_url=reverse("cadres:cadre_detail", args=[cadre.pk]),
        cadre=cadre,
    )


@login_required
def enrolment_complete(request, pk):
    enrolment = get_for(request.user, selectors.enrolment_list(user=request.user), pk=pk)
    require_edit(request.user)
    form = EnrolmentCompleteForm(posted(request))
    if form.is_valid() and run_service(
        form, services.enrolment_complete, actor=request.user, enrolment=enrolment, **form.cleaned_data
    ):
        messages.success(request, _("The programme was completed; the cadre's education was updated."))
        return redirect("cadres:cadre_detail", pk=enrolment.cadre_id)
    return form_page(
        request,
        form,
        title=_("Complete: %(enrolment)s") % {"enrolment": enrolment},
        cancel_url=reverse("cadres:cadre_detail", args=[enrolment.cadre_id]),
        cadre=enrolment.cadre,
        intro=_("The cadre's education becomes %(education)s; statistics before this day keep the old one.")
        % {"education": enrolment.get_target_education_display()},
    )


@login_required
def enrolment_delete(request, pk):
    enrolment = get_for(request.user, selectors.enrolment_list(user=request.user), pk=pk)
    require_edit(request.user)
    return delete_page(
        request,
        enrolment,
        services.enrolment_delete,
        kwarg="enrolment",
        title=_("Delete enrolment: %(enrolment)s?") % {"enrolment": enrolment},
        text=_("Only an enrolment that was not completed can be deleted."),
        cancel_url=reverse("cadres:cadre_detail", args=[enrolment.cadre_id]),
        done_url=reverse("cadres:cadre_detail", args=[enrolment.cadre_id]),
    )
