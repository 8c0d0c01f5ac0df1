"""Writes on Party organisations, their four-level chain, yearly ratings and rectification cases.

Roles: township staff and other data-entry roles keep organisations, grids, central households and the
day-to-day work of a case (problems, measures, leader, deadline, progress notes, starting it). Ratings,
accepting and extending a case are county decisions: county and city admins, and API clients acting
for them. Every write on an organisation needs all of its villages in the actor's region.
"""

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.configuration import value_of
from apps.core.permissions import ADMIN_ROLES, DATA_ENTRY_ROLES, ensure_role
from apps.core.reporting.locks import ensure_record_open
from apps.core.scoping import in_scope, scope_for

from ..config import REPEAT_CASE_WINDOW_YEARS
from ..models import (
    CentralHousehold,
    PartyGrid,
    PartyOrganisation,
    PartyOrganisationVillage,
    Rating,
    RatingLevel,
    Rectification,
    RectificationMeasure,
    RectificationNote,
    RectificationStatus,
    Village,
)
from .regions import ensure_village_active

# Ratings, acceptance and extension of cases are the county's decisions (DOMAIN.md: a county admin confirms).
DECISION_ROLES = ADMIN_ROLES | {"api_client"}
ORGANISATION_FIELDS = ("name", "kind", "villages", "members_count", "founded_on", "dissolved_on", "secretary")
RECTIFICATION_FIELDS = ("problems", "measures", "responsible_leader", "opened_on", "deadline")
GRID_FIELDS = ("name", "area", "leader_name", "members_count")
HOUSEHOLD_FIELDS = ("member_name", "households_served")


def _person(actor):
    """The user to record as author or confirmer; the shell's SYSTEM actor is recorded as nobody."""
    return actor if getattr(actor, "pk", None) else None


def _save(instance):
    instance.full_clean()
    ensure_record_open(instance)
    instance.save()
    return instance


