from .views import CityViewSet, CountyViewSet, TownshipViewSet, VillageViewSet

# (prefix, viewset, basename) registered on the /api/v1/ router by config/api_router.py.
routes = [
    ("cities", CityViewSet, "city"),
    ("counties", CountyViewSet, "county"),
    ("townships", TownshipViewSet, "township"),
    ("villages", VillageViewSet, "village"),
]
urlpatterns: list = []
