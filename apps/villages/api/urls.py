from django.urls import path

from .views import (
    CentralHouseholdViewSet,
    CityViewSet,
    CountyViewSet,
    PartyFiguresView,
    PartyGridViewSet,
    PartyOrganisationViewSet,
    RatingViewSet,
    RectificationViewSet,
    TownshipViewSet,
    VillageViewSet,
)

# (prefix, viewset, basename) registered on the /api/v1/ router by config/api_router.py.
routes = [
    ("cities", CityViewSet, "city"),
    ("counties", CountyViewSet, "county"),
    ("townships", TownshipViewSet, "township"),
    ("villages", VillageViewSet, "village"),
    ("party-organisations", PartyOrganisationViewSet, "party-organisation"),
    ("party-grids", PartyGridViewSet, "party-grid"),
    ("central-households", CentralHouseholdViewSet, "central-household"),
    ("ratings", RatingViewSet, "rating"),
    ("rectifications", RectificationViewSet, "rectification"),
]
urlpatterns = [
    path("stats/party-organisations/", PartyFiguresView.as_view(), name="stats-party-organisations"),
]
