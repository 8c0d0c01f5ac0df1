from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.assistance.models import Household
from apps.core.api.fields import IdNumberField
from apps.core.api.serializers import ScopedPrimaryKeyRelatedField, StrictFieldsMixin
from apps.core.filters import YEAR_MAX, YEAR_MIN
from apps.villages.models import County, Village

from ..config import WINDOW_ALWAYS, WINDOW_QUARTER_END
from ..models import Award, AwardStatus, Goods, Item, LedgerEntry, Redemption, Resident, Settlement


class ItemSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    county = ScopedPrimaryKeyRelatedField(
        queryset=County.objects.all(),
        required=False,
        allow_null=True,
        help_text="The county that added the item; null for the default catalogue.",
    )

    class Meta:
        model = Item
        fields = ["id", "category", "name", "min_points", "max_points", "county", "is_active", "is_deduction"]
        read_only_fields = ["is_active", "is_deduction"]
        # Uniqueness is the service's (Model.full_clean names the field).
        validators = []


class ItemActivationSerializer(StrictFieldsMixin, serializers.Serializer):
    county = ScopedPrimaryKeyRelatedField(
        queryset=County.objects.all(),
        required=False,
        allow_null=True,
        help_text="For a default item: the county it is switched in (a county admin's own by default).",
    )


class ResidentSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    village = ScopedPrimaryKeyRelatedField(queryset=Village.objects.all())
    household = ScopedPrimaryKeyRelatedField(
        queryset=Household.objects.all(), required=False, allow_null=True
    )
    id_number = IdNumberField(
        help_text="18 characters, GB 11643; returned masked unless the caller may see it."
    )

    class Meta:
        model = Resident
        fields = ["id", "village", "name", "id_number", "household", "balance"]
        read_only_fields = ["balance"]


class AwardSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    resident = ScopedPrimaryKeyRelatedField(queryset=Resident.objects.all())
    item = serializers.PrimaryKeyRelatedField(queryset=Item.objects.all())
    photo = serializers.FileField(
        write_only=True,
        required=False,
        allow_null=True,
        help_text="JPEG, PNG or WebP, at most 5 MB (multipart/form-data).",
    )
    approved_by = serializers.SerializerMethodField()
    has_photo = serializers.SerializerMethodField()
    is_reversed = serializers.BooleanField(read_only=True, default=False)
    category = serializers.CharField(source="item.category", read_only=True)

    class Meta:
        model = Award
        fields = [
            "id",
            "village",
            "resident",
            "item",
            "category",
            "points",
            "date",
            "evidence",
            "photo",
            "has_photo",
            "status",
            "recorded_by",
            "approved_by",
            "decided_by",
            "decided_at",
            "decision_note",
            "notice_ends_on",
            "is_reversed",
        ]
        read_only_fields = [
            "village",
            "status",
            "recorded_by",
            "decided_by",
            "decided_at",
            "decision_note",
            "notice_ends_on",
        ]

    @extend_schema_field(OpenApiTypes.INT)
    def get_approved_by(self, award) -> int | None:
        return award.decided_by_id if award.status == AwardStatus.APPROVED else None

    def get_has_photo(self, award) -> bool:
        return bool(award.photo)


class AwardRejectSerializer(StrictFieldsMixin, serializers.Serializer):
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True)


class GoodsSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    village = ScopedPrimaryKeyRelatedField(queryset=Village.objects.all())

    class Meta:
        model = Goods
        fields = ["id", "village", "name", "price_points", "stock", "is_active"]
        validators = []


class GoodsRestockSerializer(StrictFieldsMixin, serializers.Serializer):
    quantity = serializers.IntegerField(min_value=1)


class RedemptionSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    resident = ScopedPrimaryKeyRelatedField(queryset=Resident.objects.all())
    goods = ScopedPrimaryKeyRelatedField(queryset=Goods.objects.all())
    date = serializers.DateField(required=False, help_text="Today when left out.")
    is_reversed = serializers.BooleanField(read_only=True, default=False)

    class Meta:
        model = Redemption
        fields = [
            "id",
            "village",
            "resident",
            "goods",
            "quantity",
            "points",
            "date",
            "points_per_yuan",
            "value_yuan",
            "recorded_by",
            "is_reversed",
        ]
        read_only_fields = ["village", "points", "points_per_yuan", "value_yuan", "recorded_by"]
        extra_kwargs = {"quantity": {"min_value": 1}}


