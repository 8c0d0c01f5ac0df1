"""Registered poor households: members, incomes, status history, pairing with a cadre, measures."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.cadres.models import Cadre
from apps.core import idnumbers
from apps.core.configuration import value_of
from apps.core.reporting.locks import ensure_open, ensure_record_open, locking_period
from apps.core.scoping import scope_for

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
    check_related_in_scope,
    check_village_open,
    ensure_data_entry,
    ensure_in_scope,
    ensure_not_future,
    ensure_related_in_scope,
    ensure_village_open,
    save,
    villages_in_scope,
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


def _new_household(
    *,
    village,
    head_name: str,
    head_id_number: str,
    size: int,
    cause: str,
    status: str = HouseholdStatus.POOR,
    exit_year: int | None = None,
    registered_on: datetime.date | None = None,
) -> tuple[Household, HouseholdStatusChange | None]:
    """A household to register and, for one entered after its exit, the exit for its history.

    Every rule of a registration that needs no query: the form, the API and the import all pass
    here. The caller checks the village (region, retired), the unique head ID number, the pairing
    and the period lock of the exit, one by one or set-based.
    """
    registered_on = registered_on or timezone.localdate()
    ensure_not_future(registered_on, field="registered_on")
    if status not in (HouseholdStatus.POOR, HouseholdStatus.EXITED):
        raise ValidationError({"status": _("A new household is registered as poor or as exited.")})
    exit_change = None
    if status == HouseholdStatus.EXITED:
        if exit_year is None:
            raise ValidationError({"exit_year": _("Give the year the household exited poverty.")})
        if not registered_on.year <= exit_year <= timezone.localdate().year:
            raise ValidationError(
                {"exit_year": _("The exit year must lie between registration and this year.")}
            )
    elif exit_year is not None:
        raise ValidationError({"exit_year": _("A poor household has no exit year.")})
    household = Household(
        village=village,
        head_name=head_name,
        head_id_number=head_id_number,
        size=size,
        cause=cause,
        status=status,
        exit_year=exit_year,
        registered_on=registered_on,
    )
    # The village and the cadre are checked (and were loaded) by the caller; uniqueness too.
    household.full_clean(
        exclude={"village", "paired_cadre"}, validate_unique=False, validate_constraints=False
    )
    if status == HouseholdStatus.EXITED:
        # The history starts at registration (poor); the exit is dated the end of its year (or
        # today, if that is earlier), so its year is exit_year.
        exited_on = max(min(datetime.date(exit_year, 12, 31), timezone.localdate()), registered_on)
        exit_change = HouseholdStatusChange(
            household=household, status=HouseholdStatus.EXITED, date=exited_on
        )
    return household, exit_change


def _head_taken(household: Household) -> ValidationError:
    """The error of a head ID number already registered: the unique constraint's own message."""
    return ValidationError(
        {"head_id_number": [household.unique_error_message(Household, ("head_id_number",))]}
    )


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
    household, exit_change = _new_household(
        village=village,
        head_name=head_name,
        head_id_number=head_id_number,
        size=size,
        cause=cause,
        status=status,
        exit_year=exit_year,
        registered_on=registered_on,
    )
    if Household.objects.filter(head_id_number=household.head_id_number).exists():
        raise _head_taken(household)
    _check_pairing(actor, household, paired_cadre)
    household.paired_cadre = paired_cadre
    household.save()
    if exit_change is not None:
        exit_change.household = household
        ensure_record_open(exit_change)
        exit_change.save()
    return household


CREATE_CHUNK = 1000


