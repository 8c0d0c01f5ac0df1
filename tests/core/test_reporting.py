"""The reporting cycle's state machine: submit (with the completeness check and the grace), approve,
return, reopen, child-before-parent approval, roles and scope."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from apps.assistance import services as assistance
from apps.core.actors import SYSTEM
from apps.core.models import Notification, PeriodAction, PeriodStatus, ReportingPeriod
from apps.core.periods import Month, Year
from apps.core.reporting import services
from apps.core.reporting.completeness import month_gaps, year_gaps
from apps.core.reporting.config import DUE_DAYS, GRACE_DAYS
from apps.core.reporting.selectors import county_matrix
from apps.core.services import setting_set
from tests.conftest import id_number

MARCH = Month(2025, 3)


@pytest.fixture
def team(world):
    team = assistance.work_team_create(
        actor=SYSTEM, village=world.village, start_date=datetime.date(2025, 1, 1)
    )
    team.member = assistance.team_member_create(
        actor=SYSTEM,
        team=team,
        name="王队员",
        role="member",
        start_date=team.start_date,
        id_number=id_number(),
        unit_name="恩阳区财政局",
        unit_type="party_gov",
        unit_level="county_plus",
    )
    return team


def log_month(team, month=MARCH):
    assistance.duty_log_create(actor=SYSTEM, member=team.member, date=month.first)


def submitted(world, township=None, *, month=MARCH, by=None, reason="补录中"):
    township = township or world.township
    period = services.period_open(actor=SYSTEM, township=township, period=month)
    staff = by or (world.township_staff if township == world.township else world.other_township_staff)
    return services.period_submit(actor=staff, period=period, gaps_reason=reason)


def test_periods_are_created_lazily_and_once(world):
    assert not ReportingPeriod.objects.exists()
    first = services.period_open(actor=world.township_staff, township=world.township, period=MARCH)
    again = services.period_open(actor=world.county_admin, township=world.township, period=MARCH)
    assert first.pk == again.pk and first.status == PeriodStatus.OPEN
    assert (first.start, first.end) == (datetime.date(2025, 3, 1), datetime.date(2025, 3, 31))


def test_a_period_outside_the_region_cannot_be_opened(world):
    with pytest.raises(ValidationError):
        services.period_open(actor=world.township_staff, township=world.other_township, period=MARCH)


def test_the_completeness_check_lists_villages_without_duty_logs(world, team, english):
    gaps = services.period_gaps(services.period_open(actor=SYSTEM, township=world.township, period=MARCH))
    assert [(g["check"], g["village_name"]) for g in gaps] == [("duty_logs", "红旗村")]
    period = services.period_open(actor=SYSTEM, township=world.township, period=MARCH)
    with pytest.raises(ValidationError) as info:
        services.period_submit(actor=world.township_staff, period=period)
    assert "gaps_reason" in info.value.message_dict
    assert "红旗村" in info.value.message_dict["gaps_reason"][0]
    period.refresh_from_db()
    assert period.status == PeriodStatus.OPEN and not period.transitions.exists()  # nothing saved

    period = services.period_submit(actor=world.township_staff, period=period, gaps_reason="  驻村队员病假  ")
    assert period.status == PeriodStatus.SUBMITTED
    assert period.gaps_reason == "驻村队员病假" and period.gaps[0]["village_name"] == "红旗村"


def test_a_complete_period_needs_no_reason(world, team):
    log_month(team)
    period = services.period_open(actor=SYSTEM, township=world.township, period=MARCH)
    period = services.period_submit(actor=world.township_staff, period=period)
    assert period.status == PeriodStatus.SUBMITTED and period.gaps == [] and period.gaps_reason == ""
    assert period.submitted_by == world.township_staff


def test_a_team_that_started_later_is_not_a_gap(world):
    assistance.work_team_create(actor=SYSTEM, village=world.village, start_date=datetime.date(2025, 4, 1))
    assert month_gaps([world.township.pk], 2025).get((world.township.pk, 3), []) == []
    assert month_gaps([world.township.pk], 2025)[(world.township.pk, 4)]


def test_yearly_gaps_list_missing_incomes(world, english):
    from apps.collective_economy import services as economy

    economy.income_create(actor=SYSTEM, village=world.village, year=2025)
    gaps = year_gaps([world.township.pk], 2025)[world.township.pk]
    assert [(g["check"], g["village_name"]) for g in gaps] == [("collective_income", "白鹤村")]


def test_submission_opens_after_the_grace(world, english):
    this_month = Month.of(timezone.localdate())
    period = services.period_open(actor=SYSTEM, township=world.township, period=this_month)
    with pytest.raises(ValidationError, match="can be submitted from"):
        services.period_submit(actor=world.township_staff, period=period, gaps_reason="x")
    setting_set(actor=SYSTEM, key=GRACE_DAYS, value=400, valid_from=datetime.date(2000, 1, 1))
    old = services.period_open(
        actor=SYSTEM, township=world.township, period=Month.of(timezone.localdate()).previous()
    )
    with pytest.raises(ValidationError, match="can be submitted from"):
        services.period_submit(actor=world.township_staff, period=old, gaps_reason="x")


def test_only_the_townships_staff_submit(world):
    period = services.period_open(actor=SYSTEM, township=world.township, period=MARCH)
    for user in (world.other_township_staff, world.county_admin, world.village_clerk):
        with pytest.raises(PermissionDenied):
            services.period_submit(actor=user, period=period, gaps_reason="x")
    assert (
        services.period_submit(actor=world.api_client, period=period, gaps_reason="x").status == "submitted"
    )


def test_approve_locks_and_records(world, english):
    period = submitted(world)
    with pytest.raises(PermissionDenied):
        services.period_approve(actor=world.other_county_admin, period=period)
    with pytest.raises(PermissionDenied):
        services.period_approve(actor=world.township_staff, period=period)
    period = services.period_approve(actor=world.county_admin, period=period)
    assert period.status == PeriodStatus.APPROVED and period.approved_by == world.county_admin
    assert [e.action for e in period.transitions.all()] == [PeriodAction.SUBMIT, PeriodAction.APPROVE]
    with pytest.raises(ValidationError, match="Only a submitted period"):
        services.period_approve(actor=world.county_admin, period=period)


def test_nobody_approves_their_own_submission(world):
    period = services.period_open(actor=SYSTEM, township=world.township, period=MARCH)
    from apps.accounts.services import user_create

    boss = user_create(
        actor=SYSTEM, username="boss", password="Touyan-test-2026!", role="county_admin", region=world.county
    )
    ReportingPeriod.objects.filter(pk=period.pk).update(status=PeriodStatus.SUBMITTED, submitted_by=boss)
    with pytest.raises(PermissionDenied):
        services.period_approve(actor=boss, period=period)
    period.refresh_from_db()
    assert period.status == PeriodStatus.SUBMITTED


def test_return_needs_a_reason_and_allows_resubmission(world):
    period = submitted(world)
    with pytest.raises(ValidationError) as info:
        services.period_return(actor=world.county_admin, period=period, reason="  ")
    assert "reason" in info.value.message_dict
    period = services.period_return(actor=world.county_admin, period=period, reason="数据不全")
    assert period.status == PeriodStatus.RETURNED and period.returned_reason == "数据不全"
    period = services.period_submit(actor=world.township_staff, period=period, gaps_reason="已补")
    assert period.status == PeriodStatus.SUBMITTED and period.returned_reason == ""
    assert Notification.objects.filter(user=world.township_staff, kind="period_returned").exists()
    assert Notification.objects.filter(user=world.county_admin, kind="period_submitted").count() == 2


def test_reopen_by_the_county_with_a_reason_is_recorded(world, english):
    period = services.period_approve(actor=world.county_admin, period=submitted(world))
    with pytest.raises(PermissionDenied):
        services.period_reopen(actor=world.township_staff, period=period, reason="x")
    with pytest.raises(ValidationError):
        services.period_reopen(actor=world.county_admin, period=period, reason="")
    period = services.period_reopen(actor=world.county_admin, period=period, reason="补录驻村日志")
    assert period.status == PeriodStatus.OPEN and period.approved_by is None
    event = period.transitions.last()
    assert (event.action, event.actor, event.reason) == (
        PeriodAction.REOPEN,
        world.county_admin,
        "补录驻村日志",
    )
    with pytest.raises(ValidationError, match="Only an approved period"):
        services.period_reopen(actor=world.county_admin, period=period, reason="x")


def test_a_county_is_approved_only_after_all_its_townships(world, english):
    county_period = services.period_open(actor=SYSTEM, county=world.county, period=MARCH)
    with pytest.raises(PermissionDenied):
        services.period_submit(actor=world.township_staff, period=county_period, gaps_reason="x")
    gaps = services.period_gaps(county_period)
    assert sorted(g["village_name"] for g in gaps) == ["柳林镇", "登科街道"]
    county_period = services.period_submit(actor=world.county_admin, period=county_period, gaps_reason="先报")
    with pytest.raises(PermissionDenied):
        services.period_approve(actor=world.county_admin, period=county_period)  # the city decides
    with pytest.raises(ValidationError, match="Approve the townships' periods first"):
        services.period_approve(actor=world.city_admin, period=county_period)

    services.period_approve(actor=world.county_admin, period=submitted(world))
    with pytest.raises(ValidationError, match="柳林镇"):
        services.period_approve(actor=world.city_admin, period=county_period)
    services.period_approve(actor=world.county_admin, period=submitted(world, world.other_township))
    county_period = services.period_approve(actor=world.city_admin, period=county_period)
    assert county_period.status == PeriodStatus.APPROVED

    # A township's period cannot be reopened under an approved county period.
    township_period = ReportingPeriod.objects.get(township=world.township, start=MARCH.first)
    with pytest.raises(ValidationError, match="must be returned or reopened first"):
        services.period_reopen(actor=world.county_admin, period=township_period, reason="x")
    services.period_reopen(actor=world.city_admin, period=county_period, reason="复核")
    assert (
        services.period_reopen(actor=world.county_admin, period=township_period, reason="x").status == "open"
    )


def test_year_periods_follow_the_same_cycle(world):
    period = services.period_open(actor=SYSTEM, township=world.township, period=Year(2025))
    period = services.period_submit(actor=world.township_staff, period=period, gaps_reason="年报")
    assert services.period_approve(actor=world.county_admin, period=period).status == "approved"


def test_days_late_and_the_matrix(world, team, django_assert_max_num_queries):
    setting_set(actor=SYSTEM, key=DUE_DAYS, value=10, valid_from=datetime.date(2000, 1, 1))
    log_month(team)
    period = services.period_open(actor=SYSTEM, township=world.township, period=MARCH)
    services.period_submit(actor=world.township_staff, period=period)
    ReportingPeriod.objects.filter(pk=period.pk).update(
        submitted_at=timezone.make_aware(datetime.datetime(2025, 4, 14, 12))
    )
    with django_assert_max_num_queries(10):
        rows = county_matrix(user=world.county_admin, county=world.county, year=2025)
    assert [row.township.name for row in rows] == ["登科街道", "柳林镇"]
    march = rows[0].cells[2]
    assert (march.status, march.days_late, march.villages, march.complete) == ("submitted", 4, 2, 2)
    february = rows[0].cells[1]
    assert february.status == "open" and february.complete == 1 and february.share_complete == 50
    assert february.days_late > 600  # never submitted
    # The township's staff see only their own row.
    assert [
        r.township.name for r in county_matrix(user=world.township_staff, county=world.county, year=2025)
    ] == ["登科街道"]


def test_the_matrix_costs_the_same_at_two_scales(world, team, django_assert_num_queries):
    from apps.villages import services as regions

    with django_assert_num_queries(7) as small:
        county_matrix(user=world.county_admin, county=world.county, year=2025)
    for n in range(3, 9):
        township = regions.township_create(
            actor=SYSTEM, county=world.county, code=f"51190300{n}000", name=f"镇{n}"
        )
        village = regions.village_create(
            actor=SYSTEM, township=township, code=f"51190300{n}001", name=f"村{n}"
        )
        assistance.work_team_create(actor=SYSTEM, village=village, start_date=datetime.date(2025, 1, 1))
    with django_assert_num_queries(len(small.captured_queries)):
        county_matrix(user=world.county_admin, county=world.county, year=2025)
