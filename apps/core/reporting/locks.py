"""The lock: records dated in an approved period cannot be created, changed or deleted, by anyone.

Services call ``ensure_record_open(instance)`` before saving (the instance as it will be saved; the
stored row is read here, so an update is checked at its old and its new date) and
``ensure_record_open(instance, delete=True)`` before deleting; bulk paths call ``ensure_open``.
A date is locked by an approved period of its township (or of its county) that contains it; a year
(incomes, ratings, evaluations) by the approved year period.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db.models import F, Q
from django.utils import formats
from django.utils.translation import gettext as _

from apps.core.models import PeriodKind, PeriodStatus, ReportingPeriod

from .registry import spec_of


def _locked_q(township_id: int, value: datetime.date | int) -> Q:
    region = Q(township_id=township_id) | Q(township__isnull=True, county__townships=township_id)
    if isinstance(value, datetime.date):
        return region & Q(start__lte=value, end__gte=value)
    return region & Q(kind=PeriodKind.YEAR, start=datetime.date(value, 1, 1))


def locked_message(period: ReportingPeriod) -> str:
    approver = period.approved_by
    name = (approver.get_full_name() or approver.username) if approver else _("an administrator")
    return _(
        "%(period)s of %(region)s is closed: approved by %(user)s on %(date)s. "
        "Records dated in it cannot be added, changed or deleted unless the county reopens it."
    ) % {
        "period": period.label,
        "region": period.region.name,
        "user": name,
        "date": formats.date_format(period.approved_at, "SHORT_DATE_FORMAT") if period.approved_at else "",
    }


def locking_period(pairs: Iterable[tuple[int, datetime.date | int]]) -> ReportingPeriod | None:
    """The first approved period that locks one of the (township id, date or year) pairs, if any."""
    q = Q()
    for township_id, value in pairs:
        if township_id is not None and value is not None:
            q |= _locked_q(township_id, value)
    if not q:
        return None
    return (
        ReportingPeriod.objects.filter(q, status=PeriodStatus.APPROVED)
        .select_related("approved_by", "township", "county")
        .order_by("start")
        .first()
    )


def ensure_open(
    *, village=None, township=None, on: datetime.date | None = None, year: int | None = None
) -> None:
    """Refuse (ValidationError naming the period and its approver) if ``on``/``year`` is locked there."""
    township_id = getattr(township, "pk", township) if township is not None else village.township_id
    period = locking_period([(township_id, on), (township_id, year)])
    if period is not None:
        raise ValidationError(locked_message(period))


def _township_of(instance, path: str) -> int | None:
    first, _sep, rest = path.partition("__")
    related_id = getattr(instance, f"{first}_id", None)
    if related_id is None or not rest:
        return related_id
    related_model = instance._meta.get_field(first).related_model
    return related_model._base_manager.filter(pk=related_id).values_list(rest, flat=True).first()


def ensure_record_open(instance, *, delete: bool = False) -> None:
    """Refuse a write to ``instance`` (before its save or delete) that touches a locked period."""
    spec = spec_of(type(instance))
    if spec is None:
        return
    stored = None
    if instance.pk is not None:
        stored = (
            type(instance)
            ._base_manager.filter(pk=instance.pk)
            .values(*spec.fields, _township=F(spec.township))
            .first()
        )
    pairs: list[tuple[int | None, datetime.date | int | None]] = []
    new_township = None if delete else _township_of(instance, spec.township)
    for name in spec.fields:
        new = None if delete else getattr(instance, name)
        if stored is None:
            pairs.append((new_township, new))
            continue
        old = stored[name]
        if spec.span and not delete and old == new and stored["_township"] == new_township:
            continue
        pairs.append((stored["_township"], old))
        pairs.append((new_township, new))
    period = locking_period(pairs)
    if period is not None:
        raise ValidationError(locked_message(period))
