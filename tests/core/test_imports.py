"""The Excel import framework, on the collective-incomes kind: templates, all-or-nothing commits with a
row-level report, every kind of bad file, scope, the period lock, the API and the audit change set."""

import datetime
import io
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation

from apps.collective_economy.models import Income, IncomeEvent
from apps.core.imports import cells, workbook
from apps.core.imports.spec import Column, ColumnType
from apps.core.models import ImportBatch, ImportState, PeriodStatus, ReportingPeriod
from apps.core.periods import Year
from apps.core.reporting.services import period_row
from tests.conftest import id_number, import_workbook

KIND = "collective_incomes"


def income_row(village="511903001001", year=2024, **amounts):
    return {"village": village, "year": year, "operating": 1000, **amounts}


def load(content: bytes):
    return openpyxl.load_workbook(io.BytesIO(content))


# Templates


@pytest.mark.django_db
def test_template_has_instructions_bilingual_headers_an_example_and_drop_downs(world, client):
    client.force_login(world.township_staff)
    response = client.get(reverse("core:import_template", args=[KIND]))
    assert response.status_code == 200
    book = load(response.content)
    assert book.sheetnames[0] == "说明"
    instructions = " ".join(str(c.value) for row in book["说明"].iter_rows() for c in row if c.value)
    assert (
        "20,000" in instructions and "One row per village and year" not in instructions
    )  # Chinese by default
    sheet = book["村集体经济收入"]
    assert sheet["A1"].value == "村*" and sheet["A2"].value == "village"
    assert sheet["A3"].value == "511903001001"  # the user's first village as the example
    assert sheet.column_dimensions["A"].number_format == "@"  # codes stay text
    formulas = {dv.formula1 for dv in sheet.data_validations.dataValidation}
    assert any("_lists" in formula for formula in formulas)
    lists = book["_lists"]
    assert lists.sheet_state == "hidden"
    codes = {c.value for row in lists.iter_rows() for c in row}
    assert "511903001002" in codes and "511903002001" not in codes  # only the user's own villages


@pytest.mark.django_db
def test_template_leaves_the_example_row_out_of_the_import(world, client, run_import):
    client.force_login(world.township_staff)
    content = client.get(reverse("core:import_template", args=[KIND])).content
    batch = run_import(world.township_staff, KIND, content)
    assert batch.state == ImportState.COMMITTED and batch.rows_total == 0
    assert not Income.objects.exists()


@pytest.mark.django_db
def test_template_through_the_api_and_unknown_kind(world, api):
    client = api(world.township_staff)
    response = client.get(f"/api/v1/imports/templates/{KIND}/")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
    assert client.get("/api/v1/imports/templates/nothing/").status_code == 404


# All or nothing


@pytest.mark.django_db
def test_a_valid_file_commits_every_row_and_a_second_upload_updates(world, run_import):
    content = import_workbook(KIND, [income_row(), income_row("白鹤村", 2023, subsidy="2,500.50")])
    batch = run_import(world.township_staff, KIND, content)
    assert batch.state == ImportState.COMMITTED, batch.errors
    assert (batch.rows_total, batch.rows_created, batch.rows_updated) == (2, 2, 0)
    assert Income.objects.get(village=world.village2, year=2023).subsidy == Decimal("2500.50")
    again = run_import(
        world.township_staff,
        KIND,
        import_workbook(KIND, [income_row(operating=3000), income_row("白鹤村", 2023)]),
    )
    assert (again.rows_created, again.rows_updated, again.rows_unchanged) == (0, 1, 1)
    assert Income.objects.get(village=world.village, year=2024).operating == Decimal("3000")


@pytest.mark.django_db
def test_validate_mode_saves_nothing(world, run_import):
    batch = run_import(world.township_staff, KIND, import_workbook(KIND, [income_row()]), mode="validate")
    assert batch.state == ImportState.VALID and batch.rows_created == 1
    assert not Income.objects.exists()


@pytest.mark.django_db
def test_one_bad_row_saves_nothing_and_every_error_is_reported(world, run_import):
    content = import_workbook(
        KIND,
        [
            income_row(),
            income_row(year="二〇二四"),
            income_row("511903001002", 2024, operating=-5),
            income_row("无此村", 2024),
            income_row(economy_type="种地"),
        ],
    )
    batch = run_import(world.township_staff, KIND, content)
    assert batch.state == ImportState.INVALID
    assert not Income.objects.exists()
    by_row = {(e["row"], e["column"]) for e in batch.errors}
    assert (4, "B") in by_row  # the year that is not a number
    assert any(e["row"] == 5 and e["column"] == "C" for e in batch.errors)  # negative amount, from the model
    assert any(e["row"] == 6 and "无此村" in e["message"] for e in batch.errors)
    assert any(e["row"] == 7 and e["column"] == "H" and "种养型" in e["message"] for e in batch.errors)
    first = next(e for e in batch.errors if e["row"] == 4)
    assert first["sheet"] == "村集体经济收入" and first["value"] == "二〇二四" and first["header"] == "年份"


