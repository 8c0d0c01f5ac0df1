"""Excel imports: one uploaded workbook, validated or committed as a whole by a Celery job."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportMode(models.TextChoices):
    VALIDATE = "validate", _("validate only")
    COMMIT = "commit", _("validate and save")


class ImportState(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    VALID = "valid", _("valid, nothing saved")
    INVALID = "invalid", _("errors, nothing saved")
    COMMITTED = "committed", _("saved")
    FAILED = "failed", _("failed, nothing saved")


FINISHED_STATES = (ImportState.VALID, ImportState.INVALID, ImportState.COMMITTED, ImportState.FAILED)


class ImportBatch(models.Model):
    """An uploaded workbook and what became of it.

    The file is kept (``content``) so that a committed import can be listed with its file and an
    error report can be written onto a copy of it. The uploader's county and township are the
    batch's scope: colleagues of the same region follow it; the rows themselves are checked
    against the uploader's scope when they are saved.
    """

    kind = models.CharField(_("kind of records"), max_length=40)
    mode = models.CharField(_("mode"), max_length=10, choices=ImportMode.choices)
    state = models.CharField(
        _("state"), max_length=10, choices=ImportState.choices, default=ImportState.QUEUED
    )
    file_name = models.CharField(_("file name"), max_length=255)
    content = models.BinaryField(_("file"))
    size = models.PositiveIntegerField(_("size (bytes)"))
    checksum = models.CharField(_("SHA-256"), max_length=64)
    language = models.CharField(_("language of the report"), max_length=10)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    city = models.ForeignKey(
        "villages.City", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("city")
    )
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
    job = models.ForeignKey("core.Job", models.SET_NULL, null=True, blank=True, related_name="+")
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_created = models.PositiveIntegerField(_("rows created"), default=0)
    rows_updated = models.PositiveIntegerField(_("rows updated"), default=0)
    rows_unchanged = models.PositiveIntegerField(_("rows unchanged"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    # A city user follows the imports of the city's counties; township staff those of their township.
    scope_paths = {
        "city": "city",
        "county": "county",
        "township": "township",
    }

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["county", "-created_at"], name="core_import_county_created")]

    def __str__(self):
        return f"{self.file_name} ({self.kind}, {self.mode})"

    @property
    def is_finished(self) -> bool:
        return self.state in FINISHED_STATES
