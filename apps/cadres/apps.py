from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from apps.core.navigation import NavItem


class CadresConfig(AppConfig):
    name = "apps.cadres"
    verbose_name = _("Village cadres")
    navigation = (NavItem("cadres:cadre_list", _("Cadres"), "people", order=30),)

    def ready(self):
        from . import config  # noqa: F401 - declares the app's configuration keys
