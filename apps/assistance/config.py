"""Dated configuration of the assistance app (rates, lines, thresholds); admins change it on /settings/."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from apps.core.configuration import define

LIVING_ALLOWANCE = define(
    "assistance.living_allowance_per_day",
    default=Decimal("100.00"),
    label=_("Work teams: living allowance per on-duty day (yuan)"),
    minimum=Decimal("0"),
)
COMMUNICATION_ALLOWANCE = define(
    "assistance.communication_allowance_per_month",
    default=Decimal("80.00"),
    label=_("Work teams: communication allowance per month served (yuan)"),
    minimum=Decimal("0"),
)
MIN_COUNTY_PLUS_MEMBERS = define(
    "assistance.min_county_plus_members",
    default=3,
    label=_("Work teams: minimum members from county-level or higher units"),
    kind="int",
    minimum=0,
)
MAX_HOUSEHOLDS_PER_CADRE = define(
    "assistance.max_households_per_cadre",
    default=5,
    label=_("Pairing: maximum households paired with one cadre"),
    kind="int",
    minimum=1,
)
SPOT_CHECK_RATE = define(
    "assistance.spot_check_rate",
    default=Decimal("0.10"),
    label=_("Spot checks: share of a county's active work teams drawn each quarter"),
    minimum=Decimal("0.01"),
)
# The national rural poverty line, yuan per person per year, in force from 1 January of each year.
# The default is 2014's; migration 0003 adds the dated values of 2015-2020 as global settings.
POVERTY_LINE = define(
    "assistance.poverty_line",
    default=Decimal("2736"),
    label=_("Poverty line (yuan per person per year)"),
    minimum=Decimal("0"),
)
POVERTY_LINES = {
    2014: Decimal("2736"),
    2015: Decimal("2855"),
    2016: Decimal("2952"),
    2017: Decimal("3335"),
    2018: Decimal("3535"),
    2019: Decimal("3747"),
    2020: Decimal("4000"),
}
LISTS_SET_BY_MONTH = define(
    "assistance.lists_set_by_month",
    default=3,
    label=_("Responsibility lists: items of a year are set by the end of this month"),
    kind="int",
    minimum=1,
)
