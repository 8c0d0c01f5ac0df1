from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from apps.core.navigation import NavItem


class CollectiveEconomyConfig(AppConfig):
    name = "apps.collective_economy"
    verbose_name = _("Collective economy")
    navigation = (NavItem("collective_economy:overview", _("Collective economy"), "piggy-bank", order=400),)

    def ready(self):
        from . import config  # noqa: F401 - declares the app's settings
