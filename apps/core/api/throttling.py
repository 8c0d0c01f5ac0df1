"""API rate limits: per address on the token endpoint, per user (token) elsewhere.

Counters live in the cache (Redis). If Redis is down the API keeps answering: a limit that
cannot be counted is not enforced, and the failure is logged once per request.
"""

import logging

from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

logger = logging.getLogger(__name__)


class FailOpenMixin:
    def allow_request(self, request, view):
        try:
            return super().allow_request(request, view)
        except Exception:  # noqa: BLE001 - any cache failure: serve the request unthrottled
            logger.warning("rate limit not checked: the cache is unavailable", exc_info=True)
            return True


class TokenEndpointThrottle(FailOpenMixin, AnonRateThrottle):
    """Guesses at passwords through the token endpoint, counted per client address."""

    scope = "auth"


class PerUserThrottle(FailOpenMixin, UserRateThrottle):
    scope = "user"
