from rest_framework import serializers

from apps.cadres.models import Cadre
from apps.core.api.serializers import ScopedPrimaryKeyRelatedField, StrictFieldsMixin

from ..models import (
    CentralHousehold,
    City,
    County,
    OrganisationKind,
    PartyGrid,
    PartyOrganisation,
    Rating,
    RatingLevel,
    Rectification,
    RectificationMeasure,
    RectificationNote,
    RectificationStatus,
    Township,
    Village,
)
from .fields import NamedChoiceField


class CitySerializer(StrictFieldsMixin, serializers.ModelSerializer):
    class Meta:
        model = City
        fields = ["id", "code", "name"]


class CountySerializer(StrictFieldsMixin, serializers.ModelSerializer):
    city = ScopedPrimaryKeyRelatedField(queryset=City.objects.all())

    class Meta:
        model = County
        fields = ["id", "code", "name", "city"]


class TownshipSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    county = ScopedPrimaryKeyRelatedField(queryset=County.objects.all())

    class Meta:
        model = Township
        fields = ["id", "code", "name", "county"]


class VillageSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    township = ScopedPrimaryKeyRelatedField(queryset=Township.objects.all())

    class Meta:
        model = Village
        fields = [
            "id",
            "code",
            "name",
            "township",
            "county",
            "population_registered",
            "population_resident",
            "households",
            "poverty_status",
            "exit_year",
            "is_minority",
            "is_remote",
            "notes",
            "retired_on",
            "retired_reason",
            "merged_into",
        ]
        read_only_fields = ["county", "retired_on", "retired_reason", "merged_into"]
        # Uniqueness is checked by the service (Model.full_clean), which names the field in its error.
        extra_kwargs = {"code": {"validators": []}}


class VillageRetireSerializer(StrictFieldsMixin, serializers.Serializer):
    retired_on = serializers.DateField()
    reason = serializers.CharField(max_length=200)
    merged_into = serializers.IntegerField(required=False, allow_null=True)


# Party organisations, ratings, rectification


class PartyOrganisationSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    kind = NamedChoiceField(OrganisationKind)
    villages = ScopedPrimaryKeyRelatedField(queryset=Village.objects.all(), many=True)
    secretary = ScopedPrimaryKeyRelatedField(queryset=Cadre.objects.all(), allow_null=True, required=False)

    class Meta:
        model = PartyOrganisation
        fields = [
            "id",
            "name",
            "kind",
            "villages",
            "is_joint",
            "members_count",
            "founded_on",
            "dissolved_on",
            "secretary",
            "township",
            "county",
        ]
        read_only_fields = ["is_joint", "township", "county"]


class PartyGridSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    organisation = ScopedPrimaryKeyRelatedField(queryset=PartyOrganisation.objects.all())

    class Meta:
        model = PartyGrid
        fields = ["id", "organisation", "name", "area", "leader_name", "members_count"]
        validators: list = []  # the service names the field in its error


class CentralHouseholdSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    grid = ScopedPrimaryKeyRelatedField(queryset=PartyGrid.objects.all())

    class Meta:
        model = CentralHousehold
        fields = ["id", "grid", "member_name", "households_served"]


class RatingSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    organisation = ScopedPrimaryKeyRelatedField(queryset=PartyOrganisation.objects.all())
    level = NamedChoiceField(RatingLevel)
    change_reason = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="Required when changing a rating: why the confirmed rating changes.",
    )

    class Meta:
        model = Rating
        fields = [
            "id",
            "organisation",
            "year",
            "level",
            "reason",
            "change_reason",
            "confirmed_by",
            "confirmed_at",
        ]
        read_only_fields = ["confirmed_by", "confirmed_at"]
        # One rating per organisation and year is checked by the service, which names the field.
        validators: list = []


class RectificationNoteSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    author = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = RectificationNote
        fields = ["id", "date", "text", "author", "created_at"]
        read_only_fields = ["author", "created_at"]


class RectificationSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    measures = serializers.ListField(child=NamedChoiceField(RectificationMeasure), required=False)
    status = NamedChoiceField(RectificationStatus, read_only=True)
    next_rating = NamedChoiceField(
        RatingLevel,
        read_only=True,
        allow_null=True,
        help_text="The organisation's rating for the following year, once there is one.",
    )
    overdue = serializers.BooleanField(read_only=True, help_text="Open and past its deadline.")
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    progress_notes = RectificationNoteSerializer(source="notes", many=True, read_only=True)

    class Meta:
        model = Rectification
        fields = [
            "id",
            "organisation",
            "organisation_name",
            "year",
            "problems",
            "measures",
            "responsible_leader",
            "opened_on",
            "deadline",
            "status",
            "next_rating",
            "overdue",
            "is_repeat",
            "accepted_on",
            "accepted_by",
            "progress_notes",
        ]
        read_only_fields = ["organisation", "year", "status", "is_repeat", "accepted_on", "accepted_by"]


class RectificationExtendSerializer(StrictFieldsMixin, serializers.Serializer):
    deadline = serializers.DateField()
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class RectificationAcceptSerializer(StrictFieldsMixin, serializers.Serializer):
    accepted_on = serializers.DateField(required=False, help_text="Default: today.")


class LevelSharesSerializer(serializers.Serializer):
    advanced = serializers.DecimalField(max_digits=4, decimal_places=1)
    ordinary = serializers.DecimalField(max_digits=4, decimal_places=1)
    weak = serializers.DecimalField(max_digits=4, decimal_places=1)


class LevelCountsSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    total = serializers.IntegerField(help_text="Organisations rated that year (a joint one counts once).")
    advanced = serializers.IntegerField()
    ordinary = serializers.IntegerField()
    weak = serializers.IntegerField()
    shares = LevelSharesSerializer(help_text="Percentages with one decimal.")


class RectifiedYearSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    cases = serializers.IntegerField(help_text="Cases opened for that year's weak-and-lax ratings.")
    first_time = serializers.IntegerField(
        help_text="Organisations rectified for the first time in the range."
    )
    repeat = serializers.IntegerField(help_text="Repeat cases (weak and lax again within the window).")
    cumulative = serializers.IntegerField(help_text="Organisations rectified since the start of the range.")
    share_of_villages = serializers.DecimalField(max_digits=5, decimal_places=1)


class RectifiedSerializer(serializers.Serializer):
    years = RectifiedYearSerializer(many=True)
    organisations = serializers.IntegerField(help_text="Organisations rectified in the range.")
    villages = serializers.IntegerField(help_text="Active villages of the region.")
    share_of_villages = serializers.DecimalField(max_digits=5, decimal_places=1)
    repeat_cases = serializers.IntegerField()


class JointYearSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    new = serializers.IntegerField(help_text="Joint organisations founded that year.")
    existing = serializers.IntegerField(help_text="Joint organisations at the end of the year.")


class PartyFiguresSerializer(serializers.Serializer):
    year_from = serializers.IntegerField()
    year_to = serializers.IntegerField()
    rectified = RectifiedSerializer(help_text="Figure 1: organisations rectified per year.")
    levels = LevelCountsSerializer(allow_null=True, help_text="Figure 2: the levels in `year_to`.")
    levels_per_year = LevelCountsSerializer(many=True)
    joint = JointYearSerializer(many=True, help_text="Figure 3: joint organisations per year.")
    joint_now = serializers.IntegerField(help_text="Joint organisations not dissolved.")


class PartyFiguresQuerySerializer(StrictFieldsMixin, serializers.Serializer):
    county = serializers.IntegerField(required=False)
    township = serializers.IntegerField(required=False)
    year_from = serializers.IntegerField(required=False, min_value=2000, help_text="Default: 2014.")
    year_to = serializers.IntegerField(
        required=False, min_value=2000, help_text="Default: the latest year with ratings."
    )
