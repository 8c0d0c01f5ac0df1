from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.api.views import ServiceModelViewSet
from apps.core.scoping import get_for
from apps.villages.models import County, Township

from .. import selectors, services
from ..filters import IncomeFilter, PairingFilter, ProjectFilter, SupportFundFilter
from .serializers import (
    CollectiveEconomyStatsQuerySerializer,
    CollectiveEconomyStatsSerializer,
    CollectiveIncomeSerializer,
    CollectivePairingSerializer,
    CollectiveProjectSerializer,
    CollectiveSupportFundSerializer,
    DevelopmentModeSerializer,
)


class IncomeViewSet(ServiceModelViewSet):
    """Collective income of a village by year and source; one record per village and year.

    `total`, `per_capita` and `bracket` are computed. Extra filters: `weak=true` (below the
    weak-village line), `meets_target=true`, `unpaired=true` (below the pairing line with no helping
    unit that year); lines are those in force at the end of each record's year.
    """

    serializer_class = CollectiveIncomeSerializer
    selector = selectors.income_list
    create_service = services.income_create
    update_service = services.income_update
    delete_service = services.income_delete
    filterset_class = IncomeFilter


class SupportFundViewSet(ServiceModelViewSet):
    """Support funds (扶持基金) granted to villages for their collective economy."""

    serializer_class = CollectiveSupportFundSerializer
    selector = selectors.support_fund_list
    create_service = services.support_fund_create
    update_service = services.support_fund_update
    delete_service = services.support_fund_delete
    filterset_class = SupportFundFilter


class ProjectViewSet(ServiceModelViewSet):
    """Party-member demonstration projects: funds by source and the people they benefit. `year` filters by start year."""

    serializer_class = CollectiveProjectSerializer
    selector = selectors.project_list
    create_service = services.project_create
    update_service = services.project_update
    delete_service = services.project_delete
    filterset_class = ProjectFilter


class PairingViewSet(ServiceModelViewSet):
    """Helping units paired with villages; `year` lists the pairings in force that year."""

    serializer_class = CollectivePairingSerializer
    selector = selectors.pairing_list
    create_service = services.pairing_create
    update_service = services.pairing_update
    delete_service = services.pairing_delete
    filterset_class = PairingFilter


class DevelopmentModeViewSet(ServiceModelViewSet):
    """The configurable list of village development modes and project modes; city admins change it."""

    serializer_class = DevelopmentModeSerializer
    selector = selectors.development_mode_list
    create_service = services.development_mode_create
    update_service = services.development_mode_update
    delete_service = services.development_mode_delete
    filterset_fields = ["kind", "is_active"]
    pagination_class = None


class EconomyStatsView(APIView):
    """Figures of one year in the caller's region, or one county or township of it.

    Counts per bracket (Bazhong figure 10), income by source (figure 14), median and total, villages
    under 5,000 and at or over 100,000, villages below the weak-village line and meeting each line,
    unpaired villages under the pairing line, support funds and projects. Each county's own lines apply.
    """

    @extend_schema(
        parameters=[CollectiveEconomyStatsQuerySerializer], responses=CollectiveEconomyStatsSerializer
    )
    def get(self, request):
        params = CollectiveEconomyStatsQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        county_id = params.validated_data.get("county")
        township_id = params.validated_data.get("township")
        # A region outside the caller's scope reads as missing, like every other record.
        county = get_for(request.user, County, pk=county_id) if county_id is not None else None
        township = get_for(request.user, Township, pk=township_id) if township_id is not None else None
        year = params.validated_data.get("year") or selectors.latest_year(user=request.user)
        stats = selectors.economy_stats(user=request.user, year=year, county=county, township=township)
        return Response(CollectiveEconomyStatsSerializer(stats).data)
