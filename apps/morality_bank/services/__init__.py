"""Every write of the morality bank (see ARCHITECTURE.md: services)."""

from .awards import award_approve, award_create, award_reject, item_available
from .bank_settings import SETTING_KEYS, bank_settings, bank_settings_update
from .catalogue import (
    ITEM_EDITABLE_FIELDS,
    default_catalogue_ensure,
    item_create,
    item_delete,
    item_set_active,
    item_update,
)
from .ledger import ledger_reverse
from .photos import PHOTO_MAX_BYTES, PHOTO_TYPES
from .residents import RESIDENT_EDITABLE_FIELDS, resident_create, resident_delete, resident_update
from .settlement import settlement_run
from .shop import (
    GOODS_EDITABLE_FIELDS,
    ensure_redemption_window,
    goods_create,
    goods_delete,
    goods_restock,
    goods_update,
    redemption_create,
)

__all__ = [
    "GOODS_EDITABLE_FIELDS",
    "ITEM_EDITABLE_FIELDS",
    "PHOTO_MAX_BYTES",
    "PHOTO_TYPES",
    "RESIDENT_EDITABLE_FIELDS",
    "SETTING_KEYS",
    "award_approve",
    "award_create",
    "award_reject",
    "default_catalogue_ensure",
    "bank_settings",
    "bank_settings_update",
    "ensure_redemption_window",
    "goods_create",
    "goods_delete",
    "goods_restock",
    "goods_update",
    "item_available",
    "item_create",
    "item_delete",
    "item_set_active",
    "item_update",
    "ledger_reverse",
    "redemption_create",
    "resident_create",
    "resident_delete",
    "resident_update",
    "settlement_run",
]
