"""Party organisations on top of the shared ``world`` (tests/conftest.py).

登科街道 (world.township) has 红旗村 and 白鹤村; 柳林镇 (world.other_township) 柳林村; 巴州区 江北村.
"""

import datetime

import pytest
from django.utils import timezone

from apps.accounts.services import user_create
from apps.cadres.models import Cadre
from apps.core import idnumbers
from apps.core.actors import SYSTEM
from apps.villages import services
from apps.villages.models import Rating, RatingLevel, Rectification
from tests.conftest import PASSWORD

LAST_YEAR = timezone.localdate().year - 1


class Party:
    """The organisations of the world: one per village, and a joint one over 红旗村 and 白鹤村."""


@pytest.fixture
def party(world):
    p = Party()

    def organisation(name, villages, **fields):
        return services.organisation_create(
            actor=SYSTEM,
            name=name,
            kind=fields.pop("kind", "branch"),
            villages=villages,
            founded_on=fields.pop("founded_on", datetime.date(1990, 7, 1)),
            **fields,
        )

    p.organisation = organisation("中共红旗村支部委员会", [world.village], members_count=32)
    p.organisation2 = organisation("中共白鹤村支部委员会", [world.village2], members_count=25)
    p.joint = organisation(
        "中共红旗村白鹤村联合委员会",
        [world.village, world.village2],
        kind="committee",
        founded_on=datetime.date(2017, 3, 1),
    )
    p.other_organisation = organisation("中共柳林村支部委员会", [world.other_village])
    p.far_organisation = organisation("中共江北村支部委员会", [world.far_village])
    return p


@pytest.fixture
def village_api_client(world):
    """An API client bound to one village (红旗村): it sees the joint organisation but not all its villages."""
    return user_create(
        actor=SYSTEM, username="village_api", password=PASSWORD, role="api_client", region=world.village
    )


def rate(organisation, year, level, *, actor=SYSTEM, reason="") -> Rating:
    return services.rating_create(
        actor=actor, organisation=organisation, year=year, level=level, reason=reason
    )


def weak_case(organisation, year=LAST_YEAR, *, actor=SYSTEM) -> Rectification:
    return rate(organisation, year, RatingLevel.WEAK, actor=actor).rectification


_sequence = iter(range(1, 1000))


def make_cadre(village, name="张书记") -> Cadre:
    """A cadre with a valid, unique ID number (created directly: the cadres app's services are theirs)."""
    first17 = f"51190319800101{next(_sequence):03d}"
    number = first17 + idnumbers.check_character(first17)
    return Cadre.objects.create(
        village=village,
        name=name,
        gender="male",
        id_number=number,
        birth_date=idnumbers.birth_date(number),
        education="college",
    )