def _reject_unknown(fields: dict, allowed: tuple[str, ...]) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValidationError(_("Unknown fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})


def _today() -> datetime.date:
    return timezone.localdate()


def _outside_villages(actor, organisation: PartyOrganisation) -> bool:
    """Whether any village of ``organisation`` lies outside the actor's region."""
    links = PartyOrganisationVillage.objects.filter(organisation=organisation)
    return links.count() != scope_for(actor, links).count()


def ensure_organisation_writable(actor, organisation: PartyOrganisation | None, *, field: str | None = None):
    """Writes on an organisation (or its ratings, cases and grids) need every one of its villages in scope.

    With ``field`` an organisation outside the region is a field error (the caller chose it);
    without, it is refused with 403 (the caller acts on a record it can see only in part).
    """
    if (
        organisation is not None
        and in_scope(actor, organisation)
        and not _outside_villages(actor, organisation)
    ):
        return
    if field:
        raise ValidationError({field: _("Choose an organisation within your own region.")})
    raise PermissionDenied(_("This organisation covers villages outside your region."))


# Organisations


def _checked_villages(actor, villages: Iterable[Village] | None, *, current: set[int]) -> list[Village]:
    """The organisation's villages: at least one, all in the actor's region and in one township."""
    villages = list({v.pk: v for v in villages or ()}.values())
    if not villages:
        raise ValidationError({"villages": _("Choose at least one village.")})
    ids = [v.pk for v in villages]
    if scope_for(actor, Village.objects.filter(pk__in=ids)).count() != len(ids):
        raise ValidationError({"villages": _("Choose villages within your own region.")})
    if len({v.township_id for v in villages}) > 1:
        raise ValidationError(
            {"villages": _("All villages of one organisation belong to the same township.")}
        )
    for village in villages:
        if village.pk not in current:
            ensure_village_active(village, field="villages")
    return villages


def _check_organisation_dates(organisation: PartyOrganisation) -> None:
    today = _today()
    founded, dissolved = organisation.founded_on, organisation.dissolved_on
    if founded and founded > today:
        raise ValidationError({"founded_on": _("The founding date cannot be in the future.")})
    if dissolved and dissolved > today:
        raise ValidationError({"dissolved_on": _("The date of dissolution cannot be in the future.")})
    if founded and dissolved and dissolved < founded:
        raise ValidationError(
            {"dissolved_on": _("An organisation cannot be dissolved before it was founded.")}
        )
    if organisation.pk:
        years = organisation.ratings.values_list("year", flat=True)
        if founded and years.filter(year__lt=founded.year).exists():
            raise ValidationError(
                {"founded_on": _("The organisation has ratings for years before it would have been founded.")}
            )
        if dissolved and years.filter(year__gt=dissolved.year).exists():
            raise ValidationError(
                {
                    "dissolved_on": _(
                        "The organisation has ratings for years after it would have been dissolved."
                    )
                }
            )


def _check_secretary(actor, organisation: PartyOrganisation, village_ids: set[int]) -> None:
    secretary = organisation.secretary
    if secretary is None:
        return
    if not in_scope(actor, secretary):
        raise ValidationError({"secretary": _("Choose a cadre within your own region.")})
    if secretary.village_id not in village_ids:
        raise ValidationError(
            {"secretary": _("The secretary must be a cadre of one of the organisation's villages.")}
        )


def _set_villages(organisation: PartyOrganisation, villages: list[Village]) -> None:
    wanted = {v.pk for v in villages}
    links = PartyOrganisationVillage.objects.filter(organisation=organisation)
    links.exclude(village_id__in=wanted).delete()
    present = set(links.values_list("village_id", flat=True))
    PartyOrganisationVillage.objects.bulk_create(
        PartyOrganisationVillage(organisation=organisation, village_id=pk) for pk in sorted(wanted - present)
    )


@transaction.atomic
def organisation_create(*, actor, villages: Iterable[Village], **fields) -> PartyOrganisation:
    ensure_role(actor, DATA_ENTRY_ROLES)
    _reject_unknown(fields, ORGANISATION_FIELDS)
    villages = _checked_villages(actor, villages, current=set())
    township = villages[0].township
    organisation = PartyOrganisation(
        township=township, county_id=township.county_id, is_joint=len(villages) > 1, **fields
    )
    _check_organisation_dates(organisation)
    _check_secretary(actor, organisation, {v.pk for v in villages})
    _save(organisation)
    _set_villages(organisation, villages)
    return organisation


@transaction.atomic
def organisation_update(*, actor, organisation: PartyOrganisation, **fields) -> PartyOrganisation:
    ensure_role(actor, DATA_ENTRY_ROLES)
    ensure_organisation_writable(actor, organisation)
    _reject_unknown(fields, ORGANISATION_FIELDS)
    organisation = PartyOrganisation.objects.select_for_update().get(pk=organisation.pk)
    current = set(organisation.village_links.values_list("village_id", flat=True))
    villages = fields.pop("villages", None)
    if villages is not None:
        villages = _checked_villages(actor, villages, current=current)
        township = villages[0].township
        organisation.township, organisation.county_id = township, township.county_id
        organisation.is_joint = len(villages) > 1
        current = {v.pk for v in villages}
    for name, value in fields.items():
        setattr(organisation, name, value)
    _check_organisation_dates(organisation)
    _check_secretary(actor, organisation, current)
    _save(organisation)
    if villages is not None:
        _set_villages(organisation, villages)
    return organisation


@transaction.atomic
def organisation_delete(*, actor, organisation: PartyOrganisation) -> None:
    """Only an organisation entered by mistake, without ratings or grids, can be deleted."""
    ensure_role(actor, DATA_ENTRY_ROLES)
    ensure_organisation_writable(actor, organisation)
    try:
        with transaction.atomic():
            organisation.delete()
    except ProtectedError as exc:
        raise ValidationError(
            _(
                "This organisation has ratings or grids and cannot be deleted; record when it was dissolved instead."
            )
        ) from exc


def organisations_follow_village(village: Village) -> None:
    """A village moved to another township: its own organisations move with it (their denormalised
    township and county follow); a joint organisation, whose villages share a township, blocks the move."""
    moved = PartyOrganisation.objects.filter(village_links__village=village).exclude(
        township_id=village.township_id
    )
    for organisation in moved.select_for_update():
        if organisation.village_links.exclude(village=village).exists():
            raise ValidationError(
                {
                    "township": _(
                        "The village belongs to the joint organisation %(name)s, whose villages are in one "
                        "township; change that organisation first."
                    )
                    % {"name": organisation.name}
                }
            )
        organisation.township_id, organisation.county_id = village.township_id, village.county_id
        organisation.save(update_fields=["township", "county", "updated_at"])


# The four-level chain: grids and Party-member central households


def _check_grid_name(grid: PartyGrid) -> None:
    same = PartyGrid.objects.filter(organisation_id=grid.organisation_id, name=grid.name).exclude(pk=grid.pk)
    if same.exists():
        raise ValidationError({"name": _("This organisation already has a grid with this name.")})


@transaction.atomic
def grid_create(*, actor, organisation: PartyOrganisation, **fields) -> PartyGrid:
    ensure_role(actor, DATA_ENTRY_ROLES)
    ensure_organisation_writable(actor, organisation, field="organisation")
    _reject_unknown(fields, GRID_FIELDS)
    grid = PartyGrid(organisation=organisation, **fields)
    _check_grid_name(grid)
    return _save(grid)


@transaction.atomic
def grid_update(*, actor, grid: PartyGrid, **fields) -> PartyGrid:
    ensure_role(actor, DATA_ENTRY_ROLES)
    ensure_organisation_writable(actor, grid.organisation)
    if "organisation" in fields and fields.pop("organisation") != grid.organisation:
        raise ValidationError({"organisation": _("A grid cannot move to another organisation.")})
    _reject_unknown(fields, GRID_FIELDS)
    for name, value in fields.items():
        setattr(grid, name, value)
    _check_grid_name(grid)
    return _save(grid)


@transaction.atomic
def grid_delete(*, actor, grid: PartyGrid) -> None:
    ensure_role(actor, DATA_ENTRY_ROLES)
    ensure_organisation_writable(actor, grid.organisation)
    try:
        with transaction.atomic():
            grid.delete()
    except ProtectedError as exc:
        raise ValidationError(_("This grid has central households; remove them first.")) from exc


@transaction.atomic
def central_household_create(*, actor, grid: PartyGrid, **fields) -> CentralHousehold:
    ensure_role(actor, DATA_ENTRY_ROLES)
    if grid is None or not in_scope(actor, grid):
        raise ValidationError({"grid": _("Choose a grid within your own region.")})
    ensure_organisation_writable(actor, grid.organisation, field="grid")
    _reject_unknown(fields, HOUSEHOLD_FIELDS)
    return _save(CentralHousehold(grid=grid, **fields))


@transaction.atomic
def central_household_update(*, actor, household: CentralHousehold, **fields) -> CentralHousehold:
    ensure_role(actor, DATA_ENTRY_ROLES)
    ensure_organisation_writable(actor, household.grid.organisation)
    if "grid" in fields:
        grid = fields.pop("grid")
        if grid.pk != household.grid_id:
            if grid.organisation_id != household.grid.organisation_id:
                raise ValidationError(
                    {"grid": _("A household moves only between grids of its organisation.")}
                )
            household.grid = grid
    _reject_unknown(fields, HOUSEHOLD_FIELDS)
    for name, value in fields.items():
        setattr(household, name, value)
    return _save(household)


@transaction.atomic
def central_household_delete(*, actor, household: CentralHousehold) -> None:
    ensure_role(actor, DATA_ENTRY_ROLES)
    ensure_organisation_writable(actor, household.grid.organisation)
    household.delete()


# Ratings


def _check_rating_year(organisation: PartyOrganisation, year: int) -> None:
    if year is None:
        raise ValidationError({"year": _("Give the year of the rating.")})
    if year > _today().year:
        raise ValidationError({"year": _("A rating cannot be for a future year.")})
    if organisation.founded_on and year < organisation.founded_on.year:
        raise ValidationError(
            {"year": _("The organisation was founded in %(year)s.") % {"year": organisation.founded_on.year}}
        )
    if organisation.dissolved_on and year > organisation.dissolved_on.year:
        raise ValidationError(
            {
                "year": _("The organisation was dissolved in %(year)s.")
                % {"year": organisation.dissolved_on.year}
            }
        )


def refresh_repeat_flags(organisation: PartyOrganisation, *, from_year: int) -> None:
    """Recompute ``is_repeat`` of the organisation's cases from ``from_year`` on.

    A case is a repeat when the organisation had another case (another weak-and-lax rating) within the
    configured number of years before it. The window is the value in force for the county today.
    """
    window = value_of(REPEAT_CASE_WINDOW_YEARS.key, county=organisation.county_id)
    cases = list(Rectification.objects.filter(organisation=organisation).order_by("year"))
    years = [case.year for case in cases]
    changed = []
    for case in cases:
        if case.year < from_year:
            continue
        repeat = any(0 < case.year - year <= window for year in years)
        if repeat != case.is_repeat:
            case.is_repeat = repeat
            changed.append(case)
    Rectification.objects.bulk_update(changed, ["is_repeat"])


def _open_case(rating: Rating) -> Rectification:
    """A weak-and-lax rating opens the organisation's case for that year (called inside the rating's transaction)."""
    case = Rectification(
        organisation=rating.organisation, year=rating.year, rating=rating, opened_on=_today()
    )
    _save(case)
    refresh_repeat_flags(rating.organisation, from_year=rating.year)
    case.refresh_from_db(fields=["is_repeat"])
    return case


@transaction.atomic
def rating_create(
    *, actor, organisation: PartyOrganisation, year: int, level: str, reason: str = ""
) -> Rating:
    """Record the organisation's confirmed rating for ``year``; a weak-and-lax one opens a rectification case."""
    ensure_role(actor, DECISION_ROLES)
    ensure_organisation_writable(actor, organisation, field="organisation")
    # One rating per organisation and year: lock the organisation so concurrent requests queue here.
    organisation = PartyOrganisation.objects.select_for_update().get(pk=organisation.pk)
    _check_rating_year(organisation, year)
    if Rating.objects.filter(organisation=organisation, year=year).exists():
        raise ValidationError(
            {"year": _("This organisation already has a rating for %(year)s.") % {"year": year}}
        )
    rating = _save(
        Rating(
            organisation=organisation,
            year=year,
            level=level,
            reason=reason or "",
            confirmed_by=_person(actor),
            confirmed_at=timezone.now(),
        )
    )
    if rating.level == RatingLevel.WEAK:
        _open_case(rating)
    return rating


@transaction.atomic
def rating_update(*, actor, rating: Rating, change_reason: str = "", **fields) -> Rating:
    """Change a confirmed rating: the reason is required, the actor re-confirms it and the history keeps the old one.

    Moving to weak and lax opens the year's case; moving away removes the case only while it is
    untouched (identified, no progress notes); a case under way keeps the rating weak and lax.
    """
    ensure_role(actor, DECISION_ROLES)
    ensure_organisation_writable(actor, rating.organisation)
    rating = Rating.objects.select_for_update().select_related("organisation").get(pk=rating.pk)
    organisation = fields.pop("organisation", rating.organisation)
    if getattr(organisation, "pk", organisation) != rating.organisation_id:
        raise ValidationError({"organisation": _("The organisation of a rating cannot change.")})
    if fields.pop("year", rating.year) != rating.year:
        raise ValidationError({"year": _("The year of a rating cannot change.")})
    _reject_unknown(fields, ("level", "reason"))
    if not (change_reason or "").strip():
        raise ValidationError({"change_reason": _("Give the reason for changing a confirmed rating.")})
    was_weak = rating.level == RatingLevel.WEAK
    for name, value in fields.items():
        setattr(rating, name, value if value is not None else "")
    rating.change_reason = change_reason.strip()
    rating.confirmed_by, rating.confirmed_at = _person(actor), timezone.now()
    is_weak = rating.level == RatingLevel.WEAK
    if was_weak and not is_weak:
        case = Rectification.objects.select_for_update().filter(rating=rating).first()
        if case is not None:
            if case.status != RectificationStatus.IDENTIFIED or case.notes.exists():
                raise ValidationError(
                    {
                        "level": _(
                            "The rectification case for %(year)s is already under way, so the rating stays weak and lax."
                        )
                        % {"year": rating.year}
                    }
                )
            case.delete()
    _save(rating)
    if is_weak and not was_weak:
        _open_case(rating)
    elif was_weak and not is_weak:
        refresh_repeat_flags(rating.organisation, from_year=rating.year)
    return rating


# Rectification cases


def _locked_case(actor, rectification: Rectification, roles) -> Rectification:
    ensure_role(actor, roles)
    ensure_organisation_writable(actor, rectification.organisation)
    return Rectification.objects.select_for_update().select_related("organisation").get(pk=rectification.pk)


def _clean_measures(measures) -> list[str]:
    allowed = set(RectificationMeasure.values)
    measures = list(dict.fromkeys(measures or ()))
    unknown = [m for m in measures if m not in allowed]
    if unknown:
        raise ValidationError(
            {"measures": _("Unknown measures: %(measures)s.") % {"measures": ", ".join(map(str, unknown))}}
        )
    # Stored in the standard order of the five measures, so equal choices compare equal.
    return [m for m in RectificationMeasure.values if m in measures]


def _check_deadline(case: Rectification, deadline: datetime.date | None) -> None:
    if deadline is not None and deadline < case.opened_on:
        raise ValidationError(
            {
                "deadline": _("The deadline cannot be before the case opened (%(date)s).")
                % {"date": case.opened_on.isoformat()}
            }
        )


@transaction.atomic
def rectification_update(*, actor, rectification: Rectification, **fields) -> Rectification:
    """The case's plan: problems, measures, responsible leader, opening date and (before it starts) deadline."""
    case = _locked_case(actor, rectification, DATA_ENTRY_ROLES)
    _reject_unknown(fields, RECTIFICATION_FIELDS)
    if case.status == RectificationStatus.ACCEPTED:
        raise ValidationError(_("An accepted case cannot be changed."))
    if "measures" in fields:
        case.measures = _clean_measures(fields.pop("measures"))
    opened_on = fields.pop("opened_on", case.opened_on) or case.opened_on
    if opened_on != case.opened_on:
        if opened_on > _today():
            raise ValidationError({"opened_on": _("A case cannot open in the future.")})
        if opened_on.year < case.year:
            raise ValidationError(
                {"opened_on": _("A case for %(year)s cannot open before that year.") % {"year": case.year}}
            )
        if case.notes.filter(date__lt=opened_on).exists():
            raise ValidationError({"opened_on": _("The case has progress notes dated before this day.")})
        case.opened_on = opened_on
    if "deadline" in fields:
        deadline = fields.pop("deadline")
        if deadline != case.deadline:
            if case.status != RectificationStatus.IDENTIFIED and case.deadline is not None:
                raise ValidationError(
                    {
                        "deadline": _(
                            "Once rectification has started, the deadline moves only by extending the case."
                        )
                    }
                )
            case.deadline = deadline
    _check_deadline(case, case.deadline)
    for name, value in fields.items():
        setattr(case, name, value if value is not None else "")
    return _save(case)


@transaction.atomic
def rectification_start(*, actor, rectification: Rectification) -> Rectification:
    case = _locked_case(actor, rectification, DATA_ENTRY_ROLES)
    if case.status != RectificationStatus.IDENTIFIED:
        raise ValidationError(_("Only an identified case can start rectification."))
    case.status = RectificationStatus.RECTIFYING
    return _save(case)


@transaction.atomic
def rectification_accept(
    *, actor, rectification: Rectification, accepted_on: datetime.date | None = None
) -> Rectification:
    """Acceptance (验收) closes a case under rectification; it needs a standard measure and a progress note."""
    case = _locked_case(actor, rectification, DECISION_ROLES)
    if case.status not in (RectificationStatus.RECTIFYING, RectificationStatus.EXTENDED):
        raise ValidationError(_("Only a case under rectification can be accepted."))
    errors = {}
    if not case.measures:
        errors["measures"] = _("Choose at least one of the five standard measures before accepting the case.")
    if not case.notes.exists():
        errors["progress_notes"] = _("Record at least one progress note before accepting the case.")
    accepted_on = accepted_on or _today()
    if accepted_on > _today():
        errors["accepted_on"] = _("A case cannot be accepted in the future.")
    elif accepted_on < case.opened_on:
        errors["accepted_on"] = _("A case cannot be accepted before it opened.")
    if errors:
        raise ValidationError(errors)
    case.status, case.accepted_on, case.accepted_by = (
        RectificationStatus.ACCEPTED,
        accepted_on,
        _person(actor),
    )
    return _save(case)


@transaction.atomic
def rectification_extend(
    *, actor, rectification: Rectification, deadline: datetime.date, reason: str = ""
) -> Rectification:
    """Give a case under rectification a later deadline; a reason is kept as a progress note."""
    case = _locked_case(actor, rectification, DECISION_ROLES)
    if case.status not in (RectificationStatus.RECTIFYING, RectificationStatus.EXTENDED):
        raise ValidationError(_("Only a case under rectification can be extended."))
    if deadline is None:
        raise ValidationError({"deadline": _("Give the new deadline.")})
    _check_deadline(case, deadline)
    if case.deadline is not None and deadline <= case.deadline:
        raise ValidationError(
            {
                "deadline": _("The new deadline must be later than the current one (%(date)s).")
                % {"date": case.deadline.isoformat()}
            }
        )
    case.deadline, case.status = deadline, RectificationStatus.EXTENDED
    _save(case)
    if (reason or "").strip():
        text = _("Deadline extended to %(date)s: %(reason)s") % {
            "date": deadline.isoformat(),
            "reason": reason.strip(),
        }
        _save(RectificationNote(rectification=case, date=_today(), text=text, author=_person(actor)))
    return case


@transaction.atomic
def rectification_note_add(
    *, actor, rectification: Rectification, date: datetime.date, text: str
) -> RectificationNote:
    case = _locked_case(actor, rectification, DATA_ENTRY_ROLES)
    if case.status == RectificationStatus.ACCEPTED:
        raise ValidationError(_("An accepted case takes no more progress notes."))
    if not (text or "").strip():
        raise ValidationError({"text": _("Describe the progress.")})
    if date is None:
        raise ValidationError({"date": _("Give the date of the progress.")})
    if date > _today():
        raise ValidationError({"date": _("A progress note cannot be dated in the future.")})
    if date < case.opened_on:
        raise ValidationError(
            {
                "date": _("A progress note cannot be dated before the case opened (%(date)s).")
                % {"date": case.opened_on.isoformat()}
            }
        )
    return _save(RectificationNote(rectification=case, date=date, text=text.strip(), author=_person(actor)))
