"""Pages of the integrity watch: the findings of the user's region, one finding with its review form, and
the townships ranked by the bunching statistic (with its .xlsx export)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from apps.core.exports import list_export, xlsx_response
from apps.core.forms import posted, run_service
from apps.core.permissions import ADMIN_ROLES, has_role

from . import selectors, services
from .detectors import DETECTOR_LABELS, RULES, explanation
from .filters import FindingFilter
from .forms import BunchingRankingForm, FindingReviewForm

PAGE_SIZE = 50


@login_required
def finding_list(request):
    filterset = FindingFilter(
        request.GET or None, queryset=selectors.finding_list(request.user), request=request
    )
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    for finding in page.object_list:
        finding.detector_label = DETECTOR_LABELS.get(finding.detector, finding.detector)
        finding.explanation = explanation(finding)
    return render(request, "rankings/finding_list.html", {"page": page, "filter": filterset})


@login_required
def finding_export(request):
    """Every finding the list's filters select, its numbers spelled out as on the page."""
    filterset = FindingFilter(
        request.GET or None, queryset=selectors.finding_list(request.user), request=request
    )
    headers = [
        _("Period"),
        _("Detector"),
        _("Subject"),
        _("county"),
        _("township"),
        _("village"),
        _("The numbers"),
        _("Status"),
        _("reason"),
        _("reviewed by"),
    ]

    def row(finding):
        return [
            finding.period,
            str(DETECTOR_LABELS.get(finding.detector, finding.detector)),
            finding.subject_name,
            finding.county.name,
            finding.township.name if finding.township else "",
            finding.village.name if finding.village else "",
            "; ".join(f"{label}: {value}" for label, value in explanation(finding)),
            finding.get_status_display(),
            finding.reason,
            finding.reviewed_by.username if finding.reviewed_by else "",
        ]

    return list_export(name=_("Integrity findings"), records=filterset.qs, headers=headers, row=row)


@login_required
def finding_detail(request, pk):
    finding = selectors.finding_get(request.user, pk)
    may_review = has_role(request.user, ADMIN_ROLES)
    form = FindingReviewForm(posted(request) if may_review else None, initial={"status": finding.status})
    if request.method == "POST" and may_review and form.is_valid():
        run_service(form, services.finding_review, actor=request.user, finding=finding, **form.cleaned_data)
        if not form.errors:
            messages.success(request, _("The finding's status is saved."))
            return redirect("rankings:finding_list")
    finding.detector_label = DETECTOR_LABELS.get(finding.detector, finding.detector)
    context = {
        "finding": finding,
        "rule": RULES.get(finding.detector, ""),
        "explanation": explanation(finding),
        "form": form if may_review else None,
    }
    return render(request, "rankings/finding_detail.html", context)


def _bunching_ranking(request) -> tuple[BunchingRankingForm, int | None, list]:
    form = BunchingRankingForm(request.GET or None, user=request.user)
    year = county = None
    if form.is_bound and form.is_valid():
        year, county = form.cleaned_data["year"], form.cleaned_data["county"]
    elif form.is_bound:
        return form, None, []
    year = year or selectors.bunching_latest_year(request.user, county=county)
    if year is None:
        return form, None, []
    return form, year, selectors.township_bunching_ranking(request.user, year=year, county=county)


@login_required
def bunching_ranking(request):
    form, year, rows = _bunching_ranking(request)
    context = {
        "form": form,
        "year": year,
        "page": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")),
        "several_counties": form.fields["county"].queryset.count() > 1,
    }
    return render(request, "rankings/bunching_ranking.html", context)


@login_required
def bunching_ranking_export(request):
    _form, year, rows = _bunching_ranking(request)
    return xlsx_response(
        filename=f"township-bunching-{year or ''}.xlsx",
        title=_("Township bunching ranking"),
        headers=[
            _("Rank"),
            _("Code"),
            _("Township"),
            _("County"),
            _("Year"),
            _("Band -2"),
            _("Band -1"),
            _("Band 0 (just above the line)"),
            _("Band +1"),
            _("Band +2"),
            _("Mean of the neighbouring bands"),
            _("Log-ratio"),
            _("z-score"),
            _("Flagged"),
        ],
        rows=(
            (
                row.rank,
                row.township.code,
                row.township.name,
                row.township.county.name,
                row.year,
                *row.band_counts,
                row.figures["neighbours"],
                row.figures["log_ratio"],
                row.figures["z"],
                _("yes") if row.flagged else _("no"),
            )
            for row in rows
        ),
        text_columns=(1,),
    )
