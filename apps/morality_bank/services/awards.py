"""Awards: recorded by one user, approved or rejected by another, then on public notice (公示)."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.configuration import value_of
from apps.core.permissions import ensure_role
from apps.core.reporting.locks import ensure_record_open
from apps.core.scoping import ensure_in_scope
from apps.villages.services import ensure_village_active

from .. import config
from ..models import Award, AwardStatus, EntryKind, Item, ItemOptOut, Resident
from ..permissions import MORALITY_ROLES
from ._common import ensure_balance_covers, ensure_field_in_scope, lock_resident, post_entry, user_or_none
from .photos import photo_check, photo_discard, photo_store


def item_available(item: Item, county_id: int) -> bool:
    """Whether the county uses the item: active, and either its own or a default it has not disabled."""
    if not item.is_active:
        return False
    if item.county_id is None:
        return not ItemOptOut.objects.filter(item=item, county_id=county_id).exists()
    return item.county_id == county_id


@transaction.atomic
def award_create(
    *,
    actor,
    resident: Resident,
    item: Item,
    points: int,
    date: datetime.date,
    evidence: str = "",
    photo=None,
) -> Award:
    ensure_role(actor, MORALITY_ROLES)
    ensure_field_in_scope(actor, resident, "resident")
    ensure_village_active(resident.village, field="resident")
    errors = {}
    if not item_available(item, resident.village.county_id):
        errors["item"] = _("This item is not in use in the resident's county.")
    elif not item.min_points <= points <= item.max_points:
        errors["points"] = _("Points for “%(item)s” must be between %(min)d and %(max)d.") % {
            "item": item.name,
            "min": item.min_points,
            "max": item.max_points,
        }
    if date > timezone.localdate():
        errors["date"] = _("The date cannot be in the future.")
    photo_type = ""
    if photo:
        try:
            photo_type = photo_check(photo)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    award = Award(
        village_id=resident.village_id,
        resident=resident,
        item=item,
        points=points,
        date=date,
        evidence=evidence or "",
        photo_type=photo_type,
        recorded_by=user_or_none(actor),
    )
    award.full_clean(exclude=["photo"])
    ensure_record_open(award)
    stored = photo_store(photo, photo_type) if photo else ""
    try:
        award.photo.name = stored
        award.save()
    except Exception:
        photo_discard(stored)
        raise
    return award


def _lock_pending(actor, award: Award) -> Award:
    ensure_role(actor, MORALITY_ROLES)
    ensure_in_scope(actor, award)
    award = Award.objects.select_for_update().select_related("item", "village").get(pk=award.pk)
    if award.recorded_by_id is not None and award.recorded_by_id == getattr(actor, "pk", None):
        raise PermissionDenied(_("You recorded this award: another user must approve or reject it."))
    if award.status != AwardStatus.PENDING:
        raise ValidationError(
            _("This award has already been %(status)s.") % {"status": award.get_status_display()}
        )
    ensure_record_open(award)
    return award


@transaction.atomic
def award_approve(*, actor, award: Award) -> Award:
    """Approve: the points count from today; awarded points can be redeemed after the notice period."""
    award = _lock_pending(actor, award)
    resident = lock_resident(award.resident)
    today = timezone.localdate()
    notice_days = value_of(config.NOTICE_DAYS, on=today, county=award.village.county_id)
    notice_ends_on = today + datetime.timedelta(days=notice_days)
    ensure_balance_covers(resident, award.points, field="points")
    award.status = AwardStatus.APPROVED
    award.decided_by = user_or_none(actor)
    award.decided_at = timezone.now()
    award.notice_ends_on = notice_ends_on
    award.save(update_fields=["status", "decided_by", "decided_at", "notice_ends_on", "updated_at"])
    post_entry(
        actor=actor,
        resident=resident,
        kind=EntryKind.AWARD if award.points > 0 else EntryKind.DEDUCTION,
        points=award.points,
        date=today,
        # Deductions count at once; awarded points wait for the end of the public notice.
        available_from=notice_ends_on if award.points > 0 else today,
        category=award.item.category,
        award=award,
    )
    return award


@transaction.atomic
def award_reject(*, actor, award: Award, reason: str = "") -> Award:
    award = _lock_pending(actor, award)
    award.status = AwardStatus.REJECTED
    award.decided_by = user_or_none(actor)
    award.decided_at = timezone.now()
    award.decision_note = (reason or "").strip()[:200]
    award.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "updated_at"])
    return award
