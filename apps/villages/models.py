import pghistory
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import TimeStampedModel
from apps.core.scoping import village_scope_paths

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


# Party organisations (村党组织), their yearly rating (三分类) and rectification (整顿)


class OrganisationKind(models.TextChoices):
    BRANCH = "branch", _("Party branch")
    GENERAL_BRANCH = "general_branch", _("general Party branch")
    COMMITTEE = "committee", _("Party committee")


class RatingLevel(models.TextChoices):
    ADVANCED = "advanced", _("advanced")
    ORDINARY = "ordinary", _("ordinary")
    WEAK = "weak", _("weak and lax")


class RectificationStatus(models.TextChoices):
    IDENTIFIED = "identified", _("identified")
    RECTIFYING = "rectifying", _("rectifying")
    ACCEPTED = "accepted", _("accepted")
    EXTENDED = "extended", _("extended")


OPEN_RECTIFICATION_STATUSES = (
    RectificationStatus.IDENTIFIED,
    RectificationStatus.RECTIFYING,
    RectificationStatus.EXTENDED,
)


class RectificationMeasure(models.TextChoices):
    """The five standard measures (五个一批)."""

    WORK_TEAM = "work_team", _("work team stationed to rectify")
    STRENGTHEN_TEAM = "strengthen_team", _("leadership team strengthened")
    LEADER_LIAISON = "leader_liaison", _("leader takes it as a liaison point")
    CADRE_SENT_DOWN = "cadre_sent_down", _("selected cadre sent down")
    PAIRING = "pairing", _("paired with a strong organisation")


def _organisation_scope_paths(prefix: str = "") -> dict[str, str]:
    """Scope paths of a model that belongs to a Party organisation through ``prefix``."""
    return {
        "city": f"{prefix}county__city",
        "county": f"{prefix}county",
        "township": f"{prefix}township",
        # One link row per (organisation, village): a village-level user sees each organisation once.
        "village": f"{prefix}villages",
    }


@pghistory.track()
class PartyOrganisation(TimeStampedModel):
    """A village Party organisation (村党组织), or a joint one (联合党组织) over several villages.

    It sits under its township's Party committee (the first level of the four-level chain), so
    all its villages belong to one township; ``township`` and ``county`` are denormalised from them,
    which keeps scoping a plain equality and counts each organisation once in every total.
    """

    scope_paths = _organisation_scope_paths()

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=OrganisationKind.choices)
    villages = models.ManyToManyField(
        Village,
        through="PartyOrganisationVillage",
        related_name="party_organisations",
        verbose_name=_("villages"),
    )
    township = models.ForeignKey(
        Township,
        models.PROTECT,
        related_name="party_organisations",
        verbose_name=_("township"),
        editable=False,
    )
    county = models.ForeignKey(
        County, models.PROTECT, related_name="party_organisations", verbose_name=_("county"), editable=False
    )
    # Maintained by the services from the villages: more than one village.
    is_joint = models.BooleanField(_("joint organisation"), default=False, editable=False)
    members_count = models.PositiveIntegerField(_("members"), default=0)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True)
    secretary = models.ForeignKey(
        "cadres.Cadre",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="party_organisations",
        verbose_name=_("secretary"),
    )

    class Meta:
        verbose_name = _("Party organisation")
        verbose_name_plural = _("Party organisations")
        ordering = ["township_id", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(dissolved_on__isnull=True)
                | models.Q(founded_on__isnull=True)
                | models.Q(dissolved_on__gte=models.F("founded_on")),
                name="party_organisation_dissolved_after_founded",
            ),
        ]
        indexes = [models.Index(fields=["county", "township"])]

    def __str__(self):
        return self.name

    def exists_in(self, year: int) -> bool:
        """Whether the organisation existed at some time in ``year`` (unknown founding: always)."""
        founded = self.founded_on is None or self.founded_on.year <= year
        return founded and (self.dissolved_on is None or self.dissolved_on.year >= year)


@pghistory.track()
class PartyOrganisationVillage(models.Model):
    """A village an organisation covers; villages with organisations cannot be deleted (PROTECT)."""

    scope_paths = village_scope_paths("village")

    organisation = models.ForeignKey(
        PartyOrganisation, models.CASCADE, related_name="village_links", verbose_name=_("Party organisation")
    )
    village = models.ForeignKey(
        Village, models.PROTECT, related_name="party_organisation_links", verbose_name=_("village")
    )

    class Meta:
        verbose_name = _("village of a Party organisation")
        verbose_name_plural = _("villages of Party organisations")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "village"], name="party_organisation_village_once"
            )
        ]

    def __str__(self):
        return f"{self.organisation_id}/{self.village_id}"


