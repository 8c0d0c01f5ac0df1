"""Fixtures of the morality-bank tests: residents, goods and items on top of the ``world`` regions.

Village 红旗村 (world.village, 登科街道, 恩阳区) holds the main residents; 柳林村 (world.other_village)
is in the same county but another township; 江北村 (world.far_village) in 巴州区.
"""

import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone

from apps.core import idnumbers
from apps.core.actors import SYSTEM
from apps.core.services import setting_set
from apps.morality_bank import config, services
from apps.morality_bank.models import Item

LONG_AGO = datetime.date(2000, 1, 1)


def id_number(sequence: int, region: str = "511903", born: str = "19800101") -> str:
    first17 = f"{region}{born}{sequence:03d}"
    return first17 + idnumbers.check_character(first17)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Uploaded photos go to a temporary MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def always_open(world):
    """Redemptions allowed every day and no public-notice wait (the defaults are tested on their own)."""
    setting_set(actor=SYSTEM, key=config.REDEMPTION_WINDOW, value="always", valid_from=LONG_AGO)
    setting_set(actor=SYSTEM, key=config.NOTICE_DAYS, value=0, valid_from=LONG_AGO)


@pytest.fixture
def default_catalogue(db):
    """The catalogue the data migration ships (recreated after a transactional test emptied the tables)."""
    services.default_catalogue_ensure(actor=SYSTEM)
    return Item.objects.filter(county__isnull=True)


@pytest.fixture
def bank(world, default_catalogue):
    """Residents, goods and items; ``give(resident, points)`` approves an award (or deduction) at once."""
    b = SimpleNamespace()
    b.resident = services.resident_create(
        actor=SYSTEM, village=world.village, name="张德明", id_number=id_number(101)
    )
    b.resident2 = services.resident_create(
        actor=SYSTEM, village=world.village, name="李秀兰", id_number=id_number(102)
    )
    b.other_resident = services.resident_create(
        actor=SYSTEM, village=world.other_village, name="王建国", id_number=id_number(103)
    )
    b.far_resident = services.resident_create(
        actor=SYSTEM, village=world.far_village, name="赵春梅", id_number=id_number(104, region="511902")
    )
    b.goods = services.goods_create(
        actor=SYSTEM, village=world.village, name="大米", price_points=10, stock=5
    )
    b.far_goods = services.goods_create(
        actor=SYSTEM, village=world.far_village, name="食用油", price_points=30, stock=9
    )
    b.item = Item.objects.get(county__isnull=True, name="遵纪守法，全年无违法违纪行为")  # 1 … 5
    b.deduction = Item.objects.get(county__isnull=True, name="违法违纪受到处理")  # −10 … −5
    b.big = services.item_create(
        actor=SYSTEM, county=world.county, category="filial", name="测试大项", min_points=1, max_points=1000
    )
    b.far_big = services.item_create(
        actor=SYSTEM,
        county=world.other_county,
        category="filial",
        name="测试大项",
        min_points=1,
        max_points=1000,
    )
    b.big_deduction = services.item_create(
        actor=SYSTEM, county=world.county, category="law", name="测试扣分", min_points=-1000, max_points=-1
    )

    def give(resident, points, *, recorder=None, approver=None):
        own_item = b.big if resident.village.county_id == world.county.pk else b.far_big
        item = own_item if points > 0 else b.big_deduction
        award = services.award_create(
            actor=recorder or SYSTEM, resident=resident, item=item, points=points, date=timezone.localdate()
        )
        return services.award_approve(actor=approver or SYSTEM, award=award)

    b.give = give
    return b
