"""The integrity watch: each detector finds the planted anomalies and not the controls; the bunching
statistic on synthetic distributions; idempotent re-runs; scope; the API contract; the page."""

import datetime
import random
from decimal import Decimal

import pytest
from django.urls import reverse

from apps.assistance.models import AssistanceMeasure, Household, HouseholdIncome
from apps.cadres.models import Cadre
from apps.collective_economy.models import Income
from apps.core.actors import SYSTEM
from apps.rankings.integrity.bunching import band_counts, bunching_statistic
from apps.rankings.integrity.detectors import (
    DETECTOR_LABELS,
    Detector,
    award_loop,
    cadre_points,
    duty_burst,
    duty_copied,
    duty_training,
    household_bunching,
    months_before,
    no_measure,
    overloaded_cadre,
    township_bunching,
    village_exit,
)
from apps.rankings.integrity.selectors import township_bunching_ranking
from apps.rankings.integrity.services import integrity_run
from apps.rankings.models import Finding
from apps.villages.models import Village
from tests.exports import column, logged_in

from .conftest import id_number

AS_OF = datetime.date(2026, 11, 1)
LINE_2019 = Decimal("3747")  # the dated national line of 2019 (assistance migration 0003)


def household(village, name, *, status="poor", exit_year=None, cadre=None, income_2019=None):
    h = Household.objects.create(
        village=village,
        head_name=name,
        head_id_number=id_number(village.code[:6]),
        size=3,
        cause="illness",
        status=status,
        exit_year=exit_year,
        paired_cadre=cadre,
        registered_on=datetime.date(2014, 5, 1),
    )
    if income_2019 is not None:
        HouseholdIncome.objects.create(household=h, year=2019, per_capita_net_income=income_2019)
    return h


def cadre(village, name):
    return Cadre.objects.create(
        village=village,
        name=name,
        gender="male",
        id_number=id_number(village.code[:6]),
        birth_date=datetime.date(1980, 1, 1),
        education="college",
    )


def subjects(drafts):
    return {d.subject_id for d in drafts}


# 1. Bunching: the statistic on synthetic distributions


def test_bunching_statistic_is_flat_for_a_smooth_distribution_and_high_with_bunching():
    rng = random.Random(7)
    smooth = [rng.uniform(0.8, 1.3) for _ in range(2000)]
    stat = bunching_statistic(band_counts(smooth, Decimal("0.05")))
    assert abs(stat.log_ratio) < 0.25 and abs(stat.z) < 3
    # Move a third of the households just below the line to just above it (ledgers computed to clear it).
    bunched = [r + 0.06 if 0.94 <= r < 1.0 and rng.random() < 0.66 else r for r in smooth]
    stat = bunching_statistic(band_counts(bunched, Decimal("0.05")))
    assert stat.log_ratio > 0.5 and stat.z > 5
    assert bunching_statistic({0: 0}).log_ratio == 0  # no data: nothing to see


def test_band_counts_put_the_line_itself_in_band_zero():
    counts = band_counts(
        [Decimal("1.00"), Decimal("1.049"), Decimal("0.999"), Decimal("1.05"), 2], Decimal("0.05")
    )
    assert counts == {-2: 0, -1: 1, 0: 2, 1: 1, 2: 0}


def test_months_before_clamps_to_the_end_of_the_month():
    assert months_before(datetime.date(2026, 8, 31), 6) == datetime.date(2026, 2, 28)
    assert months_before(datetime.date(2026, 3, 15), 6) == datetime.date(2025, 9, 15)


# 1. Bunching: households and townships in the database


