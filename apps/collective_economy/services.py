"""Every write of the collective economy: incomes, support funds, projects, pairings and the mode list.

Data-entry roles write within their region; amounts are checked by the model fields (two decimal
places, at least zero: an over-precise amount is an error, never rounded) and again by the database.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.configuration import value_of
from apps.core.permissions import DATA_ENTRY_ROLES, ensure_role
from apps.core.reporting.locks import ensure_record_open
from apps.core.scoping import ensure_in_scope, in_scope
from apps.villages.models import Village

from .config import FIRST_YEAR
from .models import (
    AMOUNT_FIELDS,
    PROJECT_FUND_FIELDS,
    DevelopmentMode,
    Income,
    ModeKind,
    Pairing,
    Project,
    ProjectStatus,
    SupportFund,
)

INCOME_FIELDS = ("village", "year", *AMOUNT_FIELDS, "economy_type", "development_mode", "note")
SUPPORT_FUND_FIELDS = ("village", "year", "amount", "source", "use", "note")
PROJECT_FIELDS = (
    "village",
    "name",
    "mode",
    "start_year",
    "status",
    "funds_total",
    *PROJECT_FUND_FIELDS,
    "households_benefiting",
    "people_benefiting",
    "poor_party_members_lifted",
    "note",
)
PAIRING_FIELDS = ("village", "unit_name", "unit_type", "start_year", "end_year", "note")
MODE_FIELDS = ("code", "name", "kind", "description", "is_active", "position")
MODE_ADMIN_ROLES = frozenset({"city_admin"})


# Shared checks


def _save(instance):
    instance.full_clean()
    ensure_record_open(instance)
    instance.save()
    return instance


def _apply(instance, fields: dict[str, Any], allowed: tuple[str, ...]):
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValidationError(_("Unknown fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    for name, value in fields.items():
        setattr(instance, name, value)
    return instance


def _locked_village(actor, village: Village | None, *, field: str = "village") -> Village:
    """The village, in the actor's region, locked so that checks and the write that follows cannot race."""
    if not isinstance(village, Village) or not in_scope(actor, village):
        raise ValidationError({field: _("Choose a village within your own region.")})
    return Village.objects.select_related("county").select_for_update(of=("self",)).get(pk=village.pk)


def _keep_village(instance, fields: dict[str, Any]) -> None:
    village = fields.pop("village", None)
    if village is not None and getattr(village, "pk", village) != instance.village_id:
        raise ValidationError(
            {
                "village": _(
                    "A record cannot move to another village; delete it and enter it in the other village."
                )
            }
        )


def check_year(village: Village, year: Any, *, field: str = "year", allow_next_year: bool = False) -> int:
    """A year the village has records for: not before the first year, not after its retirement, not ahead."""
    if isinstance(year, bool) or not isinstance(year, int):
        raise ValidationError({field: _("Enter a year as a whole number, e.g. 2024.")})
    this_year = timezone.localdate().year
    last = this_year + 1 if allow_next_year else this_year
    if year > last:
        raise ValidationError({field: _("%(year)s is in the future.") % {"year": year}})
    first = value_of(FIRST_YEAR.key, county=village.county_id)
    if year < first:
        raise ValidationError(
            {field: _("Records start in %(first)s; %(year)s is too early.") % {"first": first, "year": year}}
        )
    if village.retired_on is not None and year > village.retired_on.year:
        raise ValidationError(
            {
                field: _("Village %(name)s was retired in %(retired)s and has no records after that year.")
                % {"name": village.name, "retired": village.retired_on.year}
            }
        )
    return year


def _check_mode(mode, kind: str, *, field: str, current_id: int | None = None) -> None:
    if mode is None:
        return
    if not isinstance(mode, DevelopmentMode) or mode.kind != kind:
        raise ValidationError({field: _("Choose a mode from the list for this kind of record.")})
    if not mode.is_active and mode.pk != current_id:
        raise ValidationError({field: _("This mode is no longer in use; choose another.")})


def _ensure_writer(actor) -> None:
    ensure_role(actor, DATA_ENTRY_ROLES)


