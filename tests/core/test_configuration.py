import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from apps.core.actors import SYSTEM
from apps.core.configuration import define, value_of, values_of
from apps.core.selectors import setting_list
from apps.core.services import setting_set

pytestmark = pytest.mark.django_db

RATE = define("test.rate", default=Decimal("100.00"), label="test rate", minimum=Decimal("0"))


def test_default_then_global_then_county_value_by_date(world):
    assert value_of("test.rate", on=datetime.date(2020, 1, 1)) == Decimal("100.00")
    setting_set(actor=SYSTEM, key="test.rate", value="120", valid_from=datetime.date(2021, 1, 1))
    setting_set(
        actor=SYSTEM, key="test.rate", value="150", valid_from=datetime.date(2022, 1, 1), county=world.county
    )
    assert value_of("test.rate", on=datetime.date(2020, 12, 31), county=world.county) == Decimal("100.00")
    assert value_of("test.rate", on=datetime.date(2021, 6, 1), county=world.county) == Decimal("120")
    assert value_of("test.rate", on=datetime.date(2022, 6, 1), county=world.county) == Decimal("150")
    assert value_of("test.rate", on=datetime.date(2022, 6, 1), county=world.other_county) == Decimal("120")
    lookup = values_of("test.rate", on=datetime.date(2022, 6, 1))
    assert lookup(world.county) == Decimal("150") and lookup(world.other_county) == Decimal("120")


def test_admins_set_values_within_their_region_and_not_in_the_past(world):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    setting_set(
        actor=world.county_admin, key="test.rate", value="90", valid_from=tomorrow, county=world.county
    )
    with pytest.raises(ValidationError):
        setting_set(
            actor=world.county_admin,
            key="test.rate",
            value="90",
            valid_from=tomorrow,
            county=world.other_county,
        )
    with pytest.raises(PermissionDenied):
        setting_set(actor=world.county_admin, key="test.rate", value="90", valid_from=tomorrow)
    with pytest.raises(PermissionDenied):
        setting_set(
            actor=world.township_staff, key="test.rate", value="90", valid_from=tomorrow, county=world.county
        )
    with pytest.raises(ValidationError) as info:
        setting_set(actor=world.city_admin, key="test.rate", value="90", valid_from=datetime.date(2020, 1, 1))
    assert "valid_from" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        setting_set(actor=world.city_admin, key="test.rate", value="-1", valid_from=tomorrow)
    assert "value" in info.value.message_dict
    with pytest.raises(ValidationError):
        setting_set(actor=world.city_admin, key="no.such.key", value="1", valid_from=tomorrow)


def test_settings_are_listed_by_scope(world):
    setting_set(actor=SYSTEM, key="test.rate", value="1", valid_from=datetime.date(2021, 1, 1))
    setting_set(
        actor=SYSTEM, key="test.rate", value="2", valid_from=datetime.date(2021, 1, 1), county=world.county
    )
    setting_set(
        actor=SYSTEM,
        key="test.rate",
        value="3",
        valid_from=datetime.date(2021, 1, 1),
        county=world.other_county,
    )
    mine = {"key": "test.rate"}
    assert sorted(s.value for s in setting_list(user=world.township_staff).filter(**mine)) == ["1", "2"]
    assert sorted(s.value for s in setting_list(user=world.city_admin).filter(**mine)) == ["1", "2", "3"]
