"""Shape only: the services decide. ID numbers are validated on input and masked on output by role."""

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.core import idnumbers
from apps.core.api.fields import IdNumberField
from apps.core.api.serializers import ScopedPrimaryKeyRelatedField, StrictFieldsMixin
from apps.villages.models import Village

from .. import services
from ..models import (
    EDUCATION_ORDER,
    Cadre,
    CadrePosition,
    DegreeEnrolment,
    Education,
    EndReason,
    ReserveCadre,
    Role,
    Training,
)
from ..statistics import MAX_SERIES_YEARS


class WarningsMixin:
    """``warnings``: things to check about a valid record (an unknown ID region code, a gender mismatch)."""

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_warnings(self, obj) -> list[str]:
        request = self.context.get("request")
        return services.id_number_warnings(
            obj.id_number, gender=obj.gender, user=getattr(request, "user", None)
        )


class AgeMixin:
    @extend_schema_field(OpenApiTypes.INT)
    def get_age(self, obj) -> int | None:
        return idnumbers.age_on(obj.birth_date, timezone.localdate())


class CadreSerializer(StrictFieldsMixin, WarningsMixin, AgeMixin, serializers.ModelSerializer):
    village = ScopedPrimaryKeyRelatedField(queryset=Village.objects.all())
    township = serializers.IntegerField(source="village.township_id", read_only=True)
    county = serializers.IntegerField(source="village.county_id", read_only=True)
    id_number = IdNumberField(
        help_text="18 characters (GB 11643); spaces, hyphens, full-width digits and a lower-case x are "
        "normalised. Returned masked (first 3 and last 4 shown) unless the caller is a county admin or above."
    )
    age = serializers.SerializerMethodField(help_text="Age today, from the birth date in the ID number.")
    current_roles = serializers.SerializerMethodField(
        help_text="Role codes (as in cadre-positions) of the positions the cadre holds now."
    )
    is_one_shoulder = serializers.SerializerMethodField(
        help_text="Holds both the secretary and the director post of one village now (一肩挑)."
    )
    warnings = serializers.SerializerMethodField(
        help_text="Warnings about a valid record, e.g. an ID region code missing from the known list."
    )

    class Meta:
        model = Cadre
        fields = [
            "id",
            "village",
            "township",
            "county",
            "name",
            "gender",
            "ethnicity",
            "id_number",
            "birth_date",
            "age",
            "education",
            "is_party_member",
            "source",
            "is_wealth_leader",
            "notes",
            "current_roles",
            "is_one_shoulder",
            "warnings",
        ]
        read_only_fields = ["birth_date"]

    # Plain strings in the schema: the codes are cadre-positions' ``role`` enum (one name per choice set).
    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_current_roles(self, obj) -> list[str]:
        roles = getattr(obj, "current_roles", None)
        if roles is None:
            roles = list(obj.positions.current().order_by("role").values_list("role", flat=True))
        return list(roles)

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_is_one_shoulder(self, obj) -> bool:
        value = getattr(obj, "is_one_shoulder", None)
        if value is None:
            current = obj.positions.current()
            secretary = set(current.filter(role=Role.SECRETARY).values_list("village_id", flat=True))
            director = set(current.filter(role=Role.DIRECTOR).values_list("village_id", flat=True))
            value = bool(secretary & director)
        return value


class CadreResignSerializer(StrictFieldsMixin, serializers.Serializer):
    date = serializers.DateField(help_text="The day the cadre's positions ended.")
    reason = serializers.CharField(max_length=200, help_text="The reason the cadre gave.")


class CadrePositionSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    cadre = ScopedPrimaryKeyRelatedField(queryset=Cadre.objects.all())
    village = ScopedPrimaryKeyRelatedField(
        queryset=Village.objects.all(),
        required=False,
        allow_null=True,
        help_text="Defaults to the cadre's village; a cross-region exchange secretary serves in another one.",
    )
    cadre_name = serializers.CharField(source="cadre.name", read_only=True)
    township = serializers.IntegerField(source="village.township_id", read_only=True)
    county = serializers.IntegerField(source="village.county_id", read_only=True)
    end_reason = serializers.ChoiceField(choices=EndReason.choices, required=False, allow_blank=True)
    is_current = serializers.BooleanField(read_only=True)

    class Meta:
        model = CadrePosition
        fields = [
            "id",
            "cadre",
            "cadre_name",
            "village",
            "township",
            "county",
            "role",
            "start_date",
            "end_date",
            "end_reason",
            "end_note",
            "monthly_pay",
            "is_current",
        ]
        # The service checks one holder per village and role (and the database backs it up), with a message.
        validators = []
        extra_kwargs = {
            "end_date": {"help_text": "The day the position ended (a successor may start that day)."},
            "end_note": {"help_text": "The reason given, e.g. for a resignation."},
            "monthly_pay": {"help_text": "Yuan per month."},
        }


