from django.conf import settings


def navigation(request):
    """What the page header needs: the user's region and the languages to switch between."""
    user = getattr(request, "user", None)
    region = user.region if user is not None and user.is_authenticated else None
    return {"user_region": region, "available_languages": settings.LANGUAGES}
