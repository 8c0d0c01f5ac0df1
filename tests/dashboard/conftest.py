"""Data for the dashboard tests on top of ``world`` (tests/conftest.py), entered through the apps' services.

登科街道 (world.township): 红旗村 and 白鹤村; 柳林镇 (world.other_township): 柳林村; 巴州区: 江北村.
"""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest

from apps.collective_economy import services as economy
from apps.core.actors import SYSTEM
from apps.dashboard.models import SurveyResult
from apps.villages import services as villages

YEAR = 2024


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Report packs are written to a temporary MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def data(world):
    """Ratings (one weak: a rectification case), incomes, a project and survey results."""
    d = SimpleNamespace()

    def organisation(name, village, **fields):
        return villages.organisation_create(
            actor=SYSTEM,
            name=name,
            kind="branch",
            villages=[village],
            founded_on=datetime.date(1990, 7, 1),
            **fields,
        )

    d.organisation = organisation("中共红旗村支部委员会", world.village)
    d.organisation2 = organisation("中共白鹤村支部委员会", world.village2)
    d.other_organisation = organisation("中共柳林村支部委员会", world.other_village)
    d.far_organisation = organisation("中共江北村支部委员会", world.far_village)
    villages.rating_create(actor=SYSTEM, organisation=d.organisation, year=YEAR, level="advanced")
    villages.rating_create(actor=SYSTEM, organisation=d.organisation2, year=YEAR, level="weak")
    villages.rating_create(actor=SYSTEM, organisation=d.other_organisation, year=YEAR, level="ordinary")
    villages.rating_create(actor=SYSTEM, organisation=d.far_organisation, year=YEAR, level="weak")

    def income(village, **amounts):
        return economy.income_create(
            actor=SYSTEM, village=village, year=YEAR, **{k: Decimal(v) for k, v in amounts.items()}
        )

    income(world.village, operating="60000", resource="5000")  # 65,000: 50k–100k
    income(world.village2, subsidy="8000")  # under 10,000
    income(world.other_village, operating="120000")  # 100k–500k
    income(world.far_village, operating="700000")  # 500k and over (other county)
    d.project = economy.project_create(
        actor=SYSTEM,
        village=world.village,
        name="红旗村茶叶基地",
        start_year=YEAR,
        funds_total=Decimal("200000"),
        households_benefiting=37,
        people_benefiting=120,
    )
    d.city_survey = [
        SurveyResult.objects.create(city=world.city, year=2019, reason=reason, share=Decimal(share))
        for reason, share in (("抓党建促脱贫工作思路不清", "38"), ("党组织服务能力不强", "29"))
    ]
    d.county_survey = SurveyResult.objects.create(
        city=world.city, county=world.county, year=2019, reason="扶贫政策掌握不到位", share=Decimal("55")
    )
    return d