# Incomes


def _ensure_one_per_year(village: Village, year: int, *, exclude_pk: int | None = None) -> None:
    others = Income.objects.filter(village=village, year=year).exclude(pk=exclude_pk)
    if others.exists():
        raise ValidationError(
            {
                "year": _("Village %(name)s already has a collective income record for %(year)s.")
                % {"name": village.name, "year": year}
            }
        )


def _refreshed(income: Income) -> Income:
    # total and bracket are generated by the database; read them back after an update.
    income.refresh_from_db(fields=["total", "bracket"])
    return income


@transaction.atomic
def income_create(*, actor, village: Village, year: int, **fields) -> Income:
    """Record a village's collective income of one year (amounts default to 0)."""
    _ensure_writer(actor)
    village = _locked_village(actor, village)
    check_year(village, year)
    _ensure_one_per_year(village, year)
    income = _apply(Income(village=village, year=year), fields, INCOME_FIELDS[2:])
    _check_mode(income.development_mode, ModeKind.VILLAGE, field="development_mode")
    return _save(income)


@transaction.atomic
def income_update(*, actor, income: Income, **fields) -> Income:
    _ensure_writer(actor)
    ensure_in_scope(actor, income)
    _keep_village(income, fields)
    village = _locked_village(actor, income.village)
    current_mode = income.development_mode_id
    _apply(income, fields, INCOME_FIELDS[1:])
    check_year(village, income.year)
    _ensure_one_per_year(village, income.year, exclude_pk=income.pk)
    _check_mode(income.development_mode, ModeKind.VILLAGE, field="development_mode", current_id=current_mode)
    return _refreshed(_save(income))


@transaction.atomic
def income_delete(*, actor, income: Income) -> None:
    _ensure_writer(actor)
    ensure_in_scope(actor, income)
    ensure_record_open(income, delete=True)
    income.delete()


# Support funds


@transaction.atomic
def support_fund_create(*, actor, village: Village, year: int, **fields) -> SupportFund:
    _ensure_writer(actor)
    village = _locked_village(actor, village)
    check_year(village, year)
    return _save(_apply(SupportFund(village=village, year=year), fields, SUPPORT_FUND_FIELDS[2:]))


@transaction.atomic
def support_fund_update(*, actor, supportfund: SupportFund, **fields) -> SupportFund:
    _ensure_writer(actor)
    ensure_in_scope(actor, supportfund)
    _keep_village(supportfund, fields)
    _apply(supportfund, fields, SUPPORT_FUND_FIELDS[1:])
    check_year(supportfund.village, supportfund.year)
    return _save(supportfund)


@transaction.atomic
def support_fund_delete(*, actor, supportfund: SupportFund) -> None:
    _ensure_writer(actor)
    ensure_in_scope(actor, supportfund)
    ensure_record_open(supportfund, delete=True)
    supportfund.delete()


# Projects


def _check_project(project: Project, *, current_mode: int | None = None) -> None:
    project.clean_fields()  # typed amounts before they are added up
    check_year(
        project.village,
        project.start_year,
        field="start_year",
        allow_next_year=project.status == ProjectStatus.PLANNED,
    )
    _check_mode(project.mode, ModeKind.PROJECT, field="mode", current_id=current_mode)
    if sum(getattr(project, name) for name in PROJECT_FUND_FIELDS) > project.funds_total:
        raise ValidationError({"funds_total": _("The funds by source add up to more than the total funds.")})
    if project.people_benefiting < project.households_benefiting:
        raise ValidationError(
            {"people_benefiting": _("A household benefiting counts at least one person benefiting.")}
        )


def _ensure_unique_project_name(project: Project) -> None:
    if (
        Project.objects.filter(village_id=project.village_id, name=project.name)
        .exclude(pk=project.pk)
        .exists()
    ):
        raise ValidationError({"name": _("This village already has a project with this name.")})


