"""Writes of the dashboard app: survey results, public-page opt-in, report-pack requests."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.permissions import ADMIN_ROLES, DATA_ENTRY_ROLES, ensure_role
from apps.core.scoping import LEVELS, ensure_in_scope, in_scope
from apps.villages.models import Village

from .models import PackStatus, PublicVillagePage, ReportPack, SurveyResult
from .scope import Scope

SURVEY_FIELDS = ("city", "county", "year", "reason", "share")
PUBLIC_PAGE_ROLES = frozenset({"city_admin", "county_admin", "township_staff"})


def _check_survey(actor, survey: SurveyResult) -> None:
    if survey.county_id is not None and survey.county.city_id != survey.city_id:
        raise ValidationError({"county": _("This county is not in the chosen city.")})
    region = survey.county if survey.county_id else survey.city
    if not in_scope(actor, region):
        raise PermissionDenied(_("This record is outside your region."))
    binding = None if actor.is_superuser else actor.region_binding()
    if binding is not None and binding[0] != "city" and survey.county_id is None:
        raise PermissionDenied(_("Only the city's administrators record city-wide surveys."))
    survey.full_clean(exclude=["city", "county"], validate_unique=False, validate_constraints=False)


def _save_survey(survey: SurveyResult) -> SurveyResult:
    try:
        with transaction.atomic():
            survey.save()
    except IntegrityError as exc:
        raise ValidationError(
            {"reason": _("This reason is already recorded for this region and year.")}
        ) from exc
    return survey


@transaction.atomic
def survey_result_create(*, actor, **fields) -> SurveyResult:
    ensure_role(actor, ADMIN_ROLES)
    survey = SurveyResult(**{name: fields.get(name) for name in SURVEY_FIELDS})
    _check_survey(actor, survey)
    return _save_survey(survey)


@transaction.atomic
def survey_result_update(*, actor, survey: SurveyResult, **fields) -> SurveyResult:
    ensure_role(actor, ADMIN_ROLES)
    ensure_in_scope(actor, survey)
    survey = SurveyResult.objects.select_for_update().get(pk=survey.pk)
    for name in SURVEY_FIELDS:
        if name in fields:
            setattr(survey, name, fields[name])
    _check_survey(actor, survey)
    return _save_survey(survey)


@transaction.atomic
def survey_result_delete(*, actor, survey: SurveyResult) -> None:
    ensure_role(actor, ADMIN_ROLES)
    ensure_in_scope(actor, survey)
    survey.delete()


@transaction.atomic
def public_page_set(*, actor, village: Village, enabled: bool) -> PublicVillagePage:
    """Publish or withdraw a village's transparency page (township staff and county/city admins)."""
    ensure_role(actor, PUBLIC_PAGE_ROLES)
    ensure_in_scope(actor, village)
    if enabled and village.retired_on is not None:
        raise ValidationError(_("A retired village has no public page."))
    page, _created = PublicVillagePage.objects.select_for_update().get_or_create(village=village)
    page.enabled = enabled
    page.enabled_by = actor if getattr(actor, "pk", None) else None
    page.enabled_at = timezone.now()
    page.save()
    from .cache import forget_public_page  # the cached page changes with the switch

    forget_public_page(village.code)
    return page


@transaction.atomic
def report_pack_request(*, actor, scope: Scope, year_from: int, year_to: int) -> ReportPack:
    """Record a pack for ``scope`` and the year range; the caller queues ``build_report_pack``."""
    ensure_role(actor, DATA_ENTRY_ROLES)
    ensure_in_scope(actor, scope.region)
    own = None if actor.is_superuser else actor.region_binding()
    if own is not None and LEVELS.index(scope.level) < LEVELS.index(own[0]):
        raise PermissionDenied(_("This record is outside your region."))
    if scope.level not in ReportPack.LEVELS:
        raise ValidationError(_("Report packs are made for a city, a county or a township."))
    if year_from > year_to:
        raise ValidationError({"year_to": _("The last year cannot be before the first.")})
    if year_to - year_from >= 30:
        raise ValidationError({"year_from": _("Choose at most 30 years.")})
    return ReportPack.objects.create(
        level=scope.level,
        city_id=scope.city_id,
        county_id=scope.county_id,
        township=scope.township,
        year_from=year_from,
        year_to=year_to,
        requested_by=actor,
        status=PackStatus.QUEUED,
    )
