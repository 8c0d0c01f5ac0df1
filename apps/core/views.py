import sys
from functools import wraps

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Q
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import defaults

from apps.villages.models import County

from .api.errors import (
    api_bad_request,
    api_not_found,
    api_permission_denied,
    api_server_error,
    is_api_request,
)
from .configuration import REGISTRY
from .exports import list_export
from .forms import SettingValueForm, posted, run_service
from .history import record_history
from .idnumbers import IdNumberField, shown_to
from .middleware import database_unavailable_response, is_database_outage
from .models import IdNumberAccess
from .permissions import ADMIN_ROLES, has_role
from .scoping import get_for, scope_for
from .selectors import setting_list as setting_list_selector
from .services import setting_set


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
    if is_database_outage(sys.exc_info()[1]):
        return database_unavailable_response(request)
    if is_api_request(request):
        return api_server_error(request)
    return defaults.server_error(request)


def _setting_table(user, today) -> list[dict]:
    """Every configurable value: its default and the values in force on ``today``, globally and per county."""
    rows = setting_list_selector(user=user)
    in_force = {}
    for row in rows.filter(valid_from__lte=today).order_by("key", "county_id", "-valid_from"):
        in_force.setdefault((row.key, row.county_id), row)
    specs = sorted(REGISTRY.values(), key=lambda spec: spec.key)
    return [
        {
            "spec": spec,
            "global": in_force.get((spec.key, None)),
            "counties": [row for (key, county), row in in_force.items() if key == spec.key and county],
        }
        for spec in specs
    ]


@role_required(ADMIN_ROLES)
def setting_list(request):
    today = timezone.localdate()
    table = _setting_table(request.user, today)
    return render(request, "core/setting_list.html", {"table": table, "today": today})


@role_required(ADMIN_ROLES)
def setting_export(request):
    today = timezone.localdate()
    headers = [
        _("Setting"),
        _("key"),
        _("Default"),
        _("All counties"),
        _("valid from"),
        _("Own county values"),
    ]
    return list_export(
        name=_("Settings"),
        records=_setting_table(request.user, today),
        headers=headers,
        row=lambda row: [
            str(row["spec"].label),
            row["spec"].key,
            str(row["spec"].default),
            str(row["global"].value) if row["global"] else "",
            row["global"].valid_from if row["global"] else None,
            "、".join(f"{value.county.name}: {value.value}" for value in row["counties"]),
        ],
        text_columns=[2, 3],
    )


@role_required(ADMIN_ROLES)
def setting_detail(request, key: str):
    spec = REGISTRY.get(key)
    if spec is None:
        raise Http404
    counties = scope_for(request.user, County.objects.all())
    form = SettingValueForm(
        posted(request),
        counties=counties,
        may_set_global=request.user.is_superuser or request.user.role == "city_admin",
        spec=spec,
    )
    if request.method == "POST" and form.is_valid():
        run_service(
            form,
            setting_set,
            actor=request.user,
            key=key,
            value=form.cleaned_data["value"],
            valid_from=form.cleaned_data["valid_from"],
            county=form.cleaned_data["county"],
            note=form.cleaned_data["note"],
        )
        if not form.errors:
            messages.success(request, _("The new value was saved."))
            return redirect("core:setting_detail", key=key)
    values = setting_list_selector(user=request.user).filter(key=key).select_related("created_by")
    return render(request, "core/setting_detail.html", {"spec": spec, "values": values, "form": form})


def _id_number_accesses(request):
    """The search and the accesses it finds among those of the admin's region, newest first."""
    accesses = scope_for(request.user, IdNumberAccess.objects.select_related("user"))
    query = request.GET.get("q", "").strip()
    if query:
        accesses = accesses.filter(Q(user__username__icontains=query) | Q(path__icontains=query))
    return query, accesses


@role_required(ADMIN_ROLES)
def id_number_access_list(request):
    """Who saw full ID numbers, of whom, and where: the users of the admin's region."""
    query, accesses = _id_number_accesses(request)
    page = Paginator(accesses, 50).get_page(request.GET.get("page"))
    return render(request, "core/id_number_access_list.html", {"page": page, "q": query})


@role_required(ADMIN_ROLES)
def id_number_access_export(request):
    _query, accesses = _id_number_accesses(request)
    headers = [_("Time"), _("User"), _("ID number (masked)"), _("record type"), _("Record"), _("Address")]
    return list_export(
        name=_("ID access log"),
        records=accesses,
        headers=headers,
        row=lambda access: [
            access.at,
            access.user.get_full_name() or access.user.username,
            access.masked_number,
            access.record_type,
            access.record_id,
            access.path,
        ],
        text_columns=[2, 4],
    )
