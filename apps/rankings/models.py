"""Rankings: dated weight configurations, immutable snapshots with explained entries, escalations and
weak-and-lax candidates.

A ranking is a snapshot of one (kind, period, county): it stores the weights it used (and the
configuration row they came from), when its inputs were read, and one entry per subject with the
full breakdown (indicator, raw value, normalised value, weight, contribution). Published snapshots
never change; a re-run replaces a draft.
"""

import pghistory
import pgtrigger
from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import TimeStampedModel


def tracked():
    """The audit trail with statement-level triggers (bulk writes of entries stay one statement)."""
    return pghistory.track(
        pghistory.InsertEvent(level=pgtrigger.Statement),
        pghistory.UpdateEvent(level=pgtrigger.Statement),
        pghistory.DeleteEvent(level=pgtrigger.Statement),
    )


class RankingKind(models.TextChoices):
    VILLAGE = "village", _("villages")
    WORK_TEAM = "work_team", _("work teams")
    TOWNSHIP = "township", _("townships")


class RankingStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")


class SubjectType(models.TextChoices):
    VILLAGE = "village", _("village")
    WORK_TEAM = "work_team", _("work team")
    TOWNSHIP = "township", _("township")


class EscalationLevel(models.TextChoices):
    """Bottom three of a monthly ranking: 约谈 → 诫勉谈话 → 组织处理 per consecutive month."""

    INTERVIEW = "interview", _("interview")
    ADMONISHMENT = "admonishment", _("admonishment talk")
    ORGANISATIONAL = "organisational", _("organisational handling")


ESCALATION_SEQUENCE = (
    EscalationLevel.INTERVIEW,
    EscalationLevel.ADMONISHMENT,
    EscalationLevel.ORGANISATIONAL,
)


class CandidateStatus(models.TextChoices):
    PROPOSED = "proposed", _("proposed")
    CONFIRMED = "confirmed", _("confirmed as weak and lax")


_COUNTY_SCOPE = {
    "city": "county__city",
    "county": "county",
    "township": "county__townships",
    "village": "county__villages",
}


@tracked()
class RankingConfiguration(TimeStampedModel):
    """Weights (percent, summing to 100) of the indicators of one kind in one county, from ``valid_from`` on.

    Dated: a run uses the row in force on the last day of its period, and the snapshot keeps a
    reference to it (and a copy of the weights), so past rankings show the configuration they used.
    """

    scope_paths = _COUNTY_SCOPE

    county = models.ForeignKey(
        "villages.County", models.PROTECT, related_name="ranking_configurations", verbose_name=_("county")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=RankingKind.choices)
    valid_from = models.DateField(_("valid from"))
    weights = models.JSONField(_("weights"), default=dict)
    bottom_n = models.PositiveSmallIntegerField(
        _("bottom N proposed as weak and lax"), default=3, validators=[MinValueValidator(0)]
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )

    class Meta:
        verbose_name = _("ranking configuration")
        verbose_name_plural = _("ranking configurations")
        ordering = ["county_id", "kind", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "kind", "valid_from"], name="ranking_configuration_one_per_day"
            )
        ]

    def __str__(self):
        return f"{self.county} {self.get_kind_display()} {self.valid_from}"


