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
            errors = {"401": ErrorDetail, "403": ErrorDetail}
        if self.method in ("POST", "PUT", "PATCH"):
            errors["400"] = VALIDATION_ERROR_BODY
        if "{" in self.path:
            errors["404"] = ErrorDetail
        for code, serializer in errors.items():
            responses.setdefault(code, self._get_response_for_code(serializer, code, direction=direction))
        return responses
