from django.urls import path

from .views import (
    AwardViewSet,
    BankSettingsView,
    GoodsViewSet,
    ItemViewSet,
    LedgerViewSet,
    MoralityStatsView,
    RedemptionViewSet,
    ResidentViewSet,
    SettlementViewSet,
)

# (prefix, viewset, basename) registered on the /api/v1/ router by config/api_router.py.
routes = [
    ("morality/items", ItemViewSet, "morality-item"),
    ("morality/residents", ResidentViewSet, "morality-resident"),
    ("morality/awards", AwardViewSet, "morality-award"),
    ("morality/goods", GoodsViewSet, "morality-goods"),
    ("morality/redemptions", RedemptionViewSet, "morality-redemption"),
    ("morality/ledger", LedgerViewSet, "morality-ledger"),
    ("morality/settlements", SettlementViewSet, "morality-settlement"),
]
urlpatterns: list = [
    path("morality/settings/", BankSettingsView.as_view(), name="morality-settings"),
    path("stats/morality/", MoralityStatsView.as_view(), name="morality-stats"),
]
