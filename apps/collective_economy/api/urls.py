from django.urls import path

from .views import (
    DevelopmentModeViewSet,
    EconomyStatsView,
    IncomeViewSet,
    PairingViewSet,
    ProjectViewSet,
    SupportFundViewSet,
)

# (prefix, viewset, basename) registered on the /api/v1/ router by config/api_router.py.
routes = [
    ("collective-incomes", IncomeViewSet, "collective-income"),
    ("collective-projects", ProjectViewSet, "collective-project"),
    ("collective-support-funds", SupportFundViewSet, "collective-support-fund"),
    ("collective-pairings", PairingViewSet, "collective-pairing"),
    ("collective-development-modes", DevelopmentModeViewSet, "collective-development-mode"),
]
urlpatterns = [
    path("stats/collective-economy/", EconomyStatsView.as_view(), name="collective-economy-stats"),
]