@transaction.atomic
def households_register_many(*, actor, rows: Sequence[dict[str, Any]]) -> list[Household | ValidationError]:
    """Register many households at once (the Excel import), by the rules of ``household_create``.

    ``rows`` are ``household_create``'s keyword arguments. The rules are the same functions;
    region, uniqueness and the period lock are checked set-based (one query each) and the rows
    are written with bulk inserts (pghistory's triggers record them like single saves). Returns,
    in the order of ``rows``, each saved household or the ValidationError that refused its row:
    an import reports every row's error and keeps the valid rows so that its next sheets can
    refer to them; its transaction then keeps nothing if one row failed. Rows with a paired
    cadre go through ``household_create`` one by one (the cadre is locked and its pairs counted).
    """
    ensure_data_entry(actor)
    results: list[Household | ValidationError | None] = [None] * len(rows)
    in_region = villages_in_scope(actor, [row.get("village") for row in rows])
    candidates: list[tuple[int, Household, HouseholdStatusChange | None]] = []
    paired: list[int] = []
    for index, fields in enumerate(rows):
        if fields.get("paired_cadre") is not None:
            paired.append(index)
            continue
        try:
            village = fields.get("village")
            check_village_open(village, village is not None and village.pk in in_region)
            candidates.append(
                (index, *_new_household(**{k: v for k, v in fields.items() if k != "paired_cadre"}))
            )
        except ValidationError as error:
            results[index] = error
    # The head ID numbers as validated (normalised), against the database and the earlier rows.
    heads = [household.head_id_number for _i, household, _c in candidates]
    taken = set(Household.objects.filter(head_id_number__in=heads).values_list("head_id_number", flat=True))
    pending: list[tuple[int, Household, HouseholdStatusChange | None]] = []
    for index, household, change in candidates:
        if household.head_id_number in taken:
            results[index] = _head_taken(household)
            continue
        taken.add(household.head_id_number)
        pending.append((index, household, change))
    exits = [(index, household, change) for index, household, change in pending if change is not None]
    if exits and locking_period((h.village.township_id, c.date) for _i, h, c in exits) is not None:
        locked = set()
        for index, household, change in exits:
            try:
                ensure_open(village=household.village, on=change.date)
            except ValidationError as error:
                results[index] = error
                locked.add(index)
        pending = [entry for entry in pending if entry[0] not in locked]
    Household.objects.bulk_create([household for _i, household, _c in pending], batch_size=CREATE_CHUNK)
    changes = []
    for index, household, change in pending:
        results[index] = household
        if change is not None:
            change.household = household
            changes.append(change)
    HouseholdStatusChange.objects.bulk_create(changes, batch_size=CREATE_CHUNK)
    for index in paired:
        try:
            results[index] = household_create(actor=actor, **rows[index])
        except ValidationError as error:
            results[index] = error
    return results


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


def _check_member(
    household: Household,
    member: HouseholdMember,
    *,
    on_record: int | None = None,
    has_head: bool | None = None,
) -> None:
    """Room in the household and one head. ``on_record`` (its other members) and ``has_head`` (one
    of them is the head) are read here unless a bulk caller counted them for many members at once."""
    others = household.members.exclude(pk=member.pk)
    if member.pk is None:
        on_record = others.count() if on_record is None else on_record
        if on_record >= household.size:
            raise ValidationError(
                {
                    "household": _("The household has %(size)d people, all on record.")
                    % {"size": household.size}
                }
            )
    if member.relation == Relation.HEAD:
        if member.id_number and idnumbers.normalise(member.id_number) != household.head_id_number:
            raise ValidationError({"id_number": _("The head's ID number differs from the household's.")})
        if others.filter(relation=Relation.HEAD).exists() if has_head is None else has_head:
            raise ValidationError({"relation": _("The household already has a head.")})


def _locked_households(actor, households) -> dict[int, Household]:
    """Those of ``households`` inside the actor's region, locked, by id: one query (bulk paths)."""
    ids = {household.pk for household in households if household is not None}
    queryset = Household.objects.filter(pk__in=ids).select_related("village").select_for_update(of=("self",))
    return {household.pk: household for household in scope_for(actor, queryset)}


