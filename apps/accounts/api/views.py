from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import ValidationError

from apps.accounts.lockout import lockout_response
from apps.core.api.throttling import TokenEndpointThrottle


class ObtainTokenView(ObtainAuthToken):
    """``POST {"username", "password"}`` → ``{"token"}``; then send ``Authorization: Token <token>``."""

    authentication_classes = []
    permission_classes = []
    throttle_classes = [TokenEndpointThrottle]

    @extend_schema(
        request=AuthTokenSerializer,
        responses={
            200: inline_serializer("TokenResponse", {"token": serializers.CharField()}),
            429: inline_serializer("LockedOut", {"detail": serializers.CharField()}),
        },
        auth=[],
    )
    def post(self, request, *args, **kwargs):
        try:
            return super().post(request, *args, **kwargs)
        except ValidationError:
            # django-axes marks the DRF request it was given, not the Django request its middleware sees.
            if getattr(request, "axes_locked_out", False):
                return lockout_response(request._request)
            raise
