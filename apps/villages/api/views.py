from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.api.views import ServiceModelViewSet
from apps.core.scoping import get_for

from .. import selectors, services
from ..filters import (
    CentralHouseholdFilter,
    PartyGridFilter,
    PartyOrganisationFilter,
    RatingFilter,
    RectificationFilter,
    VillageFilter,
)
from ..models import County, Township, Village
from .serializers import (
    CentralHouseholdSerializer,
    CitySerializer,
    CountySerializer,
    PartyFiguresQuerySerializer,
    PartyFiguresSerializer,
    PartyGridSerializer,
    PartyOrganisationSerializer,
    RatingSerializer,
    RectificationAcceptSerializer,
    RectificationExtendSerializer,
    RectificationNoteSerializer,
    RectificationSerializer,
    TownshipSerializer,
    VillageRetireSerializer,
    VillageSerializer,
)

READ_WRITE_NO_DELETE = ["get", "post", "put", "patch", "head", "options"]
FIGURES_FIRST_YEAR = 2014  # the Bazhong figures count from the start of targeted poverty alleviation


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


# Party organisations, their chain, ratings and rectification


class _NamedInstanceMixin:
    """Services take the instance under a readable name (``organisation=``), not the model name."""

    instance_kwarg = ""

    def _instance_kwarg(self):
        return self.instance_kwarg


class PartyOrganisationViewSet(_NamedInstanceMixin, ServiceModelViewSet):
    """Village Party organisations in the caller's region; a joint one (``is_joint``) covers several villages.

    Every village listed must be in the caller's region and all in one township. DELETE works only for an
    organisation without ratings or grids.
    """

    serializer_class = PartyOrganisationSerializer
    selector = selectors.organisation_list
    create_service = services.organisation_create
    update_service = services.organisation_update
    delete_service = services.organisation_delete
    filterset_class = PartyOrganisationFilter
    instance_kwarg = "organisation"


class PartyGridViewSet(_NamedInstanceMixin, ServiceModelViewSet):
    """Grid Party organisations (网格党组织) under a village organisation."""

    serializer_class = PartyGridSerializer
    selector = selectors.grid_list
    create_service = services.grid_create
    update_service = services.grid_update
    delete_service = services.grid_delete
    filterset_class = PartyGridFilter
    instance_kwarg = "grid"


class CentralHouseholdViewSet(_NamedInstanceMixin, ServiceModelViewSet):
    """Party-member central households (党员中心户) in a grid."""

    serializer_class = CentralHouseholdSerializer
    selector = selectors.central_household_list
    create_service = services.central_household_create
    update_service = services.central_household_update
    delete_service = services.central_household_delete
    filterset_class = CentralHouseholdFilter
    instance_kwarg = "household"


class RatingViewSet(ServiceModelViewSet):
    """Yearly ratings, one per organisation and year, confirmed by the caller (county admins and API clients).

    A `weak` rating opens the organisation's rectification case for that year. Changing a rating needs
    `change_reason`; ratings are never deleted.
    """

    serializer_class = RatingSerializer
    selector = selectors.rating_list
    filterset_class = RatingFilter
    http_method_names = READ_WRITE_NO_DELETE

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("change_reason", None)
        serializer.instance = services.rating_create(actor=self.request.user, **data)

    def perform_update(self, serializer):
        serializer.instance = services.rating_update(
            actor=self.request.user, rating=serializer.instance, **serializer.validated_data
        )


class RectificationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet
):
    """Rectification cases, opened by `weak` ratings (there is no POST on the list).

    Workflow: identified → `start` → rectifying → `accept` (needs a measure and a progress note) or
    `extend` (a later deadline) → extended → `accept`. `next_rating` is the following year's rating.
    """

    serializer_class = RectificationSerializer
    filterset_class = RectificationFilter

    def get_queryset(self):
        return selectors.rectification_list(user=self.request.user)

    def _respond(self, case, status_code=status.HTTP_200_OK):
        case = self.get_queryset().get(pk=case.pk)  # re-read for next_rating, overdue and notes
        return Response(self.get_serializer(case).data, status=status_code)

    def perform_update(self, serializer):
        case = services.rectification_update(
            actor=self.request.user, rectification=serializer.instance, **serializer.validated_data
        )
        serializer.instance = self.get_queryset().get(pk=case.pk)

    @extend_schema(request=None, responses=RectificationSerializer)
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        case = services.rectification_start(actor=request.user, rectification=self.get_object())
        return self._respond(case)

    @extend_schema(request=RectificationAcceptSerializer, responses=RectificationSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        case = self.get_object()
        params = RectificationAcceptSerializer(data=request.data, context={"request": request})
        params.is_valid(raise_exception=True)
        case = services.rectification_accept(actor=request.user, rectification=case, **params.validated_data)
        return self._respond(case)

    @extend_schema(request=RectificationExtendSerializer, responses=RectificationSerializer)
    @action(detail=True, methods=["post"])
    def extend(self, request, pk=None):
        case = self.get_object()
        params = RectificationExtendSerializer(data=request.data, context={"request": request})
        params.is_valid(raise_exception=True)
        case = services.rectification_extend(actor=request.user, rectification=case, **params.validated_data)
        return self._respond(case)

    @extend_schema(
        request=RectificationNoteSerializer,
        responses={201: RectificationNoteSerializer},
        description="Add a dated progress note.",
    )
    @action(detail=True, methods=["post"])
    def notes(self, request, pk=None):
        case = self.get_object()
        params = RectificationNoteSerializer(data=request.data, context={"request": request})
        params.is_valid(raise_exception=True)
        note = services.rectification_note_add(
            actor=request.user, rectification=case, **params.validated_data
        )
        return Response(
            RectificationNoteSerializer(note, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class PartyFiguresView(APIView):
    """Bazhong figures 1–3 for the caller's region, or one county or township in it, over a year range."""

    @extend_schema(parameters=[PartyFiguresQuerySerializer], responses=PartyFiguresSerializer)
    def get(self, request):
        params = PartyFiguresQuerySerializer(data=request.query_params, context={"request": request})
        params.is_valid(raise_exception=True)
        user, data = request.user, params.validated_data
        county = get_for(user, County, pk=data["county"]) if "county" in data else None
        township = get_for(user, Township, pk=data["township"]) if "township" in data else None
        year_to = data.get("year_to") or selectors.latest_rated_year(
            user=user, county=county, township=township
        )
        year_to = year_to or timezone.localdate().year
        year_from = data.get("year_from") or min(FIGURES_FIRST_YEAR, year_to)
        if year_from > year_to:
            raise ValidationError({"year_from": [_("The first year cannot be after the last.")]})
        figures = selectors.party_figures(
            user=user, year_from=year_from, year_to=year_to, county=county, township=township
        )
        return Response(PartyFiguresSerializer({"year_from": year_from, "year_to": year_to, **figures}).data)
