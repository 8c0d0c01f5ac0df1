from rest_framework import serializers

from apps.core.api.serializers import ScopedPrimaryKeyRelatedField, StrictFieldsMixin

from ..models import City, County, Township, Village


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
