from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from apps.core.navigation import NavItem


class DashboardConfig(AppConfig):
    name = "apps.dashboard"
    verbose_name = _("Dashboard")
    navigation = (NavItem("dashboard:own_dashboard", _("Dashboard"), "speedometer2", order=50),)