@tracked()
class Ranking(TimeStampedModel):
    """A snapshot of one (kind, period, county): draft until a person publishes it, then immutable."""

    scope_paths = _COUNTY_SCOPE

    kind = models.CharField(_("kind"), max_length=16, choices=RankingKind.choices)
    period = models.CharField(_("period"), max_length=7)
    period_first = models.DateField(_("first day of the period"))
    period_last = models.DateField(_("last day of the period"))
    county = models.ForeignKey(
        "villages.County", models.PROTECT, related_name="rankings", verbose_name=_("county")
    )
    # Rankings are per county; the field is part of the API for township-wide rankings.
    township = models.ForeignKey(
        "villages.Township",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="rankings",
        verbose_name=_("township"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=RankingStatus.choices, default=RankingStatus.DRAFT
    )
    configuration = models.ForeignKey(
        RankingConfiguration,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="rankings",
        verbose_name=_("configuration used"),
    )
    weights = models.JSONField(_("weights used"), default=dict)
    bottom_n = models.PositiveSmallIntegerField(_("bottom N used"), default=0)
    subjects = models.PositiveIntegerField(_("subjects"), default=0)
    computed_at = models.DateTimeField(_("computed at"))
    inputs_read_at = models.DateTimeField(_("inputs read at"))
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )

    class Meta:
        verbose_name = _("ranking")
        verbose_name_plural = _("rankings")
        ordering = ["-period_last", "kind", "county_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "period", "county"], name="ranking_one_per_kind_period_county"
            ),
            models.CheckConstraint(
                condition=models.Q(status=RankingStatus.DRAFT) | models.Q(published_at__isnull=False),
                name="ranking_published_has_time",
            ),
        ]
        indexes = [models.Index(fields=["county", "kind", "period_last"])]

    def __str__(self):
        return f"{self.county} {self.get_kind_display()} {self.period}"

    @property
    def is_published(self) -> bool:
        return self.status == RankingStatus.PUBLISHED


class RankingEntry(models.Model):
    """One subject's place in a ranking with its score explained (written in bulk with the snapshot)."""

    scope_paths = {
        "city": "ranking__county__city",
        "county": "ranking__county",
        "township": "township",
        "village": "village",
    }

    ranking = models.ForeignKey(Ranking, models.CASCADE, related_name="entries", verbose_name=_("ranking"))
    subject_type = models.CharField(_("subject type"), max_length=16, choices=SubjectType.choices)
    subject_id = models.PositiveIntegerField(_("subject id"))
    subject_name = models.CharField(_("subject"), max_length=200)
    township = models.ForeignKey(
        "villages.Township", models.PROTECT, null=True, related_name="+", verbose_name=_("township")
    )
    village = models.ForeignKey(
        "villages.Village", models.PROTECT, null=True, related_name="+", verbose_name=_("village")
    )
    rank = models.PositiveIntegerField(_("rank"))
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2)
    # [{"indicator", "label", "value", "normalised", "weight", "contribution", "missing"}]
    breakdown = models.JSONField(_("breakdown"), default=list)
    missing = models.JSONField(_("indicators without data"), default=list)

    class Meta:
        verbose_name = _("ranking entry")
        verbose_name_plural = _("ranking entries")
        ordering = ["ranking_id", "rank", "subject_name"]
        constraints = [
            models.UniqueConstraint(fields=["ranking", "subject_id"], name="ranking_entry_one_per_subject")
        ]
        indexes = [
            models.Index(fields=["ranking", "rank"]),
            models.Index(fields=["subject_type", "subject_id"]),
        ]

    def __str__(self):
        return f"{self.rank}. {self.subject_name}"


@tracked()
class Escalation(TimeStampedModel):
    """A bottom-three place in a published monthly ranking and the talk it calls for."""

    scope_paths = {
        "city": "county__city",
        "county": "county",
        "township": "township",
        "village": "village",
    }

    ranking = models.ForeignKey(
        Ranking, models.PROTECT, related_name="escalations", verbose_name=_("ranking")
    )
    county = models.ForeignKey("villages.County", models.PROTECT, related_name="+", verbose_name=_("county"))
    township = models.ForeignKey(
        "villages.Township", models.PROTECT, null=True, related_name="+", verbose_name=_("township")
    )
    village = models.ForeignKey(
        "villages.Village", models.PROTECT, null=True, related_name="+", verbose_name=_("village")
    )
    subject_type = models.CharField(_("subject type"), max_length=16, choices=SubjectType.choices)
    subject_id = models.PositiveIntegerField(_("subject id"))
    subject_name = models.CharField(_("subject"), max_length=200)
    rank = models.PositiveIntegerField(_("rank"))
    level = models.CharField(_("level"), max_length=16, choices=EscalationLevel.choices)
    consecutive = models.PositiveSmallIntegerField(_("consecutive months"))
    talk_date = models.DateField(_("date of the talk"), null=True, blank=True)
    talk_by = models.CharField(_("talk held by"), max_length=100, blank=True)
    talk_notes = models.TextField(_("notes of the talk"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )

    class Meta:
        verbose_name = _("escalation")
        verbose_name_plural = _("escalations")
        ordering = ["-ranking__period_last", "ranking_id", "-rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["ranking", "subject_type", "subject_id"], name="escalation_one_per_ranking_subject"
            ),
            models.CheckConstraint(
                condition=models.Q(consecutive__gte=1), name="escalation_consecutive_gte_1"
            ),
        ]
        indexes = [models.Index(fields=["subject_type", "subject_id"])]

    def __str__(self):
        return f"{self.subject_name}: {self.get_level_display()}"

    @property
    def talk_recorded(self) -> bool:
        return self.talk_date is not None


