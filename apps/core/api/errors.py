"""JSON errors for every 4xx/5xx under /api/, in the request's language."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.serializers import as_serializer_error
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from apps.core.jobs import JobQueueUnavailable


class JobQueueUnavailableError(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = "job_queue_unavailable"


def validation_error_detail(exc: DjangoValidationError) -> dict:
    """A Django ValidationError as the API's ``{"field": [messages]}`` shape."""
    return as_serializer_error(exc)


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(validation_error_detail(exc))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(str(exc) or None)
    elif isinstance(exc, JobQueueUnavailable):
        exc = JobQueueUnavailableError(str(exc))
    elif isinstance(exc, exceptions.ParseError):
        # A body that cannot be parsed is invalid as a whole: the same shape as every other 400.
        exc = exceptions.ValidationError({api_settings.NON_FIELD_ERRORS_KEY: [exc.detail]})
    elif isinstance(exc, exceptions.ValidationError) and isinstance(exc.detail, list):
        exc = exceptions.ValidationError({api_settings.NON_FIELD_ERRORS_KEY: exc.detail})
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(
        exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed
    ):
        # Token clients get 401, never a redirect to the login page.
        response.status_code = status.HTTP_401_UNAUTHORIZED
        response["WWW-Authenticate"] = 'Token realm="api"'
    return response


def is_api_request(request) -> bool:
    return request.path.startswith("/api/")


def json_error(status_code: int, detail: str) -> JsonResponse:
    return JsonResponse({"detail": detail}, status=status_code)


def api_not_found(request, exception=None):
    return json_error(404, _("Not found."))


def api_server_error(request):
    return json_error(500, _("Server error. The error has been logged."))


def api_bad_request(request, exception=None):
    return json_error(400, _("Bad request."))


def api_permission_denied(request, exception=None):
    return json_error(403, str(exception) if exception else _("You do not have permission."))
