import pghistory
from django.db import models
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


class CadreSource(models.TextChoices):
    LOCAL = "local", _("from the village")
    RETURNED_MIGRANT = "returned_migrant", _("returned migrant worker")
    SELECTED = "selected", _("selected and sent down")
    EXCHANGE = "exchange", _("cross-region exchange")
    REHIRED_RETIREE = "rehired_retiree", _("rehired retiree")
    GRADUATE = "graduate", _("university graduate")


@pghistory.track()
class Cadre(TimeStampedModel):
    """A member of a village's two committees or a group cadre (村两委 / 社干部)."""

    scope_paths = village_scope_paths("village")

    village = models.ForeignKey(
        "villages.Village", models.PROTECT, related_name="cadres", verbose_name=_("village")
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

    class Meta:
        verbose_name = _("cadre")
        verbose_name_plural = _("cadres")
        ordering = ["village_id", "name"]

    def __str__(self):
        return self.name
