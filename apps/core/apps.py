from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from .navigation import NavItem
from .permissions import ADMIN_ROLES, DATA_ENTRY_ROLES


class CoreConfig(AppConfig):
    name = "apps.core"
    verbose_name = _("Core")
    navigation = (
        NavItem("core:setting_list", _("Settings"), "sliders", roles=ADMIN_ROLES, order=900),
        NavItem("core:id_number_access_list", _("ID access log"), "eye", roles=ADMIN_ROLES, order=910),
        NavItem("core:period_list", _("Monthly close"), "calendar-check", order=800),
        NavItem(
            "core:import_list", _("Excel import"), "file-earmark-arrow-up", roles=DATA_ENTRY_ROLES, order=810
        ),
    )

    def ready(self):
        from .reporting import config  # noqa: F401  (declares the reporting settings)
