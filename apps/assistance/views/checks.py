"""Spot checks (draws, findings, recalls) and the records of commendations, promotions and discipline."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.exports import list_export
from apps.core.forms import add_service_errors, posted, run_service
from apps.core.periods import Quarter
from apps.core.scoping import get_for
from apps.villages import selectors as region_selectors

from .. import selectors, services
from ..filters import CommendationFilter, DisciplineCaseFilter, PromotionFilter, SpotCheckFilter
from ..forms import RECORD_FORMS, RecallForm, SampleForm, SpotCheckResultForm
from ..models import CheckResult, Commendation, DisciplineCase, Promotion
from ._common import page_of, permissions, render_form, require, styled_filter


def _filtered_checks(request):
    """The filter and the filtered, sorted spot checks the list page and its export share."""
    filterset = styled_filter(
        SpotCheckFilter(request.GET or None, queryset=selectors.spot_check_list(user=request.user)),
        user=request.user,
        hidden=("village", "team"),
    )
    checks = filterset.qs.order_by("-draw__quarter", "draw__county__code", "team__village__code")
    return filterset, checks


@login_required
def spot_check_list(request):
    may = permissions(request.user)
    counties = region_selectors.county_list(user=request.user)
    initial = {"quarter": str(Quarter.of(timezone.localdate()))}
    if len(counties) == 1:
        initial["county"] = counties[0].pk
    form = SampleForm(posted(request), counties=counties, initial=initial)
    if request.method == "POST":
        require(may["county"])
        if form.is_valid():
            try:
                quarter = Quarter.parse(form.cleaned_data["quarter"])
                draw = services.spot_check_sample(
                    actor=request.user,
                    county=form.cleaned_data["county"],
                    quarter=quarter,
                    seed=form.cleaned_data["seed"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("%(count)d of %(active)d active teams were drawn with seed %(seed)d.")
                    % {"count": draw.checks.count(), "active": draw.active_teams, "seed": draw.seed},
                )
                return redirect(f"{reverse('assistance:spot_check_list')}?quarter={draw.quarter}")
    filterset, checks = _filtered_checks(request)
    context = {"filter": filterset, "page": page_of(request, checks), "form": form, "may": may}
    return render(request, "assistance/spot_check_list.html", context)


@login_required
def spot_check_export(request):
    _filterset, checks = _filtered_checks(request)
    headers = [
        _("quarter"),
        _("county"),
        _("village code"),
        _("work team"),
        _("seed"),
        _("result"),
        _("finding"),
        _("checked on"),
    ]
    return list_export(
        name=_("spot checks"),
        records=checks,
        headers=headers,
        row=lambda check: [
            str(check.draw.quarter),
            check.draw.county.name,
            check.team.village.code,
            check.team.village.name,
            check.draw.seed,
            check.get_result_display(),
            check.finding,
            check.checked_on,
        ],
        text_columns=[2],
    )


@login_required
def spot_check_detail(request, pk):
    check = get_for(request.user, selectors.spot_check_list(user=request.user), pk=pk)
    may = permissions(request.user)
    members = (
        selectors.team_member_list(user=request.user).filter(team=check.team).filter(end_date__isnull=True)
    )
    action = request.POST.get("action") if request.method == "POST" else None
    result_form = SpotCheckResultForm(
        request.POST if action == "result" else None,
        initial={"result": check.result, "finding": check.finding, "checked_on": check.checked_on},
    )
    recall_form = RecallForm(
        request.POST if action == "recall" else None, members=members, initial={"date": timezone.localdate()}
    )
    if action:
        require(may["county"])
    if (
        action == "result"
        and result_form.is_valid()
        and run_service(
            result_form,
            services.spot_check_update,
            actor=request.user,
            spot_check=check,
            **result_form.cleaned_data,
        )
    ):
        messages.success(request, _("The check was saved."))
        return redirect("assistance:spotcheck_detail", pk=check.pk)
    if (
        action == "recall"
        and recall_form.is_valid()
        and (
            member := run_service(
                recall_form,
                services.spot_check_recall,
                actor=request.user,
                spot_check=check,
                **recall_form.cleaned_data,
            )
        )
    ):
        messages.success(request, _("%(name)s was recalled.") % {"name": member.name})
        return redirect("assistance:spotcheck_detail", pk=check.pk)
    context = {
        "check": check,
        "result_form": result_form,
        "recall_form": recall_form,
        "may": may,
        "failed": check.result == CheckResult.FAIL,
        "recalled": selectors.team_member_list(user=request.user).filter(
            team=check.team, end_reason="recalled"
        ),
    }
    return render(request, "assistance/spot_check_detail.html", context)


RECORDS = {
    "commendation": (selectors.commendation_list, CommendationFilter, services.commendation_create),
    "promotion": (selectors.promotion_list, PromotionFilter, services.promotion_create),
    "discipline": (selectors.discipline_case_list, DisciplineCaseFilter, services.discipline_case_create),
}
RECORD_KINDS = {
    "commendation": gettext_lazy("Commendations"),
    "promotion": gettext_lazy("Promotions"),
    "discipline": gettext_lazy("Discipline cases"),
}
# Per kind: the model and the fields the list's "Details" column shows.
RECORD_DETAILS = {
    "commendation": (Commendation, ("level", "title")),
    "promotion": (Promotion, ("level", "rank", "position")),
    "discipline": (DisciplineCase, ("category", "outcome", "note")),
}


def _filtered_records(request):
    """The kind (from ``?kind=``), the filter and the filtered records the list page and its export share."""
    kind = request.GET.get("kind") if request.GET.get("kind") in RECORDS else "commendation"
    selector, filter_class, _service = RECORDS[kind]
    data = request.GET.copy()
    data.pop("kind", None)
    filterset = styled_filter(
        filter_class(data or None, queryset=selector(user=request.user)),
        user=request.user,
        hidden=("village",),
    )
    return kind, filterset, filterset.qs.order_by("-date", "-pk")


@login_required
def record_list(request):
    kind, filterset, records = _filtered_records(request)
    context = {
        "kind": kind,
        "extra_params": [("kind", kind)],
        "kinds": list(RECORD_KINDS.items()),
        "filter": filterset,
        "page": page_of(request, records),
        "may": permissions(request.user),
    }
    return render(request, "assistance/record_list.html", context)


@login_required
def record_export(request):
    kind, _filterset, records = _filtered_records(request)
    model, names = RECORD_DETAILS[kind]
    fields = [model._meta.get_field(name) for name in names]

    def row(record):
        details = [
            getattr(record, f"get_{field.name}_display")() if field.choices else getattr(record, field.name)
            for field in fields
        ]
        return [record.date, record.person_name, record.village.code, record.village.name, *details]

    return list_export(
        name=RECORD_KINDS[kind],
        records=records,
        headers=[_("date"), _("person"), _("village code"), _("village"), *(f.verbose_name for f in fields)],
        row=row,
        text_columns=[2],
    )


@login_required
def record_create(request, kind):
    if kind not in RECORDS:
        raise Http404
    require(permissions(request.user)["county"])
    _selector, _filter, service = RECORDS[kind]
    choices = {
        "village": region_selectors.village_list(user=request.user, include_retired=False),
        "member": selectors.team_member_list(user=request.user).order_by("name"),
    }
    form = RECORD_FORMS[kind](posted(request), choices=choices, initial={"date": timezone.localdate()})
    if form.is_valid() and run_service(form, service, actor=request.user, **form.cleaned_data):
        messages.success(request, _("The record was saved."))
        return redirect(f"{reverse('assistance:record_list')}?kind={kind}")
    back = f"{reverse('assistance:record_list')}?kind={kind}"
    titles = {
        "commendation": _("New commendation"),
        "promotion": _("New promotion"),
        "discipline": _("New discipline case"),
    }
    return render_form(request, form, title=titles[kind], back=back, breadcrumbs=[(_("Records"), back)])
