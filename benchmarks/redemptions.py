"""Morality-bank redemptions per second under contention: threads, each with its own database connection,
redeem through the real service (``redemption_create``) for one resident, then for as many residents
as threads (each in their own village's shop, so they share no row). Balances, stock and ledger are
checked afterwards.
"""

from __future__ import annotations

import threading
import time

from django.core.exceptions import ValidationError
from django.db import OperationalError, connection
from django.db.models import Sum
from django.utils import timezone

from apps.core.actors import SYSTEM
from apps.morality_bank.models import Item, LedgerEntry, Resident
from apps.morality_bank.services import (
    award_approve,
    award_create,
    bank_settings_update,
    goods_create,
    item_available,
    redemption_create,
)

PRICE = 1  # points per redemption: the balance bounds how many the run can make


def _fund(resident: Resident, points: int) -> None:
    """Give ``resident`` at least ``points`` redeemable points through awards (no public notice)."""
    items = [
        item
        for item in Item.objects.filter(max_points__gt=0).order_by("-max_points", "pk")
        if item_available(item, resident.village.county_id)
    ]
    if not items:
        raise RuntimeError("no positive catalogue item to award points with")
    item, today, given = items[0], timezone.localdate(), 0
    while given < points:
        award = award_create(
            actor=SYSTEM,
            resident=resident,
            item=item,
            points=item.max_points,
            date=today,
            evidence="benchmark",
        )
        award_approve(actor=SYSTEM, award=award)
        given += item.max_points


def _prepare(residents: list[Resident], redemptions_each: int) -> list:
    """Shop goods for each resident's village, and points for the redemptions planned."""
    counties = {resident.village.county for resident in residents}
    for county in counties:
        # Redeem on any day, and awarded points at once: the run must not depend on today's date.
        bank_settings_update(actor=SYSTEM, county=county, redemption_window="always", notice_days=0)
    shops = {}
    for resident in residents:
        if resident.village_id not in shops:
            shops[resident.village_id] = goods_create(
                actor=SYSTEM,
                village=resident.village,
                # A name of its own each run: a kept database is measured again (run.py --reuse).
                name=f"基准测试商品 {timezone.now():%Y%m%d%H%M%S%f}",
                price_points=PRICE,
                stock=10**6,
            )
        _fund(resident, redemptions_each * PRICE)
    return [shops[resident.village_id] for resident in residents]


def _redeem(resident_id: int, goods, count: int, outcome: dict) -> None:
    resident = Resident.objects.select_related("village").get(pk=resident_id)
    try:
        for _ in range(count):
            try:
                redemption_create(actor=SYSTEM, resident=resident, goods=goods, quantity=1)
                outcome["ok"] += 1
            except ValidationError:
                outcome["refused"] += 1
            except OperationalError:
                outcome["errors"] += 1
    finally:
        connection.close()


def _run(assignments: list[tuple[Resident, object]], count: int) -> dict:
    outcomes = [{"ok": 0, "refused": 0, "errors": 0} for _ in assignments]
    threads = [
        threading.Thread(target=_redeem, args=(resident.pk, goods, count, outcome))
        for (resident, goods), outcome in zip(assignments, outcomes, strict=True)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    ok = sum(o["ok"] for o in outcomes)
    return {
        "threads": len(threads),
        "redemptions": ok,
        "refused": sum(o["refused"] for o in outcomes),
        "errors": sum(o["errors"] for o in outcomes),
        "seconds": round(seconds, 2),
        "per_second": round(ok / seconds, 1) if seconds else None,
    }


def _balances_hold(residents: list[Resident]) -> bool:
    """Every balance equals its ledger and none is below zero."""
    for resident in Resident.objects.filter(pk__in=[r.pk for r in residents]):
        ledger = LedgerEntry.objects.filter(resident=resident).aggregate(points=Sum("points"))["points"] or 0
        if resident.balance != ledger or resident.balance < 0:
            return False
    return True


def measure_redemptions(*, threads: int = 8, redemptions_each: int = 50) -> dict:
    """``threads`` × ``redemptions_each`` redemptions on one resident, then on ``threads`` residents."""
    villages_seen, many = set(), []
    for resident in (
        Resident.objects.select_related("village__county")
        .filter(village__retired_on__isnull=True)
        .order_by("village__code", "pk")
    ):
        if resident.village_id not in villages_seen:
            villages_seen.add(resident.village_id)
            many.append(resident)
        if len(many) == threads + 1:
            break
    if len(many) < threads + 1:
        return {"available": False, "note": f"needs {threads + 1} villages with a morality bank"}
    one, many = many[0], many[1:]
    (one_goods,) = _prepare([one], threads * redemptions_each)
    many_goods = _prepare(many, redemptions_each)
    before = {r.pk: r.balance for r in Resident.objects.filter(pk__in=[one.pk, *(r.pk for r in many)])}
    one_resident = _run([(one, one_goods)] * threads, redemptions_each)
    many_residents = _run(list(zip(many, many_goods, strict=True)), redemptions_each)
    after = {r.pk: r.balance for r in Resident.objects.filter(pk__in=before)}
    spent = sum(before.values()) - sum(after.values())
    return {
        "available": True,
        "one_resident": one_resident,
        "many_residents": many_residents,
        "balances_checked": _balances_hold([one, *many])
        and spent == (one_resident["redemptions"] + many_residents["redemptions"]) * PRICE,
    }
