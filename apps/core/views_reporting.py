"""Pages of the reporting cycle: the county matrix (townships × months), a period with its actions,
notifications, and the quarterly bulletin."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy

from apps.villages.models import County, Township

from .exports import list_export
from .forms import add_service_errors, posted
from .models import PeriodStatus
from .periods import Quarter, parse_period
from .reporting import bulletin, notifications, selectors, services
from .reporting.selectors import county_cells, county_matrix, period_days_late, period_events
from .reporting.timeliness import due_on, opens_on, rules_for
from .scoping import get_for, scope_for

STATUS_CLASSES = {
    PeriodStatus.OPEN: "secondary",
    PeriodStatus.SUBMITTED: "info",
    PeriodStatus.APPROVED: "success",
    PeriodStatus.RETURNED: "danger",
}


def _county_for(request):
    counties = scope_for(request.user, County.objects.order_by("code"))
    county_id = request.GET.get("county")
    county = counties.filter(pk=county_id).first() if county_id else None
    if county is None:
        binding = request.user.region_binding() if not request.user.is_superuser else None
        if binding and binding[0] == "township":
            county = Township.objects.get(pk=binding[1]).county
        else:
            county = counties.first()
    return county, counties


def _year(request) -> int:
    try:
        return int(request.GET.get("year") or timezone.localdate().year)
    except ValueError as exc:
        raise Http404 from exc


@login_required
def period_list(request):
    """The matrix: each township (in scope) × each month of the year, with status colours."""
    county, counties = _county_for(request)
    year = _year(request)
    rows = county_matrix(user=request.user, county=county, year=year) if county else []
    binding = request.user.region_binding()
    show_county = county is not None and (
        request.user.is_superuser or (binding and binding[0] in ("city", "county"))
    )
    return render(
        request,
        "core/reporting/period_list.html",
        {
            "county": county,
            "counties": counties,
            "year": year,
            "years": range(timezone.localdate().year, timezone.localdate().year - 5, -1),
            "rows": rows,
            "county_cells": county_cells(user=request.user, county=county, year=year) if show_county else [],
            "status_classes": STATUS_CLASSES,
            "statuses": PeriodStatus,
        },
    )


@login_required
def period_export(request):
    """The matrix as rows: one per township and past month of the county and year the page shows."""
    county, _counties = _county_for(request)
    year = _year(request)
    rows = county_matrix(user=request.user, county=county, year=year) if county else []
    labels = dict(PeriodStatus.choices)
    cells = [(row.township, cell) for row in rows for cell in row.cells if not cell.future]
    return list_export(
        name=gettext_lazy("Monthly close"),
        qualifier=year,
        records=cells,
        headers=[
            gettext_lazy("Township"),
            gettext_lazy("Month"),
            gettext_lazy("Status"),
            gettext_lazy("Villages complete (%)"),
            gettext_lazy("Days late"),
        ],
        row=lambda township_cell: [
            township_cell[0].name,
            str(township_cell[1].month),
            str(labels.get(township_cell[1].status, "")),
            township_cell[1].share_complete,
            township_cell[1].days_late or 0,
        ],
    )


def _parsed(period: str):
    try:
        return parse_period(period)
    except ValidationError as exc:
        raise Http404 from exc


@login_required
def period_open(request, township_id: int, period: str):
    """A matrix cell: get (or lazily create) the township's period and show it."""
    township = get_for(request.user, Township, pk=township_id)
    row = services.period_open(actor=request.user, township=township, period=_parsed(period))
    return redirect("core:period_detail", row.pk)


@login_required
def county_period_open(request, county_id: int, period: str):
    """The county's own period (submitted by the county, approved by the city)."""
    county = get_for(request.user, County, pk=county_id)
    row = services.period_open(actor=request.user, county=county, period=_parsed(period))
    return redirect("core:period_detail", row.pk)


class SubmitForm(forms.Form):
    gaps_reason = forms.CharField(
        label=gettext_lazy("Reason for submitting with gaps"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


ACTIONS = {
    "submit": (SubmitForm, services.period_submit, gettext_lazy("The period was submitted.")),
    "approve": (None, services.period_approve, gettext_lazy("The period was approved and is now locked.")),
    "return": (ReasonForm, services.period_return, gettext_lazy("The period was returned.")),
    "reopen": (ReasonForm, services.period_reopen, gettext_lazy("The period was reopened.")),
}


@login_required
def period_detail(request, pk: int):
    period = get_for(request.user, selectors.period_list(user=request.user), pk=pk)
    forms_ = {
        "submit": SubmitForm(),
        "return": ReasonForm(prefix="return"),
        "reopen": ReasonForm(prefix="reopen"),
    }
    if request.method == "POST":
        name = request.POST.get("action")
        if name not in ACTIONS:
            raise Http404
        form_class, service, done = ACTIONS[name]
        form = form_class(posted(request), prefix=None if name == "submit" else name) if form_class else None
        if form is None or form.is_valid():
            try:
                service(actor=request.user, period=period, **(form.cleaned_data if form else {}))
            except ValidationError as exc:
                if form is None:
                    messages.error(request, " ".join(exc.messages))
                else:
                    add_service_errors(form, exc, None)
            else:
                messages.success(request, str(done))
                return redirect("core:period_detail", period.pk)
        if form is not None:
            forms_[name] = form
        period.refresh_from_db()
    grace_days, due_days = rules_for(period.county_id, period.end)
    return render(
        request,
        "core/reporting/period_detail.html",
        {
            "period": period,
            "gaps": services.period_gaps(period)
            if period.status in (PeriodStatus.OPEN, PeriodStatus.RETURNED)
            else period.gaps,
            "events": period_events(user=request.user, period=period),
            "opens_on": opens_on(period.end, grace_days),
            "due_on": due_on(period.end, due_days),
            "days_late": period_days_late(period, due_days),
            "forms": forms_,
            "may_submit": services.may_submit(request.user, period),
            "may_decide": services.may_decide(request.user, period),
            "status_class": STATUS_CLASSES[period.status],
        },
    )


@login_required
def notification_list(request):
    if request.method == "POST":
        if request.POST.get("all"):
            notifications.notification_mark_all_read(actor=request.user)
        else:
            notification = get_object_or_404(
                notifications.notification_list(user=request.user), pk=request.POST.get("id")
            )
            notifications.notification_mark_read(actor=request.user, notification=notification)
        return redirect("core:notification_list")
    page = Paginator(notifications.notification_list(user=request.user), 25).get_page(request.GET.get("page"))
    return render(request, "core/reporting/notification_list.html", {"page": page})


@login_required
def bulletin_page(request):
    """The quarterly bulletin (季通报) of a county: periods, statuses and timeliness per township."""
    county, counties = _county_for(request)
    try:
        quarter = (
            Quarter.parse(request.GET.get("quarter"))
            if request.GET.get("quarter")
            else Quarter.of(timezone.localdate()).previous()
        )
    except ValidationError as exc:
        raise Http404 from exc
    data = bulletin.quarter_bulletin(user=request.user, county=county, quarter=quarter) if county else None
    if request.GET.get("format") == "xlsx" and data is not None:
        return bulletin.bulletin_xlsx(data)
    return render(
        request,
        "core/reporting/bulletin.html",
        {
            "county": county,
            "counties": counties,
            "quarter": quarter,
            "data": data,
            "status_classes": STATUS_CLASSES,
        },
    )
