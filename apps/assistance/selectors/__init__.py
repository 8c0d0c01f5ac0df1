"""Every read of the assistance app, limited to the user's region (``apps.core.scoping``)."""

from .duty import (
    Allowance,
    AllowanceRow,
    allowance_sheet,
    member_allowance,
    member_duty_by_month,
    team_duty_rates,
    township_duty_rates,
    with_month_duty,
)
from .households import (
    assistance_measure_list,
    household_income_list,
    household_list,
    household_member_list,
    household_status_change_list,
    income_with_poverty_lines,
    poverty_lines,
)
from .lists import (
    commendation_list,
    discipline_case_list,
    evaluation_list,
    first_secretary_grades,
    promotion_list,
    responsibility_item_list,
    spot_check_draw_list,
    spot_check_list,
    village_lists,
)
from .stats import assistance_stats
from .teams import duty_log_list, team_member_list, work_team_list

__all__ = [
    "Allowance",
    "AllowanceRow",
    "allowance_sheet",
    "assistance_measure_list",
    "assistance_stats",
    "commendation_list",
    "discipline_case_list",
    "duty_log_list",
    "evaluation_list",
    "first_secretary_grades",
    "household_income_list",
    "household_list",
    "household_member_list",
    "household_status_change_list",
    "income_with_poverty_lines",
    "member_allowance",
    "member_duty_by_month",
    "poverty_lines",
    "promotion_list",
    "responsibility_item_list",
    "spot_check_draw_list",
    "spot_check_list",
    "team_duty_rates",
    "team_member_list",
    "township_duty_rates",
    "village_lists",
    "with_month_duty",
    "work_team_list",
]
