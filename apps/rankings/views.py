"""Pages: rankings with the run-now form, a ranking (sortable, sparklines, publish), "why this score",
the escalation ledger, weak-and-lax candidates, rectification lists (with .xlsx) and configurations."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.exports import list_export, xlsx_response
from apps.core.forms import add_service_errors, posted, run_service
from apps.core.jobs import JobQueueUnavailable, start_job
from apps.core.permissions import ADMIN_ROLES, has_role
from apps.core.scoping import get_for, scope_for
from apps.villages.models import County

from . import selectors, services
from .filters import EscalationFilter, RankingFilter, WeakCandidateFilter
from .forms import ConfigurationForm, ConfirmForm, RunForm, TalkForm
from .models import Escalation, Ranking, RankingEntry, RankingKind, WeakCandidate
from .tasks import run_ranking

PAGE_SIZE = 50
ENTRY_SORTS = {
    "rank": ("rank", "subject_name"),
    "-rank": ("-rank", "subject_name"),
    "name": ("subject_name",),
}


def _counties(user):
    return list(scope_for(user, County.objects.all()).order_by("code"))


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


@login_required
def ranking_list(request):
    may_run = has_role(request.user, ADMIN_ROLES)
    form = RunForm(posted(request), counties=_counties(request.user)) if may_run else None
    if request.method == "POST" and may_run and form.is_valid():
        checked = run_service(form, services.ranking_validate_run, actor=request.user, **form.cleaned_data)
        if checked:
            kind, period, county = checked
            try:
                job = start_job(
                    run_ranking,
                    actor=request.user,
                    name=f"ranking {kind} {period}",
                    county=county,
                    kwargs={"kind": kind, "period": str(period), "county_id": county.pk},
                )
            except JobQueueUnavailable as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request,
                    _("The ranking is being computed (job %(id)s); reload this page in a moment.")
                    % {"id": job.task_id},
                )
                return redirect("rankings:ranking_list")
    filterset = _ranking_filter(request)
    return render(
        request,
        "rankings/ranking_list.html",
        {"page": _page(request, filterset.qs), "filter": filterset, "form": form, "may_run": may_run},
    )


def _ranking_filter(request) -> RankingFilter:
    return RankingFilter(
        request.GET or None, queryset=selectors.ranking_list(user=request.user), request=request
    )


@login_required
def ranking_export(request):
    headers = [_("Period"), _("Kind"), _("County"), _("Subjects"), _("Status"), _("Computed at")]
    return list_export(
        name=_("Rankings"),
        records=_ranking_filter(request).qs,
        headers=headers,
        row=lambda r: [
            r.period,
            r.get_kind_display(),
            r.county.name,
            r.subjects,
            r.get_status_display(),
            r.computed_at,
        ],
    )


def _sparkline(ranks: list, sizes: list) -> dict | None:
    """SVG points for a rank history: rank 1 at the top, the period's last place at the bottom."""
    points = []
    count = len(ranks)
    for index, (rank, size) in enumerate(zip(ranks, sizes, strict=True)):
        if rank is None:
            continue
        x = 2 + (96 * index / max(count - 1, 1))
        y = 2 + 20 * ((rank - 1) / max(size - 1, 1))
        points.append(f"{x:.1f},{y:.1f}")
    if not points:
        return None
    return {"points": " ".join(points), "last": points[-1].split(",")}


def _sorted_entries(request, pk):
    """The ranking, the sort chosen and its entries in that order, for the ranking page and its export."""
    ranking = get_for(request.user, selectors.ranking_list(user=request.user), pk=pk)
    sort = request.GET.get("sort", "rank")
    entries = selectors.entry_list(user=request.user, ranking=ranking).order_by(
        *ENTRY_SORTS.get(sort, ("rank",))
    )
    if sort in ("score", "-score"):
        entries = entries.order_by(sort, "subject_name")
    return ranking, sort, entries


@login_required
def ranking_detail(request, pk):
    ranking, sort, entries = _sorted_entries(request, pk)
    page = _page(request, entries)
    history = selectors.rank_history(
        user=request.user, ranking=ranking, subject_ids=[e.subject_id for e in page]
    )
    rows = [
        {"entry": entry, "sparkline": _sparkline(history["ranks"][entry.subject_id], history["sizes"])}
        for entry in page
    ]
    return render(
        request,
        "rankings/ranking_detail.html",
        {
            "ranking": ranking,
            "page": page,
            "rows": rows,
            "sort": sort,
            "periods": history["periods"],
            "weights": selectors.indicator_rows(
                [{"indicator": code, "weight": weight} for code, weight in ranking.weights.items()]
            ),
            "may_publish": has_role(request.user, ADMIN_ROLES) and not ranking.is_published,
        },
    )


