"""Excel imports of work teams with their members, and of duty logs as a month grid per member.

A work team has no name: it is the team stationed in a village from a start date, so that pair is
its natural key, and a member row names its team the same way (or by the village alone when one
team covers the member's start date). Duty is one row per member and month with a column per day;
each row goes through ``duty_month_save``, the service the month grid of the web page uses.
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.imports.cells import clean_text
from apps.core.imports.spec import Column, ColumnType, ImportKind, Outcome, SheetSpec, register, upsert
from apps.core.periods import Month
from apps.core.scoping import scope_for

from ..models import AssignmentEndReason, DutyLog, MemberRole, UnitLevel, UnitType, WorkTeam, WorkTeamMember
from ..selectors import team_member_list
from ..services import (
    duty_month_save,
    month_cells,
    team_member_create,
    team_member_update,
    work_team_create,
    work_team_update,
)

TEAM_FIELDS = ("end_date", "lead_unit", "note")
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
DAYS = range(1, 32)
# What people type for a month besides 2025-03 (Excel may also turn it into a date: see _month).
MONTH_TEXT = re.compile(r"^(\d{4})\s*(?:[-/.年]\s*(\d{1,2})\s*月?|(\d{2}))$")
EXAMPLE_ID_NUMBER = "511903198503120035"
EXAMPLE_START = datetime.date(2024, 1, 1)
EXAMPLE_END = datetime.date(2025, 12, 31)


def day_field(day: int) -> str:
    return f"day_{day}"


# Work teams and members


def save_team(ctx, row) -> Outcome:
    village = ctx.village(row)
    start_date = row.get("start_date")
    fields = row.present(*TEAM_FIELDS)
    existing = (
        scope_for(ctx.actor, WorkTeam.objects.filter(village=village, start_date=start_date))
        .order_by("pk")
        .first()
    )
    return upsert(
        existing,
        fields,
        create=lambda: work_team_create(actor=ctx.actor, village=village, start_date=start_date, **fields),
        update=lambda: work_team_update(actor=ctx.actor, team=existing, **fields),
    )


def _teams_by_village(ctx) -> dict[int, list[WorkTeam]]:
    """The teams of the uploader's region per village id, read once: the teams sheet is saved by now."""
    if "work_teams" not in ctx.cache:
        teams = defaultdict(list)
        for team in scope_for(ctx.actor, WorkTeam.objects.select_related("village")).order_by("start_date"):
            teams[team.village_id].append(team)
        ctx.cache["work_teams"] = teams
    return ctx.cache["work_teams"]


def _team_of(ctx, row) -> WorkTeam:
    """The member row's team: by village and team start date, or the one team covering the start date."""
    village = ctx.village(row)
    teams = _teams_by_village(ctx)[village.pk]
    team_start = row.get("team_start_date")
    if team_start is not None:
        matches = [team for team in teams if team.start_date == team_start]
        if not matches:
            raise ValidationError(
                {
                    "team_start_date": _("%(village)s has no work team that started on %(date)s.")
                    % {"village": village.name, "date": team_start}
                }
            )
        return matches[0]
    start = row.get("start_date")
    matches = [
        team
        for team in teams
        if team.start_date <= start and (team.end_date is None or team.end_date >= start)
    ]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        message = _("%(village)s has no work team on %(date)s: add the team on the work teams sheet.")
    else:
        message = _("Several work teams of %(village)s cover %(date)s: give the team's start date.")
    raise ValidationError({"team_start_date": message % {"village": village.name, "date": start}})


def save_member(ctx, row) -> Outcome:
    team = _team_of(ctx, row)
    fields = row.present(*MEMBER_FIELDS)
    existing = team.members.filter(id_number=fields["id_number"]).order_by("-start_date", "-pk").first()
    return upsert(
        existing,
        fields,
        create=lambda: team_member_create(actor=ctx.actor, team=team, **fields),
        update=lambda: team_member_update(actor=ctx.actor, member=existing, **fields),
    )


