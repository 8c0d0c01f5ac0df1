"""``{% unread_notifications %}``: the signed-in user's unread count for the header badge."""

from django import template

from apps.core.reporting.notifications import unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context) -> int:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    return unread_count(user=user)
