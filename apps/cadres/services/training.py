"""Training records and degree-upgrade enrolments (学历提升)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.core.permissions import DATA_ENTRY_ROLES, ensure_role
from apps.core.reporting.locks import ensure_record_open
from apps.core.scoping import ensure_in_scope

from ..models import EDUCATION_RANK, Cadre, DegreeEnrolment, Training
from .common import apply_fields, ensure_cadre, ensure_not_future, save_checked

TRAINING_FIELDS = ("cadre", "course", "organiser", "start_date", "days")
ENROLMENT_FIELDS = ("cadre", "institution", "programme", "target_education", "enrolled_on")


def _check_training(training: Training) -> None:
    if not (training.course or "").strip():
        raise ValidationError({"course": _("Name the course.")})
    ensure_not_future(training.start_date, "start_date")


@transaction.atomic
def training_create(
    *, actor, cadre: Cadre, course: str, start_date: datetime.date, days: int, organiser: str = ""
) -> Training:
    ensure_role(actor, DATA_ENTRY_ROLES)
    ensure_cadre(actor, cadre)
    training = Training(
        cadre=cadre,
        course=(course or "").strip(),
        organiser=(organiser or "").strip(),
        start_date=start_date,
        days=days,
    )
    _check_training(training)
    return save_checked(training)


@transaction.atomic
def training_update(*, actor, training: Training, **fields) -> Training:
    ensure_role(actor, DATA_ENTRY_ROLES)
    ensure_in_scope(actor, training)
    if "cadre" in fields and fields["cadre"].pk != training.cadre_id:
        ensure_cadre(actor, fields["cadre"])
    for name in ("course", "organiser"):
        if name in fields:
            fields[name] = (fields[name] or "").strip()
    apply_fields(training, fields, TRAINING_FIELDS)
    _check_training(training)
    return save_checked(training)


@transaction.atomic
def training_delete(*, actor, training: Training) -> None:
    ensure_role(actor, DATA_ENTRY_ROLES)
    ensure_in_scope(actor, training)
    ensure_record_open(training, delete=True)
    training.delete()


# Degree-upgrade enrolments


def _check_target(cadre: Cadre, target: str) -> None:
    if EDUCATION_RANK.get(target, -1) <= EDUCATION_RANK.get(cadre.education, -1):
        raise ValidationError(
            {"target_education": _("The programme must lead above the cadre's present education.")}
        )


@transaction.atomic
def enrolment_create(
    *,
    actor,
    cadre: Cadre,
    institution: str,
    target_education: str,
    enrolled_on: datetime.date,
    programme: str = "",
) -> DegreeEnrolment:
    ensure_role(actor, DATA_ENTRY_ROLES)
    ensure_cadre(actor, cadre)
    _check_target(cadre, target_education)
    ensure_not_future(enrolled_on, "enrolled_on")
    if cadre.degree_enrolments.filter(completed_on__isnull=True).exists():
        raise ValidationError(_("This cadre is already enrolled in a programme that has not been completed."))
    if not (institution or "").strip():
        raise ValidationError({"institution": _("Name the institution.")})
    enrolment = DegreeEnrolment(
        cadre=cadre,
        institution=institution.strip(),
        programme=(programme or "").strip(),
        target_education=target_education,
        enrolled_on=enrolled_on,
    )
    return save_checked(enrolment)


@transaction.atomic
def enrolment_update(*, actor, enrolment: DegreeEnrolment, **fields) -> DegreeEnrolment:
    """Corrections to an open enrolment; a completed one is history and stays as it is."""
    ensure_role(actor, DATA_ENTRY_ROLES)
    ensure_in_scope(actor, enrolment)
    if enrolment.is_completed:
        raise ValidationError(_("A completed enrolment cannot be changed."))
    if "cadre" in fields and fields["cadre"].pk != enrolment.cadre_id:
        raise ValidationError({"cadre": _("An enrolment cannot move to another cadre.")})
    fields.pop("cadre", None)
    apply_fields(enrolment, fields, ENROLMENT_FIELDS)
    _check_target(enrolment.cadre, enrolment.target_education)
    ensure_not_future(enrolment.enrolled_on, "enrolled_on")
    return save_checked(enrolment)


@transaction.atomic
def enrolment_complete(*, actor, enrolment: DegreeEnrolment, completed_on: datetime.date) -> DegreeEnrolment:
    """The cadre graduates: their education becomes the programme's, the previous one is kept for history."""
    ensure_role(actor, DATA_ENTRY_ROLES)
    ensure_in_scope(actor, enrolment)
    enrolment = DegreeEnrolment.objects.select_for_update().get(pk=enrolment.pk)
    cadre = Cadre.objects.select_for_update().get(pk=enrolment.cadre_id)
    if enrolment.is_completed:
        raise ValidationError(_("This enrolment is already completed."))
    ensure_not_future(completed_on, "completed_on")
    if completed_on < enrolment.enrolled_on:
        raise ValidationError({"completed_on": _("A programme cannot be completed before enrolling.")})
    later = cadre.degree_enrolments.filter(completed_on__gt=completed_on).exists()
    if later:
        raise ValidationError(
            {"completed_on": _("The cadre completed another programme after this date; enter them in order.")}
        )
    _check_target(cadre, enrolment.target_education)
    enrolment.completed_on, enrolment.previous_education = completed_on, cadre.education
    cadre.education = enrolment.target_education
    save_checked(cadre)
    return save_checked(enrolment)


@transaction.atomic
def enrolment_delete(*, actor, enrolment: DegreeEnrolment) -> None:
    ensure_role(actor, DATA_ENTRY_ROLES)
    ensure_in_scope(actor, enrolment)
    if enrolment.is_completed:
        raise ValidationError(_("A completed enrolment is part of the cadre's education history and stays."))
    ensure_record_open(enrolment, delete=True)
    enrolment.delete()
