"""Rankings at the service level: weights, runs, idempotency, immutability, escalations, candidates."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from apps.collective_economy import services as economy_services
from apps.core.actors import SYSTEM
from apps.core.periods import Month
from apps.rankings import indicators, services
from apps.rankings.models import (
    CandidateStatus,
    Escalation,
    Ranking,
    RankingEntry,
    RankingKind,
    RankingStatus,
    WeakCandidate,
)
from apps.rankings.services import bottom_entries
from apps.villages import services as village_services
from apps.villages.models import Rating, RatingLevel, Rectification

from .conftest import log_days, make_team

pytestmark = pytest.mark.django_db

JAN = Month(2025, 1)


# Configurations


@pytest.mark.parametrize(
    "weights",
    [
        {"team_duty_rate": 90},
        {"team_duty_rate": 101},
        {"team_duty_rate": 110, "team_evaluation": -10},
        {"branch_rating": 100},  # not an indicator of work teams
        {},
        {"team_duty_rate": "lots"},
    ],
)
def test_weights_that_do_not_sum_to_100_or_are_not_valid_are_refused(world, weights, english):
    with pytest.raises(ValidationError) as info:
        services.configuration_create(
            actor=world.county_admin,
            county=world.county,
            kind=RankingKind.WORK_TEAM,
            valid_from=datetime.date(2025, 1, 1),
            weights=weights,
        )
    assert "weights" in info.value.message_dict


def test_weights_summing_to_100_are_stored_and_used_by_later_runs_only(world):
    team = make_team(world.village)
    log_days(team.member, JAN, 31)
    first = services.ranking_run(actor=world.county_admin, kind="work_team", period=JAN, county=world.county)
    assert first.configuration is None and first.weights == {"team_duty_rate": 100}
    config = services.configuration_create(
        actor=world.county_admin,
        county=world.county,
        kind=RankingKind.WORK_TEAM,
        valid_from=datetime.date(2025, 2, 1),
        weights={"team_duty_rate": Decimal("60.5"), "team_evaluation": Decimal("39.5")},
        bottom_n=2,
    )
    assert config.weights == {"team_duty_rate": 60.5, "team_evaluation": 39.5}
    feb = services.ranking_run(
        actor=world.county_admin, kind="work_team", period=Month(2025, 2), county=world.county
    )
    assert feb.configuration == config and feb.weights == config.weights
    again = services.ranking_run(actor=world.county_admin, kind="work_team", period=JAN, county=world.county)
    assert again.configuration is None  # January keeps the configuration in force then


def test_only_admins_of_the_county_configure(world):
    args = {"kind": "work_team", "valid_from": datetime.date(2025, 1, 1), "weights": {"team_duty_rate": 100}}
    with pytest.raises(PermissionDenied):
        services.configuration_create(actor=world.township_staff, county=world.county, **args)
    with pytest.raises(PermissionDenied):
        services.configuration_create(actor=world.other_county_admin, county=world.county, **args)
    assert services.configuration_create(actor=world.city_admin, county=world.county, **args).pk


# Runs


def test_default_work_team_score_is_the_on_duty_rate_of_api_md(world):
    full, half = make_team(world.village), make_team(world.other_village)
    log_days(full.member, JAN, 31)
    log_days(half.member, JAN, 15)
    ranking = services.ranking_run(actor=SYSTEM, kind="work_team", period="2025-01", county=world.county)
    entries = {e.subject_id: e for e in ranking.entries.all()}
    assert entries[full.pk].score == Decimal("100.00") and entries[full.pk].rank == 1
    assert entries[half.pk].score == Decimal("48.39")  # 100 × 15 ÷ 31
    assert entries[half.pk].breakdown[0]["indicator"] == "team_duty_rate"
    assert entries[half.pk].breakdown[0]["contribution"] == 48.39
    assert ranking.status == RankingStatus.DRAFT and ranking.subjects == 2
    assert ranking.inputs_read_at <= ranking.computed_at


def test_competition_ranking_gives_ties_the_same_rank(draft):
    ranking = draft({"a": 90, "b": 80, "c": 80, "d": 70})
    assert list(ranking.entries.order_by("rank", "subject_name").values_list("subject_name", "rank")) == [
        ("a", 1),
        ("b", 2),
        ("c", 2),
        ("d", 4),
    ]


def test_a_re_run_replaces_the_draft_in_place(world):
    team = make_team(world.village)
    log_days(team.member, JAN, 10)
    first = services.ranking_run(actor=SYSTEM, kind="work_team", period=JAN, county=world.county)
    first_entry = first.entries.get()
    assert first_entry.score == Decimal("32.26")
    team.member.duty_logs.filter(on_duty=False).update(on_duty=True)
    second = services.ranking_run(actor=SYSTEM, kind="work_team", period=JAN, county=world.county)
    assert second.pk == first.pk
    assert Ranking.objects.filter(kind="work_team", period="2025-01", county=world.county).count() == 1
    assert list(RankingEntry.objects.filter(ranking=second).values_list("score", flat=True)) == [
        Decimal("100.00")
    ]
    assert not RankingEntry.objects.filter(pk=first_entry.pk).exists()


def test_a_published_snapshot_never_changes_when_its_inputs_change(world, english):
    team = make_team(world.village)
    log_days(team.member, JAN, 31)
    ranking = services.ranking_run(actor=SYSTEM, kind="work_team", period=JAN, county=world.county)
    services.ranking_publish(actor=world.county_admin, ranking=ranking)
    before = list(RankingEntry.objects.filter(ranking=ranking).values("pk", "score", "rank", "breakdown"))
    team.member.duty_logs.update(on_duty=False)
    with pytest.raises(ValidationError, match="published"):
        services.ranking_run(actor=SYSTEM, kind="work_team", period=JAN, county=world.county)
    assert (
        list(RankingEntry.objects.filter(ranking=ranking).values("pk", "score", "rank", "breakdown"))
        == before
    )
    ranking.refresh_from_db()
    assert ranking.status == RankingStatus.PUBLISHED


def test_publishing_twice_is_a_clear_error(draft, world, english):
    ranking = draft({"a": 1})
    services.ranking_publish(actor=world.county_admin, ranking=ranking)
    with pytest.raises(ValidationError, match="already published"):
        services.ranking_publish(actor=world.county_admin, ranking=ranking)


def test_a_failed_run_leaves_the_previous_draft_intact(world):
    team = make_team(world.village)
    log_days(team.member, JAN, 31)
    ranking = services.ranking_run(actor=SYSTEM, kind="work_team", period=JAN, county=world.county)
    before = list(ranking.entries.values("pk", "score"))

    def broken(ctx):
        raise RuntimeError("database went away half-way")

    object.__setattr__(indicators.INDICATORS["team_duty_rate"], "compute", broken)
    with pytest.raises(RuntimeError):
        services.ranking_run(actor=SYSTEM, kind="work_team", period=JAN, county=world.county)
    assert list(Ranking.objects.get(pk=ranking.pk).entries.values("pk", "score")) == before


@pytest.fixture(autouse=True)
def _restore_indicators():
    saved = {code: indicator.compute for code, indicator in indicators.INDICATORS.items()}
    yield
    for code, compute in saved.items():
        object.__setattr__(indicators.INDICATORS[code], "compute", compute)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"kind": "district", "period": "2025"}, "kind"),
        ({"kind": "village", "period": "2099"}, "period"),
        ({"kind": "village", "period": "2025-13"}, "period"),
    ],
)
def test_bad_runs_are_refused_with_a_clear_error(world, kwargs, field, english):
    with pytest.raises(ValidationError) as info:
        services.ranking_run(actor=world.county_admin, county=world.county, **kwargs)
    assert field in info.value.message_dict


def test_a_county_outside_the_callers_region_is_refused(world):
    with pytest.raises(PermissionDenied):
        services.ranking_run(
            actor=world.other_county_admin, kind="village", period="2025", county=world.county
        )
    with pytest.raises(PermissionDenied):
        services.ranking_run(actor=world.township_staff, kind="village", period="2025", county=world.county)


def test_village_ranking_explains_every_score_and_treats_missing_data_as_documented(world):
    economy_services.income_create(
        actor=SYSTEM, village=world.village, year=2025, operating=Decimal("80000"), resource=Decimal("20000")
    )
    economy_services.income_create(actor=SYSTEM, village=world.village, year=2024, operating=Decimal("50000"))
    ranking = services.ranking_run(actor=SYSTEM, kind="village", period="2025", county=world.county)
    assert ranking.subjects == 3
    entry = ranking.entries.get(subject_id=world.village.pk)
    items = {item["indicator"]: item for item in entry.breakdown}
    assert set(items) == set(indicators.DEFAULT_WEIGHTS["village"])
    assert items["income_total"]["value"] == 100000.0 and items["income_total"]["normalised"] == 100.0
    assert items["income_growth"]["value"] == 100.0 and items["income_growth"]["normalised"] == 100.0
    assert items["income_operating_share"]["normalised"] == 80.0
    # No rating, no cadres in office, no team, no bank: left out and listed, never a crash.
    assert {"branch_rating", "cadre_age", "team_duty_rate", "morality_participation"} <= set(entry.missing)
    assert items["branch_rating"]["missing"] is True and items["branch_rating"]["contribution"] == 0
    present = [i for i in entry.breakdown if not i["missing"]]
    assert float(entry.score) == pytest.approx(sum(i["contribution"] for i in present), abs=0.05)
    other = ranking.entries.get(subject_id=world.village2.pk)
    assert {i["indicator"]: i for i in other.breakdown}["income_total"]["value"] == 0  # no record: 0
    assert entry.rank == 1


def test_township_score_is_the_mean_of_its_villages(world):
    economy_services.income_create(
        actor=SYSTEM, village=world.village, year=2025, operating=Decimal("100000")
    )
    villages = services.ranking_run(actor=SYSTEM, kind="village", period="2025", county=world.county)
    townships = services.ranking_run(actor=SYSTEM, kind="township", period="2025", county=world.county)
    scores = dict(villages.entries.values_list("subject_id", "score"))
    mean = (scores[world.village.pk] + scores[world.village2.pk]) / 2
    entry = townships.entries.get(subject_id=world.township.pk)
    assert entry.score == mean.quantize(Decimal("0.01"))
    assert townships.entries.get(subject_id=world.other_township.pk).score == scores[world.other_village.pk]


def test_query_count_of_a_run_does_not_grow_with_the_villages(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def run(period):
        with CaptureQueriesContext(connection) as queries:
            services.ranking_run(actor=SYSTEM, kind="village", period=period, county=world.county)
        return len(queries)

    small = run("2024")  # 3 villages
    for n in range(4):
        village_services.village_create(
            actor=SYSTEM, township=world.other_township, code=f"51190300201{n}", name=f"新村{n}"
        )
        economy_services.income_create(
            actor=SYSTEM, village=world.village, year=2020 + n, operating=Decimal("1000")
        )
    make_team(world.village)
    assert run("2025") == small  # 7 villages, more inputs: the same queries


# Escalations


def test_bottom_three_escalate_one_level_per_consecutive_month_and_a_month_outside_resets(draft, world):
    others = {f"t{i}": 50 + i for i in range(5)}

    def month(n, with_x_at_bottom):
        scores = {**others, "x": 10 if with_x_at_bottom else 99}
        ranking = draft(scores, period=f"2025-{n:02d}")
        services.ranking_publish(actor=world.county_admin, ranking=ranking)
        return Escalation.objects.filter(ranking=ranking, subject_id=draft.ids["x"]).first()

    levels = [month(1, True), month(2, True), month(3, True)]
    assert [(e.level, e.consecutive) for e in levels] == [
        ("interview", 1),
        ("admonishment", 2),
        ("organisational", 3),
    ]
    assert month(4, False) is None
    fifth = month(5, True)
    assert (fifth.level, fifth.consecutive) == ("interview", 1)
    assert fifth.ranking.period == "2025-05"
    # The two others of each month's bottom three escalated with it (t0, t1).
    assert Escalation.objects.filter(subject_id=draft.ids["t0"]).count() == 5


def test_ties_at_the_bottom_all_escalate(draft, world):
    ranking = draft({"a": 90, "b": 80, "c": 70, "d": 70, "e": 70, "f": 60}, period="2025-03")
    # ranks 1, 2, 3, 3, 3, 6: the bottom three places hold f and the three tied at 3
    services.ranking_publish(actor=world.county_admin, ranking=ranking)
    assert set(Escalation.objects.filter(ranking=ranking).values_list("subject_name", flat=True)) == {
        "c",
        "d",
        "e",
        "f",
    }


def test_bottom_three_of_1_2_2_4(draft):
    ranking = draft({"a": 9, "b": 5, "c": 5, "d": 1})
    assert {e.subject_name for e in bottom_entries(list(ranking.entries.all()), 3)} == {"b", "c", "d"}


def test_yearly_and_village_rankings_do_not_escalate(draft, world):
    ranking = draft({"a": 1, "b": 2}, period="2025")
    services.ranking_publish(actor=world.county_admin, ranking=ranking)
    assert not Escalation.objects.exists()


def test_the_talk_is_recorded_on_the_escalation(draft, world, english):
    ranking = draft({"a": 1}, period="2025-01")
    services.ranking_publish(actor=world.county_admin, ranking=ranking)
    escalation = Escalation.objects.get()
    with pytest.raises(ValidationError) as info:
        services.escalation_record_talk(
            actor=world.county_admin, escalation=escalation, talk_date=datetime.date(2024, 12, 1), talk_by=""
        )
    assert set(info.value.message_dict) == {"talk_date", "talk_by"}
    services.escalation_record_talk(
        actor=world.county_admin,
        escalation=escalation,
        talk_date=datetime.date(2025, 2, 3),
        talk_by="组织部副部长",
        talk_notes="约谈记录",
    )
    escalation.refresh_from_db()
    assert escalation.talk_recorded and escalation.recorded_by == world.county_admin


# Weak-and-lax candidates


def test_yearly_village_ranking_proposes_candidates_and_confirming_creates_the_weak_rating(world):
    org = village_services.organisation_create(
        actor=SYSTEM, villages=[world.village], name="红旗村党支部", kind="branch"
    )
    org2 = village_services.organisation_create(
        actor=SYSTEM, villages=[world.village2], name="白鹤村党支部", kind="branch"
    )
    economy_services.income_create(
        actor=SYSTEM, village=world.village2, year=2025, operating=Decimal("90000")
    )
    economy_services.income_create(actor=SYSTEM, village=world.village, year=2025)  # empty shell
    services.configuration_create(
        actor=world.county_admin,
        county=world.county,
        kind="village",
        valid_from=datetime.date(2025, 1, 1),
        weights={"income_total": 100},
        bottom_n=1,
    )
    # 白鹤村 was rated weak in 2024; its case was due by mid-2025 and is still open at the end of 2025.
    village_services.rating_create(actor=SYSTEM, organisation=org2, year=2024, level="weak")
    village_services.rectification_update(
        actor=SYSTEM,
        rectification=Rectification.objects.get(organisation=org2, year=2024),
        opened_on=datetime.date(2024, 12, 1),
        deadline=datetime.date(2025, 6, 30),
    )
    ranking = services.ranking_run(actor=SYSTEM, kind="village", period="2025", county=world.county)
    services.ranking_publish(actor=world.county_admin, ranking=ranking)
    candidates = {c.organisation_id: c for c in WeakCandidate.objects.filter(ranking=ranking)}
    codes = {pk: [r["code"] for r in c.reasons] for pk, c in candidates.items()}
    # 红旗村: bottom (tied with 柳林村 at 0), no secretary, empty shell; 白鹤村: vacant post, overdue case
    assert codes[org.pk] == ["bottom_n", "secretary_vacant", "empty_income"]
    assert codes[org2.pk] == ["secretary_vacant", "overdue_rectification"]
    candidate = candidates[org.pk]
    services.candidate_confirm(actor=world.county_admin, candidate=candidate)
    candidate.refresh_from_db()
    rating = Rating.objects.get(organisation=org, year=2025)
    assert rating.level == RatingLevel.WEAK and candidate.rating == rating
    assert candidate.status == CandidateStatus.CONFIRMED
    assert Rectification.objects.filter(organisation=org, year=2025).exists()  # the service opened the case
    with pytest.raises(ValidationError):
        services.candidate_confirm(actor=world.county_admin, candidate=candidate)
