"""Village collective economy: yearly income by source, support funds, projects and helping-unit pairings.

Money is yuan with two decimal places. Every amount is at least zero in the database too, and a
year's total and income bracket are generated columns: the database, not the code that saves a
row, decides them, so no report can disagree with the stored amounts.
"""

from decimal import ROUND_HALF_UP, Decimal

import pghistory
import pgtrigger
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Case, F, Value, When
from django.db.models.lookups import GreaterThanOrEqual, LessThanOrEqual
from django.utils.translation import gettext_lazy as _

from apps.core.models import TimeStampedModel
from apps.core.scoping import village_scope_paths


def tracked():
    """The audit trail with statement-level triggers.

    A bulk load (an import, the demo data) then writes its history in one statement per batch
    instead of one trigger call per row, several times faster; every row is still recorded.
    Fresh tracker instances: ``pghistory.track(level=...)`` would change the shared default
    trackers of every model tracked after this one.
    """
    return pghistory.track(
        pghistory.InsertEvent(level=pgtrigger.Statement),
        pghistory.UpdateEvent(level=pgtrigger.Statement),
        pghistory.DeleteEvent(level=pgtrigger.Statement),
    )


MONEY_DIGITS = 14  # up to 999,999,999,999.99 yuan
CENT = Decimal("0.01")
AMOUNT_FIELDS = ("operating", "resource", "investment", "subsidy", "other")
NON_OPERATING_FIELDS = AMOUNT_FIELDS[1:]


def money_field(verbose_name, *, minimum: Decimal = Decimal("0"), **kwargs):
    return models.DecimalField(
        verbose_name,
        max_digits=MONEY_DIGITS,
        decimal_places=2,
        validators=[MinValueValidator(minimum)],
        **kwargs,
    )


class Bracket(models.TextChoices):
    """Income brackets of Bazhong's figure 10 (yuan per year), lower bound inclusive."""

    EMPTY = "empty", _("empty shell (0)")
    LT_10K = "lt_10k", _("under 10,000")
    FROM_10K = "10k_50k", _("10,000 to 50,000")
    FROM_50K = "50k_100k", _("50,000 to 100,000")
    FROM_100K = "100k_500k", _("100,000 to 500,000")
    GTE_500K = "gte_500k", _("500,000 and over")


# The lower bound of each bracket above ``empty`` (which is exactly 0), highest first.
BRACKET_LOWER_BOUNDS = (
    (Bracket.GTE_500K, Decimal("500000")),
    (Bracket.FROM_100K, Decimal("100000")),
    (Bracket.FROM_50K, Decimal("50000")),
    (Bracket.FROM_10K, Decimal("10000")),
    (Bracket.LT_10K, CENT),
)


def bracket_for(total: Decimal) -> str:
    """The bracket of a yearly total (the same rule as the database's ``bracket`` column)."""
    for bracket, lower in BRACKET_LOWER_BOUNDS:
        if total >= lower:
            return bracket
    return Bracket.EMPTY


def total_expression(prefix: str = ""):
    """operating + resource + investment + subsidy + other, as a database expression."""
    expression = F(f"{prefix}{AMOUNT_FIELDS[0]}")
    for name in AMOUNT_FIELDS[1:]:
        expression = expression + F(f"{prefix}{name}")
    return expression


def _bracket_expression():
    # A generated column cannot read another generated column, so the sum is spelled out again.
    total = total_expression()
    return Case(
        *(
            When(GreaterThanOrEqual(total, Value(lower)), then=Value(str(b)))
            for b, lower in BRACKET_LOWER_BOUNDS
        ),
        default=Value(str(Bracket.EMPTY)),
        output_field=models.CharField(max_length=10),
    )


def per_capita(total: Decimal | None, population: int | None) -> Decimal | None:
    """Income per registered resident, rounded half up to the cent; None without a population."""
    if total is None or not population:
        return None
    return (total / population).quantize(CENT, rounding=ROUND_HALF_UP)


class EconomyType(models.TextChoices):
    FARMING = "farming", _("planting and breeding")
    RESOURCE = "resource", _("resource-based")
    SERVICE = "service", _("service-based")
    OTHER = "other", _("other")


