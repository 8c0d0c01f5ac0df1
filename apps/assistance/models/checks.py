from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.models import TimeStampedModel
from apps.core.scoping import village_scope_paths

from ._history import tracked
from .choices import (
    AwardLevel,
    CheckResult,
    DisciplineCategory,
    DisciplineOutcome,
    Grade,
    PromotionRank,
)

QUARTER_FORMAT = r"^\d{4}Q[1-4]$"


@tracked()
class SpotCheckDraw(TimeStampedModel):
    """The random draw of one county's quarterly spot checks (四不两直), kept with its seed.

    Drawing again from the same seed and the same active teams gives the same teams; a county
    draws once per quarter.
    """

    scope_paths = {
        "city": "county__city",
        "county": "county",
        "township": "county__townships",
        "village": "county__villages",
    }

    county = models.ForeignKey(
        "villages.County", models.PROTECT, related_name="spot_check_draws", verbose_name=_("county")
    )
    quarter = models.CharField(_("quarter"), max_length=6)
    seed = models.BigIntegerField(_("seed"))
    rate = models.DecimalField(_("sampling rate"), max_digits=5, decimal_places=4)
    active_teams = models.PositiveIntegerField(_("teams active in the quarter"))
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )

    class Meta:
        verbose_name = _("spot-check draw")
        verbose_name_plural = _("spot-check draws")
        ordering = ["-quarter", "county_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "quarter"],
                name="spot_check_draw_once_per_county_and_quarter",
                violation_error_message=_("This county's teams were already drawn for this quarter."),
            ),
            models.CheckConstraint(
                condition=Q(quarter__regex=QUARTER_FORMAT), name="spot_check_draw_quarter"
            ),
        ]

    def __str__(self):
        return f"{self.county} {self.quarter}"


@tracked()
class SpotCheck(TimeStampedModel):
    """One sampled team's unannounced check: what was found and whether it passed."""

    scope_paths = village_scope_paths("team__village")

    draw = models.ForeignKey(SpotCheckDraw, models.PROTECT, related_name="checks", verbose_name=_("draw"))
    team = models.ForeignKey(
        "assistance.WorkTeam", models.PROTECT, related_name="spot_checks", verbose_name=_("work team")
    )
    finding = models.TextField(_("finding"), blank=True)
    result = models.CharField(
        _("result"), max_length=8, choices=CheckResult.choices, default=CheckResult.PENDING
    )
    checked_on = models.DateField(_("checked on"), null=True, blank=True)

    class Meta:
        verbose_name = _("spot check")
        verbose_name_plural = _("spot checks")
        ordering = ["draw_id", "team_id"]
        constraints = [
            models.UniqueConstraint(fields=["draw", "team"], name="spot_check_one_per_team_and_draw")
        ]

    def __str__(self):
        return f"{self.draw.quarter} {self.team}"


@tracked()
class Evaluation(TimeStampedModel):
    """The annual evaluation of a work-team member or first secretary: 优 / 良 / 中 / 差."""

    scope_paths = village_scope_paths("member__team__village")

    member = models.ForeignKey(
        "assistance.WorkTeamMember",
        models.PROTECT,
        related_name="evaluations",
        verbose_name=_("work team member"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    grade = models.CharField(_("grade"), max_length=10, choices=Grade.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["member_id", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "year"],
                name="evaluation_one_per_member_and_year",
                violation_error_message=_("This member already has an evaluation for this year."),
            )
        ]

    def __str__(self):
        return f"{self.member} {self.year}"


class FrontLineRecord(TimeStampedModel):
    """A record about a front-line cadre in a village: the person may be a work-team member or not."""

    scope_paths = village_scope_paths("village")

    village = models.ForeignKey(
        "villages.Village", models.PROTECT, related_name="+", verbose_name=_("village")
    )
    person_name = models.CharField(_("person"), max_length=50)
    member = models.ForeignKey(
        "assistance.WorkTeamMember",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("work team member"),
    )
    date = models.DateField(_("date"))

    class Meta:
        abstract = True
        ordering = ["-date", "pk"]
        indexes = [models.Index(fields=["date"])]


@tracked()
class Commendation(FrontLineRecord):
    """A commendation of a front-line assistance cadre (Bazhong figure 8)."""

    level = models.CharField(_("awarded by"), max_length=8, choices=AwardLevel.choices)
    title = models.CharField(_("title of the award"), max_length=100)

    class Meta(FrontLineRecord.Meta):
        verbose_name = _("commendation")
        verbose_name_plural = _("commendations")


@tracked()
class Promotion(FrontLineRecord):
    """A promotion of a front-line assistance cadre (Bazhong figure 9)."""

    level = models.CharField(_("promoted by"), max_length=8, choices=AwardLevel.choices)
    rank = models.CharField(_("new rank"), max_length=16, choices=PromotionRank.choices)
    position = models.CharField(_("new position"), max_length=100, blank=True)

    class Meta(FrontLineRecord.Meta):
        verbose_name = _("promotion")
        verbose_name_plural = _("promotions")


@tracked()
class DisciplineCase(FrontLineRecord):
    """A work-style or discipline case in assistance work (Bazhong figure 11)."""

    category = models.CharField(_("category"), max_length=16, choices=DisciplineCategory.choices)
    outcome = models.CharField(_("outcome"), max_length=16, choices=DisciplineOutcome.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta(FrontLineRecord.Meta):
        verbose_name = _("discipline case")
        verbose_name_plural = _("discipline cases")
