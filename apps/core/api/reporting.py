"""``periods/`` (the monthly close: list, open, submit, approve, return, reopen) and ``notifications/``."""

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from apps.core.configuration import values_of
from apps.core.filters import IdFilter, YearFilter
from apps.core.models import Notification, PeriodKind, PeriodStatus, ReportingPeriod
from apps.core.periods import parse_period
from apps.core.reporting import notifications, services
from apps.core.reporting.config import DUE_DAYS
from apps.core.reporting.selectors import ensure_rows, period_days_late, period_list
from apps.core.scoping import scope_for
from apps.villages.models import County, Township

from .serializers import ScopedPrimaryKeyRelatedField, StrictFieldsMixin


class GapSerializer(serializers.Serializer):
    check = serializers.CharField()
    label = serializers.CharField()
    village = serializers.IntegerField(allow_null=True)
    village_name = serializers.CharField()
    detail = serializers.CharField()


@extend_schema_field({"type": "string", "enum": PeriodKind.values, "description": "month, quarter or year"})
class PeriodKindField(serializers.ChoiceField):
    """Written inline: ``kind`` is a common field name whose enum components would otherwise collide."""


class PeriodSerializer(serializers.ModelSerializer):
    kind = PeriodKindField(choices=PeriodKind.choices, read_only=True)
    period = serializers.CharField(source="label", read_only=True, help_text="YYYY-MM, YYYYQn or YYYY")
    submitted_by = serializers.CharField(source="submitted_by.username", default=None, read_only=True)
    approved_by = serializers.CharField(source="approved_by.username", default=None, read_only=True)
    gaps = GapSerializer(many=True, read_only=True)
    days_late = serializers.SerializerMethodField()

    class Meta:
        model = ReportingPeriod
        fields = [
            "id",
            "county",
            "township",
            "kind",
            "period",
            "start",
            "end",
            "status",
            "submitted_by",
            "submitted_at",
            "gaps",
            "gaps_reason",
            "approved_by",
            "approved_at",
            "returned_reason",
            "days_late",
        ]
        read_only_fields = fields

    def get_days_late(self, obj) -> int:
        # One settings query per distinct period end on the page, not one per row.
        cache = self.context.setdefault("due_days", {})
        if obj.end not in cache:
            cache[obj.end] = values_of(DUE_DAYS, on=obj.end)
        return period_days_late(obj, cache[obj.end](obj.county_id))


class PeriodOpenSerializer(StrictFieldsMixin, serializers.Serializer):
    township = ScopedPrimaryKeyRelatedField(queryset=Township.objects.all(), required=False, allow_null=True)
    county = ScopedPrimaryKeyRelatedField(queryset=County.objects.all(), required=False, allow_null=True)
    period = serializers.CharField(help_text="YYYY-MM, YYYYQn or YYYY")

    def validate_period(self, value):
        try:
            return parse_period(value)
        except DjangoValidationError as exc:  # its messages belong to this field, not nested under its name
            raise serializers.ValidationError(exc.messages) from exc

    def validate(self, attrs):
        township, county = attrs.get("township"), attrs.get("county")
        if (township is None) == (county is None):
            raise serializers.ValidationError(
                {"non_field_errors": [_("Give either a township or a county.")]}
            )
        return attrs


class SubmitSerializer(StrictFieldsMixin, serializers.Serializer):
    gaps_reason = serializers.CharField(required=False, allow_blank=True, default="")


class ReasonSerializer(StrictFieldsMixin, serializers.Serializer):
    reason = serializers.CharField(allow_blank=True)


class PeriodFilter(django_filters.FilterSet):
    county = IdFilter(field_name="county")
    township = IdFilter(field_name="township")
    year = YearFilter(field_name="start", lookup_expr="year")
    kind = django_filters.ChoiceFilter(choices=PeriodKind.choices)
    status = django_filters.ChoiceFilter(choices=PeriodStatus.choices)
    level = django_filters.ChoiceFilter(
        choices=[("township", "township"), ("county", "county")], method="filter_level"
    )
    period = django_filters.CharFilter(method="filter_period", help_text="YYYY-MM, YYYYQn or YYYY")

    class Meta:
        model = ReportingPeriod
        fields = ["county", "township", "year", "kind", "status"]

    def filter_level(self, queryset, name, value):
        return queryset.filter(township__isnull=(value == "county"))

    def filter_period(self, queryset, name, value):
        period = parse_period(value, field="period")
        return queryset.filter(kind=services.KINDS[type(period)], start=period.first)


class PeriodViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Reporting periods of townships and counties. Rows are created lazily: listing with ``period``
    creates the open rows of every township (and county) in scope; ``POST`` opens one period."""

    serializer_class = PeriodSerializer
    queryset = ReportingPeriod.objects.none()
    filterset_class = PeriodFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return period_list(user=self.request.user)

    def list(self, request, *args, **kwargs):
        text = request.query_params.get("period")
        if text:
            period = parse_period(text, field="period")
            # The region filters, validated as the list will validate them, choose the rows to create.
            filterset = PeriodFilter(request.query_params, queryset=self.queryset)
            if not filterset.is_valid():
                raise ValidationError(filterset.errors)
            region = filterset.form.cleaned_data
            townships = scope_for(request.user, Township.objects.all())
            if region.get("county"):
                townships = townships.filter(county=region["county"])
            if region.get("township"):
                townships = townships.filter(pk=region["township"])
            ensure_rows(
                townships=townships, period=period, counties=scope_for(request.user, County.objects.all())
            )
        return super().list(request, *args, **kwargs)

    def _respond(self, period, code=status.HTTP_200_OK):
        return Response(self.get_serializer(self.get_queryset().get(pk=period.pk)).data, status=code)

    @extend_schema(request=PeriodOpenSerializer, responses={200: PeriodSerializer, 201: PeriodSerializer})
    def create(self, request):
        """Open (get or create) the period of a township or a county: 201 when created, 200 when it existed."""
        params = PeriodOpenSerializer(data=request.data, context={"request": request})
        params.is_valid(raise_exception=True)
        data = params.validated_data
        before = ReportingPeriod.objects.count()
        period = services.period_open(
            actor=request.user,
            period=data["period"],
            township=data.get("township"),
            county=data.get("county"),
        )
        created = ReportingPeriod.objects.count() > before
        return self._respond(period, status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    def _params(self, serializer_class):
        params = serializer_class(data=self.request.data, context={"request": self.request})
        params.is_valid(raise_exception=True)
        return params.validated_data

    @extend_schema(request=SubmitSerializer, responses=PeriodSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Submit (township staff for a township, the county for a county). Gaps need ``gaps_reason``."""
        period = services.period_submit(
            actor=request.user, period=self.get_object(), **self._params(SubmitSerializer)
        )
        return self._respond(period)

    @extend_schema(request=None, responses=PeriodSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Approve and lock (county admin for a township; city admin for a county after all its townships)."""
        return self._respond(services.period_approve(actor=request.user, period=self.get_object()))

    @extend_schema(request=ReasonSerializer, responses=PeriodSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None):
        """Return a submitted period to its region with a reason."""
        params = self._params(ReasonSerializer)
        return self._respond(services.period_return(actor=request.user, period=self.get_object(), **params))

    @extend_schema(request=ReasonSerializer, responses=PeriodSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        """Reopen an approved period (unlocking it) with a reason, which is recorded."""
        params = self._params(ReasonSerializer)
        return self._respond(services.period_reopen(actor=request.user, period=self.get_object(), **params))


class NotificationSerializer(serializers.ModelSerializer):
    is_read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "url", "created_at", "read_at", "is_read"]
        read_only_fields = fields

    def get_is_read(self, obj) -> bool:
        return obj.read_at is not None


class MarkedSerializer(serializers.Serializer):
    marked = serializers.IntegerField()


UNREAD = OpenApiParameter("unread", bool, description="true: only unread notifications")


class NotificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The caller's own notifications (weekly digests, period decisions), newest first."""

    serializer_class = NotificationSerializer
    queryset = Notification.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        queryset = notifications.notification_list(user=self.request.user)
        if self.action == "list" and self.request.query_params.get("unread") in ("true", "1"):
            queryset = queryset.filter(read_at__isnull=True)
        return queryset

    @extend_schema(parameters=[UNREAD])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        """Mark one notification read."""
        notification = notifications.notification_mark_read(
            actor=request.user, notification=self.get_object()
        )
        return Response(self.get_serializer(notification).data)

    @extend_schema(request=None, responses=MarkedSerializer)
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        """Mark every notification read."""
        return Response({"marked": notifications.notification_mark_all_read(actor=request.user)})
