"""Work teams, their members' assignments and the first-secretary rule."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Min, Q
from django.utils.translation import gettext as _

from ..models import AssignmentEndReason, DutyLog, MemberRole, WorkTeam, WorkTeamMember
from ._common import apply, ensure_data_entry, ensure_in_scope, ensure_village_open, save

TEAM_FIELDS = ("village", "start_date", "end_date", "lead_unit", "note")
MEMBER_FIELDS = (
    "name",
    "id_number",
    "unit_name",
    "unit_type",
    "unit_level",
    "role",
    "start_date",
    "end_date",
    "end_reason",
)


def _overlapping(queryset, start: datetime.date, end: datetime.date | None):
    """Assignments in ``queryset`` that share at least one day with ``start``–``end``."""
    queryset = queryset.filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
    return queryset if end is None else queryset.filter(start_date__lte=end)


def _check_dates(start, end, *, field: str = "end_date") -> None:
    if start and end and end < start:
        raise ValidationError({field: _("The end date cannot be before the start date.")})


@transaction.atomic
def work_team_create(
    *,
    actor,
    village,
    start_date: datetime.date,
    end_date: datetime.date | None = None,
    lead_unit: str = "",
    note: str = "",
) -> WorkTeam:
    ensure_data_entry(actor)
    ensure_village_open(actor, village)
    _check_dates(start_date, end_date)
    return save(
        WorkTeam(village=village, start_date=start_date, end_date=end_date, lead_unit=lead_unit, note=note)
    )


@transaction.atomic
def work_team_update(*, actor, team: WorkTeam, **fields) -> WorkTeam:
    ensure_data_entry(actor)
    ensure_in_scope(actor, team)
    team = WorkTeam.objects.select_for_update().get(pk=team.pk)
    village = fields.get("village")
    if village is not None and village.pk != team.village_id:
        if team.members.exists():
            raise ValidationError({"village": _("A team with members cannot move to another village.")})
        ensure_village_open(actor, village)
    apply(team, fields, TEAM_FIELDS)
    _check_dates(team.start_date, team.end_date)
    span = team.members.aggregate(first=Min("start_date"), open=Max("pk", filter=Q(end_date__isnull=True)))
    last_end = team.members.aggregate(last=Max("end_date"))["last"]
    if span["first"] and span["first"] < team.start_date:
        raise ValidationError(
            {"start_date": _("A member's assignment starts before this date; change the assignment first.")}
        )
    if team.end_date and ((last_end and last_end > team.end_date) or span["open"]):
        raise ValidationError(
            {"end_date": _("A member's assignment runs past this date; end the assignment first.")}
        )
    return save(team)


def _check_assignment(member: WorkTeamMember, team: WorkTeam) -> None:
    """Dates inside the team's period, one first secretary at a time, one team per person at a time."""
    _check_dates(member.start_date, member.end_date)
    if member.start_date and member.start_date < team.start_date:
        raise ValidationError({"start_date": _("The assignment cannot start before the team does.")})
    if team.end_date and (member.end_date is None or member.end_date > team.end_date):
        raise ValidationError({"end_date": _("The assignment must end by the team's end date.")})
    others = WorkTeamMember.objects.exclude(pk=member.pk)
    if (
        member.role == MemberRole.FIRST_SECRETARY
        and _overlapping(
            others.filter(team=team, role=MemberRole.FIRST_SECRETARY), member.start_date, member.end_date
        ).exists()
    ):
        raise ValidationError({"role": _("The team already has a first secretary in this period.")})
    if (
        member.id_number
        and _overlapping(
            others.filter(id_number=member.id_number), member.start_date, member.end_date
        ).exists()
    ):
        raise ValidationError({"id_number": _("This person is already assigned to a team in this period.")})


def _check_duty_logs_inside(member: WorkTeamMember) -> None:
    """Shortening an assignment may not strand duty logs outside it."""
    if member.pk is None:
        return
    span = DutyLog.objects.filter(member=member).aggregate(first=Min("date"), last=Max("date"))
    if span["first"] and span["first"] < member.start_date:
        raise ValidationError({"start_date": _("There are duty logs before this date.")})
    if span["last"] and member.end_date and span["last"] > member.end_date:
        raise ValidationError({"end_date": _("There are duty logs after this date.")})


@transaction.atomic
def team_member_create(*, actor, team: WorkTeam, **fields) -> WorkTeamMember:
    ensure_data_entry(actor)
    ensure_village_open(actor, team.village, field="team")
    # Serialises concurrent changes to one team, so the first-secretary check cannot race.
    team = WorkTeam.objects.select_for_update().get(pk=team.pk)
    member = apply(WorkTeamMember(team=team), fields, MEMBER_FIELDS)
    _check_assignment(member, team)
    return save(member)


@transaction.atomic
def team_member_update(*, actor, member: WorkTeamMember, **fields) -> WorkTeamMember:
    ensure_data_entry(actor)
    ensure_in_scope(actor, member)
    new_team = fields.pop("team", None)
    if new_team is not None and new_team.pk != member.team_id:
        raise ValidationError(
            {"team": _("An assignment cannot move to another team; end it and add a new one.")}
        )
    team = WorkTeam.objects.select_for_update().get(pk=member.team_id)
    member = apply(WorkTeamMember.objects.get(pk=member.pk), fields, MEMBER_FIELDS)
    if member.end_date is None:
        member.end_reason = ""
    _check_assignment(member, team)
    _check_duty_logs_inside(member)
    return save(member)


@transaction.atomic
def team_member_end(
    *, actor, member: WorkTeamMember, end_date: datetime.date, reason: str = AssignmentEndReason.TERM_END
) -> WorkTeamMember:
    """End an assignment (term end, transfer, recall); duty logs after ``end_date`` block it."""
    ensure_data_entry(actor)
    ensure_in_scope(actor, member)
    member = WorkTeamMember.objects.select_for_update().get(pk=member.pk)
    if member.end_date is not None and member.end_date < end_date:
        raise ValidationError({"end_date": _("This assignment already ended earlier.")})
    if end_date < member.start_date:
        raise ValidationError({"end_date": _("The end date cannot be before the start date.")})
    if reason not in AssignmentEndReason.values:
        raise ValidationError({"reason": _("Choose a valid reason.")})
    member.end_date, member.end_reason = end_date, reason
    _check_duty_logs_inside(member)
    return save(member)
