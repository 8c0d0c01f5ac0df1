"""Shared fixtures: two counties with two townships each, and a user of every role.

巴中市 511900
├── 恩阳区 511903 ── 登科街道 511903001 (villages 001, 002), 柳林镇 511903002 (village 001)
└── 巴州区 511902 ── 江北街道 511902001 (village 001)
"""

import itertools

import pytest

from apps.accounts.services import user_create
from apps.core.actors import SYSTEM
from apps.villages import services as region_services

PASSWORD = "Touyan-test-2026!"


class World:
    """The regions and users every scope test starts from."""


_id_numbers = itertools.count(100)


def id_number(region: str = "511903", born: str = "19800101") -> str:
    """A valid 18-character ID number, unique within the test run (for up to 1,000 per region and day)."""
    from apps.core.idnumbers import check_character

    first17 = f"{region}{born}{next(_id_numbers) % 1000:03d}"
    return first17 + check_character(first17)


@pytest.fixture
def english():
    """Service messages in English (the default language is zh-hans)."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def world(db):
    w = World()
    w.city = region_services.city_create(actor=SYSTEM, code="511900000000", name="巴中市")
    w.county = region_services.county_create(actor=SYSTEM, city=w.city, code="511903000000", name="恩阳区")
    w.other_county = region_services.county_create(
        actor=SYSTEM, city=w.city, code="511902000000", name="巴州区"
    )
    w.township = region_services.township_create(
        actor=SYSTEM, county=w.county, code="511903001000", name="登科街道"
    )
    w.other_township = region_services.township_create(
        actor=SYSTEM, county=w.county, code="511903002000", name="柳林镇"
    )
    w.far_township = region_services.township_create(
        actor=SYSTEM, county=w.other_county, code="511902001000", name="江北街道"
    )
    w.village = region_services.village_create(
        actor=SYSTEM, township=w.township, code="511903001001", name="红旗村", population_registered=1200
    )
    w.village2 = region_services.village_create(
        actor=SYSTEM, township=w.township, code="511903001002", name="白鹤村", population_registered=900
    )
    w.other_village = region_services.village_create(
        actor=SYSTEM, township=w.other_township, code="511903002001", name="柳林村", population_registered=800
    )
    w.far_village = region_services.village_create(
        actor=SYSTEM, township=w.far_township, code="511902001001", name="江北村", population_registered=700
    )

    def make(username, role, region):
        return user_create(actor=SYSTEM, username=username, password=PASSWORD, role=role, region=region)

    w.city_admin = make("city_admin", "city_admin", w.city)
    w.county_admin = make("county_admin", "county_admin", w.county)
    w.other_county_admin = make("other_county_admin", "county_admin", w.other_county)
    w.township_staff = make("township_staff", "township_staff", w.township)
    w.other_township_staff = make("other_township_staff", "township_staff", w.other_township)
    w.village_clerk = make("village_clerk", "village_clerk", w.village)
    w.api_client = make("api_client", "api_client", w.township)
    return w


@pytest.fixture
def api(world):
    """An API client logged in with a token: ``api(user)``."""
    from rest_framework.test import APIClient

    from apps.accounts.services import token_for

    def for_user(user, language="zh-hans"):
        client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(user=user)}")
        return client

    return for_user


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-sync",
    "--disable-background-networking",
    "--disable-component-update",
]


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium driven by Playwright (its own browser download is not used)."""
    import os

    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests
    # make between browser steps are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def draft(world):
    """``draft({name: score}, kind=, period=, county=)``: a stored ranking draft with those scores, ranked
    like a real run (subject ids are stable per name, so consecutive months see the same subjects)."""
    import datetime
    from decimal import Decimal

    from apps.core.periods import parse_period
    from apps.rankings.scoring import ComputedEntry, ComputedRanking, Subject, competition_ranks
    from apps.rankings.services import _store

    ids: dict[str, int] = {}

    def make(scores: dict[str, float], *, kind="work_team", period="2025-01", county=None):
        period = parse_period(period)
        entries = [
            ComputedEntry(
                Subject(ids.setdefault(name, 1000 + len(ids)), name, world.township.pk, None),
                Decimal(str(score)).quantize(Decimal("0.01")),
                [
                    {
                        "indicator": "team_duty_rate",
                        "value": score,
                        "normalised": score,
                        "weight": 100.0,
                        "contribution": score,
                        "missing": False,
                    }
                ],
                [],
            )
            for name, score in scores.items()
        ]
        competition_ranks(entries)
        computed = ComputedRanking(
            kind,
            period,
            county or world.county,
            None,
            {"team_duty_rate": 100},
            3,
            datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC),
            entries,
        )
        return _store(computed)

    make.ids = ids
    return make


def log_in(page, username: str, *, language: str | None = None) -> None:
    """Log in through the login form as ``username``; then switch the UI to ``language`` if given."""
    from playwright.sync_api import expect

    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.locator("nav.navbar")).to_contain_text(username)
    if language:
        page.locator(f"button[name=language][value={language}]").click()
        expect(page.locator("html")).to_have_attribute("lang", language)


def import_workbook(kind: str, rows, *, extra_sheets=()) -> bytes:
    """An .xlsx of import ``kind`` with the template's two header rows (Chinese, English).

    ``rows`` is a list of rows for a one-sheet kind, or ``{sheet title (English): rows}``; a row is
    ``{column field: cell value}``. ``extra_sheets`` are titles of empty sheets to add.
    """
    import io

    from django.utils import translation
    from openpyxl import Workbook

    from apps.core.imports.spec import import_kind

    spec = import_kind(kind)
    with translation.override("en"):
        by_title = rows if isinstance(rows, dict) else {str(spec.sheets[0].title): rows}
    workbook = Workbook()
    workbook.remove(workbook.active)
    for sheet_spec in spec.sheets:
        with translation.override("en"):
            english_title = str(sheet_spec.title)
            english = [str(column.header) for column in sheet_spec.columns]
        with translation.override("zh-hans"):
            sheet = workbook.create_sheet(str(sheet_spec.title)[:31])
            sheet.append([str(column.header) for column in sheet_spec.columns])
        sheet.append(english)
        for row in by_title.get(english_title, []):
            sheet.append([row.get(column.field) for column in sheet_spec.columns])
    for title in extra_sheets:
        workbook.create_sheet(title)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def run_import(monkeypatch):
    """``run_import(user, kind, content, mode="commit")``: upload through the service; the Celery job
    runs in-process instead of on a worker (tests/core/test_imports.py runs one on a real worker)."""
    from apps.core.imports import services
    from apps.core.imports.runner import run_batch
    from apps.core.tasks import run_import as task

    monkeypatch.setattr(task, "apply_async", lambda kwargs, **options: run_batch(**kwargs))

    def run(user, kind, content, mode="commit", file_name="upload.xlsx"):
        batch = services.import_start(actor=user, kind=kind, file_name=file_name, content=content, mode=mode)
        batch.refresh_from_db()
        return batch

    return run
