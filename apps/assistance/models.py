import pghistory
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.idnumbers import IdNumberField
from apps.core.models import TimeStampedModel
from apps.core.scoping import village_scope_paths


class PovertyCause(models.TextChoices):
    ILLNESS = "illness", _("illness")
    DISABILITY = "disability", _("disability")
    DISASTER = "disaster", _("disaster")
    LACK_LABOUR = "lack_labour", _("lack of labour")
    LACK_SKILLS = "lack_skills", _("lack of skills")
    LACK_FUNDS = "lack_funds", _("lack of funds")
    EDUCATION = "education", _("education costs")
    OTHER = "other", _("other")


class HouseholdStatus(models.TextChoices):
    POOR = "poor", _("poor")
    EXITED = "exited", _("exited poverty")
    MONITORED = "monitored", _("monitored (at risk)")
    RELAPSED = "relapsed", _("relapsed")


@pghistory.track()
class Household(TimeStampedModel):
    """A registered poor household (建档立卡贫困户)."""

    scope_paths = village_scope_paths("village")

    village = models.ForeignKey(
        "villages.Village", models.PROTECT, related_name="households_registered", verbose_name=_("village")
    )
    head_name = models.CharField(_("head of household"), max_length=50)
    head_id_number = IdNumberField(unique=True, verbose_name=_("ID number of the head"))
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

    class Meta:
        verbose_name = _("poor household")
        verbose_name_plural = _("poor households")
        ordering = ["village_id", "head_name"]
        constraints = [
            models.CheckConstraint(condition=models.Q(size__gte=1), name="household_size_positive")
        ]

    def __str__(self):
        return self.head_name
