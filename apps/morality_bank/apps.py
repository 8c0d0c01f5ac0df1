from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from apps.core.navigation import NavItem


class MoralityBankConfig(AppConfig):
    name = "apps.morality_bank"
    verbose_name = _("Morality bank")
    navigation = (NavItem("morality_bank:village_list", _("Morality bank"), "award", order=60),)

    def ready(self):
        from . import config  # noqa: F401 - declares the dated settings
