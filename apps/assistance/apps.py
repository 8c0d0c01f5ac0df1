from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from apps.core.navigation import NavItem


class AssistanceConfig(AppConfig):
    name = "apps.assistance"
    verbose_name = _("Assistance")
    # One header entry; the section's own tabs lead to households, checks, allowances and figures.
    navigation = (NavItem("assistance:team_list", _("Assistance"), "people-fill", order=300),)

    def ready(self):
        from . import config  # noqa: F401 - declares the app's settings
