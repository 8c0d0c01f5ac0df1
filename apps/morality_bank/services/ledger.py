"""Reversing entries: the only way to correct the append-only ledger."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.permissions import ensure_role
from apps.core.scoping import ensure_in_scope

from ..models import EntryKind, Goods, LedgerEntry
from ..permissions import MORALITY_ROLES
from ._common import ensure_balance_covers, lock_resident, post_entry


@transaction.atomic
def ledger_reverse(*, actor, entry: LedgerEntry, reason: str = "") -> LedgerEntry:
    """Add the entry that cancels ``entry``; a reversed redemption puts its goods back in stock."""
    ensure_role(actor, MORALITY_ROLES)
    ensure_in_scope(actor, entry)
    resident = lock_resident(entry.resident)
    entry = LedgerEntry.objects.select_related("redemption").get(pk=entry.pk)
    if entry.kind == EntryKind.REVERSAL:
        raise ValidationError(_("A reversal cannot itself be reversed."))
    if LedgerEntry.objects.filter(reverses=entry).exists():
        raise ValidationError(_("This entry has already been reversed."))
    ensure_balance_covers(resident, -entry.points, field="non_field_errors")
    if entry.kind == EntryKind.REDEMPTION:
        redemption = entry.redemption
        # Lock order everywhere: the resident, then the goods.
        Goods.objects.select_for_update().filter(pk=redemption.goods_id).update(
            stock=F("stock") + redemption.quantity
        )
    try:
        with transaction.atomic():
            return post_entry(
                actor=actor,
                resident=resident,
                kind=EntryKind.REVERSAL,
                points=-entry.points,
                date=timezone.localdate(),
                category=entry.category,
                reverses=entry,
                note=(reason or "").strip()[:200],
            )
    except IntegrityError as exc:  # a concurrent reversal of the same entry won the race
        raise ValidationError(_("This entry has already been reversed.")) from exc
