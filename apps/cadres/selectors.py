"""Scoped reads of cadres, positions, reserves, trainings and degree enrolments (pages, API, exports).

Statistics live in ``apps.cadres.statistics``.
"""

from __future__ import annotations

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef, QuerySet

from apps.core.scoping import scope_for
from apps.villages.models import County, Township, Village

from .models import Cadre, CadrePosition, DegreeEnrolment, ReserveCadre, Training, one_shoulder_q

VILLAGE_RELATED = ("village__township", "village__county")


def cadre_list(*, user) -> QuerySet[Cadre]:
    """Cadres in the user's region with ``current_roles`` (list of role codes) and ``is_one_shoulder``."""
    current_roles = ArraySubquery(
        CadrePosition.objects.current().filter(cadre=OuterRef("pk")).order_by("role").values("role")
    )
    queryset = Cadre.objects.select_related(*VILLAGE_RELATED).annotate(
        current_roles=current_roles, is_one_shoulder=one_shoulder_q()
    )
    return scope_for(user, queryset)


def position_list(*, user) -> QuerySet[CadrePosition]:
    return scope_for(user, CadrePosition.objects.select_related("cadre", *VILLAGE_RELATED))


def reserve_list(*, user) -> QuerySet[ReserveCadre]:
    return scope_for(user, ReserveCadre.objects.select_related(*VILLAGE_RELATED))


def training_list(*, user) -> QuerySet[Training]:
    return scope_for(
        user, Training.objects.select_related("cadre__village__township", "cadre__village__county")
    )


def enrolment_list(*, user) -> QuerySet[DegreeEnrolment]:
    return scope_for(
        user, DegreeEnrolment.objects.select_related("cadre__village__township", "cadre__village__county")
    )


# Choices for forms and filters


def county_choices(*, user) -> QuerySet[County]:
    return scope_for(user, County.objects.all())


def township_choices(*, user) -> QuerySet[Township]:
    return scope_for(user, Township.objects.all())


def village_choices(*, user) -> QuerySet[Village]:
    """Villages new records may be attached to: in the user's region and not retired."""
    return scope_for(user, Village.objects.filter(retired_on__isnull=True).select_related("township"))