@transaction.atomic
def project_create(*, actor, village: Village, name: str, start_year: int, funds_total, **fields) -> Project:
    _ensure_writer(actor)
    village = _locked_village(actor, village)
    project = _apply(
        Project(village=village, name=name, start_year=start_year, funds_total=funds_total),
        fields,
        PROJECT_FIELDS,
    )
    _check_project(project)
    _ensure_unique_project_name(project)
    return _save(project)


@transaction.atomic
def project_update(*, actor, project: Project, **fields) -> Project:
    _ensure_writer(actor)
    ensure_in_scope(actor, project)
    _keep_village(project, fields)
    project.village = _locked_village(actor, project.village)
    current_mode = project.mode_id
    _apply(project, fields, PROJECT_FIELDS[1:])
    _check_project(project, current_mode=current_mode)
    _ensure_unique_project_name(project)
    return _save(project)


@transaction.atomic
def project_delete(*, actor, project: Project) -> None:
    _ensure_writer(actor)
    ensure_in_scope(actor, project)
    ensure_record_open(project, delete=True)
    project.delete()


# Pairings with helping units


def _check_pairing(pairing: Pairing) -> None:
    pairing.clean_fields()
    check_year(pairing.village, pairing.start_year, field="start_year", allow_next_year=True)
    if pairing.end_year is not None and pairing.end_year < pairing.start_year:
        raise ValidationError({"end_year": _("The end year cannot be before the start year.")})
    duplicate = Pairing.objects.filter(
        village_id=pairing.village_id, unit_name=pairing.unit_name, start_year=pairing.start_year
    ).exclude(pk=pairing.pk)
    if duplicate.exists():
        raise ValidationError(
            {"unit_name": _("This unit is already paired with the village from that year.")}
        )


@transaction.atomic
def pairing_create(*, actor, village: Village, unit_name: str, start_year: int, **fields) -> Pairing:
    _ensure_writer(actor)
    village = _locked_village(actor, village)
    pairing = _apply(
        Pairing(village=village, unit_name=(unit_name or "").strip(), start_year=start_year),
        fields,
        PAIRING_FIELDS,
    )
    _check_pairing(pairing)
    return _save(pairing)


@transaction.atomic
def pairing_update(*, actor, pairing: Pairing, **fields) -> Pairing:
    _ensure_writer(actor)
    ensure_in_scope(actor, pairing)
    _keep_village(pairing, fields)
    _apply(pairing, fields, PAIRING_FIELDS[1:])
    pairing.unit_name = (pairing.unit_name or "").strip()
    _check_pairing(pairing)
    return _save(pairing)


@transaction.atomic
def pairing_delete(*, actor, pairing: Pairing) -> None:
    _ensure_writer(actor)
    ensure_in_scope(actor, pairing)
    ensure_record_open(pairing, delete=True)
    pairing.delete()


# The list of development modes (the same for every region; city admins keep it)


@transaction.atomic
def development_mode_create(*, actor, code: str, name: str, kind: str, **fields) -> DevelopmentMode:
    ensure_role(actor, MODE_ADMIN_ROLES)
    return _save(_apply(DevelopmentMode(code=code, name=name, kind=kind), fields, MODE_FIELDS))


@transaction.atomic
def development_mode_update(*, actor, developmentmode: DevelopmentMode, **fields) -> DevelopmentMode:
    ensure_role(actor, MODE_ADMIN_ROLES)
    mode = developmentmode
    in_use = mode.incomes.exists() or mode.projects.exists()
    if "kind" in fields and fields["kind"] != mode.kind and in_use:
        raise ValidationError({"kind": _("Records use this mode, so its kind cannot change.")})
    if "code" in fields and fields["code"] != mode.code and in_use:
        raise ValidationError({"code": _("Records use this mode, so its code cannot change.")})
    return _save(_apply(mode, fields, MODE_FIELDS))


@transaction.atomic
def development_mode_delete(*, actor, developmentmode: DevelopmentMode) -> None:
    ensure_role(actor, MODE_ADMIN_ROLES)
    try:
        with transaction.atomic():
            developmentmode.delete()
    except ProtectedError as exc:
        raise ValidationError(_("Records use this mode; mark it as no longer active instead.")) from exc
