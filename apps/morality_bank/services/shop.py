"""The points shop (积分超市): goods with a price in points and a stock, and redemptions."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.configuration import value_of
from apps.core.periods import Quarter, in_quarter_end_window, quarter_end_window
from apps.core.permissions import ensure_role
from apps.core.reporting.locks import ensure_open
from apps.core.scoping import ensure_in_scope
from apps.villages.services import ensure_village_active

from .. import config
from ..models import EntryKind, Goods, Redemption, Resident, Settlement
from ..permissions import MORALITY_ROLES
from ..selectors import points_under_notice
from ._common import apply, ensure_field_in_scope, lock_resident, post_entry, save, user_or_none

GOODS_EDITABLE_FIELDS = ("name", "price_points", "stock", "is_active")


@transaction.atomic
def goods_create(
    *, actor, village, name: str, price_points: int, stock: int = 0, is_active: bool = True
) -> Goods:
    ensure_role(actor, MORALITY_ROLES)
    ensure_field_in_scope(actor, village, "village")
    ensure_village_active(village)
    return save(
        Goods(village=village, name=name, price_points=price_points, stock=stock, is_active=is_active)
    )


@transaction.atomic
def goods_update(*, actor, goods: Goods, **fields) -> Goods:
    """Edit goods; the row is locked so a stock count set here cannot interleave with a redemption."""
    ensure_role(actor, MORALITY_ROLES)
    ensure_in_scope(actor, goods)
    village = fields.pop("village", None)
    if village is not None and village.pk != goods.village_id:
        raise ValidationError({"village": _("Goods cannot move to another village's shop.")})
    goods = Goods.objects.select_for_update().get(pk=goods.pk)
    return save(apply(goods, fields, GOODS_EDITABLE_FIELDS))


@transaction.atomic
def goods_restock(*, actor, goods: Goods, quantity: int) -> Goods:
    """Add delivered goods to the stock (relative, so it never overwrites a concurrent redemption)."""
    ensure_role(actor, MORALITY_ROLES)
    ensure_in_scope(actor, goods)
    if quantity < 1:
        raise ValidationError({"quantity": _("Add at least one.")})
    Goods.objects.filter(pk=goods.pk).update(stock=F("stock") + quantity)
    goods.refresh_from_db()
    return goods


@transaction.atomic
def goods_delete(*, actor, goods: Goods) -> None:
    ensure_role(actor, MORALITY_ROLES)
    ensure_in_scope(actor, goods)
    try:
        with transaction.atomic():
            goods.delete()
    except ProtectedError as exc:
        raise ValidationError(
            _("These goods have been redeemed and cannot be deleted; take them off sale instead.")
        ) from exc


def ensure_redemption_window(county_id: int, day: datetime.date) -> None:
    if value_of(config.REDEMPTION_WINDOW, on=day, county=county_id) == config.WINDOW_ALWAYS:
        return
    days = value_of(config.REDEMPTION_WINDOW_DAYS, on=day, county=county_id)
    if not in_quarter_end_window(day, days):
        opens, closes = quarter_end_window(day, days)
        raise ValidationError(
            {
                "date": _(
                    "Points are redeemed only in the last %(days)d days of each quarter: "
                    "this quarter from %(opens)s to %(closes)s."
                )
                % {"days": days, "opens": opens.isoformat(), "closes": closes.isoformat()}
            }
        )


@transaction.atomic
def redemption_create(
    *, actor, resident: Resident, goods: Goods, quantity: int, date: datetime.date | None = None
) -> Redemption:
    """Give goods for points. The resident's and the goods' rows are locked (in that order), so
    simultaneous redemptions are served one after the other and neither the balance nor the
    stock can go below zero."""
    ensure_role(actor, MORALITY_ROLES)
    ensure_field_in_scope(actor, resident, "resident")
    ensure_field_in_scope(actor, goods, "goods")
    today = timezone.localdate()
    date = date or today
    if date > today:
        raise ValidationError({"date": _("The date cannot be in the future.")})
    if goods.village_id != resident.village_id:
        raise ValidationError({"goods": _("These goods are in another village's shop.")})
    if quantity is None or quantity < 1:
        raise ValidationError({"quantity": _("Redeem at least one.")})
    county_id = resident.village.county_id
    ensure_redemption_window(county_id, date)
    if Settlement.objects.filter(village_id=resident.village_id, quarter=str(Quarter.of(date))).exists():
        raise ValidationError(
            {"date": _("This quarter has been settled; record the redemption in the current one.")}
        )

    resident = lock_resident(resident)
    goods = Goods.objects.select_for_update().get(pk=goods.pk)
    if not goods.is_active:
        raise ValidationError({"goods": _("These goods are not on sale.")})
    points = goods.price_points * quantity
    if quantity > goods.stock:
        raise ValidationError(
            {
                "quantity": _("Only %(stock)d of “%(name)s” left in stock.")
                % {"stock": goods.stock, "name": goods.name}
            }
        )
    redeemable = resident.balance - points_under_notice(resident_id=resident.pk, on=date)
    if points > redeemable:
        raise ValidationError(
            {
                "quantity": _(
                    "%(name)s can redeem %(available)d points (balance %(balance)d, of which points under "
                    "public notice cannot be redeemed yet); this needs %(points)d."
                )
                % {
                    "name": resident.name,
                    "available": max(redeemable, 0),
                    "balance": resident.balance,
                    "points": points,
                }
            }
        )
    rate = value_of(config.POINTS_PER_YUAN, on=date, county=county_id)
    ensure_open(village=resident.village, on=date)
    redemption = Redemption.objects.create(
        village_id=resident.village_id,
        resident=resident,
        goods=goods,
        quantity=quantity,
        points=points,
        date=date,
        points_per_yuan=rate,
        value_yuan=(Decimal(points) / rate).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP),
        recorded_by=user_or_none(actor),
    )
    Goods.objects.filter(pk=goods.pk).update(stock=F("stock") - quantity)
    post_entry(
        actor=actor,
        resident=resident,
        kind=EntryKind.REDEMPTION,
        points=-points,
        date=date,
        redemption=redemption,
    )
    return redemption
