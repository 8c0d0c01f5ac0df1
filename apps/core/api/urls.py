from django.urls import path

from .jobs import TaskStatusView

# (prefix, viewset, basename) registered on the /api/v1/ router by config/api_router.py.
routes: list = []
urlpatterns = [path("tasks/<uuid:task_id>/", TaskStatusView.as_view(), name="task-status")]
