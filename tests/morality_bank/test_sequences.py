"""Random sequences of award / approve / reject / deduct / redeem / reverse keep balance = sum(ledger) ≥ 0."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.morality_bank import services
from apps.morality_bank.models import Award, AwardStatus, Goods, LedgerEntry, Redemption, Resident

pytestmark = pytest.mark.django_db

who = st.integers(min_value=0, max_value=1)
steps = st.lists(
    st.one_of(
        st.tuples(st.just("award"), who, st.integers(min_value=1, max_value=60)),
        st.tuples(st.just("deduct"), who, st.integers(min_value=1, max_value=60)),
        st.tuples(st.just("approve"), st.integers(min_value=0, max_value=20)),
        st.tuples(st.just("reject"), st.integers(min_value=0, max_value=20)),
        st.tuples(st.just("redeem"), who, st.integers(min_value=1, max_value=4)),
        st.tuples(st.just("reverse"), st.integers(min_value=0, max_value=40)),
    ),
    max_size=25,
)


def check(residents, goods, initial_stock):
    for resident in Resident.objects.filter(pk__in=[r.pk for r in residents]):
        total = LedgerEntry.objects.filter(resident=resident).aggregate(s=Sum("points"))["s"] or 0
        assert resident.balance == total >= 0
    stock = Goods.objects.get(pk=goods.pk).stock
    redeemed = Redemption.objects.filter(goods=goods, ledger_entry__reversed_by__isnull=True)
    assert stock == initial_stock - (redeemed.aggregate(q=Sum("quantity"))["q"] or 0) >= 0
    assert not LedgerEntry.objects.filter(kind="reversal", reverses__kind="reversal").exists()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=steps)
def test_random_sequences_keep_the_ledger_consistent(world, bank, always_open, steps):
    residents = [bank.resident, bank.resident2]
    with transaction.atomic():
        Goods.objects.filter(pk=bank.goods.pk).update(stock=6)
        pending = []
        for step in steps:
            try:
                if step[0] in ("award", "deduct"):
                    item = bank.big if step[0] == "award" else bank.big_deduction
                    points = step[2] if step[0] == "award" else -step[2]
                    pending.append(
                        services.award_create(
                            actor=world.village_clerk,
                            resident=residents[step[1]],
                            item=item,
                            points=points,
                            date=timezone.localdate(),
                        )
                    )
                elif step[0] in ("approve", "reject") and pending:
                    award = pending[step[1] % len(pending)]
                    decide = services.award_approve if step[0] == "approve" else services.award_reject
                    decide(actor=world.township_staff, award=award)
                elif step[0] == "redeem":
                    services.redemption_create(
                        actor=world.village_clerk,
                        resident=residents[step[1]],
                        goods=bank.goods,
                        quantity=step[2],
                    )
                elif step[0] == "reverse":
                    entries = list(LedgerEntry.objects.order_by("pk"))
                    if entries:
                        services.ledger_reverse(
                            actor=world.township_staff, entry=entries[step[1] % len(entries)]
                        )
            except (ValidationError, PermissionDenied):
                pass
            check(residents, bank.goods, 6)
        # Every approved award has exactly one entry; pending and rejected ones have none.
        approved = Award.objects.filter(status=AwardStatus.APPROVED).count()
        assert LedgerEntry.objects.filter(award__isnull=False).count() == approved
        transaction.set_rollback(True)
