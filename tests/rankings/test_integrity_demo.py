"""The demo plants known anomalies beside clean controls, and the watch finds them (the one ``enyang`` seed
of the integrity tests; 恩阳区 is the same in ``bazhong``)."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import F

from apps.rankings.integrity import demo as planted
from apps.rankings.integrity.detectors import Detector
from apps.rankings.models import Finding
from apps.villages.models import Village

pytestmark = pytest.mark.django_db


def test_enyang_demo_plants_anomalies_the_watch_finds_and_spares_the_controls():
    call_command("seed_demo", preset="enyang", seed=1, stdout=StringIO())
    villages = list(Village.objects.filter(township__code=planted.TOWNSHIP).order_by("code"))
    bunched, paired = villages[planted.BUNCHING_VILLAGE], villages[planted.PAIRING_VILLAGE]
    on_the_line = Finding.objects.filter(detector=Detector.HOUSEHOLD_BUNCHING, village=bunched)
    assert on_the_line.count() > 0
    from apps.assistance.models import Household

    exited = Household.objects.filter(
        village=bunched, status__in=["exited", "monitored"], exit_year__isnull=False
    )
    assert on_the_line.count() == exited.filter(incomes__year=F("exit_year")).count()
    township = Finding.objects.filter(detector=Detector.TOWNSHIP_BUNCHING, township=bunched.township)
    assert township.exists()
    overloaded = Finding.objects.filter(detector=Detector.OVERLOADED_CADRE, village=paired)
    assert overloaded.count() == 1 and overloaded.get().evidence["paired"] >= planted.OVERLOAD
    # Controls: no other cadre of the county is overloaded, and the late month is the planted member's only.
    assert Finding.objects.filter(detector=Detector.OVERLOADED_CADRE).count() == 1
    late = Finding.objects.filter(detector=Detector.DUTY_BURST)
    assert late.count() == 1
    # Idempotent: the weekly job over the same data adds nothing.
    from apps.rankings.tasks import run_integrity_watch

    before = Finding.objects.count()
    run_integrity_watch.apply()
    assert Finding.objects.count() == before
