"""Exports of the training list and of the villages short of reserve cadres: filters and scope."""

import datetime

import pytest
from django.utils import timezone

from apps.cadres import services
from apps.core.actors import SYSTEM
from tests.exports import column, logged_in

pytestmark = pytest.mark.django_db

D = datetime.date


def test_training_export_applies_the_filter_and_the_scope(client, world, make_cadre):
    for village, course, start in (
        (world.village, "乡村振兴专题", D(2024, 5, 1)),
        (world.village2, "党务培训", D(2023, 3, 1)),
        (world.far_village, "外县培训", D(2024, 6, 1)),
    ):
        cadre = make_cadre(village, name=f"{village.name}干部")
        services.training_create(actor=SYSTEM, cadre=cadre, course=course, start_date=start, days=3)
    client = logged_in(client, world.county_admin)

    assert column(client.get("/cadres/trainings/export.xlsx"), "Course") == ["乡村振兴专题", "党务培训"]
    assert column(client.get("/cadres/trainings/export.xlsx?year=2024"), "Course") == ["乡村振兴专题"]
    assert column(client.get("/cadres/trainings/export.xlsx?search=党务"), "Cadre") == ["白鹤村干部"]


def test_the_training_page_links_its_export_with_the_filters(client, world):
    client = logged_in(client, world.township_staff)
    assert 'href="/cadres/trainings/export.xlsx?year=2024"' in client.get("/cadres/trainings/?year=2024").text


def test_short_of_reserves_export_applies_the_filter_and_the_scope(client, world, make_reserve):
    make_reserve(world.village, name="后备甲")
    make_reserve(world.village, name="后备乙")  # 红旗村 has the 2 it needs
    year = timezone.localdate().year
    client = logged_in(client, world.county_admin)

    everything = column(client.get(f"/cadres/reserves/short/export.xlsx?year={year}"), "Village")
    assert everything == ["白鹤村", "柳林村"]  # not 红旗村 (enough reserves), not 江北村 (another county)
    one_township = client.get(
        f"/cadres/reserves/short/export.xlsx?year={year}&township={world.other_township.pk}"
    )
    assert column(one_township, "Village") == ["柳林村"]
    assert column(one_township, "Code") == [world.other_village.code]
