"""Report packs: a Celery job writes the workbook (summary + a sheet per figure) and a PDF with
Chinese text and the SVG charts; the files are served only within the pack's region."""

import io
from decimal import Decimal

import pytest
from celery.result import AsyncResult
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from apps.dashboard.figures import FigureContext, compute
from apps.dashboard.models import PackStatus, ReportPack
from apps.dashboard.scope import Scope
from apps.dashboard.tasks import build_report_pack

from .conftest import YEAR


def client_for(user, language="en"):
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def request_pack(client, scope, year_from=YEAR - 1, year_to=YEAR):
    response = client.post(
        reverse("dashboard:pack_create"), {"scope": scope, "year_from": year_from, "year_to": year_to}
    )
    assert response.status_code == 302, response
    return ReportPack.objects.latest("created_at")


def body(response):
    return b"".join(response.streaming_content)


@pytest.mark.django_db
def test_pack_holds_the_figures_numbers_and_a_pdf_in_chinese(world, data, monkeypatch):
    # Queued without the broker: this test runs the task itself (the real worker is the test below).
    queued = []
    monkeypatch.setattr(build_report_pack, "apply_async", lambda **kwargs: queued.append(kwargs))
    client = client_for(world.county_admin, language="zh-hans")
    pack = request_pack(client, f"county:{world.county.pk}")
    assert pack.status == PackStatus.QUEUED and pack.task_id is not None
    assert queued[0]["task_id"] == str(pack.task_id)
    assert client.get(reverse("dashboard:pack_detail", args=[pack.pk])).status_code == 200

    build_report_pack(pack.pk, "zh-hans")  # what the worker runs (a real worker: the test below)
    pack.refresh_from_db()
    assert pack.status == PackStatus.DONE
    status = client.get(reverse("dashboard:pack_status", args=[pack.pk])).json()
    assert status["status"] == "done" and status["progress"] == 100 and status["pdf"] and status["workbook"]

    workbook = load_workbook(io.BytesIO(body(client.get(status["workbook"]))))
    assert len(workbook.sheetnames) == 15  # a summary and one sheet per figure
    summary = list(workbook.worksheets[0].iter_rows(min_row=5, values_only=True))
    assert [row[0] for row in summary] == list(range(1, 15))
    ctx = FigureContext(
        user=world.county_admin, scope=Scope("county", world.county), year_from=YEAR - 1, year_to=YEAR
    )
    for number in (2, 10, 14):
        figure = compute(number, ctx)
        sheet = workbook.worksheets[number]
        rows = [list(r) for r in sheet.iter_rows(min_row=5, max_row=4 + len(figure.rows), values_only=True)]
        assert rows == [[float(v) if isinstance(v, Decimal) else v for v in row] for row in figure.rows]
    assert workbook.worksheets[10]["B5"].value == 0 and workbook.worksheets[10]["C5"].value == 1

    pdf = PdfReader(io.BytesIO(body(client.get(status["pdf"]))))
    text = "".join(page.extract_text() for page in pdf.pages)
    # Chinese survives WeasyPrint (fonts-noto-cjk): the region and the labels of the income sources.
    assert "恩阳区" in text and "经营性收入" in text
    assert len(pdf.pages) >= 15  # a title page and one page per figure


@pytest.mark.django_db
def test_packs_are_read_only_within_their_region(world, data):
    county = client_for(world.county_admin)
    pack = request_pack(county, f"county:{world.county.pk}")
    build_report_pack(pack.pk, "en")
    for user in (world.other_county_admin, world.township_staff, world.village_clerk):
        other = client_for(user)
        assert other.get(reverse("dashboard:pack_detail", args=[pack.pk])).status_code == 404
        assert other.get(reverse("dashboard:pack_download", args=[pack.pk, "pdf"])).status_code == 404
    assert (
        client_for(world.city_admin)
        .get(reverse("dashboard:pack_download", args=[pack.pk, "xlsx"]))
        .status_code
        == 200
    )

    township = client_for(world.township_staff)
    own = request_pack(township, f"township:{world.township.pk}")
    assert (own.level, own.county, own.township) == ("township", world.county, world.township)
    assert county.get(reverse("dashboard:pack_detail", args=[own.pk])).status_code == 200
    refused = township.post(reverse("dashboard:pack_create"), {"scope": f"county:{world.county.pk}"})
    assert refused.status_code == 404
    assert (
        client_for(world.village_clerk).post(reverse("dashboard:pack_create"), {"scope": ""}).status_code
        == 403
    )


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_builds_the_pack_and_the_job_reports_done(world, data, api):
    from celery.contrib.testing.worker import start_worker

    from config.celery_app import app as celery_app

    client = client_for(world.county_admin)
    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=20):
        pack = request_pack(client, f"county:{world.county.pk}")
        assert AsyncResult(str(pack.task_id)).get(timeout=120)["status"] == "done"
    task = api(world.county_admin).get(f"/api/v1/tasks/{pack.task_id}/").json()
    assert task["state"] == "SUCCESS" and task["progress"] == 100 and task["result"]["pack_id"] == pack.pk
    pack.refresh_from_db()
    assert pack.status == PackStatus.DONE and pack.pdf and pack.workbook


@pytest.mark.django_db
def test_the_service_refuses_a_pack_above_or_outside_the_users_region(world):
    from django.core.exceptions import PermissionDenied

    from apps.dashboard.services import report_pack_request

    with pytest.raises(PermissionDenied):
        report_pack_request(
            actor=world.township_staff, scope=Scope("county", world.county), year_from=2020, year_to=2024
        )
    with pytest.raises(PermissionDenied):
        report_pack_request(
            actor=world.county_admin, scope=Scope("county", world.other_county), year_from=2020, year_to=2024
        )
    pack = report_pack_request(
        actor=world.county_admin, scope=Scope("township", world.township), year_from=2020, year_to=2024
    )
    assert (pack.city, pack.county, pack.township, pack.status) == (
        world.city,
        world.county,
        world.township,
        "queued",
    )
    assert not ReportPack.objects.exclude(pk=pack.pk).exists()
