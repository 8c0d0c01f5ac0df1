import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.idnumbers import IdNumberField
from apps.core.models import TimeStampedModel
from apps.core.scoping import village_scope_paths

from ._history import tracked
from .choices import Health, HouseholdStatus, LabourCapacity, MeasureKind, PovertyCause, Relation


@tracked()
class Household(TimeStampedModel):
    """A registered poor household (建档立卡贫困户)."""

    scope_paths = village_scope_paths("village")

    village = models.ForeignKey(
        "villages.Village", models.PROTECT, related_name="households_registered", verbose_name=_("village")
    )
    head_name = models.CharField(_("head of household"), max_length=50)
    # Unique through Meta.constraints: a unique field would also get a LIKE index nobody uses.
    head_id_number = IdNumberField(verbose_name=_("ID number of the head"))
    size = models.PositiveSmallIntegerField(_("household size"))
    cause = models.CharField(_("main cause of poverty"), max_length=16, choices=PovertyCause.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=HouseholdStatus.choices, default=HouseholdStatus.POOR
    )
    exit_year = models.PositiveSmallIntegerField(_("exit year"), null=True, blank=True)
    paired_cadre = models.ForeignKey(
        "cadres.Cadre",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="paired_households",
        verbose_name=_("paired cadre"),
    )
    registered_on = models.DateField(_("registered on"), default=timezone.localdate)

    class Meta:
        verbose_name = _("poor household")
        verbose_name_plural = _("poor households")
        ordering = ["village_id", "head_name"]
        constraints = [
            models.UniqueConstraint(fields=["head_id_number"], name="household_head_id_number_unique"),
            models.CheckConstraint(condition=models.Q(size__gte=1), name="household_size_positive"),
            models.CheckConstraint(
                condition=Q(status__in=["poor", "relapsed"], exit_year__isnull=True)
                | Q(status="exited", exit_year__isnull=False)
                | Q(status="monitored"),
                name="household_exit_year_matches_status",
            ),
            models.CheckConstraint(
                condition=Q(exit_year__isnull=True) | Q(exit_year__gte=ExtractYear("registered_on")),
                name="household_exits_after_registration",
            ),
        ]

    def __str__(self):
        return self.head_name

    # The check constraints that clean() enforces in Python, with messages a user understands.
    # The database still holds them; Django would otherwise test each with a query in a savepoint.
    CHECKED_IN_CLEAN = frozenset(
        {
            "household_size_positive",
            "household_exit_year_matches_status",
            "household_exits_after_registration",
        }
    )

    def clean(self):
        errors = {}
        if self.size is not None and self.size < 1:
            errors["size"] = _("A household has at least one person.")
        if self.status in (HouseholdStatus.POOR, HouseholdStatus.RELAPSED) and self.exit_year is not None:
            errors["exit_year"] = _("A poor household has no exit year.")
        elif self.status == HouseholdStatus.EXITED and self.exit_year is None:
            errors["exit_year"] = _("Give the year the household exited poverty.")
        elif (
            self.exit_year is not None
            and isinstance(self.registered_on, datetime.date)
            and self.exit_year < self.registered_on.year
        ):
            errors["exit_year"] = _("The exit year cannot be before the year of registration.")
        if errors:
            raise ValidationError(errors)

    def get_constraints(self):
        """The constraints full_clean() asks the database about: not those clean() already enforces."""
        return [
            (model, [c for c in constraints if c.name not in self.CHECKED_IN_CLEAN])
            for model, constraints in super().get_constraints()
        ]


@tracked()
class HouseholdMember(TimeStampedModel):
    """A person of a registered household, the head included (relation ``head``)."""

    scope_paths = village_scope_paths("household__village")

    household = models.ForeignKey(
        Household, models.PROTECT, related_name="members", verbose_name=_("poor household")
    )
    name = models.CharField(_("name"), max_length=50)
    id_number = IdNumberField()
    # Derived from id_number by the services, for ages by year without parsing.
    birth_date = models.DateField(_("birth date"), editable=False)
    relation = models.CharField(_("relation to the head"), max_length=12, choices=Relation.choices)
    labour_capacity = models.CharField(
        _("labour capacity"), max_length=10, choices=LabourCapacity.choices, default=LabourCapacity.FULL
    )
    health = models.CharField(_("health"), max_length=10, choices=Health.choices, default=Health.HEALTHY)

    class Meta:
        verbose_name = _("household member")
        verbose_name_plural = _("household members")
        ordering = ["household_id", "birth_date", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["id_number"], name="household_member_id_number_unique"),
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(relation="head"),
                name="household_member_one_head",
                violation_error_message=_("The household already has a head."),
            ),
        ]

    def __str__(self):
        return self.name


@tracked()
class HouseholdIncome(TimeStampedModel):
    """The household's annual per-capita net income (人均纯收入), yuan."""

    scope_paths = village_scope_paths("household__village")

    # The unique (household, year) index serves lookups by household.
    household = models.ForeignKey(
        Household, models.PROTECT, related_name="incomes", verbose_name=_("poor household"), db_index=False
    )
    year = models.PositiveSmallIntegerField(_("year"))
    per_capita_net_income = models.DecimalField(_("per-capita net income"), max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = _("household income")
        verbose_name_plural = _("household incomes")
        ordering = ["household_id", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["household", "year"],
                name="household_income_one_per_year",
                violation_error_message=_("This household already has an income for this year."),
            ),
            models.CheckConstraint(
                condition=Q(per_capita_net_income__gte=0),
                name="household_income_not_negative",
                violation_error_message=_("An income cannot be negative."),
            ),
        ]

    def __str__(self):
        return f"{self.household} {self.year}"


@tracked()
class HouseholdStatusChange(TimeStampedModel):
    """One step of a household's status history: registered poor, exited, monitored, relapsed."""

    scope_paths = village_scope_paths("household__village")

    # The (household, date) index serves lookups by household.
    household = models.ForeignKey(
        Household,
        models.PROTECT,
        related_name="status_changes",
        verbose_name=_("poor household"),
        db_index=False,
    )
    status = models.CharField(_("status"), max_length=12, choices=HouseholdStatus.choices)
    date = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("household status change")
        verbose_name_plural = _("household status changes")
        ordering = ["household_id", "date", "pk"]
        indexes = [models.Index(fields=["household", "date"])]

    def __str__(self):
        return f"{self.household} {self.status} {self.date}"


@tracked()
class AssistanceMeasure(TimeStampedModel):
    """One assistance measure (帮扶措施) given to a household, with its date and amount."""

    scope_paths = village_scope_paths("household__village")

    household = models.ForeignKey(
        Household, models.PROTECT, related_name="measures", verbose_name=_("poor household")
    )
    kind = models.CharField(_("kind of measure"), max_length=16, choices=MeasureKind.choices)
    date = models.DateField(_("date"))
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2, default=0)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("assistance measure")
        verbose_name_plural = _("assistance measures")
        ordering = ["household_id", "-date", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="assistance_measure_amount_not_negative")
        ]

    def __str__(self):
        return f"{self.household} {self.get_kind_display()} {self.date}"
