"""Duty logs: one per member and day, only on days of the member's assignment, never in the future."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.periods import Month
from apps.core.reporting.locks import ensure_open, ensure_record_open

from ..models import DutyLog, WorkTeam, WorkTeamMember
from ._common import ensure_data_entry, ensure_in_scope, ensure_related_in_scope, save


def _date_error(member: WorkTeamMember, day: datetime.date) -> str | None:
    """Why ``member`` cannot have a log on ``day``, or None."""
    if day > timezone.localdate():
        return _("%(date)s is in the future.") % {"date": day}
    if day < member.start_date or (member.end_date and day > member.end_date):
        return _("%(date)s is outside %(name)s's assignment.") % {"date": day, "name": member.name}
    return None


def _locked_member(member: WorkTeamMember) -> WorkTeamMember:
    return WorkTeamMember.objects.select_for_update().get(pk=member.pk)


@transaction.atomic
def duty_log_create(
    *, actor, member: WorkTeamMember, date: datetime.date, on_duty: bool = True, note: str = ""
) -> DutyLog:
    ensure_data_entry(actor)
    ensure_related_in_scope(actor, member, field="member")
    member = _locked_member(member)
    if error := _date_error(member, date):
        raise ValidationError({"date": error})
    if DutyLog.objects.filter(member=member, date=date).exists():
        raise ValidationError({"date": _("This member already has a duty log for this day.")})
    return save(DutyLog(member=member, date=date, on_duty=on_duty, note=note))


@transaction.atomic
def duty_log_update(*, actor, log: DutyLog, **fields) -> DutyLog:
    ensure_data_entry(actor)
    ensure_in_scope(actor, log)
    log = DutyLog.objects.select_for_update().get(pk=log.pk)
    member = fields.pop("member", log.member)
    ensure_related_in_scope(actor, member, field="member")
    member = _locked_member(member)
    date = fields.pop("date", log.date)
    if (member.pk, date) != (log.member_id, log.date):
        if error := _date_error(member, date):
            raise ValidationError({"date": error})
        if DutyLog.objects.filter(member=member, date=date).exclude(pk=log.pk).exists():
            raise ValidationError({"date": _("This member already has a duty log for this day.")})
    unknown = set(fields) - {"on_duty", "note"}
    if unknown:
        raise ValidationError(_("Unknown fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    log.member, log.date = member, date
    for name, value in fields.items():
        setattr(log, name, value)
    return save(log)


@transaction.atomic
def duty_log_delete(*, actor, log: DutyLog) -> None:
    ensure_data_entry(actor)
    ensure_in_scope(actor, log)
    ensure_record_open(log, delete=True)
    log.delete()


def month_cells(
    team: WorkTeam, month: Month, members: Iterable[WorkTeamMember]
) -> set[tuple[int, datetime.date]]:
    """The (member id, day) cells of ``month`` that can hold a log: inside the assignment, not in the future."""
    return {(member.pk, day) for member in members for day in month.days if _date_error(member, day) is None}


@transaction.atomic
def duty_month_save(
    *, actor, team: WorkTeam, month: Month, entries: Iterable[tuple[int, datetime.date, bool]]
) -> dict[str, int]:
    """Save a month of a team's duty at once, from (member id, day, on duty) entries: all of them or none.

    Every entry must be a member of the team on a day of ``month`` inside that member's assignment
    and not in the future, at most once; any bad entry refuses the whole month, with every problem
    listed. Existing logs are updated, missing ones created; days without an entry stay as they are.
    """
    ensure_data_entry(actor)
    ensure_in_scope(actor, team)
    ensure_open(village=team.village, on=month.first)
    members = {m.pk: m for m in WorkTeamMember.objects.select_for_update().filter(team=team)}
    errors, wanted = [], {}
    for member_id, day, on_duty in entries:
        member = members.get(member_id)
        if member is None:
            errors.append(_("Member #%(id)s is not in this team.") % {"id": member_id})
            continue
        if (day.year, day.month) != (month.year, month.month):
            errors.append(_("%(date)s is not in %(month)s.") % {"date": day, "month": month})
        elif error := _date_error(member, day):
            errors.append(error)
        elif (member_id, day) in wanted:
            errors.append(_("%(name)s has two entries for %(date)s.") % {"name": member.name, "date": day})
        else:
            wanted[(member_id, day)] = bool(on_duty)
    if errors:
        raise ValidationError({"entries": errors})
    existing = {
        (log.member_id, log.date): log
        for log in DutyLog.objects.select_for_update().filter(
            member__in=list(members), date__range=(month.first, month.last)
        )
    }
    created = [
        DutyLog(member_id=member_id, date=day, on_duty=on_duty)
        for (member_id, day), on_duty in wanted.items()
        if (member_id, day) not in existing
    ]
    changed, now = [], timezone.now()
    for key, on_duty in wanted.items():
        log = existing.get(key)
        if log is not None and log.on_duty != on_duty:
            log.on_duty, log.updated_at = on_duty, now
            changed.append(log)
    DutyLog.objects.bulk_create(created)
    if changed:
        DutyLog.objects.bulk_update(changed, ["on_duty", "updated_at"])
    return {"created": len(created), "updated": len(changed)}