class PositionEndSerializer(StrictFieldsMixin, serializers.Serializer):
    end_date = serializers.DateField()
    end_reason = serializers.ChoiceField(choices=EndReason.choices)
    end_note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class ReserveCadreSerializer(StrictFieldsMixin, WarningsMixin, AgeMixin, serializers.ModelSerializer):
    village = ScopedPrimaryKeyRelatedField(queryset=Village.objects.all())
    township = serializers.IntegerField(source="village.township_id", read_only=True)
    county = serializers.IntegerField(source="village.county_id", read_only=True)
    id_number = IdNumberField(help_text="As for cadres: validated, normalised, masked below county admin.")
    age = serializers.SerializerMethodField(help_text="Age today.")
    warnings = serializers.SerializerMethodField(help_text="Warnings about a valid record.")

    class Meta:
        model = ReserveCadre
        fields = [
            "id",
            "village",
            "township",
            "county",
            "name",
            "gender",
            "id_number",
            "birth_date",
            "age",
            "education",
            "is_party_member",
            "is_returned_migrant",
            "since",
            "until",
            "notes",
            "warnings",
        ]
        read_only_fields = ["birth_date"]


class TrainingSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    cadre = ScopedPrimaryKeyRelatedField(queryset=Cadre.objects.all())
    cadre_name = serializers.CharField(source="cadre.name", read_only=True)
    village = serializers.IntegerField(source="cadre.village_id", read_only=True)

    class Meta:
        model = Training
        fields = ["id", "cadre", "cadre_name", "village", "course", "organiser", "start_date", "days"]


class DegreeEnrolmentSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    cadre = ScopedPrimaryKeyRelatedField(queryset=Cadre.objects.all())
    cadre_name = serializers.CharField(source="cadre.name", read_only=True)
    # A programme leads above junior high, and the education it replaced was below a bachelor's degree.
    target_education = serializers.ChoiceField(
        choices=[(str(v), label) for v, label in Education.choices[:3]]
    )
    previous_education = serializers.ChoiceField(
        choices=[(str(v), label) for v, label in Education.choices[1:]], read_only=True
    )

    class Meta:
        model = DegreeEnrolment
        fields = [
            "id",
            "cadre",
            "cadre_name",
            "institution",
            "programme",
            "target_education",
            "enrolled_on",
            "completed_on",
            "previous_education",
        ]
        read_only_fields = ["completed_on", "previous_education"]
        validators = []  # one open enrolment per cadre: checked by the service


class EnrolmentCompleteSerializer(StrictFieldsMixin, serializers.Serializer):
    completed_on = serializers.DateField()


# Statistics: query parameters and (for the schema) the response bodies


class StatsQuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(
        required=False, min_value=1990, max_value=2100, help_text="Figures as of 31 December of this year."
    )
    city = serializers.IntegerField(required=False, help_text="A city id in your region.")
    county = serializers.IntegerField(required=False, help_text="A county id in your region.")
    township = serializers.IntegerField(required=False, help_text="A township id in your region.")
    village = serializers.IntegerField(required=False, help_text="A village id in your region.")

    def validate(self, attrs):
        if len([k for k in ("city", "county", "township", "village") if attrs.get(k) is not None]) > 1:
            raise serializers.ValidationError(_("Ask for one region at a time."))
        attrs.setdefault("year", timezone.localdate().year)
        return attrs


class SeriesQuerySerializer(StatsQuerySerializer):
    from_year = serializers.IntegerField(
        min_value=1990, max_value=2100, help_text="First year of the series."
    )
    to_year = serializers.IntegerField(
        required=False, min_value=1990, max_value=2100, help_text="Last year (default: this year)."
    )

    def validate(self, attrs):
        attrs = super().validate(attrs)
        attrs.setdefault("to_year", timezone.localdate().year)
        if attrs["to_year"] < attrs["from_year"]:
            raise serializers.ValidationError({"to_year": _("The series must end after it starts.")})
        if attrs["to_year"] - attrs["from_year"] >= MAX_SERIES_YEARS:
            raise serializers.ValidationError(
                {"from_year": _("At most %(count)d years at a time.") % {"count": MAX_SERIES_YEARS}}
            )
        return attrs


def _shares(name: str, help_text: str) -> serializers.Serializer:
    fields = {str(level): serializers.FloatField(allow_null=True) for level in EDUCATION_ORDER}
    serializer = type(name, (serializers.Serializer,), fields)
    return serializer(help_text=help_text)


def _counts(name: str) -> serializers.Serializer:
    fields = {str(level): serializers.IntegerField() for level in EDUCATION_ORDER}
    return type(name, (serializers.Serializer,), fields)()


