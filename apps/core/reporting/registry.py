"""Which field dates each record, and so which reporting period it belongs to.

Every model with a date or a year must be listed here, either in ``LOCKED`` (its services refuse
writes dated in an approved period) or in ``EXEMPT`` with the reason it is not period data;
``tests/core/test_period_lock.py`` enumerates the models and fails on any that is in neither, so a
new dated model cannot escape the lock unnoticed.

``span`` records (an assignment, a position, a project) are long-lived: editing one of their other
fields later is not a change to the period they started in, so only a date that changes (its old
and its new value), a new record's dates and a deleted record's dates are checked. Every other
record is checked on each create, update (old and new date) and delete.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models


@dataclass(frozen=True)
class LockSpec:
    township: str  # lookup from the model to its township
    dates: tuple[str, ...] = ()
    years: tuple[str, ...] = ()
    span: bool = False

    @property
    def fields(self) -> tuple[str, ...]:
        return self.dates + self.years


LOCKED: dict[str, LockSpec] = {
    # Party organisations
    "villages.Rating": LockSpec("organisation__township", years=("year",)),
    "villages.RectificationNote": LockSpec("rectification__organisation__township", dates=("date",)),
    # Cadres
    "cadres.CadrePosition": LockSpec("village__township", dates=("start_date", "end_date"), span=True),
    "cadres.ReserveCadre": LockSpec("village__township", dates=("since", "until"), span=True),
    "cadres.Training": LockSpec("cadre__village__township", dates=("start_date",)),
    "cadres.DegreeEnrolment": LockSpec(
        "cadre__village__township", dates=("enrolled_on", "completed_on"), span=True
    ),
    # Assistance
    "assistance.WorkTeam": LockSpec("village__township", dates=("start_date", "end_date"), span=True),
    "assistance.WorkTeamMember": LockSpec(
        "team__village__township", dates=("start_date", "end_date"), span=True
    ),
    "assistance.DutyLog": LockSpec("member__team__village__township", dates=("date",)),
    "assistance.HouseholdIncome": LockSpec("household__village__township", years=("year",)),
    "assistance.HouseholdStatusChange": LockSpec("household__village__township", dates=("date",)),
    "assistance.AssistanceMeasure": LockSpec("household__village__township", dates=("date",)),
    "assistance.ResponsibilityItem": LockSpec("village__township", dates=("closed_on",), years=("year",)),
    "assistance.ResponsibilityReconciliation": LockSpec("item__village__township", dates=("reconciled_on",)),
    "assistance.SpotCheck": LockSpec("team__village__township", dates=("checked_on",)),
    "assistance.Evaluation": LockSpec("member__team__village__township", years=("year",)),
    "assistance.Commendation": LockSpec("village__township", dates=("date",)),
    "assistance.Promotion": LockSpec("village__township", dates=("date",)),
    "assistance.DisciplineCase": LockSpec("village__township", dates=("date",)),
    # Collective economy
    "collective_economy.Income": LockSpec("village__township", years=("year",)),
    "collective_economy.SupportFund": LockSpec("village__township", years=("year",)),
    "collective_economy.Project": LockSpec("village__township", years=("start_year",), span=True),
    "collective_economy.Pairing": LockSpec("village__township", years=("start_year", "end_year"), span=True),
    # Morality bank
    "morality_bank.Award": LockSpec("village__township", dates=("date",)),
    "morality_bank.Redemption": LockSpec("village__township", dates=("date",)),
    "morality_bank.LedgerEntry": LockSpec("village__township", dates=("date",)),
}

EXEMPT: dict[str, str] = {
    "core.Setting": "Configuration, not reported data: a value takes effect from a date and cannot be backdated.",
    "core.ReportingPeriod": "The period itself: its dates are the period's bounds.",
    "villages.Village": "Master data (the register of villages); exit year and retirement are attributes, "
    "not records of a period.",
    "villages.PartyOrganisation": "Master data (the register of organisations); founding and dissolution "
    "dates describe the organisation, not a period's activity.",
    "villages.Rectification": "A case runs across periods until accepted; it is opened by a rating (locked "
    "by the rating's year) and its dated progress is its notes (locked by date).",
    "cadres.Cadre": "A person's birth date is an attribute, not a record of a period.",
    "assistance.Household": "The register of households; its dated events are status changes, which are "
    "locked by date.",
    "assistance.HouseholdMember": "A person's birth date is an attribute, not a record of a period.",
    "assistance.SpotCheckDraw": "A county's sample, drawn once per quarter and never changed; the checks it "
    "draws are locked by the day they were made.",
    "rankings.Finding": "A computed finding of the integrity watch about data of a period; the watch reads "
    "the period and never changes it, and reviewing a finding is not reported data.",
    "morality_bank.Settlement": "A computed, append-only statement of a quarter (never updated or deleted): "
    "computing it reads the period, it does not change it.",
    # Models of other apps that describe or compute over periods rather than report them.
    "rankings.RankingConfiguration": "Configuration with a valid-from date, not reported data.",
    "rankings.Ranking": "A computed snapshot of a period: computing it reads the period's data; a published "
    "snapshot never changes.",
    "rankings.Escalation": "A consequence of a published ranking and the county's follow-up (the talk), not "
    "data a township reports.",
    "rankings.WeakCandidate": "A computed proposal for a year, reviewed by the county.",
    "dashboard.SurveyResult": "City or county survey figures entered by the city or county, outside the "
    "townships' reporting cycle.",
    "dashboard.ReportPack": "A generated workbook over a range of years (output, not data).",
}

YEAR_NAMES = ("year", "quarter", "month", "period")


def is_dated(model: type[models.Model]) -> bool:
    """Whether a model has a field that places a record in a period: a date, or a year/quarter/month."""
    for field in model._meta.concrete_fields:
        if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
            return True
        if not field.is_relation and any(part in YEAR_NAMES for part in field.name.split("_")):
            return True
    return False


def spec_of(model: type[models.Model]) -> LockSpec | None:
    return LOCKED.get(model._meta.label)
