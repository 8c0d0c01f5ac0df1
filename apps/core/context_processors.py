from django.conf import settings

from .navigation import nav_items


def navigation(request):
    """What the page header needs: the user's region, the apps' pages and the languages."""
    user = getattr(request, "user", None)
    region = user.region if user is not None and user.is_authenticated else None
    return {
        "user_region": region,
        "nav_items": nav_items(user),
        "available_languages": settings.LANGUAGES,
    }
