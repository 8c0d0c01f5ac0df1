"""`GET /api/v1/findings/` (the integrity watch's findings in the caller's region) and `POST …/{id}/review/`."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.core.api.serializers import StrictFieldsMixin

from ..integrity import selectors, services
from ..integrity.detectors import DETECTOR_CHOICES, RULES
from ..integrity.filters import FindingFilter
from ..models import Finding, FindingStatus


class FindingSerializer(serializers.ModelSerializer):
    detector = serializers.ChoiceField(choices=DETECTOR_CHOICES, read_only=True)
    status = serializers.ChoiceField(choices=FindingStatus.choices, read_only=True)
    rule = serializers.SerializerMethodField(help_text="The detector's rule in plain words.")
    score = serializers.DecimalField(max_digits=12, decimal_places=4, coerce_to_string=True, read_only=True)

    class Meta:
        model = Finding
        fields = [
            "id",
            "detector",
            "rule",
            "subject_type",
            "subject_id",
            "subject_name",
            "county",
            "township",
            "village",
            "period",
            "year",
            "evidence",
            "score",
            "status",
            "reason",
            "reviewed_at",
            "first_seen",
            "last_seen",
        ]
        read_only_fields = fields

    def get_rule(self, obj) -> str:
        return str(RULES.get(obj.detector, ""))


class FindingReviewSerializer(StrictFieldsMixin, serializers.Serializer):
    status = serializers.ChoiceField(choices=FindingStatus.choices)
    reason = serializers.CharField()


class FindingViewSet(viewsets.ReadOnlyModelViewSet):
    """Integrity findings (fake exits, assistance on paper …) of the weekly watch, in the caller's region.

    Filters: `county`, `township`, `village`, `year`, `detector`, `status`.
    """

    serializer_class = FindingSerializer
    filterset_class = FindingFilter
    queryset = Finding.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return selectors.finding_list(self.request.user)

    @extend_schema(
        request=FindingReviewSerializer,
        responses=FindingSerializer,
        description="Set the status (explained, confirmed, or open again) with a reason; county and city admins only.",
    )
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        params = FindingReviewSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        finding = services.finding_review(
            actor=request.user, finding=self.get_object(), **params.validated_data
        )
        return Response(FindingSerializer(finding, context={"request": request}).data)
