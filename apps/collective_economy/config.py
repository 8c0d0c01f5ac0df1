"""Dated configuration of the collective economy (lines and targets); admins change it on /settings/.

A year's figures use the values in force on 31 December of that year, so figures of a closed year keep
the lines they were computed with when an admin changes a line later.
"""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from apps.core.configuration import define

WEAK_LINE = define(
    "collective_economy.weak_line",
    default=Decimal("50000"),
    label=_("Collective economy: weak-village line, yearly income below it (yuan)"),
    minimum=Decimal("0"),
)
TARGET_LINE = define(
    "collective_economy.target_line",
    default=Decimal("300000"),
    label=_("Collective economy: target line, yearly income at or above it (yuan)"),
    minimum=Decimal("0"),
)
TARGET_VILLAGES = define(
    "collective_economy.target_villages",
    default=0,
    label=_("Collective economy: villages to reach the target line this year (0: no goal)"),
    kind="int",
    minimum=0,
)
PAIRING_LINE = define(
    "collective_economy.pairing_line",
    default=Decimal("100000"),
    label=_("Collective economy: villages below this yearly income are paired with a helping unit (yuan)"),
    minimum=Decimal("0"),
)
EXIT_PER_CAPITA = define(
    "collective_economy.exit_per_capita",
    default=Decimal("6"),
    label=_("Collective economy: poverty-exit bar, income per registered resident (yuan)"),
    minimum=Decimal("0"),
)
SUPPORT_FUND_MINIMUM = define(
    "collective_economy.support_fund_minimum",
    default=Decimal("20000"),
    label=_("Collective economy: minimum support fund per village (yuan)"),
    minimum=Decimal("0"),
)
FIRST_YEAR = define(
    "collective_economy.first_year",
    default=2014,
    label=_("Collective economy: first year that records may be entered for"),
    kind="int",
    minimum=1949,
)

# The lines the statistics compare incomes with, in the order they are shown.
LINE_KEYS = (WEAK_LINE.key, TARGET_LINE.key, PAIRING_LINE.key, EXIT_PER_CAPITA.key)