register(
    ImportKind(
        name="work_teams",
        label=gettext_lazy("work teams and members"),
        models=(WorkTeam, WorkTeamMember),
        sheets=(
            SheetSpec(
                title=gettext_lazy("work teams"),
                key=("village", "start_date"),
                upsert_rule=gettext_lazy(
                    "One row per team: a team of the same village with the same start date is updated "
                    "(blank cells keep their value), otherwise a team is created."
                ),
                save=save_team,
                columns=(
                    Column("village", gettext_lazy("village"), ColumnType.VILLAGE, required=True, width=18),
                    Column(
                        "start_date",
                        gettext_lazy("start date"),
                        ColumnType.DATE,
                        required=True,
                        example=EXAMPLE_START,
                        width=12,
                    ),
                    Column("end_date", gettext_lazy("end date"), ColumnType.DATE, width=12),
                    Column(
                        "lead_unit",
                        gettext_lazy("leading dispatching unit"),
                        example="恩阳区财政局",
                        width=22,
                    ),
                    Column("note", gettext_lazy("note"), width=30),
                ),
            ),
            SheetSpec(
                title=gettext_lazy("work team members"),
                key=("village", "team_start_date", "id_number"),
                upsert_rule=gettext_lazy(
                    "One row per assignment: the same ID number in the same team (village and team start "
                    "date) updates that assignment (the latest, if the person was assigned twice; blank "
                    "cells keep their value), otherwise an assignment is created. Teams of the first sheet "
                    "are saved first, so a new team's members can follow in the same file."
                ),
                save=save_member,
                columns=(
                    Column("village", gettext_lazy("village"), ColumnType.VILLAGE, required=True, width=18),
                    Column(
                        "team_start_date",
                        gettext_lazy("team start date"),
                        ColumnType.DATE,
                        help=gettext_lazy(
                            "Leave blank when one team of the village covers the assignment's start date."
                        ),
                        example=EXAMPLE_START,
                        width=12,
                    ),
                    Column("name", gettext_lazy("full name"), required=True, example="李明", width=10),
                    Column(
                        "id_number",
                        gettext_lazy("ID number"),
                        ColumnType.ID_NUMBER,
                        required=True,
                        example=EXAMPLE_ID_NUMBER,
                        width=22,
                    ),
                    Column(
                        "unit_name",
                        gettext_lazy("dispatching unit"),
                        required=True,
                        example="恩阳区财政局",
                        width=22,
                    ),
                    Column(
                        "unit_type",
                        gettext_lazy("unit type"),
                        ColumnType.CHOICE,
                        required=True,
                        choices=UnitType.choices,
                        width=18,
                    ),
                    Column(
                        "unit_level",
                        gettext_lazy("unit level"),
                        ColumnType.CHOICE,
                        required=True,
                        choices=UnitLevel.choices,
                        width=16,
                    ),
                    Column(
                        "role",
                        gettext_lazy("role in the team"),
                        ColumnType.CHOICE,
                        choices=MemberRole.choices,
                        help=gettext_lazy("Blank: team member for a new assignment."),
                        width=12,
                    ),
                    Column(
                        "start_date",
                        gettext_lazy("start date"),
                        ColumnType.DATE,
                        required=True,
                        example=EXAMPLE_START,
                        width=12,
                    ),
                    Column(
                        "end_date", gettext_lazy("end date"), ColumnType.DATE, example=EXAMPLE_END, width=12
                    ),
                    Column(
                        "end_reason",
                        gettext_lazy("reason the assignment ended"),
                        ColumnType.CHOICE,
                        choices=AssignmentEndReason.choices,
                        help=gettext_lazy("Only with an end date."),
                        width=14,
                    ),
                ),
            ),
        ),
    )
)


# Duty logs


def _month(row) -> Month:
    """The row's month from 2025-03, 2025/3, 2025年3月 or 202503, or from a date Excel made of it."""
    raw = row.raw.get("month")
    if isinstance(raw, datetime.date):
        return Month.of(raw)
    match = MONTH_TEXT.match(clean_text(raw))
    if match is None:
        return Month.parse(clean_text(raw))  # refuses it, naming the expected format
    year, month = match[1], match[2] or match[3]
    return Month.parse(f"{year}-{int(month):02d}")


def _members_by_id_number(ctx) -> dict[str, list[WorkTeamMember]]:
    """Every assignment in the uploader's region by ID number, read once per import."""
    if "members_by_id_number" not in ctx.cache:
        members = defaultdict(list)
        for member in team_member_list(user=ctx.actor):
            members[member.id_number].append(member)
        ctx.cache["members_by_id_number"] = members
    return ctx.cache["members_by_id_number"]


