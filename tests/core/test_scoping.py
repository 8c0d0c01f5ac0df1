import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from apps.accounts.models import User
from apps.core.scoping import ensure_in_scope, get_for, scope_for
from apps.villages.models import County, Township, Village

pytestmark = pytest.mark.django_db


def test_default_deny_without_role_or_region(world):
    nobody = User.objects.create_user("nobody", password="x")
    assert not scope_for(nobody, Village.objects.all()).exists()
    role_without_region = User.objects.create_user("half", password="x", role="township_staff")
    assert not scope_for(role_without_region, Village.objects.all()).exists()


def test_inactive_user_sees_nothing(world):
    world.county_admin.is_active = False
    assert not scope_for(world.county_admin, Village.objects.all()).exists()


@pytest.mark.parametrize(
    ("user", "expected"),
    [
        ("city_admin", {"511903001001", "511903001002", "511903002001", "511902001001"}),
        ("county_admin", {"511903001001", "511903001002", "511903002001"}),
        ("township_staff", {"511903001001", "511903001002"}),
        ("village_clerk", {"511903001001"}),
        ("api_client", {"511903001001", "511903001002"}),
    ],
)
def test_each_role_sees_its_region(world, user, expected):
    assert (
        set(scope_for(getattr(world, user), Village.objects.all()).values_list("code", flat=True)) == expected
    )


def test_ancestors_are_readable_for_context(world):
    assert list(scope_for(world.village_clerk, Township.objects.all())) == [world.township]
    assert list(scope_for(world.village_clerk, County.objects.all())) == [world.county]


def test_get_for_raises_404_outside_scope(world):
    with pytest.raises(Http404):
        get_for(world.township_staff, Village, pk=world.far_village.pk)
    assert get_for(world.township_staff, Village, pk=world.village.pk) == world.village


def test_ensure_in_scope_raises_403(world):
    with pytest.raises(PermissionDenied):
        ensure_in_scope(world.township_staff, world.other_village)


def test_county_admin_sees_users_of_the_county_only(world):
    visible = set(scope_for(world.county_admin, User.objects.all()).values_list("username", flat=True))
    assert visible == {
        "county_admin",
        "township_staff",
        "other_township_staff",
        "village_clerk",
        "api_client",
    }