class LedgerEntrySerializer(serializers.ModelSerializer):
    is_reversed = serializers.BooleanField(read_only=True, default=False)

    class Meta:
        model = LedgerEntry
        fields = [
            "id",
            "resident",
            "village",
            "kind",
            "points",
            "date",
            "available_from",
            "category",
            "award",
            "redemption",
            "reverses",
            "is_reversed",
            "note",
            "created_by",
            "created_at",
        ]
        read_only_fields = fields


class LedgerReverseSerializer(StrictFieldsMixin, serializers.Serializer):
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True)


class CategoryFiguresSerializer(serializers.Serializer):
    awarded = serializers.IntegerField()
    deducted = serializers.IntegerField()
    reversed = serializers.IntegerField()
    net = serializers.IntegerField()


class GoodsIssuedSerializer(serializers.Serializer):
    goods = serializers.IntegerField()
    name = serializers.CharField()
    quantity = serializers.IntegerField()
    points = serializers.IntegerField()


class SettlementSerializer(serializers.ModelSerializer):
    by_category = serializers.DictField(child=CategoryFiguresSerializer(), read_only=True)
    goods = GoodsIssuedSerializer(many=True, read_only=True)

    class Meta:
        model = Settlement
        fields = [
            "id",
            "village",
            "quarter",
            "period_start",
            "period_end",
            "awarded",
            "deducted",
            "reversed",
            "redeemed",
            "outstanding",
            "residents",
            "by_category",
            "goods",
            "created_by",
            "created_at",
        ]
        read_only_fields = fields


class SettlementRunSerializer(StrictFieldsMixin, serializers.Serializer):
    quarter = serializers.CharField(help_text="YYYYQn, a quarter that has ended.")
    county = ScopedPrimaryKeyRelatedField(queryset=County.objects.all(), required=False, allow_null=True)


class BankSettingsSerializer(StrictFieldsMixin, serializers.Serializer):
    county = serializers.IntegerField(read_only=True, allow_null=True)
    on = serializers.DateField(read_only=True, help_text="The day these values are in force.")
    valid_from = serializers.DateField(
        write_only=True, required=False, help_text="When new values take effect (today when left out)."
    )
    points_per_yuan = serializers.DecimalField(max_digits=8, decimal_places=2, required=False)
    notice_days = serializers.IntegerField(min_value=0, required=False)
    redemption_window = serializers.ChoiceField(choices=[WINDOW_ALWAYS, WINDOW_QUARTER_END], required=False)
    redemption_window_days = serializers.IntegerField(min_value=1, required=False)


class BankSettingsQuerySerializer(serializers.Serializer):
    county = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="County id (404 outside your region); by default the caller's own county (or the defaults).",
    )


class MoralityStatsQuerySerializer(serializers.Serializer):
    county = serializers.IntegerField(required=False, min_value=1, help_text="404 outside your region.")
    township = serializers.IntegerField(required=False, min_value=1, help_text="404 outside your region.")
    year = serializers.IntegerField(
        required=False, min_value=YEAR_MIN, max_value=YEAR_MAX, help_text="This year when left out."
    )


class CategoryQuarterSerializer(serializers.Serializer):
    category = serializers.CharField()
    quarter = serializers.CharField()
    awarded = serializers.IntegerField()
    deducted = serializers.IntegerField()
    net = serializers.IntegerField()


class GoodsRedeemedSerializer(serializers.Serializer):
    redemptions = serializers.IntegerField()
    quantity = serializers.IntegerField()
    points = serializers.IntegerField()


class MoralityStatsSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    villages = serializers.IntegerField()
    villages_with_bank = serializers.IntegerField()
    active_banks = serializers.IntegerField()
    residents = serializers.IntegerField()
    participants = serializers.IntegerField()
    participation_rate = serializers.FloatField(allow_null=True)
    points_by_category = CategoryQuarterSerializer(many=True)
    goods_redeemed = GoodsRedeemedSerializer()
