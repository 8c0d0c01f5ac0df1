"""Pages: ranking list with run-now, a ranking with sparklines and publish, why-this-score, ledger,
candidates, rectification lists with .xlsx, weights form."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from apps.collective_economy import services as economy_services
from apps.core.actors import SYSTEM
from apps.core.periods import Month
from apps.rankings import services
from apps.rankings.models import Ranking, RankingConfiguration, RankingStatus
from apps.villages import services as village_services

from .conftest import log_days, make_team

pytestmark = pytest.mark.django_db


@pytest.fixture
def login(client):
    from tests.conftest import PASSWORD

    def as_user(user):
        client.login(username=user.username, password=PASSWORD)
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        return client

    return as_user


def test_ranking_pages_with_sparkline_publish_and_why(world, login):
    team = make_team(world.village)
    for n in (1, 2, 3):
        log_days(team.member, Month(2025, n), 10 * n)
        services.ranking_run(actor=SYSTEM, kind="work_team", period=f"2025-{n:02d}", county=world.county)
    march = Ranking.objects.get(period="2025-03")
    client = login(world.county_admin)
    listing = client.get("/rankings/")
    assert listing.status_code == 200 and "2025-03" in listing.text and "run-form" in listing.text
    page = client.get(f"/rankings/{march.pk}/")
    assert page.status_code == 200 and "<polyline" in page.text and "publish-button" in page.text
    why = client.get(f"/rankings/{march.pk}/entries/{team.pk}/")
    assert why.status_code == 200 and "on-duty days" in why.text and "96.77" in why.text
    assert client.post(f"/rankings/{march.pk}/publish/").status_code == 302
    march.refresh_from_db()
    assert march.status == RankingStatus.PUBLISHED
    assert "publish-button" not in client.get(f"/rankings/{march.pk}/").text
    assert "run-form" not in login(world.township_staff).get("/rankings/").text
    assert login(world.other_county_admin).get(f"/rankings/{march.pk}/").status_code == 404


def test_run_now_button_queues_a_job(world, login, monkeypatch):
    queued = []
    monkeypatch.setattr(
        "apps.rankings.tasks.run_ranking.apply_async", lambda **kw: queued.append(kw), raising=False
    )
    response = login(world.county_admin).post(
        "/rankings/", {"kind": "village", "period": "2025", "county": world.county.pk}
    )
    assert response.status_code == 302 and queued[0]["kwargs"]["period"] == "2025"
    refused = login(world.county_admin).post(
        "/rankings/", {"kind": "village", "period": "2099", "county": world.county.pk}
    )
    assert refused.status_code == 200 and "has not started" in refused.text


def test_ledger_talk_candidates_and_confirm(world, login):
    make_team(world.village)
    ranking = services.ranking_run(actor=SYSTEM, kind="work_team", period="2025-01", county=world.county)
    services.ranking_publish(actor=world.county_admin, ranking=ranking)
    client = login(world.county_admin)
    ledger = client.get("/rankings/escalations/")
    assert ledger.status_code == 200 and "Interview" in ledger.text or "interview" in ledger.text
    escalation = ranking.escalations.get()
    response = client.post(
        f"/rankings/escalations/{escalation.pk}/talk/",
        {"talk_date": "2025-02-03", "talk_by": "副部长", "talk_notes": "记录"},
    )
    assert response.status_code == 302
    org = village_services.organisation_create(
        actor=SYSTEM, villages=[world.village], name="红旗村党支部", kind="branch"
    )
    yearly = services.ranking_run(actor=SYSTEM, kind="village", period="2025", county=world.county)
    services.ranking_publish(actor=world.county_admin, ranking=yearly)
    candidates = client.get("/rankings/candidates/")
    assert candidates.status_code == 200 and "红旗村党支部" in candidates.text
    candidate = yearly.weak_candidates.get(organisation=org)
    assert client.post(f"/rankings/candidates/{candidate.pk}/confirm/").status_code == 302
    candidate.refresh_from_db()
    assert candidate.status == "confirmed" and candidate.rating.level == "weak"


def test_rectification_lists_export_xlsx(world, login):
    economy_services.income_create(actor=SYSTEM, village=world.village, year=2025, operating=Decimal("100"))
    client = login(world.county_admin)
    page = client.get("/rankings/lists/")
    assert page.status_code == 200 and world.village.name in page.text
    export = client.get("/rankings/lists/", {"export": "income", "county": world.county.pk})
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == world.village.code and rows[1][1] == world.village.name


def test_weights_form_refuses_a_sum_other_than_100(world, login):
    client = login(world.county_admin)
    form = client.get("/rankings/configurations/new/work_team/")
    assert form.status_code == 200 and "weight_team_duty_rate" in form.text
    data = {
        "county": world.county.pk,
        "valid_from": "2025-01-01",
        "bottom_n": 3,
        "weight_team_duty_rate": "90",
    }
    refused = client.post("/rankings/configurations/new/work_team/", data)
    assert refused.status_code == 200 and "add up to 100" in refused.text
    data["weight_team_evaluation"] = "10"
    assert client.post("/rankings/configurations/new/work_team/", data).status_code == 302
    assert RankingConfiguration.objects.get().weights == {"team_duty_rate": 90, "team_evaluation": 10}
    assert login(world.township_staff).get("/rankings/configurations/new/work_team/").status_code == 403
