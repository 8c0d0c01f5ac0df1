from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.api.schema import VALIDATION_ERROR_BODY, ErrorDetail
from apps.core.api.views import ServiceModelViewSet
from apps.villages.models import Village

from .. import selectors, services, statistics
from ..filters import CadreFilter, EnrolmentFilter, PositionFilter, ReserveFilter, TrainingFilter
from .serializers import (
    CadrePositionSerializer,
    CadreResignSerializer,
    CadreSerializer,
    CadreSeriesSerializer,
    CadreStatsSerializer,
    DegreeEnrolmentSerializer,
    EnrolmentCompleteSerializer,
    PositionEndSerializer,
    ReserveCadreSerializer,
    SeriesQuerySerializer,
    ShortOfReservesSerializer,
    StatsQuerySerializer,
    TrainingSerializer,
)

REGION_KEYS = ("city", "county", "township", "village")


class CadreViewSet(ServiceModelViewSet):
    """Village cadres in the caller's region. ID numbers are masked for roles below county admin.

    Callers who see masked numbers change a record with PATCH and leave ``id_number`` out (a masked
    number is not a valid one). ``warnings`` lists what to check about a valid record, e.g. an ID
    region code missing from the known list: the record is saved anyway. DELETE works only for a
    cadre entered by mistake, without positions or other records.
    """

    serializer_class = CadreSerializer
    selector = selectors.cadre_list
    create_service = services.cadre_create
    update_service = services.cadre_update
    delete_service = services.cadre_delete
    filterset_class = CadreFilter

    @extend_schema(request=CadreResignSerializer, responses=CadrePositionSerializer(many=True))
    @action(detail=True, methods=["post"])
    def resign(self, request, pk=None):
        """The cadre resigns: every current position ends on ``date`` with end_reason ``resigned``."""
        cadre = self.get_object()
        params = CadreResignSerializer(data=request.data, context={"request": request})
        params.is_valid(raise_exception=True)
        positions = services.cadre_resign(actor=request.user, cadre=cadre, **params.validated_data)
        data = CadrePositionSerializer(positions, many=True, context={"request": request}).data
        return Response(data, status=status.HTTP_200_OK)


class CadrePositionViewSet(ServiceModelViewSet):
    """Positions held by cadres: one current secretary and one current director per village at a time.

    A position is held from ``start_date`` until the day before ``end_date``; a current one has no
    ``end_date``. DELETE is for a position entered by mistake; end a real one with ``end/``.
    """

    serializer_class = CadrePositionSerializer
    selector = selectors.position_list
    create_service = services.position_create
    update_service = services.position_update
    delete_service = services.position_delete
    filterset_class = PositionFilter

    def _instance_kwarg(self):
        return "position"

    @extend_schema(request=PositionEndSerializer, responses=CadrePositionSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        """End a current position (a resignation, the end of a term, a transfer ...)."""
        position = self.get_object()
        params = PositionEndSerializer(data=request.data, context={"request": request})
        params.is_valid(raise_exception=True)
        position = services.position_end(actor=request.user, position=position, **params.validated_data)
        return Response(CadrePositionSerializer(position, context={"request": request}).data)


class ReserveCadreViewSet(ServiceModelViewSet):
    """Reserve cadres (后备力量): people in a village's pool from ``since`` until ``until``."""

    serializer_class = ReserveCadreSerializer
    selector = selectors.reserve_list
    create_service = services.reserve_create
    update_service = services.reserve_update
    delete_service = services.reserve_delete
    filterset_class = ReserveFilter

    def _instance_kwarg(self):
        return "reserve"


class TrainingViewSet(ServiceModelViewSet):
    """Training courses attended by cadres, in days."""

    serializer_class = TrainingSerializer
    selector = selectors.training_list
    create_service = services.training_create
    update_service = services.training_update
    delete_service = services.training_delete
    filterset_class = TrainingFilter


class DegreeEnrolmentViewSet(ServiceModelViewSet):
    """Degree-upgrade enrolments (学历提升); ``complete/`` raises the cadre's education."""

    serializer_class = DegreeEnrolmentSerializer
    selector = selectors.enrolment_list
    create_service = services.enrolment_create
    update_service = services.enrolment_update
    delete_service = services.enrolment_delete
    filterset_class = EnrolmentFilter

    def _instance_kwarg(self):
        return "enrolment"

    @extend_schema(request=EnrolmentCompleteSerializer, responses=DegreeEnrolmentSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        enrolment = self.get_object()
        params = EnrolmentCompleteSerializer(data=request.data, context={"request": request})
        params.is_valid(raise_exception=True)
        enrolment = services.enrolment_complete(
            actor=request.user, enrolment=enrolment, **params.validated_data
        )
        return Response(DegreeEnrolmentSerializer(enrolment, context={"request": request}).data)


def _query(serializer_class, request) -> dict:
    params = serializer_class(data=request.query_params)
    params.is_valid(raise_exception=True)
    return params.validated_data


def _region(params: dict) -> dict:
    return {key: params[key] for key in REGION_KEYS if params.get(key) is not None}


class CadreStatsView(APIView):
    """Cadre structure as of 31 December of ``year`` for the caller's region or one region in it."""

    @extend_schema(
        parameters=[StatsQuerySerializer],
        responses={200: CadreStatsSerializer, 400: VALIDATION_ERROR_BODY, 404: ErrorDetail},
    )
    def get(self, request):
        params = _query(StatsQuerySerializer, request)
        figures = statistics.cadre_statistics(user=request.user, year=params["year"], **_region(params))
        return Response(figures)


class CadreSeriesView(APIView):
    """The structure figures year by year (education, average age, exchange secretaries, resignations ...)."""

    @extend_schema(
        parameters=[SeriesQuerySerializer],
        responses={200: CadreSeriesSerializer, 400: VALIDATION_ERROR_BODY, 404: ErrorDetail},
    )
    def get(self, request):
        params = _query(SeriesQuerySerializer, request)
        series = statistics.cadre_series(
            user=request.user, from_year=params["from_year"], to_year=params["to_year"], **_region(params)
        )
        return Response(series)


@extend_schema(
    parameters=[StatsQuerySerializer], responses={200: ShortOfReservesSerializer(many=True), 404: ErrorDetail}
)
class ShortOfReservesView(generics.ListAPIView):
    """Villages with fewer reserve cadres than required (default 2) on 31 December of ``year``,
    or today when no year is given: the rectification list's reserve line."""

    serializer_class = ShortOfReservesSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Village.objects.none()
        params = StatsQuerySerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        year = self.request.query_params.get("year")
        on = statistics.as_of(params.validated_data["year"]) if year else None
        return statistics.villages_short_of_reserves(
            user=self.request.user, on=on, **_region(params.validated_data)
        )
