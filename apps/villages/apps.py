from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from apps.core.navigation import NavItem


class VillagesConfig(AppConfig):
    name = "apps.villages"
    verbose_name = _("Villages and Party organisations")
    navigation = (
        NavItem("villages:partyorganisation_list", _("Party organisations"), "flag", order=20),
        NavItem("villages:rectification_board", _("Rectification"), "tools", order=21),
    )

    def ready(self):
        from . import config  # noqa: F401 - declares the app's configuration keys