@tracked()
class WeakCandidate(TimeStampedModel):
    """An organisation proposed as weak and lax by a published yearly village ranking, with its reasons."""

    scope_paths = {
        "city": "organisation__county__city",
        "county": "organisation__county",
        "township": "organisation__township",
        "village": "organisation__villages",
    }

    ranking = models.ForeignKey(
        Ranking, models.PROTECT, related_name="weak_candidates", verbose_name=_("ranking")
    )
    organisation = models.ForeignKey(
        "villages.PartyOrganisation", models.PROTECT, related_name="+", verbose_name=_("Party organisation")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    # [{"code", "text"}]: bottom_n, secretary_vacant, overdue_rectification, empty_income
    reasons = models.JSONField(_("reasons"), default=list)
    worst_rank = models.PositiveIntegerField(_("worst rank of its villages"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=CandidateStatus.choices, default=CandidateStatus.PROPOSED
    )
    rating = models.ForeignKey(
        "villages.Rating", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("rating")
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("weak-and-lax candidate")
        verbose_name_plural = _("weak-and-lax candidates")
        ordering = ["-year", "worst_rank", "organisation_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["ranking", "organisation"], name="weak_candidate_once_per_ranking"
            )
        ]

    def __str__(self):
        return f"{self.organisation} {self.year}"


# Integrity watch (issue 14): findings of the detectors in apps/rankings/integrity/


class FindingStatus(models.TextChoices):
    OPEN = "open", _("open")
    EXPLAINED = "explained", _("explained")
    CONFIRMED = "confirmed", _("confirmed")


@tracked()
class Finding(TimeStampedModel):
    """One anomaly a detector found in the data (a fake exit, assistance on paper, ...), and its review.

    The weekly job writes findings and never changes the data it read. A finding is keyed by
    (detector, subject type, subject id, period): a re-run updates the evidence and ``last_seen`` of
    an existing finding (its review stays) and creates no duplicate.
    """

    scope_paths = {
        "city": "county__city",
        "county": "county",
        "township": "township",
        "village": "village",
    }

    detector = models.CharField(_("detector"), max_length=40)
    subject_type = models.CharField(_("subject type"), max_length=20)
    subject_id = models.PositiveIntegerField(_("subject id"))
    subject_name = models.CharField(_("subject"), max_length=200)
    county = models.ForeignKey("villages.County", models.PROTECT, related_name="+", verbose_name=_("county"))
    township = models.ForeignKey(
        "villages.Township",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("township"),
    )
    village = models.ForeignKey(
        "villages.Village", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("village")
    )
    period = models.CharField(_("period"), max_length=40)
    year = models.PositiveSmallIntegerField(_("year"))
    evidence = models.JSONField(_("evidence"), default=dict)
    score = models.DecimalField(_("score"), max_digits=12, decimal_places=4, default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=FindingStatus.choices, default=FindingStatus.OPEN
    )
    reason = models.TextField(_("reason"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    first_seen = models.DateTimeField(_("first seen"))
    last_seen = models.DateTimeField(_("last seen"))

    class Meta:
        verbose_name = _("integrity finding")
        verbose_name_plural = _("integrity findings")
        ordering = ["-year", "detector", "-score", "subject_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["detector", "subject_type", "subject_id", "period"],
                name="finding_one_per_subject_period",
            )
        ]
        indexes = [models.Index(fields=["county", "year", "detector"])]

    def __str__(self):
        return f"{self.detector}: {self.subject_name} {self.period}"
