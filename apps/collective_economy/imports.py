"""Excel import of village collective incomes (one row per village and year)."""

from django.utils.translation import gettext_lazy as _

from apps.core.imports.spec import Column, ColumnType, ImportKind, Outcome, SheetSpec, register, upsert

from .models import AMOUNT_FIELDS, EconomyType, Income
from .services import income_create, income_update

AMOUNT_HEADERS = {
    "operating": _("operating income"),
    "resource": _("resource and asset income"),
    "investment": _("investment and dividend income"),
    "subsidy": _("subsidy income"),
    "other": _("other income"),
}


def save_income(ctx, row) -> Outcome:
    village = ctx.village(row)
    year = row.get("year")
    fields = row.present(*AMOUNT_FIELDS, "economy_type", "note")
    existing = Income.objects.filter(village=village, year=year).first()
    return upsert(
        existing,
        fields,
        create=lambda: income_create(actor=ctx.actor, village=village, year=year, **fields),
        update=lambda: income_update(actor=ctx.actor, income=existing, **fields),
    )


register(
    ImportKind(
        name="collective_incomes",
        label=_("collective incomes"),
        models=(Income,),
        sheets=(
            SheetSpec(
                title=_("collective incomes"),
                key=("village", "year"),
                upsert_rule=_(
                    "One row per village and year: an existing record of that village and year is updated "
                    "(blank amounts keep their value), otherwise one is created."
                ),
                save=save_income,
                columns=(
                    Column("village", _("village"), ColumnType.VILLAGE, required=True, width=18),
                    Column("year", _("year"), ColumnType.INTEGER, required=True, example=2024, width=8),
                    *(
                        Column(
                            name, AMOUNT_HEADERS[name], ColumnType.DECIMAL, help=_("yuan"), example=example
                        )
                        for name, example in zip(AMOUNT_FIELDS, (52000, 8000, 0, 20000, 0), strict=True)
                    ),
                    Column("economy_type", _("economy type"), ColumnType.CHOICE, choices=EconomyType.choices),
                    Column("note", _("note"), width=30),
                ),
            ),
        ),
    )
)
