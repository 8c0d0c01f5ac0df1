from rest_framework.routers import DefaultRouter

from apps.villages.api.views import CityViewSet, CountyViewSet, TownshipViewSet, VillageViewSet

router = DefaultRouter()
router.register("cities", CityViewSet, basename="city")
router.register("counties", CountyViewSet, basename="county")
router.register("townships", TownshipViewSet, basename="township")
router.register("villages", VillageViewSet, basename="village")

app_name = "api"
urlpatterns = router.urls
