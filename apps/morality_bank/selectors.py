"""Every read of the morality bank on behalf of a user goes through here (scoped, default-deny)."""

from __future__ import annotations

import datetime

from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    Window,
)
from django.db.models.functions import Coalesce, ExtractQuarter, Rank

from apps.core.queries import count_each
from apps.core.scoping import scope_for, scope_q
from apps.villages.models import Village

from .models import (
    Award,
    AwardStatus,
    EntryKind,
    Goods,
    Item,
    ItemOptOut,
    LedgerEntry,
    Redemption,
    Resident,
    Settlement,
)

# Red and black lists (红黑榜) show this many residents each.
BOARD_LIST_SIZE = 10


# Catalogue


def item_list(*, user) -> QuerySet[Item]:
    """The default catalogue and the items of the counties in the user's region."""
    q = scope_q(user, Item)
    if q is None:
        return Item.objects.none()
    return Item.objects.filter(q | Q(county__isnull=True)).select_related("county").distinct()


def items_for_county(county_id: int) -> QuerySet[Item]:
    """The items a county uses: active, its own or defaults it has not disabled."""
    opted_out = ItemOptOut.objects.filter(item=OuterRef("pk"), county_id=county_id)
    return Item.objects.filter(Q(county_id=county_id) | Q(county__isnull=True), is_active=True).exclude(
        Exists(opted_out)
    )


def opted_out_item_ids(*, county_id: int | None) -> set[int]:
    if county_id is None:
        return set()
    return set(ItemOptOut.objects.filter(county_id=county_id).values_list("item_id", flat=True))


# Residents, awards, ledger


def resident_list(*, user) -> QuerySet[Resident]:
    return scope_for(user, Resident.objects.select_related("village", "village__county", "household"))


def award_list(*, user) -> QuerySet[Award]:
    return scope_for(
        user,
        Award.objects.select_related("resident", "item", "village", "recorded_by", "decided_by").annotate(
            is_reversed=Exists(LedgerEntry.objects.filter(reverses__award=OuterRef("pk")))
        ),
    )


def approval_queue(*, user) -> QuerySet[Award]:
    """Pending awards in the user's region, oldest first."""
    return award_list(user=user).filter(status=AwardStatus.PENDING).order_by("date", "pk")


def ledger_list(*, user) -> QuerySet[LedgerEntry]:
    return scope_for(
        user,
        LedgerEntry.objects.select_related(
            "resident", "award__item", "redemption__goods", "created_by"
        ).annotate(is_reversed=Exists(LedgerEntry.objects.filter(reverses=OuterRef("pk")))),
    ).order_by("-created_at", "-pk")


def passbook(*, user, resident: Resident) -> QuerySet[LedgerEntry]:
    """The resident's entries, oldest first, each with the running balance after it (a window sum)."""
    return (
        ledger_list(user=user)
        .filter(resident=resident)
        .annotate(
            running_balance=Window(Sum("points"), order_by=[F("created_at").asc(), F("pk").asc()]),
        )
        .order_by("created_at", "pk")
    )


def points_under_notice(*, resident_id: int, on: datetime.date) -> int:
    """Awarded points still under public notice on ``on`` (counted in the balance, not yet redeemable)."""
    return LedgerEntry.objects.filter(
        resident_id=resident_id, kind=EntryKind.AWARD, available_from__gt=on, reversed_by__isnull=True
    ).aggregate(points=Coalesce(Sum("points"), 0))["points"]


def notice_board(*, user, village: Village, on: datetime.date) -> QuerySet[Award]:
    """Awards and deductions of the village under public notice (公示) on ``on``."""
    return award_list(user=user).filter(
        village=village, status=AwardStatus.APPROVED, notice_ends_on__gt=on, decided_at__date__lte=on
    )


# Shop


def goods_list(*, user) -> QuerySet[Goods]:
    return scope_for(user, Goods.objects.select_related("village"))


def redemption_list(*, user) -> QuerySet[Redemption]:
    return scope_for(
        user, Redemption.objects.select_related("resident", "goods", "village", "recorded_by")
    ).annotate(is_reversed=Exists(LedgerEntry.objects.filter(reverses__redemption=OuterRef("pk"))))


def settlement_list(*, user) -> QuerySet[Settlement]:
    return scope_for(user, Settlement.objects.select_related("village", "village__township"))


# Villages and their boards


