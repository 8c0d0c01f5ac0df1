"""`imports/`: upload a workbook to validate or commit (202 + id), follow it, read its report."""

import django_filters
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from apps.core.exports import XLSX_CONTENT_TYPE
from apps.core.imports import selectors, services
from apps.core.imports.report import report_response, uploaded_file_response
from apps.core.imports.spec import import_kind, import_kinds
from apps.core.imports.template import template_response
from apps.core.models import ImportBatch, ImportMode, ImportState

from .serializers import StrictFieldsMixin


class ImportErrorSerializer(serializers.Serializer):
    sheet = serializers.CharField()
    row = serializers.IntegerField(allow_null=True, help_text="the Excel row number")
    column = serializers.CharField(help_text="the column letter, empty for a whole row or file")
    header = serializers.CharField()
    value = serializers.CharField(help_text="the cell as uploaded; ID numbers masked")
    message = serializers.CharField(help_text="in the uploader's language")


class ImportBatchSerializer(serializers.ModelSerializer):
    progress = serializers.SerializerMethodField(help_text="0–100")
    uploaded_by = serializers.CharField(source="uploaded_by.username", read_only=True)
    error_count = serializers.SerializerMethodField()
    task_id = serializers.SerializerMethodField()

    class Meta:
        model = ImportBatch
        fields = [
            "id",
            "kind",
            "mode",
            "state",
            "progress",
            "file_name",
            "size",
            "checksum",
            "uploaded_by",
            "created_at",
            "finished_at",
            "rows_total",
            "rows_created",
            "rows_updated",
            "rows_unchanged",
            "error_count",
            "task_id",
        ]
        read_only_fields = fields

    def get_progress(self, batch) -> int:
        return selectors.import_progress(batch)

    def get_error_count(self, batch) -> int:
        return len(batch.errors)

    def get_task_id(self, batch) -> str | None:
        return str(batch.job.task_id) if batch.job_id else None


class ImportBatchDetailSerializer(ImportBatchSerializer):
    errors = ImportErrorSerializer(many=True, read_only=True)

    class Meta(ImportBatchSerializer.Meta):
        fields = [*ImportBatchSerializer.Meta.fields, "errors"]
        read_only_fields = fields


class ImportUploadSerializer(StrictFieldsMixin, serializers.Serializer):
    kind = serializers.ChoiceField(choices=[])
    mode = serializers.ChoiceField(choices=ImportMode.choices, default=ImportMode.VALIDATE)
    file = serializers.FileField(help_text=".xlsx, filled-in template of the kind")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(kind.name, kind.name) for kind in import_kinds()]


class ImportFilter(django_filters.FilterSet):
    kind = django_filters.CharFilter()
    state = django_filters.ChoiceFilter(choices=ImportState.choices)

    class Meta:
        model = ImportBatch
        fields = ["kind", "state"]


class ImportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Excel imports of the caller's region. `POST` a workbook (multipart: `kind`, `file`, `mode`
    `validate` or `commit`); the job answers 202 with the import's id; `GET imports/{id}/` gives its
    state, progress and, when finished, every error with sheet, row, column, value and message.
    Nothing is saved unless every row is valid."""

    queryset = ImportBatch.objects.none()
    filterset_class = ImportFilter
    parser_classes = [MultiPartParser]  # the upload is the only body this viewset takes

    def get_serializer_class(self):
        return ImportBatchDetailSerializer if self.action == "retrieve" else ImportBatchSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return selectors.import_list(user=self.request.user).select_related("job")

    @extend_schema(
        request={"multipart/form-data": ImportUploadSerializer},
        responses={202: ImportBatchSerializer},
        description="Queue the validation or commit of an uploaded workbook; follow it with `GET imports/{id}/`.",
    )
    def create(self, request):
        params = ImportUploadSerializer(data=request.data, context={"request": request})
        params.is_valid(raise_exception=True)
        upload = params.validated_data["file"]
        batch = services.import_start(
            actor=request.user,
            kind=params.validated_data["kind"],
            file_name=upload.name,
            content=upload.read(),
            mode=params.validated_data["mode"],
        )
        return Response(ImportBatchSerializer(batch).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        request=None,
        responses={
            (200, XLSX_CONTENT_TYPE): OpenApiResponse(OpenApiTypes.BINARY, description="the workbook")
        },
        description="The uploaded workbook with every error marked (cells highlighted, an error column). "
        "The uploader and the roles that may see full ID numbers only.",
    )
    @action(detail=True, methods=["get"])
    def report(self, request, pk=None):
        return report_response(self._downloadable())

    @extend_schema(
        request=None,
        responses={
            (200, XLSX_CONTENT_TYPE): OpenApiResponse(OpenApiTypes.BINARY, description="the workbook")
        },
        description="The workbook as uploaded. The uploader and the roles that may see full ID numbers only.",
    )
    @action(detail=True, methods=["get"])
    def file(self, request, pk=None):
        return uploaded_file_response(self._downloadable())

    @extend_schema(
        request=None,
        parameters=[OpenApiParameter("kind", str, OpenApiParameter.PATH)],
        responses={
            (200, XLSX_CONTENT_TYPE): OpenApiResponse(OpenApiTypes.BINARY, description="the template")
        },
        description="The .xlsx template of a kind, with the caller's villages in its drop-down lists.",
    )
    @action(detail=False, methods=["get"], url_path=r"templates/(?P<kind>[a-z_]+)")
    def template(self, request, kind=None):
        spec = import_kind(kind)
        if spec is None:
            raise NotFound(_("No such kind of import."))
        return template_response(spec, request.user)

    def _downloadable(self) -> ImportBatch:
        batch = self.get_object()
        selectors.ensure_may_download_file(self.request.user, batch)
        return batch
