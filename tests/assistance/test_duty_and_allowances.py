"""Duty logs (one per member and day, inside the assignment), the month grid, rates and allowances."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from apps.assistance import selectors, services
from apps.assistance.models import DutyLog
from apps.core.actors import SYSTEM
from apps.core.periods import Month
from apps.core.services import setting_set

from .conftest import make_member, make_team

pytestmark = pytest.mark.django_db


def log(member, *days, on_duty=True):
    for day in days:
        services.duty_log_create(actor=SYSTEM, member=member, date=day, on_duty=on_duty)


def days(year, month, first, last):
    return [datetime.date(year, month, d) for d in range(first, last + 1)]


# One per member and day, only inside the assignment


def test_a_second_log_for_the_same_day_is_refused(team):
    log(team.member, datetime.date(2025, 3, 3))
    with pytest.raises(ValidationError) as info:
        log(team.member, datetime.date(2025, 3, 3), on_duty=False)
    assert "date" in info.value.message_dict
    assert DutyLog.objects.filter(member=team.member).count() == 1


def test_logs_outside_the_assignment_or_in_the_future_are_refused(world):
    team = make_team(world.village, start=datetime.date(2025, 1, 1))
    member = make_member(team, start=datetime.date(2025, 3, 10), end=datetime.date(2025, 3, 20))
    for day in (datetime.date(2025, 3, 9), datetime.date(2025, 3, 21)):
        with pytest.raises(ValidationError):
            log(member, day)
    late = make_member(team, "新人", start=datetime.date(2025, 1, 1))
    with pytest.raises(ValidationError):
        log(late, datetime.date.today() + datetime.timedelta(days=1))
    assert not DutyLog.objects.exists()


# The month grid: all days or none


def test_the_month_grid_saves_every_day(team):
    march = Month(2025, 3)
    entries = [(team.member.pk, day, day.day % 7 != 0) for day in march.days]
    entries += [(team.secretary.pk, day, True) for day in march.days]
    result = services.duty_month_save(actor=SYSTEM, team=team, month=march, entries=entries)
    assert result == {"created": 62, "updated": 0}
    assert DutyLog.objects.filter(member=team.member, on_duty=False).count() == 4
    # Saving again changes only what changed.
    entries[0] = (team.member.pk, datetime.date(2025, 3, 1), False)
    assert services.duty_month_save(actor=SYSTEM, team=team, month=march, entries=entries) == {
        "created": 0,
        "updated": 1,
    }


def test_one_bad_day_refuses_the_whole_month(world):
    team = make_team(world.village, start=datetime.date(2025, 1, 1))
    member = make_member(team, start=datetime.date(2025, 3, 15))
    other = make_member(team, "全月", start=datetime.date(2025, 1, 1))
    march = Month(2025, 3)
    entries = [(other.pk, day, True) for day in march.days]
    entries += [(member.pk, day, True) for day in march.days if day.day >= 14]  # the 14th is outside
    with pytest.raises(ValidationError) as info:
        services.duty_month_save(actor=SYSTEM, team=team, month=march, entries=entries)
    assert len(info.value.message_dict["entries"]) == 1
    assert not DutyLog.objects.exists()


def test_the_grid_refuses_another_teams_member_and_duplicates(team, other_team):
    march = Month(2025, 3)
    day = datetime.date(2025, 3, 5)
    for entries in (
        [(team.member.pk, day, True), (other_team.secretary.pk, day, True)],
        [(team.member.pk, day, True), (team.member.pk, day, False)],
        [(team.member.pk, day, True), (team.member.pk, datetime.date(2025, 4, 1), True)],
    ):
        with pytest.raises(ValidationError):
            services.duty_month_save(actor=SYSTEM, team=team, month=march, entries=entries)
    assert not DutyLog.objects.exists()


# The monthly on-duty rate (API.md's default work-team score)


def test_team_duty_rate_is_on_duty_logs_over_assigned_days(world):
    team = make_team(world.village, start=datetime.date(2025, 1, 1))
    full = make_member(team, "全月", start=datetime.date(2025, 1, 1))  # 30 days of April
    half = make_member(team, "半月", start=datetime.date(2025, 4, 16))  # 15 days of April
    gone = make_member(team, "三月走", start=datetime.date(2025, 1, 1), end=datetime.date(2025, 3, 31))
    log(full, *days(2025, 4, 1, 24))  # 24
    log(full, *days(2025, 4, 25, 30), on_duty=False)
    log(half, *days(2025, 4, 16, 27))  # 12
    log(gone, *days(2025, 3, 1, 31))  # March only
    april = Month(2025, 4)
    row = selectors.team_duty_rates(user=SYSTEM, month=april).get(pk=team.pk)
    assert (row.on_duty_days, row.assigned_days) == (36, 45)
    assert row.duty_rate == Decimal("80.00")
    township = selectors.township_duty_rates(user=SYSTEM, month=april).get(pk=world.township.pk)
    assert (township.on_duty_days, township.assigned_days, township.duty_rate) == (36, 45, Decimal("80.00"))
    members = {m.name: m for m in selectors.with_month_duty(team.members.all(), april)}
    assert members["半月"].duty_rate == Decimal("80.00") and members["三月走"].assigned_days == 0


def test_duty_rates_are_one_query_whatever_the_number_of_teams(world, django_assert_max_num_queries):
    for village in (world.village, world.village2, world.other_village):
        team = make_team(village, start=datetime.date(2025, 1, 1))
        log(make_member(team, start=datetime.date(2025, 1, 1)), *days(2025, 2, 1, 10))
    with django_assert_max_num_queries(3):  # counties with their own settings, the values, the rates
        rows = list(selectors.team_duty_rates(user=SYSTEM, month=Month(2025, 2)))
    assert [r.duty_rate for r in rows] == [Decimal("35.71")] * 3
    with django_assert_max_num_queries(1):
        assert len(list(selectors.township_duty_rates(user=SYSTEM, month=Month(2025, 2)))) == 2


# Allowances: living 100.00 × on-duty days, communication 80.00 per month served


def test_allowance_across_a_month_boundary_and_a_partial_assignment(world):
    team = make_team(world.village, start=datetime.date(2025, 1, 1))
    member = make_member(team, start=datetime.date(2025, 1, 20), end=datetime.date(2025, 2, 10))
    log(member, *days(2025, 1, 20, 31))  # 12 on duty in January
    log(member, *days(2025, 2, 1, 10))
    services.duty_log_update(
        actor=SYSTEM, log=DutyLog.objects.get(member=member, date=datetime.date(2025, 2, 3)), on_duty=False
    )  # 9 on duty in February

    january = selectors.member_allowance(member, Month(2025, 1))
    assert (january.assigned_days, january.on_duty_days) == (12, 12)
    assert (january.living, january.communication, january.total) == (
        Decimal("1200.00"),
        Decimal("80.00"),
        Decimal("1280.00"),
    )
    february = selectors.member_allowance(member, Month(2025, 2))
    assert (february.assigned_days, february.on_duty_days) == (10, 9)
    assert (february.living, february.communication, february.total) == (
        Decimal("900.00"),
        Decimal("80.00"),
        Decimal("980.00"),
    )
    march = selectors.member_allowance(member, Month(2025, 3))
    assert (march.living, march.communication, march.total) == (
        Decimal("0.00"),
        Decimal("0.00"),
        Decimal("0.00"),
    )


def test_a_member_who_served_without_duty_gets_communication_only(world):
    team = make_team(world.village, start=datetime.date(2025, 1, 1))
    member = make_member(team, start=datetime.date(2025, 5, 31))  # the last day of May only
    allowance = selectors.member_allowance(member, Month(2025, 5))
    assert (allowance.assigned_days, allowance.living, allowance.communication) == (
        1,
        Decimal("0.00"),
        Decimal("80.00"),
    )


def test_allowance_rates_are_dated_configuration_per_county(world):
    team = make_team(world.village, start=datetime.date(2025, 1, 1))
    member = make_member(team, start=datetime.date(2025, 1, 1))
    log(member, *days(2025, 6, 1, 3))
    setting_set(
        actor=SYSTEM,
        key="assistance.living_allowance_per_day",
        value="120.50",
        valid_from=datetime.date(2025, 6, 1),
        county=world.county,
    )
    setting_set(
        actor=SYSTEM,
        key="assistance.communication_allowance_per_month",
        value="100",
        valid_from=datetime.date(2025, 6, 2),  # in force from the 2nd: June still uses 80.00
    )
    june = selectors.member_allowance(member, Month(2025, 6))
    assert (june.living, june.communication, june.total) == (
        Decimal("361.50"),
        Decimal("80.00"),
        Decimal("441.50"),
    )
    log(member, datetime.date(2025, 5, 31))
    may = selectors.member_allowance(member, Month(2025, 5))
    assert may.living == Decimal("100.00")


def test_the_allowance_sheet_matches_each_member_and_takes_three_queries(
    team, world, django_assert_max_num_queries
):
    log(team.member, *days(2025, 3, 1, 20))
    log(team.secretary, *days(2025, 3, 1, 25))
    with django_assert_max_num_queries(3):
        rows = selectors.allowance_sheet(user=world.county_admin, month=Month(2025, 3))
    by_name = {row.member.name: row.allowance for row in rows}
    assert set(by_name) == {"李书记", "王队员", "赵队员"}
    assert by_name["王队员"].total == Decimal("2080.00")
    assert by_name["李书记"].total == Decimal("2580.00")
    assert by_name["赵队员"].total == Decimal("80.00")
    assert selectors.allowance_sheet(user=world.other_township_staff, month=Month(2025, 3)) == []
