"""Core models, one module per concern; import them from ``apps.core.models``."""

from .base import IdNumberAccess, Job, Setting, SettingQuerySet, TimeStampedModel
from .imports import FINISHED_STATES, ImportBatch, ImportMode, ImportState
from .reporting import (
    Notification,
    PeriodAction,
    PeriodEvent,
    PeriodKind,
    PeriodStatus,
    ReportingPeriod,
)

__all__ = [
    "FINISHED_STATES",
    "ImportBatch",
    "ImportMode",
    "ImportState",
    "IdNumberAccess",
    "Job",
    "Notification",
    "PeriodAction",
    "PeriodEvent",
    "PeriodKind",
    "PeriodStatus",
    "ReportingPeriod",
    "Setting",
    "SettingQuerySet",
    "TimeStampedModel",
]
