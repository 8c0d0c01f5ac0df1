"""Invariants the database itself enforces, whatever code runs: append-only ledger, immutable
statements, balances and stock never below zero, four eyes on awards."""

import pytest
from django.db import IntegrityError, InternalError, connection, transaction
from django.db.utils import DatabaseError

from apps.core.actors import SYSTEM
from apps.core.periods import Quarter
from apps.morality_bank import services
from apps.morality_bank.models import Award, EntryKind, LedgerEntry, Settlement

pytestmark = pytest.mark.django_db


def sql(statement, params=()):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_direct_sql_update_or_delete_of_a_ledger_row_fails(world, bank):
    entry = bank.give(bank.resident, 10).ledger_entry
    with pytest.raises(DatabaseError, match="Cannot update or delete"):
        sql("UPDATE morality_bank_ledgerentry SET points = 1000 WHERE id = %s", [entry.pk])
    with pytest.raises(DatabaseError, match="Cannot update or delete"):
        sql("DELETE FROM morality_bank_ledgerentry WHERE id = %s", [entry.pk])
    with pytest.raises(DatabaseError), transaction.atomic():
        LedgerEntry.objects.filter(pk=entry.pk).update(points=5)
    entry.refresh_from_db()
    assert entry.points == 10


def test_a_reversal_of_a_reversal_is_refused_by_the_database(world, bank):
    entry = bank.give(bank.resident, 10).ledger_entry
    reversal = services.ledger_reverse(actor=SYSTEM, entry=entry)
    with (
        pytest.raises((IntegrityError, InternalError), match="cannot itself be reversed"),
        transaction.atomic(),
    ):
        LedgerEntry.objects.create(
            resident=bank.resident,
            village=bank.resident.village,
            kind=EntryKind.REVERSAL,
            points=10,
            date=reversal.date,
            available_from=reversal.date,
            reverses=reversal,
        )
    with pytest.raises(IntegrityError), transaction.atomic():  # an entry is reversed once (one-to-one)
        LedgerEntry.objects.create(
            resident=bank.resident,
            village=bank.resident.village,
            kind=EntryKind.REVERSAL,
            points=-10,
            date=reversal.date,
            available_from=reversal.date,
            reverses=entry,
        )
    with pytest.raises((IntegrityError, InternalError), match="must negate"), transaction.atomic():
        LedgerEntry.objects.create(
            resident=bank.resident,  # not the resident of the entry it claims to reverse
            village=bank.resident.village,
            kind=EntryKind.REVERSAL,
            points=-10,
            date=reversal.date,
            available_from=reversal.date,
            reverses=bank.give(bank.resident2, 10).ledger_entry,
        )


def test_balance_and_stock_cannot_go_below_zero(world, bank):
    with pytest.raises(IntegrityError, match="resident_balance_not_negative"):
        sql("UPDATE morality_bank_resident SET balance = -1 WHERE id = %s", [bank.resident.pk])
    with pytest.raises(IntegrityError, match="goods_stock_not_negative"):
        sql("UPDATE morality_bank_goods SET stock = -1 WHERE id = %s", [bank.goods.pk])


def test_an_award_cannot_be_decided_by_its_recorder_even_in_sql(world, bank):
    award = services.award_create(
        actor=world.village_clerk,
        resident=bank.resident,
        item=bank.item,
        points=3,
        date=bank.goods.created_at.date(),
    )
    with pytest.raises(IntegrityError, match="award_decided_by_another"):
        sql(
            "UPDATE morality_bank_award SET status = 'approved', decided_at = now(), decided_by_id = recorded_by_id "
            "WHERE id = %s",
            [award.pk],
        )
    assert Award.objects.get(pk=award.pk).status == "pending"


def test_statements_are_immutable(world, bank):
    services.settlement_run(actor=SYSTEM, quarter=Quarter(2020, 1))
    statement = Settlement.objects.first()
    with pytest.raises(DatabaseError, match="Cannot update or delete"):
        sql("UPDATE morality_bank_settlement SET outstanding = 1 WHERE id = %s", [statement.pk])
    with pytest.raises(DatabaseError, match="Cannot update or delete"):
        sql("DELETE FROM morality_bank_settlement WHERE id = %s", [statement.pk])
