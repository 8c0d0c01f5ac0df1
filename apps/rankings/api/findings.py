"""`GET /api/v1/findings/` (the integrity watch's findings in the caller's region), `POST …/{id}/review/`
and `GET …/bunching/` (the townships ranked by the bunching statistic of a year)."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.core.api.serializers import StrictFieldsMixin
from apps.core.scoping import get_for
from apps.villages.models import County

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


class BunchingQuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(
        required=False,
        min_value=2000,
        max_value=2100,
        help_text="Year of the household incomes (default: the latest with incomes in your region).",
    )
    county = serializers.IntegerField(required=False, help_text="Only this county's townships.")


class TownshipBunchingSerializer(serializers.Serializer):
    rank = serializers.IntegerField(help_text="1 = most bunched; equal log-ratios share a rank.")
    township = serializers.IntegerField(source="township.pk")
    township_code = serializers.CharField(source="township.code")
    township_name = serializers.CharField(source="township.name")
    county = serializers.IntegerField(source="township.county_id")
    year = serializers.IntegerField()
    log_ratio = serializers.FloatField(
        source="figures.log_ratio",
        help_text="ln((band 0 + ½) / (mean of bands -2, -1, 1, 2 + ½)): 0 smooth, 0.69 twice the neighbours.",
    )
    z = serializers.FloatField(source="figures.z")
    above = serializers.IntegerField(
        source="figures.above", help_text="Households just above the line (band 0)."
    )
    neighbours = serializers.FloatField(
        source="figures.neighbours", help_text="Mean households of bands -2, -1, 1 and 2."
    )
    bands = serializers.DictField(
        source="figures.bands",
        child=serializers.IntegerField(),
        help_text='Households per band, keys "-2" … "2"; band k: income / line in [1 + k·w, 1 + (k+1)·w).',
    )
    enough = serializers.BooleanField(
        help_text="At least the county's configured count just above the line; townships below it rank last."
    )
    flagged = serializers.BooleanField(
        help_text="At or above the county's thresholds: the weekly watch makes it a finding."
    )


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

    @extend_schema(
        parameters=[
            BunchingQuerySerializer,
            OpenApiParameter("page", int, description="page number"),
            OpenApiParameter("page_size", int, description="rows per page (at most 500)"),
        ],
        responses=TownshipBunchingSerializer(many=True),
        description="The townships of the caller's region ranked by the bunching statistic of their household "
        "incomes of `year` (a McCrary-style density test just above the poverty line), most bunched first. "
        "Users bound to a village get an empty list: the statistic needs the whole township.",
    )
    @action(detail=False, methods=["get"], filter_backends=[])
    def bunching(self, request):
        params = BunchingQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        county_id = params.validated_data.get("county")
        county = get_for(request.user, County, pk=county_id) if county_id is not None else None
        year = params.validated_data.get("year") or selectors.bunching_latest_year(
            request.user, county=county
        )
        rows = (
            selectors.township_bunching_ranking(request.user, year=year, county=county)
            if year is not None
            else []
        )
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(TownshipBunchingSerializer(page, many=True).data)
