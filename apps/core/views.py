from functools import wraps

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db import connection
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views import defaults

from .api.errors import (
    api_bad_request,
    api_not_found,
    api_permission_denied,
    api_server_error,
    is_api_request,
)
from .history import record_history
from .idnumbers import IdNumberField, shown_to
from .permissions import has_role
from .scoping import get_for, scope_for


def role_required(roles, *, levels: tuple[str, ...] | None = None):
    """Log-in required, then 403 unless the user has one of ``roles`` (the same check services make)."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not has_role(request.user, roles, levels=levels):
                raise PermissionDenied(_("Your role may not open this page."))
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


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
    events = record_history(obj)
    _humanize_changes(request.user, model, events)
    return render(
        request,
        "core/history.html",
        {"object": obj, "opts": model._meta, "events": events, "record_url": _record_url(obj)},
    )


def _record_url(obj) -> str | None:
    """The record's own page, by the ``<app>:<model>_detail`` naming convention, if it has one."""
    opts = obj._meta
    try:
        return reverse(f"{opts.app_label}:{opts.model_name}_detail", args=[obj.pk])
    except NoReverseMatch:
        return None


def _humanize_changes(user, model, events) -> None:
    """Show choice labels, yes/no and related records' names instead of stored values.

    Related records are looked up in the user's scope (one query per related model);
    one outside it shows as its id only.
    """
    fields, related_ids = {}, {}
    for change in (c for event in events for c in event.changes):
        try:
            field = model._meta.get_field(change.field.removesuffix("_id"))
        except FieldDoesNotExist:
            continue
        fields[change.field] = field
        if field.many_to_one:
            related_ids.setdefault(field.related_model, set()).update(
                v for v in (change.old, change.new) if v is not None
            )
    names = {
        related: scope_for(user, related._default_manager.filter(pk__in=ids)).in_bulk()
        for related, ids in related_ids.items()
    }

    def show(field, value):
        if value is None or value == "":
            return "—"
        if field is None:
            return value
        if isinstance(field, IdNumberField):
            return shown_to(user, value)
        if field.many_to_one:
            return names[field.related_model].get(value, f"#{value}")
        if field.choices:
            return dict(field.flatchoices).get(value, value)
        if isinstance(value, bool):
            return _("yes") if value else _("no")
        return value

    for change in (c for event in events for c in event.changes):
        field = fields.get(change.field)
        change.old, change.new = show(field, change.old), show(field, change.new)


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
