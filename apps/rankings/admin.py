"""Read-only admin views: rankings are written by runs, publishing and the pages, never by hand."""

from django.contrib import admin

from .models import Escalation, Ranking, RankingConfiguration, WeakCandidate


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RankingConfiguration)
class RankingConfigurationAdmin(ReadOnlyAdmin):
    list_display = ["county", "kind", "valid_from", "bottom_n", "created_by"]
    list_filter = ["kind", "county"]


@admin.register(Ranking)
class RankingAdmin(ReadOnlyAdmin):
    list_display = ["county", "kind", "period", "status", "subjects", "computed_at", "published_at"]
    list_filter = ["kind", "status", "county"]
    search_fields = ["period"]


@admin.register(Escalation)
class EscalationAdmin(ReadOnlyAdmin):
    list_display = ["subject_name", "subject_type", "ranking", "level", "consecutive", "talk_date"]
    list_filter = ["level", "subject_type", "county"]


@admin.register(WeakCandidate)
class WeakCandidateAdmin(ReadOnlyAdmin):
    list_display = ["organisation", "year", "status", "worst_rank"]
    list_filter = ["year", "status"]
