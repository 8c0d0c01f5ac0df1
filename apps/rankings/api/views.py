from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.jobs import start_job
from apps.core.scoping import get_for
from apps.villages.models import County

from .. import selectors, services
from ..filters import EscalationFilter, RankingFilter, WeakCandidateFilter
from ..models import Escalation, Ranking, RankingConfiguration, WeakCandidate
from ..tasks import run_ranking
from .serializers import (
    ConfirmSerializer,
    EscalationSerializer,
    RankingConfigurationSerializer,
    RankingEntryPageSerializer,
    RankingEntrySerializer,
    RankingRunSerializer,
    RankingSerializer,
    RectificationListsQuerySerializer,
    RectificationListsSerializer,
    TalkSerializer,
    TaskQueuedSerializer,
    WeakCandidateSerializer,
)


class RankingViewSet(viewsets.ReadOnlyModelViewSet):
    """Ranking snapshots per (kind, period, county): drafts until published, then never changed.

    Filters: `county`, `kind`, `period`, `status`, `year` (of the period's end).
    """

    serializer_class = RankingSerializer
    filterset_class = RankingFilter
    queryset = Ranking.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return selectors.ranking_list(user=self.request.user)

    @extend_schema(
        request=RankingRunSerializer,
        responses={202: TaskQueuedSerializer},
        description="Queue a Celery job computing the (kind, period, county) draft; follow it with `GET tasks/{task_id}/`, "
        'whose `result` is `{"ranking_id"}`. A published period answers 400 and never changes.',
    )
    @action(detail=False, methods=["post"])
    def run(self, request):
        params = RankingRunSerializer(data=request.data, context={"request": request})
        params.is_valid(raise_exception=True)
        kind, period, county = services.ranking_validate_run(actor=request.user, **params.validated_data)
        job = start_job(
            run_ranking,
            actor=request.user,
            name=f"ranking {kind} {period}",
            county=county,
            kwargs={"kind": kind, "period": str(period), "county_id": county.pk},
        )
        return Response({"task_id": str(job.task_id)}, status=status.HTTP_202_ACCEPTED)

    @extend_schema(request=None, responses=RankingSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        ranking = services.ranking_publish(actor=request.user, ranking=self.get_object())
        return Response(RankingSerializer(ranking, context={"request": request}).data)

    @extend_schema(
        responses=RankingEntryPageSerializer,
        parameters=[
            OpenApiParameter("page", int, description="page number"),
            OpenApiParameter("page_size", int, description="entries per page (at most 500)"),
        ],
        description="The entries the caller may see (township staff: their township's), ordered by rank.",
    )
    @action(detail=True, methods=["get"])
    def entries(self, request, pk=None):
        entries = selectors.entry_list(user=request.user, ranking=self.get_object())
        page = self.paginate_queryset(entries)
        return self.get_paginated_response(RankingEntrySerializer(page, many=True).data)


class EscalationViewSet(viewsets.ReadOnlyModelViewSet):
    """The bottom-three escalation ledger (约谈 → 诫勉谈话 → 组织处理), each with the ranking that caused it.

    Filters: `county`, `township`, `level`, `subject_type`, `subject_id`, `ranking`, `period`, `open` (talk not recorded).
    """

    serializer_class = EscalationSerializer
    filterset_class = EscalationFilter
    queryset = Escalation.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return selectors.escalation_list(user=self.request.user)

    @extend_schema(request=TalkSerializer, responses=EscalationSerializer)
    @action(detail=True, methods=["post"])
    def talk(self, request, pk=None):
        params = TalkSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        escalation = services.escalation_record_talk(
            actor=request.user, escalation=self.get_object(), **params.validated_data
        )
        return Response(EscalationSerializer(escalation).data)


class WeakCandidateViewSet(viewsets.ReadOnlyModelViewSet):
    """Organisations proposed as weak and lax by published yearly village rankings, with their reasons.

    Filters: `county`, `year`, `status`, `ranking`. `POST weak-candidates/{id}/confirm/` records the
    year's `weak` rating through the Party-organisation service (which opens the rectification case).
    """

    serializer_class = WeakCandidateSerializer
    filterset_class = WeakCandidateFilter
    queryset = WeakCandidate.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return selectors.candidate_list(user=self.request.user)

    @extend_schema(request=ConfirmSerializer, responses=WeakCandidateSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        params = ConfirmSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        candidate = services.candidate_confirm(
            actor=request.user, candidate=self.get_object(), reason=params.validated_data["reason"]
        )
        return Response(WeakCandidateSerializer(candidate).data)


class RankingConfigurationViewSet(
    mixins.CreateModelMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Dated weights per county and kind (indicator code → weight, summing to 100) and bottom N.

    A configuration is never edited: add one with a later `valid_from`; snapshots keep the one they used.
    """

    serializer_class = RankingConfigurationSerializer
    filterset_fields = ["county", "kind"]
    queryset = RankingConfiguration.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return selectors.configuration_list(user=self.request.user)

    def perform_create(self, serializer):
        serializer.instance = services.configuration_create(
            actor=self.request.user, **serializer.validated_data
        )


class RectificationListsView(APIView):
    """The rectification lists (整改清单): open cases past their deadline, villages short of reserve
    cadres, villages below the collective-income line (of `year`, default the latest with incomes)."""

    @extend_schema(parameters=[RectificationListsQuerySerializer], responses=RectificationListsSerializer)
    def get(self, request):
        params = RectificationListsQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        county_id = params.validated_data.get("county")
        county = get_for(request.user, County, pk=county_id) if county_id is not None else None
        lists = selectors.rectification_lists(
            user=request.user, county=county, year=params.validated_data.get("year")
        )
        return Response(RectificationListsSerializer(lists).data)
