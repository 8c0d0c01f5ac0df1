"""The demo plants one known case per rule beside clean controls, and the watch finds exactly them (the one
``enyang`` seed of the integrity tests; 恩阳区 is the same in ``bazhong``)."""

import pghistory
import pytest
from django.db.models import F

from apps.accounts.models import User
from apps.assistance.models import Household
from apps.collective_economy.models import Income
from apps.core import demo
from apps.rankings.integrity import demo as planting
from apps.rankings.integrity.detectors import DETECTORS, Detector
from apps.rankings.integrity.selectors import township_bunching_ranking
from apps.rankings.models import Finding
from apps.rankings.tasks import run_integrity_watch
from apps.villages.models import Village

pytestmark = pytest.mark.django_db


@pytest.fixture
def enyang():
    with pghistory.context(command="test"):
        return demo.run(preset="enyang", seed=1)


def found(detector) -> set[int]:
    return set(Finding.objects.filter(detector=detector).values_list("subject_id", flat=True))


def test_enyang_demo_plants_a_case_per_rule_and_the_watch_flags_those_and_no_control(enyang):
    planted = enyang.shared["integrity.planted"]
    assert set(planted) == set(DETECTORS)
    for detector, subjects in planted.items():
        assert subjects, f"nothing planted for {detector}"
        assert found(detector) == subjects, detector
    # Clean data is not flagged: the county admin reviews the planted cases, not thousands of rows.
    assert Finding.objects.count() < 100
    assert Finding.objects.exclude(detector=Detector.HOUSEHOLD_BUNCHING).count() < 20

    villages = list(Village.objects.filter(township__code=planting.TOWNSHIP).order_by("code"))
    bunched = villages[planting.BUNCHING_VILLAGE]
    exits = Household.objects.filter(village=bunched, exit_year__isnull=False, incomes__year=F("exit_year"))
    assert planted[Detector.HOUSEHOLD_BUNCHING] == set(exits.values_list("pk", flat=True))
    (control,) = enyang.shared["integrity.controls"][Detector.VILLAGE_EXIT]
    assert Income.objects.filter(village=control, year=F("village__exit_year")).exists()
    assert control not in found(Detector.VILLAGE_EXIT)

    # The bunched township tops the ranking of a year it is flagged in.
    flagged_year = Finding.objects.filter(detector=Detector.TOWNSHIP_BUNCHING).latest("year").year
    ranking = township_bunching_ranking(User.objects.get(username="enyang_admin"), year=flagged_year)
    assert len(ranking) == 18
    assert ranking[0].township == bunched.township and ranking[0].flagged
    assert not any(row.flagged for row in ranking[1:])

    # Idempotent: the weekly job over the same data adds nothing.
    before = Finding.objects.count()
    run_integrity_watch.apply()
    assert Finding.objects.count() == before
