"""The set-based registration of new households (the households import's fast path): every rule of
``household_create`` still holds, with the same messages at the same row and column; the period
lock and the audit trail hold; and the queries do not grow with the rows."""

import datetime

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import CheckConstraint
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.assistance import services
from apps.assistance.models import Household, HouseholdMember, HouseholdStatusChange
from apps.core.actors import SYSTEM
from apps.core.imports.selectors import import_change_set
from apps.core.models import ImportState, PeriodStatus, ReportingPeriod
from apps.core.periods import Year
from apps.core.reporting.services import period_row
from apps.villages.services import village_retire

from .conftest import id_number, make_cadre, make_household
from .test_imports_households import errors_at, household_row, income_row, member_row, upload

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
HOUSEHOLDS_ZH = "贫困户"  # the sheet's title in the report


def new_household(village, **fields):
    """``household_create``'s arguments for one new household."""
    return {
        "village": village,
        "head_name": "张大山",
        "head_id_number": id_number(),
        "size": 3,
        "cause": "illness",
        "registered_on": datetime.date(2014, 5, 1),
        **fields,
    }


def refusal(actor, fields) -> dict:
    """The errors ``household_create`` refuses ``fields`` with."""
    with pytest.raises(ValidationError) as info:
        services.household_create(actor=actor, **fields)
    return info.value.message_dict


def errors_of(error: ValidationError) -> dict:
    return error.message_dict if hasattr(error, "error_dict") else {"": error.messages}


def approve(township, period):
    row = period_row(township=township, period=period)
    ReportingPeriod.objects.filter(pk=row.pk).update(status=PeriodStatus.APPROVED)


INVALID = {
    "size zero": {"size": 0},
    "exited without a year": {"status": "exited"},
    "exit year before registration": {"status": "exited", "exit_year": 2010},
    "exit year in the future": {"status": "exited", "exit_year": TODAY.year + 1},
    "poor with an exit year": {"exit_year": 2016},
    "registered as monitored": {"status": "monitored"},
    "registered in the future": {"registered_on": TODAY + datetime.timedelta(days=1)},
    "an unknown cause": {"cause": "laziness"},
    "a mistyped ID number": {"head_id_number": "511903198001011230"},
}


@pytest.mark.parametrize("change", INVALID.values(), ids=INVALID.keys())
def test_the_bulk_path_refuses_what_household_create_refuses_with_the_same_errors(world, change):
    fields = new_household(world.village, **change)
    expected = refusal(world.township_staff, fields)
    [result] = services.households_register_many(actor=world.township_staff, rows=[fields])
    assert isinstance(result, ValidationError) and result.message_dict == expected
    assert not Household.objects.exists()


def test_region_retirement_and_uniqueness_hold_on_the_bulk_path(world, english):
    taken = make_household(world.other_village, "柳林户")  # registered, outside the uploader's region
    village_retire(actor=SYSTEM, village=world.village2, retired_on=datetime.date(2025, 1, 1), reason="合并")
    rows = [
        new_household(world.village),
        new_household(world.other_village),  # outside the region
        new_household(world.village, head_id_number=taken.head_id_number),  # registered elsewhere
        new_household(world.village2),  # retired
        new_household(world.village, status="exited", exit_year=2016),
    ]
    rows.append(new_household(world.village, head_id_number=rows[0]["head_id_number"]))  # twice
    expected = [refusal(world.township_staff, rows[i]) for i in (1, 2, 3)]
    results = services.households_register_many(actor=world.township_staff, rows=rows)
    assert [results[i].message_dict for i in (1, 2, 3)] == expected
    assert "region" in expected[0]["village"][0] and "retired" in expected[2]["village"][0]
    assert "already exists" in expected[1]["head_id_number"][0]
    assert results[5].message_dict == expected[1]
    registered = Household.objects.exclude(pk=taken.pk)
    assert sorted(registered.values_list("pk", flat=True)) == sorted([results[0].pk, results[4].pk])
    exited = Household.objects.get(pk=results[4].pk)
    assert (exited.status, exited.exit_year) == ("exited", 2016)
    assert list(exited.status_changes.values_list("status", "date")) == [
        ("exited", datetime.date(2016, 12, 31))
    ]


