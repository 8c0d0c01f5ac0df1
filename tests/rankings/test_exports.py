"""Exports of the ranking lists, of a ranking's entries, the ledger, candidates and weights: filters, scope."""

import datetime

import pytest

from apps.core.actors import SYSTEM
from apps.core.periods import Month
from apps.rankings import services
from apps.rankings.models import RankingKind
from apps.villages import services as village_services
from tests.exports import column, logged_in

from .conftest import log_days, make_team

pytestmark = pytest.mark.django_db


def test_ranking_export_applies_the_filter_and_the_scope(client, world, draft):
    draft({"甲队": 90}, period="2025-01")
    draft({"乙队": 80}, period="2025-02")
    draft({"外县队": 70}, period="2025-02", county=world.other_county)
    client = logged_in(client, world.county_admin)

    everything = client.get("/rankings/export.xlsx")
    assert column(everything, "Period") == ["2025-02", "2025-01"]  # not 巴州区's
    assert column(everything, "County") == ["恩阳区", "恩阳区"]
    assert column(client.get("/rankings/export.xlsx?period=2025-01"), "Subjects") == [1]


def test_entry_export_has_every_entry_in_the_sort_of_the_page(client, world, draft):
    ranking = draft({"甲队": 90, "乙队": 70, "丙队": 80})
    client = logged_in(client, world.county_admin)

    assert column(client.get(f"/rankings/{ranking.pk}/export.xlsx"), "Subject") == ["甲队", "丙队", "乙队"]
    by_rank_down = client.get(f"/rankings/{ranking.pk}/export.xlsx?sort=-rank")
    assert column(by_rank_down, "Rank") == [3, 2, 1]
    page = client.get(f"/rankings/{ranking.pk}/?sort=-rank")
    assert f'href="/rankings/{ranking.pk}/export.xlsx?sort=-rank"' in page.text
    # Entries belong to 登科街道: staff of another township see none, another county not the ranking.
    other = logged_in(client, world.other_township_staff)
    assert column(other.get(f"/rankings/{ranking.pk}/export.xlsx"), "Subject") == []
    assert (
        logged_in(client, world.other_county_admin).get(f"/rankings/{ranking.pk}/export.xlsx").status_code
        == 404
    )


def _published_month(county, village, admin):
    team = make_team(village)
    log_days(team.member, Month(2025, 1), 10)
    ranking = services.ranking_run(actor=SYSTEM, kind="work_team", period="2025-01", county=county)
    return services.ranking_publish(actor=admin, ranking=ranking) or ranking


def test_escalation_export_applies_the_filter_and_the_scope(client, world):
    _published_month(world.county, world.village, world.county_admin)
    _published_month(world.other_county, world.far_village, world.other_county_admin)
    client = logged_in(client, world.county_admin)

    everything = client.get("/rankings/escalations/export.xlsx")
    assert len(column(everything, "Subject")) == 1  # 恩阳区's team only
    assert column(everything, "Month") == ["2025-01"]
    assert column(client.get("/rankings/escalations/export.xlsx?open=false"), "Subject") == []


def test_candidate_export_applies_the_filter_and_the_scope(client, world):
    village_services.organisation_create(
        actor=SYSTEM, villages=[world.village], name="红旗村党支部", kind="branch"
    )
    yearly = services.ranking_run(actor=SYSTEM, kind="village", period="2025", county=world.county)
    services.ranking_publish(actor=world.county_admin, ranking=yearly)

    mine = logged_in(client, world.county_admin)
    assert "红旗村党支部" in column(mine.get("/rankings/candidates/export.xlsx"), "Party organisation")
    assert column(mine.get("/rankings/candidates/export.xlsx?status=confirmed"), "Party organisation") == []
    other = logged_in(client, world.other_county_admin)
    assert column(other.get("/rankings/candidates/export.xlsx"), "Party organisation") == []


def test_configuration_export_has_the_weights_in_scope(client, world):
    for admin, county, note in (
        (world.county_admin, world.county, "恩阳"),
        (world.other_county_admin, world.other_county, "巴州"),
    ):
        services.configuration_create(
            actor=admin,
            county=county,
            kind=RankingKind.WORK_TEAM,
            valid_from=datetime.date(2025, 2, 1),
            weights={"team_duty_rate": 60, "team_evaluation": 40},
            note=note,
        )
    response = logged_in(client, world.county_admin).get("/rankings/configurations/export.xlsx")
    assert column(response, "Note") == ["恩阳"]
    assert column(response, "Weights") == ["team_duty_rate: 60, team_evaluation: 40"]
