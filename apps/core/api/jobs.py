from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.jobs import job_status
from apps.core.models import Job
from apps.core.scoping import get_for

TaskStatus = inline_serializer(
    "TaskStatus",
    {
        "task_id": serializers.UUIDField(),
        "name": serializers.CharField(),
        "state": serializers.ChoiceField(choices=["PENDING", "STARTED", "SUCCESS", "FAILURE", "RETRY"]),
        "progress": serializers.IntegerField(min_value=0, max_value=100),
        "result": serializers.JSONField(required=False),
        "error": serializers.CharField(required=False, allow_null=True),
    },
)


class TaskStatusView(APIView):
    """Progress of a job started through the API or a page (only within the caller's region)."""

    @extend_schema(responses=TaskStatus, operation_id="tasks_retrieve")
    def get(self, request, task_id):
        job = get_for(request.user, Job, task_id=task_id)
        return Response(job_status(job))
