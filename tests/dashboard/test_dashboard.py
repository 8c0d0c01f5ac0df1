"""Dashboards per region: never beyond the user's region, panels from the data, drill-down links,
a number of queries that does not grow with the villages."""

import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.collective_economy import services as economy
from apps.core.actors import SYSTEM
from apps.villages import services as villages

from .conftest import YEAR

pytestmark = pytest.mark.django_db

MAX_DASHBOARD_QUERIES = 25


def client_for(user, language="en"):
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def dashboard_url(level, region, year=YEAR):
    return f"{reverse('dashboard:dashboard', args=[level, region.pk])}?year={year}"


def charts(response):
    content = response.content.decode()
    start = content.index('<script id="dashboard-charts" type="application/json">') + len(
        '<script id="dashboard-charts" type="application/json">'
    )
    return json.loads(content[start : content.index("</script>", start)])


def test_each_user_opens_their_region_and_below_never_above_or_beside(world):
    township = client_for(world.township_staff)
    assert township.get(dashboard_url("township", world.township)).status_code == 200
    assert township.get(dashboard_url("county", world.county)).status_code == 404
    assert township.get(dashboard_url("city", world.city)).status_code == 404
    assert township.get(dashboard_url("township", world.other_township)).status_code == 404
    own = township.get(reverse("dashboard:own_dashboard"))
    assert own.status_code == 302 and own["Location"] == reverse(
        "dashboard:dashboard", args=["township", world.township.pk]
    )

    county = client_for(world.county_admin)
    assert county.get(dashboard_url("county", world.county)).status_code == 200
    assert county.get(dashboard_url("township", world.other_township)).status_code == 200
    assert county.get(dashboard_url("county", world.other_county)).status_code == 404
    assert county.get(dashboard_url("township", world.far_township)).status_code == 404
    assert county.get(dashboard_url("city", world.city)).status_code == 404

    city = client_for(world.city_admin)
    for level, region in (
        ("city", world.city),
        ("county", world.other_county),
        ("township", world.far_township),
    ):
        assert city.get(dashboard_url(level, region)).status_code == 200
    # A village "dashboard" is the village's own page.
    response = city.get(dashboard_url("village", world.village))
    assert response.status_code == 302 and response["Location"] == reverse(
        "villages:village_detail", args=[world.village.pk]
    )
    assert client_for(world.village_clerk).get(dashboard_url("township", world.township)).status_code == 404


def test_county_dashboard_shows_the_numbers_and_drills_down_to_townships(world, data):
    response = client_for(world.county_admin).get(dashboard_url("county", world.county))
    assert response.status_code == 200
    context = response.context
    assert context["data"]["villages"]["totals"]["villages"] == 3  # 恩阳区 only, not 巴州区
    assert context["data"]["rectifications"]["open"] == 1  # 白鹤村's weak rating opened a case
    assert context["data"]["ratings"]["year"]["advanced"] == 1
    assert context["data"]["ratings"]["year"]["weak"] == 1
    assert context["data"]["ratings"]["year"]["ordinary"] == 1

    drawn = charts(response)
    assert drawn["children"]["categories"] == ["登科街道", "柳林镇"]
    assert drawn["children"]["links"] == [
        dashboard_url("township", world.township),
        dashboard_url("township", world.other_township),
    ]
    # Brackets: 白鹤村 under 10,000; 红旗村 50k–100k; 柳林村 100k–500k; 江北村 (巴州区) is not counted.
    assert drawn["brackets"]["series"][0]["values"] == [0, 1, 0, 1, 1, 0]
    assert (
        f"county={world.county.pk}" in drawn["brackets"]["links"][1]
        and "bracket=lt_10k" in drawn["brackets"]["links"][1]
    )
    assert [row["region_name"] for row in context["data"]["ratings"]["by_region"]] == ["登科街道", "柳林镇"]

    # Every panel links to the list behind it, filtered to the region.
    content = response.content.decode()
    for url_name in ("villages:village_list", "villages:rectification_board", "cadres:cadre_list"):
        assert f"{reverse(url_name)}?county={world.county.pk}" in content

    township = client_for(world.county_admin).get(dashboard_url("township", world.township))
    assert township.context["data"]["villages"]["totals"]["villages"] == 2
    assert charts(township)["children"]["links"] == [
        reverse("villages:village_detail", args=[world.village.pk]),
        reverse("villages:village_detail", args=[world.village2.pk]),
    ]


def test_city_dashboard_queries_do_not_grow_with_villages(world, data):
    client = client_for(world.city_admin)
    url = dashboard_url("city", world.city)
    client.get(url)  # warm caches (settings lookups, sessions)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    assert len(small) <= MAX_DASHBOARD_QUERIES

    for number in range(3, 23):
        village = villages.village_create(
            actor=SYSTEM,
            township=world.other_township,
            code=f"511903002{number:03d}",
            name=f"新村{number}",
            population_registered=500,
        )
        organisation = villages.organisation_create(
            actor=SYSTEM, name=f"中共新村{number}支部", kind="branch", villages=[village]
        )
        villages.rating_create(actor=SYSTEM, organisation=organisation, year=YEAR, level="ordinary")
        economy.income_create(actor=SYSTEM, village=village, year=YEAR, operating=number * 1000)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert response.context["data"]["villages"]["totals"]["villages"] == 24
    assert len(large) == len(small)


def test_dashboards_show_the_latest_published_village_ranking_and_open_escalations(world, data, draft):
    from apps.rankings import services as rankings

    ranking = rankings.ranking_run(actor=SYSTEM, kind="village", period=str(YEAR), county=world.county)
    county_page = client_for(world.county_admin).get(dashboard_url("county", world.county))
    assert county_page.context["data"]["rankings"]["ranking"] is None  # a draft is not shown

    rankings.ranking_publish(actor=world.county_admin, ranking=ranking)
    monthly = draft({"甲队": 90, "乙队": 80, "丙队": 70, "丁队": 60}, period=f"{YEAR}-03")
    rankings.ranking_publish(actor=world.county_admin, ranking=monthly)

    county_page = client_for(world.county_admin).get(dashboard_url("county", world.county))
    panel = county_page.context["data"]["rankings"]
    assert panel["ranking"] == ranking
    assert [e.subject_name for e in panel["top"]] == [
        e.subject_name for e in ranking.entries.order_by("rank", "subject_name", "pk")
    ]
    assert {e.subject_name for e in panel["bottom"]} == {"红旗村", "白鹤村", "柳林村"}
    assert panel["open_escalations"] == 3  # the bottom three of four teams
    assert "乙队" in county_page.content.decode()

    township_page = client_for(world.township_staff).get(dashboard_url("township", world.township))
    names = {e.subject_name for e in township_page.context["data"]["rankings"]["top"]}
    assert names == {"红旗村", "白鹤村"}  # 柳林村 is in another township

    other_county = client_for(world.other_county_admin).get(dashboard_url("county", world.other_county))
    assert other_county.context["data"]["rankings"] == {
        "ranking": None,
        "top": None,
        "bottom": None,
        "escalations": [],
        "open_escalations": 0,
    }
