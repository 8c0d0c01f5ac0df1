"""Excel import of registered poor households with their members and yearly incomes (three sheets).

Members and incomes name their household by the head's ID number, so a file can register a
household on the first sheet and list its people and incomes on the next ones: the sheets are
saved in order in one transaction. The households, members and incomes of the uploader's region
are read once per import (``ctx.cache``) and kept up to date as rows are saved.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.cadres.selectors import cadre_list
from apps.core.imports.spec import Column, ColumnType, ImportKind, Outcome, SheetSpec, register, upsert

from ..models import (
    Health,
    Household,
    HouseholdIncome,
    HouseholdMember,
    HouseholdStatus,
    HouseholdStatusChange,
    LabourCapacity,
    PovertyCause,
    Relation,
)
from ..selectors import household_income_list, household_list, household_member_list
from ..services import (
    household_create,
    household_income_create,
    household_income_update,
    household_incomes_add_many,
    household_member_create,
    household_member_update,
    household_members_add_many,
    household_update,
    households_register_many,
)

# The example rows: a household whose head is listed as its first member.
EXAMPLE_HEAD = "511903197006124532"


def _households(ctx) -> dict[str, Household]:
    """The region's households by the head's ID number, read once per import."""
    if "households" not in ctx.cache:
        ctx.cache["households"] = {
            household.head_id_number: household for household in household_list(user=ctx.actor)
        }
    return ctx.cache["households"]


def _members(ctx) -> dict[str, HouseholdMember]:
    if "household_members" not in ctx.cache:
        ctx.cache["household_members"] = {
            member.id_number: member for member in household_member_list(user=ctx.actor).select_related(None)
        }
    return ctx.cache["household_members"]


def _incomes(ctx) -> dict[tuple[int, int], HouseholdIncome]:
    if "household_incomes" not in ctx.cache:
        ctx.cache["household_incomes"] = {
            (income.household_id, income.year): income
            for income in household_income_list(user=ctx.actor).select_related(None)
        }
    return ctx.cache["household_incomes"]


def _household_of(ctx, row) -> Household:
    household = _households(ctx).get(row.values["household"])
    if household is None:
        raise ValidationError(
            {
                "household": _(
                    "No poor household in your region has a head with this ID number: "
                    "register it on the first sheet or check the number."
                )
            }
        )
    return household


def _paired_cadre(ctx, row):
    """The cadre named by ID number, looked up once per number (few distinct cadres per file)."""
    number = row.values["paired_cadre"]
    cadres = ctx.cache.setdefault("cadres", {})
    if number not in cadres:
        cadres[number] = cadre_list(user=ctx.actor).filter(id_number=number).first()
    if cadres[number] is None:
        raise ValidationError({"paired_cadre": _("No cadre in your region has this ID number.")})
    return cadres[number]


def _household_fields(ctx, row) -> dict:
    fields = {
        "village": ctx.village(row),
        **row.present("head_name", "size", "cause", "status", "exit_year", "registered_on"),
    }
    if row.get("paired_cadre"):
        fields["paired_cadre"] = _paired_cadre(ctx, row)
    return fields


def save_household(ctx, row) -> Outcome:
    households = _households(ctx)
    number = row.values["head_id_number"]
    existing = households.get(number)
    fields = _household_fields(ctx, row)

    def create():
        households[number] = household_create(actor=ctx.actor, head_id_number=number, **fields)

    def update():
        households[number] = household_update(actor=ctx.actor, household=existing, **fields)

    return upsert(existing, fields, create=create, update=update)


def save_new_households(ctx, rows) -> dict[int, Outcome | Exception]:
    """The rows of households not yet registered, through ``households_register_many`` at once.

    Rows of registered households are left to ``save_household`` (an update, one by one).
    """
    households = _households(ctx)
    outcomes: dict[int, Outcome | Exception] = {}
    new: list[tuple] = []
    for row in rows:
        number = row.values["head_id_number"]
        if number in households:
            continue
        try:
            new.append((row, {"head_id_number": number, **_household_fields(ctx, row)}))
        except ValidationError as error:
            outcomes[row.number] = error
    return _bulk_outcomes(
        ctx, households_register_many, new, outcomes, households, lambda f: f["head_id_number"]
    )


def save_member(ctx, row) -> Outcome:
    household = _household_of(ctx, row)
    members = _members(ctx)
    number = row.values["id_number"]
    existing = members.get(number)
    fields = row.present("name", "relation", "labour_capacity", "health")

    def create():
        members[number] = household_member_create(
            actor=ctx.actor, household=household, id_number=number, **fields
        )

    def update():
        # The household goes along so that the service refuses a member listed under another one.
        members[number] = household_member_update(
            actor=ctx.actor, member=existing, household=household, **fields
        )

    return upsert(existing, {"household_id": household.pk, **fields}, create=create, update=update)


def save_income(ctx, row) -> Outcome:
    household = _household_of(ctx, row)
    incomes = _incomes(ctx)
    year = row.values["year"]
    amount = row.values["per_capita_net_income"]
    existing = incomes.get((household.pk, year))

    def create():
        incomes[household.pk, year] = household_income_create(
            actor=ctx.actor, household=household, year=year, per_capita_net_income=amount
        )

    def update():
        incomes[household.pk, year] = household_income_update(
            actor=ctx.actor, income=existing, per_capita_net_income=amount
        )

    return upsert(existing, {"per_capita_net_income": amount}, create=create, update=update)


def save_new_members(ctx, rows) -> dict[int, Outcome | Exception]:
    """The rows of people not yet on record, through ``household_members_add_many`` at once."""
    members = _members(ctx)
    new = []
    outcomes: dict[int, Outcome | Exception] = {}
    for row in rows:
        number = row.values["id_number"]
        if number in members:
            continue  # an update: saved one by one by save_member
        try:
            household = _household_of(ctx, row)
        except ValidationError as error:
            outcomes[row.number] = error
            continue
        fields = row.present("name", "relation", "labour_capacity", "health")
        new.append((row, {"household": household, "id_number": number, **fields}))
    return _bulk_outcomes(ctx, household_members_add_many, new, outcomes, members, lambda f: f["id_number"])


def save_new_incomes(ctx, rows) -> dict[int, Outcome | Exception]:
    """The rows of years not yet on record, through ``household_incomes_add_many`` at once."""
    incomes = _incomes(ctx)
    new = []
    outcomes: dict[int, Outcome | Exception] = {}
    for row in rows:
        try:
            household = _household_of(ctx, row)
        except ValidationError as error:
            outcomes[row.number] = error
            continue
        year = row.values["year"]
        if (household.pk, year) in incomes:
            continue  # an update: saved one by one by save_income
        amount = row.values["per_capita_net_income"]
        new.append((row, {"household": household, "year": year, "per_capita_net_income": amount}))
    return _bulk_outcomes(
        ctx, household_incomes_add_many, new, outcomes, incomes, lambda f: (f["household"].pk, f["year"])
    )


def _bulk_outcomes(ctx, service, new, outcomes, cache, key_of) -> dict[int, Outcome | Exception]:
    """Run a set-based service on the ``(row, fields)`` pairs: each row's outcome or error, by row
    number; the saved records go into the import's ``cache`` under ``key_of(fields)``."""
    if not new:
        return outcomes
    try:
        saved = service(actor=ctx.actor, rows=[fields for _row, fields in new])
    except PermissionDenied as error:
        return {**outcomes, **{row.number: error for row, _fields in new}}
    for (row, fields), result in zip(new, saved, strict=True):
        if isinstance(result, Exception):
            outcomes[row.number] = result
        else:
            cache[key_of(fields)] = result
            outcomes[row.number] = Outcome.CREATED
    return outcomes


