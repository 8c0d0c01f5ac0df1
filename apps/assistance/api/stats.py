"""``GET stats/assistance/`` and ``GET allowances/``: figures and the monthly allowance sheet as JSON."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.periods import Month
from apps.core.scoping import get_for
from apps.villages.models import County, Township

from .. import selectors
from . import serializers as s


def region_params(request) -> dict:
    """``county`` and ``township`` query parameters, each a region in the caller's scope (else 404)."""
    region = {}
    for name, model in (("county", County), ("township", Township)):
        value = request.query_params.get(name)
        if value:
            if not value.isdigit():
                raise ValidationError({name: _("A region id is a whole number.")})
            region[name] = get_for(request.user, model, pk=int(value))
    return region


def month_param(request, *, required: bool) -> Month | None:
    value = request.query_params.get("month")
    if not value and not required:
        return None
    return Month.parse(value)


REGION_PARAMETERS = [
    OpenApiParameter("county", int, description="A county in your region (404 otherwise)."),
    OpenApiParameter("township", int, description="A township in your region (404 otherwise)."),
]


class YearCountSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    count = serializers.IntegerField()


class LevelCountSerializer(YearCountSerializer):
    level = serializers.CharField()


class CategoryCountSerializer(YearCountSerializer):
    category = serializers.CharField()


class OverTimeSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    teams = serializers.IntegerField()
    first_secretaries = serializers.IntegerField()
    members = serializers.IntegerField()


class TownshipDutySerializer(serializers.Serializer):
    township = serializers.IntegerField()
    name = serializers.CharField()
    assigned_days = serializers.IntegerField()
    on_duty_days = serializers.IntegerField()
    duty_rate = serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True)


class CauseStatusSerializer(serializers.Serializer):
    cause = serializers.CharField()
    status = serializers.CharField()
    households = serializers.IntegerField()
    people = serializers.IntegerField()


class IncidenceSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    poor_people = serializers.IntegerField()
    population = serializers.IntegerField()
    incidence = serializers.FloatField(allow_null=True, help_text="Percent of the registered population.")


class PairBucketSerializer(serializers.Serializer):
    households = serializers.IntegerField(help_text="Households paired with one cadre.")
    cadres = serializers.IntegerField(help_text="Cadres with that many households.")


class PairsSerializer(serializers.Serializer):
    paired_households = serializers.IntegerField()
    unpaired_households = serializers.IntegerField()
    distribution = PairBucketSerializer(many=True)


class AssistanceStatsSerializer(serializers.Serializer):
    year = serializers.IntegerField(allow_null=True)
    month = serializers.CharField(help_text="The month of the duty rates, YYYY-MM.")
    members_by_unit_type = serializers.DictField(
        child=serializers.IntegerField(), help_text="unit_type → members"
    )
    over_time = OverTimeSerializer(many=True)
    duty_rates_by_township = TownshipDutySerializer(many=True)
    households_by_cause_and_status = CauseStatusSerializer(many=True)
    incidence = IncidenceSerializer(many=True)
    pairs_per_cadre = PairsSerializer()
    commendations = LevelCountSerializer(many=True)
    promotions = LevelCountSerializer(many=True)
    discipline_cases = CategoryCountSerializer(many=True)


class AssistanceStatsView(APIView):
    @extend_schema(
        parameters=[
            *REGION_PARAMETERS,
            OpenApiParameter("year", int, description="Members by unit type: those serving in this year."),
            OpenApiParameter(
                "month", str, description="Duty rates of this month (YYYY-MM); last month by default."
            ),
        ],
        responses=AssistanceStatsSerializer,
    )
    def get(self, request):
        """Figures of the assistance reports for the caller's region (or one county or township of it)."""
        year = request.query_params.get("year")
        if year and not year.isdigit():
            raise ValidationError({"year": _("Give the year as YYYY.")})
        data = selectors.assistance_stats(
            user=request.user,
            year=int(year) if year else None,
            month=month_param(request, required=False),
            **region_params(request),
        )
        return Response(AssistanceStatsSerializer(data).data)


class AllowanceSheetView(APIView):
    @extend_schema(
        parameters=[*REGION_PARAMETERS, OpenApiParameter("month", str, required=True)],
        responses=s.AllowanceSheetSerializer,
    )
    def get(self, request):
        """The monthly allowance sheet: every member who served in the month, with living and communication."""
        month = month_param(request, required=True)
        rows = selectors.allowance_sheet(user=request.user, month=month, **region_params(request))
        data_rows = [
            {
                **s.allowance_data(row.member.pk, row.allowance),
                "name": row.member.name,
                "role": row.member.role,
                "team": row.member.team_id,
                "village": row.member.team.village_id,
                "village_name": row.member.team.village.name,
                "township": row.member.team.village.township_id,
            }
            for row in rows
        ]
        totals = {
            name: sum((getattr(row.allowance, name) for row in rows), Decimal("0.00"))
            for name in ("living", "communication", "total")
        }
        return Response(s.AllowanceSheetSerializer({"month": str(month), "rows": data_rows, **totals}).data)