def test_the_period_lock_holds_for_the_exit_of_a_bulk_registered_household(world, run_import, english):
    approve(world.township, Year(2019))
    batch = upload(
        run_import,
        world.township_staff,
        households=[
            household_row(id_number(), status="已脱贫", exit_year=2018, registered_on="2014-05-01"),
            household_row(id_number(), status="已脱贫", exit_year=2019, registered_on="2014-05-01"),
            household_row(id_number(), registered_on="2019-05-01"),  # poor: its history starts unlocked
        ],
    )
    assert batch.state == ImportState.INVALID
    assert errors_at(batch) == {(HOUSEHOLDS_ZH, 4, "")}
    assert "closed" in batch.errors[0]["message"]
    assert not Household.objects.exists() and not HouseholdStatusChange.objects.exists()
    # The same household through the form's service is refused with the same message.
    with pytest.raises(ValidationError) as info:
        make_household(world.village, status="exited", exit_year=2019)
    assert info.value.messages == [batch.errors[0]["message"]]


def test_bad_rows_of_the_fast_path_are_reported_at_their_cells_and_nothing_is_saved(
    world, run_import, english
):
    taken = make_household(world.other_village, "柳林户")
    village_retire(actor=SYSTEM, village=world.village2, retired_on=datetime.date(2025, 1, 1), reason="合并")
    good = id_number()
    batch = upload(
        run_import,
        world.township_staff,
        households=[
            household_row(good),
            household_row(taken.head_id_number),  # registered in another township
            household_row(id_number(), "511903001002"),  # a retired village
            household_row(id_number(), status="已脱贫"),  # no exit year
            household_row(id_number(), status="已脱贫", exit_year=2010, registered_on="2014-05-01"),
            household_row(id_number(), size=0),
            household_row(good),  # twice in the file
        ],
    )
    assert batch.state == ImportState.INVALID
    assert errors_at(batch) == {
        (HOUSEHOLDS_ZH, 4, "C"),
        (HOUSEHOLDS_ZH, 5, "A"),
        (HOUSEHOLDS_ZH, 6, "G"),
        (HOUSEHOLDS_ZH, 7, "G"),
        (HOUSEHOLDS_ZH, 8, "D"),
        (HOUSEHOLDS_ZH, 9, ""),
    }
    assert [e["row"] for e in batch.errors] == sorted(e["row"] for e in batch.errors)  # in row order
    assert Household.objects.get() == taken


def test_a_bulk_import_is_one_change_set_in_the_audit_trail(world, run_import):
    rows = [household_row(id_number()) for _ in range(5)]
    rows.append(household_row(id_number(), status="已脱贫", exit_year=2016, registered_on="2014-05-01"))
    batch = upload(run_import, world.township_staff, households=rows)
    assert batch.state == ImportState.COMMITTED, batch.errors
    assert batch.rows_created == 6
    change_set = {str(entry["model"]): sum(entry["events"].values()) for entry in import_change_set(batch)}
    assert change_set == {
        str(Household._meta.verbose_name_plural): 6,
        str(HouseholdStatusChange._meta.verbose_name_plural): 1,
    }
    events = apps.get_model("assistance", "HouseholdEvent").objects.select_related("pgh_context")
    assert {(e.pgh_context.metadata["import_batch"], e.pgh_context.metadata["user"]) for e in events} == {
        (batch.pk, world.township_staff.pk)
    }


def test_paired_rows_keep_the_pairing_rules_beside_the_fast_path(world, run_import, english):
    cadre = make_cadre(world.village)
    rows = [household_row(id_number(), paired_cadre=cadre.id_number) for _ in range(6)]
    batch = upload(run_import, world.township_staff, households=[household_row(id_number()), *rows])
    assert errors_at(batch) == {(HOUSEHOLDS_ZH, 9, "I")}  # five pairs per cadre by default
    assert "maximum" in batch.errors[0]["message"]


def imported_queries(run_import, user, n) -> int:
    rows = [household_row(id_number(), "白鹤村" if i % 2 else "511903001001") for i in range(n)]
    rows[-1] = household_row(id_number(), status="已脱贫", exit_year=2016, registered_on="2014-05-01")
    with CaptureQueriesContext(connection) as queries:
        batch = upload(run_import, user, households=rows)
    assert batch.state == ImportState.COMMITTED and batch.rows_created == n, batch.errors
    return len(queries)


def test_queries_do_not_grow_with_the_rows(world, run_import, django_assert_max_num_queries):
    """Was 29 queries a household row (1,450 for 50 rows); now a fixed number per import."""
    few = imported_queries(run_import, world.township_staff, 10)
    with django_assert_max_num_queries(40):
        many = imported_queries(run_import, world.township_staff, 50)
    assert many == few


