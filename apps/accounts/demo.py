"""Demo logins: one account per role, all with ``DEMO_PASSWORD`` (listed in docs/demo-logins.txt)."""

from __future__ import annotations

from dataclasses import dataclass

from apps.core.actors import SYSTEM
from apps.core.demo import DEMO_PASSWORD, DemoContext, DemoError, DemoLogin, register

from .models import User
from .services import token_for, user_create


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str  # "superuser" or a Role value
    region_code: str | None  # None: not bound to a region


DEMO_USERS = (
    DemoUser("admin", "superuser", None),
    DemoUser("city_admin", "city_admin", "511900000000"),  # 巴中市
    DemoUser("enyang_admin", "county_admin", "511903000000"),  # 恩阳区
    DemoUser("bazhou_admin", "county_admin", "511902000000"),  # 巴州区: not in enyang
    DemoUser("township_staff", "township_staff", "511903001000"),  # 恩阳区's first township
    DemoUser("township_staff2", "township_staff", "511903002000"),  # its second
    DemoUser("village_clerk", "village_clerk", "511903001001"),  # the first village of the first
    DemoUser("api_client", "api_client", "511903000000"),  # with a REST API token
)
# Presets that include each region; a user whose region the preset lacks is skipped.
REGION_PRESETS = {"511902000000": "bazhong, province, nation-sample"}


@register(20)
def seed(ctx: DemoContext) -> None:
    clashes = User.objects.filter(username__in=[u.username for u in DEMO_USERS]).values_list(
        "username", flat=True
    )
    if clashes:
        raise DemoError(f"These users already exist: {', '.join(sorted(clashes))}.")
    users = {}
    for spec in DEMO_USERS:
        region = ctx.regions.get(spec.region_code) if spec.region_code else None
        if spec.region_code and region is None:
            continue
        full_name = ctx.faker.name()
        if spec.role == "superuser":
            user = User.objects.create_superuser(spec.username, email="", password=DEMO_PASSWORD)
            user.first_name = full_name
            user.save(update_fields=["first_name"])
        else:
            user = user_create(
                actor=SYSTEM,
                username=spec.username,
                password=DEMO_PASSWORD,
                role=spec.role,
                region=region,
                full_name=full_name,
            )
        users[spec.username] = user
        presets = REGION_PRESETS.get(spec.region_code or "", "all")
        region_label = f"{region.name} {region.code}" if region else "-"
        ctx.logins.append(DemoLogin(spec.username, spec.role, region_label, presets))
    ctx.shared["accounts.users"] = users
    ctx.shared["accounts.api_token"] = token_for(user=users["api_client"])
    ctx.summary["users"] = len(users)
