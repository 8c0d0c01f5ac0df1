"""Village cadres (村两委 and group cadres), their positions, reserves, training and degree upgrades.

Dates of a position follow one convention everywhere: a position is held on day ``d`` when
``start_date <= d`` and (``end_date`` is empty or ``d < end_date``). ``end_date`` is the day the
position ended (a successor may start that same day), so "current" means ``end_date`` is empty.
Statistics "as of" a year use 31 December of that year with this rule.
"""

import datetime

import pghistory
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateRangeField, RangeOperators
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, F, Func, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from apps.core.idnumbers import IdNumberField
from apps.core.models import TimeStampedModel
from apps.core.scoping import village_scope_paths


class Gender(models.TextChoices):
    MALE = "male", _("male")
    FEMALE = "female", _("female")


class Education(models.TextChoices):
    BACHELOR_PLUS = "bachelor_plus", _("bachelor's degree or above")
    COLLEGE = "college", _("junior college")
    HIGH_SCHOOL = "high_school", _("senior high or technical school")
    JUNIOR_OR_BELOW = "junior_or_below", _("junior high school or below")


# Highest first; the order of the statistics tables.
EDUCATION_ORDER = (
    Education.BACHELOR_PLUS,
    Education.COLLEGE,
    Education.HIGH_SCHOOL,
    Education.JUNIOR_OR_BELOW,
)
EDUCATION_RANK = {level: rank for rank, level in enumerate(reversed(EDUCATION_ORDER))}
COLLEGE_OR_ABOVE = (Education.BACHELOR_PLUS, Education.COLLEGE)


class CadreSource(models.TextChoices):
    LOCAL = "local", _("from the village")
    RETURNED_MIGRANT = "returned_migrant", _("returned migrant worker")
    SELECTED = "selected", _("selected and sent down")
    EXCHANGE = "exchange", _("cross-region exchange")
    REHIRED_RETIREE = "rehired_retiree", _("rehired retiree")
    GRADUATE = "graduate", _("university graduate")


class Role(models.TextChoices):
    SECRETARY = "secretary", _("Party secretary")
    DIRECTOR = "director", _("village committee director")
    CLERK = "clerk", _("village clerk (cadre)")
    MEMBER = "member", _("committee member")
    GROUP_LEADER = "group_leader", _("group cadre")


# The "two committees" (村两委): the population of the cadre statistics. Group cadres are counted apart.
COMMITTEE_ROLES = (Role.SECRETARY, Role.DIRECTOR, Role.CLERK, Role.MEMBER)
# At most one holder at a time per village.
SINGLE_HOLDER_ROLES = (Role.SECRETARY, Role.DIRECTOR)


class EndReason(models.TextChoices):
    RESIGNED = "resigned", _("resigned")
    TERM_END = "term_end", _("end of term")
    DISMISSED = "dismissed", _("dismissed")
    TRANSFERRED = "transferred", _("transferred")
    DECEASED = "deceased", _("deceased")
    OTHER = "other", _("other")


def held_on_q(on: datetime.date, prefix: str = "") -> Q:
    """Positions (reached through ``prefix``) held on day ``on``."""
    return Q(**{f"{prefix}start_date__lte": on}) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gt": on})
    )


@pghistory.track()
class Cadre(TimeStampedModel):
    """A member of a village's two committees or a group cadre (村两委 / 社干部)."""

    scope_paths = village_scope_paths("village")

    # Indexed by the (village, name) index below.
    village = models.ForeignKey(
        "villages.Village", models.PROTECT, related_name="cadres", verbose_name=_("village"), db_index=False
    )
    name = models.CharField(_("name"), max_length=50)
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices)
    ethnicity = models.CharField(_("ethnicity"), max_length=20, default="汉族")
    id_number = IdNumberField(unique=True)
    # Derived from id_number by the services; stored so statistics by year need no parsing.
    birth_date = models.DateField(_("birth date"), editable=False)
    education = models.CharField(_("education"), max_length=20, choices=Education.choices)
    is_party_member = models.BooleanField(_("Party member"), default=False)
    source = models.CharField(
        _("source"), max_length=20, choices=CadreSource.choices, default=CadreSource.LOCAL
    )
    is_wealth_leader = models.BooleanField(_("wealth leader"), default=False)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("cadre")
        verbose_name_plural = _("cadres")
        ordering = ["village_id", "name"]
        indexes = [models.Index(fields=["village", "name"])]

    def __str__(self):
        return self.name


