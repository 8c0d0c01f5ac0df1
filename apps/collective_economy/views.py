"""Pages of the collective economy: overview, income table, a village's history, entry forms, projects."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.exports import list_export, yes_no
from apps.core.forms import posted, run_service
from apps.core.permissions import DATA_ENTRY_ROLES, has_role
from apps.core.scoping import get_for
from apps.villages.models import Village

from . import selectors, services
from .filters import IncomeFilter, PairingFilter, ProjectFilter, SupportFundFilter
from .forms import (
    DevelopmentModeForm,
    IncomeForm,
    PairingForm,
    ProjectForm,
    SupportFundForm,
    YearRegionForm,
    styled_filter,
)
from .models import (
    AMOUNT_FIELDS,
    BRACKET_LOWER_BOUNDS,
    PROJECT_FUND_FIELDS,
    Bracket,
    DevelopmentMode,
    Income,
    Pairing,
    Project,
    SupportFund,
)

PAGE_SIZE = 50
INCOME_SORTS = ("village__code", "-total", "total", "-growth", "growth")
SUPPORT_FUND_ORDER = ("-year", "village__code", "pk")
SUPPORT_FUND_EXPORT_FIELDS = ("year", "amount", "source", "use", "note")
PAIRING_ORDER = ("village__code", "-start_year", "unit_name")
PAIRING_EXPORT_FIELDS = ("unit_name", "unit_type", "start_year", "end_year", "note")


def _may(user) -> dict[str, bool]:
    return {
        "write": has_role(user, DATA_ENTRY_ROLES),
        "modes": has_role(user, services.MODE_ADMIN_ROLES),
    }


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("Your role may not make this change."))


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def bracket_config() -> dict:
    """The brackets for the entry form's live preview: the same bounds the database uses."""
    return {
        "empty": {"code": Bracket.EMPTY, "label": str(Bracket.EMPTY.label)},
        "brackets": [
            {"code": bracket, "label": str(Bracket(bracket).label), "lower_cents": int(lower * 100)}
            for bracket, lower in BRACKET_LOWER_BOUNDS
        ],
        "invalid": _("Enter amounts of at least 0 with at most two decimal places."),
    }


# Overview and statistics


@login_required
def overview(request):
    form = YearRegionForm(request.GET or None, user=request.user)
    year = county = township = None
    if form.is_bound and form.is_valid():
        year, county, township = (form.cleaned_data.get(k) for k in ("year", "county", "township"))
    if county is None and township is None and len(form.counties) == 1:
        county = next(iter(form.counties.values()))  # a county's own lines and goal apply to its users
    year = year or selectors.latest_year(user=request.user)
    stats = selectors.economy_stats(user=request.user, year=year, county=county, township=township)
    townships = selectors.township_summary(user=request.user, year=year, county=county, township=township)
    incomes = selectors.Region(county, township).filter(selectors.income_list(user=request.user))
    trend = list(
        incomes.order_by()
        .values("year")
        .annotate(total=Sum("total"), villages=Count("pk"))
        .order_by("year")
        .values_list("year", "total", "villages")
    )
    charts = {
        "brackets": {
            "title": _("Villages by collective income (yuan), %(year)s") % {"year": year},
            "labels": [str(label) for label in Bracket.labels],
            "values": [stats["brackets"][code] for code in Bracket.values],
            "name": _("Villages"),
        },
        "sources": {
            "title": _("Collective income by source, %(year)s") % {"year": year},
            "items": [
                {"name": str(capfirst(Income._meta.get_field(name).verbose_name)), "value": str(value)}
                for name, value in stats["by_source"].items()
            ],
        },
        "trend": {
            "title": _("Total collective income by year (yuan)"),
            "years": [row[0] for row in trend],
            "totals": [str(row[1]) for row in trend],
            "name": _("Total income"),
        },
    }
    query = {"year": year, "county": county.pk if county else "", "township": township.pk if township else ""}
    return render(
        request,
        "collective_economy/overview.html",
        {
            "form": form,
            "year": year,
            "county": county,
            "township": township,
            "stats": stats,
            "targets": {t["code"]: t for t in stats["targets"]},
            "bracket_rows": [(b, stats["brackets"][b.value]) for b in Bracket],
            "townships": townships,
            "charts": charts,
            "query": query,
            "may": _may(request.user),
        },
    )


