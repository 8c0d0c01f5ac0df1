from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from apps.core.navigation import NavItem


class RankingsConfig(AppConfig):
    name = "apps.rankings"
    verbose_name = _("Rankings and lists")
    navigation = (NavItem("rankings:ranking_list", _("Rankings"), "trophy", order=600),)

    def ready(self):
        from .integrity import config  # noqa: F401 - declares the integrity watch's settings
