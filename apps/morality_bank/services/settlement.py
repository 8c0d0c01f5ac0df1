"""Quarterly settlement (季度结算): one immutable statement per village and quarter."""

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.periods import Quarter
from apps.core.permissions import ensure_role
from apps.core.scoping import scope_for
from apps.villages.models import Village

from ..models import Category, EntryKind, LedgerEntry, Redemption, Resident, Settlement
from ..permissions import CATALOGUE_ROLES
from ._common import user_or_none


def _blank() -> dict:
    return {
        "awarded": 0,
        "deducted": 0,
        "reversed": 0,
        "redeemed": 0,
        "outstanding": 0,
        "residents": 0,
        "by_category": {c: {"awarded": 0, "deducted": 0, "reversed": 0, "net": 0} for c in Category.values},
        "goods": [],
    }


def _statements(village_ids, quarter: Quarter) -> dict[int, dict]:
    """The figures of every village in ``village_ids`` (a queryset), in four set-based queries."""
    first, last = quarter.first, quarter.last
    statements = defaultdict(_blank)
    in_quarter = LedgerEntry.objects.filter(village__in=village_ids, date__range=(first, last))
    for row in in_quarter.values("village", "kind", "category").annotate(points=Sum("points")).order_by():
        statement, points = statements[row["village"]], row["points"]
        kind, category = row["kind"], row["category"]
        if kind == EntryKind.REVERSAL:
            statement["reversed"] += points
        elif kind == EntryKind.REDEMPTION:
            statement["redeemed"] -= points
        elif kind == EntryKind.AWARD:
            statement["awarded"] += points
        else:
            statement["deducted"] -= points
        if category:
            figures = statement["by_category"][category]
            key = {"award": "awarded", "deduction": "deducted", "reversal": "reversed"}[kind]
            figures[key] += -points if kind == EntryKind.DEDUCTION else points
            figures["net"] += points
    outstanding = (
        LedgerEntry.objects.filter(village__in=village_ids, date__lte=last)
        .values("village")
        .annotate(points=Sum("points"))
        .order_by()
    )
    for row in outstanding:
        statements[row["village"]]["outstanding"] = row["points"]
    residents = (
        Resident.objects.filter(village__in=village_ids).values("village").annotate(n=Count("pk")).order_by()
    )
    for row in residents:
        statements[row["village"]]["residents"] = row["n"]
    goods = (
        Redemption.objects.filter(village__in=village_ids, date__range=(first, last))
        .values("village", "goods", "goods__name")
        .annotate(quantity=Sum("quantity"), points=Sum("points"))
        .order_by("village", "goods__name", "goods")
    )
    for row in goods:
        statements[row["village"]]["goods"].append(
            {
                "goods": row["goods"],
                "name": row["goods__name"],
                "quantity": row["quantity"],
                "points": row["points"],
            }
        )
    return statements


@transaction.atomic
def settlement_run(*, actor, quarter: str | Quarter, county=None) -> QuerySet[Settlement]:
    """Settle a finished quarter for every village with a morality bank in the actor's region
    (or ``county``). Villages already settled keep their statement: running again changes nothing."""
    ensure_role(actor, CATALOGUE_ROLES)
    if not isinstance(quarter, Quarter):
        quarter = Quarter.parse(quarter)
    if quarter.last >= timezone.localdate():
        raise ValidationError({"quarter": _("Quarter %(quarter)s has not ended yet.") % {"quarter": quarter}})
    villages = scope_for(actor, Village.objects.all())
    if county is not None:
        villages = villages.filter(county=county)
    with_bank = villages.filter(Exists(Resident.objects.filter(village=OuterRef("pk"))))
    todo = with_bank.exclude(
        Exists(Settlement.objects.filter(village=OuterRef("pk"), quarter=str(quarter)))
    ).values("pk")
    statements = _statements(todo, quarter)
    author = user_or_none(actor)
    Settlement.objects.bulk_create(
        [
            Settlement(
                village_id=village_id,
                quarter=str(quarter),
                period_start=quarter.first,
                period_end=quarter.last,
                created_by=author,
                **figures,
            )
            for village_id, figures in statements.items()
        ],
        batch_size=1000,
        ignore_conflicts=True,  # a concurrent run settled the same village first
    )
    return Settlement.objects.filter(village__in=with_bank.values("pk"), quarter=str(quarter))