@pytest.fixture
def bunching(world):
    from apps.core.models import Setting

    w = world
    # The dated line of 2019 as migration 0004 adds it (a transactional test elsewhere may have flushed it).
    Setting.objects.get_or_create(
        key="assistance.poverty_line",
        county=None,
        valid_from=datetime.date(2019, 1, 1),
        defaults={"value": "3747"},
    )
    w.just_above = household(
        w.village, "刚过线", status="exited", exit_year=2019, income_2019=Decimal("3800")
    )
    w.well_above = household(
        w.village, "远高线", status="exited", exit_year=2019, income_2019=Decimal("5200")
    )
    w.poor_near = household(w.village, "未脱贫", income_2019=Decimal("3790"))  # not an exit year
    HouseholdIncome.objects.create(household=w.well_above, year=2018, per_capita_net_income=Decimal("3540"))
    w.far = household(
        w.far_village, "外县刚过线", status="exited", exit_year=2019, income_2019=Decimal("3760")
    )
    # 登科街道 piles up just above the line; 柳林镇 is smooth around it (two per band).
    for ratio, count in (
        (Decimal("0.92"), 1),
        (Decimal("0.97"), 1),
        (Decimal("1.02"), 8),
        (Decimal("1.07"), 1),
    ):
        for i in range(count):
            household(
                w.village2, f"登科{ratio}-{i}", income_2019=(LINE_2019 * ratio).quantize(Decimal("0.01"))
            )
    for ratio in (Decimal("0.92"), Decimal("0.97"), Decimal("1.02"), Decimal("1.07"), Decimal("1.12")):
        for i in range(2):
            household(
                w.other_village, f"柳林{ratio}-{i}", income_2019=(LINE_2019 * ratio).quantize(Decimal("0.01"))
            )
    return w


def test_household_bunching_flags_exit_incomes_just_above_the_line(bunching):
    w = bunching
    drafts = household_bunching(SYSTEM, w.county, AS_OF)
    assert subjects(drafts) == {w.just_above.pk}
    (draft,) = drafts
    assert draft.period == "2019" and draft.village_id == w.village.pk and draft.township_id == w.township.pk
    assert draft.evidence == {
        "income": "3800.00",
        "line": "3747.00",
        "percent_above": "1.41",
        "band_percent": "5.00",
    }
    assert subjects(household_bunching(SYSTEM, w.other_county, AS_OF)) == {w.far.pk}


def test_township_bunching_flags_the_bunched_township_and_ranks_townships(bunching):
    w = bunching
    drafts = township_bunching(SYSTEM, w.county, AS_OF)
    assert subjects(drafts) == {w.township.pk}
    (draft,) = drafts
    # 登科街道: 8 planted + 刚过线 + 未脱贫 in band 0, neighbours 1, 1, 1, 0 → mean 0.75
    assert draft.evidence["bands"] == {"-2": 1, "-1": 1, "0": 10, "1": 1, "2": 0}
    assert draft.evidence["above"] == 10 and draft.evidence["log_ratio"] > 2
    ranking = township_bunching_ranking(w.county_admin, year=2019, as_of=AS_OF)
    assert [(row.rank, row.township, row.flagged) for row in ranking] == [
        (1, w.township, True),
        (2, w.other_township, False),
    ]
    assert ranking[1].statistic.log_ratio == 0 and ranking[1].band_counts == [2, 2, 2, 2, 2]


# 2. Village exit just over the bar


def test_village_exit_flags_a_collective_income_just_over_the_bar(world):
    w = world
    Village.objects.filter(pk__in=[w.village.pk, w.village2.pk, w.other_village.pk]).update(
        poverty_status="poor", exit_year=2018
    )
    Income.objects.create(village=w.village, year=2018, operating=Decimal("7500"))  # 6.25 per resident
    Income.objects.create(village=w.village2, year=2018, operating=Decimal("9000"))  # 10.00: well over
    Income.objects.create(village=w.other_village, year=2019, operating=Decimal("5000"))  # not the exit year
    drafts = village_exit(SYSTEM, w.county, AS_OF)
    assert subjects(drafts) == {w.village.pk}
    assert drafts[0].evidence["per_capita"] == "6.25" and drafts[0].evidence["bar"] == "6.00"


# 4. Assistance on paper


