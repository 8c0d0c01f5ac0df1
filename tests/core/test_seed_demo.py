"""``manage.py seed_demo``: preset sizes, demo logins, determinism and the empty-database rules."""

import re
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import F
from rest_framework.authtoken.models import Token

from apps.accounts.models import User
from apps.core import demo
from apps.villages.codes import validate_code_prefix, validate_region_code
from apps.villages.demo import preset_cities
from apps.villages.models import City, County, PovertyStatus, Township, Village

LOGINS_FILE = Path(settings.BASE_DIR) / "docs" / "demo-logins.txt"
ENYANG = "511903000000"
POOR = (PovertyStatus.POOR, PovertyStatus.DEEP_POOR)

# username -> (role, level, region code) of every demo login in the enyang preset.
ENYANG_LOGINS = {
    "city_admin": ("city_admin", "city", "511900000000"),
    "enyang_admin": ("county_admin", "county", ENYANG),
    "township_staff": ("township_staff", "township", "511903001000"),
    "township_staff2": ("township_staff", "township", "511903002000"),
    "village_clerk": ("village_clerk", "village", "511903001001"),
    "api_client": ("api_client", "county", ENYANG),
}


def seed(preset="enyang", seed=1, **options) -> str:
    out = StringIO()
    call_command("seed_demo", preset=preset, seed=seed, stdout=out, **options)
    return out.getvalue()


def dump(county_code: str | None = None) -> list[tuple]:
    villages = Village.objects.order_by("code")
    townships = Township.objects.order_by("code")
    if county_code:
        villages = villages.filter(county__code=county_code)
        townships = townships.filter(county__code=county_code)
    return list(townships.values_list("code", "name")) + list(
        villages.values_list(
            "code",
            "name",
            "population_registered",
            "population_resident",
            "households",
            "poverty_status",
            "exit_year",
            "is_minority",
            "is_remote",
        )
    )


def seed_and_dump(preset: str, seed_value: int, county_code: str | None = None) -> list[tuple]:
    """Seed, dump, then roll the seeding back so the next call starts from an empty database again."""
    with transaction.atomic():
        seed(preset, seed_value)
        rows = dump(county_code)
        transaction.set_rollback(True)
    assert not Village.objects.exists()
    return rows


def logins_block(output: str) -> str:
    start = output.index("Touyan demo logins")
    end = output.index("\nREST API token")
    return output[start:end]


@pytest.mark.django_db
def test_enyang_preset_regions():
    output = seed("enyang", 1)

    assert list(City.objects.values_list("code", "name")) == [("511900000000", "巴中市")]
    assert list(County.objects.values_list("code", "name")) == [(ENYANG, "恩阳区")]
    assert Township.objects.count() == 18
    assert Village.objects.count() == 209
    assert Village.objects.filter(county__code=ENYANG).count() == 209
    for township in Township.objects.select_related("county"):
        validate_region_code(township.code, "township")
        validate_code_prefix(township.code, township.county.code, "county")
        assert township.villages.exists()
    for village in Village.objects.select_related("township"):
        validate_region_code(village.code, "village")
        validate_code_prefix(village.code, village.township.code, "township")
        assert 600 <= village.population_registered <= 3500
        assert 0.5 * village.population_registered <= village.population_resident
        assert village.population_resident <= 0.9 * village.population_registered + 1
    poor = Village.objects.filter(poverty_status__in=POOR)
    assert 55 <= poor.count() <= 85  # about a third
    assert poor.filter(exit_year__range=(2014, 2018)).count() == poor.count()
    assert Village.objects.filter(poverty_status=PovertyStatus.DEEP_POOR).exists()
    assert not Village.objects.exclude(poverty_status__in=POOR).filter(exit_year__isnull=False).exists()
    names = list(Village.objects.values_list("township_id", "name"))
    assert len(set(names)) == len(names), "village names repeat within a township"
    assert re.search(r"^  villages +209$", output, re.MULTILINE)


@pytest.mark.django_db
def test_enyang_preset_logins():
    output = seed("enyang", 1)

    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff and admin.region_binding() is None
    assert authenticate(username="admin", password=demo.DEMO_PASSWORD) == admin
    for username, (role, level, code) in ENYANG_LOGINS.items():
        user = User.objects.get(username=username)
        assert user.role == role
        assert not user.is_superuser
        assert user.region_binding() == (level, getattr(user, f"{level}_id"))
        assert user.region.code == code
        assert authenticate(username=username, password=demo.DEMO_PASSWORD) == user, username
        assert authenticate(username=username, password="wrong") is None
    assert not User.objects.filter(username="bazhou_admin").exists()
    assert User.objects.count() == len(ENYANG_LOGINS) + 1
    token = Token.objects.get(user__username="api_client")
    assert f"REST API token of api_client: {token.key}" in output
    # The printed block is the committed file without the logins of regions this preset lacks.
    file_lines = LOGINS_FILE.read_text(encoding="utf-8").splitlines()
    printed = logins_block(output).splitlines()
    assert printed == [line for line in file_lines if "bazhou_admin" not in line]


