from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.core.api.views import ServiceModelViewSet
from apps.core.scoping import get_for

from .. import selectors, services
from ..filters import VillageFilter
from ..models import Village
from .serializers import (
    CitySerializer,
    CountySerializer,
    TownshipSerializer,
    VillageRetireSerializer,
    VillageSerializer,
)

READ_WRITE_NO_DELETE = ["get", "post", "put", "patch", "head", "options"]


class CityViewSet(ServiceModelViewSet):
    serializer_class = CitySerializer
    selector = selectors.city_list
    create_service = services.city_create
    update_service = services.city_update
    http_method_names = READ_WRITE_NO_DELETE


class CountyViewSet(ServiceModelViewSet):
    serializer_class = CountySerializer
    selector = selectors.county_list
    create_service = services.county_create
    update_service = services.county_update
    filterset_fields = ["city"]
    http_method_names = READ_WRITE_NO_DELETE


class TownshipViewSet(ServiceModelViewSet):
    serializer_class = TownshipSerializer
    selector = selectors.township_list
    create_service = services.township_create
    update_service = services.township_update
    filterset_fields = ["county"]
    http_method_names = READ_WRITE_NO_DELETE


class VillageViewSet(ServiceModelViewSet):
    """Villages in the caller's region. DELETE works only for a village without records; retire the others."""

    serializer_class = VillageSerializer
    selector = selectors.village_list
    create_service = services.village_create
    update_service = services.village_update
    delete_service = services.village_delete
    filterset_class = VillageFilter

    @extend_schema(request=VillageRetireSerializer, responses=VillageSerializer)
    @action(detail=True, methods=["post"])
    def retire(self, request, pk=None):
        village = self.get_object()
        params = VillageRetireSerializer(data=request.data, context={"request": request})
        params.is_valid(raise_exception=True)
        merged_into_id = params.validated_data.get("merged_into")
        merged_into = get_for(request.user, Village, pk=merged_into_id) if merged_into_id else None
        village = services.village_retire(
            actor=request.user,
            village=village,
            retired_on=params.validated_data["retired_on"],
            reason=params.validated_data["reason"],
            merged_into=merged_into,
        )
        return Response(
            VillageSerializer(village, context={"request": request}).data, status=status.HTTP_200_OK
        )
