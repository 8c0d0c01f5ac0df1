"""Records of the dashboard app: survey results (figure 12), public village pages, report packs."""

import pghistory
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import TimeStampedModel
from apps.core.scoping import village_scope_paths


@pghistory.track()
class SurveyResult(TimeStampedModel):
    """One answer of a questionnaire on why results were weak (Bazhong figure 12): its share of answers.

    A survey covers a whole city (``county`` empty) or one county. City-wide surveys are visible to the
    city's admins; a county's surveys to everyone in the county.
    """

    scope_paths = {
        "city": "city",
        "county": "county",
        "township": "county__townships",
        "village": "county__townships__villages",
    }

    city = models.ForeignKey("villages.City", models.PROTECT, related_name="+", verbose_name=_("city"))
    county = models.ForeignKey(
        "villages.County",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("county"),
        help_text=_("Leave empty for a city-wide survey."),
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000)])
    reason = models.CharField(_("reason given"), max_length=100)
    share = models.DecimalField(
        _("share of answers (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )

    class Meta:
        verbose_name = _("survey result")
        verbose_name_plural = _("survey results")
        ordering = ["-year", "city", "county", "-share"]
        constraints = [
            models.UniqueConstraint(
                fields=["city", "county", "year", "reason"],
                nulls_distinct=False,
                name="survey_result_unique_reason",
            ),
            models.CheckConstraint(
                condition=models.Q(share__gte=0, share__lte=100), name="survey_result_share_range"
            ),
        ]

    def __str__(self):
        return f"{self.year} {self.reason} {self.share}%"

    @property
    def region(self):
        return self.county or self.city


@pghistory.track()
class PublicVillagePage(TimeStampedModel):
    """A village's opt-in to the public transparency page (村务公开); no row or ``enabled`` off: 404."""

    scope_paths = village_scope_paths("village")

    village = models.OneToOneField(
        "villages.Village", models.CASCADE, related_name="public_page", verbose_name=_("village")
    )
    enabled = models.BooleanField(_("published"), default=False)
    enabled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    enabled_at = models.DateTimeField(_("changed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("public village page")
        verbose_name_plural = _("public village pages")

    def __str__(self):
        return str(self.village)


class PackStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


def pack_upload_to(pack, filename):
    return f"report-packs/{pack.created_at:%Y/%m}/{filename}"


class ReportPack(models.Model):
    """The fourteen figures of one region and year range as an .xlsx workbook and a PDF.

    Readable by the users whose region covers the pack's region (the region's own scope paths).
    """

    LEVELS = ("city", "county", "township")

    level = models.CharField(_("level"), max_length=10)
    city = models.ForeignKey("villages.City", models.PROTECT, related_name="+", verbose_name=_("city"))
    county = models.ForeignKey(
        "villages.County", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("county")
    )
    township = models.ForeignKey(
        "villages.Township",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("township"),
    )
    year_from = models.PositiveSmallIntegerField(_("from year"))
    year_to = models.PositiveSmallIntegerField(_("to year"))
    status = models.CharField(
        _("status"), max_length=10, choices=PackStatus.choices, default=PackStatus.QUEUED
    )
    task_id = models.UUIDField(_("task id"), null=True, blank=True)
    workbook = models.FileField(_("workbook (.xlsx)"), upload_to=pack_upload_to, blank=True)
    pdf = models.FileField(_("report (PDF)"), upload_to=pack_upload_to, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    # A township user reads the packs of their township; a county user those of the county and its
    # townships; a city admin every pack of the city. A pack of a wider region is not theirs to read.
    scope_paths = {
        "city": "city",
        "county": "county",
        "township": "township",
    }  # no "village": village clerks read no packs (default-deny)

    class Meta:
        verbose_name = _("report pack")
        verbose_name_plural = _("report packs")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(year_from__lte=models.F("year_to")), name="pack_years"),
        ]

    def __str__(self):
        return f"{self.region} {self.year_from}–{self.year_to}"

    @property
    def region(self):
        return self.township or self.county or self.city
