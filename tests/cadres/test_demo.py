"""Demo cadres: valid ID numbers, the published Bazhong and Enyang figures through ``stats/cadres/``.

Only the contributors up to the cadres' (regions, logins, cadres) run here: each contributor has its
own random stream, so this is exactly what ``seed_demo`` makes of them.
"""

import datetime

import pytest
from django.db import transaction
from rest_framework.test import APIClient

from apps.accounts.models import User
from apps.cadres.demo.figures import PAY_UNTIL_2019
from apps.cadres.models import Cadre, CadrePosition, ReserveCadre
from apps.core import demo, idnumbers

pytestmark = pytest.mark.django_db
STATS = "/api/v1/stats/cadres/"
ENYANG = "511903000000"
PUBLISHED = {
    2014: {"shares": (0.5, 4.7, 39.9, 54.9), "age": 50.1},
    2019: {"shares": (1.8, 11.2, 43.6, 43.4), "age": 46.3},
}
LEVELS = ("bachelor_plus", "college", "high_school", "junior_or_below")


def seed_cadres(preset: str, seed: int = 1) -> demo.DemoContext:
    ctx = demo.DemoContext.create(preset=preset, seed=seed)
    for contributor in demo.contributors():
        if contributor.order > 30:
            break
        ctx.reseed(contributor.name)
        contributor.func(ctx)
    return ctx


def city_admin_client(language="en") -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    client.force_authenticate(User.objects.get(username="city_admin"))
    return client


def enyang_rows() -> list[tuple]:
    return sorted(
        Cadre.objects.filter(village__county__code=ENYANG).values_list(
            "village__code", "name", "id_number", "birth_date", "education", "source", "is_wealth_leader"
        )
    )


def test_enyang_preset_numbers_and_published_figures():
    seed_cadres("enyang")
    numbers = list(Cadre.objects.values_list("id_number", "gender", "birth_date")) + list(
        ReserveCadre.objects.values_list("id_number", "gender", "birth_date")
    )
    assert len(numbers) > 2000
    assert len({n for n, _g, _b in numbers}) == len(numbers)
    for number, gender, born in numbers:
        assert idnumbers.validate(number, today=datetime.date(2026, 1, 1)) == number
        assert idnumbers.birth_date(number) == born
        assert idnumbers.region_warning(number) is None, number[:6]
        assert (int(number[16]) % 2 == 1) == (gender == "male")

    # Every village has exactly one current secretary; positions never overlap (the database says so too).
    assert CadrePosition.objects.current().filter(role="secretary").count() == 209

    client = city_admin_client()
    for year in (2024, 2025):
        figures = client.get(f"{STATS}?year={year}&county={Cadre.objects.first().village.county_id}").json()
        assert (figures["secretaries"], figures["secretaries_wealth_leaders"]) == (209, 140)
        assert figures["secretaries_wealth_leader_share"] == 66.99
    figures = client.get(f"{STATS}?year=2024").json()
    assert (
        figures["reserve_count"],
        figures["reserve_average_age"],
        figures["reserve_college_or_above"],
    ) == (
        366,
        33.5,
        281,
    )
    assert figures["villages_short_of_reserves"] > 0
    assert figures["one_shoulder_ratio"] > 80
    this_year = client.get(f"{STATS}?year=2026").json()
    assert this_year["training_days"] > 0 and this_year["trained_cadres"] >= 209


def test_bazhong_preset_reproduces_the_published_figures():
    with transaction.atomic():
        seed_cadres("enyang", seed=3)
        enyang_alone = enyang_rows()
        transaction.set_rollback(True)
    seed_cadres("bazhong", seed=3)
    assert enyang_rows() == enyang_alone, "恩阳区 must be the same in every preset"

    client = city_admin_client()
    for year, published in PUBLISHED.items():
        figures = client.get(f"{STATS}?year={year}").json()
        assert figures["region"]["name"] == "巴中市"
        assert figures["villages"] == 2228 and figures["secretaries"] == 2228
        for level, share in zip(LEVELS, published["shares"], strict=True):
            assert abs(figures["education_shares"][level] - share) <= 0.5, (year, level)
        assert abs(figures["average_age"] - published["age"]) <= 0.5, year

    series = client.get(f"{STATS}series/?from_year=2014&to_year=2019").json()["years"]
    assert sum(row["resignations"] for row in series) == 774
    assert series[-1]["exchange_secretaries"] == 25
    assert series[0]["exchange_secretaries"] == 0

    figures = client.get(f"{STATS}?year=2019").json()
    assert (figures["reserve_count"], figures["reserve_returned_migrants"]) == (5650, 2050)
    pay = {row["role"]: row for row in figures["pay_by_role"]}
    for role in ("secretary", "director", "clerk", "group_leader"):
        low, high = PAY_UNTIL_2019[role]
        assert low <= float(pay[role]["minimum"]) and float(pay[role]["maximum"]) <= high, role
        assert pay[role]["with_pay"] == pay[role]["positions"]
