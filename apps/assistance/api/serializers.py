from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.cadres.models import Cadre
from apps.core import idnumbers
from apps.core.api.fields import IdNumberField
from apps.core.api.serializers import ScopedPrimaryKeyRelatedField, StrictFieldsMixin
from apps.villages.models import County, Village

from ..models import (
    AssignmentEndReason,
    AssistanceMeasure,
    AwardLevel,
    CheckResult,
    Commendation,
    DisciplineCase,
    DisciplineCategory,
    DisciplineOutcome,
    DutyLog,
    Evaluation,
    Grade,
    Health,
    Household,
    HouseholdIncome,
    HouseholdMember,
    HouseholdStatus,
    HouseholdStatusChange,
    LabourCapacity,
    ListKind,
    MeasureKind,
    MemberRole,
    PovertyCause,
    Promotion,
    PromotionRank,
    Relation,
    ResponsibilityItem,
    ResponsibilityReconciliation,
    SpotCheck,
    SpotCheckDraw,
    UnitLevel,
    UnitType,
    WorkTeam,
    WorkTeamMember,
)

MONEY = {"max_digits": 12, "decimal_places": 2, "coerce_to_string": True}
_ENUM_FIELDS: dict[str, type] = {}


def enum_field(component: str, choices, **kwargs) -> serializers.ChoiceField:
    """A choice field documented as its own named enum component.

    Field names such as ``status`` or ``level`` mean different choice sets in different apps; a
    named component per choice set keeps generated clients' enum names stable and distinct.
    """
    if component not in _ENUM_FIELDS:
        values = [value for value, _label in choices]
        if kwargs.get("allow_blank"):
            values.append("")
        schema = {"type": "string", "enum": values}
        _ENUM_FIELDS[component] = extend_schema_field(schema, component_name=component)(
            type(f"{component}Field", (serializers.ChoiceField,), {})
        )
    return _ENUM_FIELDS[component](choices=choices, **kwargs)


class PeriodField(serializers.CharField):
    """A period string; the views parse it (``YYYY-MM`` or ``YYYYQn``) and report a field error."""


class WorkTeamSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    village = ScopedPrimaryKeyRelatedField(queryset=Village.objects.all())
    county = serializers.IntegerField(source="village.county_id", read_only=True)
    township = serializers.IntegerField(source="village.township_id", read_only=True)
    current_members = serializers.IntegerField(read_only=True, help_text="Members assigned today.")
    county_plus_members = serializers.IntegerField(
        read_only=True, help_text="Members assigned today from county-level or higher units."
    )
    minimum_county_plus = serializers.IntegerField(
        read_only=True, help_text="The configured minimum of such members (Dingxi rule)."
    )
    short_of_county_plus = serializers.BooleanField(
        read_only=True, help_text="Active today with fewer county-level members than the minimum."
    )
    first_secretary_name = serializers.CharField(read_only=True, allow_null=True)

    class Meta:
        model = WorkTeam
        fields = [
            "id",
            "village",
            "county",
            "township",
            "start_date",
            "end_date",
            "lead_unit",
            "note",
            "current_members",
            "county_plus_members",
            "minimum_county_plus",
            "short_of_county_plus",
            "first_secretary_name",
        ]


class WorkTeamMemberSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    team = ScopedPrimaryKeyRelatedField(queryset=WorkTeam.objects.all())
    id_number = IdNumberField()
    village = serializers.IntegerField(source="team.village_id", read_only=True)
    unit_type = enum_field("MemberUnitTypeEnum", UnitType.choices)
    unit_level = enum_field("MemberUnitLevelEnum", UnitLevel.choices)
    role = enum_field("MemberRoleEnum", MemberRole.choices, required=False)
    end_reason = enum_field(
        "MemberEndReasonEnum", AssignmentEndReason.choices, required=False, allow_blank=True
    )

    class Meta:
        model = WorkTeamMember
        fields = [
            "id",
            "team",
            "village",
            "name",
            "id_number",
            "unit_name",
            "unit_type",
            "unit_level",
            "role",
            "start_date",
            "end_date",
            "end_reason",
        ]


class MemberEndSerializer(StrictFieldsMixin, serializers.Serializer):
    end_date = serializers.DateField()
    reason = serializers.ChoiceField(
        choices=AssignmentEndReason.choices, default=AssignmentEndReason.TERM_END
    )


class AllowanceSerializer(serializers.Serializer):
    member = serializers.IntegerField()
    month = serializers.CharField(help_text="YYYY-MM")
    assigned_days = serializers.IntegerField(help_text="Days of the month inside the assignment.")
    on_duty_days = serializers.IntegerField(help_text="Duty logs with on_duty true in the month.")
    living_rate = serializers.DecimalField(**MONEY, help_text="Yuan per on-duty day, in force on the 1st.")
    communication_rate = serializers.DecimalField(**MONEY, help_text="Yuan per month served.")
    living = serializers.DecimalField(**MONEY, help_text="living_rate × on_duty_days")
    communication = serializers.DecimalField(**MONEY, help_text="communication_rate if the member served")
    total = serializers.DecimalField(**MONEY)


