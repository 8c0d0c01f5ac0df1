"""Pages for work teams, members, the monthly duty grid, allowances and first secretaries."""

import contextlib
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from apps.core.exports import list_export, yes_no
from apps.core.forms import posted, run_service
from apps.core.idnumbers import shown_to
from apps.core.periods import Month
from apps.core.scoping import get_for
from apps.villages import selectors as region_selectors

from .. import selectors, services
from ..filters import WorkTeamFilter
from ..forms import EvaluationForm, MemberEndForm, WorkTeamForm, WorkTeamMemberForm
from ..models import DutyLog, MemberRole, WorkTeam, WorkTeamMember
from ._common import page_of, permissions, render_form, require, styled_filter

FIRST_SECRETARY_YEARS = 6


def _team(request, pk) -> WorkTeam:
    return get_for(request.user, selectors.work_team_list(user=request.user), pk=pk)


def _member(request, pk) -> WorkTeamMember:
    return get_for(request.user, selectors.team_member_list(user=request.user), pk=pk)


def _month(text: str | None, default: Month | None = None) -> Month:
    if not text and default is not None:
        return default
    try:
        return Month.parse(text)
    except ValidationError as exc:
        raise Http404(_("No such month.")) from exc


# Teams


def _filtered_teams(request):
    """The filter and the filtered, sorted teams the list page and its export share."""
    filterset = styled_filter(
        WorkTeamFilter(request.GET or None, queryset=selectors.work_team_list(user=request.user)),
        user=request.user,
        hidden=("village",),
    )
    # Teams on duty today first, then the earlier ones, newest first.
    teams = filterset.qs.order_by(
        "-is_active", "-start_date", "village__township__code", "village__code", "pk"
    )
    return filterset, teams


@login_required
def team_list(request):
    filterset, teams = _filtered_teams(request)
    context = {
        "filter": filterset,
        "page": page_of(request, teams),
        "may": permissions(request.user),
        "this_month": Month.of(timezone.localdate()),
    }
    return render(request, "assistance/team_list.html", context)


@login_required
def team_export(request):
    _filterset, teams = _filtered_teams(request)
    headers = [
        _("village code"),
        _("village"),
        _("township"),
        _("start date"),
        _("end date"),
        _("First secretary"),
        _("On duty today"),
        _("Members today"),
        _("From county level or higher"),
        _("Fewer members from county-level or higher units than required"),
    ]
    return list_export(
        name=_("work teams"),
        records=teams,
        headers=headers,
        row=lambda team: [
            team.village.code,
            team.village.name,
            team.village.township.name,
            team.start_date,
            team.end_date,
            team.first_secretary_name or "",
            yes_no(team.is_active),
            team.current_members if team.is_active else None,
            team.county_plus_members if team.is_active else None,
            yes_no(team.short_of_county_plus),
        ],
        text_columns=[0],
    )


def _village_choices(request):
    return region_selectors.village_list(user=request.user, include_retired=False)


@login_required
def team_create(request):
    require(permissions(request.user)["enter"])
    form = WorkTeamForm(posted(request), choices={"village": _village_choices(request)})
    if form.is_valid() and (
        team := run_service(form, services.work_team_create, actor=request.user, **form.cleaned_data)
    ):
        messages.success(request, _("The work team was created."))
        return redirect("assistance:workteam_detail", pk=team.pk)
    back = reverse("assistance:team_list")
    return render_form(
        request, form, title=_("New work team"), back=back, breadcrumbs=[(_("Work teams"), back)]
    )


@login_required
def team_detail(request, pk):
    team = _team(request, pk)
    members = (
        selectors.team_member_list(user=request.user)
        .filter(team=team)
        .order_by("-end_date", "role", "start_date")
    )
    today = timezone.localdate()
    this_month = Month.of(today)
    context = {
        "team": team,
        "members": members,
        "may": permissions(request.user),
        "months": [this_month, this_month.previous(), this_month.previous().previous()],
        "checks": selectors.spot_check_list(user=request.user).filter(team=team).order_by("-draw__quarter"),
        "today": today,
    }
    return render(request, "assistance/team_detail.html", context)


@login_required
def team_update(request, pk):
    team = _team(request, pk)
    require(permissions(request.user)["enter"])
    form = WorkTeamForm(posted(request), instance=team, choices={"village": _village_choices(request)})
    if form.is_valid() and run_service(
        form, services.work_team_update, actor=request.user, team=team, **form.cleaned_data
    ):
        messages.success(request, _("The work team was saved."))
        return redirect("assistance:workteam_detail", pk=team.pk)
    back = reverse("assistance:workteam_detail", args=[team.pk])
    return render_form(request, form, title=_("Edit work team"), back=back, breadcrumbs=[(str(team), back)])


# Members


