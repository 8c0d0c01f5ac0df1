"""Configuration keys of the cadres app (dated values per county, see apps/core/configuration.py)."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from apps.core.configuration import define

MIN_RESERVES = define(
    "cadres.min_reserves_per_village",
    default=2,
    label=_("Reserve cadres every village should keep (fewer puts it on the rectification list)"),
    kind="int",
    minimum=0,
)
NEW_SECRETARY_MAX_AGE = define(
    "cadres.new_secretary_max_age",
    default=45,
    label=_("Age limit for a newly appointed village Party secretary"),
    kind="int",
    minimum=18,
)
CONTINUING_SECRETARY_MAX_AGE = define(
    "cadres.continuing_secretary_max_age",
    default=55,
    label=_("Age limit for a continuing village Party secretary"),
    kind="int",
    minimum=18,
)
SECRETARY_COLLEGE_TARGET = define(
    "cadres.secretary_college_target_percent",
    default=Decimal("80"),
    label=_("Target share of village Party secretaries with junior college or above (percent)"),
    kind="decimal",
    minimum=Decimal("0"),
)
