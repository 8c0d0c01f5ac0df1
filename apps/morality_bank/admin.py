from django.contrib import admin

from apps.core.admin import ScopedAdmin, ServiceAdmin

from . import services
from .models import Award, Goods, Item, LedgerEntry, Redemption, Resident, Settlement


@admin.register(Item)
class ItemAdmin(ServiceAdmin):
    list_display = ["name", "category", "min_points", "max_points", "county", "is_active"]
    list_filter = ["category", "is_active"]
    search_fields = ["name"]
    fields = ["county", "category", "name", "min_points", "max_points"]
    create_service = services.item_create
    update_service = services.item_update
    delete_service = services.item_delete


@admin.register(Resident)
class ResidentAdmin(ServiceAdmin):
    list_display = ["name", "village", "balance"]
    search_fields = ["name"]
    list_select_related = ["village"]
    raw_id_fields = ["village", "household"]
    fields = ["village", "name", "id_number", "household", "balance"]
    readonly_fields = ["balance"]
    create_service = services.resident_create
    update_service = services.resident_update
    delete_service = services.resident_delete


@admin.register(Goods)
class GoodsAdmin(ServiceAdmin):
    list_display = ["name", "village", "price_points", "stock", "is_active"]
    search_fields = ["name"]
    list_select_related = ["village"]
    raw_id_fields = ["village"]
    fields = ["village", "name", "price_points", "stock", "is_active"]
    create_service = services.goods_create
    update_service = services.goods_update
    delete_service = services.goods_delete


class ReadOnlyAdmin(ScopedAdmin):
    """Awards, redemptions, the ledger and statements change only through their services and pages."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Award)
class AwardAdmin(ReadOnlyAdmin):
    list_display = ["resident", "item", "points", "date", "status", "village"]
    list_filter = ["status"]
    list_select_related = ["resident", "item", "village"]


@admin.register(Redemption)
class RedemptionAdmin(ReadOnlyAdmin):
    list_display = ["resident", "goods", "quantity", "points", "date"]
    list_select_related = ["resident", "goods"]


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = ["resident", "kind", "points", "date", "created_at"]
    list_filter = ["kind"]
    list_select_related = ["resident"]


@admin.register(Settlement)
class SettlementAdmin(ReadOnlyAdmin):
    list_display = ["village", "quarter", "awarded", "redeemed", "outstanding"]
    list_select_related = ["village"]
