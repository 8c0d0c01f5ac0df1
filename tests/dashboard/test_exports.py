"""Export of the survey results list: its filters and its scope."""

from decimal import Decimal

import pytest

from apps.core.actors import SYSTEM
from apps.dashboard import services
from tests.exports import column, logged_in

pytestmark = pytest.mark.django_db


def test_survey_export_applies_the_filter_and_the_scope(client, world):
    for county, year, reason in (
        (world.county, 2024, "党建责任不清"),
        (world.county, 2023, "班子能力不足"),
        (world.other_county, 2024, "外县原因"),
    ):
        services.survey_result_create(
            actor=SYSTEM, city=world.city, county=county, year=year, reason=reason, share=Decimal("40")
        )
    client = logged_in(client, world.county_admin)

    everything = client.get("/dashboard/surveys/export.xlsx")
    assert column(everything, "Reason given") == ["党建责任不清", "班子能力不足"]  # not 巴州区's
    assert column(everything, "Region") == ["恩阳区", "恩阳区"]
    assert column(client.get("/dashboard/surveys/export.xlsx?year=2023"), "Reason given") == ["班子能力不足"]
    assert (
        'href="/dashboard/surveys/export.xlsx?year=2023"' in client.get("/dashboard/surveys/?year=2023").text
    )
