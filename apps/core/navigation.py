"""Top navigation assembled from the apps: each AppConfig may list ``navigation`` items.

An app adds its pages to the header without touching templates/base.html:

    class CadresConfig(AppConfig):
        navigation = (NavItem("cadres:cadre_list", _("Cadres"), "people"),)
"""

from dataclasses import dataclass
from typing import Any

from django.apps import apps

from .permissions import has_role


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: Any
    icon: str = ""  # a bootstrap-icons name
    roles: frozenset[str] | None = None  # None: anyone bound to a region
    order: int = 100

    @property
    def app_name(self) -> str:
        return self.url_name.partition(":")[0]


def nav_items(user) -> list[NavItem]:
    if not (user and user.is_authenticated) or (not user.is_superuser and user.region_binding() is None):
        return []
    items = [item for config in apps.get_app_configs() for item in getattr(config, "navigation", ())]
    visible = [item for item in items if item.roles is None or has_role(user, item.roles)]
    return sorted(visible, key=lambda item: item.order)
