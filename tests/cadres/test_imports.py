"""Excel import of cadres with their positions, and of reserve cadres: templates, upserts by natural key,
row errors at their cells, the single-holder rule, scope and the period lock."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from apps.cadres.models import Cadre, CadrePosition, ReserveCadre
from apps.core.models import ImportState, PeriodStatus, ReportingPeriod
from apps.core.periods import Year
from apps.core.reporting.services import period_row
from tests.cadres.conftest import id_number
from tests.conftest import import_workbook

pytestmark = pytest.mark.django_db

D = datetime.date
CADRES, RESERVES = "cadres", "reserve_cadres"
CADRE_SHEET, POSITION_SHEET = "cadres", "cadre positions"


def cadre_row(number, village="511903001001", name="王建国", **fields):
    return {
        "village": village,
        "name": name,
        "id_number": number,
        "gender": "男",
        "education": "高中（中专）",
        **fields,
    }


def position_row(number, role="secretary", start_date=datetime.date(2021, 1, 15), **fields):
    return {"cadre": number, "role": role, "start_date": start_date, **fields}


def reserve_row(number, village="511903001001", name="李晓东", since=datetime.date(2022, 3, 1), **fields):
    return {
        "village": village,
        "name": name,
        "id_number": number,
        "gender": "male",
        "education": "college",
        "since": since,
        **fields,
    }


def upload_cadres(run_import, user, cadres=(), positions=()):
    content = import_workbook(CADRES, {CADRE_SHEET: list(cadres), POSITION_SHEET: list(positions)})
    return run_import(user, CADRES, content)


def upload_reserves(run_import, user, rows):
    return run_import(user, RESERVES, import_workbook(RESERVES, list(rows)))


def errors_at(batch) -> set[tuple[str, int, str]]:
    return {(e["sheet"], e["row"], e["column"]) for e in batch.errors}


def template(client, user, kind):
    client.force_login(user)
    response = client.get(reverse("core:import_template", args=[kind]))
    assert response.status_code == 200
    return response.content, openpyxl.load_workbook(io.BytesIO(response.content))


def headers(sheet, row):
    return [cell.value for cell in sheet[row]]


# Templates


def test_cadres_template_has_the_cadres_and_positions_sheets(world, client):
    _content, book = template(client, world.township_staff, CADRES)
    assert book.sheetnames == ["说明", "村干部", "村干部任职", "_lists"]
    cadres, positions = book["村干部"], book["村干部任职"]
    assert headers(cadres, 1) == [
        "村*",
        "姓名*",
        "身份证号码*",
        "性别*",
        "民族",
        "学历*",
        "党员",
        "来源",
        "致富能手",
        "备注",
    ]
    assert headers(cadres, 2) == [
        "village",
        "full name",
        "ID number",
        "gender",
        "ethnicity",
        "education",
        "Party member",
        "source",
        "wealth leader",
        "notes",
    ]
    assert headers(positions, 1) == [
        "身份证号码*",
        "姓名",
        "角色*",
        "开始日期*",
        "村",
        "结束日期",
        "离任原因",
        "原因说明",
        "月报酬（元）",
    ]
    assert headers(positions, 2)[:4] == ["ID number", "full name", "role", "start date"]
    assert positions["A3"].value == cadres["C3"].value  # the example position is the example cadre's
    assert cadres.column_dimensions["C"].number_format == "@"  # ID numbers stay text
    instructions = " ".join(str(c.value) for row in book["说明"].iter_rows() for c in row if c.value)
    assert "村干部 / cadres" in instructions and "村干部任职 / cadre positions" in instructions


def test_reserve_template(world, client):
    _content, book = template(client, world.township_staff, RESERVES)
    assert book.sheetnames == ["说明", "后备力量", "_lists"]
    assert headers(book["后备力量"], 1) == [
        "村*",
        "姓名*",
        "身份证号码*",
        "性别*",
        "学历*",
        "党员",
        "返乡农民工",
        "纳入后备力量日期*",
        "退出后备力量日期",
        "备注",
    ]
    assert headers(book["后备力量"], 2)[7:9] == ["in the reserve pool since", "left the reserve pool on"]


@pytest.mark.parametrize("kind", [CADRES, RESERVES])
def test_the_untouched_template_imports_nothing(world, client, run_import, kind):
    content, _book = template(client, world.township_staff, kind)
    batch = run_import(world.township_staff, kind, content)
    assert batch.state == ImportState.COMMITTED and batch.rows_total == 0, batch.errors
    assert not Cadre.objects.exists() and not ReserveCadre.objects.exists()


# Cadres and positions


def test_a_valid_file_enters_cadres_and_their_positions(world, run_import, make_cadre):
    sitting = make_cadre(world.village2, name="赵德明")
    wang, liu = id_number(D(1975, 6, 15)), id_number(D(1988, 2, 3), male=False)
    batch = upload_cadres(
        run_import,
        world.township_staff,
        cadres=[
            cadre_row(wang, ethnicity="回族", is_party_member="是", source="返乡农民工"),
            cadre_row(liu, "白鹤村", "刘芳", gender="female", education="college", is_wealth_leader="否"),
        ],
        positions=[
            position_row(wang, monthly_pay="1,680", name="王建国"),
            position_row(liu, "clerk", "2021/1/15", monthly_pay=1250),
            position_row(
                sitting.id_number, "member", D(2018, 1, 20), end_date=D(2021, 1, 15), end_reason="任期届满"
            ),
        ],
    )
    assert batch.state == ImportState.COMMITTED, batch.errors
    assert (batch.rows_total, batch.rows_created, batch.rows_updated) == (5, 5, 0)
    cadre = Cadre.objects.get(id_number=wang)
    assert (cadre.village, cadre.name, cadre.ethnicity, cadre.birth_date) == (
        world.village,
        "王建国",
        "回族",
        D(1975, 6, 15),
    )
    assert (cadre.education, cadre.is_party_member, cadre.source) == ("high_school", True, "returned_migrant")
    assert Cadre.objects.get(id_number=liu).village == world.village2
    positions = {(p.cadre.name, p.role): p for p in CadrePosition.objects.select_related("cadre")}
    assert set(positions) == {("王建国", "secretary"), ("刘芳", "clerk"), ("赵德明", "member")}
    secretary = positions["王建国", "secretary"]
    assert (secretary.village, secretary.monthly_pay, secretary.end_date) == (
        world.village,
        Decimal("1680"),
        None,
    )
    ended = positions["赵德明", "member"]
    assert (ended.end_date, ended.end_reason) == (D(2021, 1, 15), "term_end")


def test_a_second_upload_updates_by_natural_key(world, run_import):
    wang, liu = id_number(), id_number(D(1980, 1, 1))
    first = upload_cadres(
        run_import,
        world.township_staff,
        cadres=[cadre_row(wang, ethnicity="回族"), cadre_row(liu, name="刘强")],
        positions=[position_row(wang, monthly_pay=1650), position_row(liu, "director")],
    )
    assert first.state == ImportState.COMMITTED, first.errors
    again = upload_cadres(
        run_import,
        world.township_staff,
        cadres=[
            cadre_row(wang, name="王建军", education="college"),  # ethnicity blank: kept
            cadre_row(liu, name="刘强"),
            cadre_row(id_number(D(1990, 5, 5)), name="新干部"),
        ],
        positions=[
            position_row(wang, monthly_pay=1700),
            position_row(
                liu, "director", end_date=D(2024, 6, 30), end_reason="resigned", end_note="外出务工"
            ),
            position_row(liu, "member"),  # another role: a new position
        ],
    )
    assert again.state == ImportState.COMMITTED, again.errors
    assert (again.rows_created, again.rows_updated, again.rows_unchanged) == (2, 3, 1)
    cadre = Cadre.objects.get(id_number=wang)
    assert (cadre.name, cadre.education, cadre.ethnicity) == ("王建军", "college", "回族")
    assert Cadre.objects.count() == 3 and CadrePosition.objects.count() == 3
    assert CadrePosition.objects.get(cadre=cadre).monthly_pay == Decimal("1700")
    director = CadrePosition.objects.get(cadre__id_number=liu, role="director")
    assert (director.end_date, director.end_reason, director.end_note) == (
        D(2024, 6, 30),
        "resigned",
        "外出务工",
    )
    unchanged = upload_cadres(run_import, world.township_staff, positions=[position_row(wang)])
    assert (unchanged.rows_updated, unchanged.rows_unchanged) == (0, 1)  # blank pay keeps 1700


def test_a_new_secretary_follows_the_end_of_the_previous_one(world, run_import, make_cadre, make_position):
    old = make_cadre(name="周老书记", born=D(1960, 3, 3))
    make_position(old, "secretary", D(2018, 1, 20))
    new = id_number(D(1985, 8, 8))
    ending = position_row(
        old.id_number, start_date=D(2018, 1, 20), end_date=D(2024, 7, 1), end_reason="term_end"
    )
    appointing = position_row(new, start_date=D(2024, 7, 1))
    wrong_order = upload_cadres(run_import, world.township_staff, [cadre_row(new)], [appointing, ending])
    assert wrong_order.state == ImportState.INVALID
    assert errors_at(wrong_order) == {("村干部任职", 3, "")}
    assert "周老书记" in wrong_order.errors[0]["message"]
    assert not Cadre.objects.filter(id_number=new).exists()
    batch = upload_cadres(run_import, world.township_staff, [cadre_row(new)], [ending, appointing])
    assert batch.state == ImportState.COMMITTED, batch.errors
    assert CadrePosition.objects.current().get(village=world.village, role="secretary").cadre.id_number == new


def test_one_bad_row_on_each_sheet_saves_nothing(world, run_import, english):
    good = id_number(D(1975, 6, 15))
    young = id_number(D(2008, 1, 1))
    batch = upload_cadres(
        run_import,
        world.township_staff,
        cadres=[
            cadre_row(good),
            cadre_row(float(id_number()[:15]) * 1000, name="数字身份证"),  # typed as a number
            cadre_row(id_number(), education="小学"),  # not a choice
            cadre_row(young, name="小王"),
        ],
        positions=[
            position_row(good),
            position_row(good, "clerk", end_date=D(2023, 1, 1)),  # ended without a reason
            position_row(id_number()),  # no such cadre
            position_row(good, "member", name="张三"),  # not this cadre's name
            position_row(young, "member", D(2024, 1, 1)),  # 16 years old
            position_row(good, "director", D(2021, 1, 15), end_date=D(2020, 1, 1), end_reason="resigned"),
        ],
    )
    assert batch.state == ImportState.INVALID
    assert not Cadre.objects.exists() and not CadrePosition.objects.exists()
    assert errors_at(batch) == {
        ("村干部", 4, "C"),
        ("村干部", 5, "F"),
        ("村干部任职", 4, "G"),
        ("村干部任职", 5, "A"),
        ("村干部任职", 6, "B"),
        ("村干部任职", 7, "D"),
        ("村干部任职", 8, "F"),
    }
    messages = {(e["sheet"], e["row"]): e["message"] for e in batch.errors}
    assert "stored as a number" in messages["村干部", 4]
    assert "junior college" in messages["村干部", 5]
    assert "Give the reason" in messages["村干部任职", 4]
    assert "enter them on the cadres sheet" in messages["村干部任职", 5]
    assert "is 王建国" in messages["村干部任职", 6]
    assert "younger than 18" in messages["村干部任职", 7]
    assert "cannot end before it starts" in messages["村干部任职", 8]


def test_a_refused_update_does_not_leak_into_later_rows(world, run_import, make_cadre, make_position):
    cadre = make_cadre(name="王建国")
    make_position(make_cadre(world.village2, name="白鹤书记"), "secretary", D(2020, 1, 1))
    batch = upload_cadres(
        run_import,
        world.township_staff,
        cadres=[cadre_row(cadre.id_number, "白鹤村", name="王" * 60)],  # moved, but the name is too long
        positions=[position_row(cadre.id_number)],  # so the cadre is still of 红旗村, which has no secretary
    )
    assert errors_at(batch) == {("村干部", 3, "B")}
    cadre.refresh_from_db()
    assert cadre.village == world.village and not cadre.positions.exists()


def test_duplicate_positions_in_one_file(world, run_import):
    number = id_number()
    batch = upload_cadres(
        run_import,
        world.township_staff,
        [cadre_row(number)],
        [position_row(number), position_row(number, start_date="2021年1月15日")],
    )
    assert errors_at(batch) == {("村干部任职", 4, "")}
    assert not Cadre.objects.exists()


def test_cadre_rows_outside_the_uploaders_region_are_refused(world, run_import, make_cadre, english):
    elsewhere = make_cadre(world.other_village, name="柳林干部")
    far = make_cadre(world.far_village, name="江北干部")
    batch = upload_cadres(
        run_import,
        world.township_staff,
        cadres=[
            cadre_row(id_number()),
            cadre_row(id_number(), "511903002001"),  # a village of another township
            cadre_row(far.id_number),  # a cadre of another county, taken over into this village
        ],
        positions=[position_row(elsewhere.id_number, "member")],
    )
    assert batch.state == ImportState.INVALID
    assert errors_at(batch) == {("村干部", 4, "A"), ("村干部", 5, "C"), ("村干部任职", 3, "A")}
    assert "already recorded" in next(e["message"] for e in batch.errors if e["row"] == 5)
    assert Cadre.objects.count() == 2 and not CadrePosition.objects.exists()
    far.refresh_from_db()
    assert far.village == world.far_village
    # The county admin may enter positions for every township of the county, not another county.
    county = upload_cadres(
        run_import,
        world.county_admin,
        positions=[position_row(elsewhere.id_number, "member"), position_row(far.id_number, "member")],
    )
    assert errors_at(county) == {("村干部任职", 4, "A")}


def test_the_period_lock_holds_for_positions(world, run_import, make_cadre, make_position, english):
    sitting = make_cadre()
    make_position(sitting, "member", D(2021, 1, 15))
    row = period_row(township=world.township, period=Year(2024))
    ReportingPeriod.objects.filter(pk=row.pk).update(status=PeriodStatus.APPROVED)
    number = id_number()
    batch = upload_cadres(
        run_import,
        world.township_staff,
        cadres=[cadre_row(number)],  # cadres are not period data
        positions=[
            position_row(number, "clerk", D(2023, 3, 1)),
            position_row(number, "secretary", D(2024, 3, 1)),  # starts in the closed year
            position_row(sitting.id_number, "member", end_date=D(2024, 9, 1), end_reason="resigned"),
        ],
    )
    assert batch.state == ImportState.INVALID
    assert [(e["sheet"], e["row"]) for e in batch.errors] == [("村干部任职", 4), ("村干部任职", 5)]
    assert "2024 of 登科街道 is closed" in batch.errors[0]["message"]
    assert not Cadre.objects.filter(id_number=number).exists()
    assert CadrePosition.objects.get(cadre=sitting).end_date is None
    # A position's other fields stay open: only its dates belong to a period.
    pay = upload_cadres(
        run_import,
        world.township_staff,
        positions=[position_row(sitting.id_number, "member", monthly_pay=900)],
    )
    assert pay.state == ImportState.COMMITTED, pay.errors
    assert CadrePosition.objects.get(cadre=sitting).monthly_pay == Decimal("900")


# Reserve cadres


def test_reserves_are_entered_and_updated_by_id_number(world, run_import):
    li, chen = id_number(D(1992, 8, 21)), id_number(D(1995, 4, 4), male=False)
    first = upload_reserves(
        run_import,
        world.township_staff,
        [
            reserve_row(li, is_party_member="是", is_returned_migrant="是", notes="村电商服务站负责人"),
            reserve_row(chen, "白鹤村", "陈静", gender="女", education="本科及以上", since="2023.9.1"),
        ],
    )
    assert first.state == ImportState.COMMITTED, first.errors
    assert (first.rows_created, first.rows_updated) == (2, 0)
    reserve = ReserveCadre.objects.get(id_number=li)
    assert (reserve.village, reserve.birth_date, reserve.is_party_member, reserve.is_returned_migrant) == (
        world.village,
        D(1992, 8, 21),
        True,
        True,
    )
    assert ReserveCadre.objects.get(id_number=chen).since == D(2023, 9, 1)
    again = upload_reserves(
        run_import,
        world.township_staff,
        [
            reserve_row(li, "白鹤村", until=D(2024, 12, 31)),  # moved, then left the pool; notes kept
            reserve_row(
                chen, "白鹤村", "陈静", gender="female", education="bachelor_plus", since=D(2023, 9, 1)
            ),
            reserve_row(id_number(D(1998, 1, 1))),
        ],
    )
    assert again.state == ImportState.COMMITTED, again.errors
    assert (again.rows_created, again.rows_updated, again.rows_unchanged) == (1, 1, 1)
    reserve.refresh_from_db()
    assert (reserve.village, reserve.until, reserve.notes) == (
        world.village2,
        D(2024, 12, 31),
        "村电商服务站负责人",
    )
    assert ReserveCadre.objects.count() == 3


def test_bad_reserve_rows_save_nothing(world, run_import, english):
    batch = upload_reserves(
        run_import,
        world.township_staff,
        [
            reserve_row(id_number()),
            reserve_row(id_number(), until=D(2020, 1, 1)),  # left before joining
            reserve_row(id_number(D(2010, 1, 1)), since=D(2024, 1, 1)),  # 14 years old
            reserve_row(id_number(), since=datetime.date.today() + datetime.timedelta(days=3)),
            reserve_row(id_number()[:17]),  # 17 characters
        ],
    )
    assert batch.state == ImportState.INVALID and not ReserveCadre.objects.exists()
    assert errors_at(batch) == {
        ("后备力量", 4, "I"),
        ("后备力量", 5, "H"),
        ("后备力量", 6, "H"),
        ("后备力量", 7, "C"),
    }
    messages = {e["row"]: e["message"] for e in batch.errors}
    assert "before joining" in messages[4] and "younger than 16" in messages[5] and "future" in messages[6]


def test_reserve_rows_outside_the_uploaders_region_are_refused(world, run_import, make_reserve, english):
    far = make_reserve(world.far_village)
    batch = upload_reserves(
        run_import,
        world.township_staff,
        [reserve_row(id_number()), reserve_row(id_number(), "柳林村"), reserve_row(far.id_number)],
    )
    assert batch.state == ImportState.INVALID and not ReserveCadre.objects.exclude(pk=far.pk).exists()
    assert errors_at(batch) == {("后备力量", 4, "A"), ("后备力量", 5, "C")}
    far.refresh_from_db()
    assert far.village == world.far_village
    county = upload_reserves(run_import, world.county_admin, [reserve_row(id_number(), "柳林村")])
    assert county.state == ImportState.COMMITTED, county.errors


def test_the_period_lock_holds_for_reserves(world, run_import, make_reserve):
    kept = make_reserve(since=D(2023, 5, 1))
    row = period_row(township=world.township, period=Year(2024))
    ReportingPeriod.objects.filter(pk=row.pk).update(status=PeriodStatus.APPROVED)
    batch = upload_reserves(
        run_import,
        world.township_staff,
        [
            reserve_row(id_number(), since=D(2023, 12, 31)),
            reserve_row(id_number(), since=D(2024, 4, 1)),
            reserve_row(kept.id_number, since=D(2023, 5, 1), until=D(2024, 10, 1)),
        ],
    )
    assert batch.state == ImportState.INVALID
    assert [(e["sheet"], e["row"]) for e in batch.errors] == [("后备力量", 4), ("后备力量", 5)]
    assert ReserveCadre.objects.get() == kept
    kept.refresh_from_db()
    assert kept.until is None
