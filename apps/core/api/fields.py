from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from apps.core import idnumbers


class IdNumberField(serializers.CharField):
    """Accepts a typed ID number (normalised and validated); returns it masked unless the caller may see it."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 40)  # before normalisation: spaces and hyphens are allowed
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        try:
            return idnumbers.validate(super().to_internal_value(data))
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc

    def get_attribute(self, instance):
        # Remember whose number this is, for the access log; fields serialise one instance at a time.
        self._record = instance
        return super().get_attribute(instance)

    def to_representation(self, value):
        request = self.context.get("request")
        return idnumbers.shown_to(
            getattr(request, "user", None), value, record=getattr(self, "_record", None)
        )
