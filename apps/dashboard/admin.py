from django.contrib import admin

from .models import PublicVillagePage, ReportPack, SurveyResult


@admin.register(SurveyResult)
class SurveyResultAdmin(admin.ModelAdmin):
    list_display = ("year", "city", "county", "reason", "share")
    list_filter = ("year", "city", "county")
    search_fields = ("reason",)


@admin.register(PublicVillagePage)
class PublicVillagePageAdmin(admin.ModelAdmin):
    list_display = ("village", "enabled", "enabled_by", "enabled_at")
    list_filter = ("enabled",)
    raw_id_fields = ("village",)
    readonly_fields = ("enabled_by", "enabled_at")


@admin.register(ReportPack)
class ReportPackAdmin(admin.ModelAdmin):
    list_display = (
        "pk",
        "level",
        "city",
        "county",
        "township",
        "year_from",
        "year_to",
        "status",
        "created_at",
    )
    list_filter = ("status", "level")
    readonly_fields = ("task_id", "created_at", "finished_at", "requested_by")