@pytest.mark.django_db
def test_bazhong_preset_totals():
    output = seed("bazhong", 1)

    assert County.objects.count() == 5
    assert set(County.objects.values_list("code", flat=True)) == {
        "511902000000",
        "511903000000",
        "511921000000",
        "511922000000",
        "511923000000",
    }
    assert Village.objects.count() == 2228
    poor = Village.objects.filter(poverty_status__in=POOR)
    assert poor.count() == 598
    assert poor.filter(exit_year__range=(2014, 2018)).count() == 598
    assert not Village.objects.exclude(poverty_status__in=POOR).filter(exit_year__isnull=False).exists()
    assert Township.objects.filter(county__code=ENYANG).count() == 18
    assert Village.objects.filter(county__code=ENYANG).count() == 209
    # The denormalised county always matches the township's.
    assert not Village.objects.exclude(county_id=F("township__county_id")).exists()

    bazhou_admin = User.objects.get(username="bazhou_admin")
    assert bazhou_admin.role == "county_admin" and bazhou_admin.county.code == "511902000000"
    assert authenticate(username="bazhou_admin", password=demo.DEMO_PASSWORD) == bazhou_admin
    # docs/demo-logins.txt is exactly what the command prints for a preset with every login.
    assert logins_block(output) == LOGINS_FILE.read_text(encoding="utf-8")


@pytest.mark.django_db
def test_enyang_is_the_same_in_both_presets():
    enyang = seed_and_dump("enyang", 3)
    assert seed_and_dump("bazhong", 3, county_code=ENYANG) == enyang


@pytest.mark.django_db
def test_same_seed_same_data_other_seed_other_data():
    first = seed_and_dump("enyang", 1)
    assert len(first) == 18 + 209
    assert seed_and_dump("enyang", 1) == first
    other = seed_and_dump("enyang", 2)
    assert other != first
    # The preset fixes the townships; how villages spread over them and what they are like varies.
    assert other[:18] == first[:18]
    assert len(other) == len(first)


@pytest.mark.django_db
def test_if_empty_leaves_existing_data_untouched(world):
    before = (dump(), sorted(User.objects.values_list("username", "role", "password")))

    output = seed("bazhong", 1, if_empty=True)

    assert output.strip() == "database already has data"
    assert (dump(), sorted(User.objects.values_list("username", "role", "password"))) == before
    assert City.objects.count() == 1


@pytest.mark.django_db
def test_if_empty_seeds_an_empty_database():
    seed("enyang", 1, if_empty=True)
    assert Village.objects.count() == 209


@pytest.mark.django_db
def test_refuses_a_database_with_data(world):
    before = dump()
    with pytest.raises(CommandError, match="already has data"):
        seed("enyang", 1)
    assert dump() == before
    assert not User.objects.filter(username="enyang_admin").exists()


@pytest.mark.django_db
def test_a_failing_contributor_leaves_nothing_behind():
    User.objects.create_user("admin", password="x")  # e.g. made with createsuperuser first

    with pytest.raises(CommandError, match="users already exist: admin"):
        seed("enyang", 1)

    assert not City.objects.exists()
    assert not Village.objects.exists()
    assert User.objects.count() == 1


def test_contributors_run_villages_then_accounts():
    names = [c.name for c in demo.contributors()]
    assert names.index("apps.villages.demo.seed") < names.index("apps.accounts.demo.seed")


def test_province_plan_has_25000_villages_with_unique_codes():
    ctx = demo.DemoContext.create(preset="province", seed=1)
    cities = preset_cities(ctx)
    counties = [county for city in cities for county in city.counties]
    assert 6 <= len(cities) <= 9
    assert cities[0].code == "511900000000"
    assert sum(county.villages for county in counties) == 25_000
    assert len({c.code for c in cities}) == len(cities)
    assert len({c.code for c in counties}) == len(counties)
    for city in cities:
        validate_region_code(city.code, "city")
        for county in city.counties:
            validate_region_code(county.code, "county")
            validate_code_prefix(county.code, city.code, "city")
            assert 0 < county.poor < county.villages
    assert preset_cities(demo.DemoContext.create(preset="province", seed=1)) == cities
