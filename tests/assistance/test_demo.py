"""The assistance demo data (order 40): the published figures, valid ID numbers, reproducible draws."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Count, F

from apps.assistance.demo import BULK_TABLES
from apps.assistance.models import (
    DutyLog,
    Household,
    HouseholdIncome,
    HouseholdMember,
    SpotCheckDraw,
    WorkTeam,
    WorkTeamMember,
)
from apps.assistance.selectors.stats import incidence_by_year
from apps.assistance.services.checks import draw_teams, sample_size, teams_active_in
from apps.core import idnumbers
from apps.core.actors import SYSTEM
from apps.core.periods import Quarter

pytestmark = pytest.mark.django_db


def foreign_keys():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE contype = 'f' AND conrelid::regclass::text LIKE 'assistance_%' ORDER BY 1, 2"
        )
        return cursor.fetchall()


@pytest.fixture
def enyang():
    before = foreign_keys()
    call_command("seed_demo", preset="enyang", seed=1, stdout=StringIO())
    return before


def test_enyang_figures(enyang):
    # 恩阳区's share of Bazhong's 1,801 teams, 2,100 first secretaries and 7,348 members (209 of 2,228 villages).
    assert WorkTeam.objects.count() == round(1801 * 209 / 2228)
    assert WorkTeamMember.objects.filter(role="first_secretary").count() == round(2100 * 209 / 2228)
    assert WorkTeamMember.objects.count() == round(7348 * 209 / 2228)
    incidence = {
        row["year"]: row["incidence"] for row in incidence_by_year(user=SYSTEM, years=[2014, 2018, 2020])
    }
    assert round(incidence[2014], 1) == 16.3
    assert round(incidence[2018], 1) == 2.1
    assert incidence[2020] == 0
    # Every exit has its year's income, and the demo township has the whole series 2014-2020.
    exited = Household.objects.filter(status="exited", exit_year__lte=2020)
    with_income = HouseholdIncome.objects.filter(household__in=exited, year=F("household__exit_year"))
    assert exited.count() == with_income.count()
    detailed = HouseholdIncome.objects.filter(household__village__code__startswith="511903001")
    assert set(detailed.values_list("year", flat=True)) == set(range(2014, 2021))
    assert HouseholdMember.objects.exists()
    assert DutyLog.objects.exists()


def test_id_numbers_are_valid_and_unique(enyang):
    numbers = list(WorkTeamMember.objects.values_list("id_number", flat=True))
    numbers += list(Household.objects.values_list("head_id_number", flat=True)[:3000])
    numbers += list(HouseholdMember.objects.exclude(relation="head").values_list("id_number", flat=True))
    assert len(numbers) == len(set(numbers))
    for number in numbers:
        assert idnumbers.validate(number) == number


def test_stored_seeds_redraw_the_same_teams(enyang):
    for draw in SpotCheckDraw.objects.order_by("pk")[:12]:
        quarter = Quarter.parse(draw.quarter)
        active = list(teams_active_in(draw.county_id, quarter).values_list("pk", flat=True))
        assert len(active) == draw.active_teams
        chosen = draw_teams(active, sample_size(len(active), draw.rate), draw.seed)
        assert sorted(draw.checks.values_list("team_id", flat=True)) == chosen


def test_bulk_loading_keeps_the_constraints_and_the_small_tables_history(enyang):
    assert foreign_keys() == enyang
    assert foreign_keys()
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM assistance_workteamevent")
        assert cursor.fetchone()[0] == WorkTeam.objects.count()
    assert set(BULK_TABLES) == {"Household", "HouseholdStatusChange", "HouseholdIncome", "DutyLog"}
    # Duty only on days of the assignment, one per member and day, never in the future.
    assert not DutyLog.objects.filter(date__lt=F("member__start_date")).exists()
    assert not DutyLog.objects.filter(member__end_date__lt=F("date")).exists()
    duplicates = DutyLog.objects.values("member", "date").annotate(n=Count("pk")).filter(n__gt=1)
    assert not duplicates.exists()


def test_same_seed_same_data():
    def run():
        with transaction.atomic():
            call_command("seed_demo", preset="enyang", seed=2, stdout=StringIO())
            rows = (
                list(
                    WorkTeamMember.objects.order_by("team__village__code", "start_date", "name").values_list(
                        "team__village__code", "name", "id_number", "role", "start_date", "end_date"
                    )
                ),
                list(
                    Household.objects.order_by("head_id_number").values_list(
                        "head_id_number", "size", "status", "exit_year"
                    )[:500]
                ),
                list(
                    SpotCheckDraw.objects.order_by("quarter").values_list("quarter", "seed", "active_teams")
                ),
            )
            transaction.set_rollback(True)
        return rows

    assert run() == run()
