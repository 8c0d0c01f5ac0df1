"""The reporting cycle (月结账): a township's or county's period, its transitions, and notifications.

A period row is created lazily, the first time someone lists or acts on it, so a township × month
matrix needs no pre-seeded rows. Approval locks the records dated in the period (see
``apps.core.reporting.locks``); every transition is also written as a ``PeriodEvent``.
"""

import pghistory
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.periods import Month, Quarter, Year

from .base import TimeStampedModel


class PeriodKind(models.TextChoices):
    MONTH = "month", _("month")
    QUARTER = "quarter", _("quarter")
    YEAR = "year", _("year")


class PeriodStatus(models.TextChoices):
    OPEN = "open", _("open")
    SUBMITTED = "submitted", _("submitted")
    APPROVED = "approved", _("approved")
    RETURNED = "returned", _("returned")


@pghistory.track()
class ReportingPeriod(TimeStampedModel):
    """One township's (or, with no township, one county's) month, quarter or year."""

    county = models.ForeignKey(
        "villages.County", models.PROTECT, related_name="reporting_periods", verbose_name=_("county")
    )
    township = models.ForeignKey(
        "villages.Township",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="reporting_periods",
        verbose_name=_("township"),
    )
    kind = models.CharField(_("kind"), max_length=8, choices=PeriodKind.choices)
    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"))
    status = models.CharField(
        _("status"), max_length=10, choices=PeriodStatus.choices, default=PeriodStatus.OPEN
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    gaps = models.JSONField(_("gaps at submission"), default=list, blank=True)
    gaps_reason = models.TextField(_("reason for submitting with gaps"), blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    returned_reason = models.TextField(_("reason for returning"), blank=True)

    # County rows (no township) are seen by the county and the city, township rows also by the township.
    scope_paths = {
        "city": "county__city",
        "county": "county",
        "township": "township",
        "village": "township__villages",
    }

    class Meta:
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        ordering = ["-start", "kind", "county_id", "township_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "township", "kind", "start"],
                nulls_distinct=False,
                name="reporting_period_one_per_region",
            ),
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="reporting_period_ordered"
            ),
        ]
        indexes = [models.Index(fields=["status", "start", "end"])]

    def __str__(self):
        return f"{self.region} {self.label}"

    @property
    def region(self):
        return self.township if self.township_id else self.county

    @property
    def period(self) -> Month | Quarter | Year:
        if self.kind == PeriodKind.MONTH:
            return Month.of(self.start)
        if self.kind == PeriodKind.QUARTER:
            return Quarter.of(self.start)
        return Year.of(self.start)

    @property
    def label(self) -> str:
        return str(self.period)

    @property
    def is_locked(self) -> bool:
        return self.status == PeriodStatus.APPROVED


class PeriodAction(models.TextChoices):
    SUBMIT = "submit", _("submitted")
    APPROVE = "approve", _("approved")
    RETURN = "return", _("returned")
    REOPEN = "reopen", _("reopened")


class PeriodEvent(models.Model):
    """Who moved a period, when, and why (a reopen and a return always carry a reason)."""

    period = models.ForeignKey(
        ReportingPeriod, models.CASCADE, related_name="transitions", verbose_name=_("period")
    )
    action = models.CharField(_("action"), max_length=8, choices=PeriodAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("time"), auto_now_add=True)
    reason = models.TextField(_("reason"), blank=True)

    scope_paths = {level: f"period__{path}" for level, path in ReportingPeriod.scope_paths.items()}

    class Meta:
        verbose_name = _("period event")
        verbose_name_plural = _("period events")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.period} {self.action}"


class Notification(models.Model):
    """An in-app message to one user; ``key`` makes a periodic notice idempotent (one per user and week)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="notifications", verbose_name=_("user")
    )
    kind = models.CharField(_("kind"), max_length=32)
    key = models.CharField(_("key"), max_length=64, blank=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "key"], condition=~models.Q(key=""), name="notification_once_per_key"
            )
        ]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self):
        return self.title
