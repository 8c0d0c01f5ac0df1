"""Configuration keys of Party-organisation work (dated values, see apps/core/configuration.py)."""

from django.utils.translation import gettext_lazy as _

from apps.core.configuration import define

REPEAT_CASE_WINDOW_YEARS = define(
    "villages.repeat_case_window_years",
    default=5,
    label=_("Years within which a new weak-and-lax rating makes a repeat rectification case"),
    kind="int",
    minimum=1,
)
