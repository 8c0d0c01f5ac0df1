from django.contrib import admin

from apps.core.admin import ServiceAdmin

from . import services
from .models import City, County, Township, Village


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
