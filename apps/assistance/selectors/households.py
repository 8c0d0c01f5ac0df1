import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet

from apps.core.configuration import value_of
from apps.core.scoping import scope_for

from ..config import POVERTY_LINE
from ..models import AssistanceMeasure, Household, HouseholdIncome, HouseholdMember, HouseholdStatusChange


def household_list(*, user) -> QuerySet[Household]:
    return scope_for(
        user,
        Household.objects.select_related("village", "village__township", "village__county", "paired_cadre"),
    )


def household_member_list(*, user) -> QuerySet[HouseholdMember]:
    return scope_for(user, HouseholdMember.objects.select_related("household"))


def household_income_list(*, user) -> QuerySet[HouseholdIncome]:
    return scope_for(user, HouseholdIncome.objects.select_related("household"))


def household_status_change_list(*, user) -> QuerySet[HouseholdStatusChange]:
    return scope_for(user, HouseholdStatusChange.objects.select_related("household"))


def assistance_measure_list(*, user) -> QuerySet[AssistanceMeasure]:
    return scope_for(user, AssistanceMeasure.objects.select_related("household"))


def poverty_lines(years, *, county=None) -> dict[int, Decimal]:
    """The poverty line in force at the end of each year (dated configuration ``assistance.poverty_line``)."""
    return {year: value_of(POVERTY_LINE.key, on=datetime.date(year, 12, 31), county=county) for year in years}


@dataclass(frozen=True)
class IncomeYear:
    year: int
    income: Decimal
    poverty_line: Decimal

    @property
    def above_line(self) -> bool:
        return self.income >= self.poverty_line

    @property
    def ratio(self) -> Decimal:
        """Income as a share of the line (1.00 = on the line)."""
        return (
            (self.income / self.poverty_line).quantize(Decimal("0.01")) if self.poverty_line else Decimal(0)
        )


def income_with_poverty_lines(household: Household) -> list[IncomeYear]:
    """The household's incomes by year, each beside that year's poverty line."""
    incomes = list(household.incomes.order_by("year").values_list("year", "per_capita_net_income"))
    lines = poverty_lines([year for year, _income in incomes], county=household.village.county_id)
    return [IncomeYear(year, income, lines[year]) for year, income in incomes]
