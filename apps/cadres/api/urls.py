from django.urls import path

from .views import (
    CadrePositionViewSet,
    CadreSeriesView,
    CadreStatsView,
    CadreViewSet,
    DegreeEnrolmentViewSet,
    ReserveCadreViewSet,
    ShortOfReservesView,
    TrainingViewSet,
)

# (prefix, viewset, basename) registered on the /api/v1/ router by config/api_router.py.
routes = [
    ("cadres", CadreViewSet, "cadre"),
    ("cadre-positions", CadrePositionViewSet, "cadre-position"),
    ("reserve-cadres", ReserveCadreViewSet, "reserve-cadre"),
    ("trainings", TrainingViewSet, "training"),
    ("degree-enrolments", DegreeEnrolmentViewSet, "degree-enrolment"),
]
urlpatterns = [
    path("stats/cadres/", CadreStatsView.as_view(), name="cadre-stats"),
    path("stats/cadres/series/", CadreSeriesView.as_view(), name="cadre-stats-series"),
    path(
        "stats/cadres/short-of-reserves/", ShortOfReservesView.as_view(), name="cadre-stats-short-of-reserves"
    ),
]