@pghistory.track()
class PartyGrid(TimeStampedModel):
    """A grid Party organisation (网格党组织) under a village organisation: the third level of the chain."""

    scope_paths = _organisation_scope_paths("organisation__")

    organisation = models.ForeignKey(
        PartyOrganisation, models.PROTECT, related_name="grids", verbose_name=_("Party organisation")
    )
    name = models.CharField(_("name"), max_length=100)
    area = models.CharField(_("area covered"), max_length=200, blank=True)
    leader_name = models.CharField(_("leader"), max_length=50, blank=True)
    members_count = models.PositiveIntegerField(_("members"), default=0)

    class Meta:
        verbose_name = _("grid Party organisation")
        verbose_name_plural = _("grid Party organisations")
        ordering = ["organisation_id", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="party_grid_name_unique_in_organisation"
            )
        ]

    def __str__(self):
        return self.name


@pghistory.track()
class CentralHousehold(TimeStampedModel):
    """A Party-member central household (党员中心户) in a grid: the fourth level of the chain."""

    scope_paths = _organisation_scope_paths("grid__organisation__")

    grid = models.ForeignKey(PartyGrid, models.PROTECT, related_name="households", verbose_name=_("grid"))
    member_name = models.CharField(_("Party member"), max_length=50)
    households_served = models.PositiveIntegerField(_("households served"), default=0)

    class Meta:
        verbose_name = _("Party-member central household")
        verbose_name_plural = _("Party-member central households")
        ordering = ["grid_id", "member_name"]

    def __str__(self):
        return self.member_name


@pghistory.track()
class Rating(TimeStampedModel):
    """The yearly three-category rating (三分类) of an organisation, confirmed by a county decision.

    Kept forever: a change needs a reason and the audit trail keeps every earlier value.
    """

    scope_paths = _organisation_scope_paths("organisation__")

    organisation = models.ForeignKey(
        PartyOrganisation, models.PROTECT, related_name="ratings", verbose_name=_("Party organisation")
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000)])
    level = models.CharField(_("level"), max_length=16, choices=RatingLevel.choices)
    reason = models.TextField(_("reason"), blank=True)
    change_reason = models.TextField(_("reason for the last change"), blank=True)
    confirmed_by = models.ForeignKey(
        "accounts.User",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
        editable=False,
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), editable=False)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        ordering = ["organisation_id", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year"], name="rating_one_per_organisation_and_year"
            ),
            models.CheckConstraint(condition=models.Q(year__gte=2000), name="rating_year_from_2000"),
        ]
        indexes = [models.Index(fields=["year", "level"])]

    def __str__(self):
        return f"{self.organisation} {self.year}: {self.get_level_display()}"


@pghistory.track()
class Rectification(TimeStampedModel):
    """The rectification case (整顿) of an organisation rated weak and lax in ``year``."""

    scope_paths = _organisation_scope_paths("organisation__")

    organisation = models.ForeignKey(
        PartyOrganisation, models.PROTECT, related_name="rectifications", verbose_name=_("Party organisation")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    rating = models.OneToOneField(
        Rating, models.PROTECT, related_name="rectification", verbose_name=_("rating"), editable=False
    )
    problems = models.TextField(_("problems found"), blank=True)
    measures = ArrayField(
        models.CharField(max_length=20, choices=RectificationMeasure.choices),
        default=list,
        blank=True,
        verbose_name=_("measures"),
    )
    responsible_leader = models.CharField(_("responsible leader"), max_length=100, blank=True)
    opened_on = models.DateField(_("opened on"))
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=RectificationStatus.choices,
        default=RectificationStatus.IDENTIFIED,
        editable=False,
    )
    # Weak and lax again within the configured number of years of an earlier case (maintained by services).
    is_repeat = models.BooleanField(_("repeat case"), default=False, editable=False)
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True, editable=False)
    accepted_by = models.ForeignKey(
        "accounts.User",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted by"),
        editable=False,
    )

    class Meta:
        verbose_name = _("rectification case")
        verbose_name_plural = _("rectification cases")
        ordering = ["-year", "organisation_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year"], name="rectification_one_per_organisation_and_year"
            ),
            models.CheckConstraint(
                condition=models.Q(deadline__isnull=True) | models.Q(deadline__gte=models.F("opened_on")),
                name="rectification_deadline_after_opening",
            ),
            models.CheckConstraint(
                condition=models.Q(measures__contained_by=RectificationMeasure.values),
                name="rectification_standard_measures",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=RectificationStatus.ACCEPTED)
                | models.Q(accepted_on__isnull=False),
                name="rectification_accepted_has_date",
            ),
        ]
        indexes = [models.Index(fields=["status", "deadline"])]

    def __str__(self):
        return f"{self.organisation} {self.year}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_RECTIFICATION_STATUSES


@pghistory.track()
class RectificationNote(TimeStampedModel):
    """A dated progress note on a rectification case."""

    scope_paths = _organisation_scope_paths("rectification__organisation__")

    rectification = models.ForeignKey(
        Rectification, models.PROTECT, related_name="notes", verbose_name=_("rectification case")
    )
    date = models.DateField(_("date"))
    text = models.TextField(_("progress"))
    author = models.ForeignKey(
        "accounts.User",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
        editable=False,
    )

    class Meta:
        verbose_name = _("progress note")
        verbose_name_plural = _("progress notes")
        ordering = ["rectification_id", "date", "pk"]

    def __str__(self):
        return f"{self.date}: {self.text[:40]}"
