import pghistory
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import TimeStampedModel

from .codes import validate_code_prefix, validate_region_code


class Region(TimeStampedModel):
    """Common shape of every level: a unique 12-digit code and a name."""

    level: str = ""
    parent_field: str | None = None

    code = models.CharField(_("code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        abstract = True
        ordering = ["code"]

    def __str__(self):
        return self.name

    @property
    def parent(self):
        return getattr(self, self.parent_field) if self.parent_field else None

    def clean(self):
        super().clean()
        try:
            validate_region_code(self.code, self.level)
            if self.parent_field and getattr(self, f"{self.parent_field}_id"):
                validate_code_prefix(self.code, self.parent.code, self.parent.level)
        except ValidationError as exc:
            raise ValidationError({"code": exc.messages}) from exc


@pghistory.track()
class City(Region):
    level = "city"
    scope_paths = {
        "city": "pk",
        "county": "counties",
        "township": "counties__townships",
        "village": "counties__townships__villages",
    }

    class Meta(Region.Meta):
        verbose_name = _("city")
        verbose_name_plural = _("cities")
        constraints = [
            models.CheckConstraint(condition=models.Q(code__regex=r"^\d{4}0{8}$"), name="city_code_format")
        ]


@pghistory.track()
class County(Region):
    level = "county"
    parent_field = "city"
    scope_paths = {
        "city": "city",
        "county": "pk",
        "township": "townships",
        "village": "townships__villages",
    }

    city = models.ForeignKey(City, models.PROTECT, related_name="counties", verbose_name=_("city"))

    class Meta(Region.Meta):
        verbose_name = _("county")
        verbose_name_plural = _("counties")
        constraints = [
            models.CheckConstraint(condition=models.Q(code__regex=r"^\d{6}0{6}$"), name="county_code_format")
        ]


@pghistory.track()
class Township(Region):
    level = "township"
    parent_field = "county"
    scope_paths = {
        "city": "county__city",
        "county": "county",
        "township": "pk",
        "village": "villages",
    }

    county = models.ForeignKey(County, models.PROTECT, related_name="townships", verbose_name=_("county"))

    class Meta(Region.Meta):
        verbose_name = _("township")
        verbose_name_plural = _("townships")
        constraints = [
            models.CheckConstraint(condition=models.Q(code__regex=r"^\d{9}000$"), name="township_code_format")
        ]


class PovertyStatus(models.TextChoices):
    NONE = "none", _("not poor")
    POOR = "poor", _("poor village")
    DEEP_POOR = "deep_poor", _("deeply poor village")


class VillageQuerySet(models.QuerySet):
    def active(self):
        return self.filter(retired_on__isnull=True)


@pghistory.track()
class Village(Region):
    level = "village"
    parent_field = "township"
    scope_paths = {"city": "county__city", "county": "county", "township": "township", "village": "pk"}

    township = models.ForeignKey(
        Township, models.PROTECT, related_name="villages", verbose_name=_("township")
    )
    # Denormalised from the township so that scoping and county totals need no join.
    county = models.ForeignKey(
        County, models.PROTECT, related_name="villages", verbose_name=_("county"), editable=False
    )
    population_registered = models.PositiveIntegerField(_("registered population"), default=0)
    population_resident = models.PositiveIntegerField(_("resident population"), default=0)
    households = models.PositiveIntegerField(_("households"), default=0)
    poverty_status = models.CharField(
        _("poverty status"), max_length=16, choices=PovertyStatus.choices, default=PovertyStatus.NONE
    )
    exit_year = models.PositiveSmallIntegerField(
        _("year it exited poverty"), null=True, blank=True, validators=[MinValueValidator(1978)]
    )
    is_minority = models.BooleanField(_("minority village"), default=False)
    is_remote = models.BooleanField(_("remote village"), default=False)
    notes = models.TextField(_("notes"), blank=True)
    retired_on = models.DateField(_("retired on"), null=True, blank=True)
    retired_reason = models.CharField(_("reason for retirement"), max_length=200, blank=True)
    merged_into = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_from",
        verbose_name=_("merged into"),
    )

    objects = VillageQuerySet.as_manager()

    class Meta(Region.Meta):
        verbose_name = _("village")
        verbose_name_plural = _("villages")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^\d{9}\d{3}$") & ~models.Q(code__endswith="000"),
                name="village_code_format",
            ),
            models.CheckConstraint(
                condition=models.Q(retired_on__isnull=True) | ~models.Q(retired_reason=""),
                name="village_retired_has_reason",
            ),
            models.CheckConstraint(
                condition=~models.Q(merged_into=models.F("pk")), name="village_not_merged_into_itself"
            ),
        ]
        indexes = [models.Index(fields=["county", "township"]), models.Index(fields=["name"])]

    @property
    def is_retired(self) -> bool:
        return self.retired_on is not None