class PositionQuerySet(models.QuerySet):
    def current(self):
        return self.filter(end_date__isnull=True)

    def held_on(self, on: datetime.date):
        return self.filter(held_on_q(on))

    def held_during(self, year: int):
        """Held on at least one day of ``year``."""
        return self.filter(start_date__lte=datetime.date(year, 12, 31)).filter(
            Q(end_date__isnull=True) | Q(end_date__gt=datetime.date(year, 1, 1))
        )

    def committee(self):
        return self.filter(role__in=COMMITTEE_ROLES)


@pghistory.track()
class CadrePosition(TimeStampedModel):
    """One position held by a cadre in a village, from ``start_date`` until ``end_date`` (exclusive)."""

    scope_paths = village_scope_paths("village")

    # Both foreign keys are indexed by the composite indexes below, which start with them.
    cadre = models.ForeignKey(
        Cadre, models.PROTECT, related_name="positions", verbose_name=_("cadre"), db_index=False
    )
    # Usually the cadre's own village; a cross-region exchange secretary (异地交流) serves elsewhere.
    village = models.ForeignKey(
        "villages.Village",
        models.PROTECT,
        related_name="cadre_positions",
        verbose_name=_("village"),
        db_index=False,
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    end_reason = models.CharField(_("end reason"), max_length=16, choices=EndReason.choices, blank=True)
    end_note = models.CharField(_("reason given"), max_length=200, blank=True)
    monthly_pay = models.DecimalField(
        _("monthly pay (yuan)"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )

    objects = PositionQuerySet.as_manager()

    class Meta:
        verbose_name = _("cadre position")
        verbose_name_plural = _("cadre positions")
        ordering = ["village_id", "role", "-start_date"]
        indexes = [
            models.Index(fields=["village", "role", "start_date"]),
            models.Index(fields=["cadre", "start_date"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="position_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True, end_reason="")
                | (Q(end_date__isnull=False) & ~Q(end_reason="")),
                name="position_end_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(monthly_pay__isnull=True) | Q(monthly_pay__gte=0),
                name="position_pay_not_negative",
            ),
            # One current secretary and one current director per village ...
            models.UniqueConstraint(
                fields=["village", "role"],
                condition=Q(end_date__isnull=True, role__in=SINGLE_HOLDER_ROLES),
                name="position_one_current_holder",
            ),
            # ... and never two at once in the past either (needs btree_gist for the equality parts).
            ExclusionConstraint(
                name="position_single_holder_no_overlap",
                expressions=[
                    ("village", RangeOperators.EQUAL),
                    ("role", RangeOperators.EQUAL),
                    (
                        Func(
                            F("start_date"),
                            F("end_date"),
                            models.Value("[)"),
                            function="daterange",
                            output_field=DateRangeField(),
                        ),
                        RangeOperators.OVERLAPS,
                    ),
                ],
                condition=Q(role__in=SINGLE_HOLDER_ROLES),
            ),
        ]

    def __str__(self):
        return f"{self.cadre} · {self.get_role_display()}"

    @property
    def is_current(self) -> bool:
        return self.end_date is None


def one_shoulder_q(on: datetime.date | None = None) -> Exists:
    """For a Cadre queryset: whether the cadre holds both the secretary and director posts of one village.

    ``on`` a date: held on that day; ``None``: the current (open) positions.
    """
    base = CadrePosition.objects.filter(cadre=OuterRef("pk"))
    director = CadrePosition.objects.filter(
        cadre=OuterRef("cadre"), village=OuterRef("village"), role=Role.DIRECTOR
    )
    if on is None:
        base, director = base.current(), director.current()
    else:
        base, director = base.held_on(on), director.held_on(on)
    return Exists(base.filter(role=Role.SECRETARY).filter(Exists(director)))


class ReserveQuerySet(models.QuerySet):
    def in_pool_on(self, on: datetime.date):
        return self.filter(since__lte=on).filter(Q(until__isnull=True) | Q(until__gt=on))

    def current(self):
        return self.filter(until__isnull=True)


@pghistory.track()
class ReserveCadre(TimeStampedModel):
    """A person groomed as a future village cadre (后备力量), in the pool from ``since`` until ``until``."""

    scope_paths = village_scope_paths("village")

    # Indexed by the (village, since) index below.
    village = models.ForeignKey(
        "villages.Village",
        models.PROTECT,
        related_name="reserve_cadres",
        verbose_name=_("village"),
        db_index=False,
    )
    name = models.CharField(_("name"), max_length=50)
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices)
    id_number = IdNumberField(unique=True)
    birth_date = models.DateField(_("birth date"), editable=False)
    education = models.CharField(_("education"), max_length=20, choices=Education.choices)
    is_party_member = models.BooleanField(_("Party member"), default=False)
    is_returned_migrant = models.BooleanField(_("returned migrant worker"), default=False)
    since = models.DateField(_("in the reserve pool since"))
    until = models.DateField(_("left the reserve pool on"), null=True, blank=True)
    notes = models.CharField(_("notes"), max_length=200, blank=True)

    objects = ReserveQuerySet.as_manager()

    class Meta:
        verbose_name = _("reserve cadre")
        verbose_name_plural = _("reserve cadres")
        ordering = ["village_id", "name"]
        indexes = [models.Index(fields=["village", "since"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gte=F("since")),
                name="reserve_leaves_after_joining",
            )
        ]

    def __str__(self):
        return self.name


@pghistory.track()
class Training(TimeStampedModel):
    """A training course a cadre attended (培训), counted in days."""

    scope_paths = village_scope_paths("cadre__village")

    cadre = models.ForeignKey(Cadre, models.PROTECT, related_name="trainings", verbose_name=_("cadre"))
    course = models.CharField(_("course"), max_length=200)
    organiser = models.CharField(_("organiser"), max_length=100, blank=True)
    start_date = models.DateField(_("start date"))
    days = models.PositiveSmallIntegerField(
        _("days"), validators=[MinValueValidator(1), MaxValueValidator(366)]
    )

    class Meta:
        verbose_name = _("training")
        verbose_name_plural = _("trainings")
        ordering = ["-start_date", "cadre_id"]
        constraints = [
            models.CheckConstraint(condition=Q(days__gte=1, days__lte=366), name="training_days_in_range")
        ]

    def __str__(self):
        return self.course


@pghistory.track()
class DegreeEnrolment(TimeStampedModel):
    """A cadre's enrolment in a degree-upgrade programme (学历提升), e.g. at the Open University.

    On completion the cadre's education becomes ``target_education`` and the one before is kept in
    ``previous_education``, so statistics as of an earlier date still see the earlier education.
    """

    scope_paths = village_scope_paths("cadre__village")

    # Indexed by the (cadre, completed_on) index below.
    cadre = models.ForeignKey(
        Cadre, models.PROTECT, related_name="degree_enrolments", verbose_name=_("cadre"), db_index=False
    )
    institution = models.CharField(_("institution"), max_length=100)
    programme = models.CharField(_("programme"), max_length=100, blank=True)
    target_education = models.CharField(
        _("education on completion"), max_length=20, choices=Education.choices
    )
    enrolled_on = models.DateField(_("enrolled on"))
    completed_on = models.DateField(_("completed on"), null=True, blank=True, editable=False)
    previous_education = models.CharField(
        _("education before completion"), max_length=20, choices=Education.choices, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("degree-upgrade enrolment")
        verbose_name_plural = _("degree-upgrade enrolments")
        ordering = ["-enrolled_on"]
        indexes = [models.Index(fields=["cadre", "completed_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(completed_on__isnull=True) | Q(completed_on__gte=F("enrolled_on")),
                name="enrolment_completes_after_enrolling",
            ),
            models.CheckConstraint(
                condition=Q(completed_on__isnull=True, previous_education="")
                | (Q(completed_on__isnull=False) & ~Q(previous_education="")),
                name="enrolment_completion_keeps_previous_education",
            ),
            models.UniqueConstraint(
                fields=["cadre"], condition=Q(completed_on__isnull=True), name="enrolment_one_open_per_cadre"
            ),
        ]

    def __str__(self):
        return f"{self.cadre} · {self.institution}"

    @property
    def is_completed(self) -> bool:
        return self.completed_on is not None
