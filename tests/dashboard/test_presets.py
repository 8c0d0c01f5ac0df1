"""On the demo presets: the figures show the published Bazhong numbers, the report pack's workbook holds
the same numbers, and the city dashboard makes as many queries for 209 villages as for 2,228."""

import io
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from apps.accounts.models import User
from apps.dashboard.figures import FigureContext, all_figures
from apps.dashboard.pack import pack_workbook
from apps.dashboard.scope import own_scope
from apps.villages.models import City, Village

pytestmark = pytest.mark.django_db


def seed(preset):
    call_command("seed_demo", preset=preset, seed=1, stdout=StringIO())


def city_dashboard_queries() -> int:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(User.objects.get(username="city_admin"))
    url = (
        reverse("dashboard:dashboard", args=["city", City.objects.get(code="511900000000").pk]) + "?year=2025"
    )
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def column(figure, key):
    return next(s for s in figure.series if s.key == key).values


def test_bazhong_figures_and_equal_dashboard_queries_on_two_presets():
    with transaction.atomic():
        seed("enyang")
        assert Village.objects.count() == 209
        enyang_queries = city_dashboard_queries()
        transaction.set_rollback(True)

    seed("bazhong")
    assert Village.objects.count() == 2228
    assert city_dashboard_queries() == enyang_queries <= 25

    user = User.objects.get(username="city_admin")
    scope = own_scope(user)
    figures = {
        f.number: f for f in all_figures(FigureContext(user=user, scope=scope, year_from=2014, year_to=2019))
    }

    # 1: 1,435 organisations rectified since 2014, 64.4 % of the villages.
    assert column(figures[1], "cumulative")[-1] == 1435
    assert float(column(figures[1], "share")[-1]) == 64.4
    # 3: 45 joint organisations.
    assert column(figures[3], "existing")[-1] == 45
    # 4 and 5: education 0.5 / 4.7 / 39.9 / 54.9 % in 2014 and 1.8 / 11.2 / 43.6 / 43.4 % in 2019;
    # average age 50.1 and 46.3.
    levels = ("bachelor_plus", "college", "high_school", "junior_or_below")
    assert [round(column(figures[4], level)[0], 1) for level in levels] == [0.5, 4.7, 39.9, 54.9]
    assert [round(column(figures[4], level)[-1], 1) for level in levels] == [1.8, 11.2, 43.6, 43.4]
    assert [float(v) for v in column(figures[5], "average_age")][::5] == [50.1, 46.3]
    # 6: 25 exchange secretaries; 7: 7,348 members; 8, 9, 11, 13: 1,245 / 985 / 898 / 774 since 2014.
    assert column(figures[6], "exchange")[-1] == 25
    assert sum(column(figures[7], "members")) == 7348
    assert sum(column(figures[8], "total")) == 1245
    assert sum(column(figures[9], "total")) == 985
    assert sum(column(figures[11], "total")) == 898
    assert sum(column(figures[13], "resignations")) == 774
    # 12: the city's questionnaire, 38 / 29 / 21 / 12 %.
    assert [float(v) for v in figures[12].series[0].values] == [38, 29, 21, 12]
    # 10: 872 / 1,130 / 121 / 67 / 38 villages per bracket in the latest year, no empty shells.
    latest = {
        f.number: f for f in all_figures(FigureContext(user=user, scope=scope, year_from=2025, year_to=2025))
    }
    brackets = [s.values[0] for s in latest[10].series[:6]]
    assert brackets == [0, 872, 1130, 121, 67, 38]

    # The pack's workbook holds the same numbers.
    workbook = load_workbook(
        io.BytesIO(pack_workbook(list(latest.values()), region_name="巴中市", year_from=2025, year_to=2025))
    )
    sheet = workbook.worksheets[10]
    assert [sheet.cell(row=5, column=c).value for c in range(2, 8)] == [0, 872, 1130, 121, 67, 38]
    early = load_workbook(
        io.BytesIO(pack_workbook(list(figures.values()), region_name="巴中市", year_from=2014, year_to=2019))
    )
    rows = list(early.worksheets[8].iter_rows(min_row=5, max_row=11, values_only=True))
    assert [row[0] for row in rows[:6]] == [str(year) for year in range(2014, 2020)]
    assert rows[-1][-1] == 1245  # the total row
