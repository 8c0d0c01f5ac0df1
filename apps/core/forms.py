"""Glue between web forms and services: forms check shape, services decide, errors land on fields."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


def add_service_errors(
    form: forms.Form, exc: ValidationError, field_map: dict[str, str] | None = None
) -> None:
    """Attach a service's ``ValidationError`` to ``form``: named fields next to the field, the rest on top.

    ``field_map`` renames service/model fields to form fields (``{"first_name": "full_name"}``).
    """
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.error_list)
        return
    for name, errors in exc.error_dict.items():
        field = (field_map or {}).get(name, name)
        if field == NON_FIELD_ERRORS or field not in form.fields:
            field = None
        form.add_error(field, errors)


def run_service(
    form: forms.Form, service: Callable[..., Any], *, field_map: dict[str, str] | None = None, **kwargs
) -> Any:
    """Call ``service(**kwargs)``; on ``ValidationError`` put its messages on ``form`` and return None.

    ``PermissionDenied`` is not caught: it becomes a 403. Callers check ``form.is_valid()``
    (or ``form.errors``) afterwards, since some services return nothing.
    """
    try:
        return service(**kwargs)
    except ValidationError as exc:
        add_service_errors(form, exc, field_map)
        return None


def posted(request):
    """Form data for a POST (even an empty one, so the form is bound and reports missing fields)."""
    return request.POST if request.method == "POST" else None
