"""Core models, one module per concern; import them from ``apps.core.models``."""

from .base import IdNumberAccess, Job, Setting, SettingQuerySet, TimeStampedModel

__all__ = ["IdNumberAccess", "Job", "Setting", "SettingQuerySet", "TimeStampedModel"]
