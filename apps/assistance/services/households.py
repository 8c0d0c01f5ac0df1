"""Registered poor households: members, incomes, status history, pairing with a cadre, measures."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.cadres.models import Cadre
from apps.core import idnumbers
from apps.core.configuration import value_of
from apps.core.reporting.locks import ensure_record_open

from ..config import MAX_HOUSEHOLDS_PER_CADRE
from ..models import (
    STATUS_TRANSITIONS,
    AssistanceMeasure,
    Household,
    HouseholdIncome,
    HouseholdMember,
    HouseholdStatus,
    HouseholdStatusChange,
    Relation,
)
from ._common import (
    apply,
    ensure_data_entry,
    ensure_in_scope,
    ensure_not_future,
    ensure_related_in_scope,
    ensure_village_open,
    save,
)

HOUSEHOLD_FIELDS = ("village", "head_name", "head_id_number", "size", "cause", "registered_on")
MEMBER_FIELDS = ("name", "id_number", "relation", "labour_capacity", "health")
FIRST_INCOME_YEAR = 2000


def _check_pairing(actor, household: Household, cadre: Cadre | None) -> None:
    """A cadre of the household's county, in the actor's region, below the configured number of pairs."""
    if cadre is None:
        return
    ensure_related_in_scope(actor, cadre, field="paired_cadre")
    # Locks the cadre so two households cannot take its last free pair at once.
    cadre = Cadre.objects.select_for_update().select_related("village").get(pk=cadre.pk)
    if cadre.village.county_id != household.village.county_id:
        raise ValidationError({"paired_cadre": _("Pair the household with a cadre of its own county.")})
    limit = value_of(MAX_HOUSEHOLDS_PER_CADRE.key, county=household.village.county_id)
    taken = Household.objects.filter(paired_cadre=cadre).exclude(pk=household.pk).count()
    if taken >= limit:
        raise ValidationError(
            {
                "paired_cadre": _("%(name)s is already paired with %(count)d households, the maximum.")
                % {"name": cadre.name, "count": taken}
            }
        )


def _record_status(household: Household, status: str, date: datetime.date, note: str = "") -> None:
    """Apply ``status`` from ``date`` on: exit year follows (set on exit, cleared on relapse)."""
    household.status = status
    if status == HouseholdStatus.EXITED:
        household.exit_year = date.year
    elif status in (HouseholdStatus.POOR, HouseholdStatus.RELAPSED):
        household.exit_year = None
    change = HouseholdStatusChange(household=household, status=status, date=date, note=note)
    ensure_record_open(change)
    change.save()


def _check_transition(household: Household, status: str, date: datetime.date) -> None:
    if status not in HouseholdStatus.values:
        raise ValidationError({"status": _("Choose a valid status.")})
    if status not in STATUS_TRANSITIONS[HouseholdStatus(household.status)]:
        raise ValidationError(
            {
                "status": _("A household cannot go from %(old)s to %(new)s.")
                % {
                    "old": HouseholdStatus(household.status).label,
                    "new": HouseholdStatus(status).label,
                }
            }
        )
    ensure_not_future(date, field="date")
    last = household.status_changes.order_by("-date", "-pk").values_list("date", flat=True).first()
    if (last and date < last) or date < household.registered_on:
        raise ValidationError({"date": _("A status change cannot be dated before the previous one.")})


@transaction.atomic
def household_create(
    *,
    actor,
    village,
    head_name: str,
    head_id_number: str,
    size: int,
    cause: str,
    status: str = HouseholdStatus.POOR,
    exit_year: int | None = None,
    paired_cadre: Cadre | None = None,
    registered_on: datetime.date | None = None,
) -> Household:
    """Register a household: poor from ``registered_on`` (today by default).

    A household entered later than its exit (status ``exited`` with ``exit_year``) also gets the
    exit in its history, dated the end of that year (or today, if that is earlier).
    """
    ensure_data_entry(actor)
    ensure_village_open(actor, village)
    registered_on = registered_on or timezone.localdate()
    ensure_not_future(registered_on, field="registered_on")
    household = Household(
        village=village,
        head_name=head_name,
        head_id_number=head_id_number,
        size=size,
        cause=cause,
        registered_on=registered_on,
    )
    if status not in (HouseholdStatus.POOR, HouseholdStatus.EXITED):
        raise ValidationError({"status": _("A new household is registered as poor or as exited.")})
    if status == HouseholdStatus.EXITED:
        if exit_year is None:
            raise ValidationError({"exit_year": _("Give the year the household exited poverty.")})
        if not registered_on.year <= exit_year <= timezone.localdate().year:
            raise ValidationError(
                {"exit_year": _("The exit year must lie between registration and this year.")}
            )
    elif exit_year is not None:
        raise ValidationError({"exit_year": _("A poor household has no exit year.")})
    household = save(household)
    _check_pairing(actor, household, paired_cadre)
    household.paired_cadre = paired_cadre
    # The history starts at registration (registered_on, poor); changes are recorded from there on.
    if status == HouseholdStatus.EXITED:
        exited_on = max(min(datetime.date(exit_year, 12, 31), timezone.localdate()), registered_on)
        _record_status(household, HouseholdStatus.EXITED, exited_on)
    return save(household)


@transaction.atomic
def household_update(*, actor, household: Household, **fields) -> Household:
    """Edit a household. A new ``status`` is a status change dated today; ``exit_year`` can be corrected."""
    ensure_data_entry(actor)
    ensure_in_scope(actor, household)
    household = Household.objects.select_for_update().select_related("village").get(pk=household.pk)
    village = fields.get("village")
    if village is not None and village.pk != household.village_id:
        ensure_village_open(actor, village)
    status = fields.pop("status", household.status)
    exit_year = fields.pop("exit_year", household.exit_year)
    has_cadre = "paired_cadre" in fields
    cadre = fields.pop("paired_cadre", None)
    apply(household, fields, HOUSEHOLD_FIELDS)
    if fields.get("size") is not None and fields["size"] < household.members.count():
        raise ValidationError({"size": _("The household has more members on record than this size.")})
    if status != household.status:
        today = timezone.localdate()
        _check_transition(household, status, today)
        _record_status(household, status, today)
        # The change sets the exit year; an empty one sent with it means "derive it".
        exit_year = household.exit_year if exit_year is None else exit_year
    if exit_year != household.exit_year:
        if household.status not in (HouseholdStatus.EXITED, HouseholdStatus.MONITORED):
            raise ValidationError({"exit_year": _("Only a household that exited poverty has an exit year.")})
        if exit_year is None and household.status == HouseholdStatus.EXITED:
            raise ValidationError({"exit_year": _("Give the year the household exited poverty.")})
        household.exit_year = exit_year
    if has_cadre and getattr(cadre, "pk", None) != household.paired_cadre_id:
        _check_pairing(actor, household, cadre)
        household.paired_cadre = cadre
    return save(household)


@transaction.atomic
def household_status_change(
    *, actor, household: Household, status: str, date: datetime.date | None = None, note: str = ""
) -> HouseholdStatusChange:
    """Move a household along poor → exited → monitored → relapsed (and back out), dated."""
    ensure_data_entry(actor)
    ensure_in_scope(actor, household)
    household = Household.objects.select_for_update().get(pk=household.pk)
    date = date or timezone.localdate()
    _check_transition(household, status, date)
    _record_status(household, status, date, note)
    save(household)
    return household.status_changes.order_by("-pk").first()


# Members


def _locked_household(actor, household: Household) -> Household:
    ensure_related_in_scope(actor, household, field="household")
    return Household.objects.select_for_update().get(pk=household.pk)


def _check_member(household: Household, member: HouseholdMember) -> None:
    others = household.members.exclude(pk=member.pk)
    if member.pk is None and others.count() >= household.size:
        raise ValidationError(
            {"household": _("The household has %(size)d people, all on record.") % {"size": household.size}}
        )
    if member.relation == Relation.HEAD:
        if member.id_number and idnumbers.normalise(member.id_number) != household.head_id_number:
            raise ValidationError({"id_number": _("The head's ID number differs from the household's.")})
        if others.filter(relation=Relation.HEAD).exists():
            raise ValidationError({"relation": _("The household already has a head.")})


def _set_birth_date(member: HouseholdMember) -> None:
    try:
        number = idnumbers.validate(member.id_number)
    except ValidationError as exc:
        raise ValidationError({"id_number": exc.messages}) from exc
    member.id_number, member.birth_date = number, idnumbers.birth_date(number)


@transaction.atomic
def household_member_create(*, actor, household: Household, **fields) -> HouseholdMember:
    ensure_data_entry(actor)
    household = _locked_household(actor, household)
    member = apply(HouseholdMember(household=household), fields, MEMBER_FIELDS)
    _set_birth_date(member)
    _check_member(household, member)
    return save(member)


@transaction.atomic
def household_member_update(*, actor, member: HouseholdMember, **fields) -> HouseholdMember:
    ensure_data_entry(actor)
    ensure_in_scope(actor, member)
    if "household" in fields and fields.pop("household").pk != member.household_id:
        raise ValidationError({"household": _("A member cannot move to another household here.")})
    household = Household.objects.select_for_update().get(pk=member.household_id)
    member = apply(HouseholdMember.objects.get(pk=member.pk), fields, MEMBER_FIELDS)
    _set_birth_date(member)
    _check_member(household, member)
    return save(member)


@transaction.atomic
def household_member_delete(*, actor, member: HouseholdMember) -> None:
    ensure_data_entry(actor)
    ensure_in_scope(actor, member)
    member.delete()


# Incomes


def _check_income(year: int, amount: Decimal | None) -> None:
    if not FIRST_INCOME_YEAR <= year <= timezone.localdate().year:
        raise ValidationError(
            {"year": _("Give a year from %(first)d to this year.") % {"first": FIRST_INCOME_YEAR}}
        )
    if amount is not None and amount < 0:
        raise ValidationError({"per_capita_net_income": _("An income cannot be negative.")})


@transaction.atomic
def household_income_create(
    *, actor, household: Household, year: int, per_capita_net_income: Decimal
) -> HouseholdIncome:
    ensure_data_entry(actor)
    household = _locked_household(actor, household)
    _check_income(year, per_capita_net_income)
    if household.incomes.filter(year=year).exists():
        raise ValidationError({"year": _("This household already has an income for this year.")})
    return save(HouseholdIncome(household=household, year=year, per_capita_net_income=per_capita_net_income))


@transaction.atomic
def household_income_update(*, actor, income: HouseholdIncome, **fields) -> HouseholdIncome:
    ensure_data_entry(actor)
    ensure_in_scope(actor, income)
    if "household" in fields and fields.pop("household").pk != income.household_id:
        raise ValidationError({"household": _("An income cannot move to another household.")})
    income = HouseholdIncome.objects.select_for_update().get(pk=income.pk)
    apply(income, fields, ("year", "per_capita_net_income"))
    _check_income(income.year, income.per_capita_net_income)
    if (
        HouseholdIncome.objects.filter(household_id=income.household_id, year=income.year)
        .exclude(pk=income.pk)
        .exists()
    ):
        raise ValidationError({"year": _("This household already has an income for this year.")})
    return save(income)


@transaction.atomic
def household_income_delete(*, actor, income: HouseholdIncome) -> None:
    ensure_data_entry(actor)
    ensure_in_scope(actor, income)
    ensure_record_open(income, delete=True)
    income.delete()


# Assistance measures


def _check_measure(measure: AssistanceMeasure) -> None:
    ensure_not_future(measure.date, field="date")
    if measure.amount is not None and measure.amount < 0:
        raise ValidationError({"amount": _("An amount cannot be negative.")})


@transaction.atomic
def assistance_measure_create(
    *,
    actor,
    household: Household,
    kind: str,
    date: datetime.date,
    amount: Decimal = Decimal(0),
    note: str = "",
) -> AssistanceMeasure:
    ensure_data_entry(actor)
    ensure_related_in_scope(actor, household, field="household")
    measure = AssistanceMeasure(household=household, kind=kind, date=date, amount=amount, note=note)
    _check_measure(measure)
    return save(measure)


@transaction.atomic
def assistance_measure_update(*, actor, measure: AssistanceMeasure, **fields) -> AssistanceMeasure:
    ensure_data_entry(actor)
    ensure_in_scope(actor, measure)
    if "household" in fields and fields.pop("household").pk != measure.household_id:
        raise ValidationError({"household": _("A measure cannot move to another household.")})
    measure = apply(AssistanceMeasure.objects.get(pk=measure.pk), fields, ("kind", "date", "amount", "note"))
    _check_measure(measure)
    return save(measure)


@transaction.atomic
def assistance_measure_delete(*, actor, measure: AssistanceMeasure) -> None:
    ensure_data_entry(actor)
    ensure_in_scope(actor, measure)
    ensure_record_open(measure, delete=True)
    measure.delete()