@login_required
def member_create(request, pk):
    team = _team(request, pk)
    require(permissions(request.user)["enter"])
    form = WorkTeamMemberForm(posted(request))
    if form.is_valid() and (
        member := run_service(
            form, services.team_member_create, actor=request.user, team=team, **form.cleaned_data
        )
    ):
        messages.success(request, _("%(name)s was added to the team.") % {"name": member.name})
        return redirect("assistance:workteam_detail", pk=team.pk)
    back = reverse("assistance:workteam_detail", args=[team.pk])
    return render_form(request, form, title=_("New team member"), back=back, breadcrumbs=[(str(team), back)])


@login_required
def member_detail(request, pk):
    member = _member(request, pk)
    month = _month(request.GET.get("month"), Month.of(timezone.localdate()))
    duty = [row for row in selectors.member_duty_by_month(member, months=12) if row["assigned_days"]]
    context = {
        "member": member,
        "month": month,
        "allowance": selectors.member_allowance(member, month),
        "duty": duty,
        "evaluations": member.evaluations.order_by("-year"),
        "may": permissions(request.user),
    }
    return render(request, "assistance/member_detail.html", context)


@login_required
def member_update(request, pk):
    member = _member(request, pk)
    require(permissions(request.user)["enter"])
    form = WorkTeamMemberForm(posted(request), instance=member)
    if form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if not (k == "id_number" and not v)}
        if run_service(form, services.team_member_update, actor=request.user, member=member, **fields):
            messages.success(request, _("%(name)s was saved.") % {"name": member.name})
            return redirect("assistance:workteammember_detail", pk=member.pk)
    back = reverse("assistance:workteammember_detail", args=[member.pk])
    return render_form(
        request, form, title=_("Edit team member"), back=back, breadcrumbs=[(member.name, back)]
    )


@login_required
def member_end(request, pk):
    member = _member(request, pk)
    require(permissions(request.user)["enter"])
    form = MemberEndForm(posted(request), initial={"end_date": timezone.localdate(), "reason": "term_end"})
    if form.is_valid() and run_service(
        form,
        services.team_member_end,
        actor=request.user,
        member=member,
        end_date=form.cleaned_data["end_date"],
        reason=form.cleaned_data["reason"],
    ):
        messages.success(request, _("The assignment of %(name)s was ended.") % {"name": member.name})
        return redirect("assistance:workteam_detail", pk=member.team_id)
    back = reverse("assistance:workteammember_detail", args=[member.pk])
    return render_form(
        request, form, title=_("End the assignment"), back=back, breadcrumbs=[(member.name, back)]
    )


@login_required
def evaluation_create(request, pk):
    member = _member(request, pk)
    require(permissions(request.user)["county"])
    form = EvaluationForm(posted(request), initial={"year": timezone.localdate().year - 1})
    if form.is_valid() and run_service(
        form, services.evaluation_create, actor=request.user, member=member, **form.cleaned_data
    ):
        messages.success(request, _("The evaluation was saved."))
        return redirect("assistance:workteammember_detail", pk=member.pk)
    back = reverse("assistance:workteammember_detail", args=[member.pk])
    return render_form(
        request, form, title=_("Annual evaluation"), back=back, breadcrumbs=[(member.name, back)]
    )


# The month grid


def _grid(team, month, members, posted_cells=None):
    """Rows of (member, [(day, cell name, loggable, ticked, logged)]) for the month grid.

    ``ticked`` is what was posted (when redisplaying a refused month) or the stored log's on_duty.
    """
    cells = services.month_cells(team, month, members)
    logs = {
        (log.member_id, log.date): log.on_duty
        for log in DutyLog.objects.filter(member__in=members, date__range=(month.first, month.last))
    }
    rows = []
    for member in members:
        row = []
        for day in month.days:
            name = f"d-{member.pk}-{day.day}"
            loggable = (member.pk, day) in cells
            ticked = name in posted_cells if posted_cells is not None else bool(logs.get((member.pk, day)))
            row.append((day, name, loggable, ticked, (member.pk, day) in logs))
        rows.append((member, row))
    return rows


@login_required
def duty_month(request, pk, month):
    """A whole month of a team's duty on one grid; saving stores every day or none."""
    team = _team(request, pk)
    month = _month(month)
    may = permissions(request.user)
    members = list(
        WorkTeamMember.objects.filter(team=team)
        .filter(start_date__lte=month.last)
        .exclude(end_date__lt=month.first)
        .order_by("role", "start_date", "pk")
    )
    errors = []
    posted_cells = None
    if request.method == "POST":
        require(may["enter"])
        posted_cells = {key for key in request.POST if key.startswith("d-")}
        # Every loggable cell is an entry (ticked: on duty, not ticked: off duty) plus anything posted
        # for a cell that cannot take a log, which the service refuses with the whole month.
        cells = services.month_cells(team, month, members)
        entries = dict.fromkeys(cells, False)
        for key in posted_cells:
            try:
                _prefix, member_id, day = key.split("-")
                entries[(int(member_id), month.first.replace(day=int(day)))] = True
            except ValueError:
                errors.append(_("The grid was sent in an unknown shape."))
        if not errors:
            try:
                result = services.duty_month_save(
                    actor=request.user,
                    team=team,
                    month=month,
                    entries=[(member_id, day, on) for (member_id, day), on in entries.items()],
                )
            except ValidationError as exc:
                errors = exc.message_dict.get("entries", exc.messages)
            else:
                messages.success(
                    request,
                    _("The duty of %(month)s was saved: %(created)d new days, %(updated)d changed.")
                    % {"month": month, **result},
                )
                return redirect("assistance:duty_month", pk=team.pk, month=str(month))
    rows = _grid(team, month, members, posted_cells if errors else None)
    context = {
        "team": team,
        "month": month,
        "days": month.days,
        "rows": rows,
        "errors": errors,
        "may": may,
        "previous": month.previous(),
        "next": month.next() if month.next().first <= timezone.localdate() else None,
    }
    return render(request, "assistance/duty_month.html", context, status=400 if errors else 200)


