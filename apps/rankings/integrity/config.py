"""Dated thresholds of the integrity watch (per county; admins change them on /settings/).

The poverty line (``assistance.poverty_line``), the village exit bar (``collective_economy.exit_per_capita``),
the pairing maximum (``assistance.max_households_per_cadre``) and the redemption window
(``morality.redemption_window``, ``morality.redemption_window_days``) are read from their owners' settings.
"""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from apps.core.configuration import define

BUNCHING_BAND = define(
    "integrity.bunching_band_percent",
    default=Decimal("5"),
    label=_("Integrity watch: width of the band just above a line, in percent of the line"),
    minimum=Decimal("0.1"),
)
BUNCHING_MIN_LOG_RATIO = define(
    "integrity.bunching_min_log_ratio",
    default=Decimal("0.69"),
    label=_("Integrity watch: township bunching is flagged from this log-ratio (0.69: twice the neighbours)"),
    minimum=Decimal("0"),
)
BUNCHING_MIN_COUNT = define(
    "integrity.bunching_min_count",
    default=5,
    label=_("Integrity watch: households needed in the band above the line to flag a township"),
    kind="int",
    minimum=1,
)
VILLAGE_EXIT_BAND = define(
    "integrity.village_exit_band_percent",
    default=Decimal("10"),
    label=_("Integrity watch: a village's exit income within this percent above the exit bar is flagged"),
    minimum=Decimal("0"),
)
INACTIVE_MONTHS = define(
    "integrity.inactive_months",
    default=6,
    label=_("Integrity watch: months without a measure before a paired household is flagged"),
    kind="int",
    minimum=1,
)
DUTY_MIN_DAYS = define(
    "integrity.duty_min_days",
    default=10,
    label=_("Integrity watch: on-duty days in a month before its pattern or its entry is examined"),
    kind="int",
    minimum=1,
)
DUTY_MIN_OFF_DAYS = define(
    "integrity.duty_min_off_days",
    default=3,
    label=_(
        "Integrity watch: days off a month's identical duty pattern needs before it counts as copied "
        "(every day on duty proves nothing)"
    ),
    kind="int",
    minimum=0,
)
DUTY_LATE_DAYS = define(
    "integrity.duty_late_days",
    default=15,
    label=_(
        "Integrity watch: a month's duty logs all entered within one day, this many days after the month"
    ),
    kind="int",
    minimum=1,
)
CADRE_POINTS_SHARE = define(
    "integrity.cadre_points_share_percent",
    default=Decimal("30"),
    label=_(
        "Integrity watch: a village is flagged when cadres' own households get this percent of its points"
    ),
    minimum=Decimal("0"),
)
AWARD_BURST_LEAD_DAYS = define(
    "integrity.award_burst_lead_days",
    default=14,
    label=_(
        "Integrity watch: days before a redemption window opens in which a burst of awards is looked for"
    ),
    kind="int",
    minimum=1,
)
AWARD_BURST_MULTIPLE = define(
    "integrity.award_burst_multiple",
    default=Decimal("3"),
    label=_(
        "Integrity watch: a village is flagged when the awards dated in those days reach this multiple of "
        "its normal number for as many days"
    ),
    minimum=Decimal("1"),
)
AWARD_BURST_MIN_AWARDS = define(
    "integrity.award_burst_min_awards",
    default=6,
    label=_("Integrity watch: awards needed in those days before a village is flagged for a burst"),
    kind="int",
    minimum=1,
)