# The income table (one year, with growth and the lines met)


def _income_table(request):
    data = request.GET.copy()
    year = _int(data.get("year")) or selectors.latest_year(user=request.user)
    data["year"] = str(year)
    queryset = selectors.with_targets(selectors.income_list(user=request.user), selectors.lines_for([year]))
    filterset = styled_filter(IncomeFilter, data, user=request.user, queryset=queryset)
    sort = request.GET.get("sort")
    incomes = filterset.qs.order_by(sort if sort in INCOME_SORTS else "village__code", "village__code")
    return filterset, incomes, year


@login_required
def income_list(request):
    filterset, incomes, year = _income_table(request)
    page = Paginator(incomes, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "filter": filterset,
        "page": page,
        "year": year,
        "sort": request.GET.get("sort", "village__code"),
        "may": _may(request.user),
    }
    template = (
        "collective_economy/_income_results.html" if request.htmx else "collective_economy/income_list.html"
    )
    return render(request, template, context)


@login_required
def income_export(request):
    _filterset, incomes, year = _income_table(request)
    field = Income._meta.get_field
    headers = [
        capfirst(_("code")),
        capfirst(_("village")),
        capfirst(_("township")),
        capfirst(_("county")),
        capfirst(field("year").verbose_name),
        *(capfirst(field(name).verbose_name) for name in AMOUNT_FIELDS),
        capfirst(field("total").verbose_name),
        _("Per registered resident"),
        capfirst(field("bracket").verbose_name),
        _("Growth on the previous year (%)"),
        _("Below the weak-village line"),
        _("Meets the target line"),
        _("Meets the poverty-exit bar"),
        _("Paired with a helping unit"),
        capfirst(field("economy_type").verbose_name),
        capfirst(field("development_mode").verbose_name),
    ]

    def row(income):
        return [
            income.village.code,
            income.village.name,
            income.village.township.name,
            income.village.county.name,
            income.year,
            *(getattr(income, name) for name in AMOUNT_FIELDS),
            income.total,
            income.per_capita,
            income.get_bracket_display(),
            income.growth,
            yes_no(income.is_weak),
            yes_no(income.meets_target),
            yes_no(income.meets_exit_bar),
            yes_no(income.is_paired),
            income.get_economy_type_display(),
            income.development_mode.name if income.development_mode else "",
        ]

    return list_export(
        name=_("collective incomes"),
        records=incomes,
        headers=headers,
        row=row,
        text_columns=[0],
        qualifier=year,
    )


# One village


@login_required
def village_economy(request, pk):
    village = get_for(request.user, Village.objects.select_related("township", "county"), pk=pk)
    history = list(selectors.village_income_history(user=request.user, village=village))
    years_entered = {income.year for income in history}
    this_year = timezone.localdate().year
    chart = {
        "title": _("Collective income of %(village)s by year (yuan)") % {"village": village.name},
        "years": [income.year for income in history],
        "series": [
            {
                "name": str(capfirst(Income._meta.get_field(name).verbose_name)),
                "values": [str(getattr(income, name)) for income in history],
            }
            for name in AMOUNT_FIELDS
        ],
        "total": {
            "name": str(capfirst(Income._meta.get_field("total").verbose_name)),
            "values": [str(income.total) for income in history],
        },  # fmt: skip
    }
    return render(
        request,
        "collective_economy/village_economy.html",
        {
            "village": village,
            "history": list(reversed(history)),
            "charts": {"village": chart},
            "next_year": next(
                (y for y in range(this_year - 1, this_year + 1) if y not in years_entered), None
            ),
            "funds": selectors.support_fund_list(user=request.user)
            .filter(village=village)
            .order_by("-year", "pk"),
            "pairings": selectors.pairing_list(user=request.user).filter(village=village),
            "projects": selectors.project_list(user=request.user).filter(village=village),
            "may": _may(request.user),
        },
    )


# Records: create, edit, delete, detail


