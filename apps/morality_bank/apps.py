from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MoralityBankConfig(AppConfig):
    name = "apps.morality_bank"
    verbose_name = _("Morality bank")