class ModeKind(models.TextChoices):
    VILLAGE = "village", _("village development mode")
    PROJECT = "project", _("project mode")


@tracked()
class DevelopmentMode(TimeStampedModel):
    """An entry of the configurable list of development modes (村企合作 …) and project modes ("5+1")."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=60)
    kind = models.CharField(_("kind"), max_length=10, choices=ModeKind.choices)
    description = models.CharField(_("description"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("development mode")
        verbose_name_plural = _("development modes")
        ordering = ["kind", "position", "code"]
        constraints = [models.UniqueConstraint(fields=["kind", "name"], name="ce_mode_unique_name")]

    def __str__(self):
        return self.name


@tracked()
class Income(TimeStampedModel):
    """A village's collective income of one year, by source (one record per village and year)."""

    scope_paths = village_scope_paths("village")

    village = models.ForeignKey(
        "villages.Village", models.PROTECT, related_name="collective_incomes", verbose_name=_("village")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    operating = money_field(_("operating income"), default=Decimal("0"))
    resource = money_field(_("resource and asset income"), default=Decimal("0"))
    investment = money_field(_("investment and dividend income"), default=Decimal("0"))
    subsidy = money_field(_("subsidy income"), default=Decimal("0"))
    other = money_field(_("other income"), default=Decimal("0"))
    total = models.GeneratedField(
        expression=total_expression(),
        output_field=models.DecimalField(max_digits=MONEY_DIGITS + 1, decimal_places=2),
        db_persist=True,
        verbose_name=_("total income"),
    )
    bracket = models.GeneratedField(
        expression=_bracket_expression(),
        output_field=models.CharField(max_length=10, choices=Bracket.choices),
        db_persist=True,
        verbose_name=_("income bracket"),
    )
    economy_type = models.CharField(_("economy type"), max_length=10, choices=EconomyType.choices, blank=True)
    development_mode = models.ForeignKey(
        DevelopmentMode,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="incomes",
        verbose_name=_("development mode"),
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("collective income")
        verbose_name_plural = _("collective incomes")
        ordering = ["village_id", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["village", "year"], name="ce_income_one_per_village_year"),
            *(
                models.CheckConstraint(
                    condition=models.Q(**{f"{name}__gte": 0}), name=f"ce_income_{name}_gte_0"
                )
                for name in AMOUNT_FIELDS
            ),
        ]
        indexes = [models.Index(fields=["year", "bracket"], name="ce_income_year_bracket")]

    def __str__(self):
        return f"{self.village} {self.year}"

    @property
    def per_capita(self) -> Decimal | None:
        return per_capita(self.total, self.village.population_registered)

    def get_bracket_display(self) -> str:
        # A generated column gets no get_FOO_display() from Django.
        return str(Bracket(self.bracket).label) if self.bracket else ""


class FundSource(models.TextChoices):
    CENTRAL = "central", _("central finance")
    PROVINCIAL = "provincial", _("provincial finance")
    CITY = "city", _("city finance")
    COUNTY = "county", _("county finance")
    TOWNSHIP = "township", _("township finance")
    HELPING_UNIT = "helping_unit", _("helping unit")
    SOCIAL = "social", _("social capital")
    OTHER = "other", _("other")


@tracked()
class SupportFund(TimeStampedModel):
    """Money granted to a village to develop its collective economy (扶持基金)."""

    scope_paths = village_scope_paths("village")

    village = models.ForeignKey(
        "villages.Village", models.PROTECT, related_name="collective_support_funds", verbose_name=_("village")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    amount = money_field(_("amount"), minimum=CENT)
    source = models.CharField(_("source"), max_length=16, choices=FundSource.choices)
    use = models.CharField(_("use"), max_length=200)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("support fund")
        verbose_name_plural = _("support funds")
        ordering = ["village_id", "-year", "pk"]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="ce_fund_amount_gt_0")]

    def __str__(self):
        return f"{self.village} {self.year} {self.get_source_display()}"


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    ONGOING = "ongoing", _("ongoing")
    COMPLETED = "completed", _("completed")
    RECTIFYING = "rectifying", _("being rectified")
    TERMINATED = "terminated", _("terminated")


