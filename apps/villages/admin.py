from django.contrib import admin

from apps.core.admin import ScopedAdmin, ServiceAdmin

from . import services
from .models import (
    City,
    County,
    PartyOrganisation,
    PartyOrganisationVillage,
    Rating,
    Rectification,
    Township,
    Village,
)


@admin.register(City)
class CityAdmin(ServiceAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]
    fields = ["code", "name"]
    create_service = services.city_create
    update_service = services.city_update


@admin.register(County)
class CountyAdmin(ServiceAdmin):
    list_display = ["code", "name", "city"]
    list_filter = ["city"]
    search_fields = ["code", "name"]
    fields = ["city", "code", "name"]
    create_service = services.county_create
    update_service = services.county_update


@admin.register(Township)
class TownshipAdmin(ServiceAdmin):
    list_display = ["code", "name", "county"]
    list_filter = ["county"]
    search_fields = ["code", "name"]
    fields = ["county", "code", "name"]
    list_select_related = ["county"]
    create_service = services.township_create
    update_service = services.township_update


@admin.register(Village)
class VillageAdmin(ServiceAdmin):
    list_display = ["code", "name", "township", "county", "poverty_status", "retired_on"]
    list_filter = ["poverty_status", "is_minority", "is_remote", "county"]
    search_fields = ["code", "name"]
    list_select_related = ["township", "county"]
    autocomplete_fields = ["township"]
    # Retirement has its own rules and page (/villages/<id>/retire/); here it is shown only.
    fields = [
        "township",
        *services.VILLAGE_EDITABLE_FIELDS,
        "county",
        "retired_on",
        "retired_reason",
        "merged_into",
    ]
    readonly_fields = ["county", "retired_on", "retired_reason", "merged_into"]
    create_service = services.village_create
    update_service = services.village_update
    delete_service = services.village_delete


class _ReadOnlyAdmin(ScopedAdmin):
    """Party organisations, ratings and cases change only on their pages and in the API, whose services
    keep their rules (scope of every village, one rating a year, the case workflow); here they are shown."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class OrganisationVillageInline(admin.TabularInline):
    model = PartyOrganisationVillage
    fields = ["village"]
    readonly_fields = ["village"]
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PartyOrganisation)
class PartyOrganisationAdmin(_ReadOnlyAdmin):
    list_display = ["name", "kind", "township", "county", "is_joint", "members_count", "dissolved_on"]
    list_filter = ["kind", "is_joint", "county"]
    search_fields = ["name"]
    list_select_related = ["township", "county"]
    inlines = [OrganisationVillageInline]


@admin.register(Rating)
class RatingAdmin(_ReadOnlyAdmin):
    list_display = ["organisation", "year", "level", "confirmed_by", "confirmed_at"]
    list_filter = ["year", "level"]
    search_fields = ["organisation__name"]
    list_select_related = ["organisation", "confirmed_by"]


@admin.register(Rectification)
class RectificationAdmin(_ReadOnlyAdmin):
    list_display = ["organisation", "year", "status", "deadline", "is_repeat", "accepted_on"]
    list_filter = ["status", "year", "is_repeat"]
    search_fields = ["organisation__name"]
    list_select_related = ["organisation"]
