"""The five responsibility lists (五在村): set at the start of the year, reconciled quarterly, closed next year."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.configuration import value_of
from apps.core.periods import Month, Quarter

from ..config import LISTS_SET_BY_MONTH
from ..models import ListKind, ResponsibilityItem, ResponsibilityReconciliation, WorkTeamMember
from ._common import (
    apply,
    ensure_data_entry,
    ensure_in_scope,
    ensure_related_in_scope,
    ensure_village_open,
    save,
)

ITEM_FIELDS = ("kind", "holder", "holder_title", "member", "task")


def setting_deadline(village, year: int) -> datetime.date:
    """The last day on which a year's list items can be set or changed (年初定账)."""
    month = value_of(LISTS_SET_BY_MONTH.key, on=datetime.date(year, 1, 1), county=village.county_id)
    return Month(year, min(max(month, 1), 12)).last


def _check_open_for_setting(actor, village, year: int) -> None:
    # Superusers load historical lists; everyone else sets a year's lists at its start.
    if actor.is_superuser:
        return
    deadline = setting_deadline(village, year)
    if timezone.localdate() > deadline:
        raise ValidationError(
            {
                "year": _("The lists of %(year)d were set by %(date)s; they can no longer change.")
                % {"year": year, "date": deadline}
            }
        )


def _check_member(item: ResponsibilityItem) -> None:
    if item.member is None:
        return
    if item.kind != ListKind.STATION:
        raise ValidationError({"member": _("Only the stationing list (驻村) names a work-team member.")})
    member = WorkTeamMember.objects.select_related("team").get(pk=item.member.pk)
    if member.team.village_id != item.village_id:
        raise ValidationError({"member": _("This member's team is stationed in another village.")})


def _ensure_open(item: ResponsibilityItem) -> None:
    if item.closed_on is not None:
        raise ValidationError(_("This item was closed on %(date)s.") % {"date": item.closed_on})


@transaction.atomic
def responsibility_item_create(
    *,
    actor,
    village,
    year: int,
    kind: str,
    holder: str,
    task: str,
    holder_title: str = "",
    member: WorkTeamMember | None = None,
) -> ResponsibilityItem:
    ensure_data_entry(actor)
    ensure_village_open(actor, village)
    if member is not None:
        ensure_related_in_scope(actor, member, field="member")
    _check_open_for_setting(actor, village, year)
    item = ResponsibilityItem(
        village=village,
        year=year,
        kind=kind,
        holder=holder,
        holder_title=holder_title,
        member=member,
        task=task,
    )
    _check_member(item)
    return save(item)


@transaction.atomic
def responsibility_item_update(*, actor, item: ResponsibilityItem, **fields) -> ResponsibilityItem:
    ensure_data_entry(actor)
    ensure_in_scope(actor, item)
    item = ResponsibilityItem.objects.select_for_update().select_related("village").get(pk=item.pk)
    moved_village = "village" in fields and fields.pop("village").pk != item.village_id
    moved_year = "year" in fields and fields.pop("year") != item.year
    if moved_village or moved_year:
        raise ValidationError(_("An item cannot move to another village or year; add a new one."))
    _ensure_open(item)
    _check_open_for_setting(actor, item.village, item.year)
    if fields.get("member") is not None:
        ensure_related_in_scope(actor, fields["member"], field="member")
    apply(item, fields, ITEM_FIELDS)
    _check_member(item)
    return save(item)


@transaction.atomic
def responsibility_item_reconcile(
    *,
    actor,
    item: ResponsibilityItem,
    quarter: int,
    done: bool,
    evidence: str = "",
    reconciled_on: datetime.date | None = None,
) -> ResponsibilityReconciliation:
    """Record (or correct, until the item is closed) one quarter's reconciliation (季度对账)."""
    ensure_data_entry(actor)
    ensure_in_scope(actor, item)
    item = ResponsibilityItem.objects.select_for_update().get(pk=item.pk)
    _ensure_open(item)
    if quarter not in (1, 2, 3, 4):
        raise ValidationError({"quarter": _("Choose a quarter from 1 to 4.")})
    reconciled_on = reconciled_on or timezone.localdate()
    if reconciled_on < Quarter(item.year, quarter).first:
        raise ValidationError({"quarter": _("A quarter is reconciled once it has begun.")})
    if reconciled_on > timezone.localdate():
        raise ValidationError({"reconciled_on": _("This date is in the future.")})
    if done and not evidence.strip():
        raise ValidationError({"evidence": _("Say what shows the task was done.")})
    row = ResponsibilityReconciliation.objects.filter(item=item, quarter=quarter).first()
    row = row or ResponsibilityReconciliation(item=item, quarter=quarter)
    row.done, row.evidence, row.reconciled_on = done, evidence.strip(), reconciled_on
    return save(row)


@transaction.atomic
def responsibility_item_close(
    *, actor, item: ResponsibilityItem, closed_on: datetime.date | None = None, note: str = ""
) -> ResponsibilityItem:
    """Close an item in the following year (次年销账) once all four quarters are reconciled.

    It counts as fulfilled when every quarter was done.
    """
    ensure_data_entry(actor)
    ensure_in_scope(actor, item)
    item = ResponsibilityItem.objects.select_for_update().get(pk=item.pk)
    _ensure_open(item)
    closed_on = closed_on or timezone.localdate()
    if closed_on.year <= item.year:
        raise ValidationError({"closed_on": _("A year's items are closed in the following year.")})
    if closed_on > timezone.localdate():
        raise ValidationError({"closed_on": _("This date is in the future.")})
    done = dict(item.reconciliations.values_list("quarter", "done"))
    missing = [q for q in (1, 2, 3, 4) if q not in done]
    if missing:
        raise ValidationError(
            _("Reconcile every quarter before closing; missing: %(quarters)s.")
            % {"quarters": ", ".join(f"Q{q}" for q in missing)}
        )
    item.closed_on, item.fulfilled, item.closing_note = closed_on, all(done.values()), note
    return save(item)
