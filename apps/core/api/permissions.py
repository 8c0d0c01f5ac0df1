from rest_framework.permissions import BasePermission


class IsScopedUser(BasePermission):
    """Authenticated and bound to a region (or a superuser); row-level scope is applied by selectors."""

    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated and user.is_active):
            return False
        return user.is_superuser or user.region_binding() is not None
