from django.urls import path

from .findings import FindingViewSet
from .views import (
    EscalationViewSet,
    RankingConfigurationViewSet,
    RankingViewSet,
    RectificationListsView,
    WeakCandidateViewSet,
)

# (prefix, viewset, basename) registered on the /api/v1/ router by config/api_router.py.
routes = [
    ("rankings", RankingViewSet, "ranking"),
    ("escalations", EscalationViewSet, "escalation"),
    ("weak-candidates", WeakCandidateViewSet, "weak-candidate"),
    ("ranking-configurations", RankingConfigurationViewSet, "ranking-configuration"),
    ("findings", FindingViewSet, "finding"),
]
urlpatterns = [
    path("rectification-lists/", RectificationListsView.as_view(), name="rectification-lists"),
]
