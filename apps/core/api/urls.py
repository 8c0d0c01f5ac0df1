from django.urls import path

from .imports import ImportViewSet
from .jobs import TaskStatusView
from .reporting import NotificationViewSet, PeriodViewSet

# (prefix, viewset, basename) registered on the /api/v1/ router by config/api_router.py.
routes: list = [
    ("periods", PeriodViewSet, "period"),
    ("notifications", NotificationViewSet, "notification"),
    ("imports", ImportViewSet, "import"),
]
urlpatterns = [path("tasks/<uuid:task_id>/", TaskStatusView.as_view(), name="task-status")]
