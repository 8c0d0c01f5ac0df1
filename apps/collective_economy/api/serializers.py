from rest_framework import serializers

from apps.core.api.serializers import ScopedPrimaryKeyRelatedField, StrictFieldsMixin
from apps.villages.models import Village

from ..models import (
    AMOUNT_FIELDS,
    MONEY_DIGITS,
    PROJECT_FUND_FIELDS,
    Bracket,
    DevelopmentMode,
    Income,
    ModeKind,
    Pairing,
    Project,
    SupportFund,
)


def money(**kwargs):
    return serializers.DecimalField(max_digits=MONEY_DIGITS + 2, decimal_places=2, read_only=True, **kwargs)


class VillageContextMixin(serializers.Serializer):
    """Read-only names and region ids of the record's village, so clients need no second request."""

    village_name = serializers.CharField(source="village.name", read_only=True)
    township = serializers.IntegerField(source="village.township_id", read_only=True)
    county = serializers.IntegerField(source="village.county_id", read_only=True)


REGION_FIELDS = ["village_name", "township", "county"]


class CollectiveIncomeSerializer(StrictFieldsMixin, VillageContextMixin, serializers.ModelSerializer):
    village = ScopedPrimaryKeyRelatedField(queryset=Village.objects.all())
    development_mode = serializers.SlugRelatedField(
        slug_field="code",
        queryset=DevelopmentMode.objects.filter(kind=ModeKind.VILLAGE),
        required=False,
        allow_null=True,
        help_text="Code of a village development mode (see collective-development-modes/).",
    )
    total = money(help_text="operating + resource + investment + subsidy + other.")
    per_capita = money(allow_null=True, help_text="total / the village's registered population (null if 0).")
    bracket = serializers.ChoiceField(
        choices=Bracket.choices,
        read_only=True,
        help_text="From total, lower bound inclusive: empty (0), lt_10k, 10k_50k, 50k_100k, 100k_500k, gte_500k.",
    )

    class Meta:
        model = Income
        fields = [
            "id",
            "village",
            "year",
            *AMOUNT_FIELDS,
            "total",
            "per_capita",
            "bracket",
            "economy_type",
            "development_mode",
            "note",
            *REGION_FIELDS,
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        # One record per village and year is the service's rule: it names the field in its error.
        validators = []


class CollectiveSupportFundSerializer(StrictFieldsMixin, VillageContextMixin, serializers.ModelSerializer):
    village = ScopedPrimaryKeyRelatedField(queryset=Village.objects.all())

    class Meta:
        model = SupportFund
        fields = [
            "id",
            "village",
            "year",
            "amount",
            "source",
            "use",
            "note",
            *REGION_FIELDS,
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]


class CollectiveProjectSerializer(StrictFieldsMixin, VillageContextMixin, serializers.ModelSerializer):
    village = ScopedPrimaryKeyRelatedField(queryset=Village.objects.all())
    mode = serializers.SlugRelatedField(
        slug_field="code",
        queryset=DevelopmentMode.objects.filter(kind=ModeKind.PROJECT),
        required=False,
        allow_null=True,
        help_text='Code of a project mode ("5+1", see collective-development-modes/?kind=project).',
    )
    funds_other = money(help_text="funds_total less the funds by named source.")

    class Meta:
        model = Project
        fields = [
            "id",
            "village",
            "name",
            "mode",
            "start_year",
            "funds_total",
            *PROJECT_FUND_FIELDS,
            "funds_other",
            "households_benefiting",
            "people_benefiting",
            "poor_party_members_lifted",
            "status",
            "note",
            *REGION_FIELDS,
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        validators = []


class CollectivePairingSerializer(StrictFieldsMixin, VillageContextMixin, serializers.ModelSerializer):
    village = ScopedPrimaryKeyRelatedField(queryset=Village.objects.all())

    class Meta:
        model = Pairing
        fields = [
            "id",
            "village",
            "unit_name",
            "unit_type",
            "start_year",
            "end_year",
            "note",
            *REGION_FIELDS,
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        validators = []


class DevelopmentModeSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    class Meta:
        model = DevelopmentMode
        fields = ["id", "code", "name", "kind", "description", "is_active", "position"]
        # Uniqueness is checked again by the service's full_clean, which names the field.
        extra_kwargs = {"code": {"validators": []}}
        validators = []


# Statistics


class CollectiveEconomyStatsQuerySerializer(serializers.Serializer):
    county = serializers.IntegerField(
        required=False, help_text="Id of a county in your region (404 otherwise)."
    )
    township = serializers.IntegerField(
        required=False, help_text="Id of a township in your region (404 otherwise)."
    )
    year = serializers.IntegerField(
        required=False, min_value=1949, max_value=2100, help_text="Default: the latest year with records."
    )


BracketCountsSerializer = type(
    "CollectiveBracketCountsSerializer",
    (serializers.Serializer,),
    {bracket.value: serializers.IntegerField(help_text=str(bracket.label)) for bracket in Bracket},
)
SourceTotalsSerializer = type(
    "CollectiveIncomeSourcesSerializer", (serializers.Serializer,), {name: money() for name in AMOUNT_FIELDS}
)


class CollectiveEconomyTargetSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=["weak_line", "target_line", "pairing_line", "exit_per_capita"])
    line = money(help_text="Yuan per year; for exit_per_capita yuan per registered resident.")
    villages_meeting = serializers.IntegerField(help_text="Villages at or above the line.")
    goal = serializers.IntegerField(
        allow_null=True, help_text="The county's goal of villages at the line, if set."
    )


class CollectiveSupportFundStatsSerializer(serializers.Serializer):
    total = money(help_text="Support funds granted up to the year.")
    minimum = money(help_text="The configured minimum per village.")
    villages_below_minimum = serializers.IntegerField()


ProjectFundsSerializer = type(
    "CollectiveProjectFundsSerializer",
    (serializers.Serializer,),
    {name.removeprefix("funds_"): money() for name in (*PROJECT_FUND_FIELDS, "funds_other")},
)


class CollectiveProjectStatsSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="Projects started in or before the year.")
    funds_total = money()
    funds_by_source = ProjectFundsSerializer()
    households_benefiting = serializers.IntegerField()
    people_benefiting = serializers.IntegerField()
    poor_party_members_lifted = serializers.IntegerField()


class CollectiveEconomyStatsSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    county = serializers.IntegerField(allow_null=True)
    township = serializers.IntegerField(allow_null=True)
    villages = serializers.IntegerField(help_text="Villages in the region that existed in the year.")
    reported = serializers.IntegerField(help_text="Villages with an income record for the year.")
    not_reported = serializers.IntegerField()
    brackets = BracketCountsSerializer(help_text="Villages per income bracket.")
    total = money()
    median = money(allow_null=True)
    average = money(allow_null=True)
    previous_total = money(allow_null=True, help_text="Total of the year before (null without records).")
    growth = serializers.DecimalField(
        max_digits=12,
        decimal_places=4,
        allow_null=True,
        help_text="(total - previous_total) / previous_total.",
    )
    by_source = SourceTotalsSerializer(help_text="Income by source (Bazhong figure 14).")
    operating_share = serializers.DecimalField(max_digits=6, decimal_places=4, allow_null=True)
    mostly_non_operating = serializers.IntegerField(
        help_text="Villages whose non-operating income exceeds half."
    )
    mostly_non_operating_share = serializers.DecimalField(max_digits=6, decimal_places=4, allow_null=True)
    lt_5k = serializers.IntegerField(help_text="Villages under 5,000 yuan.")
    gte_100k = serializers.IntegerField(help_text="Villages at or over 100,000 yuan.")
    weak_line = money()
    weak_villages = serializers.IntegerField(help_text="Villages below the weak-village line.")
    targets = CollectiveEconomyTargetSerializer(many=True)
    pairing_line = money()
    under_pairing_line = serializers.IntegerField()
    unpaired_under_pairing_line = serializers.IntegerField(
        help_text="Of those, villages without a helping unit."
    )
    support_funds = CollectiveSupportFundStatsSerializer()
    projects = CollectiveProjectStatsSerializer()
