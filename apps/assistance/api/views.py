from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.core.api.views import ServiceModelViewSet
from apps.core.periods import Month, Quarter

from .. import selectors, services
from ..filters import (
    AssistanceMeasureFilter,
    CommendationFilter,
    DisciplineCaseFilter,
    DutyLogFilter,
    EvaluationFilter,
    HouseholdFilter,
    HouseholdIncomeFilter,
    HouseholdMemberFilter,
    HouseholdStatusChangeFilter,
    PromotionFilter,
    ResponsibilityItemFilter,
    SpotCheckFilter,
    WorkTeamFilter,
    WorkTeamMemberFilter,
)
from ..models import WorkTeam
from . import serializers as s

READ_WRITE = ["get", "post", "put", "patch", "head", "options"]
READ_WRITE_DELETE = [*READ_WRITE, "delete"]
READ_ONLY = ["get", "head", "options"]


class AssistanceViewSet(ServiceModelViewSet):
    """Services get the instance as ``instance_kwarg``; responses are re-read through the scoped selector,
    so computed fields (flags, counts) are filled in after a write too."""

    instance_kwarg = "instance"
    http_method_names = READ_WRITE

    def _instance_kwarg(self):
        return self.instance_kwarg

    def _reread(self, serializer):
        serializer.instance = self.get_queryset().get(pk=serializer.instance.pk)

    def perform_create(self, serializer):
        super().perform_create(serializer)
        self._reread(serializer)

    def perform_update(self, serializer):
        super().perform_update(serializer)
        self._reread(serializer)

    def params(self, serializer_class, **context):
        params = serializer_class(data=self.request.data, context={"request": self.request, **context})
        params.is_valid(raise_exception=True)
        return params.validated_data


MONTH_PARAMETER = OpenApiParameter("month", str, required=True, description="YYYY-MM")


class WorkTeamViewSet(AssistanceViewSet):
    """Resident work teams; ``short_of_county_plus`` flags active teams below the Dingxi minimum."""

    serializer_class = s.WorkTeamSerializer
    queryset = WorkTeam.objects.none()
    selector = selectors.work_team_list
    create_service = services.work_team_create
    update_service = services.work_team_update
    filterset_class = WorkTeamFilter
    instance_kwarg = "team"


class WorkTeamMemberViewSet(AssistanceViewSet):
    """Assignments to work teams. At most one first secretary per team at any time."""

    serializer_class = s.WorkTeamMemberSerializer
    selector = selectors.team_member_list
    create_service = services.team_member_create
    update_service = services.team_member_update
    filterset_class = WorkTeamMemberFilter
    instance_kwarg = "member"

    @extend_schema(parameters=[MONTH_PARAMETER], responses=s.AllowanceSerializer)
    @action(detail=True, methods=["get"])
    def allowance(self, request, pk=None):
        """Living allowance (rate × on-duty days) and communication allowance (if served) for a month."""
        member = self.get_object()
        month = Month.parse(request.query_params.get("month"))
        allowance = selectors.member_allowance(member, month)
        return Response(s.AllowanceSerializer(s.allowance_data(member.pk, allowance)).data)

    @extend_schema(request=s.MemberEndSerializer, responses=s.WorkTeamMemberSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        """End the assignment (term end, transfer, recall) on ``end_date``."""
        member = self.get_object()
        params = self.params(s.MemberEndSerializer)
        services.team_member_end(
            actor=request.user, member=member, end_date=params["end_date"], reason=params["reason"]
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=member.pk)).data)


class DutyLogViewSet(AssistanceViewSet):
    """Duty logs: one per member and day, only on days of the member's assignment, never in the future."""

    serializer_class = s.DutyLogSerializer
    selector = selectors.duty_log_list
    create_service = services.duty_log_create
    update_service = services.duty_log_update
    delete_service = services.duty_log_delete
    filterset_class = DutyLogFilter
    instance_kwarg = "log"
    http_method_names = READ_WRITE_DELETE

    @extend_schema(request=s.DutyMonthSerializer, responses=s.DutyMonthResultSerializer)
    @action(detail=False, methods=["post"])
    def month(self, request):
        """A team's month at once: every entry is saved, or none (400 listing every problem under ``entries``)."""
        params = self.params(s.DutyMonthSerializer)
        month = Month.parse(params["month"])
        entries = [(e["member"], e["date"], e["on_duty"]) for e in params["entries"]]
        result = services.duty_month_save(
            actor=request.user, team=params["team"], month=month, entries=entries
        )
        return Response(s.DutyMonthResultSerializer(result).data)


class HouseholdViewSet(AssistanceViewSet):
    """Registered poor households. A new ``status`` in PUT/PATCH is a status change dated today."""

    serializer_class = s.HouseholdSerializer
    selector = selectors.household_list
    create_service = services.household_create
    update_service = services.household_update
    filterset_class = HouseholdFilter
    instance_kwarg = "household"

    @extend_schema(request=s.HouseholdStatusSerializer, responses={201: s.HouseholdStatusChangeSerializer})
    @action(detail=True, methods=["post"], url_path="status")
    def change_status(self, request, pk=None):
        """A dated status change: poor → exited → monitored → relapsed (and back out of monitoring)."""
        household = self.get_object()
        params = self.params(s.HouseholdStatusSerializer)
        change = services.household_status_change(actor=request.user, household=household, **params)
        return Response(s.HouseholdStatusChangeSerializer(change).data, status=status.HTTP_201_CREATED)


class HouseholdStatusChangeViewSet(AssistanceViewSet):
    """The status history of households (read-only; changes are made with ``households/{id}/status/``)."""

    serializer_class = s.HouseholdStatusChangeSerializer
    selector = selectors.household_status_change_list
    filterset_class = HouseholdStatusChangeFilter
    http_method_names = READ_ONLY


