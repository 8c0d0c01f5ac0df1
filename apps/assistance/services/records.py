"""Commendations, promotions and discipline cases of front-line assistance cadres (figures 8, 9, 11)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Commendation, DisciplineCase, Promotion
from ._common import (
    apply,
    ensure_county_business,
    ensure_in_scope,
    ensure_not_future,
    ensure_related_in_scope,
    ensure_village_open,
    save,
)

FIELDS = {
    Commendation: ("village", "person_name", "member", "date", "level", "title"),
    Promotion: ("village", "person_name", "member", "date", "level", "rank", "position"),
    DisciplineCase: ("village", "person_name", "member", "date", "category", "outcome", "note"),
}


def _check(actor, record) -> None:
    ensure_not_future(record.date, field="date")
    if record.member_id is not None:
        ensure_related_in_scope(actor, record.member, field="member")
        if record.member.team.village_id != record.village_id:
            raise ValidationError({"member": _("This member's team is stationed in another village.")})


def _create(model, actor, fields):
    ensure_county_business(actor)
    ensure_village_open(actor, fields.get("village"))
    record = apply(model(), fields, FIELDS[model])
    _check(actor, record)
    return save(record)


def _update(model, actor, record, fields):
    ensure_county_business(actor)
    ensure_in_scope(actor, record)
    record = model.objects.select_for_update().get(pk=record.pk)
    village = fields.get("village")
    if village is not None and village.pk != record.village_id:
        ensure_village_open(actor, village)
    apply(record, fields, FIELDS[model])
    _check(actor, record)
    return save(record)


@transaction.atomic
def commendation_create(*, actor, **fields) -> Commendation:
    return _create(Commendation, actor, fields)


@transaction.atomic
def commendation_update(*, actor, record: Commendation, **fields) -> Commendation:
    return _update(Commendation, actor, record, fields)


@transaction.atomic
def promotion_create(*, actor, **fields) -> Promotion:
    return _create(Promotion, actor, fields)


@transaction.atomic
def promotion_update(*, actor, record: Promotion, **fields) -> Promotion:
    return _update(Promotion, actor, record, fields)


@transaction.atomic
def discipline_case_create(*, actor, **fields) -> DisciplineCase:
    return _create(DisciplineCase, actor, fields)


@transaction.atomic
def discipline_case_update(*, actor, record: DisciplineCase, **fields) -> DisciplineCase:
    return _update(DisciplineCase, actor, record, fields)
