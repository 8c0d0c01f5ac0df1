"""Excel import of village cadres with their positions (two sheets), and of reserve cadres.

Positions name their cadre by ID number, so a file can enter cadres on the first sheet and their
positions on the second. Existing records are found within the uploader's region by their natural
key (the ID number; for a position the cadre, the role and the start date) and changed through the
same services as the forms, so the single-holder rule and the period lock hold for imports too.
"""

import datetime
from collections.abc import Callable

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.imports.cells import clean_text
from apps.core.imports.spec import Column, ColumnType, ImportKind, Outcome, SheetSpec, register, upsert

from .models import Cadre, CadrePosition, CadreSource, Education, EndReason, Gender, ReserveCadre, Role
from .selectors import cadre_list, position_list, reserve_list
from .services import (
    cadre_create,
    cadre_update,
    position_create,
    position_update,
    reserve_create,
    reserve_update,
)

EXAMPLE_CADRE = "513027197506152138"
EXAMPLE_CADRE_NAME = "王建国"
EXAMPLE_RESERVE = "513027199208211231"

CADRE_FIELDS = (
    "name",
    "gender",
    "ethnicity",
    "education",
    "is_party_member",
    "source",
    "is_wealth_leader",
    "notes",
)
POSITION_FIELDS = ("end_date", "end_reason", "end_note", "monthly_pay")
RESERVE_FIELDS = (
    "name",
    "gender",
    "education",
    "is_party_member",
    "is_returned_migrant",
    "since",
    "until",
    "notes",
)


def _cadres(ctx) -> dict[str, Cadre]:
    """The region's cadres by ID number, read once per import and kept up to date by the cadres sheet."""
    if "cadres" not in ctx.cache:
        ctx.cache["cadres"] = {cadre.id_number: cadre for cadre in cadre_list(user=ctx.actor)}
    return ctx.cache["cadres"]


def _positions(ctx) -> dict[tuple, CadrePosition]:
    """The region's positions by (cadre, role, start date), read once per import."""
    if "positions" not in ctx.cache:
        positions: dict[tuple, CadrePosition] = {}
        for position in position_list(user=ctx.actor).order_by("pk"):
            positions.setdefault((position.cadre_id, position.role, position.start_date), position)
        ctx.cache["positions"] = positions
    return ctx.cache["positions"]


def _reserves(ctx) -> dict[str, ReserveCadre]:
    if "reserves" not in ctx.cache:
        ctx.cache["reserves"] = {reserve.id_number: reserve for reserve in reserve_list(user=ctx.actor)}
    return ctx.cache["reserves"]


def _update_or_restore(instance, update: Callable[[], object]):
    """Run a service update of a cached record; when it is refused, reload the record, which the service
    may have changed in memory before refusing, so later rows of the file see it as stored."""
    try:
        return update()
    except (ValidationError, PermissionDenied):
        instance.refresh_from_db()
        raise


def save_cadre(ctx, row) -> Outcome:
    cadres = _cadres(ctx)
    number = row.values["id_number"]
    existing = cadres.get(number)
    fields = {"village": ctx.village(row), **row.present(*CADRE_FIELDS)}

    def create():
        cadres[number] = cadre_create(actor=ctx.actor, id_number=number, **fields)

    def update():
        cadres[number] = _update_or_restore(
            existing, lambda: cadre_update(actor=ctx.actor, cadre=existing, **fields)
        )

    return upsert(existing, fields, create=create, update=update)


def _cadre_of(ctx, row) -> Cadre:
    cadre = _cadres(ctx).get(row.values["cadre"])
    if cadre is None:
        raise ValidationError(
            {"cadre": _("No cadre of your region has this ID number: enter them on the cadres sheet.")}
        )
    if row.get("name") and row.values["name"] != clean_text(cadre.name):
        raise ValidationError(
            {"name": _("The cadre with this ID number is %(name)s.") % {"name": cadre.name}}
        )
    return cadre


def save_position(ctx, row) -> Outcome:
    cadre = _cadre_of(ctx, row)
    role, start_date = row.values["role"], row.values["start_date"]
    positions = _positions(ctx)
    key = (cadre.pk, role, start_date)
    existing = positions.get(key)
    fields = row.present(*POSITION_FIELDS)
    if row.get("village"):
        fields["village"] = ctx.village(row)

    def create():
        positions[key] = position_create(
            actor=ctx.actor, cadre=cadre, role=role, start_date=start_date, **fields
        )

    def update():
        positions[key] = _update_or_restore(
            existing, lambda: position_update(actor=ctx.actor, position=existing, **fields)
        )

    return upsert(existing, fields, create=create, update=update)


def save_reserve(ctx, row) -> Outcome:
    reserves = _reserves(ctx)
    number = row.values["id_number"]
    existing = reserves.get(number)
    fields = {"village": ctx.village(row), **row.present(*RESERVE_FIELDS)}

    def create():
        reserves[number] = reserve_create(actor=ctx.actor, id_number=number, **fields)

    def update():
        reserves[number] = _update_or_restore(
            existing, lambda: reserve_update(actor=ctx.actor, reserve=existing, **fields)
        )

    return upsert(existing, fields, create=create, update=update)


def _village_column() -> Column:
    return Column("village", gettext_lazy("village"), ColumnType.VILLAGE, required=True, width=18)


def _person_columns(example_name: str, example_number: str) -> tuple[Column, ...]:
    return (
        Column("name", gettext_lazy("full name"), required=True, example=example_name, width=12),
        Column(
            "id_number",
            gettext_lazy("ID number"),
            ColumnType.ID_NUMBER,
            required=True,
            help=gettext_lazy("the birth date is read from it"),
            example=example_number,
            width=22,
        ),
        Column(
            "gender",
            gettext_lazy("gender"),
            ColumnType.CHOICE,
            required=True,
            choices=Gender.choices,
            width=8,
        ),
    )


