"""The answer to a locked-out log-in (django-axes): a page for people, JSON with Retry-After for the API."""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from apps.core.api.errors import is_api_request


def lockout_response(request, original_response=None, credentials=None):
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    message = _(
        "Too many failed log-in attempts. Try again in %(minutes)d minutes, or ask your county admin to help."
    ) % {"minutes": minutes}
    if is_api_request(request):
        response = JsonResponse({"detail": message}, status=429)
    else:
        response = render(request, "accounts/locked_out.html", {"message": message}, status=429)
    response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    return response