@pytest.fixture
def pairing(world):
    w = world
    w.busy = cadre(w.village, "忙干部")
    w.ok = cadre(w.village, "正常干部")
    w.idle = household(w.village, "久未帮扶", cadre=w.ok)
    w.never = household(w.village, "从未帮扶", cadre=w.ok)
    w.helped = household(w.village, "近期帮扶", cadre=w.ok)
    w.unpaired = household(w.village, "未结对")
    w.exited = household(w.village, "已脱贫", status="exited", exit_year=2019, cadre=w.ok)
    AssistanceMeasure.objects.create(household=w.idle, kind="industry", date=datetime.date(2025, 12, 31))
    AssistanceMeasure.objects.create(household=w.helped, kind="industry", date=datetime.date(2026, 9, 1))
    AssistanceMeasure.objects.create(household=w.helped, kind="industry", date=datetime.date(2024, 1, 1))
    for i in range(6):
        h = household(w.village2, f"忙户{i}", cadre=w.busy)
        AssistanceMeasure.objects.create(household=h, kind="industry", date=datetime.date(2026, 10, 1))
    for i in range(2):  # exited households do not count towards the maximum
        household(w.village2, f"正常已脱贫{i}", status="exited", exit_year=2020, cadre=w.ok)
    return w


def test_no_measure_flags_paired_households_without_a_recent_measure(pairing):
    w = pairing
    drafts = no_measure(SYSTEM, w.county, AS_OF)
    assert subjects(drafts) == {w.idle.pk, w.never.pk}
    by_subject = {d.subject_id: d for d in drafts}
    assert by_subject[w.idle.pk].evidence["last_measure"] == "2025-12-31"
    assert by_subject[w.never.pk].evidence["last_measure"] is None
    assert by_subject[w.idle.pk].period == "2026"


def test_overloaded_cadre_flags_more_active_households_than_the_maximum(pairing):
    w = pairing
    drafts = overloaded_cadre(SYSTEM, w.county, AS_OF)
    assert subjects(drafts) == {w.busy.pk}  # 正常干部 has 3 active (and 3 exited) households
    assert drafts[0].evidence == {"paired": 6, "maximum": 5}


# The job: idempotent, set-based, read-only


def test_a_rerun_creates_no_duplicates_and_keeps_the_review(bunching, pairing, django_assert_max_num_queries):
    w = bunching
    # A constant number of queries per detector (settings, one or two aggregates), however many rows.
    with django_assert_max_num_queries(50):
        first = integrity_run(actor=SYSTEM, county=w.county, as_of=AS_OF)
    assert first[Detector.HOUSEHOLD_BUNCHING] == 1 and first[Detector.NO_MEASURE] == 2
    total = Finding.objects.count()
    assert total == sum(first.values())
    finding = Finding.objects.get(detector=Detector.NO_MEASURE, subject_id=w.idle.pk)
    from apps.rankings.integrity.services import finding_review

    finding_review(actor=w.county_admin, finding=finding, status="explained", reason="上月有走访记录未录入")
    incomes = list(HouseholdIncome.objects.order_by("pk").values_list("pk", "per_capita_net_income"))
    integrity_run(actor=SYSTEM, county=w.county, as_of=AS_OF)
    assert Finding.objects.count() == total
    finding.refresh_from_db()
    assert finding.status == "explained" and finding.reason == "上月有走访记录未录入"
    assert finding.last_seen > finding.first_seen
    assert list(HouseholdIncome.objects.order_by("pk").values_list("pk", "per_capita_net_income")) == incomes


# Scope, API, page


@pytest.fixture
def findings(bunching):
    integrity_run(actor=SYSTEM, county=bunching.county, as_of=AS_OF)
    integrity_run(actor=SYSTEM, county=bunching.other_county, as_of=AS_OF)
    return bunching


def test_api_lists_findings_in_scope_with_filters(findings, api):
    w = findings
    body = (
        api(w.county_admin, language="en").get("/api/v1/findings/", {"detector": "household_bunching"}).json()
    )
    rows = body["results"] if isinstance(body, dict) else body
    assert [r["subject_id"] for r in rows] == [w.just_above.pk]
    row = rows[0]
    assert set(row) == {
        "id",
        "detector",
        "rule",
        "subject_type",
        "subject_id",
        "subject_name",
        "county",
        "township",
        "village",
        "period",
        "year",
        "evidence",
        "score",
        "status",
        "reason",
        "reviewed_at",
        "first_seen",
        "last_seen",
    }
    assert row["status"] == "open" and row["county"] == w.county.pk and "poverty line" in row["rule"]
    # The other county's admin sees only their own finding, and a 404 for ours.
    other = api(w.other_county_admin, language="en")
    body = other.get("/api/v1/findings/").json()
    rows = body["results"] if isinstance(body, dict) else body
    assert {r["subject_id"] for r in rows} == {w.far.pk}
    assert other.get(f"/api/v1/findings/{row['id']}/").status_code == 404
    assert (
        other.post(
            f"/api/v1/findings/{row['id']}/review/", {"status": "confirmed", "reason": "x"}
        ).status_code
        == 404
    )