def _education_column() -> Column:
    return Column(
        "education", gettext_lazy("education"), ColumnType.CHOICE, required=True, choices=Education.choices
    )


register(
    ImportKind(
        name="cadres",
        label=gettext_lazy("cadres and positions"),
        models=(Cadre, CadrePosition),
        notes=(
            gettext_lazy(
                "Positions name their cadre by ID number: a cadre entered on the cadres sheet can be given "
                "positions on the positions sheet of the same file."
            ),
            gettext_lazy(
                "A village has one Party secretary and one village committee director at a time: end the "
                "previous holder's position (end date and end reason) in a row above the new holder's."
            ),
        ),
        sheets=(
            SheetSpec(
                title=gettext_lazy("cadres"),
                key=("id_number",),
                upsert_rule=gettext_lazy(
                    "One row per cadre, found by ID number: a cadre of your region with that number is "
                    "updated (blank cells keep their value; another village of your region moves the "
                    "cadre there), otherwise one is entered."
                ),
                save=save_cadre,
                columns=(
                    _village_column(),
                    *_person_columns(EXAMPLE_CADRE_NAME, EXAMPLE_CADRE),
                    Column("ethnicity", gettext_lazy("ethnicity"), example="汉族", width=10),
                    _education_column(),
                    Column(
                        "is_party_member",
                        gettext_lazy("Party member"),
                        ColumnType.BOOLEAN,
                        example="是",
                        width=8,
                    ),
                    Column("source", gettext_lazy("source"), ColumnType.CHOICE, choices=CadreSource.choices),
                    Column(
                        "is_wealth_leader",
                        gettext_lazy("wealth leader"),
                        ColumnType.BOOLEAN,
                        example="是",
                        width=8,
                    ),
                    Column("notes", gettext_lazy("notes"), example="经营茶叶合作社", width=30),
                ),
            ),
            SheetSpec(
                title=gettext_lazy("cadre positions"),
                key=("cadre", "role", "start_date"),
                upsert_rule=gettext_lazy(
                    "One row per position, found by the cadre's ID number, the role and the start date: "
                    "that position is updated (blank cells keep their value; an end date and reason end "
                    "it), otherwise a position is entered."
                ),
                save=save_position,
                columns=(
                    Column(
                        "cadre",
                        gettext_lazy("ID number"),
                        ColumnType.ID_NUMBER,
                        required=True,
                        help=gettext_lazy("the cadre's, as on the cadres sheet or already entered"),
                        example=EXAMPLE_CADRE,
                        width=22,
                    ),
                    Column(
                        "name",
                        gettext_lazy("full name"),
                        help=gettext_lazy("checked against the ID number"),
                        example=EXAMPLE_CADRE_NAME,
                        width=12,
                    ),
                    Column(
                        "role", gettext_lazy("role"), ColumnType.CHOICE, required=True, choices=Role.choices
                    ),
                    Column(
                        "start_date",
                        gettext_lazy("start date"),
                        ColumnType.DATE,
                        required=True,
                        example=datetime.date(2018, 1, 20),
                        width=12,
                    ),
                    Column(
                        "village",
                        gettext_lazy("village"),
                        ColumnType.VILLAGE,
                        help=gettext_lazy(
                            "only for a post in another village than the cadre's (cross-region exchange)"
                        ),
                        width=18,
                    ),
                    Column(
                        "end_date",
                        gettext_lazy("end date"),
                        ColumnType.DATE,
                        help=gettext_lazy("blank while the position is held"),
                        example=datetime.date(2021, 1, 15),
                        width=12,
                    ),
                    Column(
                        "end_reason",
                        gettext_lazy("end reason"),
                        ColumnType.CHOICE,
                        choices=EndReason.choices,
                        help=gettext_lazy("only with an end date"),
                    ),
                    Column("end_note", gettext_lazy("reason given"), example="外出务工", width=24),
                    Column(
                        "monthly_pay",
                        gettext_lazy("monthly pay (yuan)"),
                        ColumnType.DECIMAL,
                        example=1650,
                        width=10,
                    ),
                ),
            ),
        ),
    )
)


register(
    ImportKind(
        name="reserve_cadres",
        label=gettext_lazy("reserve cadres"),
        models=(ReserveCadre,),
        sheets=(
            SheetSpec(
                title=gettext_lazy("reserve cadres"),
                key=("id_number",),
                upsert_rule=gettext_lazy(
                    "One row per person, found by ID number: a reserve cadre of your region with that "
                    "number is updated (blank cells keep their value; another village of your region moves "
                    "the person there; a date in “left the reserve pool on” takes them out of the pool), "
                    "otherwise one is entered."
                ),
                save=save_reserve,
                columns=(
                    _village_column(),
                    *_person_columns("李晓东", EXAMPLE_RESERVE),
                    _education_column(),
                    Column(
                        "is_party_member",
                        gettext_lazy("Party member"),
                        ColumnType.BOOLEAN,
                        example="是",
                        width=8,
                    ),
                    Column(
                        "is_returned_migrant",
                        gettext_lazy("returned migrant worker"),
                        ColumnType.BOOLEAN,
                        example="否",
                        width=10,
                    ),
                    Column(
                        "since",
                        gettext_lazy("in the reserve pool since"),
                        ColumnType.DATE,
                        required=True,
                        example=datetime.date(2022, 3, 1),
                        width=12,
                    ),
                    Column("until", gettext_lazy("left the reserve pool on"), ColumnType.DATE, width=12),
                    Column("notes", gettext_lazy("notes"), example="村电商服务站负责人", width=30),
                ),
            ),
        ),
    )
)