@login_required
def entry_export(request, pk):
    ranking, _sort, entries = _sorted_entries(request, pk)
    headers = [_("Rank"), _("Subject"), _("subject type"), _("Score"), _("Indicators without data")]
    return list_export(
        name=_("ranking"),
        records=entries,
        headers=headers,
        row=lambda e: [e.rank, e.subject_name, e.get_subject_type_display(), e.score, len(e.missing)],
        qualifier=f"{ranking.county.name}-{ranking.get_kind_display()}-{ranking.period}",
    )


@login_required
@require_POST
def ranking_publish(request, pk):
    ranking = get_for(request.user, Ranking, pk=pk)
    try:
        services.ranking_publish(actor=request.user, ranking=ranking)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The ranking is published."))
    return redirect("rankings:ranking_detail", pk=ranking.pk)


@login_required
def entry_detail(request, pk, subject_id):
    ranking = get_for(request.user, selectors.ranking_list(user=request.user), pk=pk)
    entry = get_for(request.user, RankingEntry.objects.filter(ranking=ranking), subject_id=subject_id)
    return render(
        request,
        "rankings/entry_detail.html",
        {"ranking": ranking, "entry": entry, "rows": selectors.indicator_rows(entry.breakdown)},
    )


def _escalation_filter(request) -> EscalationFilter:
    return EscalationFilter(
        request.GET or None, queryset=selectors.escalation_list(user=request.user), request=request
    )


@login_required
def escalation_list(request):
    filterset = _escalation_filter(request)
    return render(
        request,
        "rankings/escalation_list.html",
        {
            "page": _page(request, filterset.qs),
            "filter": filterset,
            "may_record": has_role(request.user, ADMIN_ROLES),
        },
    )


@login_required
def escalation_export(request):
    headers = [
        _("Month"),
        _("Subject"),
        _("subject type"),
        _("Rank"),
        _("Level"),
        _("Consecutive months"),
        _("date of the talk"),
        _("talk held by"),
        _("notes of the talk"),
    ]
    return list_export(
        name=_("Escalation ledger"),
        records=_escalation_filter(request).qs,
        headers=headers,
        row=lambda e: [
            e.ranking.period,
            e.subject_name,
            e.get_subject_type_display(),
            e.rank,
            e.get_level_display(),
            e.consecutive,
            e.talk_date,
            e.talk_by,
            e.talk_notes,
        ],
    )


@login_required
def escalation_talk(request, pk):
    escalation = get_for(request.user, Escalation.objects.select_related("ranking"), pk=pk)
    if not has_role(request.user, ADMIN_ROLES):
        raise PermissionDenied(_("Your role may not make this change."))
    initial = {
        "talk_date": escalation.talk_date,
        "talk_by": escalation.talk_by,
        "talk_notes": escalation.talk_notes,
    }
    form = TalkForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        run_service(
            form,
            services.escalation_record_talk,
            actor=request.user,
            escalation=escalation,
            **form.cleaned_data,
        )
        if not form.errors:
            messages.success(request, _("The talk is recorded."))
            return redirect("rankings:escalation_list")
    return render(request, "rankings/escalation_talk.html", {"escalation": escalation, "form": form})


def _candidate_filter(request) -> WeakCandidateFilter:
    return WeakCandidateFilter(
        request.GET or None, queryset=selectors.candidate_list(user=request.user), request=request
    )


@login_required
def candidate_list(request):
    filterset = _candidate_filter(request)
    return render(
        request,
        "rankings/candidate_list.html",
        {
            "page": _page(request, filterset.qs),
            "filter": filterset,
            "may_confirm": has_role(request.user, ADMIN_ROLES),
            "form": ConfirmForm(),
        },
    )


