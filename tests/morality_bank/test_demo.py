"""Demo data: 1,100+ banks in the bazhong preset, and every balance equals its ledger and is ≥ 0."""

import pghistory
import pytest
from django.db import transaction
from django.db.models import F, OuterRef, Subquery, Sum

from apps.core import demo
from apps.core.idnumbers import validate
from apps.morality_bank import demo as morality_demo
from apps.morality_bank.models import Award, AwardStatus, Goods, LedgerEntry, Resident, Settlement

pytestmark = pytest.mark.django_db

BASE_ORDERS = (10, 20)  # regions and logins; the other apps' data is theirs to test


def run(preset: str, *, with_bank: bool = True, seed: int = 1) -> demo.DemoContext:
    ctx = demo.DemoContext.create(preset=preset, seed=seed)
    with pghistory.context(command="test"):
        for contributor in demo.contributors():
            if contributor.order in BASE_ORDERS or (with_bank and contributor.func is morality_demo.seed):
                ctx.reseed(contributor.name)
                contributor.func(ctx)
    return ctx


def test_bazhong_has_more_than_1100_banks():
    with transaction.atomic():
        ctx = run("bazhong", with_bank=False)
        banks = morality_demo._choose_banks(ctx)
        transaction.set_rollback(True)
    assert 1100 <= len(banks) <= 1300


def test_enyang_demo_is_consistent(default_catalogue):
    ctx = run("enyang")
    assert ctx.summary["morality banks (villages)"] > 100
    ledger = (
        LedgerEntry.objects.filter(resident=OuterRef("pk"))
        .values("resident")
        .annotate(s=Sum("points"))
        .values("s")
    )
    residents = Resident.objects.annotate(total=Subquery(ledger))
    assert not residents.exclude(total=F("balance")).exclude(total__isnull=True, balance=0).exists()
    assert (
        not Resident.objects.filter(balance__lt=0).exists() and not Goods.objects.filter(stock__lt=0).exists()
    )
    for number in Resident.objects.values_list("id_number", flat=True)[:500]:
        validate(number)
    approved = Award.objects.filter(status=AwardStatus.APPROVED).count()
    assert LedgerEntry.objects.filter(award__isnull=False).count() == approved
    assert Award.objects.filter(status=AwardStatus.PENDING).exists()
    assert Settlement.objects.values("quarter").distinct().count() == 4


def snapshot() -> tuple[list, list]:
    return (
        list(Resident.objects.order_by("id_number").values_list("id_number", "name", "balance")),
        list(
            Award.objects.order_by("resident__id_number", "date", "item_id", "points").values_list(
                "resident__id_number", "item_id", "points", "date", "status"
            )
        ),
    )


def seeded_snapshot(seed: int) -> tuple[list, list]:
    with transaction.atomic():
        run("enyang", seed=seed)
        rows = snapshot()
        transaction.set_rollback(True)
    return rows


def test_the_same_seed_gives_the_same_banks(default_catalogue):
    first = seeded_snapshot(1)
    assert first == seeded_snapshot(1)
    assert first != seeded_snapshot(2)