def allowance_data(member_id: int, allowance) -> dict:
    return {
        "member": member_id,
        "month": str(allowance.month),
        "assigned_days": allowance.assigned_days,
        "on_duty_days": allowance.on_duty_days,
        "living_rate": allowance.living_rate,
        "communication_rate": allowance.communication_rate,
        "living": allowance.living,
        "communication": allowance.communication,
        "total": allowance.total,
    }


class AllowanceSheetRowSerializer(AllowanceSerializer):
    name = serializers.CharField()
    role = serializers.CharField()
    team = serializers.IntegerField()
    village = serializers.IntegerField()
    village_name = serializers.CharField()
    township = serializers.IntegerField()


class AllowanceSheetSerializer(serializers.Serializer):
    month = serializers.CharField()
    rows = AllowanceSheetRowSerializer(many=True)
    living = serializers.DecimalField(**MONEY)
    communication = serializers.DecimalField(**MONEY)
    total = serializers.DecimalField(**MONEY)


class DutyLogSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    member = ScopedPrimaryKeyRelatedField(queryset=WorkTeamMember.objects.all())

    class Meta:
        model = DutyLog
        fields = ["id", "member", "date", "on_duty", "note"]
        # One per member and day is checked by the service, which names the field.
        validators = []


class DutyEntrySerializer(serializers.Serializer):
    member = serializers.IntegerField()
    date = serializers.DateField()
    on_duty = serializers.BooleanField()


class DutyMonthSerializer(StrictFieldsMixin, serializers.Serializer):
    team = ScopedPrimaryKeyRelatedField(queryset=WorkTeam.objects.all())
    month = PeriodField(help_text="YYYY-MM")
    entries = DutyEntrySerializer(many=True, allow_empty=False)


class DutyMonthResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()


class HouseholdSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    village = ScopedPrimaryKeyRelatedField(queryset=Village.objects.all())
    county = serializers.IntegerField(source="village.county_id", read_only=True)
    township = serializers.IntegerField(source="village.township_id", read_only=True)
    head_id_number = IdNumberField()
    paired_cadre = ScopedPrimaryKeyRelatedField(queryset=Cadre.objects.all(), allow_null=True, required=False)
    registered_on = serializers.DateField(required=False)
    cause = enum_field("PovertyCauseEnum", PovertyCause.choices)
    status = enum_field("HouseholdStatusEnum", HouseholdStatus.choices, required=False)

    class Meta:
        model = Household
        fields = [
            "id",
            "village",
            "county",
            "township",
            "head_name",
            "head_id_number",
            "size",
            "cause",
            "status",
            "exit_year",
            "paired_cadre",
            "registered_on",
        ]
        # Uniqueness of the head's ID number is checked by the service (Model.full_clean).
        extra_kwargs = {"exit_year": {"required": False}}


class HouseholdStatusSerializer(StrictFieldsMixin, serializers.Serializer):
    status = enum_field("HouseholdStatusEnum", HouseholdStatus.choices)
    date = serializers.DateField(required=False, help_text="Defaults to today.")
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class HouseholdStatusChangeSerializer(serializers.ModelSerializer):
    status = enum_field("HouseholdStatusEnum", HouseholdStatus.choices, read_only=True)

    class Meta:
        model = HouseholdStatusChange
        fields = ["id", "household", "status", "date", "note"]
        read_only_fields = fields


class HouseholdMemberSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    household = ScopedPrimaryKeyRelatedField(queryset=Household.objects.all())
    id_number = IdNumberField()
    age = serializers.SerializerMethodField()
    relation = enum_field("HouseholdRelationEnum", Relation.choices)
    labour_capacity = enum_field("LabourCapacityEnum", LabourCapacity.choices, required=False)
    health = enum_field("HouseholdHealthEnum", Health.choices, required=False)

    class Meta:
        model = HouseholdMember
        fields = [
            "id",
            "household",
            "name",
            "id_number",
            "birth_date",
            "age",
            "relation",
            "labour_capacity",
            "health",
        ]
        read_only_fields = ["birth_date"]

    def get_age(self, member) -> int | None:
        return idnumbers.age_on(member.birth_date, timezone.localdate())


class HouseholdIncomeSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    household = ScopedPrimaryKeyRelatedField(queryset=Household.objects.all())
    per_capita_net_income = serializers.DecimalField(max_digits=12, decimal_places=2)

    class Meta:
        model = HouseholdIncome
        fields = ["id", "household", "year", "per_capita_net_income"]
        validators = []


class AssistanceMeasureSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    household = ScopedPrimaryKeyRelatedField(queryset=Household.objects.all())
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, required=False)
    kind = enum_field("MeasureKindEnum", MeasureKind.choices)

    class Meta:
        model = AssistanceMeasure
        fields = ["id", "household", "kind", "date", "amount", "note"]


class ReconciliationSerializer(serializers.ModelSerializer):
    class Meta:
        model = ResponsibilityReconciliation
        fields = ["quarter", "done", "evidence", "reconciled_on"]
        read_only_fields = fields


class ResponsibilityItemSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    village = ScopedPrimaryKeyRelatedField(queryset=Village.objects.all())
    member = ScopedPrimaryKeyRelatedField(
        queryset=WorkTeamMember.objects.all(), allow_null=True, required=False
    )
    reconciliations = ReconciliationSerializer(many=True, read_only=True)
    kind = enum_field("ResponsibilityListEnum", ListKind.choices)

    class Meta:
        model = ResponsibilityItem
        fields = [
            "id",
            "village",
            "year",
            "kind",
            "holder",
            "holder_title",
            "member",
            "task",
            "closed_on",
            "fulfilled",
            "closing_note",
            "reconciliations",
        ]
        read_only_fields = ["closed_on", "fulfilled", "closing_note"]


class ReconcileSerializer(StrictFieldsMixin, serializers.Serializer):
    quarter = serializers.IntegerField(min_value=1, max_value=4)
    done = serializers.BooleanField()
    evidence = serializers.CharField(required=False, allow_blank=True, default="")
    reconciled_on = serializers.DateField(required=False)


class CloseSerializer(StrictFieldsMixin, serializers.Serializer):
    closed_on = serializers.DateField(required=False)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class SpotCheckSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    county = serializers.IntegerField(source="draw.county_id", read_only=True)
    quarter = serializers.CharField(source="draw.quarter", read_only=True, help_text="YYYYQn")
    seed = serializers.IntegerField(source="draw.seed", read_only=True)
    result = enum_field("SpotCheckResultEnum", CheckResult.choices, required=False)

    class Meta:
        model = SpotCheck
        fields = ["id", "county", "quarter", "team", "seed", "finding", "result", "checked_on"]
        read_only_fields = ["team"]


class SampleSerializer(StrictFieldsMixin, serializers.Serializer):
    county = ScopedPrimaryKeyRelatedField(queryset=County.objects.all())
    quarter = PeriodField(help_text="YYYYQn")
    seed = serializers.IntegerField(
        required=False,
        min_value=0,
        max_value=2**63 - 1,
        help_text="Drawn at random and stored when left out.",
    )


class SpotCheckDrawSerializer(serializers.ModelSerializer):
    sample_size = serializers.SerializerMethodField()
    checks = SpotCheckSerializer(many=True, read_only=True)

    class Meta:
        model = SpotCheckDraw
        fields = ["id", "county", "quarter", "seed", "rate", "active_teams", "sample_size", "checks"]
        read_only_fields = fields

    def get_sample_size(self, draw) -> int:
        return len(draw.checks.all())


class RecallSerializer(StrictFieldsMixin, serializers.Serializer):
    member = ScopedPrimaryKeyRelatedField(queryset=WorkTeamMember.objects.all())
    date = serializers.DateField(
        required=False, help_text="The last day of the assignment; today by default."
    )


class EvaluationSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    member = ScopedPrimaryKeyRelatedField(queryset=WorkTeamMember.objects.all())
    grade = enum_field("EvaluationGradeEnum", Grade.choices)

    class Meta:
        model = Evaluation
        fields = ["id", "member", "year", "grade", "note"]
        validators = []


class FrontLineRecordSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    village = ScopedPrimaryKeyRelatedField(queryset=Village.objects.all())
    member = ScopedPrimaryKeyRelatedField(
        queryset=WorkTeamMember.objects.all(), allow_null=True, required=False
    )

    COMMON = ["id", "village", "person_name", "member", "date"]


class CommendationSerializer(FrontLineRecordSerializer):
    level = enum_field("AwardLevelEnum", AwardLevel.choices)

    class Meta:
        model = Commendation
        fields = [*FrontLineRecordSerializer.COMMON, "level", "title"]


class PromotionSerializer(FrontLineRecordSerializer):
    level = enum_field("AwardLevelEnum", AwardLevel.choices)
    rank = enum_field("PromotionRankEnum", PromotionRank.choices)

    class Meta:
        model = Promotion
        fields = [*FrontLineRecordSerializer.COMMON, "level", "rank", "position"]


class DisciplineCaseSerializer(FrontLineRecordSerializer):
    category = enum_field("DisciplineCategoryEnum", DisciplineCategory.choices)
    outcome = enum_field("DisciplineOutcomeEnum", DisciplineOutcome.choices)

    class Meta:
        model = DisciplineCase
        fields = [*FrontLineRecordSerializer.COMMON, "category", "outcome", "note"]
