from django.contrib import admin

from apps.core.admin import ServiceAdmin

from . import services
from .models import DevelopmentMode, Income, Pairing, Project, SupportFund


@admin.register(DevelopmentMode)
class DevelopmentModeAdmin(ServiceAdmin):
    list_display = ["kind", "position", "code", "name", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["code", "name"]
    fields = list(services.MODE_FIELDS)
    create_service = services.development_mode_create
    update_service = services.development_mode_update
    delete_service = services.development_mode_delete


@admin.register(Income)
class IncomeAdmin(ServiceAdmin):
    list_display = ["village", "year", "total", "bracket", "economy_type"]
    list_filter = ["year", "bracket", "economy_type", "village__county"]
    search_fields = ["village__code", "village__name"]
    list_select_related = ["village"]
    autocomplete_fields = ["village"]
    fields = [*services.INCOME_FIELDS, "total", "bracket"]
    readonly_fields = ["total", "bracket"]
    create_service = services.income_create
    update_service = services.income_update
    delete_service = services.income_delete


@admin.register(SupportFund)
class SupportFundAdmin(ServiceAdmin):
    list_display = ["village", "year", "source", "amount"]
    list_filter = ["year", "source", "village__county"]
    search_fields = ["village__code", "village__name", "use"]
    list_select_related = ["village"]
    autocomplete_fields = ["village"]
    fields = list(services.SUPPORT_FUND_FIELDS)
    create_service = services.support_fund_create
    update_service = services.support_fund_update
    delete_service = services.support_fund_delete


@admin.register(Project)
class ProjectAdmin(ServiceAdmin):
    list_display = ["name", "village", "mode", "start_year", "status", "funds_total"]
    list_filter = ["status", "mode", "start_year", "village__county"]
    search_fields = ["name", "village__code", "village__name"]
    list_select_related = ["village", "mode"]
    autocomplete_fields = ["village"]
    fields = list(services.PROJECT_FIELDS)
    create_service = services.project_create
    update_service = services.project_update
    delete_service = services.project_delete


@admin.register(Pairing)
class PairingAdmin(ServiceAdmin):
    list_display = ["village", "unit_name", "unit_type", "start_year", "end_year"]
    list_filter = ["unit_type", "start_year", "village__county"]
    search_fields = ["unit_name", "village__code", "village__name"]
    list_select_related = ["village"]
    autocomplete_fields = ["village"]
    fields = list(services.PAIRING_FIELDS)
    create_service = services.pairing_create
    update_service = services.pairing_update
    delete_service = services.pairing_delete
