"""The fourteen figures: a page each, the same numbers in the table, the .xlsx and the SVG, within scope."""

import io
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from apps.dashboard.figures import FIGURES, FigureContext, compute
from apps.dashboard.scope import Scope

from .conftest import YEAR

pytestmark = pytest.mark.django_db
RANGE = f"year_from={YEAR - 5}&year_to={YEAR}"


def client_for(user):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def figure_url(number, scope="", kind="detail"):
    names = {
        "detail": "dashboard:figure_detail",
        "xlsx": "dashboard:figure_xlsx",
        "svg": "dashboard:figure_svg",
    }
    query = f"{RANGE}&scope={scope}" if scope else RANGE
    return f"{reverse(names[kind], args=[number])}?{query}"


def test_every_figure_has_a_page_an_xlsx_and_an_svg_with_the_same_numbers(
    world, data, django_assert_max_num_queries
):
    client = client_for(world.county_admin)
    assert sorted(FIGURES) == list(range(1, 15))
    for number in FIGURES:
        with django_assert_max_num_queries(45):  # six years of cadre figures are the most
            page = client.get(figure_url(number))
        assert page.status_code == 200, number
        figure = page.context["figure"]
        assert figure.number == number

        workbook = load_workbook(io.BytesIO(client.get(figure_url(number, kind="xlsx")).content))
        sheet = workbook.active
        rows = [
            list(row)
            for row in sheet.iter_rows(min_row=4, max_row=3 + 1 + len(figure.rows), values_only=True)
        ]
        assert rows[0] == figure.headers
        expected = [[float(v) if isinstance(v, Decimal) else v for v in row] for row in figure.rows]
        assert rows[1:] == expected, number

        svg = client.get(figure_url(number, kind="svg"))
        assert svg["Content-Type"].startswith("image/svg+xml")
        root = ET.fromstring(svg.content)  # noqa: S314 - our own server-rendered SVG
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
        assert figure.title in svg.content.decode()


def test_figures_read_the_region_asked_for(world, data):
    county = client_for(world.county_admin)
    ratings = county.get(figure_url(2)).context["figure"]
    row = ratings.rows[-1]  # YEAR: 红旗村 advanced, 柳林村 ordinary, 白鹤村 weak (江北村 is 巴州区's)
    assert row[:4] == [str(YEAR), 1, 1, 1]
    township = county.get(figure_url(2, scope=f"township:{world.township.pk}")).context["figure"]
    assert township.rows[-1][:4] == [str(YEAR), 1, 0, 1]

    brackets = county.get(figure_url(10)).context["figure"]
    assert brackets.categories == [str(YEAR)]
    assert [s.values[0] for s in brackets.series[:6]] == [0, 1, 0, 1, 1, 0]
    assert f"county={world.county.pk}" in brackets.series[1].links[0]

    sources = county.get(figure_url(14)).context["figure"]
    by_key = {s.key: s.values[0] for s in sources.series}
    assert by_key["operating"] == Decimal("180000.00") and by_key["total"] == Decimal("193000.00")

    city = client_for(world.city_admin).get(figure_url(10)).context["figure"]
    assert [s.values[0] for s in city.series[:6]] == [0, 1, 0, 1, 1, 1]


def test_survey_figure_uses_the_county_survey_or_the_city_wide_one(world, data):
    county = client_for(world.county_admin).get(
        f"{reverse('dashboard:figure_detail', args=[12])}?year_from=2014&year_to=2024"
    )
    assert county.context["figure"].categories == ["扶贫政策掌握不到位"]
    city = client_for(world.city_admin).get(
        f"{reverse('dashboard:figure_detail', args=[12])}?year_from=2014&year_to=2024"
    )
    assert city.context["figure"].categories == ["抓党建促脱贫工作思路不清", "党组织服务能力不强"]
    assert city.context["figure"].series[0].values == [Decimal("38.00"), Decimal("29.00")]
    # The township reads its county's survey; the other county's admin sees neither.
    township = client_for(world.township_staff).get(
        f"{reverse('dashboard:figure_detail', args=[12])}?year_from=2014&year_to=2024"
    )
    assert township.context["figure"].categories == ["扶贫政策掌握不到位"]
    other = client_for(world.other_county_admin).get(
        f"{reverse('dashboard:figure_detail', args=[12])}?year_from=2014&year_to=2024"
    )
    assert other.context["figure"].categories == []


def test_figure_pages_offer_the_users_regions_only(world):
    page = client_for(world.county_admin).get(figure_url(1))
    keys = [choice.key for choice, _depth in page.context["region_choices"]]
    assert keys == [
        f"county:{world.county.pk}",
        f"township:{world.township.pk}",
        f"township:{world.other_township.pk}",
    ]
    page = client_for(world.city_admin).get(figure_url(1, scope=f"township:{world.far_township.pk}"))
    keys = [choice.key for choice, _depth in page.context["region_choices"]]
    assert keys == [
        f"city:{world.city.pk}",
        f"county:{world.other_county.pk}",
        f"township:{world.far_township.pk}",
    ]


def test_figures_never_reach_beyond_the_users_region(world, data):
    township = client_for(world.township_staff)
    for number in (1, 10):
        assert township.get(figure_url(number, scope=f"county:{world.county.pk}")).status_code == 404
        assert (
            township.get(figure_url(number, scope=f"township:{world.other_township.pk}")).status_code == 404
        )
        assert (
            township.get(figure_url(number, scope=f"township:{world.township.pk}", kind="xlsx")).status_code
            == 200
        )
    county = client_for(world.county_admin)
    assert county.get(figure_url(10, scope=f"county:{world.other_county.pk}", kind="xlsx")).status_code == 404
    assert county.get(figure_url(10, scope=f"city:{world.city.pk}", kind="svg")).status_code == 404
    assert (
        client_for(world.county_admin).get(reverse("dashboard:figure_detail", args=[15])).status_code == 404
    )


def test_figure_queries_do_not_grow_with_villages(world, data, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from apps.collective_economy import services as economy
    from apps.core.actors import SYSTEM
    from apps.villages import services as villages

    scope = Scope("county", world.county)

    def counts():
        result = {}
        for number in FIGURES:
            with CaptureQueriesContext(connection) as queries:
                compute(
                    number,
                    FigureContext(user=world.county_admin, scope=scope, year_from=YEAR - 2, year_to=YEAR),
                )
            result[number] = len(queries)
        return result

    before = counts()
    for number in range(3, 13):
        village = villages.village_create(
            actor=SYSTEM, township=world.other_township, code=f"511903002{number:03d}", name=f"新村{number}"
        )
        economy.income_create(actor=SYSTEM, village=village, year=YEAR, resource=number * 100)
    assert counts() == before