def _one_of(households: dict[int, Household], household: Household | None) -> Household:
    """``household`` as locked by ``_locked_households``; else the error of ``ensure_related_in_scope``."""
    locked = households.get(getattr(household, "pk", None))
    check_related_in_scope(locked, locked is not None, field="household")
    return locked


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
def household_members_add_many(
    *, actor, rows: Sequence[dict[str, Any]]
) -> list[HouseholdMember | ValidationError]:
    """Add many members at once (the Excel import), by the rules of ``household_member_create``.

    ``rows`` are its keyword arguments. Region, the households' locks, the members on record and
    the ID numbers taken are read set-based; the rules run row by row in Python, counting the rows
    added before; the rows are written with bulk inserts. Returns, in the order of ``rows``, each
    saved member or the ValidationError that refused its row (see ``households_register_many``).
    """
    ensure_data_entry(actor)
    results: list[HouseholdMember | ValidationError | None] = [None] * len(rows)
    households = _locked_households(actor, [row.get("household") for row in rows])
    on_record = {
        household_id: (members, heads)
        for household_id, members, heads in HouseholdMember.objects.filter(household_id__in=households)
        .values("household_id")
        .annotate(members=Count("pk"), heads=Count("pk", filter=Q(relation=Relation.HEAD)))
        .values_list("household_id", "members", "heads")
    }
    candidates: list[tuple[int, HouseholdMember]] = []
    for index, fields in enumerate(rows):
        fields = dict(fields)
        try:
            household = _one_of(households, fields.pop("household", None))
            member = apply(HouseholdMember(household=household), fields, MEMBER_FIELDS)
            _set_birth_date(member)
        except ValidationError as error:
            results[index] = error
            continue
        candidates.append((index, member))
    numbers = [member.id_number for _i, member in candidates]
    taken = set(HouseholdMember.objects.filter(id_number__in=numbers).values_list("id_number", flat=True))
    pending = []
    for index, member in candidates:
        members, heads = on_record.get(member.household_id, (0, 0))
        try:
            _check_member(member.household, member, on_record=members, has_head=heads > 0)
            member.full_clean(exclude={"household"}, validate_unique=False, validate_constraints=False)
            if member.id_number in taken:
                raise ValidationError(
                    {"id_number": [member.unique_error_message(HouseholdMember, ("id_number",))]}
                )
        except ValidationError as error:
            results[index] = error
            continue
        taken.add(member.id_number)
        on_record[member.household_id] = (members + 1, heads + (member.relation == Relation.HEAD))
        results[index] = member
        pending.append(member)
    HouseholdMember.objects.bulk_create(pending, batch_size=CREATE_CHUNK)
    return results


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
        raise _income_taken()
    return save(HouseholdIncome(household=household, year=year, per_capita_net_income=per_capita_net_income))


def _income_taken() -> ValidationError:
    return ValidationError({"year": _("This household already has an income for this year.")})


@transaction.atomic
def household_incomes_add_many(
    *, actor, rows: Sequence[dict[str, Any]]
) -> list[HouseholdIncome | ValidationError]:
    """Add many yearly incomes at once (the Excel import), by the rules of ``household_income_create``.

    ``rows`` are its keyword arguments. Region, the households' locks, the years on record and the
    period lock are checked set-based; the rows are written with bulk inserts. Returns, in the
    order of ``rows``, each saved income or the ValidationError that refused its row.
    """
    ensure_data_entry(actor)
    results: list[HouseholdIncome | ValidationError | None] = [None] * len(rows)
    households = _locked_households(actor, [row.get("household") for row in rows])
    on_record = set(
        HouseholdIncome.objects.filter(household_id__in=households).values_list("household_id", "year")
    )
    pending: list[tuple[int, HouseholdIncome]] = []
    for index, fields in enumerate(rows):
        try:
            household = _one_of(households, fields.get("household"))
            year, amount = fields["year"], fields["per_capita_net_income"]
            _check_income(year, amount)
            if (household.pk, year) in on_record:
                raise _income_taken()
            income = HouseholdIncome(household=household, year=year, per_capita_net_income=amount)
            income.full_clean(exclude={"household"}, validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            results[index] = error
            continue
        on_record.add((household.pk, year))
        pending.append((index, income))
    if pending and locking_period((i.household.village.township_id, i.year) for _n, i in pending) is not None:
        open_ = []
        for index, income in pending:
            try:
                ensure_open(village=income.household.village, year=income.year)
            except ValidationError as error:
                results[index] = error
            else:
                open_.append((index, income))
        pending = open_
    for index, income in pending:
        results[index] = income
    HouseholdIncome.objects.bulk_create([income for _i, income in pending], batch_size=CREATE_CHUNK)
    return results


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
