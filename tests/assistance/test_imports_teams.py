"""Excel imports of work teams with their members and of duty logs as a month grid per member."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from openpyxl.utils import get_column_letter

from apps.assistance.models import DutyLog, WorkTeam, WorkTeamMember
from apps.core.models import ImportState, PeriodStatus, ReportingPeriod
from apps.core.periods import Year
from apps.core.reporting.services import period_row
from tests.assistance.conftest import make_member
from tests.conftest import id_number, import_workbook

TEAMS, MEMBERS, DUTY = "work teams", "work team members", "duty logs"
JAN, FEB = datetime.date(2025, 1, 1), datetime.date(2025, 2, 1)


def load(content: bytes):
    return openpyxl.load_workbook(io.BytesIO(content))


def errors_at(batch) -> set[tuple[str, int, str]]:
    return {(e["sheet"], e["row"], e["column"]) for e in batch.errors}


def team_row(village="白鹤村", start=FEB, **fields):
    return {"village": village, "start_date": start, **fields}


def member_row(number, name="陈队员", *, village="白鹤村", team_start=FEB, role="team member", **fields):
    return {
        "village": village,
        "team_start_date": team_start,
        "name": name,
        "id_number": number,
        "unit_name": "恩阳区教育局",
        "unit_type": "public institution",
        "unit_level": "county level or higher",
        "role": role,
        "start_date": team_start,
        **fields,
    }


def day_column(day: int) -> str:
    return get_column_letter(3 + day)  # after ID number, name and month


def duty_row(member, month="2025-03", days=None, **fields):
    return {
        "id_number": member.id_number,
        "month": month,
        **{f"day_{day}": value for day, value in (days or {}).items()},
        **fields,
    }


def lock_2025(world):
    row = period_row(township=world.township, period=Year(2025))
    ReportingPeriod.objects.filter(pk=row.pk).update(status=PeriodStatus.APPROVED)


# Templates


@pytest.mark.django_db
def test_work_teams_template_has_a_sheet_of_teams_and_one_of_members(world, client, run_import):
    client.force_login(world.township_staff)
    response = client.get(reverse("core:import_template", args=["work_teams"]))
    assert response.status_code == 200
    book = load(response.content)
    assert book.sheetnames == ["说明", "驻村工作队", "驻村队员", "_lists"]
    teams, members = book["驻村工作队"], book["驻村队员"]
    assert [c.value for c in teams[1]] == ["村*", "开始日期*", "结束日期", "牵头派出单位", "备注"]
    assert [c.value for c in teams[2]][:2] == ["village", "start date"]
    assert [c.value for c in members[2]][:4] == ["village", "team start date", "full name", "ID number"]
    assert members["D1"].value == "身份证号码*" and members.column_dimensions["D"].number_format == "@"
    lists = {c.value for row in book["_lists"].iter_rows() for c in row}
    assert {"第一书记", "事业单位", "任期届满"} <= lists
    # The example rows are left out of an import of the template as downloaded.
    batch = run_import(world.township_staff, "work_teams", response.content)
    assert batch.state == ImportState.COMMITTED and batch.rows_total == 0, batch.errors


@pytest.mark.django_db
def test_duty_logs_template_has_a_column_per_day(world, client, run_import):
    client.force_login(world.township_staff)
    response = client.get(reverse("core:import_template", args=["duty_logs"]))
    assert response.status_code == 200
    book = load(response.content)
    assert book.sheetnames == ["说明", "在岗记录", "_lists"]
    sheet = book["在岗记录"]
    assert [c.value for c in sheet[1]][:3] == ["身份证号码*", "姓名", "月*"]
    assert [c.value for c in sheet[2]] == ["ID number", "full name", "month"] + [
        f"day {n}" for n in range(1, 32)
    ]
    assert sheet[f"{day_column(31)}3"].value == "是"  # the example row fills the grid
    batch = run_import(world.township_staff, "duty_logs", response.content)
    assert batch.state == ImportState.COMMITTED and batch.rows_total == 0, batch.errors


# Work teams and members


@pytest.mark.django_db
def test_teams_and_their_members_are_created_then_updated(world, team, run_import):
    secretary, member, joining = id_number(), id_number(), id_number()
    content = import_workbook(
        "work_teams",
        {
            TEAMS: [team_row(lead_unit="恩阳区教育局", note="第二批")],
            MEMBERS: [
                member_row(secretary, "周书记", role="第一书记"),
                member_row(member, "吴队员", team_start=None, start_date=datetime.date(2025, 3, 1)),
                # A member joining the fixture's team in 红旗村, found by its village alone.
                member_row(joining, "郑队员", village="511903001001", team_start=None, start_date=JAN),
            ],
        },
    )
    batch = run_import(world.township_staff, "work_teams", content)
    assert batch.state == ImportState.COMMITTED, batch.errors
    assert (batch.rows_created, batch.rows_updated, batch.rows_unchanged) == (4, 0, 0)
    new_team = WorkTeam.objects.get(village=world.village2)
    assert (new_team.start_date, new_team.lead_unit, new_team.note) == (FEB, "恩阳区教育局", "第二批")
    assert new_team.members.get(id_number=secretary).role == "first_secretary"
    assert new_team.members.get(id_number=member).start_date == datetime.date(2025, 3, 1)
    assert team.members.get(id_number=joining).unit_type == "institution"

    again = import_workbook(
        "work_teams",
        {
            TEAMS: [team_row(lead_unit="恩阳区教育局")],  # a blank note keeps the note
            MEMBERS: [
                member_row(secretary, "周书记", role="first secretary", unit_name="恩阳区卫健局"),
                member_row(
                    member,
                    "吴队员",
                    team_start=None,
                    start_date=datetime.date(2025, 3, 1),
                    end_date=datetime.date(2025, 9, 30),
                    end_reason="调任",
                ),
            ],
        },
    )
    batch = run_import(world.township_staff, "work_teams", again)
    assert batch.state == ImportState.COMMITTED, batch.errors
    assert (batch.rows_created, batch.rows_updated, batch.rows_unchanged) == (0, 2, 1)
    assert WorkTeam.objects.get(village=world.village2).note == "第二批"
    assert new_team.members.get(id_number=secretary).unit_name == "恩阳区卫健局"
    ended = new_team.members.get(id_number=member)
    assert (ended.end_date, ended.end_reason) == (datetime.date(2025, 9, 30), "transferred")
    assert WorkTeamMember.objects.filter(id_number=member).count() == 1


@pytest.mark.django_db
def test_an_invalid_row_on_either_sheet_saves_nothing(world, team, run_import):
    content = import_workbook(
        "work_teams",
        {
            TEAMS: [
                team_row(),
                team_row("红旗村", datetime.date(2025, 6, 1), end_date=datetime.date(2025, 5, 1)),
            ],
            MEMBERS: [
                member_row(id_number(), "周书记", role="first secretary"),
                member_row(id_number(), "二书记", role="first secretary"),  # a second one at once
                member_row(id_number(), team_start=datetime.date(2024, 7, 1)),  # no such team
                member_row(float(id_number()[:17] + "0")),  # an ID number Excel made a number of
                member_row(id_number(), unit_level="village level"),
            ],
        },
    )
    batch = run_import(world.township_staff, "work_teams", content)
    assert batch.state == ImportState.INVALID
    assert errors_at(batch) == {
        ("驻村工作队", 4, "C"),  # ends before it starts
        ("驻村队员", 4, "H"),  # role
        ("驻村队员", 5, "B"),  # team start date
        ("驻村队员", 6, "D"),  # ID number
        ("驻村队员", 7, "G"),  # unit level
    }, batch.errors
    assert list(WorkTeam.objects.all()) == [team] and team.members.count() == 3


@pytest.mark.django_db
def test_team_and_member_rows_outside_the_uploaders_region_are_refused(world, team, other_team, run_import):
    content = import_workbook(
        "work_teams",
        {
            TEAMS: [team_row(), team_row("柳林村", FEB)],
            MEMBERS: [
                member_row(id_number()),
                member_row(id_number(), village="511903002001", team_start=other_team.start_date),
                member_row(id_number("511902"), village="江北村", team_start=None, start_date=FEB),
            ],
        },
    )
    batch = run_import(world.township_staff, "work_teams", content)
    assert batch.state == ImportState.INVALID
    assert errors_at(batch) == {("驻村工作队", 4, "A"), ("驻村队员", 4, "A"), ("驻村队员", 5, "A")}
    assert not WorkTeam.objects.filter(village=world.village2).exists()
    assert other_team.members.count() == 1


@pytest.mark.django_db
def test_work_teams_import_holds_the_period_lock(world, team, run_import):
    lock_2025(world)
    content = import_workbook(
        "work_teams",
        {
            TEAMS: [
                team_row(),
                team_row("红旗村", datetime.date(2024, 3, 1), end_date=datetime.date(2024, 12, 31)),
            ],
            MEMBERS: [member_row(id_number(), village="红旗村", team_start=JAN, start_date=FEB)],
        },
    )
    batch = run_import(world.township_staff, "work_teams", content)
    assert batch.state == ImportState.INVALID
    assert errors_at(batch) == {("驻村工作队", 3, ""), ("驻村队员", 3, "")}
    assert all("2025" in e["message"] for e in batch.errors)
    assert list(WorkTeam.objects.all()) == [team] and team.members.count() == 3


# Duty logs


@pytest.mark.django_db
def test_a_month_grid_per_member_is_saved_then_updated(world, team, run_import):
    month = dict.fromkeys(range(1, 32), "是") | {8: "否", 9: "×", 22: "否"}
    content = import_workbook(
        "duty_logs",
        [
            duty_row(team.member, days=month, name="王队员"),
            duty_row(team.secretary, month="2025年3月", days={1: "是", 2: "√", 3: 0}),
        ],
    )
    batch = run_import(world.township_staff, "duty_logs", content)
    assert batch.state == ImportState.COMMITTED, batch.errors
    assert (batch.rows_created, batch.rows_updated, batch.rows_unchanged) == (2, 0, 0)
    logs = DutyLog.objects.filter(member=team.member)
    assert logs.count() == 31 and set(logs.filter(on_duty=False).values_list("date__day", flat=True)) == {
        8,
        9,
        22,
    }
    assert dict(DutyLog.objects.filter(member=team.secretary).values_list("date__day", "on_duty")) == {
        1: True,
        2: True,
        3: False,
    }

    again = import_workbook(
        "duty_logs",
        [
            duty_row(team.member, days={8: "是"}),  # one day changed, the others left as they are
            duty_row(team.secretary, month=datetime.datetime(2025, 3, 1), days={1: "是"}),  # Excel's date
            duty_row(team.member2, month="2025/04", days={1: "是", 2: "是"}),
        ],
    )
    batch = run_import(world.township_staff, "duty_logs", again)
    assert batch.state == ImportState.COMMITTED, batch.errors
    assert (batch.rows_created, batch.rows_updated, batch.rows_unchanged) == (1, 1, 1)
    assert logs.count() == 31 and logs.get(date__day=8).on_duty and not logs.get(date__day=9).on_duty
    assert DutyLog.objects.filter(member=team.member2, date__month=4).count() == 2


@pytest.mark.django_db
def test_bad_days_are_refused_at_their_column_and_nothing_is_saved(world, team, run_import):
    late = make_member(team, "晚到队员", start=datetime.date(2025, 3, 10))
    next_month = (datetime.date.today().replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    content = import_workbook(
        "duty_logs",
        [
            duty_row(team.member, days={1: "是"}),
            duty_row(team.member, month="2025-04", days={30: "是", 31: "是"}),  # April has 30 days
            duty_row(late, days={9: "是", 10: "是"}),  # before the assignment starts
            duty_row(team.secretary, month=next_month.strftime("%Y-%m"), days={1: "是"}),
            duty_row(team.member2, days={5: "也许"}),
            duty_row(team.member2, month="2025-13"),
            {"id_number": id_number(), "month": "2025-03", "day_1": "是"},
            duty_row(team.secretary, name="王队员", days={1: "是"}),
        ],
    )
    batch = run_import(world.township_staff, "duty_logs", content)
    assert batch.state == ImportState.INVALID
    assert errors_at(batch) == {
        ("在岗记录", 4, day_column(31)),
        ("在岗记录", 5, day_column(9)),
        ("在岗记录", 6, day_column(1)),  # in the future
        ("在岗记录", 7, day_column(5)),
        ("在岗记录", 8, "C"),
        ("在岗记录", 9, "A"),
        ("在岗记录", 10, "B"),
    }, batch.errors
    assert not DutyLog.objects.exists()


@pytest.mark.django_db
def test_duty_of_members_outside_the_uploaders_region_is_refused(
    world, team, other_team, far_team, run_import
):
    content = import_workbook(
        "duty_logs",
        [
            duty_row(team.member, days={1: "是"}),
            duty_row(other_team.secretary, days={1: "是"}),
            duty_row(far_team.secretary, days={1: "是"}),
        ],
    )
    batch = run_import(world.township_staff, "duty_logs", content)
    assert errors_at(batch) == {("在岗记录", 4, "A"), ("在岗记录", 5, "A")}
    assert not DutyLog.objects.exists()
    # The county admin may enter duty for every township of the county, not another county.
    batch = run_import(world.county_admin, "duty_logs", content)
    assert errors_at(batch) == {("在岗记录", 5, "A")}


@pytest.mark.django_db
def test_duty_logs_import_holds_the_period_lock(world, team, run_import):
    lock_2025(world)
    content = import_workbook("duty_logs", [duty_row(team.member, days={1: "是"})])
    batch = run_import(world.township_staff, "duty_logs", content)
    assert batch.state == ImportState.INVALID and errors_at(batch) == {("在岗记录", 3, "")}
    assert not DutyLog.objects.exists()