class HouseholdMemberViewSet(AssistanceViewSet):
    serializer_class = s.HouseholdMemberSerializer
    selector = selectors.household_member_list
    create_service = services.household_member_create
    update_service = services.household_member_update
    delete_service = services.household_member_delete
    filterset_class = HouseholdMemberFilter
    instance_kwarg = "member"
    http_method_names = READ_WRITE_DELETE


class HouseholdIncomeViewSet(AssistanceViewSet):
    """Annual per-capita net income: one per household and year, never negative."""

    serializer_class = s.HouseholdIncomeSerializer
    selector = selectors.household_income_list
    create_service = services.household_income_create
    update_service = services.household_income_update
    delete_service = services.household_income_delete
    filterset_class = HouseholdIncomeFilter
    instance_kwarg = "income"
    http_method_names = READ_WRITE_DELETE


class AssistanceMeasureViewSet(AssistanceViewSet):
    serializer_class = s.AssistanceMeasureSerializer
    selector = selectors.assistance_measure_list
    create_service = services.assistance_measure_create
    update_service = services.assistance_measure_update
    delete_service = services.assistance_measure_delete
    filterset_class = AssistanceMeasureFilter
    instance_kwarg = "measure"
    http_method_names = READ_WRITE_DELETE


class ResponsibilityItemViewSet(AssistanceViewSet):
    """The five responsibility lists (五在村): set by the configured month, reconciled quarterly, closed next year."""

    serializer_class = s.ResponsibilityItemSerializer
    selector = selectors.responsibility_item_list
    create_service = services.responsibility_item_create
    update_service = services.responsibility_item_update
    filterset_class = ResponsibilityItemFilter
    instance_kwarg = "item"

    @extend_schema(request=s.ReconcileSerializer, responses=s.ResponsibilityItemSerializer)
    @action(detail=True, methods=["post"])
    def reconcile(self, request, pk=None):
        item = self.get_object()
        services.responsibility_item_reconcile(
            actor=request.user, item=item, **self.params(s.ReconcileSerializer)
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=item.pk)).data)

    @extend_schema(request=s.CloseSerializer, responses=s.ResponsibilityItemSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        item = self.get_object()
        services.responsibility_item_close(actor=request.user, item=item, **self.params(s.CloseSerializer))
        return Response(self.get_serializer(self.get_queryset().get(pk=item.pk)).data)


class SpotCheckViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet
):
    """Quarterly spot checks. Checks are created only by ``sample``; findings and results are edited."""

    serializer_class = s.SpotCheckSerializer
    filterset_class = SpotCheckFilter

    def get_queryset(self):
        return selectors.spot_check_list(user=self.request.user)

    def perform_update(self, serializer):
        check = services.spot_check_update(
            actor=self.request.user, spot_check=serializer.instance, **serializer.validated_data
        )
        serializer.instance = self.get_queryset().get(pk=check.pk)

    def params(self, serializer_class):
        params = serializer_class(data=self.request.data, context={"request": self.request})
        params.is_valid(raise_exception=True)
        return params.validated_data

    @extend_schema(request=s.SampleSerializer, responses={201: s.SpotCheckDrawSerializer})
    @action(detail=False, methods=["post"])
    def sample(self, request):
        """Draw ceil(rate × active teams) of the county's teams active in the quarter; once per county and
        quarter. The same seed draws the same teams."""
        params = self.params(s.SampleSerializer)
        quarter = Quarter.parse(params["quarter"])
        draw = services.spot_check_sample(
            actor=request.user, county=params["county"], quarter=quarter, seed=params.get("seed")
        )
        draw = selectors.spot_check_draw_list(user=request.user).prefetch_related("checks").get(pk=draw.pk)
        return Response(s.SpotCheckDrawSerializer(draw).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.RecallSerializer, responses=s.WorkTeamMemberSerializer)
    @action(detail=True, methods=["post"])
    def recall(self, request, pk=None):
        """Recall a member of a team that failed: the assignment ends with reason ``recalled``."""
        check = self.get_object()
        params = self.params(s.RecallSerializer)
        member = services.spot_check_recall(
            actor=request.user, spot_check=check, member=params["member"], date=params.get("date")
        )
        return Response(s.WorkTeamMemberSerializer(member, context={"request": request}).data)


class EvaluationViewSet(AssistanceViewSet):
    """Annual evaluations 优 / 良 / 中 / 差: one per member and year."""

    serializer_class = s.EvaluationSerializer
    selector = selectors.evaluation_list
    create_service = services.evaluation_create
    update_service = services.evaluation_update
    filterset_class = EvaluationFilter
    instance_kwarg = "evaluation"


class CommendationViewSet(AssistanceViewSet):
    serializer_class = s.CommendationSerializer
    selector = selectors.commendation_list
    create_service = services.commendation_create
    update_service = services.commendation_update
    filterset_class = CommendationFilter
    instance_kwarg = "record"


class PromotionViewSet(AssistanceViewSet):
    serializer_class = s.PromotionSerializer
    selector = selectors.promotion_list
    create_service = services.promotion_create
    update_service = services.promotion_update
    filterset_class = PromotionFilter
    instance_kwarg = "record"


class DisciplineCaseViewSet(AssistanceViewSet):
    serializer_class = s.DisciplineCaseSerializer
    selector = selectors.discipline_case_list
    create_service = services.discipline_case_create
    update_service = services.discipline_case_update
    filterset_class = DisciplineCaseFilter
    instance_kwarg = "record"