# Allowances


def _allowance_rows(request):
    month = _month(request.GET.get("month"), Month.of(timezone.localdate()).previous())
    region = {}
    for name, lister in (
        ("county", region_selectors.county_list),
        ("township", region_selectors.township_list),
    ):
        value = request.GET.get(name)
        if value:
            region[name] = get_for(request.user, lister(user=request.user), pk=value)
    return month, region, selectors.allowance_sheet(user=request.user, month=month, **region)


@login_required
def allowance_sheet(request):
    month, region, rows = _allowance_rows(request)
    totals = {
        name: sum((getattr(row.allowance, name) for row in rows), Decimal("0.00"))
        for name in ("living", "communication", "total")
    }
    context = {
        "month": month,
        "rows": rows,
        "totals": totals,
        "region": region,
        "counties": region_selectors.county_list(user=request.user),
        "townships": region_selectors.township_list(user=request.user),
    }
    return render(request, "assistance/allowance_sheet.html", context)


@login_required
def allowance_export(request):
    month, _region, rows = _allowance_rows(request)
    headers = [
        capfirst(_("township")),
        capfirst(_("village")),
        capfirst(_("name")),
        capfirst(_("ID number")),
        capfirst(_("role in the team")),
        capfirst(_("dispatching unit")),
        _("Days assigned"),
        _("Days on duty"),
        _("Living allowance"),
        _("Communication allowance"),
        _("Total"),
    ]

    def line(row):
        member, allowance = row.member, row.allowance
        return [
            member.team.village.township.name,
            member.team.village.name,
            member.name,
            shown_to(request.user, member.id_number, record=member),
            member.get_role_display(),
            member.unit_name,
            allowance.assigned_days,
            allowance.on_duty_days,
            allowance.living,
            allowance.communication,
            allowance.total,
        ]

    return list_export(
        name=_("allowances"), records=rows, headers=headers, row=line, text_columns=[3], qualifier=month
    )


# First secretaries


def _first_secretaries(request):
    """The years shown (the last few up to ``to``) and the first secretaries serving in them."""
    last = timezone.localdate().year
    with contextlib.suppress(ValueError):
        last = int(request.GET.get("to") or last)
    years = list(range(last - FIRST_SECRETARY_YEARS + 1, last + 1))
    secretaries = (
        selectors.first_secretary_grades(user=request.user, years=years)
        .filter(start_date__lte=f"{years[-1]}-12-31")
        .exclude(end_date__lt=f"{years[0]}-01-01")
        .order_by("team__village__township__code", "team__village__code", "start_date")
    )
    return years, secretaries


def _grades(member, years) -> list:
    """The member's evaluation in each of ``years`` (None where there is none)."""
    return [next((e for e in member.year_evaluations if e.year == year), None) for year in years]


@login_required
def first_secretaries(request):
    """Every first secretary in scope with their grades across the last years."""
    years, secretaries = _first_secretaries(request)
    page = page_of(request, secretaries)
    rows = [(member, _grades(member, years)) for member in page.object_list]
    return render(
        request,
        "assistance/first_secretaries.html",
        {"page": page, "rows": rows, "years": years, "role": MemberRole.FIRST_SECRETARY},
    )


@login_required
def first_secretary_export(request):
    years, secretaries = _first_secretaries(request)
    headers = [
        _("village code"),
        _("village"),
        _("township"),
        _("name"),
        _("dispatching unit"),
        _("start date"),
        _("end date"),
        *(str(year) for year in years),
    ]

    def row(member):
        return [
            member.team.village.code,
            member.team.village.name,
            member.team.village.township.name,
            member.name,
            member.unit_name,
            member.start_date,
            member.end_date,
            *(evaluation.get_grade_display() if evaluation else "" for evaluation in _grades(member, years)),
        ]

    return list_export(
        name=_("First secretaries"),
        records=secretaries,
        headers=headers,
        row=row,
        text_columns=[0],
        qualifier=f"{years[0]}-{years[-1]}",
    )
