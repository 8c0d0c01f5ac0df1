"""A database outage answers 503 (JSON under /api/, a plain page elsewhere) instead of a 500.

Django opens a new connection on the next request (CONN_HEALTH_CHECKS), so the app recovers by
itself once PostgreSQL is back; nothing needs a restart.
"""

import logging

from django.db import InterfaceError, OperationalError, connections
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from .api.errors import is_api_request

logger = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 30


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        """Raised in a view; the same error in other middleware reaches ``apps.core.views.server_error``."""
        if is_database_outage(exception):
            return database_unavailable_response(request)
        return None


def is_database_outage(exception) -> bool:
    return isinstance(exception, OperationalError | InterfaceError)


def database_unavailable_response(request):
    logger.error("database unavailable")
    for connection in connections.all(initialized_only=True):
        connection.close_if_unusable_or_obsolete()
    message = _("The database is not reachable at the moment. Nothing was saved; please try again shortly.")
    if is_api_request(request):
        response = JsonResponse({"detail": message}, status=503)
    else:
        # Rendered without context processors: they would query the database again.
        response = HttpResponse(render_to_string("503.html", {"message": message}), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