HOUSEHOLD_REFERENCE_HELP = gettext_lazy("the household's head, as on the first sheet or already registered")

register(
    ImportKind(
        name="households",
        label=gettext_lazy("poor households with members and incomes"),
        models=(Household, HouseholdMember, HouseholdIncome, HouseholdStatusChange),
        notes=(
            gettext_lazy(
                "Members and incomes name their household by the head's ID number: a household "
                "registered on the first sheet can be used on the next sheets of the same file."
            ),
            gettext_lazy(
                "A new status of an existing household is recorded as a status change dated today; "
                "a new household is registered as poor or as exited (then give the exit year)."
            ),
        ),
        sheets=(
            SheetSpec(
                title=gettext_lazy("poor households"),
                key=("head_id_number",),
                upsert_rule=gettext_lazy(
                    "One row per household, found by the head's ID number: a household of your region "
                    "with that head is updated (blank cells keep their value), otherwise one is registered."
                ),
                save=save_household,
                save_many=save_new_households,
                columns=(
                    Column("village", gettext_lazy("village"), ColumnType.VILLAGE, required=True, width=18),
                    Column(
                        "head_name",
                        gettext_lazy("head of household"),
                        required=True,
                        example="张大山",
                        width=12,
                    ),
                    Column(
                        "head_id_number",
                        gettext_lazy("ID number of the head"),
                        ColumnType.ID_NUMBER,
                        required=True,
                        example=EXAMPLE_HEAD,
                        width=22,
                    ),
                    Column(
                        "size",
                        gettext_lazy("household size"),
                        ColumnType.INTEGER,
                        required=True,
                        example=4,
                        width=10,
                    ),
                    Column(
                        "cause",
                        gettext_lazy("main cause of poverty"),
                        ColumnType.CHOICE,
                        required=True,
                        choices=PovertyCause.choices,
                    ),
                    Column(
                        "status",
                        gettext_lazy("status"),
                        ColumnType.CHOICE,
                        choices=HouseholdStatus.choices,
                        help=gettext_lazy("blank: poor for a new household, unchanged for an existing one"),
                    ),
                    Column(
                        "exit_year",
                        gettext_lazy("exit year"),
                        ColumnType.INTEGER,
                        help=gettext_lazy("for a household that exited poverty"),
                        width=10,
                    ),
                    Column(
                        "registered_on",
                        gettext_lazy("registered on"),
                        ColumnType.DATE,
                        help=gettext_lazy("blank: today for a new household"),
                        example=datetime.date(2014, 5, 1),
                        width=12,
                    ),
                    Column(
                        "paired_cadre",
                        gettext_lazy("ID number of the paired cadre"),
                        ColumnType.ID_NUMBER,
                        help=gettext_lazy(
                            "a cadre of the household's county, as registered in the cadre records"
                        ),
                        width=22,
                    ),
                ),
            ),
            SheetSpec(
                title=gettext_lazy("household members"),
                key=("id_number",),
                upsert_rule=gettext_lazy(
                    "One row per person, the head included, found by the person's ID number: a member of "
                    "your region with that number is updated (blank cells keep their value), otherwise "
                    "the person is added to the household. A member cannot move to another household here."
                ),
                save=save_member,
                save_many=save_new_members,
                columns=(
                    Column(
                        "household",
                        gettext_lazy("ID number of the head"),
                        ColumnType.ID_NUMBER,
                        required=True,
                        help=HOUSEHOLD_REFERENCE_HELP,
                        example=EXAMPLE_HEAD,
                        width=22,
                    ),
                    Column("name", gettext_lazy("full name"), required=True, example="张大山", width=12),
                    Column(
                        "id_number",
                        gettext_lazy("ID number"),
                        ColumnType.ID_NUMBER,
                        required=True,
                        example=EXAMPLE_HEAD,
                        width=22,
                    ),
                    Column(
                        "relation",
                        gettext_lazy("relation to the head"),
                        ColumnType.CHOICE,
                        required=True,
                        choices=Relation.choices,
                    ),
                    Column(
                        "labour_capacity",
                        gettext_lazy("labour capacity"),
                        ColumnType.CHOICE,
                        choices=LabourCapacity.choices,
                        help=gettext_lazy("blank: full labour for a new member"),
                    ),
                    Column(
                        "health",
                        gettext_lazy("health"),
                        ColumnType.CHOICE,
                        choices=Health.choices,
                        help=gettext_lazy("blank: healthy for a new member"),
                    ),
                ),
            ),
            SheetSpec(
                title=gettext_lazy("household incomes"),
                key=("household", "year"),
                upsert_rule=gettext_lazy(
                    "One row per household and year: an existing income of that household and year is "
                    "updated, otherwise one is added."
                ),
                save=save_income,
                save_many=save_new_incomes,
                columns=(
                    Column(
                        "household",
                        gettext_lazy("ID number of the head"),
                        ColumnType.ID_NUMBER,
                        required=True,
                        help=HOUSEHOLD_REFERENCE_HELP,
                        example=EXAMPLE_HEAD,
                        width=22,
                    ),
                    Column(
                        "year", gettext_lazy("year"), ColumnType.INTEGER, required=True, example=2024, width=8
                    ),
                    Column(
                        "per_capita_net_income",
                        gettext_lazy("per-capita net income"),
                        ColumnType.DECIMAL,
                        required=True,
                        help=gettext_lazy("yuan per person and year"),
                        example=7850,
                    ),
                ),
            ),
        ),
    )
)
