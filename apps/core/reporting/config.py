"""Configuration of the reporting cycle (editable at /settings/, dated, per county)."""

from django.utils.translation import gettext_lazy as _

from apps.core.configuration import define

GRACE_DAYS = "reporting.grace_days"
DUE_DAYS = "reporting.due_days"
AWARD_PENDING_DAYS = "reporting.award_pending_days"

define(
    GRACE_DAYS,
    default=5,
    kind="int",
    minimum=0,
    label=_("Reporting: days after a period ends before it can be submitted (grace for late entries)"),
)
define(
    DUE_DAYS,
    default=15,
    kind="int",
    minimum=0,
    label=_("Reporting: days after a period ends by which it is due (later submissions count as late)"),
)
define(
    AWARD_PENDING_DAYS,
    default=7,
    kind="int",
    minimum=1,
    label=_("Reporting: days a morality award may wait for approval before the digest lists it"),
)