# Funds of a project by source; what they leave of the total is "other sources".
PROJECT_FUND_FIELDS = ("funds_demonstration", "funds_agricultural", "funds_department", "funds_social")


@tracked()
class Project(TimeStampedModel):
    """A Party-member demonstration project (党员精准扶贫示范项目) of a village."""

    scope_paths = village_scope_paths("village")

    village = models.ForeignKey(
        "villages.Village", models.PROTECT, related_name="collective_projects", verbose_name=_("village")
    )
    name = models.CharField(_("name"), max_length=100)
    mode = models.ForeignKey(
        DevelopmentMode,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("project mode"),
    )
    start_year = models.PositiveSmallIntegerField(_("start year"))
    status = models.CharField(
        _("status"), max_length=12, choices=ProjectStatus.choices, default=ProjectStatus.ONGOING
    )
    funds_total = money_field(_("total funds"))
    funds_demonstration = money_field(_("demonstration project funds"), default=Decimal("0"))
    funds_agricultural = money_field(_("integrated agricultural funds"), default=Decimal("0"))
    funds_department = money_field(_("department assistance funds"), default=Decimal("0"))
    funds_social = money_field(_("social funds"), default=Decimal("0"))
    households_benefiting = models.PositiveIntegerField(_("households benefiting"), default=0)
    people_benefiting = models.PositiveIntegerField(_("people benefiting"), default=0)
    poor_party_members_lifted = models.PositiveIntegerField(
        _("poor Party members lifted out of poverty"), default=0
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("collective project")
        verbose_name_plural = _("collective projects")
        ordering = ["village_id", "-start_year", "name"]
        constraints = [
            models.UniqueConstraint(fields=["village", "name"], name="ce_project_unique_name"),
            *(
                models.CheckConstraint(
                    condition=models.Q(**{f"{name}__gte": 0}), name=f"ce_project_{name}_gte_0"
                )
                for name in ("funds_total", *PROJECT_FUND_FIELDS)
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(
                    F("funds_demonstration")
                    + F("funds_agricultural")
                    + F("funds_department")
                    + F("funds_social"),
                    F("funds_total"),
                ),
                name="ce_project_sources_within_total",
            ),
            models.CheckConstraint(
                condition=models.Q(people_benefiting__gte=F("households_benefiting")),
                name="ce_project_people_gte_households",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def funds_other(self) -> Decimal:
        return self.funds_total - sum((getattr(self, name) for name in PROJECT_FUND_FIELDS), Decimal("0"))


class UnitType(models.TextChoices):
    PARTY_GOV = "party_gov", _("Party or government organ")
    INSTITUTION = "institution", _("public institution")
    SOE = "soe", _("state-owned enterprise")
    OTHER = "other", _("other")


@tracked()
class Pairing(TimeStampedModel):
    """A helping unit paired with a village to develop its collective economy (结对帮扶), for some years."""

    scope_paths = village_scope_paths("village")

    village = models.ForeignKey(
        "villages.Village", models.PROTECT, related_name="collective_pairings", verbose_name=_("village")
    )
    unit_name = models.CharField(_("helping unit"), max_length=100)
    unit_type = models.CharField(
        _("unit type"), max_length=12, choices=UnitType.choices, default=UnitType.PARTY_GOV
    )
    start_year = models.PositiveSmallIntegerField(_("start year"))
    end_year = models.PositiveSmallIntegerField(_("end year"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("helping-unit pairing")
        verbose_name_plural = _("helping-unit pairings")
        ordering = ["village_id", "-start_year", "unit_name"]
        constraints = [
            models.UniqueConstraint(fields=["village", "unit_name", "start_year"], name="ce_pairing_unique"),
            models.CheckConstraint(
                condition=models.Q(end_year__isnull=True) | models.Q(end_year__gte=F("start_year")),
                name="ce_pairing_end_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.unit_name} → {self.village}"

    def covers(self, year: int) -> bool:
        return self.start_year <= year and (self.end_year is None or self.end_year >= year)
