"""Pages of the dashboard app: dashboards per region, the fourteen figures, report packs, surveys,
and the public village page (the only page here without a login)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.assistance.models import HouseholdStatus
from apps.cadres.models import EDUCATION_ORDER, Education
from apps.core.exports import XLSX_CONTENT_TYPE, list_export
from apps.core.forms import posted, run_service
from apps.core.jobs import JobQueueUnavailable, job_status, start_job
from apps.core.models import Job
from apps.core.permissions import ADMIN_ROLES, DATA_ENTRY_ROLES, has_role
from apps.core.scoping import get_for
from apps.villages.models import PovertyStatus, RatingLevel
from apps.villages.selectors import region_totals, village_list

from . import scope as scopes
from . import selectors, services
from .figures import FIGURES, FigureContext, compute, survey_list
from .forms import SurveyResultForm, YearRangeForm, year_choices
from .models import PackStatus
from .pack import figure_workbook
from .svg import render as render_svg


@login_required
def home(request):
    return render(request, "dashboard/home.html", {"totals": region_totals(user=request.user)})


# Dashboards


def _year(request) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = timezone.localdate().year - 1
    return min(max(year, 2000), timezone.localdate().year)


def _dashboard_url(scope: scopes.Scope, year: int | None = None) -> str:
    if scope.level == "village":
        return reverse("villages:village_detail", args=[scope.region.pk])
    url = reverse("dashboard:dashboard", args=[scope.level, scope.region.pk])
    return f"{url}?year={year}" if year else url


@login_required
def own_dashboard(request):
    scope = scopes.own_scope(request.user)
    year = request.GET.get("year")
    return redirect(_dashboard_url(scope, int(year) if year and year.isdigit() else None))


@login_required
def dashboard(request, level, pk):
    scope = scopes.resolve(request.user, level, pk)
    if scope.level == "village":
        return redirect(_dashboard_url(scope))
    year = _year(request)
    data = selectors.dashboard(user=request.user, scope=scope, year=year)
    child_level = scope.child_level
    children = data["villages"]["children"]

    def child_url(child_id):
        if child_level == "village":
            return reverse("villages:village_detail", args=[child_id])
        return _child_dashboard(child_level, child_id, year)

    poverty_labels = [PovertyStatus.NONE.label, PovertyStatus.POOR.label, PovertyStatus.DEEP_POOR.label]
    charts = {
        "children": {
            "title": _("Villages by poverty status"),
            "kind": "stacked",
            "categories": [row["child_name"] for row in children],
            "series": [
                {
                    "name": str(poverty_labels[0]),
                    "values": [row["villages"] - row["poor"] - row["deep_poor"] for row in children],
                },
                {"name": str(poverty_labels[1]), "values": [row["poor"] for row in children]},
                {"name": str(poverty_labels[2]), "values": [row["deep_poor"] for row in children]},
            ],
            "links": [child_url(row["child_id"]) for row in children],
        },
        "ratings": {
            "title": _("Ratings of Party organisations, %(year)s") % {"year": year},
            "kind": "stacked",
            "categories": [row["region_name"] for row in data["ratings"]["by_region"]],
            "series": [
                {
                    "name": str(level.label),
                    "values": [row[level.value] for row in data["ratings"]["by_region"]],
                }
                for level in RatingLevel
            ],
            "links": [child_url(row["region_id"]) for row in data["ratings"]["by_region"]],
        },
        "brackets": {
            "title": _("Villages by collective income, %(year)s") % {"year": year},
            "kind": "bar",
            "categories": [str(label) for _code, label, _n in data["brackets"]["brackets"]],
            "series": [{"name": _("Villages"), "values": [n for _c, _l, n in data["brackets"]["brackets"]]}],
            "links": [
                _list_url("collective_economy:income_list", scope, year=year, bracket=code)
                for code, _l, _n in data["brackets"]["brackets"]
            ],
        },
        "education": {
            "title": _("Education of cadres in office"),
            "kind": "pie",
            "categories": [str(Education(level).label) for level in EDUCATION_ORDER],
            "series": [
                {"name": _("Cadres"), "values": [data["cadres"]["education"][lv] for lv in EDUCATION_ORDER]}
            ],
            "links": [
                _list_url("cadres:cadre_list", scope, education=level, in_office="true")
                for level in EDUCATION_ORDER
            ],
        },
    }
    links = {
        "villages": _list_url("villages:village_list", scope),
        "poor_villages": _list_url("villages:village_list", scope, poverty_status="poor"),
        "households": _list_url("assistance:household_list", scope),
        "assistance_stats": _list_url("assistance:stats", scope, year=year),
        "poor_households": _list_url("assistance:household_list", scope, status="poor"),
        "ratings": _list_url("villages:partyorganisation_list", scope, year=year),
        "rectifications": _list_url("villages:rectification_board", scope),
        "overdue": _list_url("villages:rectification_board", scope, overdue="true"),
        "cadres": _list_url("cadres:cadre_list", scope, in_office="true"),
        "incomes": _list_url("collective_economy:income_list", scope, year=year),
        "morality": reverse("morality_bank:village_list"),
    }
    return render(
        request,
        "dashboard/dashboard.html",
        {
            "scope": scope,
            "ancestors": scope.ancestors(),
            "year": year,
            "years": year_choices(),
            "data": data,
            "charts": charts,
            "links": links,
            "child_level": child_level,
            "children": [(row, child_url(row["child_id"])) for row in children],
            "household_statuses": HouseholdStatus.choices,
            "rating_levels": RatingLevel.choices,
            "figures": _figure_list(),
            "figure_query": f"scope={scope.key}",
            "rankings_tables": [
                (_("Top five"), data["rankings"]["top"]),
                (_("Bottom five"), data["rankings"]["bottom"]),
            ],
        },
    )


def _child_dashboard(level, pk, year):
    url = reverse("dashboard:dashboard", args=[level, pk])
    return f"{url}?year={year}"


def _list_url(url_name: str, scope: scopes.Scope, **params) -> str:
    from urllib.parse import urlencode

    # Always with "?", so templates may append "&name=value".
    return f"{reverse(url_name)}?{urlencode({**scope.list_query(), **params})}"


# Figures


def _figure_list():
    return [(number, figure.title) for number, figure in sorted(FIGURES.items())]


def _figure_request(request, number: int):
    if number not in FIGURES:
        raise Http404(_("No such figure."))
    scope = scopes.parse(request.user, request.GET.get("scope"))
    if scope.level == "village":
        raise Http404(_("Figures are made for a city, a county or a township."))
    form = YearRangeForm(request.GET)
    if not form.is_valid():
        form = YearRangeForm({})
        form.is_valid()
    cleaned = form.cleaned_data
    ctx = FigureContext(
        user=request.user, scope=scope, year_from=cleaned["year_from"], year_to=cleaned["year_to"]
    )
    return scope, form, ctx, compute(number, ctx)


@login_required
def figure_index(request):
    scope = scopes.parse(request.user, request.GET.get("scope"))
    form = YearRangeForm(request.GET)
    if not form.is_valid():
        form = YearRangeForm({})
        form.is_valid()
    return render(
        request,
        "dashboard/figure_index.html",
        {
            "scope": scope,
            "form": form,
            "figures": _figure_list(),
            "query": _query(scope, form.cleaned_data),
            "region_choices": scopes.choices(request.user, scope),
            "may_pack": has_role(request.user, DATA_ENTRY_ROLES) and scope.level != "village",
            "packs": selectors.pack_list(user=request.user)[:10],
        },
    )


def _query(scope, cleaned) -> str:
    return f"scope={scope.key}&year_from={cleaned['year_from']}&year_to={cleaned['year_to']}"


@login_required
def figure_detail(request, number):
    scope, form, ctx, figure = _figure_request(request, number)
    return render(
        request,
        "dashboard/figure_detail.html",
        {
            "scope": scope,
            "form": form,
            "figure": figure,
            "charts": {"figure": figure.chart_json()},
            "query": _query(scope, form.cleaned_data),
            "figures": _figure_list(),
            "ancestors": scope.ancestors(),
            "region_choices": scopes.choices(request.user, scope),
        },
    )


def _filename(figure, scope, ctx, extension) -> str:
    return f"figure-{figure.number}-{scope.region.code}-{ctx.year_from}-{ctx.year_to}.{extension}"


@login_required
def figure_xlsx(request, number):
    scope, _form, ctx, figure = _figure_request(request, number)
    response = HttpResponse(figure_workbook(figure), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=_filename(figure, scope, ctx, "xlsx")
    )
    return response


@login_required
def figure_svg(request, number):
    scope, _form, ctx, figure = _figure_request(request, number)
    response = HttpResponse(render_svg(figure), content_type="image/svg+xml; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=_filename(figure, scope, ctx, "svg")
    )
    return response


# Report packs


@login_required
@require_POST
def pack_create(request):
    if not has_role(request.user, DATA_ENTRY_ROLES):
        raise PermissionDenied(_("Your role may not make this change."))
    scope = scopes.parse(request.user, request.POST.get("scope"))
    form = YearRangeForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.non_field_errors()) or _("Check the years."))
        return redirect(f"{reverse('dashboard:figure_index')}?scope={scope.key}")
    pack = services.report_pack_request(
        actor=request.user,
        scope=scope,
        year_from=form.cleaned_data["year_from"],
        year_to=form.cleaned_data["year_to"],
    )
    from .tasks import build_report_pack

    try:
        job = start_job(
            build_report_pack,
            actor=request.user,
            name="report_pack",
            county=pack.county,
            kwargs={"pack_id": pack.pk, "language": translation.get_language()},
        )
    except JobQueueUnavailable as exc:
        pack.status = PackStatus.FAILED
        pack.save(update_fields=["status"])
        messages.error(request, str(exc))
        return redirect(f"{reverse('dashboard:figure_index')}?scope={scope.key}")
    pack.task_id = job.task_id
    pack.save(update_fields=["task_id"])
    return redirect("dashboard:pack_detail", pk=pack.pk)


def _pack(request, pk):
    return get_for(request.user, selectors.pack_list(user=request.user), pk=pk)


@login_required
def pack_detail(request, pk):
    pack = _pack(request, pk)
    return render(
        request,
        "dashboard/pack_detail.html",
        {
            "pack": pack,
            "status_url": reverse("dashboard:pack_status", args=[pack.pk]),
            "task_url": f"/api/v1/tasks/{pack.task_id}/" if pack.task_id and pack.county_id else None,
            "labels": {code: str(label) for code, label in PackStatus.choices},
        },
    )


@login_required
def pack_status(request, pk):
    """The job's state as ``GET /api/v1/tasks/{id}/`` gives it, plus the pack's own status and files.

    Read through the pack (scoped by its region), so a city-wide pack, whose job has no county,
    can be followed by the city's admins too.
    """
    pack = _pack(request, pk)
    body = {"state": "PENDING", "progress": 0}
    if pack.task_id:
        job = Job.objects.filter(task_id=pack.task_id).first()
        if job is not None:
            try:
                body = job_status(job)
            except ValidationError:  # the broker is down; the pack's own status still answers
                body = {"state": "UNKNOWN", "progress": 0}
    if pack.status == PackStatus.DONE:
        body.update(progress=100)
    body.update(
        status=pack.status,
        workbook=reverse("dashboard:pack_download", args=[pack.pk, "xlsx"]) if pack.workbook else None,
        pdf=reverse("dashboard:pack_download", args=[pack.pk, "pdf"]) if pack.pdf else None,
    )
    return JsonResponse(body)


@login_required
def pack_download(request, pk, kind):
    pack = _pack(request, pk)
    file = {"xlsx": pack.workbook, "pdf": pack.pdf}.get(kind)
    if not file:
        raise Http404(_("This file is not ready."))
    return FileResponse(file.open("rb"), as_attachment=True, filename=file.name.rsplit("/", 1)[-1])


# Survey results (figure 12)


def _filtered_surveys(request):
    """The survey results of ``?year=`` and ``?county=`` the list page and its export share."""
    surveys = survey_list(user=request.user).order_by("-year", "county__code", "-share")
    year = request.GET.get("year")
    if year and year.isdigit():
        surveys = surveys.filter(year=int(year))
    if request.GET.get("county", "").isdigit():
        surveys = surveys.filter(county_id=int(request.GET["county"]))
    return surveys


@login_required
def survey_results(request):
    return render(
        request,
        "dashboard/survey_list.html",
        {"surveys": _filtered_surveys(request), "may_edit": has_role(request.user, ADMIN_ROLES)},
    )


@login_required
def survey_export(request):
    return list_export(
        name=_("Survey results"),
        records=_filtered_surveys(request),
        headers=[_("Year"), _("Region"), _("Reason given"), _("Share of answers (%)")],
        row=lambda survey: [survey.year, survey.region.name, survey.reason, survey.share],
    )


@login_required
def survey_create(request):
    if not has_role(request.user, ADMIN_ROLES):
        raise PermissionDenied(_("Your role may not make this change."))
    form = SurveyResultForm(posted(request), user=request.user)
    if form.is_valid() and run_service(
        form, services.survey_result_create, actor=request.user, **form.cleaned_data
    ):
        messages.success(request, _("The survey result was saved."))
        return redirect("dashboard:survey_list")
    return render(request, "dashboard/survey_form.html", {"form": form, "title": _("New survey result")})


@login_required
def survey_update(request, pk):
    survey = get_for(request.user, survey_list(user=request.user), pk=pk)
    if not has_role(request.user, ADMIN_ROLES):
        raise PermissionDenied(_("Your role may not make this change."))
    form = SurveyResultForm(posted(request), user=request.user, instance=survey)
    if request.method == "POST" and request.POST.get("delete"):
        services.survey_result_delete(actor=request.user, survey=survey)
        messages.success(request, _("The survey result was deleted."))
        return redirect("dashboard:survey_list")
    if form.is_valid():
        fields = {name: form.cleaned_data[name] for name in services.SURVEY_FIELDS}
        survey.refresh_from_db()
        if run_service(form, services.survey_result_update, actor=request.user, survey=survey, **fields):
            messages.success(request, _("The survey result was saved."))
            return redirect("dashboard:survey_list")
    return render(
        request,
        "dashboard/survey_form.html",
        {"form": form, "title": _("Edit survey result"), "survey": survey},
    )


# The public village page (村务公开)


@login_required
@require_POST
def public_page_switch(request, pk):
    village = get_for(request.user, village_list(user=request.user), pk=pk)
    enabled = request.POST.get("enabled") == "1"
    try:
        services.public_page_set(actor=request.user, village=village, enabled=enabled)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("The public page is now published.") if enabled else _("The public page was withdrawn."),
        )
    return redirect("villages:village_detail", pk=village.pk)


@login_required
def public_page_qr(request, pk):
    """A printable QR code (SVG) of the village's public page address."""
    import qrcode
    import qrcode.image.svg

    village = get_for(request.user, village_list(user=request.user), pk=pk)
    url = request.build_absolute_uri(reverse("dashboard:public_village", args=[village.code]))
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=12, border=2)
    response = HttpResponse(image.to_string(encoding="unicode"), content_type="image/svg+xml; charset=utf-8")
    if request.GET.get("download"):
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename=f"public-page-{village.code}.svg"
        )
    return response


def public_village(request, code):
    """No login. Only villages that opted in; only names and points, incomes and projects (cached)."""
    from .cache import public_page_data

    village = selectors.published_village(code)
    if village is None:
        raise Http404(_("This page does not exist."))
    data = public_page_data(village.code, lambda: selectors.public_village_data(village))
    return render(request, "dashboard/public_village.html", {"village": village, **data})
