"""OpenAPI: document the error bodies every endpoint can return, so generated clients know them."""

from drf_spectacular.openapi import AutoSchema as BaseAutoSchema
from drf_spectacular.utils import inline_serializer
from rest_framework import serializers

ErrorDetail = inline_serializer("ErrorDetail", {"detail": serializers.CharField()})
VALIDATION_ERROR_BODY = {
    "type": "object",
    "description": (
        "Each field with errors (or `non_field_errors` for rules across fields and unknown fields) "
        "maps to a list of messages in the request's language."
    ),
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
}


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
        if "{" in self.path or (is_list and self._get_paginator()):
            errors["404"] = ErrorDetail  # a record outside the caller's region, or a page past the last
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
            or any(
                getattr(parameter, "location", None) == "query"
                for parameter in self.get_override_parameters()
            )
        )
