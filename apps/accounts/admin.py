from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from apps.core.admin import ScopedAdmin

from .models import User


@admin.register(User)
class UserAdmin(ScopedAdmin, DjangoUserAdmin):
    """For superusers (flags, emergencies); admins manage users on /accounts/users/ through the services."""

    list_display = ["username", "first_name", "role", "city", "county", "township", "village", "is_active"]
    list_filter = ["role", "is_active", "is_superuser"]
    list_select_related = ["city", "county", "township", "village"]
    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        (_("Role and region"), {"fields": ["role", "city", "county", "township", "village"]}),
    ]
    autocomplete_fields = ["city", "county", "township", "village"]