@dataclass(frozen=True)
class RecordKind:
    model: type
    form_class: type
    selector: Any
    create: Any
    update: Any
    delete: Any
    label: Any  # lazy: "support fund"
    list_url: str

    @property
    def kwarg(self) -> str:
        return self.model._meta.model_name


INCOME = RecordKind(
    Income,
    IncomeForm,
    selectors.income_list,
    services.income_create,
    services.income_update,
    services.income_delete,
    gettext_lazy("collective income"),
    "collective_economy:income_list",
)
PROJECT = RecordKind(
    Project,
    ProjectForm,
    selectors.project_list,
    services.project_create,
    services.project_update,
    services.project_delete,
    gettext_lazy("collective project"),
    "collective_economy:project_list",
)
SUPPORT_FUND = RecordKind(
    SupportFund,
    SupportFundForm,
    selectors.support_fund_list,
    services.support_fund_create,
    services.support_fund_update,
    services.support_fund_delete,
    gettext_lazy("support fund"),
    "collective_economy:supportfund_list",
)
PAIRING = RecordKind(
    Pairing,
    PairingForm,
    selectors.pairing_list,
    services.pairing_create,
    services.pairing_update,
    services.pairing_delete,
    gettext_lazy("helping-unit pairing"),
    "collective_economy:pairing_list",
)


def _village_url(record) -> str:
    return reverse("collective_economy:village_economy", args=[record.village_id])


def _form_page(request, kind: RecordKind, form, record=None):
    context = {
        "form": form,
        "record": record,
        "kind": kind,
        "title": (
            _("Edit %(record)s") % {"record": kind.label}
            if record
            else _("New %(record)s") % {"record": kind.label}
        ),
        "cancel_url": _village_url(record) if record else reverse(kind.list_url),
        "live_total": kind is INCOME,
        "brackets": bracket_config() if kind is INCOME else None,
    }
    return render(request, "collective_economy/record_form.html", context)


def _initial_from_query(request, kind: RecordKind) -> dict:
    initial = {}
    village_id = _int(request.GET.get("village"))
    if village_id is not None:
        initial["village"] = village_id
    year = _int(request.GET.get("year"))
    if year is not None:
        initial["start_year" if kind in (PROJECT, PAIRING) else "year"] = year
    return initial


def _create(request, kind: RecordKind):
    _require(_may(request.user)["write"])
    form = kind.form_class(posted(request), user=request.user, initial=_initial_from_query(request, kind))
    if form.is_valid() and (
        record := run_service(form, kind.create, actor=request.user, **form.cleaned_data)
    ):
        messages.success(request, _("The %(record)s was saved.") % {"record": kind.label})
        return redirect(_village_url(record))
    return _form_page(request, kind, form)


def _get(request, kind: RecordKind, pk):
    return get_for(request.user, kind.selector(user=request.user), pk=pk)


def _update(request, kind: RecordKind, pk):
    record = _get(request, kind, pk)
    _require(_may(request.user)["write"])
    form = kind.form_class(posted(request), user=request.user, instance=record)
    if form.is_valid():
        if run_service(form, kind.update, actor=request.user, **{kind.kwarg: record}, **form.cleaned_data):
            messages.success(request, _("The %(record)s was saved.") % {"record": kind.label})
            return redirect(_village_url(record))
        record = _get(request, kind, pk)  # the service may have changed the instance before refusing
    return _form_page(request, kind, form, record)


def _delete(request, kind: RecordKind, pk):
    record = _get(request, kind, pk)
    _require(_may(request.user)["write"])
    form = forms.Form(posted(request))
    if form.is_valid():
        run_service(form, kind.delete, actor=request.user, **{kind.kwarg: record})
        if not form.errors:
            messages.success(request, _("The %(record)s was deleted.") % {"record": kind.label})
            return redirect(_village_url(record))
    return render(
        request,
        "collective_economy/record_confirm_delete.html",
        {"form": form, "record": record, "kind": kind, "cancel_url": _village_url(record)},
    )


def _detail(request, kind: RecordKind, pk, template: str, **extra):
    record = _get(request, kind, pk)
    if kind is INCOME:
        record = selectors.with_targets(
            selectors.income_list(user=request.user).filter(pk=record.pk), selectors.lines_for([record.year])
        ).get()
    return render(
        request,
        template,
        {"record": record, "kind": kind, "opts": kind.model._meta, "may": _may(request.user), **extra},
    )