def _assignments_in(ctx, row, month: Month) -> list[WorkTeamMember]:
    """The assignments of the row's person that share a day with ``month`` (one, but for a move)."""
    assignments = _members_by_id_number(ctx).get(row.values["id_number"], [])
    if not assignments:
        raise ValidationError({"id_number": _("No work-team member with this ID number in your region.")})
    overlapping = [
        member
        for member in assignments
        if member.start_date <= month.last and (member.end_date is None or member.end_date >= month.first)
    ]
    if not overlapping:
        raise ValidationError(
            {
                "month": _("%(name)s is not assigned to a work team in %(month)s.")
                % {"name": assignments[0].name, "month": month}
            }
        )
    name = row.get("name")
    if name is not None and all(member.name != name for member in overlapping):
        raise ValidationError(
            {
                "name": _("This ID number belongs to %(name)s.") % {"name": overlapping[0].name},
            }
        )
    return overlapping


def _entries(row, month: Month, assignments: list[WorkTeamMember]) -> dict[WorkTeam, list[tuple]]:
    """The row's filled days as ``duty_month_save`` entries per team; days that cannot hold a log are
    refused at their own column (the service checks them again, without knowing the column)."""
    loggable = {}
    for member in assignments:
        for _member_id, day in month_cells(member.team, month, [member]):
            loggable[day] = member
    by_team, errors = defaultdict(list), {}
    for number in DAYS:
        on_duty = row.values.get(day_field(number))
        if on_duty is None:
            continue
        if number > month.last.day:
            errors[day_field(number)] = _("%(month)s has no day %(day)d.") % {"month": month, "day": number}
            continue
        day = datetime.date(month.year, month.month, number)
        member = loggable.get(day)
        if member is None:
            errors[day_field(number)] = (
                _("%(date)s is in the future.") % {"date": day}
                if day > timezone.localdate()
                else _("%(date)s is outside %(name)s's assignment.")
                % {"date": day, "name": assignments[0].name}
            )
            continue
        by_team[member.team].append((member.pk, day, on_duty))
    if errors:
        raise ValidationError(errors)
    return by_team


def save_duty_month(ctx, row) -> Outcome:
    month = _month(row)
    assignments = _assignments_in(ctx, row, month)
    by_team = _entries(row, month, assignments)
    created = updated = 0
    for team, entries in by_team.items():
        result = duty_month_save(actor=ctx.actor, team=team, month=month, entries=entries)
        created, updated = created + result["created"], updated + result["updated"]
    filled = sum(len(entries) for entries in by_team.values())
    if filled and created == filled:
        return Outcome.CREATED
    return Outcome.UPDATED if created or updated else Outcome.UNCHANGED


register(
    ImportKind(
        name="duty_logs",
        label=gettext_lazy("duty logs"),
        models=(DutyLog,),
        sheets=(
            SheetSpec(
                title=gettext_lazy("duty logs"),
                key=("id_number", "month"),
                upsert_rule=gettext_lazy(
                    "One row per member and month, one column per day: 是 (on duty in the village) or 否 "
                    "(not on duty). A day already logged is updated, a new day is created, a blank day is "
                    "left as it is. Only days of the member's assignment up to today can be logged."
                ),
                save=save_duty_month,
                columns=(
                    Column(
                        "id_number",
                        gettext_lazy("ID number"),
                        ColumnType.ID_NUMBER,
                        required=True,
                        example=EXAMPLE_ID_NUMBER,
                        width=22,
                    ),
                    Column(
                        "name",
                        gettext_lazy("full name"),
                        help=gettext_lazy("Checked against the member's name when given."),
                        example="李明",
                        width=10,
                    ),
                    Column(
                        "month",
                        gettext_lazy("month"),
                        required=True,
                        help=gettext_lazy("YYYY-MM, e.g. 2025-03"),
                        example="2025-03",
                        width=10,
                    ),
                    *(
                        Column(
                            day_field(number),
                            format_lazy(gettext_lazy("day {day}"), day=number),
                            ColumnType.BOOLEAN,
                            example="否" if number in (8, 22) else "是",
                            width=5,
                        )
                        for number in DAYS
                    ),
                ),
            ),
        ),
    )
)
