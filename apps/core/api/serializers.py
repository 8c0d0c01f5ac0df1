from django.utils.translation import gettext as _
from rest_framework import serializers

from apps.core.scoping import scope_for


# Rejects request fields the serializer does not declare, so a typo never passes silently.
# (A comment, not a docstring: drf-spectacular would copy a docstring into every schema.)
class StrictFieldsMixin:
    def to_internal_value(self, data):
        if hasattr(data, "keys"):
            known = set(self.fields)
            unknown = sorted(set(data.keys()) - known)
            if unknown:
                raise serializers.ValidationError(
                    {"non_field_errors": [_("Unknown fields: %(fields)s.") % {"fields": ", ".join(unknown)}]}
                )
        return super().to_internal_value(data)


class ScopedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A related id resolved only within the caller's region: others read as nonexistent."""

    def get_queryset(self):
        return scope_for(self.context["request"].user, super().get_queryset())
