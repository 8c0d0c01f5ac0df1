"""Excel import of morality-bank residents and awards: template, upserts, awards left for approval,
row errors, scope and the period lock."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from apps.assistance.services import household_create
from apps.core.actors import SYSTEM
from apps.core.models import ImportState, PeriodStatus, ReportingPeriod
from apps.core.periods import Year
from apps.core.reporting.services import period_row
from apps.morality_bank.models import Award, AwardStatus, LedgerEntry, Resident
from apps.morality_bank.services import award_approve
from tests.conftest import id_number as new_id_number
from tests.conftest import import_workbook

pytestmark = pytest.mark.django_db

KIND = "morality_residents"
RESIDENTS, AWARDS = "residents", "awards"
ITEM = "主动调解邻里纠纷"  # 2 … 5 points, category 律己守法
DEDUCTION = "乱堆乱放、乱倒垃圾"  # −5 … −1


def id_number() -> str:
    # Born in 1990: never one of the bank fixture's numbers (1980).
    return new_id_number(born="19900101")


def resident_row(number, village="511903001001", name="刘明华", **fields):
    return {"village": village, "name": name, "id_number": number, **fields}


def award_row(number, item=ITEM, points=3, date=datetime.date(2024, 6, 18), **fields):
    return {"resident": number, "item": item, "points": points, "date": date, **fields}


def upload(run_import, user, residents=(), awards=()):
    content = import_workbook(KIND, {RESIDENTS: list(residents), AWARDS: list(awards)})
    return run_import(user, KIND, content)


def errors_at(batch) -> set[tuple[str, int, str]]:
    return {(e["sheet"], e["row"], e["column"]) for e in batch.errors}


def test_template_has_the_residents_and_awards_sheets(world, client, default_catalogue):
    client.force_login(world.township_staff)
    response = client.get(reverse("core:import_template", args=[KIND]))
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["说明", "村民", "积分记录", "_lists"]
    assert [c.value for c in book["村民"][1]] == ["村*", "姓名*", "身份证号码*", "户主身份证号码"]
    assert [c.value for c in book["积分记录"][1]] == [
        "身份证号码*",
        "姓名",
        "积分项目*",
        "类别",
        "积分*",
        "日期*",
        "事实依据",
    ]
    assert book["积分记录"]["A3"].value == book["村民"]["C3"].value  # the example resident
    assert book["积分记录"]["D3"].value == "律己守法"  # the example item's category


def test_the_untouched_template_imports_nothing(world, client, run_import, default_catalogue):
    client.force_login(world.township_staff)
    content = client.get(reverse("core:import_template", args=[KIND])).content
    batch = run_import(world.township_staff, KIND, content)
    assert batch.state == ImportState.COMMITTED and batch.rows_total == 0, batch.errors
    assert not Resident.objects.exists()


def test_a_valid_file_registers_residents_and_records_pending_awards(world, run_import, default_catalogue):
    household = household_create(
        actor=SYSTEM,
        village=world.village,
        head_name="刘明华",
        head_id_number=id_number(),
        size=3,
        cause="illness",
    )
    liu, chen = household.head_id_number, id_number()
    batch = upload(
        run_import,
        world.township_staff,
        residents=[resident_row(liu, household=liu), resident_row(chen, "白鹤村", "陈桂芳")],
        awards=[
            award_row(liu, evidence="调解宅基地纠纷"),
            award_row(
                chen, "遵纪守法，全年无违法违纪行为", 5, "2024-12-31", name="陈桂芳", category="律己守法"
            ),
            award_row(chen, DEDUCTION, -2, "2024年7月1日"),
        ],
    )
    assert batch.state == ImportState.COMMITTED, batch.errors
    assert (batch.rows_total, batch.rows_created) == (5, 5)
    resident = Resident.objects.get(id_number=liu)
    assert (resident.village, resident.name, resident.household) == (world.village, "刘明华", household)
    assert Resident.objects.get(id_number=chen).village == world.village2
    awards = Award.objects.order_by("date")
    assert [(a.resident.name, a.item.name, a.points) for a in awards] == [
        ("刘明华", ITEM, 3),
        ("陈桂芳", DEDUCTION, -2),
        ("陈桂芳", "遵纪守法，全年无违法违纪行为", 5),
    ]
    # Recorded by the uploader and waiting for another user: no points move yet.
    assert {(a.status, a.recorded_by) for a in awards} == {(AwardStatus.PENDING, world.township_staff)}
    assert awards[0].evidence == "调解宅基地纠纷"
    assert not LedgerEntry.objects.exists() and resident.balance == 0


def test_a_second_upload_updates_residents_and_leaves_recorded_awards_alone(
    world, run_import, default_catalogue
):
    number = id_number()
    first = upload(
        run_import, world.township_staff, residents=[resident_row(number)], awards=[award_row(number)]
    )
    assert first.state == ImportState.COMMITTED, first.errors
    award_approve(actor=world.county_admin, award=Award.objects.get())
    again = upload(
        run_import,
        world.township_staff,
        residents=[resident_row(number, name="刘明化"), resident_row(id_number(), name="新村民")],
        awards=[award_row(number), award_row(number, date=datetime.date(2024, 6, 19))],
    )
    assert again.state == ImportState.COMMITTED, again.errors
    assert (again.rows_created, again.rows_updated, again.rows_unchanged) == (2, 1, 1)
    assert Resident.objects.get(id_number=number).name == "刘明化"
    assert Award.objects.count() == 2 and Resident.objects.count() == 2


def test_an_award_is_not_edited_by_a_later_upload(world, run_import, default_catalogue, english):
    number = id_number()
    upload(run_import, world.township_staff, residents=[resident_row(number)], awards=[award_row(number)])
    batch = upload(run_import, world.township_staff, awards=[award_row(number, points=4)])
    assert errors_at(batch) == {("积分记录", 3, "E")}
    assert "already recorded with 3 points" in batch.errors[0]["message"]
    assert Award.objects.get().points == 3


def test_one_bad_row_on_each_sheet_saves_nothing(world, run_import, default_catalogue, english):
    good = id_number()
    batch = upload(
        run_import,
        world.township_staff,
        residents=[
            resident_row(good),
            resident_row(float(id_number()[:15]) * 1000, name="数字身份证"),  # typed as a number
            resident_row(id_number(), household=id_number()),  # no such poor household
        ],
        awards=[
            award_row(good),
            award_row(good, points=9, date=datetime.date(2024, 1, 2)),  # above the item's range
            award_row(good, "种地"),  # not in the catalogue
            award_row(id_number()),  # no such resident
            award_row(good, name="张三", date=datetime.date(2024, 1, 3)),
            award_row(good, date=datetime.date.today() + datetime.timedelta(days=5)),
        ],
    )
    assert batch.state == ImportState.INVALID
    assert not Resident.objects.exists() and not Award.objects.exists()
    assert errors_at(batch) == {
        ("村民", 4, "C"),
        ("村民", 5, "D"),
        ("积分记录", 4, "E"),
        ("积分记录", 5, "C"),
        ("积分记录", 6, "A"),
        ("积分记录", 7, "B"),
        ("积分记录", 8, "F"),
    }
    messages = {(e["sheet"], e["row"]): e["message"] for e in batch.errors}
    assert "stored as a number" in messages["村民", 4]
    assert "between 2 and 5" in messages["积分记录", 4]
    assert "No item named “种地”" in messages["积分记录", 5]
    assert "is 刘明华" in messages["积分记录", 7]


def test_rows_outside_the_uploaders_region_are_refused(world, run_import, bank, english):
    batch = upload(
        run_import,
        world.township_staff,
        residents=[resident_row(id_number()), resident_row(id_number(), "511903002001")],
        awards=[award_row(bank.other_resident.id_number), award_row(bank.resident.id_number)],
    )
    assert batch.state == ImportState.INVALID
    assert errors_at(batch) == {("村民", 4, "A"), ("积分记录", 3, "A")}
    assert not Award.objects.exists()
    # A resident keeps their village; one registered outside the region is not taken over.
    moved = upload(
        run_import,
        world.township_staff,
        residents=[
            resident_row(bank.resident.id_number, "白鹤村"),
            resident_row(bank.far_resident.id_number),
        ],
    )
    assert errors_at(moved) == {("村民", 3, "A"), ("村民", 4, "C")}
    bank.resident.refresh_from_db()
    assert bank.resident.village == world.village
    # The county admin may award residents of every township of the county.
    county = upload(run_import, world.county_admin, awards=[award_row(bank.other_resident.id_number)])
    assert county.state == ImportState.COMMITTED, county.errors


def test_the_period_lock_holds_for_awards(world, run_import, bank):
    row = period_row(township=world.township, period=Year(2024))
    ReportingPeriod.objects.filter(pk=row.pk).update(status=PeriodStatus.APPROVED)
    number = bank.resident.id_number
    batch = upload(
        run_import,
        world.township_staff,
        awards=[award_row(number, date=datetime.date(2025, 1, 6)), award_row(number)],
    )
    assert batch.state == ImportState.INVALID
    assert [(e["sheet"], e["row"]) for e in batch.errors] == [("积分记录", 4)]
    assert not Award.objects.exists()
