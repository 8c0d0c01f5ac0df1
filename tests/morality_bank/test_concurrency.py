"""Simultaneous redemptions over separate database connections never overdraw a balance or a stock."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Sum

from apps.core.actors import SYSTEM
from apps.morality_bank import services
from apps.morality_bank.models import Goods, LedgerEntry, Redemption, Resident

from .conftest import id_number

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

THREADS = 24


def fire(calls):
    """Run every ``call`` in its own thread and database connection, all released at once."""
    barrier = threading.Barrier(len(calls))

    def run(call):
        try:
            barrier.wait(timeout=30)
            return call()
        except ValidationError as exc:
            return exc
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


def check_invariants(goods_ids, initial_stock):
    for resident in Resident.objects.all():
        total = LedgerEntry.objects.filter(resident=resident).aggregate(s=Sum("points"))["s"] or 0
        assert resident.balance == total >= 0
    for goods in Goods.objects.filter(pk__in=goods_ids):
        sold = Redemption.objects.filter(goods=goods).aggregate(q=Sum("quantity"))["q"] or 0
        assert goods.stock == initial_stock[goods.pk] - sold >= 0
    for redemption in Redemption.objects.all():
        assert LedgerEntry.objects.filter(redemption=redemption).count() == 1


def test_concurrent_redemptions_for_one_resident_never_overdraw_the_balance(world, bank, always_open):
    bank.give(bank.resident, 100)
    Goods.objects.filter(pk=bank.goods.pk).update(stock=1000)

    def redeem():
        return services.redemption_create(actor=SYSTEM, resident=bank.resident, goods=bank.goods, quantity=1)

    results = fire([redeem] * THREADS)

    accepted = [r for r in results if isinstance(r, Redemption)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(accepted) == 10 and len(refused) == THREADS - 10
    assert all("quantity" in r.message_dict for r in refused)
    bank.resident.refresh_from_db()
    assert bank.resident.balance == 0
    check_invariants([bank.goods.pk], {bank.goods.pk: 1000})


def test_concurrent_redemptions_of_the_same_goods_never_take_the_stock_below_zero(world, bank, always_open):
    residents = [
        services.resident_create(
            actor=SYSTEM, village=world.village, name=f"村民{n}", id_number=id_number(300 + n)
        )
        for n in range(THREADS)
    ]
    for resident in residents:
        bank.give(resident, 50)
    Goods.objects.filter(pk=bank.goods.pk).update(stock=7)

    def redeem_for(resident):
        return lambda: services.redemption_create(
            actor=SYSTEM, resident=resident, goods=bank.goods, quantity=1
        )

    results = fire([redeem_for(r) for r in residents])

    accepted = [r for r in results if isinstance(r, Redemption)]
    assert len(accepted) == 7
    assert Goods.objects.get(pk=bank.goods.pk).stock == 0
    assert sum(Resident.objects.get(pk=r.pk).balance for r in residents) == 50 * THREADS - 7 * 10
    check_invariants([bank.goods.pk], {bank.goods.pk: 7})


def test_mixed_concurrent_redemptions_and_reversals_keep_every_invariant(world, bank, always_open):
    bank.give(bank.resident, 60)
    bank.give(bank.resident2, 60)
    Goods.objects.filter(pk=bank.goods.pk).update(stock=8)
    first = services.redemption_create(actor=SYSTEM, resident=bank.resident, goods=bank.goods, quantity=1)

    calls = []
    for n in range(THREADS):
        resident = bank.resident if n % 2 else bank.resident2
        calls.append(
            lambda r=resident: services.redemption_create(
                actor=SYSTEM, resident=r, goods=bank.goods, quantity=2
            )
        )
    calls += [lambda: services.ledger_reverse(actor=SYSTEM, entry=first.ledger_entry)] * 4

    results = fire(calls)

    reversals = [r for r in results if isinstance(r, LedgerEntry)]
    assert len(reversals) == 1  # an entry is reversed once, however many try
    check_invariants([bank.goods.pk], {bank.goods.pk: 8 + 1})  # the reversal put one back
