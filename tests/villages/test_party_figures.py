"""Figures 1–3 (rectified organisations, rating levels, joint organisations): set-based selectors, checked
against hand-made data, at two scales for their query counts, and against the ``enyang`` demo preset."""

import datetime
import re
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from apps.core.actors import SYSTEM
from apps.villages import selectors, services
from apps.villages.demo import PARTY_YEARS
from apps.villages.models import PartyOrganisation, Rectification, Village

from .conftest import rate, weak_case

pytestmark = pytest.mark.django_db


def test_levels_count_a_joint_organisation_once(world, party):
    rate(party.organisation, 2020, "weak")
    rate(party.organisation2, 2020, "ordinary")
    rate(party.joint, 2020, "advanced")
    rate(party.other_organisation, 2020, "ordinary")
    rows = selectors.level_counts(user=world.township_staff, year_from=2019, year_to=2020)
    assert rows == [
        {
            "year": 2020,
            "total": 3,
            "advanced": 1,
            "ordinary": 1,
            "weak": 1,
            "shares": {"advanced": Decimal("33.3"), "ordinary": Decimal("33.3"), "weak": Decimal("33.3")},
        }
    ]
    by_township = selectors.level_counts_by_region(user=world.county_admin, year=2020, by="township")
    assert [(r["region_name"], r["total"], r["weak"]) for r in by_township] == [
        ("登科街道", 3, 1),
        ("柳林镇", 1, 0),
    ]
    assert selectors.level_distribution(user=world.other_county_admin) is None


def test_rectified_counts_organisations_the_first_time_and_repeats_apart(world, party):
    weak_case(party.organisation, 2014)
    weak_case(party.organisation, 2016)
    weak_case(party.organisation2, 2016)
    weak_case(party.other_organisation, 2017)
    figure = selectors.rectified_per_year(user=world.county_admin, year_from=2014, year_to=2019)
    assert [
        (r["year"], r["cases"], r["first_time"], r["repeat"], r["cumulative"]) for r in figure["years"]
    ] == [
        (2014, 1, 1, 0, 1),
        (2016, 2, 1, 1, 2),
        (2017, 1, 1, 0, 3),
    ]
    assert (figure["organisations"], figure["villages"], figure["share_of_villages"]) == (
        3,
        3,
        Decimal("100.0"),
    )
    township = selectors.rectified_per_year(
        user=world.county_admin, year_from=2015, year_to=2019, township=world.township
    )
    # From 2015 on, 2016 is the first case of 红旗村's branch inside the range.
    assert [(r["year"], r["first_time"]) for r in township["years"]] == [(2016, 2)]
    assert township["share_of_villages"] == Decimal("100.0")


def test_joint_organisations_per_year(world, party):
    services.organisation_update(
        actor=SYSTEM, organisation=party.joint, dissolved_on=datetime.date(2019, 6, 30)
    )
    services.organisation_create(
        actor=SYSTEM,
        name="联合党委",
        kind="committee",
        villages=[world.village, world.village2],
        founded_on=datetime.date(2019, 1, 5),
    )
    rows = selectors.joint_organisations_per_year(user=world.township_staff, year_from=2016, year_to=2020)
    assert [(r["year"], r["new"], r["existing"]) for r in rows] == [
        (2016, 0, 0),
        (2017, 1, 1),
        (2018, 0, 1),
        (2019, 1, 1),
        (2020, 0, 1),
    ]
    assert selectors.joint_organisations_per_year(
        user=world.other_county_admin, year_from=2017, year_to=2017
    ) == [{"year": 2017, "new": 0, "existing": 0}]


def _grow(world, count):
    """``count`` more villages of 登科街道, each with a branch rated weak in 2018 and 2019."""
    for number in range(count):
        village = Village.objects.create(
            township=world.township,
            county=world.county,
            code=f"511903001{100 + number:03d}",
            name=f"村{number}",
        )
        organisation = services.organisation_create(
            actor=SYSTEM, name=f"支部{number}", kind="branch", villages=[village]
        )
        weak_case(organisation, 2018)
        weak_case(organisation, 2019)


