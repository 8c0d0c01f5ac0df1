"""The admin lists assistance records (scoped); writes go through the services or are not offered."""

from django.contrib import admin

from apps.core.admin import ScopedAdmin, ServiceAdmin

from . import services
from .models import (
    Commendation,
    DisciplineCase,
    DutyLog,
    Evaluation,
    Household,
    HouseholdIncome,
    Promotion,
    ResponsibilityItem,
    SpotCheck,
    SpotCheckDraw,
    WorkTeam,
    WorkTeamMember,
)


class ReadOnlyAdmin(ScopedAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(WorkTeam)
class WorkTeamAdmin(ServiceAdmin):
    list_display = ["village", "start_date", "end_date", "lead_unit"]
    list_select_related = ["village"]
    search_fields = ["village__name", "village__code"]
    date_hierarchy = "start_date"
    fields = ["village", "start_date", "end_date", "lead_unit", "note"]
    autocomplete_fields = ["village"]
    create_service = services.work_team_create

    @staticmethod
    def update_service(*, actor, workteam, **fields):
        return services.work_team_update(actor=actor, team=workteam, **fields)


@admin.register(WorkTeamMember)
class WorkTeamMemberAdmin(ReadOnlyAdmin):
    list_display = ["name", "team", "role", "unit_name", "unit_type", "unit_level", "start_date", "end_date"]
    list_filter = ["role", "unit_type", "unit_level"]
    list_select_related = ["team__village"]
    search_fields = ["name", "unit_name"]
    exclude = ["id_number"]


@admin.register(Household)
class HouseholdAdmin(ReadOnlyAdmin):
    list_display = ["head_name", "village", "size", "cause", "status", "exit_year"]
    list_filter = ["status", "cause", "exit_year"]
    list_select_related = ["village"]
    search_fields = ["head_name"]
    exclude = ["head_id_number"]


for model, columns in (
    (DutyLog, ["member", "date", "on_duty"]),
    (HouseholdIncome, ["household", "year", "per_capita_net_income"]),
    (ResponsibilityItem, ["village", "year", "kind", "holder", "closed_on"]),
    (SpotCheckDraw, ["county", "quarter", "seed", "active_teams"]),
    (SpotCheck, ["draw", "team", "result"]),
    (Evaluation, ["member", "year", "grade"]),
    (Commendation, ["person_name", "village", "date", "level"]),
    (Promotion, ["person_name", "village", "date", "rank"]),
    (DisciplineCase, ["person_name", "village", "date", "category", "outcome"]),
):
    admin.site.register(model, type(f"{model.__name__}Admin", (ReadOnlyAdmin,), {"list_display": columns}))