def _per_village(queryset: QuerySet, expression) -> Coalesce:
    rows = (
        queryset.filter(village=OuterRef("pk"))
        .order_by()
        .values("village")
        .annotate(v=expression)
        .values("v")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def bank_village_list(*, user) -> QuerySet[Village]:
    """Villages in scope with their residents, points outstanding and awards waiting for approval."""
    villages = scope_for(user, Village.objects.select_related("township", "county"))
    return villages.annotate(
        resident_count=_per_village(Resident.objects.all(), Count("pk")),
        points_outstanding=_per_village(Resident.objects.all(), Sum("balance")),
        pending_awards=_per_village(Award.objects.filter(status=AwardStatus.PENDING), Count("pk")),
    )


def village_board(*, user, village: Village, year: int) -> dict:
    """The points board (积分榜): residents ranked by balance, and the red and black lists of the year.

    Red list: the most points awarded in the year. Black list: residents with deductions in the year.
    """
    residents = resident_list(user=user).filter(village=village)
    ranked = residents.annotate(rank=Window(Rank(), order_by=F("balance").desc())).order_by(
        "rank", "name", "pk"
    )
    approved = Q(awards__status=AwardStatus.APPROVED, awards__date__year=year)
    yearly = residents.annotate(
        awarded=Coalesce(Sum("awards__points", filter=approved & Q(awards__points__gt=0)), 0),
        deducted=Coalesce(Sum("awards__points", filter=approved & Q(awards__points__lt=0)), 0),
    )
    return {
        "ranked": ranked,
        "red": yearly.filter(awarded__gt=0).order_by("-awarded", "name", "pk")[:BOARD_LIST_SIZE],
        "black": yearly.filter(deducted__lt=0).order_by("deducted", "name", "pk")[:BOARD_LIST_SIZE],
    }


# Statistics (set-based: one query per figure)


def _stats_villages(user, *, county=None, township=None) -> QuerySet[Village]:
    villages = scope_for(user, Village.objects.all())
    if county is not None:
        villages = villages.filter(county_id=getattr(county, "pk", county))
    if township is not None:
        villages = villages.filter(township_id=getattr(township, "pk", township))
    return villages


def morality_stats(*, user, year: int, county=None, township=None) -> dict:
    """Figures for a region and year:

    - villages_with_bank: villages with residents registered in the bank; active_banks: those
      with at least one approved award dated in the year;
    - participation_rate: residents with an approved award (positive points) in the year ÷ residents;
    - points by category and quarter (awards and deductions counted when approved, net of reversals);
    - goods redeemed in the year (redemptions not reversed).
    """
    villages = _stats_villages(user, county=county, township=township).values("pk")
    residents = Resident.objects.filter(village__in=villages)
    approved = Award.objects.filter(
        village__in=villages, status=AwardStatus.APPROVED, date__year=year, points__gt=0
    )
    counts = count_each(
        villages=Village.objects.filter(pk__in=villages),
        villages_with_bank=Village.objects.filter(pk__in=villages).filter(
            Exists(Resident.objects.filter(village=OuterRef("pk")))
        ),
        active_banks=Village.objects.filter(pk__in=villages).filter(
            Exists(approved.filter(village=OuterRef("pk")))
        ),
        residents=residents,
        participants=residents.filter(Exists(approved.filter(resident=OuterRef("pk")))),
    )
    by_category = (
        LedgerEntry.objects.filter(village__in=villages, date__year=year)
        .exclude(category="")
        .annotate(quarter=ExtractQuarter("date"))
        .values("category", "quarter")
        .annotate(
            awarded=Coalesce(Sum("points", filter=Q(kind=EntryKind.AWARD)), 0),
            deducted=Coalesce(Sum("points", filter=Q(kind=EntryKind.DEDUCTION)), 0),
            net=Sum("points"),
        )
        .order_by("category", "quarter")
    )
    goods = Redemption.objects.filter(village__in=villages, date__year=year).exclude(
        Exists(LedgerEntry.objects.filter(reverses__redemption=OuterRef("pk")))
    )
    redeemed = goods.aggregate(
        redemptions=Count("pk"),
        quantity=Coalesce(Sum("quantity"), 0),
        points=Coalesce(Sum("points"), 0),
    )
    participation = counts["participants"] / counts["residents"] if counts["residents"] else None
    return {
        "year": year,
        **counts,
        "participation_rate": None if participation is None else round(participation, 4),
        "points_by_category": [
            {
                "category": row["category"],
                "quarter": f"{year}Q{row['quarter']}",
                "awarded": row["awarded"],
                "deducted": -row["deducted"],
                "net": row["net"],
            }
            for row in by_category
        ],
        "goods_redeemed": redeemed,
    }
