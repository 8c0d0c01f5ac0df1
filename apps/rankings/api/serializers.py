from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.core.api.serializers import ScopedPrimaryKeyRelatedField, StrictFieldsMixin
from apps.villages.models import County

from ..models import (
    CandidateStatus,
    Escalation,
    EscalationLevel,
    Ranking,
    RankingConfiguration,
    RankingEntry,
    RankingKind,
    SubjectType,
    WeakCandidate,
)


def _inline_enum(choices, description):
    """A choice field whose enum stays inline (wrapped in ``allOf``): the kind and subject-type codes
    are the same three words, which drf-spectacular would otherwise merge into colliding components."""

    @extend_schema_field(
        {
            "allOf": [{"type": "string", "enum": [value for value, _label in choices]}],
            "description": description,
        }
    )
    class InlineChoiceField(serializers.ChoiceField):
        pass

    return InlineChoiceField


KindField = _inline_enum(RankingKind.choices, "what is ranked: villages, work teams or townships")
SubjectTypeField = _inline_enum(SubjectType.choices, "the kind of record `subject_id` names")


class RankingSerializer(serializers.ModelSerializer):
    kind = KindField(choices=RankingKind.choices, read_only=True)

    class Meta:
        model = Ranking
        fields = [
            "id",
            "kind",
            "period",
            "county",
            "township",
            "status",
            "computed_at",
            "inputs_read_at",
            "published_at",
            "configuration",
            "weights",
            "bottom_n",
            "subjects",
        ]
        read_only_fields = fields


class RankingRunSerializer(StrictFieldsMixin, serializers.Serializer):
    kind = KindField(choices=RankingKind.choices)
    period = serializers.CharField(
        help_text="`YYYY`, `YYYYQn` or `YYYY-MM`; not a period that has not started"
    )
    county = ScopedPrimaryKeyRelatedField(queryset=County.objects.all())


class TaskQueuedSerializer(serializers.Serializer):
    task_id = serializers.UUIDField()


class BreakdownItemSerializer(serializers.Serializer):
    indicator = serializers.CharField()
    value = serializers.FloatField(allow_null=True, help_text="raw value (null: no data)")
    normalised = serializers.FloatField(allow_null=True, help_text="0–100")
    weight = serializers.FloatField()
    contribution = serializers.FloatField()
    missing = serializers.BooleanField()


class RankingEntrySerializer(serializers.ModelSerializer):
    score = serializers.DecimalField(max_digits=6, decimal_places=2, coerce_to_string=False)
    subject_type = SubjectTypeField(choices=SubjectType.choices, read_only=True)
    breakdown = BreakdownItemSerializer(many=True)

    class Meta:
        model = RankingEntry
        fields = ["rank", "subject_id", "subject_type", "subject_name", "score", "breakdown", "missing"]
        read_only_fields = fields


class RankingEntryPageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = RankingEntrySerializer(many=True)


class EscalationSerializer(serializers.ModelSerializer):
    subject_type = SubjectTypeField(choices=SubjectType.choices, read_only=True)
    level = serializers.ChoiceField(choices=EscalationLevel.choices, read_only=True)
    period = serializers.CharField(source="ranking.period", read_only=True)

    class Meta:
        model = Escalation
        fields = [
            "id",
            "subject_type",
            "subject_id",
            "subject_name",
            "ranking",
            "period",
            "county",
            "rank",
            "level",
            "consecutive",
            "talk_date",
            "talk_by",
            "talk_notes",
        ]
        read_only_fields = fields


class TalkSerializer(StrictFieldsMixin, serializers.Serializer):
    talk_date = serializers.DateField()
    talk_by = serializers.CharField(max_length=100)
    talk_notes = serializers.CharField(required=False, allow_blank=True, default="")


class ReasonSerializer(serializers.Serializer):
    code = serializers.ChoiceField(
        choices=["bottom_n", "secretary_vacant", "overdue_rectification", "empty_income"]
    )
    text = serializers.CharField()


class WeakCandidateSerializer(serializers.ModelSerializer):
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    reasons = ReasonSerializer(many=True, read_only=True)
    status = serializers.ChoiceField(choices=CandidateStatus.choices, read_only=True)

    class Meta:
        model = WeakCandidate
        fields = [
            "id",
            "organisation",
            "organisation_name",
            "year",
            "ranking",
            "reasons",
            "worst_rank",
            "status",
            "rating",
        ]
        read_only_fields = fields


class ConfirmSerializer(StrictFieldsMixin, serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class RankingConfigurationSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    county = ScopedPrimaryKeyRelatedField(queryset=County.objects.all())
    kind = KindField(choices=RankingKind.choices)
    weights = serializers.DictField(
        child=serializers.DecimalField(max_digits=6, decimal_places=2, coerce_to_string=False),
        help_text="indicator code → weight (≥ 0, summing to 100)",
    )

    class Meta:
        model = RankingConfiguration
        fields = ["id", "county", "kind", "valid_from", "weights", "bottom_n", "note"]
        read_only_fields = ["id"]


class RectificationCaseRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    organisation = serializers.IntegerField(source="organisation_id")
    organisation_name = serializers.CharField(source="organisation.name")
    year = serializers.IntegerField()
    deadline = serializers.DateField()
    status = serializers.CharField()


class VillageRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    township = serializers.IntegerField(source="township_id")


class ShortOfReservesRowSerializer(VillageRowSerializer):
    reserve_count = serializers.IntegerField()
    reserves_required = serializers.IntegerField()


class RectificationListsSerializer(serializers.Serializer):
    on = serializers.DateField()
    year = serializers.IntegerField(help_text="the year whose incomes are compared with the line")
    overdue_rectifications = RectificationCaseRowSerializer(many=True)
    short_of_reserves = ShortOfReservesRowSerializer(many=True)
    below_income_line = VillageRowSerializer(many=True)


class RectificationListsQuerySerializer(serializers.Serializer):
    county = serializers.IntegerField(required=False)
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)


class WeakCandidateQuerySerializer(serializers.Serializer):
    county = serializers.IntegerField(required=False)
    year = serializers.IntegerField(required=False)
