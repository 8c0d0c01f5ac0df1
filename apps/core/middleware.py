"""A database outage answers 503 (JSON under /api/, a plain page elsewhere) instead of a 500.

Django opens a new connection on the next request (CONN_HEALTH_CHECKS), so the app recovers by
itself once PostgreSQL is back; nothing needs a restart.
"""

import logging

from django.db import InterfaceError, OperationalError, connections
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from . import idnumbers
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


# SQLSTATE classes of a server that cannot be reached or is shutting down (connection exceptions,
# operator intervention): a failed statement (a lock timeout, a cancelled query) is not an outage.
OUTAGE_SQLSTATES = ("08", "57P")


def is_database_outage(exception) -> bool:
    if not isinstance(exception, OperationalError | InterfaceError):
        return False
    sqlstate = getattr(exception.__cause__, "sqlstate", None)
    return sqlstate is None or sqlstate.startswith(OUTAGE_SQLSTATES)


def database_unavailable_response(request):
    logger.error("database unavailable", exc_info=True)
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


class IdNumberAccessLogMiddleware:
    """Writes one access-log row per full ID number shown while serving a request (one insert)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        collected, token = idnumbers.collect_full_views()
        try:
            response = self.get_response(request)
        finally:
            idnumbers.stop_collecting(token)
        if collected and getattr(request, "user", None) is not None and request.user.is_authenticated:
            record_full_views(request.user, request.path, collected)
        return response


def record_full_views(user, path: str, collected: list) -> None:
    from .models import IdNumberAccess

    IdNumberAccess.objects.bulk_create(
        IdNumberAccess(
            user=user,
            path=path[:300],
            record_type=record._meta.label if record is not None else "",
            record_id=str(record.pk) if record is not None else "",
            masked_number=masked,
        )
        for record, masked in collected
    )
