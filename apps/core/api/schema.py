"""OpenAPI: document the error bodies every endpoint can return, so generated clients know them."""

from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.openapi import AutoSchema as BaseAutoSchema
from drf_spectacular.plumbing import force_instance, is_serializer
from drf_spectacular.utils import OpenApiParameter, inline_serializer
from rest_framework import serializers

from apps.core.filters import BoundedIntegerFilter

ErrorDetail = inline_serializer("ErrorDetail", {"detail": serializers.CharField()})
MESSAGES = {"type": "array", "items": {"type": "string"}}
VALIDATION_ERROR_BODY = {
    "type": "object",
    "description": (
        "Each field with errors (or `non_field_errors` for rules across fields, unknown fields and a body "
        "that cannot be parsed) maps to a list of messages in the request's language. A nested object "
        "maps to the same structure, and a nested list to one such structure per item."
    ),
    "additionalProperties": {
        "anyOf": [MESSAGES, {"type": "object"}, {"type": "array", "items": {"type": "object"}}]
    },
}
# Query parameters that name a region: one outside the caller's scope answers 404, like a record.
REGION_QUERY_PARAMETERS = {"city", "county", "township", "village"}


class AutoSchema(BaseAutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if getattr(self.view, "permission_classes", None) == [] and not self.view.authentication_classes:
            errors = {}
        else:
            # Any authenticated caller can be throttled (Retry-After says when to come back).
            errors = {"401": ErrorDetail, "403": ErrorDetail, "429": ErrorDetail}
        is_list = self.method == "GET" and self._is_list_view()
        if self.method in ("POST", "PUT", "PATCH") or (self.method == "GET" and self._takes_query()):
            errors["400"] = (
                VALIDATION_ERROR_BODY  # a body, or a filter or period in the query, that is not valid
            )
        if (
            "{" in self.path
            or (is_list and self._get_paginator())
            or REGION_QUERY_PARAMETERS & self._override_query_parameter_names()
        ):
            # a record (or a region named in the query) outside the caller's region, or a page past the last
            errors["404"] = ErrorDetail
        # The database (or, for actions that start a job, the job queue) is briefly unreachable.
        errors["503"] = ErrorDetail
        for code, serializer in errors.items():
            responses.setdefault(code, self._get_response_for_code(serializer, code, direction=direction))
        return responses

    def _takes_query(self) -> bool:
        """Whether the operation reads query parameters (filters, pagination or its own, e.g. ``month``)."""
        return bool(
            self.get_filter_backends()
            or (self._is_list_view() and self._get_paginator())
            or self._override_query_parameter_names()
        )

    def _override_query_parameter_names(self) -> set[str]:
        """Query parameters declared with ``extend_schema(parameters=...)``: each a parameter or a
        serializer whose fields are the parameters."""
        names = set()
        for parameter in self.get_override_parameters():
            if is_serializer(parameter):
                names |= set(force_instance(parameter).fields)
            elif getattr(parameter, "location", None) == OpenApiParameter.QUERY:
                names.add(parameter.name)
        return names


class BoundedFilterExtension(DjangoFilterExtension):
    """Ids and years in filters are whole numbers in a range (apps/core/filters.py): say so, so that
    clients and the fuzz test send what the filter accepts and expect 400 for anything else."""

    priority = 1  # before drf-spectacular's own extension for django-filter

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        parameters = super().resolve_filter_field(
            auto_schema, model, filterset_class, field_name, filter_field
        )
        if isinstance(filter_field, BoundedIntegerFilter):
            for parameter in parameters:
                parameter["schema"] = {
                    "type": "integer",
                    "minimum": filter_field.extra["min_value"],
                    "maximum": filter_field.extra["max_value"],
                }
        return parameters