@pytest.mark.django_db
def test_messages_are_in_the_uploaders_language(world, run_import):
    with translation.override("en"):
        batch = run_import(world.township_staff, KIND, import_workbook(KIND, [income_row(year="soon")]))
    assert batch.language == "en"
    assert batch.errors[0]["message"] == "Enter a whole number."


@pytest.mark.django_db
def test_rows_outside_the_uploaders_region_are_refused(world, run_import):
    content = import_workbook(KIND, [income_row(), income_row("511903002001"), income_row("江北村")])
    batch = run_import(world.township_staff, KIND, content)
    assert batch.state == ImportState.INVALID and not Income.objects.exists()
    assert [e["row"] for e in batch.errors] == [4, 5]
    # The county admin may import for every township of the county, not another county.
    batch = run_import(world.county_admin, KIND, content)
    assert [e["row"] for e in batch.errors] == [5]


@pytest.mark.django_db
def test_the_period_lock_holds_for_imports(world, run_import):
    row = period_row(township=world.township, period=Year(2024))
    ReportingPeriod.objects.filter(pk=row.pk).update(status=PeriodStatus.APPROVED)
    batch = run_import(
        world.township_staff, KIND, import_workbook(KIND, [income_row(), income_row(year=2023)])
    )
    assert batch.state == ImportState.INVALID and not Income.objects.exists()
    assert [e["row"] for e in batch.errors] == [3]


@pytest.mark.django_db
def test_duplicate_rows_and_normalisations(world, run_import):
    content = import_workbook(
        KIND,
        [
            income_row(" 红旗村 ", "２０２４"),  # full-width digits, spaces around a name
            income_row("511903001001", 2024.0),  # the same record again
        ],
    )
    batch = run_import(world.township_staff, KIND, content)
    assert [(e["row"], e["message"]) for e in batch.errors] == [
        (4, "与第 3 行是同一条记录（村、年份相同）。")
    ]


# Bad files


def xlsx_with(extra_members: dict[str, bytes], base: bytes | None = None) -> bytes:
    base = base or import_workbook(KIND, [income_row()])
    source = zipfile.ZipFile(io.BytesIO(base))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        for name, data in extra_members.items():
            target.writestr(name, data)
    return out.getvalue()


def zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        target.writestr("[Content_Types].xml", "<Types/>")
        target.writestr("xl/workbook.xml", "<workbook/>")
        with target.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(workbook.MAX_UNCOMPRESSED_BYTES // len(chunk) + 1):
                member.write(chunk)
    return out.getvalue()


BAD_FILES = {
    "csv": (lambda: "村,年度\n红旗村,2024\n".encode("gbk"), "CSV"),
    "pdf": (lambda: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
    "xls or password": (lambda: workbook.OLE_MAGIC + b"\0" * 512, "password"),
    "zip": (lambda: xlsx_with({}, base=_plain_zip()), "zip file"),
    "macro": (lambda: xlsx_with({"xl/vbaProject.bin": b"\0" * 64}), "Macro"),
    "zip bomb": (zip_bomb, "200 MB"),
    "damaged": (lambda: workbook.ZIP_MAGIC + b"\0" * 100, "damaged"),
}


def _plain_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        target.writestr("data.txt", "hello")
    return out.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize("name", BAD_FILES)
def test_a_file_that_is_not_a_plain_workbook_is_refused_whole(world, run_import, english, name):
    make, fragment = BAD_FILES[name]
    batch = run_import(world.township_staff, KIND, make(), file_name=f"{name}.xlsx")
    assert batch.state == ImportState.INVALID
    assert len(batch.errors) == 1 and fragment in batch.errors[0]["message"], batch.errors
    assert batch.errors[0]["row"] is None
    assert not Income.objects.exists()


@pytest.mark.django_db
def test_more_rows_than_the_limit_are_refused(world, run_import, monkeypatch, english):
    monkeypatch.setattr(workbook, "MAX_ROWS", 3)
    rows = [income_row(year=year) for year in (2020, 2021, 2022, 2023)]
    batch = run_import(world.township_staff, KIND, import_workbook(KIND, rows))
    assert batch.state == ImportState.INVALID and "more than 3 data rows" in batch.errors[0]["message"]
    assert not Income.objects.exists()


def _edited(edit) -> bytes:
    book = load(import_workbook(KIND, [income_row(), income_row(year=2023), income_row(year=2022)]))
    edit(book.worksheets[0])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.django_db
def test_formulas_and_merged_cells_are_refused_at_their_cells(world, run_import, english):
    def edit(sheet):
        sheet["C4"] = "=1000+2000"
        sheet.merge_cells("A4:A5")

    batch = run_import(world.township_staff, KIND, _edited(edit))
    assert batch.state == ImportState.INVALID and not Income.objects.exists()
    messages = {(e["row"], e["column"]): e["message"] for e in batch.errors}
    assert "formula" in messages[(4, "C")]
    assert "Merged cells A4:A5" in messages[(4, "A")]


@pytest.mark.django_db
def test_unknown_and_missing_columns_are_sheet_errors(world, run_import, english):
    def edit(sheet):
        sheet["A1"] = "村庄名称"

    batch = run_import(world.township_staff, KIND, _edited(edit))
    messages = [e["message"] for e in batch.errors]
    assert any("Unknown column “村庄名称”" in m for m in messages)
    assert any("required column “village” is missing" in m for m in messages)


@pytest.mark.django_db
def test_an_error_column_from_an_earlier_report_is_ignored(world, run_import, client):
    bad = run_import(world.township_staff, KIND, import_workbook(KIND, [income_row(year="x")]))
    client.force_login(world.township_staff)
    report = client.get(reverse("core:import_report", args=[bad.pk]))
    book = load(report.content)
    sheet = book["村集体经济收入"]
    assert sheet["B3"].fill.fgColor.rgb.endswith("F8D7DA") and sheet["B3"].comment is not None
    assert sheet.cell(row=1, column=sheet.max_column).value == workbook.ERROR_COLUMN_HEADER
    assert "整数" in sheet.cell(row=3, column=sheet.max_column).value
    sheet["B3"] = 2024  # the user corrects the file and uploads the report again
    buffer = io.BytesIO()
    book.save(buffer)
    fixed = run_import(world.township_staff, KIND, buffer.getvalue())
    assert fixed.state == ImportState.COMMITTED, fixed.errors


# Cells


DATES = ["2024-03-05", "2024/3/5", "2024.3.5", "2024年3月5日", "20240305", datetime.datetime(2024, 3, 5)]


@pytest.mark.parametrize("value", DATES)
def test_dates_in_common_formats(value):
    assert cells.parse_cell(value, Column("d", "date", ColumnType.DATE)) == datetime.date(2024, 3, 5)


@pytest.mark.parametrize("value", ["2024-02-30", "5/3/2024", 45356])
def test_dates_that_are_not(value):
    with pytest.raises(cells.CellError):
        cells.parse_cell(value, Column("d", "date", ColumnType.DATE))


def test_id_numbers_as_excel_numbers_are_refused_and_text_is_normalised():
    column = Column("id_number", "ID number", ColumnType.ID_NUMBER)
    number = id_number()
    with translation.override("en"), pytest.raises(cells.CellError, match="stored as a number"):
        cells.parse_cell(float(number[:17] + "0"), column)
    full_width = "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in number)
    assert cells.parse_cell(f" {full_width} ", column) == number
    assert cells.shown_value(number, column) == number[:3] + "*" * 11 + number[-4:]


def test_codes_stored_as_long_numbers_are_refused():
    with pytest.raises(cells.CellError):
        cells.parse_cell(5.11903001001e17, Column("code", "code", ColumnType.CODE))
    assert cells.parse_cell(511903001001, Column("code", "code", ColumnType.CODE)) == "511903001001"


# API, scope and audit


@pytest.mark.django_db
def test_api_upload_answers_202_and_the_import_is_followed_within_scope(world, api, run_import):
    client = api(world.township_staff)
    upload = io.BytesIO(import_workbook(KIND, [income_row()]))
    upload.name = "incomes.xlsx"
    response = client.post(
        "/api/v1/imports/", {"kind": KIND, "mode": "commit", "file": upload}, format="multipart"
    )
    assert response.status_code == 202, response.content
    batch_id = response.json()["id"]
    body = client.get(f"/api/v1/imports/{batch_id}/").json()
    assert body["state"] == "committed" and body["progress"] == 100 and body["rows_created"] == 1
    assert body["errors"] == [] and body["file_name"] == "incomes.xlsx"
    assert api(world.county_admin).get(f"/api/v1/imports/{batch_id}/").status_code == 200
    assert api(world.other_township_staff).get(f"/api/v1/imports/{batch_id}/").status_code == 404
    assert api(world.other_county_admin).get("/api/v1/imports/").json()["count"] == 0
    # The file holds whatever the township typed, ID numbers included: the uploader or full-view roles.
    assert client.get(f"/api/v1/imports/{batch_id}/file/").status_code == 200
    assert api(world.api_client).get(f"/api/v1/imports/{batch_id}/file/").status_code == 403


@pytest.mark.django_db
def test_api_upload_validation(world, api, english):
    client = api(world.township_staff)
    response = client.post("/api/v1/imports/", {"kind": "nothing", "mode": "commit"}, format="multipart")
    assert response.status_code == 400 and {"kind", "file"} <= set(response.json())
    assert (
        api(world.village_clerk)
        .post("/api/v1/imports/", {"kind": KIND, "file": io.BytesIO(b"x")}, format="multipart")
        .status_code
        == 403
    )
    assert not ImportBatch.objects.exists()


@pytest.mark.django_db
def test_a_committed_import_is_one_change_set_in_the_audit_trail(world, run_import, client):
    batch = run_import(
        world.township_staff, KIND, import_workbook(KIND, [income_row(), income_row(year=2023)])
    )
    events = IncomeEvent.objects.select_related("pgh_context")
    assert events.count() >= 1
    assert all(event.pgh_context.metadata["import_batch"] == batch.pk for event in events)
    assert events.first().pgh_context.metadata["checksum"] == batch.checksum
    client.force_login(world.county_admin)
    page = client.get(reverse("core:import_detail", args=[batch.pk]))
    assert page.status_code == 200 and page.context["change_set"]
    history = client.get(
        reverse("core:history", args=["collective_economy", "income", Income.objects.first().pk])
    )
    assert reverse("core:import_detail", args=[batch.pk]) in history.content.decode()


@pytest.mark.django_db
def test_the_upload_page_queues_an_import_and_shows_its_report(world, client, run_import):
    client.force_login(world.township_staff)
    upload = io.BytesIO(import_workbook(KIND, [income_row(year="x")]))
    upload.name = "incomes.xlsx"
    response = client.post(reverse("core:import_list"), {"kind": KIND, "mode": "validate", "file": upload})
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response.url == reverse("core:import_detail", args=[batch.pk])
    page = client.get(response.url)
    assert "请输入整数" in page.content.decode() or "整数" in page.content.decode()
    listing = client.get(reverse("core:import_list"))
    assert "incomes.xlsx" in listing.content.decode()
    client.force_login(world.other_township_staff)
    assert client.get(reverse("core:import_detail", args=[batch.pk])).status_code == 404


@pytest.mark.django_db
def test_commit_after_a_clean_validation(world, client, run_import):
    batch = run_import(world.township_staff, KIND, import_workbook(KIND, [income_row()]), mode="validate")
    client.force_login(world.township_staff)
    response = client.post(reverse("core:import_commit", args=[batch.pk]))
    committed = ImportBatch.objects.exclude(pk=batch.pk).get()
    assert response.url == reverse("core:import_detail", args=[committed.pk])
    assert committed.state == ImportState.COMMITTED and Income.objects.count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.worker
def test_a_real_worker_runs_an_import(world):
    from celery.contrib.testing.worker import start_worker

    from apps.core.imports.services import import_start
    from config.celery_app import app as celery_app

    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        batch = import_start(
            actor=world.township_staff,
            kind=KIND,
            file_name="a.xlsx",
            content=import_workbook(KIND, [income_row()]),
            mode="commit",
        )
        from celery.result import AsyncResult

        AsyncResult(str(batch.job.task_id), app=celery_app).get(timeout=30)
    batch.refresh_from_db()
    assert batch.state == ImportState.COMMITTED and Income.objects.count() == 1


@pytest.mark.django_db
def test_with_the_broker_down_an_upload_says_so_and_keeps_nothing(world, api, client, monkeypatch, english):
    from kombu.exceptions import OperationalError

    from apps.core.tasks import run_import

    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(run_import, "apply_async", refuse)
    upload = io.BytesIO(import_workbook(KIND, [income_row()]))
    upload.name = "incomes.xlsx"
    response = api(world.township_staff, "en").post(
        "/api/v1/imports/", {"kind": KIND, "mode": "commit", "file": upload}, format="multipart"
    )
    assert response.status_code == 503 and "try again" in response.json()["detail"]
    upload.seek(0)
    client.force_login(world.township_staff)
    page = client.post(reverse("core:import_list"), {"kind": KIND, "mode": "commit", "file": upload})
    assert page.status_code == 200 and "任务队列暂时无法连接" in page.content.decode()
    assert not ImportBatch.objects.exists()