class RegionRefSerializer(serializers.Serializer):
    level = serializers.ChoiceField(choices=["city", "county", "township", "village"])
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class PayByRoleSerializer(serializers.Serializer):
    role = serializers.CharField(help_text="A role code as in cadre-positions.")
    positions = serializers.IntegerField(help_text="Positions of this role held on the day.")
    with_pay = serializers.IntegerField(help_text="Of which with a monthly pay recorded.")
    minimum = serializers.DecimalField(max_digits=9, decimal_places=2, allow_null=True)
    maximum = serializers.DecimalField(max_digits=9, decimal_places=2, allow_null=True)
    average = serializers.DecimalField(max_digits=9, decimal_places=2, allow_null=True)


class TrainingByRegionSerializer(serializers.Serializer):
    level = serializers.ChoiceField(choices=["county", "township", "village"])
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    training_days = serializers.IntegerField()
    trained_cadres = serializers.IntegerField()
    training_days_per_trained_cadre = serializers.FloatField()


PERCENT = "Percent (0-100, two decimals); null when there is nothing to divide by."


class CadreStatsSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    as_of = serializers.DateField(help_text="31 December of the year: every figure is as of this day.")
    region = RegionRefSerializer(allow_null=True, help_text="null: everything a superuser sees.")
    cadres = serializers.IntegerField(
        help_text="Two-committee members in office (secretary, director, clerk, members)."
    )
    education_counts = _counts("EducationCounts")
    education_shares = _shares("EducationShares", PERCENT)
    average_age = serializers.FloatField(allow_null=True, help_text="Years, one decimal.")
    returned_migrant_cadres = serializers.IntegerField()
    secretaries = serializers.IntegerField()
    secretaries_wealth_leaders = serializers.IntegerField()
    secretaries_wealth_leader_share = serializers.FloatField(allow_null=True, help_text=PERCENT)
    returned_migrant_secretaries = serializers.IntegerField()
    exchange_secretaries = serializers.IntegerField(help_text="Cross-region exchange secretaries (异地交流).")
    secretaries_college_or_above = serializers.IntegerField()
    secretary_college_share = serializers.FloatField(allow_null=True, help_text=PERCENT)
    secretary_college_target = serializers.FloatField(help_text="Configured target, percent.")
    villages = serializers.IntegerField(help_text="Villages not retired on the day.")
    one_shoulder_villages = serializers.IntegerField()
    one_shoulder_ratio = serializers.FloatField(
        allow_null=True, help_text="Villages whose secretary is also the director (一肩挑), " + PERCENT
    )
    resignations = serializers.IntegerField(help_text="Cadres who resigned during the year.")
    pay_by_role = PayByRoleSerializer(many=True, help_text="Monthly pay of the positions held on the day.")
    reserve_count = serializers.IntegerField()
    reserve_average_age = serializers.FloatField(allow_null=True)
    reserve_returned_migrants = serializers.IntegerField()
    reserve_college_or_above = serializers.IntegerField()
    reserve_education_shares = _shares("ReserveEducationShares", PERCENT)
    reserves_required = serializers.IntegerField(
        help_text="Configured minimum per village (the lowest in force)."
    )
    villages_short_of_reserves = serializers.IntegerField(
        help_text="Villages with fewer reserves than required."
    )
    training_records = serializers.IntegerField()
    training_days = serializers.IntegerField(help_text="Days of training that started in the year.")
    trained_cadres = serializers.IntegerField()
    training_days_per_trained_cadre = serializers.FloatField(allow_null=True)
    training_days_per_cadre = serializers.FloatField(allow_null=True, help_text="Per cadre in office.")
    training_by_region = TrainingByRegionSerializer(
        many=True, help_text="Per county, township or village below."
    )


class SeriesYearSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    as_of = serializers.DateField()
    cadres = serializers.IntegerField()
    education_shares = _shares("SeriesEducationShares", PERCENT)
    average_age = serializers.FloatField(allow_null=True)
    returned_migrant_cadres = serializers.IntegerField()
    secretaries = serializers.IntegerField()
    returned_migrant_secretaries = serializers.IntegerField()
    exchange_secretaries = serializers.IntegerField()
    one_shoulder_ratio = serializers.FloatField(allow_null=True)
    resignations = serializers.IntegerField()
    reserve_count = serializers.IntegerField()


class CadreSeriesSerializer(serializers.Serializer):
    region = RegionRefSerializer(allow_null=True)
    years = SeriesYearSerializer(many=True)


class ShortOfReservesSerializer(serializers.ModelSerializer):
    township_name = serializers.CharField(source="township.name", read_only=True)
    county_name = serializers.CharField(source="county.name", read_only=True)
    reserve_count = serializers.IntegerField(read_only=True)
    reserves_required = serializers.IntegerField(read_only=True)

    class Meta:
        model = Village
        fields = [
            "id",
            "code",
            "name",
            "township",
            "township_name",
            "county",
            "county_name",
            "reserve_count",
            "reserves_required",
        ]
