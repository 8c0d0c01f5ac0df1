from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.views import defaults

from .api.errors import (
    api_bad_request,
    api_not_found,
    api_permission_denied,
    api_server_error,
    is_api_request,
)
from .history import record_history
from .scoping import get_for


def healthz(request):
    """Database, broker and worker status for load balancers and operators."""
    from config.celery_app import app as celery_app

    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = {"ok": True}
    except Exception as exc:  # noqa: BLE001 - reported, not raised
        checks["database"] = {"ok": False, "error": exc.__class__.__name__}
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        checks["broker"] = {"ok": True}
    except Exception as exc:  # noqa: BLE001
        checks["broker"] = {"ok": False, "error": exc.__class__.__name__}
    replies = []
    if checks["broker"]["ok"]:
        try:
            replies = celery_app.control.ping(timeout=1.0)
        except Exception:  # noqa: BLE001,S110 - no worker answering is reported below
            replies = []
    workers = sorted(name for reply in replies for name in reply)
    checks["worker"] = {"ok": bool(workers), "workers": workers}
    healthy = checks["database"]["ok"] and checks["broker"]["ok"]
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": checks}, status=200 if healthy else 503
    )


@login_required
def history(request, app_label: str, model_name: str, pk: int):
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError as exc:
        raise Http404 from exc
    if not hasattr(model, "scope_paths"):
        raise Http404
    obj = get_for(request.user, model, pk=pk)
    return render(
        request, "core/history.html", {"object": obj, "opts": model._meta, "events": record_history(obj)}
    )


def bad_request(request, exception=None):
    if is_api_request(request):
        return api_bad_request(request, exception)
    return defaults.bad_request(request, exception)


def permission_denied(request, exception=None):
    if is_api_request(request):
        return api_permission_denied(request, exception)
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception=None):
    if is_api_request(request):
        return api_not_found(request, exception)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if is_api_request(request):
        return api_server_error(request)
    return defaults.server_error(request)
