"""Full ID numbers are shown only to county admins and above, and every such view is logged."""

import datetime

import pytest
from django.db import DatabaseError, connection, transaction

from apps.cadres.models import Cadre
from apps.core import idnumbers
from apps.core.models import IdNumberAccess

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.core.urls_idaccess")]


def make_number(seq):
    first17 = f"511903198001{seq:02d}00{seq}"
    return first17 + idnumbers.check_character(first17)


@pytest.fixture
def cadres(world):
    return [
        Cadre.objects.create(
            village=village,
            name=name,
            gender="male",
            id_number=make_number(i + 1),
            birth_date=datetime.date(1980, 1, i + 1),
            education="college",
        )  # fmt: skip
        for i, (village, name) in enumerate([(world.village, "张三"), (world.far_village, "李四")])
    ]


def test_county_admin_sees_full_numbers_and_each_view_is_logged(world, api, cadres):
    body = api(world.county_admin).get("/numbers/").json()
    assert [row["id_number"] for row in body] == [cadres[0].id_number]
    access = IdNumberAccess.objects.get()
    assert access.user == world.county_admin
    assert (access.record_type, access.record_id) == ("cadres.Cadre", str(cadres[0].pk))
    assert access.masked_number == idnumbers.mask(cadres[0].id_number)
    assert cadres[0].id_number not in access.masked_number


def test_township_staff_sees_masked_numbers_and_nothing_is_logged(world, api, cadres):
    body = api(world.township_staff).get("/numbers/").json()
    assert body[0]["id_number"] == idnumbers.mask(cadres[0].id_number)
    assert not IdNumberAccess.objects.exists()


def test_page_views_are_logged_and_admins_read_the_log_of_their_region(world, client, cadres):
    client.force_login(world.county_admin)
    assert cadres[0].id_number in client.get(f"/cadre/{cadres[0].pk}/").content.decode()
    client.force_login(world.other_county_admin)
    client.get(f"/cadre/{cadres[1].pk}/")
    assert IdNumberAccess.objects.count() == 2

    client.force_login(world.county_admin)
    page = client.get("/id-number-access/").content.decode()
    assert f"/cadre/{cadres[0].pk}/" in page and f"/cadre/{cadres[1].pk}/" not in page
    client.force_login(world.township_staff)
    assert client.get("/id-number-access/").status_code == 403


def test_the_log_is_append_only(world, api, cadres):
    api(world.county_admin).get("/numbers/")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_idnumberaccess")
    assert IdNumberAccess.objects.count() == 1
