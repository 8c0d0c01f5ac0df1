from django.http import FileResponse, Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.api.views import ServiceModelViewSet
from apps.core.scoping import get_for
from apps.villages.models import County, Township

from .. import selectors, services
from ..filters import (
    AwardFilter,
    GoodsFilter,
    ItemFilter,
    LedgerFilter,
    RedemptionFilter,
    ResidentFilter,
    SettlementFilter,
)
from .serializers import (
    AwardRejectSerializer,
    AwardSerializer,
    BankSettingsQuerySerializer,
    BankSettingsSerializer,
    GoodsRestockSerializer,
    GoodsSerializer,
    ItemActivationSerializer,
    ItemSerializer,
    LedgerEntrySerializer,
    LedgerReverseSerializer,
    MoralityStatsQuerySerializer,
    MoralityStatsSerializer,
    RedemptionSerializer,
    ResidentSerializer,
    SettlementRunSerializer,
    SettlementSerializer,
)

READ_CREATE = ["get", "post", "head", "options"]


def _params(serializer_class, request):
    params = serializer_class(data=request.data, context={"request": request})
    params.is_valid(raise_exception=True)
    return params.validated_data


def _query(serializer_class, request):
    params = serializer_class(data=request.query_params)
    params.is_valid(raise_exception=True)
    return params.validated_data


class ItemViewSet(ServiceModelViewSet):
    """The catalogue: the default items and the items of the counties in the caller's region.

    County admins add items for their county and disable or enable any item there; an item that
    was used cannot be deleted (400): disable it instead.
    """

    serializer_class = ItemSerializer
    selector = selectors.item_list
    create_service = services.item_create
    update_service = services.item_update
    delete_service = services.item_delete
    filterset_class = ItemFilter

    def _switch(self, request, active: bool):
        item = self.get_object()
        params = _params(ItemActivationSerializer, request)
        services.item_set_active(actor=request.user, item=item, active=active, county=params.get("county"))
        return Response(ItemSerializer(item, context={"request": request}).data)

    @extend_schema(request=ItemActivationSerializer, responses=ItemSerializer)
    @action(detail=True, methods=["post"])
    def disable(self, request, pk=None):
        return self._switch(request, False)

    @extend_schema(request=ItemActivationSerializer, responses=ItemSerializer)
    @action(detail=True, methods=["post"])
    def enable(self, request, pk=None):
        return self._switch(request, True)


class ResidentViewSet(ServiceModelViewSet):
    """Residents of the villages in the caller's region; ``balance`` is the sum of their ledger entries."""

    serializer_class = ResidentSerializer
    selector = selectors.resident_list
    create_service = services.resident_create
    update_service = services.resident_update
    delete_service = services.resident_delete
    filterset_class = ResidentFilter


