import uuid

import pghistory
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class SettingQuerySet(models.QuerySet):
    def filter_county_or_global(self, county_id):
        q = models.Q(county__isnull=True)
        if county_id is not None:
            q |= models.Q(county_id=county_id)
        return self.filter(q)


@pghistory.track()
class Setting(TimeStampedModel):
    """One dated value of a configuration key, for all counties (county empty) or for one county."""

    key = models.CharField(_("setting"), max_length=64)
    county = models.ForeignKey(
        "villages.County",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="settings",
        verbose_name=_("county"),
    )
    valid_from = models.DateField(_("valid from"))
    value = models.JSONField(_("value"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )

    objects = SettingQuerySet.as_manager()

    # County rows belong to their county; global rows (no county) are added by selectors for everyone.
    scope_paths = {
        "city": "county__city",
        "county": "county",
        "township": "county__townships",
        "village": "county__villages",
    }

    class Meta:
        verbose_name = _("setting")
        verbose_name_plural = _("settings")
        ordering = ["key", "county_id", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["key", "county", "valid_from"], nulls_distinct=False, name="setting_one_value_per_day"
            )
        ]

    def __str__(self):
        return f"{self.key}@{self.valid_from}"


class Job(models.Model):
    """A Celery job someone started: who may follow its progress (the scope of its county)."""

    task_id = models.UUIDField(_("task id"), unique=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("job"), max_length=100)
    county = models.ForeignKey(
        "villages.County", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("county")
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("started at"), auto_now_add=True)

    scope_paths = {
        "city": "county__city",
        "county": "county",
        "township": "county__townships",
        "village": "county__villages",
    }

    class Meta:
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} {self.task_id}"
