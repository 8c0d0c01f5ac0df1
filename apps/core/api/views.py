from django.db import transaction
from rest_framework import viewsets


class ServiceModelViewSet(viewsets.ModelViewSet):
    """A viewset whose reads go through a scoped selector and whose writes go through services.

    Subclasses set ``selector`` (``user=`` → queryset) and the services they support;
    services receive ``actor`` and the instance under the model's name (``village=``).
    """

    selector = None
    create_service = None
    update_service = None
    delete_service = None

    def get_queryset(self):
        # Schema generation must not touch the database; a viewset whose selector reads
        # configuration declares ``queryset = Model.objects.none()`` for it.
        if getattr(self, "swagger_fake_view", False) and self.queryset is not None:
            return self.queryset
        return type(self).selector(user=self.request.user)

    def _instance_kwarg(self):
        return self.get_queryset().model._meta.model_name

    def perform_create(self, serializer):
        serializer.instance = type(self).create_service(actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = type(self).update_service(
            actor=self.request.user,
            **{self._instance_kwarg(): serializer.instance},
            **serializer.validated_data,
        )

    @transaction.atomic
    def perform_destroy(self, instance):
        type(self).delete_service(actor=self.request.user, **{self._instance_kwarg(): instance})