@login_required
def income_create(request):
    return _create(request, INCOME)


@login_required
def income_update(request, pk):
    return _update(request, INCOME, pk)


@login_required
def income_delete(request, pk):
    return _delete(request, INCOME, pk)


@login_required
def income_detail(request, pk):
    return _detail(request, INCOME, pk, "collective_economy/income_detail.html")


@login_required
def project_create(request):
    return _create(request, PROJECT)


@login_required
def project_update(request, pk):
    return _update(request, PROJECT, pk)


@login_required
def project_delete(request, pk):
    return _delete(request, PROJECT, pk)


@login_required
def project_detail(request, pk):
    record = _get(request, PROJECT, pk)
    sources = [
        (capfirst(Project._meta.get_field(name).verbose_name), getattr(record, name))
        for name in PROJECT_FUND_FIELDS
    ]
    sources.append((_("Other sources"), record.funds_other))
    return _detail(request, PROJECT, pk, "collective_economy/project_detail.html", sources=sources)


@login_required
def supportfund_create(request):
    return _create(request, SUPPORT_FUND)


@login_required
def supportfund_update(request, pk):
    return _update(request, SUPPORT_FUND, pk)


@login_required
def supportfund_delete(request, pk):
    return _delete(request, SUPPORT_FUND, pk)


def _field_rows(record, names: tuple[str, ...]) -> list[tuple[str, Any]]:
    rows = []
    for name in names:
        field = record._meta.get_field(name)
        value = getattr(record, f"get_{name}_display")() if field.choices else getattr(record, name)
        if isinstance(value, Decimal):
            value = f"{value:,.2f}"
        rows.append((capfirst(field.verbose_name), value))
    return rows


@login_required
def supportfund_detail(request, pk):
    rows = _field_rows(
        _get(request, SUPPORT_FUND, pk), ("village", "year", "amount", "source", "use", "note")
    )
    return _detail(request, SUPPORT_FUND, pk, "collective_economy/record_detail.html", rows=rows)


@login_required
def pairing_create(request):
    return _create(request, PAIRING)


@login_required
def pairing_update(request, pk):
    return _update(request, PAIRING, pk)


@login_required
def pairing_delete(request, pk):
    return _delete(request, PAIRING, pk)


@login_required
def pairing_detail(request, pk):
    names = ("village", "unit_name", "unit_type", "start_year", "end_year", "note")
    rows = _field_rows(_get(request, PAIRING, pk), names)
    return _detail(request, PAIRING, pk, "collective_economy/record_detail.html", rows=rows)


# Lists of projects, support funds and pairings


def _filtered(request, kind: RecordKind, filter_class):
    return styled_filter(
        filter_class, request.GET or None, user=request.user, queryset=kind.selector(user=request.user)
    )


def _record_list(request, kind: RecordKind, filterset, name: str, order: tuple[str, ...], **extra):
    """A paginated list page; htmx requests (the filter form) get only its results part."""
    page = Paginator(filterset.qs.order_by(*order), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"filter": filterset, "page": page, "kind": kind, "may": _may(request.user), **extra}
    partial = "_" if request.htmx else ""
    suffix = "results" if request.htmx else "list"
    return render(request, f"collective_economy/{partial}{name}_{suffix}.html", context)


@login_required
def project_list(request):
    filterset = _filtered(request, PROJECT, ProjectFilter)
    totals = filterset.qs.aggregate(
        count=Count("pk"),
        funds_total=Sum("funds_total"),
        **{name: Sum(name) for name in PROJECT_FUND_FIELDS},
        households=Sum("households_benefiting"),
        people=Sum("people_benefiting"),
        poor=Sum("poor_party_members_lifted"),
    )
    return _record_list(
        request, PROJECT, filterset, "project", ("-start_year", "village__code", "name"), totals=totals
    )