# Members and incomes


def member(household, **fields):
    return {
        "household": household,
        "name": "李桂兰",
        "id_number": id_number(),
        "relation": "spouse",
        **fields,
    }


def member_refusal(actor, fields) -> dict:
    with pytest.raises(ValidationError) as info:
        services.household_member_create(actor=actor, **fields)
    return info.value.message_dict


def test_the_bulk_path_refuses_members_as_household_member_create_does(
    world, household, far_household, english
):
    staff = world.township_staff
    services.household_member_create(
        actor=staff, household=household, name="张大山", id_number=household.head_id_number, relation="head"
    )
    on_record = services.household_member_create(actor=staff, **member(household))
    invalid = [
        member(household, relation="head"),  # a second head, and not the household's number
        member(household, relation="head", id_number=household.head_id_number),  # the head again
        member(household, id_number=on_record.id_number),  # the number is taken
        member(household, id_number="511903198001011230"),  # a mistyped number
        member(household, relation="cousin"),  # not a choice
        member(far_household),  # outside the region
    ]
    expected = [member_refusal(staff, fields) for fields in invalid]
    results = services.household_members_add_many(actor=staff, rows=invalid)
    assert [result.message_dict for result in results] == expected
    # Counted with the rows before it: the household has 3 people, 2 on record.
    results = services.household_members_add_many(actor=staff, rows=[member(household), member(household)])
    assert isinstance(results[0], HouseholdMember) and results[0].pk
    assert household.members.count() == 3
    assert "all on record" in results[1].message_dict["household"][0]


def test_two_heads_in_the_same_file_are_refused_on_the_bulk_path(world, run_import, household, english):
    head = household.head_id_number
    batch = upload(
        run_import,
        world.township_staff,
        members=[member_row(head, head), member_row(head, id_number(), "二家长", "户主")],
    )
    assert errors_at(batch) == {("家庭成员", 4, "C")}  # its number is not the household's
    assert not household.members.exists()


def income(household, year=2024, amount=6800):
    return {"household": household, "year": year, "per_capita_net_income": amount}


def test_the_bulk_path_refuses_incomes_as_household_income_create_does(
    world, household, far_household, english
):
    staff = world.township_staff
    services.household_income_create(actor=staff, **income(household, 2023))
    approve(world.township, Year(2022))
    invalid = [
        income(household, 2023),  # on record
        income(household, 1990),  # before 2000
        income(household, TODAY.year + 1),  # a future year
        income(household, 2024, -1),  # negative
        income(household, 2022),  # a year closed by the period lock
        income(far_household, 2024),  # outside the region
    ]
    expected = []
    for fields in invalid:
        with pytest.raises(ValidationError) as info:
            services.household_income_create(actor=staff, **fields)
        expected.append(errors_of(info.value))
    results = services.household_incomes_add_many(actor=staff, rows=[*invalid, income(household, 2024)])
    assert [errors_of(result) for result in results[:-1]] == expected
    assert "closed" in str(expected[4])
    assert results[-1].pk and household.incomes.count() == 2
    again = services.household_incomes_add_many(
        actor=staff, rows=[income(household, 2021), income(household, 2021)]
    )
    assert again[0].pk and again[1].message_dict == expected[0]


def test_queries_for_members_and_incomes_do_not_grow_with_the_rows(world, run_import):
    def queries(n):
        heads = [id_number() for _ in range(n)]
        with CaptureQueriesContext(connection) as captured:
            batch = upload(
                run_import,
                world.township_staff,
                households=[household_row(head) for head in heads],
                members=[member_row(head, head) for head in heads],
                incomes=[income_row(head) for head in heads],
            )
        assert batch.state == ImportState.COMMITTED and batch.rows_created == 3 * n, batch.errors
        return len(captured)

    assert queries(10) == queries(50) <= 50


def test_the_check_constraints_clean_replaces_exist_and_stay_in_the_database():
    """clean() stands in for these constraints in full_clean(); a renamed one would go unchecked."""
    checks = {c.name for c in Household._meta.constraints if isinstance(c, CheckConstraint)}
    assert checks >= Household.CHECKED_IN_CLEAN
    remaining = {c.name for _model, constraints in Household().get_constraints() for c in constraints}
    assert remaining == {"household_head_id_number_unique"}
