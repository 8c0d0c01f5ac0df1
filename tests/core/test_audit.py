"""The audit trail records who changed what, including bulk updates and deletes made outside the ORM's save()."""

import pghistory
import pytest
from pghistory.models import MiddlewareEvents

from apps.core.history import record_history
from apps.villages.models import Village

pytestmark = pytest.mark.django_db


def test_api_update_records_the_user_and_the_field_change(world, api):
    response = api(world.township_staff).patch(
        f"/api/v1/villages/{world.village.pk}/", {"population_registered": 1300}, format="json"
    )
    assert response.status_code == 200
    latest = record_history(world.village)[0]
    assert latest.action == "update"
    assert latest.user == world.township_staff
    assert [(c.field, c.old, c.new) for c in latest.changes] == [("population_registered", 1200, 1300)]


def test_bulk_update_is_recorded(world):
    with pghistory.context(user=world.county_admin.pk):
        Village.objects.filter(county=world.county).update(is_remote=True)
    events = MiddlewareEvents.objects.tracks(list(Village.objects.filter(county=world.county))).filter(
        pgh_label="update"
    )
    assert events.count() == 3
    assert {e.pgh_diff["is_remote"][1] for e in events} == {True}
    assert {e.user_id for e in events} == {world.county_admin.pk}


def test_delete_is_recorded(world):
    village_pk = world.village2.pk
    Village.objects.filter(pk=village_pk).delete()
    assert (
        MiddlewareEvents.objects.filter(pgh_obj_model="villages.Village", pgh_obj_id=str(village_pk))
        .filter(pgh_label="delete")
        .exists()
    )


def test_insert_is_recorded_with_its_values(world):
    inserted = record_history(world.village)[-1]
    assert inserted.action == "insert"
    assert ("code", None, world.village.code) in [(c.field, c.old, c.new) for c in inserted.changes]