@login_required
def project_export(request):
    filterset = _filtered(request, PROJECT, ProjectFilter)
    field = Project._meta.get_field
    names = ("name", "start_year", "status", "funds_total", *PROJECT_FUND_FIELDS)
    tail = ("households_benefiting", "people_benefiting", "poor_party_members_lifted")
    headers = [
        capfirst(_("code")),
        capfirst(_("village")),
        capfirst(_("township")),
        capfirst(_("county")),
        capfirst(field("mode").verbose_name),
        *(capfirst(field(name).verbose_name) for name in names),
        _("Other sources"),
        *(capfirst(field(name).verbose_name) for name in tail),
    ]

    def row(project):
        values = {name: getattr(project, name) for name in (*names, *tail)}
        values["status"] = project.get_status_display()
        return [
            project.village.code,
            project.village.name,
            project.village.township.name,
            project.village.county.name,
            project.mode.name if project.mode else "",
            *(values[name] for name in names),
            project.funds_other,
            *(values[name] for name in tail),
        ]

    projects = filterset.qs.order_by("village__code", "-start_year", "name")
    return list_export(
        name=_("collective projects"), records=projects, headers=headers, row=row, text_columns=[0]
    )


def _record_export(request, kind: RecordKind, filter_class, order: tuple[str, ...], names: tuple[str, ...]):
    """A list's records with their village and the fields ``names`` (choices by their labels)."""
    filterset = _filtered(request, kind, filter_class)
    fields = [kind.model._meta.get_field(name) for name in names]

    def row(record):
        village = record.village
        return [
            village.code,
            village.name,
            village.township.name,
            village.county.name,
            *(
                getattr(record, f"get_{f.name}_display")() if f.choices else getattr(record, f.name)
                for f in fields
            ),
        ]

    return list_export(
        name=kind.model._meta.verbose_name_plural,
        records=filterset.qs.order_by(*order),
        headers=[_("code"), _("village"), _("township"), _("county"), *(f.verbose_name for f in fields)],
        row=row,
        text_columns=[0],
    )


@login_required
def supportfund_list(request):
    filterset = _filtered(request, SUPPORT_FUND, SupportFundFilter)
    total = filterset.qs.aggregate(total=Sum("amount"))["total"] or Decimal("0")
    return _record_list(request, SUPPORT_FUND, filterset, "supportfund", SUPPORT_FUND_ORDER, total=total)


@login_required
def supportfund_export(request):
    return _record_export(
        request, SUPPORT_FUND, SupportFundFilter, SUPPORT_FUND_ORDER, SUPPORT_FUND_EXPORT_FIELDS
    )


@login_required
def pairing_list(request):
    filterset = _filtered(request, PAIRING, PairingFilter)
    return _record_list(request, PAIRING, filterset, "pairing", PAIRING_ORDER)


@login_required
def pairing_export(request):
    return _record_export(request, PAIRING, PairingFilter, PAIRING_ORDER, PAIRING_EXPORT_FIELDS)


# The list of development modes


@login_required
def mode_list(request):
    modes = selectors.development_mode_list(user=request.user).annotate(
        income_count=Count("incomes", distinct=True), project_count=Count("projects", distinct=True)
    )
    return render(request, "collective_economy/mode_list.html", {"modes": modes, "may": _may(request.user)})


def _mode_form(request, mode: DevelopmentMode | None):
    _require(_may(request.user)["modes"])
    form = DevelopmentModeForm(posted(request), instance=mode)
    if form.is_valid():
        if mode is None:
            saved = run_service(
                form, services.development_mode_create, actor=request.user, **form.cleaned_data
            )
        else:
            saved = run_service(
                form,
                services.development_mode_update,
                actor=request.user,
                developmentmode=mode,
                **form.cleaned_data,
            )
        if saved:
            messages.success(request, _("Mode %(name)s was saved.") % {"name": saved.name})
            return redirect("collective_economy:mode_list")
    title = _("Edit mode %(name)s") % {"name": mode.name} if mode else _("New development mode")
    return render(
        request,
        "collective_economy/record_form.html",
        {"form": form, "title": title, "cancel_url": reverse("collective_economy:mode_list"), "record": mode},
    )


@login_required
def mode_create(request):
    return _mode_form(request, None)


@login_required
def mode_update(request, pk):
    mode = get_object_or_404(selectors.development_mode_list(user=request.user), pk=pk)
    return _mode_form(request, mode)
