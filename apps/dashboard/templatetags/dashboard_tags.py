from django import template

from apps.core.permissions import has_role

from ..models import PublicVillagePage
from ..services import PUBLIC_PAGE_ROLES

register = template.Library()


@register.inclusion_tag("dashboard/_public_page_card.html", takes_context=True)
def public_page_card(context, village):
    """The village page's card: the public page's state, its QR code and the switch (for staff)."""
    page = PublicVillagePage.objects.filter(village=village).first()
    user = context["request"].user
    return {
        "village": village,
        "page": page,
        "enabled": bool(page and page.enabled),
        "may_switch": has_role(user, PUBLIC_PAGE_ROLES) and village.retired_on is None,
        "request": context["request"],
        "csrf_token": context.get("csrf_token"),
    }


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None