class AwardViewSet(ServiceModelViewSet):
    """Awards and deductions. They count toward the balance only once approved by a user other than
    the one who recorded them; awarded points can be redeemed after the public-notice period."""

    serializer_class = AwardSerializer
    selector = selectors.award_list
    create_service = services.award_create
    filterset_class = AwardFilter
    http_method_names = READ_CREATE
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        if data.get("photo") is None:
            data.pop("photo", None)
        serializer.instance = services.award_create(actor=self.request.user, **data)

    def _respond(self, award):
        award = self.get_queryset().get(pk=award.pk)
        return Response(AwardSerializer(award, context={"request": self.request}).data)

    @extend_schema(request=None, responses=AwardSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._respond(services.award_approve(actor=request.user, award=self.get_object()))

    @extend_schema(request=AwardRejectSerializer, responses=AwardSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        params = _params(AwardRejectSerializer, request)
        award = services.award_reject(
            actor=request.user, award=self.get_object(), reason=params.get("reason", "")
        )
        return self._respond(award)

    @extend_schema(
        responses={
            (200, "image/jpeg"): OpenApiResponse(OpenApiTypes.BINARY, description="The evidence photo."),
            (200, "image/png"): OpenApiTypes.BINARY,
            (200, "image/webp"): OpenApiTypes.BINARY,
        }
    )
    @action(detail=True, methods=["get"])
    def photo(self, request, pk=None):
        return photo_response(self.get_object())


def photo_response(award) -> FileResponse:
    """The award's photo, to a caller who may see the award (the files are not served otherwise)."""
    if not award.photo:
        raise Http404(_("This award has no photo."))
    response = FileResponse(
        award.photo.open("rb"),
        content_type=services.PHOTO_TYPES.get(award.photo_type, "application/octet-stream"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response


class GoodsViewSet(ServiceModelViewSet):
    """Goods of the points shops (积分超市) in the caller's region."""

    serializer_class = GoodsSerializer
    selector = selectors.goods_list
    create_service = services.goods_create
    update_service = services.goods_update
    delete_service = services.goods_delete
    filterset_class = GoodsFilter

    @extend_schema(request=GoodsRestockSerializer, responses=GoodsSerializer)
    @action(detail=True, methods=["post"])
    def restock(self, request, pk=None):
        params = _params(GoodsRestockSerializer, request)
        goods = services.goods_restock(
            actor=request.user, goods=self.get_object(), quantity=params["quantity"]
        )
        return Response(GoodsSerializer(goods, context={"request": request}).data)


class RedemptionViewSet(ServiceModelViewSet):
    """Redemptions: points = price_points × quantity at the rate in force on the day. Refused (400)
    when the balance (less points under public notice) or the stock is short, or outside the
    redemption window; a redemption is corrected by reversing its ledger entry."""

    serializer_class = RedemptionSerializer
    selector = selectors.redemption_list
    create_service = services.redemption_create
    filterset_class = RedemptionFilter
    http_method_names = READ_CREATE

    def perform_create(self, serializer):
        redemption = services.redemption_create(actor=self.request.user, **serializer.validated_data)
        serializer.instance = self.get_queryset().get(pk=redemption.pk)


class LedgerViewSet(viewsets.ReadOnlyModelViewSet):
    """The append-only ledger: PUT, PATCH and DELETE answer 405; a mistake is fixed with ``reverse``."""

    serializer_class = LedgerEntrySerializer
    filterset_class = LedgerFilter

    def get_queryset(self):
        return selectors.ledger_list(user=self.request.user)

    @extend_schema(request=LedgerReverseSerializer, responses={201: LedgerEntrySerializer})
    @action(detail=True, methods=["post"])
    def reverse(self, request, pk=None):
        params = _params(LedgerReverseSerializer, request)
        entry = services.ledger_reverse(
            actor=request.user, entry=self.get_object(), reason=params.get("reason", "")
        )
        entry = self.get_queryset().get(pk=entry.pk)
        return Response(
            LedgerEntrySerializer(entry, context={"request": request}).data, status=status.HTTP_201_CREATED
        )


class SettlementViewSet(viewsets.ReadOnlyModelViewSet):
    """Quarterly statements per village, immutable once made."""

    serializer_class = SettlementSerializer
    filterset_class = SettlementFilter

    def get_queryset(self):
        return selectors.settlement_list(user=self.request.user)

    @extend_schema(request=SettlementRunSerializer, responses=SettlementSerializer(many=True))
    @action(detail=False, methods=["post"])
    def run(self, request):
        """Settle a quarter that has ended for the villages in the caller's region (or ``county``).
        Running it again returns the same statements."""
        params = _params(SettlementRunSerializer, request)
        statements = services.settlement_run(
            actor=request.user, quarter=params["quarter"], county=params.get("county")
        ).select_related("village")
        return Response(SettlementSerializer(statements, many=True, context={"request": request}).data)


class BankSettingsView(APIView):
    """The morality-bank settings of a county (rate, public-notice days, redemption window).

    Values are dated: PUT adds values from ``valid_from`` (today by default), so past redemptions
    keep the rate they used. County admins and above write.
    """

    def _county(self, request):
        county_id = _query(BankSettingsQuerySerializer, request).get("county")
        if county_id:
            return get_for(request.user, County, pk=county_id)
        region = getattr(request.user, "region", None)
        return getattr(region, "county", None) if not isinstance(region, County) else region

    def _body(self, county, values, on):
        return {"county": getattr(county, "pk", None), "on": on, **values}

    @extend_schema(parameters=[BankSettingsQuerySerializer], responses=BankSettingsSerializer)
    def get(self, request):
        county, today = self._county(request), timezone.localdate()
        values = services.bank_settings(county=county, on=today)
        return Response(BankSettingsSerializer(self._body(county, values, today)).data)

    @extend_schema(
        parameters=[BankSettingsQuerySerializer],
        request=BankSettingsSerializer,
        responses=BankSettingsSerializer,
    )
    def put(self, request):
        county = self._county(request)
        params = _params(BankSettingsSerializer, request)
        valid_from = params.pop("valid_from", None) or timezone.localdate()
        values = services.bank_settings_update(
            actor=request.user, county=county, valid_from=valid_from, **params
        )
        return Response(BankSettingsSerializer(self._body(county, values, valid_from)).data)


class MoralityStatsView(APIView):
    """Morality-bank figures for a region and year: villages with a bank, participation rate,
    points by category and quarter, goods redeemed."""

    @extend_schema(parameters=[MoralityStatsQuerySerializer], responses=MoralityStatsSerializer)
    def get(self, request):
        params = _query(MoralityStatsQuerySerializer, request)
        county = get_for(request.user, County, pk=params["county"]) if params.get("county") else None
        township = get_for(request.user, Township, pk=params["township"]) if params.get("township") else None
        year = params.get("year") or timezone.localdate().year
        figures = selectors.morality_stats(user=request.user, year=year, county=county, township=township)
        return Response(MoralityStatsSerializer(figures).data)