@login_required
def candidate_export(request):
    headers = [_("Year"), _("Party organisation"), _("Township"), _("Worst rank"), _("Reasons"), _("Status")]
    return list_export(
        name=_("Weak-and-lax candidates"),
        records=_candidate_filter(request).qs,
        headers=headers,
        row=lambda c: [
            c.year,
            c.organisation.name,
            c.organisation.township.name,
            c.worst_rank,
            "；".join(reason["text"] for reason in c.reasons),
            c.get_status_display(),
        ],
    )


@login_required
@require_POST
def candidate_confirm(request, pk):
    candidate = get_for(request.user, WeakCandidate, pk=pk)
    form = ConfirmForm(request.POST)
    form.is_valid()
    try:
        services.candidate_confirm(
            actor=request.user, candidate=candidate, reason=form.cleaned_data.get("reason", "")
        )
    except ValidationError as exc:
        add_service_errors(form, exc)
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, _("Confirmed as weak and lax: the rating and its rectification case are recorded.")
        )
    return redirect(reverse("rankings:candidate_list") + f"?year={candidate.year}")


@login_required
def rectification_lists(request):
    county = None
    if request.GET.get("county"):
        county = get_for(request.user, County, pk=request.GET["county"])
    lists = selectors.rectification_lists(user=request.user, county=county)
    if request.GET.get("export") in ("overdue", "reserves", "income"):
        return _export(request.GET["export"], lists)
    return render(
        request,
        "rankings/rectification_lists.html",
        {"lists": lists, "county": county, "counties": _counties(request.user)},
    )


def _export(which: str, lists: dict):
    if which == "overdue":
        return xlsx_response(
            filename=f"overdue-rectifications-{lists['on']}.xlsx",
            title=_("Rectification cases past their deadline"),
            headers=[_("Party organisation"), _("Township"), _("Year"), _("Deadline"), _("Status")],
            rows=(
                (
                    c.organisation.name,
                    c.organisation.township.name,
                    c.year,
                    c.deadline,
                    c.get_status_display(),
                )
                for c in lists["overdue_rectifications"]
            ),
        )
    if which == "reserves":
        return xlsx_response(
            filename=f"villages-short-of-reserves-{lists['on']}.xlsx",
            title=_("Villages short of reserve cadres"),
            headers=[_("Code"), _("Village"), _("Township"), _("Reserve cadres"), _("Required")],
            rows=(
                (v.code, v.name, v.township.name, v.reserve_count, v.reserves_required)
                for v in lists["short_of_reserves"]
            ),
            text_columns=(0,),
        )
    return xlsx_response(
        filename=f"villages-below-income-line-{lists['year']}.xlsx",
        title=_("Villages below the collective-income line"),
        headers=[_("Code"), _("Village"), _("Township"), _("Year")],
        rows=((v.code, v.name, v.township.name, lists["year"]) for v in lists["below_income_line"]),
        text_columns=(0,),
    )


@login_required
def configuration_list(request):
    configurations = selectors.configuration_list(user=request.user)
    return render(
        request,
        "rankings/configuration_list.html",
        {
            "page": _page(request, configurations),
            "may_edit": has_role(request.user, ADMIN_ROLES),
            "kinds": RankingKind.choices,
        },
    )


@login_required
def configuration_export(request):
    headers = [_("County"), _("Kind"), _("Valid from"), _("Weights"), _("Bottom N"), _("Note")]
    return list_export(
        name=_("Ranking weights"),
        records=selectors.configuration_list(user=request.user),
        headers=headers,
        row=lambda c: [
            c.county.name,
            c.get_kind_display(),
            c.valid_from,
            ", ".join(f"{code}: {weight}" for code, weight in c.weights.items()),
            c.bottom_n,
            c.note,
        ],
    )


@login_required
def configuration_create(request, kind):
    if kind not in RankingKind.values:
        raise Http404
    if not has_role(request.user, ADMIN_ROLES):
        raise PermissionDenied(_("Your role may not make this change."))
    form = ConfigurationForm(posted(request), counties=_counties(request.user), kind=kind)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        created = run_service(
            form,
            services.configuration_create,
            actor=request.user,
            county=data["county"],
            kind=kind,
            valid_from=data["valid_from"],
            weights=form.weights(),
            bottom_n=data["bottom_n"],
            note=data["note"],
        )
        if created:
            messages.success(request, _("The configuration is saved."))
            return redirect("rankings:configuration_list")
    return render(
        request,
        "rankings/configuration_form.html",
        {"form": form, "kind_label": RankingKind(kind).label},
    )
