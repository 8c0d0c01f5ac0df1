import pytest
from django.core.management import CommandError, call_command

from apps.accounts.models import User

pytestmark = pytest.mark.django_db


def test_create_user_binds_the_region_and_prints_a_token(world, capsys, client):
    call_command(
        "create_user", "clerk2", "--role", "village_clerk", "--region", world.village.code,
        "--password", "Clerk-pass-2026", "--token",
    )  # fmt: skip
    out = capsys.readouterr().out
    user = User.objects.get(username="clerk2")
    assert user.village == world.village and user.role == "village_clerk"
    token = out.split("Token: ")[1].strip()
    response = client.get("/api/v1/villages/", HTTP_AUTHORIZATION=f"Token {token}")
    assert [v["code"] for v in response.json()["results"]] == [world.village.code]


def test_create_user_rejects_a_region_of_the_wrong_level(world):
    with pytest.raises(CommandError, match="region"):
        call_command(
            "create_user",
            "x",
            "--role",
            "county_admin",
            "--region",
            world.township.code,
            "--password",
            "Pass-2026-ok",
        )
    assert not User.objects.filter(username="x").exists()


def test_create_user_rejects_an_unknown_region(world):
    with pytest.raises(CommandError, match="No region"):
        call_command(
            "create_user", "x", "--role", "county_admin", "--region", "999999000000", "--password", "p"
        )


def test_create_user_rejects_a_weak_password(world):
    with pytest.raises(CommandError, match="password"):
        call_command(
            "create_user", "x", "--role", "county_admin", "--region", world.county.code, "--password", "123"
        )


def test_a_retired_village_cannot_get_new_users(world):
    from apps.core.actors import SYSTEM
    from apps.villages.services import village_retire

    village_retire(actor=SYSTEM, village=world.village2, retired_on="2026-01-01", reason="合并")
    with pytest.raises(CommandError, match="region"):
        call_command(
            "create_user", "clerk3", "--role", "village_clerk", "--region", world.village2.code,
            "--password", "Clerk-pass-2026",
        )  # fmt: skip
    assert not User.objects.filter(username="clerk3").exists()
