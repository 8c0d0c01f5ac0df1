"""Demo data: the bazhong preset's latest year reproduces the published figures; 恩阳区 is stable."""

import pytest
from django.db import transaction
from rest_framework.test import APIClient

from apps.accounts.services import user_create
from apps.collective_economy import demo as economy_demo
from apps.collective_economy.models import Income, Pairing, Project, SupportFund
from apps.core import demo
from apps.core.actors import SYSTEM
from apps.villages import demo as village_demo
from apps.villages.models import City, County, Village

pytestmark = pytest.mark.django_db
ENYANG = "511903000000"


def seed(preset: str, seed_value: int = 1) -> demo.DemoContext:
    """The regions and this app's contributor only, as ``seed_demo`` runs them."""
    ctx = demo.DemoContext.create(preset=preset, seed=seed_value)
    for contributor in (village_demo.seed, economy_demo.seed):
        ctx.reseed(f"{contributor.__module__}.{contributor.__qualname__}")
        contributor(ctx)
    return ctx


def test_bazhong_latest_year_matches_the_published_figures():
    ctx = seed("bazhong")
    assert Village.objects.count() == 2228
    admin = user_create(
        actor=SYSTEM, username="city", password="x-Touyan-2026", role="city_admin", region=City.objects.get()
    )
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(admin)

    body = client.get("/api/v1/stats/collective-economy/").json()

    assert body["year"] == economy_demo.LATEST == 2025
    assert body["reported"] == 2228
    assert body["brackets"] == {
        "empty": 0,
        "lt_10k": 872,
        "10k_50k": 1130,
        "50k_100k": 121,
        "100k_500k": 67,
        "gte_500k": 38,
    }
    assert body["lt_5k"] == 357
    assert body["gte_100k"] == 105
    assert body["mostly_non_operating"] == 1337  # 60%
    assert body["projects"]["count"] == 729
    assert body["projects"]["funds_total"] == "425000000.00"
    assert body["projects"]["households_benefiting"] == 8683
    assert body["projects"]["people_benefiting"] == 28823
    assert body["projects"]["poor_party_members_lifted"] == 1034
    assert body["support_funds"]["villages_below_minimum"] == 0  # at least 20,000 yuan per village
    assert 0 < body["unpaired_under_pairing_line"] < 0.05 * body["under_pairing_line"]
    enyang = County.objects.get(code=ENYANG)
    enyang_body = client.get(f"/api/v1/stats/collective-economy/?county={enyang.pk}").json()
    assert {t["code"]: t["goal"] for t in enyang_body["targets"]}["target_line"] == 42

    # Earlier years are plausible: fewer and smaller incomes, empty shells that disappear, growth.
    totals = []
    for year in economy_demo.YEARS:
        figures = client.get(f"/api/v1/stats/collective-economy/?year={year}").json()
        assert figures["reported"] == 2228
        totals.append(float(figures["total"]))
        if year < 2024:
            assert figures["brackets"]["empty"] > 0 or year > 2022
    assert totals == sorted(totals)
    assert ctx.summary["collective projects"] == 729
    # Every stored row respects the model's own rules.
    assert not Income.objects.filter(total__lt=0).exists()
    assert not Project.objects.filter(people_benefiting__lt=0).exists()
    assert SupportFund.objects.count() >= 2228
    assert Pairing.objects.count() > 0.9 * body["under_pairing_line"]


def dump_enyang() -> list[tuple]:
    incomes = Income.objects.filter(village__county__code=ENYANG).order_by("village__code", "year")
    projects = Project.objects.filter(village__county__code=ENYANG).order_by("village__code", "name")
    return list(
        incomes.values_list(
            "village__code", "year", "operating", "resource", "investment", "subsidy", "other"
        )
    ) + list(projects.values_list("village__code", "name", "funds_total", "people_benefiting"))


def seed_and_dump(preset: str, seed_value: int) -> list[tuple]:
    with transaction.atomic():
        seed(preset, seed_value)
        rows = dump_enyang()
        transaction.set_rollback(True)
    return rows


def test_enyang_is_the_same_in_every_preset_and_seeds_are_deterministic():
    enyang = seed_and_dump("enyang", 2)
    assert len(enyang) > 209 * len(economy_demo.YEARS)
    assert seed_and_dump("bazhong", 2) == enyang
    assert seed_and_dump("enyang", 2) == enyang
    assert seed_and_dump("enyang", 3) != enyang


def test_bazhong_plan_splits_the_city_figures_exactly():
    plan = economy_demo.bazhong_plan()
    assert sum(county["villages"] for county in plan.values()) == 2228
    assert sum(county["projects"] for county in plan.values()) == 729
    assert sum(county["funds"] for county in plan.values()) == 425_000_000_00
    for county in plan.values():
        assert len(county["categories"]) == county["villages"]