def test_api_review_sets_status_with_a_reason(findings, api):
    w = findings
    finding = Finding.objects.get(detector=Detector.HOUSEHOLD_BUNCHING, subject_id=w.just_above.pk)
    url = f"/api/v1/findings/{finding.pk}/review/"
    assert (
        api(w.county_admin, language="en").post(url, {"status": "confirmed"}, format="json").status_code
        == 400
    )
    assert (
        api(w.township_staff, language="en").post(url, {"status": "confirmed", "reason": "核实"}).status_code
        == 403
    )
    response = api(w.county_admin, language="en").post(
        url, {"status": "confirmed", "reason": "入户核实收入虚高"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "confirmed" and response.json()["reason"] == "入户核实收入虚高"
    finding.refresh_from_db()
    assert finding.reviewed_by == w.county_admin and finding.status == "confirmed"


def test_findings_page_renders_with_explanations_and_hides_other_counties(findings, client):
    w = findings
    client.force_login(w.county_admin)
    response = client.get(reverse("rankings:finding_list"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    assert "刚过线" in html and "外县刚过线" not in html
    assert "3800.00" in html and "登科街道" in html
    far = Finding.objects.get(subject_id=w.far.pk, detector=Detector.HOUSEHOLD_BUNCHING)
    assert client.get(reverse("rankings:finding_detail", args=[far.pk])).status_code == 404
    mine = Finding.objects.get(subject_id=w.just_above.pk, detector=Detector.HOUSEHOLD_BUNCHING)
    response = client.post(
        reverse("rankings:finding_detail", args=[mine.pk]),
        {"status": "explained", "reason": "务工收入已核实"},
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.status == "explained" and mine.reason == "务工收入已核实"


# 3. Duty logs


@pytest.fixture
def duty(world):
    from apps.assistance.models import DutyLog, WorkTeam, WorkTeamMember
    from apps.cadres.models import Training

    w = world
    team = WorkTeam.objects.create(village=w.village, start_date=datetime.date(2026, 1, 1))
    other = WorkTeam.objects.create(village=w.other_village, start_date=datetime.date(2026, 1, 1))

    def member(team, name, id_no=None):
        return WorkTeamMember.objects.create(
            team=team,
            name=name,
            id_number=id_no or id_number(),
            unit_name="恩阳区财政局",
            unit_type="party_gov",
            unit_level="county_plus",
            start_date=datetime.date(2026, 1, 1),
        )

    w.copy_a, w.copy_b = member(team, "抄甲"), member(team, "抄乙")
    w.honest = member(team, "如实")
    w.late, w.trainee = member(other, "补录"), member(other, "培训")
    cadre_of_trainee = cadre(w.other_village, "培训")
    Cadre.objects.filter(pk=cadre_of_trainee.pk).update(id_number=w.trainee.id_number)
    Training.objects.create(
        cadre=cadre_of_trainee, course="党务培训", start_date=datetime.date(2026, 3, 10), days=3
    )
    march = [datetime.date(2026, 3, d) for d in range(2, 20)]
    logs = [DutyLog(member=m, date=d, on_duty=True) for m in (w.copy_a, w.copy_b) for d in march]
    logs += [DutyLog(member=w.honest, date=d, on_duty=d.day % 3 != 0) for d in march]
    logs += [DutyLog(member=w.late, date=d, on_duty=True) for d in march]
    logs += [DutyLog(member=w.trainee, date=datetime.date(2026, 3, d), on_duty=d != 11) for d in range(5, 14)]
    DutyLog.objects.bulk_create(logs)
    # 补录 entered March in one go on 30 April; everyone else day by day.
    DutyLog.objects.filter(member=w.late).update(
        created_at=datetime.datetime(2026, 4, 30, 10, tzinfo=datetime.UTC)
    )
    for log in DutyLog.objects.exclude(member=w.late):
        DutyLog.objects.filter(pk=log.pk).update(
            created_at=datetime.datetime.combine(log.date, datetime.time(12), tzinfo=datetime.UTC)
        )
    return w


def test_duty_copied_flags_identical_month_patterns_in_a_team(duty):
    drafts = duty_copied(SYSTEM, duty.county, AS_OF)
    assert [(d.subject_id, d.period) for d in drafts] == [(duty.copy_a.team_id, "2026-03")]
    assert drafts[0].evidence["members"] == "抄乙, 抄甲" and drafts[0].evidence["days_count"] == 18


def test_duty_burst_flags_a_month_entered_at_once_long_after(duty):
    drafts = duty_burst(SYSTEM, duty.county, AS_OF)
    assert subjects(drafts) == {duty.late.pk}
    assert drafts[0].evidence["entered_on"] == "2026-04-30" and drafts[0].evidence["days_after_month"] == 30


def test_duty_training_flags_on_duty_days_inside_a_training(duty):
    drafts = duty_training(SYSTEM, duty.county, AS_OF)
    assert subjects(drafts) == {duty.trainee.pk}
    assert drafts[0].evidence == {"days_count": 2, "days": "2026-03-10, 2026-03-12"}  # the 11th: off duty


# 5. Morality bank


@pytest.fixture
def morality(world):
    from apps.morality_bank.models import Award, Item, Resident

    w = world
    item = Item.objects.create(
        county=w.county, category="filial", name="孝老爱亲", min_points=1, max_points=50
    )
    own = cadre(w.village, "村主任")
    cadre_resident = Resident.objects.create(village=w.village, name="村主任", id_number=own.id_number)
    villager = Resident.objects.create(village=w.village, name="村民", id_number=id_number())
    villager2 = Resident.objects.create(village=w.village2, name="白鹤村民", id_number=id_number())
    villager3 = Resident.objects.create(village=w.village2, name="白鹤村民二", id_number=id_number())
    day = datetime.date(2026, 5, 6)

    def award(resident, points, recorder, approver):
        return Award(
            village=resident.village,
            resident=resident,
            item=item,
            points=points,
            date=day,
            status="approved",
            recorded_by=recorder,
            decided_by=approver,
            decided_at=datetime.datetime(2026, 5, 7, tzinfo=datetime.UTC),
        )

    a, b, c = w.county_admin, w.township_staff, w.city_admin
    Award.objects.bulk_create(
        [
            award(cadre_resident, 40, a, c),  # 40 of 50 points to the cadre's own household (红旗村)
            award(villager, 10, a, c),
            award(villager2, 10, a, b),  # 白鹤村: a records, b approves …
            award(villager3, 10, b, a),  # … and b records, a approves: a loop
            award(villager, 5, c, a),  # 红旗村: c records, a approves, and a → c above: a loop of 3 awards
        ]
    )
    return w


def test_cadre_points_flags_a_village_whose_points_go_to_cadres(morality):
    drafts = cadre_points(SYSTEM, morality.county, AS_OF)
    assert subjects(drafts) == {morality.village.pk}
    assert drafts[0].evidence["cadre_points"] == 40 and drafts[0].evidence["village_points"] == 55


def test_award_loop_flags_users_approving_each_others_awards(morality):
    drafts = award_loop(SYSTEM, morality.county, AS_OF)
    assert sorted(d.subject_id for d in drafts) == sorted([morality.village.pk, morality.village2.pk])
    awards = {d.subject_id: d.evidence["awards"] for d in drafts}
    assert awards == {morality.village.pk: 3, morality.village2.pk: 2}


def test_the_optional_indicator_counts_confirmed_findings_per_village(findings):
    from apps.rankings import indicators
    from apps.rankings.integrity.services import finding_review

    w = findings
    assert "integrity_findings" not in indicators.DEFAULT_WEIGHTS["village"]  # off by default
    ctx = indicators.Context(
        kind="village", county=w.county, first=datetime.date(2019, 1, 1), last=datetime.date(2019, 12, 31)
    )
    assert indicators.integrity_findings(ctx) == {}  # open findings do not count
    finding = Finding.objects.get(detector=Detector.HOUSEHOLD_BUNCHING, subject_id=w.just_above.pk)
    finding_review(actor=w.county_admin, finding=finding, status="confirmed", reason="核实")
    assert indicators.integrity_findings(ctx) == {w.village.pk: 1}
    scale = indicators.INDICATORS["integrity_findings"].scale({})
    assert (scale(0), scale(1), scale(4)) == (100.0, 75.0, 0.0)


def test_duty_copied_ignores_months_not_ended_and_patterns_without_days_off(duty):
    from apps.assistance.models import DutyLog, WorkTeam, WorkTeamMember

    w = duty
    # Before March has ended, the copied March is not judged yet.
    assert duty_copied(SYSTEM, w.county, datetime.date(2026, 3, 25)) == []
    # Two diligent members on duty every day of April are alike without copying anything.
    team = WorkTeam.objects.create(village=w.village2, start_date=datetime.date(2026, 1, 1))
    diligent = [
        WorkTeamMember.objects.create(
            team=team,
            name=name,
            id_number=id_number(),
            unit_name="恩阳区农业农村局",
            unit_type="party_gov",
            unit_level="county_plus",
            start_date=datetime.date(2026, 1, 1),
        )
        for name in ("勤甲", "勤乙")
    ]
    DutyLog.objects.bulk_create(
        DutyLog(member=m, date=datetime.date(2026, 4, d), on_duty=True)
        for m in diligent
        for d in range(1, 31)
    )
    drafts = duty_copied(SYSTEM, w.county, AS_OF)
    assert [(d.subject_id, d.period) for d in drafts] == [(w.copy_a.team_id, "2026-03")]
    assert drafts[0].evidence["off_days"] == 13


# 5c. Awards bunched before a redemption window


@pytest.fixture
def awards(world):
    """AS_OF 2026-11-01 watches 2025-11-01 … 2026-11-01: the lead periods (14 days before the windows of the
    last 10 days of each quarter) of 2025Q4, 2026Q1, Q2 and Q3 (2026Q4's window has not opened)."""
    from apps.morality_bank.models import Award, Item, Resident

    w = world
    item = Item.objects.create(
        county=w.county, category="hygiene", name="房前屋后干净整洁", min_points=1, max_points=5
    )

    def residents(village, count):
        return [
            Resident.objects.create(village=village, name=f"{village.name}{i}", id_number=id_number())
            for i in range(count)
        ]

    def award(resident, day, status="approved"):
        approved = status != "pending"
        return Award(
            village=resident.village,
            resident=resident,
            item=item,
            points=3,
            date=day,
            status=status,
            decided_at=datetime.datetime(2026, 10, 1, tzinfo=datetime.UTC) if approved else None,
        )

    w.burst, w.busy, w.far = residents(w.village, 4), residents(w.village2, 4), residents(w.far_village, 4)
    rows = []
    # 红旗村: ten awards spread over the year, then six on 8–19 September, just before the window of 21
    # September: flagged. Five rejected ones before June's window and one on 6 September (before the
    # 14 days) do not count.
    rows += [
        award(w.burst[i % 4], datetime.date(2026, 1, 5) + datetime.timedelta(days=30 * i)) for i in range(10)
    ]
    rows += [award(w.burst[i % 4], datetime.date(2026, 9, 8 + 2 * i)) for i in range(6)]
    rows += [award(w.burst[i % 4], datetime.date(2026, 6, 10 + i), "rejected") for i in range(5)]
    rows.append(award(w.burst[0], datetime.date(2026, 9, 6)))
    # 白鹤村: an award every other day all year, so seven in each lead period is its normal rate.
    day = datetime.date(2025, 11, 2)
    while day <= AS_OF:
        rows.append(award(w.busy[day.day % 4], day))
        day += datetime.timedelta(days=2)
    # 江北村 (巴州区, whose bank redeems at any time): six in September are no burst before a window.
    rows += [award(w.far[i % 4], datetime.date(2026, 9, 8 + 2 * i)) for i in range(6)]
    Award.objects.bulk_create(rows)
    from apps.core.models import Setting

    Setting.objects.create(
        key="morality.redemption_window",
        county=w.other_county,
        valid_from=datetime.date(2020, 1, 1),
        value="always",
    )
    return w


def test_redemption_lead_periods_follow_the_morality_bank_windows(awards):
    from apps.rankings.integrity.detectors import redemption_lead_periods

    periods = redemption_lead_periods(awards.county, AS_OF, 14)
    assert [(str(p.quarter), p.first, p.last, p.window_opens) for p in periods] == [
        ("2025Q4", datetime.date(2025, 12, 8), datetime.date(2025, 12, 21), datetime.date(2025, 12, 22)),
        ("2026Q1", datetime.date(2026, 3, 8), datetime.date(2026, 3, 21), datetime.date(2026, 3, 22)),
        ("2026Q2", datetime.date(2026, 6, 7), datetime.date(2026, 6, 20), datetime.date(2026, 6, 21)),
        ("2026Q3", datetime.date(2026, 9, 7), datetime.date(2026, 9, 20), datetime.date(2026, 9, 21)),
    ]
    assert redemption_lead_periods(awards.other_county, AS_OF, 14) == []


def test_award_burst_flags_awards_piled_up_before_a_redemption_window(awards):
    from apps.rankings.integrity.detectors import award_burst

    w = awards
    drafts = award_burst(SYSTEM, w.county, AS_OF)
    assert [(d.subject_id, d.period, d.year) for d in drafts] == [(w.village.pk, "2026Q3", 2026)]
    (draft,) = drafts
    # Normal: 11 awards (with 6 September's) in the 310 days outside the four lead periods: 0.50 per 14 days.
    assert draft.evidence == {
        "lead_period": "2026-09-07 – 2026-09-20",
        "window": "2026-09-21 – 2026-09-30",
        "lead_awards": 6,
        "lead_points": 18,
        "lead_residents": 4,
        "normal_awards": "0.50",
        "multiple": "12.08",
        "burst_multiple": "3.00",
    }
    assert draft.score == Decimal("5.5032")
    assert award_burst(SYSTEM, w.other_county, AS_OF) == []


def test_award_burst_reads_its_thresholds_from_dated_configuration(awards):
    from apps.core.models import Setting
    from apps.rankings.integrity.detectors import award_burst

    w = awards
    Setting.objects.create(
        key="integrity.award_burst_multiple",
        county=w.county,
        valid_from=datetime.date(2026, 10, 1),
        value="20",
    )
    assert award_burst(SYSTEM, w.county, AS_OF) == []  # six is not 20 × 0.50
    assert subjects(award_burst(SYSTEM, w.county, datetime.date(2026, 9, 30))) == {w.village.pk}  # before it


# The township bunching ranking: selector, API, page, export


def test_ranking_puts_townships_with_too_few_households_last(bunching):
    w = bunching
    ranking = township_bunching_ranking(w.city_admin, year=2019, as_of=AS_OF)
    # 江北街道 has one household just above the line (log-ratio 1.10): fewer than 5, so it ranks after
    # 登科街道 (log-ratio 2.13 of ten households), though before the smooth 柳林镇.
    assert [(row.rank, row.township.name, row.enough) for row in ranking] == [
        (1, "登科街道", True),
        (2, "江北街道", False),
        (3, "柳林镇", False),
    ]
    assert round(ranking[1].statistic.log_ratio, 2) == 1.1
    assert [row.township for row in township_bunching_ranking(w.township_staff, year=2019)] == [w.township]
    assert township_bunching_ranking(w.village_clerk, year=2019) == []


def test_api_ranks_the_townships_of_the_callers_region(bunching, api):
    w = bunching
    admin = api(w.county_admin, language="en")
    body = admin.get("/api/v1/findings/bunching/", {"year": 2019}).json()
    assert body["count"] == 2 and body["next"] is None
    first, second = body["results"]
    assert first == {
        "rank": 1,
        "township": w.township.pk,
        "township_code": "511903001000",
        "township_name": "登科街道",
        "county": w.county.pk,
        "year": 2019,
        "log_ratio": first["log_ratio"],
        "z": 9.25,
        "above": 10,
        "neighbours": 0.75,
        "bands": {"-2": 1, "-1": 1, "0": 10, "1": 1, "2": 0},
        "enough": True,
        "flagged": True,
    }
    assert first["log_ratio"] == pytest.approx(2.1282, abs=1e-4)
    assert (second["rank"], second["township_name"], second["log_ratio"], second["flagged"]) == (
        2,
        "柳林镇",
        0.0,
        False,
    )
    # Paginated like the other lists; the year defaults to the latest with incomes (2019).
    page = admin.get("/api/v1/findings/bunching/", {"page_size": 1, "page": 2}).json()
    assert page["count"] == 2 and [r["township_name"] for r in page["results"]] == ["柳林镇"]
    assert admin.get("/api/v1/findings/bunching/", {"county": w.other_county.pk}).status_code == 404
    assert admin.get("/api/v1/findings/bunching/", {"year": "soon"}).status_code == 400
    staff = api(w.township_staff, language="en").get("/api/v1/findings/bunching/", {"year": 2019}).json()
    assert [r["township_name"] for r in staff["results"]] == ["登科街道"]
    clerk = api(w.village_clerk, language="en").get("/api/v1/findings/bunching/", {"year": 2019}).json()
    assert clerk["count"] == 0
    other = api(w.other_county_admin, language="en").get("/api/v1/findings/bunching/").json()
    assert [r["township_name"] for r in other["results"]] == ["江北街道"]


def test_the_schema_documents_the_bunching_ranking(api, world):
    schema = api(world.county_admin, language="en").get("/api/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/findings/bunching/"]["get"]
    assert {p["name"] for p in operation["parameters"]} == {"year", "county", "page", "page_size"}
    response = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    page = schema["components"]["schemas"][response.rsplit("/", 1)[1]]
    assert {"count", "next", "previous", "results"} <= set(page["properties"])


def test_bunching_page_and_export_show_the_ranking_in_scope(bunching, client):
    from io import BytesIO

    from openpyxl import load_workbook

    w = bunching
    client.force_login(w.county_admin)
    response = client.get(reverse("rankings:finding_bunching"), {"year": 2019}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    assert "登科街道" in html and "柳林镇" in html and "江北街道" not in html
    assert "2.1282" in html and "table-warning" in html
    assert (
        client.get(reverse("rankings:finding_list"))
        .content.decode()
        .count(reverse("rankings:finding_bunching"))
    )
    export = client.get(
        reverse("rankings:finding_bunching_export"), {"year": 2019}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("Rank", "Code", "Township")
    assert rows[1][:10] == (1, "511903001000", "登科街道", "恩阳区", 2019, 1, 1, 10, 1, 0)
    assert rows[2][:3] == (2, "511903002000", "柳林镇") and len(rows) == 3
    # A village clerk's region holds no whole township; another county's admin sees only theirs.
    client.force_login(w.village_clerk)
    html = client.get(reverse("rankings:finding_bunching"), {"year": 2019}).content.decode()
    assert "登科街道" not in html.split('id="bunching-table"')[-1] and 'id="bunching-table"' not in html
    client.force_login(w.other_county_admin)
    html = client.get(reverse("rankings:finding_bunching")).content.decode()
    assert "江北街道" in html and "柳林镇" not in html


def test_findings_export_applies_the_filter_and_the_scope(findings, client):
    w = findings
    client = logged_in(client, w.county_admin)
    everything = client.get(reverse("rankings:finding_export"))
    subjects = column(everything, "Subject")
    assert "红旗村 刚过线" in subjects and not any("外县刚过线" in subject for subject in subjects)
    assert set(column(everything, "County")) == {"恩阳区"}
    assert any("3800.00" in numbers for numbers in column(everything, "The numbers"))

    bunching = client.get(reverse("rankings:finding_export"), {"detector": Detector.HOUSEHOLD_BUNCHING})
    assert set(column(bunching, "Detector")) == {str(DETECTOR_LABELS[Detector.HOUSEHOLD_BUNCHING])}
    page = client.get(reverse("rankings:finding_list"), {"detector": Detector.HOUSEHOLD_BUNCHING})
    assert f'href="/rankings/findings/export.xlsx?detector={Detector.HOUSEHOLD_BUNCHING}"' in page.text
