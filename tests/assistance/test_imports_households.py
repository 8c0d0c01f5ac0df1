"""Excel import of poor households with members and incomes: template, upserts by natural key,
references across sheets, row errors, scope and the period lock."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from apps.assistance.models import Household, HouseholdIncome, HouseholdMember
from apps.core.imports.spec import import_kind
from apps.core.models import ImportState, PeriodStatus, ReportingPeriod
from apps.core.periods import Year
from apps.core.reporting.services import period_row
from tests.conftest import import_workbook

from .conftest import id_number, make_cadre, make_household

pytestmark = pytest.mark.django_db

KIND = "households"
HOUSEHOLDS, MEMBERS, INCOMES = "poor households", "household members", "household incomes"


def household_row(head, village="511903001001", name="张大山", **fields):
    return {
        "village": village,
        "head_name": name,
        "head_id_number": head,
        "size": 3,
        "cause": "因病",
        **fields,
    }


def member_row(head, number, name="张大山", relation="户主", **fields):
    return {"household": head, "name": name, "id_number": number, "relation": relation, **fields}


def income_row(head, year=2024, amount=6800):
    return {"household": head, "year": year, "per_capita_net_income": amount}


def upload(run_import, user, households=(), members=(), incomes=()):
    content = import_workbook(
        KIND, {HOUSEHOLDS: list(households), MEMBERS: list(members), INCOMES: list(incomes)}
    )
    return run_import(user, KIND, content)


def errors_at(batch) -> set[tuple[str, int, str]]:
    return {(e["sheet"], e["row"], e["column"]) for e in batch.errors}


def test_template_has_the_three_sheets_with_their_headers(world, client):
    client.force_login(world.township_staff)
    response = client.get(reverse("core:import_template", args=[KIND]))
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["说明", "贫困户", "家庭成员", "家庭收入", "_lists"]
    headers = {title: [cell.value for cell in book[title][1]] for title in ("贫困户", "家庭成员", "家庭收入")}
    assert headers["贫困户"][:5] == ["村*", "户主*", "户主身份证号码*", "家庭人口*", "主要致贫原因*"]
    assert headers["家庭成员"][:4] == ["户主身份证号码*", "姓名*", "身份证号码*", "与户主关系*"]
    assert headers["家庭收入"] == ["户主身份证号码*", "年份*", "人均纯收入*"]
    assert [cell.value for cell in book["家庭收入"][2]] == [
        "ID number of the head",
        "year",
        "per-capita net income",
    ]
    assert book["贫困户"].column_dimensions["C"].number_format == "@"  # ID numbers stay text
    assert book["家庭成员"]["A3"].value == book["贫困户"]["C3"].value  # the examples hang together
    instructions = " ".join(str(c.value) for row in book["说明"].iter_rows() for c in row if c.value)
    assert "贫困户" in instructions and "家庭收入" in instructions


def test_the_untouched_template_imports_nothing(world, client, run_import):
    client.force_login(world.township_staff)
    content = client.get(reverse("core:import_template", args=[KIND])).content
    batch = run_import(world.township_staff, KIND, content)
    assert batch.state == ImportState.COMMITTED and batch.rows_total == 0, batch.errors
    assert not Household.objects.exists()


def test_a_valid_file_registers_households_with_members_and_incomes(world, run_import):
    cadre = make_cadre(world.village, "结对李干部")
    zhang, wang, spouse = id_number(), id_number(), id_number(born="19820304")
    batch = upload(
        run_import,
        world.township_staff,
        households=[
            household_row(zhang, registered_on="2014-05-01", paired_cadre=cadre.id_number),
            household_row(
                wang,
                "白鹤村",
                "王秀英",
                size=1,
                cause="缺劳力",
                status="已脱贫",
                exit_year=2019,
                registered_on=datetime.date(2015, 3, 1),
            ),
        ],
        members=[
            member_row(zhang, zhang),
            member_row(zhang, spouse, "李桂兰", "配偶", labour_capacity="弱劳动力", health="长期慢性病"),
            member_row(wang, wang, "王秀英"),
        ],
        incomes=[income_row(zhang, 2023, "5,200.50"), income_row(zhang, 2024), income_row(wang, 2024, 9100)],
    )
    assert batch.state == ImportState.COMMITTED, batch.errors
    assert (batch.rows_total, batch.rows_created, batch.rows_updated) == (8, 8, 0)
    household = Household.objects.get(head_id_number=zhang)
    assert (household.village, household.size, household.cause, household.status) == (
        world.village,
        3,
        "illness",
        "poor",
    )
    assert household.paired_cadre == cadre and household.registered_on == datetime.date(2014, 5, 1)
    exited = Household.objects.get(head_id_number=wang)
    assert (exited.village, exited.status, exited.exit_year) == (world.village2, "exited", 2019)
    assert exited.status_changes.get().date == datetime.date(2019, 12, 31)
    member = HouseholdMember.objects.get(id_number=spouse)
    assert (member.household, member.relation, member.labour_capacity, member.health) == (
        household,
        "spouse",
        "partial",
        "chronic",
    )
    assert member.birth_date == datetime.date(1982, 3, 4)
    assert HouseholdIncome.objects.get(household=household, year=2023).per_capita_net_income == Decimal(
        "5200.50"
    )
    assert HouseholdIncome.objects.count() == 3


def test_a_second_upload_updates_by_natural_key(world, run_import, household):
    head = household.head_id_number
    first = upload(
        run_import,
        world.township_staff,
        households=[household_row(head)],
        members=[member_row(head, head)],
        incomes=[income_row(head, 2023), income_row(head, 2024)],
    )
    assert (first.rows_created, first.rows_updated, first.rows_unchanged) == (3, 0, 1), first.errors
    again = upload(
        run_import,
        world.township_staff,
        # Blank optional cells keep their value; a new status is a change dated today.
        households=[household_row(head, "红旗村", size=4, status="已脱贫")],
        members=[member_row(head, head, health="大病")],
        incomes=[income_row(head, 2023), income_row(head, 2024, 7000)],
    )
    assert again.state == ImportState.COMMITTED, again.errors
    assert (again.rows_created, again.rows_updated, again.rows_unchanged) == (0, 3, 1)
    household.refresh_from_db()
    assert (household.size, household.registered_on) == (4, datetime.date(2014, 5, 1))
    assert (household.status, household.exit_year) == ("exited", timezone.localdate().year)
    assert household.status_changes.get().date == timezone.localdate()
    assert household.members.get().health == "serious"
    assert household.incomes.get(year=2024).per_capita_net_income == Decimal("7000")
    assert Household.objects.count() == 1 and HouseholdIncome.objects.count() == 2


def test_one_bad_row_on_each_sheet_saves_nothing(world, run_import, english):
    good, other = id_number(), id_number()
    batch = upload(
        run_import,
        world.township_staff,
        households=[
            household_row(good),
            household_row(good[:-1] + ("0" if good[-1] != "0" else "1")),  # a mistyped check character
            household_row(other, status="监测户"),  # a new household is poor or exited
        ],
        members=[
            member_row(good, good),
            member_row(id_number(), id_number(), "无户之人", "子女"),  # no such household
            member_row(good, id_number(), "错户主"),  # a second head whose number is not the household's
        ],
        incomes=[income_row(good, 2023), income_row(good, 2024, -5), income_row(good, 1990)],
    )
    assert batch.state == ImportState.INVALID
    assert not Household.objects.exists() and not HouseholdMember.objects.exists()
    assert not HouseholdIncome.objects.exists()
    assert errors_at(batch) == {
        ("贫困户", 4, "C"),
        ("贫困户", 5, "F"),
        ("家庭成员", 4, "A"),
        ("家庭成员", 5, "C"),
        ("家庭收入", 4, "C"),
        ("家庭收入", 5, "B"),
    }
    messages = {(e["sheet"], e["row"]): e["message"] for e in batch.errors}
    assert "check character" in messages["贫困户", 4]
    assert "register it on the first sheet" in messages["家庭成员", 4]
    assert "negative" in messages["家庭收入", 4]
    masked = next(e for e in batch.errors if e["sheet"] == "贫困户")["value"]
    assert "*" in masked  # ID numbers are masked in the report


def test_duplicate_keys_within_the_file(world, run_import):
    head = id_number()
    batch = upload(
        run_import,
        world.township_staff,
        households=[household_row(head), household_row(head.lower())],
        incomes=[income_row(head, 2024), income_row(head, 2024, 1)],
    )
    assert [(e["sheet"], e["row"]) for e in batch.errors] == [("贫困户", 4), ("家庭收入", 4)]
    assert not Household.objects.exists()


def test_a_member_cannot_move_to_another_household(world, run_import, english):
    first = make_household(world.village)
    second = make_household(world.village, "李四")
    batch = upload(
        run_import, world.township_staff, members=[member_row(first.head_id_number, first.head_id_number)]
    )
    assert batch.state == ImportState.COMMITTED, batch.errors
    moved = upload(
        run_import,
        world.township_staff,
        members=[member_row(second.head_id_number, first.head_id_number, relation="其他亲属")],
    )
    assert errors_at(moved) == {("家庭成员", 3, "A")}
    assert "another household" in moved.errors[0]["message"]
    assert HouseholdMember.objects.get().household == first


def test_rows_outside_the_uploaders_region_are_refused(world, run_import, far_household, english):
    outsider = make_household(world.other_village, "柳林户")
    batch = upload(
        run_import,
        world.township_staff,
        households=[household_row(id_number()), household_row(id_number(), "511903002001")],
        members=[member_row(far_household.head_id_number, far_household.head_id_number, "外县户")],
        incomes=[income_row(outsider.head_id_number)],
    )
    assert batch.state == ImportState.INVALID
    assert errors_at(batch) == {("贫困户", 4, "A"), ("家庭成员", 3, "A"), ("家庭收入", 3, "A")}
    assert Household.objects.count() == 2 and not HouseholdMember.objects.exists()
    # Registering a head already registered elsewhere is refused at the number, not merged.
    again = upload(run_import, world.township_staff, households=[household_row(outsider.head_id_number)])
    assert errors_at(again) == {("贫困户", 3, "C")}
    # The county admin may import for every township of the county.
    county = upload(
        run_import,
        world.county_admin,
        households=[household_row(id_number(), "511903002001")],
        incomes=[income_row(outsider.head_id_number)],
    )
    assert county.state == ImportState.COMMITTED, county.errors
    assert outsider.incomes.count() == 1


def test_an_unknown_paired_cadre_is_refused(world, run_import):
    far_cadre = make_cadre(world.far_village, "外县干部")
    batch = upload(
        run_import,
        world.township_staff,
        households=[household_row(id_number(), paired_cadre=far_cadre.id_number)],
    )
    assert errors_at(batch) == {("贫困户", 3, "I")}
    assert not Household.objects.exists()


def test_the_period_lock_holds_for_incomes(world, run_import, household):
    row = period_row(township=world.township, period=Year(2024))
    ReportingPeriod.objects.filter(pk=row.pk).update(status=PeriodStatus.APPROVED)
    head = household.head_id_number
    batch = upload(run_import, world.township_staff, incomes=[income_row(head, 2023), income_row(head, 2024)])
    assert batch.state == ImportState.INVALID
    assert [(e["sheet"], e["row"]) for e in batch.errors] == [("家庭收入", 4)]
    assert not HouseholdIncome.objects.exists()


def test_every_sheet_documents_its_upsert_rule():
    kind = import_kind(KIND)
    assert [sheet.key for sheet in kind.sheets] == [
        ("head_id_number",),
        ("id_number",),
        ("household", "year"),
    ]
    assert all(str(sheet.upsert_rule) for sheet in kind.sheets)