@pytest.mark.parametrize("count", [2, 12])
def test_each_figure_takes_the_same_few_queries_at_any_scale(world, party, count, django_assert_num_queries):
    _grow(world, count)
    user = world.county_admin
    with django_assert_num_queries(1):
        selectors.level_counts(user=user, year_from=2014, year_to=2025)
    with django_assert_num_queries(2):  # the cases, then the villages they are a share of
        figure = selectors.rectified_per_year(user=user, year_from=2014, year_to=2025)
    with django_assert_num_queries(1):
        selectors.joint_organisations_per_year(user=user, year_from=2014, year_to=2025)
    with django_assert_num_queries(1):
        selectors.level_counts_by_region(user=user, year=2019)
    assert figure["organisations"] == count


def test_the_enyang_preset_has_the_proportionate_published_figures(db):
    """恩阳区 is 209 of Bazhong's 2,228 villages: 135 organisations rectified (1,435 × 209 / 2,228 = 134.6)
    since 2014, all of them by 2019, 4 joint organisations (45 × 209 / 2,228 = 4.2), and 2025 ending at
    20% / 70% / 10%."""
    call_command("seed_demo", preset="enyang", seed=1, stdout=StringIO())
    figures = selectors.party_figures(user=SYSTEM, year_from=2014, year_to=PARTY_YEARS[-1])
    rectified = figures["rectified"]
    assert (rectified["organisations"], rectified["villages"]) == (135, 209)
    assert rectified["share_of_villages"] == Decimal("64.6")
    assert [row["cumulative"] for row in rectified["years"] if row["year"] == 2019] == [135]
    assert figures["joint_now"] == 4
    assert figures["joint"][-1]["existing"] == 4
    assert sum(row["new"] for row in figures["joint"]) == 4
    levels = figures["levels"]
    assert levels["total"] == PartyOrganisation.objects.count() == 213
    assert (levels["advanced"], levels["ordinary"], levels["weak"]) == (43, 149, 21)
    assert {k: round(v) for k, v in levels["shares"].items()} == {"advanced": 20, "ordinary": 70, "weak": 10}
    # Every weak rating opened its case; cases that are accepted have a measure and a progress note.
    assert Rectification.objects.count() == sum(row["cases"] for row in rectified["years"])
    accepted = Rectification.objects.filter(status="accepted")
    assert accepted.exists()
    assert not accepted.filter(measures=[]).exists()
    assert not accepted.filter(notes__isnull=True).exists()

    # The audit trail has an insert event for every seeded rating.
    from django.apps import apps

    assert apps.get_model("villages", "RatingEvent").objects.filter(pgh_label="insert").count() == sum(
        row["total"] for row in figures["levels_per_year"]
    )

    out = StringIO()
    call_command("party_figures", region="511903000000", stdout=out)
    report = out.getvalue()
    assert "Rectified since 2014: 135 organisations, 64.6% of 209 villages" in report
    assert re.search(r"^  weak +21 +9\.9%$", report, re.MULTILINE)
    assert "Joint organisations now: 4" in report


def test_demo_bulk_rows_get_the_same_insert_events_as_the_trigger_writes(world, party):
    """The demo pauses the row trigger for its bulk inserts and writes the insert events set-based."""
    import pghistory
    from django.apps import apps
    from django.utils import timezone

    from apps.villages.demo import _bulk_create_with_history
    from apps.villages.models import Rating

    event_model = apps.get_model("villages", "RatingEvent")
    confirmed_at = timezone.now()
    with pghistory.context(command="test"):
        by_trigger = Rating.objects.create(
            organisation=party.organisation, year=2019, level="weak", reason="x", confirmed_at=confirmed_at
        )
        by_helper = Rating(
            organisation=party.organisation2, year=2019, level="weak", reason="x", confirmed_at=confirmed_at
        )
        _bulk_create_with_history(Rating, [by_helper])
    ignored = {"pgh_id", "pgh_obj", "id", "organisation", "created_at", "updated_at", "pgh_created_at"}

    def event(rating):
        row = event_model.objects.get(pgh_obj=rating)
        return {
            f.attname: getattr(row, f.attname)
            for f in event_model._meta.concrete_fields
            if f.name not in ignored
        }

    assert event(by_helper) == event(by_trigger)
    assert event(by_helper)["pgh_label"] == "insert" and event(by_helper)["pgh_context_id"] is not None
