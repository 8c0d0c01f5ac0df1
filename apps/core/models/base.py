import uuid

import pghistory
import pgtrigger
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import User


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


class IdNumberAccess(models.Model):
    """One full ID number shown to a user (page, API or export): who saw whose number, when, where."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("user")
    )
    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    path = models.CharField(_("address"), max_length=300)
    record_type = models.CharField(_("record type"), max_length=100, blank=True)
    record_id = models.CharField(_("record"), max_length=40, blank=True)
    masked_number = models.CharField(_("ID number (masked)"), max_length=18)

    # Admins read the accesses of the users of their region, their own included.
    scope_paths = {
        level: tuple(f"user__{path}" for path in paths) for level, paths in User.scope_paths.items()
    }

    class Meta:
        verbose_name = _("ID number access")
        verbose_name_plural = _("ID number accesses")
        ordering = ["-at", "-pk"]
        # Append-only: the log is evidence.
        triggers = [
            pgtrigger.Protect(
                name="id_number_access_append_only", operation=pgtrigger.Update | pgtrigger.Delete
            )
        ]

    def __str__(self):
        return f"{self.user} {self.masked_number} {self.at:%Y-%m-%d %H:%M}"
