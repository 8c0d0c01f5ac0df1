"""Excel import of morality-bank residents and their awards (two sheets).

Awards name their resident by ID number, so a file can register residents on the first sheet and
record their awards on the second. Imported awards are recorded like those of the form: pending
until another user approves them, and never edited afterwards (a mistake is rejected or reversed).
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.assistance.selectors import household_list
from apps.core.imports.cells import clean_text
from apps.core.imports.spec import Column, ColumnType, ImportKind, Outcome, SheetSpec, register, upsert

from .models import Award, Category, Item, Resident
from .selectors import award_list, items_for_county, resident_list
from .services import award_create, resident_create, resident_update

EXAMPLE_RESIDENT = "511903196204153217"
EXAMPLE_ITEM = "主动调解邻里纠纷"


def _residents(ctx) -> dict[str, Resident]:
    """The region's residents by ID number, read once per import."""
    if "residents" not in ctx.cache:
        ctx.cache["residents"] = {resident.id_number: resident for resident in resident_list(user=ctx.actor)}
    return ctx.cache["residents"]


def _household(ctx, row):
    """The poor household named by its head's ID number, looked up once per number."""
    number = row.values["household"]
    households = ctx.cache.setdefault("households_by_head", {})
    if number not in households:
        households[number] = household_list(user=ctx.actor).filter(head_id_number=number).first()
    if households[number] is None:
        raise ValidationError(
            {"household": _("No poor household in your region has a head with this ID number.")}
        )
    return households[number]


def _items(ctx, county_id: int) -> dict[str, list[Item]]:
    """The items the county uses, by name as a cell reads (half-width, lower-case)."""
    key = ("morality_items", county_id)
    if key not in ctx.cache:
        by_name: dict[str, list[Item]] = {}
        for item in items_for_county(county_id):
            by_name.setdefault(clean_text(item.name).lower(), []).append(item)
        ctx.cache[key] = by_name
    return ctx.cache[key]


def _item(ctx, row, resident: Resident) -> Item:
    name = row.values["item"]
    items = _items(ctx, resident.village.county_id).get(name.lower(), [])
    if row.get("category"):
        items = [item for item in items if item.category == row.values["category"]]
    if not items:
        raise ValidationError(
            {
                "item": _("No item named “%(name)s” is in use in %(county)s.")
                % {"name": name, "county": resident.village.county.name}
            }
        )
    if len(items) > 1:
        raise ValidationError({"category": _("Several items have this name: give the category.")})
    return items[0]


def save_resident(ctx, row) -> Outcome:
    residents = _residents(ctx)
    number = row.values["id_number"]
    existing = residents.get(number)
    fields = {"village": ctx.village(row), **row.present("name")}
    if row.get("household"):
        fields["household"] = _household(ctx, row)

    def create():
        residents[number] = resident_create(actor=ctx.actor, id_number=number, **fields)

    def update():
        residents[number] = resident_update(actor=ctx.actor, resident=existing, **fields)

    return upsert(existing, fields, create=create, update=update)


def save_award(ctx, row) -> Outcome:
    resident = _residents(ctx).get(row.values["resident"])
    if resident is None:
        raise ValidationError(
            {
                "resident": _(
                    "No resident of your region has this ID number: register them on the first sheet."
                )
            }
        )
    if row.get("name") and row.values["name"] != clean_text(resident.name):
        raise ValidationError(
            {"name": _("The resident with this ID number is %(name)s.") % {"name": resident.name}}
        )
    item = _item(ctx, row, resident)
    points, date = row.values["points"], row.values["date"]
    recorded = award_list(user=ctx.actor).filter(resident=resident, item=item, date=date).order_by("pk")
    existing = recorded.first()
    if existing is None:
        award_create(
            actor=ctx.actor,
            resident=resident,
            item=item,
            points=points,
            date=date,
            evidence=row.get("evidence", ""),
        )
        return Outcome.CREATED
    if existing.points == points:
        return Outcome.UNCHANGED
    raise ValidationError(
        {
            "points": _(
                "This award is already recorded with %(points)d points (%(status)s). An award is not "
                "edited: have it rejected or reversed, then record it again."
            )
            % {"points": existing.points, "status": existing.get_status_display()}
        }
    )


register(
    ImportKind(
        name="morality_residents",
        label=gettext_lazy("morality residents and awards"),
        models=(Resident, Award),
        notes=(
            gettext_lazy(
                "Awards name their resident by ID number: a resident registered on the first sheet can "
                "be awarded on the second sheet of the same file."
            ),
            gettext_lazy(
                "Imported awards wait for approval by another user, as awards entered in the form do; "
                "their points count once approved."
            ),
        ),
        sheets=(
            SheetSpec(
                title=gettext_lazy("residents"),
                key=("id_number",),
                upsert_rule=gettext_lazy(
                    "One row per resident, found by ID number: a resident of your region with that number "
                    "is updated (blank cells keep their value), otherwise one is registered. A resident "
                    "stays in their village."
                ),
                save=save_resident,
                columns=(
                    Column("village", gettext_lazy("village"), ColumnType.VILLAGE, required=True, width=18),
                    Column("name", gettext_lazy("full name"), required=True, example="刘明华", width=12),
                    Column(
                        "id_number",
                        gettext_lazy("ID number"),
                        ColumnType.ID_NUMBER,
                        required=True,
                        example=EXAMPLE_RESIDENT,
                        width=22,
                    ),
                    Column(
                        "household",
                        gettext_lazy("ID number of the head"),
                        ColumnType.ID_NUMBER,
                        help=gettext_lazy("only for a member of a registered poor household"),
                        width=22,
                    ),
                ),
            ),
            SheetSpec(
                title=gettext_lazy("awards"),
                key=("resident", "item", "date"),
                upsert_rule=gettext_lazy(
                    "One row per award, found by resident, item and date: an award already recorded with "
                    "the same points is left alone and one with other points is refused (awards are never "
                    "edited); otherwise the award is recorded, pending approval."
                ),
                save=save_award,
                columns=(
                    Column(
                        "resident",
                        gettext_lazy("ID number"),
                        ColumnType.ID_NUMBER,
                        required=True,
                        help=gettext_lazy("the resident's, as on the first sheet or already registered"),
                        example=EXAMPLE_RESIDENT,
                        width=22,
                    ),
                    Column(
                        "name",
                        gettext_lazy("full name"),
                        help=gettext_lazy("checked against the ID number"),
                        example="刘明华",
                        width=12,
                    ),
                    Column(
                        "item",
                        gettext_lazy("item"),
                        required=True,
                        help=gettext_lazy("an item of the county's catalogue, named as there"),
                        example=EXAMPLE_ITEM,
                        width=30,
                    ),
                    Column(
                        "category",
                        gettext_lazy("category"),
                        ColumnType.CHOICE,
                        choices=Category.choices,
                        help=gettext_lazy("needed only when two items have the same name"),
                    ),
                    Column(
                        "points",
                        gettext_lazy("points"),
                        ColumnType.INTEGER,
                        required=True,
                        help=gettext_lazy("within the item's range; negative for a deduction"),
                        example=3,
                        width=8,
                    ),
                    Column(
                        "date",
                        gettext_lazy("date"),
                        ColumnType.DATE,
                        required=True,
                        example=datetime.date(2024, 6, 18),
                        width=12,
                    ),
                    Column(
                        "evidence",
                        gettext_lazy("evidence"),
                        help=gettext_lazy("what the resident did, for the public notice"),
                        example="调解张家与李家宅基地纠纷",
                        width=30,
                    ),
                ),
            ),
        ),
    )
)
