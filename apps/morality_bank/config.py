"""Configuration of the morality bank (dated, per county; see apps/core/configuration.py)."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from apps.core.configuration import define

POINTS_PER_YUAN = "morality.points_per_yuan"
NOTICE_DAYS = "morality.notice_days"
REDEMPTION_WINDOW = "morality.redemption_window"
REDEMPTION_WINDOW_DAYS = "morality.redemption_window_days"

WINDOW_ALWAYS = "always"
WINDOW_QUARTER_END = "quarter_end"

define(
    POINTS_PER_YUAN,
    default="1",
    label=_("Morality bank: points per yuan when redeeming"),
    kind="decimal",
    minimum=Decimal("0.01"),
)
define(
    NOTICE_DAYS,
    default=7,
    label=_("Morality bank: days of public notice before approved points can be redeemed"),
    kind="int",
    minimum=0,
)
define(
    REDEMPTION_WINDOW,
    default=WINDOW_QUARTER_END,
    label=_("Morality bank: when points can be redeemed (always, or at the end of each quarter)"),
    kind="choice",
    choices=(WINDOW_ALWAYS, WINDOW_QUARTER_END),
)
define(
    REDEMPTION_WINDOW_DAYS,
    default=10,
    label=_("Morality bank: length in days of the redemption window at the end of each quarter"),
    kind="int",
    minimum=1,
)
