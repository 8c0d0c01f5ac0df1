"""Business rules at the service level: bounds, four eyes, public notice, the window, shortages, reversals."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum
from django.utils import timezone

from apps.core.actors import SYSTEM
from apps.core.periods import Quarter, in_quarter_end_window
from apps.core.services import setting_set
from apps.morality_bank import config, services
from apps.morality_bank.models import (
    Award,
    AwardStatus,
    EntryKind,
    Goods,
    Item,
    LedgerEntry,
    Redemption,
    Resident,
)

from .conftest import LONG_AGO, id_number

pytestmark = pytest.mark.django_db


def ledger_sum(resident) -> int:
    return LedgerEntry.objects.filter(resident=resident).aggregate(s=Sum("points"))["s"] or 0


def balance(resident) -> int:
    resident.refresh_from_db()
    return resident.balance


def today():
    return timezone.localdate()


# Catalogue


def test_default_catalogue_has_five_categories_of_about_six_items_with_negative_deductions(default_catalogue):
    defaults = Item.objects.filter(county__isnull=True)
    assert sorted(set(defaults.values_list("category", flat=True))) == [
        "customs",
        "filial",
        "hygiene",
        "industrious",
        "law",
    ]
    assert 30 <= defaults.count() <= 35
    deductions = defaults.filter(max_points__lt=0)
    assert deductions.exists() and all(item.min_points < 0 for item in deductions)


def test_item_bounds_must_not_straddle_zero_or_cross(world):
    with pytest.raises(ValidationError):
        services.item_create(
            actor=world.county_admin,
            county=world.county,
            category="law",
            name="x",
            min_points=-1,
            max_points=3,
        )
    with pytest.raises(ValidationError):
        services.item_create(
            actor=world.county_admin,
            county=world.county,
            category="law",
            name="y",
            min_points=5,
            max_points=2,
        )
    assert not Item.objects.filter(name__in=["x", "y"]).exists()


def test_county_admin_adds_items_only_for_own_county_and_staff_cannot(world):
    item = services.item_create(
        actor=world.county_admin,
        county=world.county,
        category="hygiene",
        name="厕所革命",
        min_points=2,
        max_points=4,
    )
    assert item.county == world.county
    with pytest.raises(ValidationError) as exc:
        services.item_create(
            actor=world.county_admin,
            county=world.other_county,
            category="law",
            name="越界",
            min_points=1,
            max_points=2,
        )
    assert "county" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        services.item_create(
            actor=world.township_staff,
            county=world.county,
            category="law",
            name="无权",
            min_points=1,
            max_points=2,
        )


def test_a_county_disables_a_default_item_for_itself_only(world, bank):
    services.item_set_active(actor=world.county_admin, item=bank.item, active=False)
    with pytest.raises(ValidationError) as exc:
        services.award_create(
            actor=world.village_clerk, resident=bank.resident, item=bank.item, points=3, date=today()
        )
    assert "item" in exc.value.message_dict
    # 巴州区 still uses it.
    services.award_create(actor=SYSTEM, resident=bank.far_resident, item=bank.item, points=3, date=today())
    services.item_set_active(actor=world.county_admin, item=bank.item, active=True)
    services.award_create(
        actor=world.village_clerk, resident=bank.resident, item=bank.item, points=3, date=today()
    )


def test_a_used_item_cannot_be_deleted_an_unused_one_can(world, bank):
    services.award_create(
        actor=world.village_clerk, resident=bank.resident, item=bank.big, points=3, date=today()
    )
    with pytest.raises(ValidationError):
        services.item_delete(actor=world.county_admin, item=bank.big)
    assert Item.objects.filter(pk=bank.big.pk).exists()
    unused = services.item_create(
        actor=world.county_admin, county=world.county, category="law", name="误录", min_points=1, max_points=2
    )
    services.item_delete(actor=world.county_admin, item=unused)
    assert not Item.objects.filter(pk=unused.pk).exists()
    with pytest.raises(PermissionDenied):
        services.item_delete(actor=world.county_admin, item=bank.item)  # the default catalogue


# Residents


def test_resident_id_number_is_validated_and_normalised(world):
    with pytest.raises(ValidationError) as exc:
        services.resident_create(
            actor=world.village_clerk, village=world.village, name="甲", id_number="511903198001011230"
        )
    assert "id_number" in exc.value.message_dict
    number = id_number(7)
    resident = services.resident_create(
        actor=world.village_clerk, village=world.village, name="乙", id_number=f" {number[:6]}-{number[6:]} "
    )
    assert resident.id_number == number


def test_clerk_registers_residents_only_in_own_village(world):
    with pytest.raises(ValidationError) as exc:
        services.resident_create(
            actor=world.village_clerk, village=world.village2, name="丙", id_number=id_number(8)
        )
    assert "village" in exc.value.message_dict
    assert not Resident.objects.filter(name="丙").exists()


def test_household_must_be_of_the_residents_village(world):
    from apps.assistance.models import Household

    household = Household.objects.create(
        village=world.village2, head_name="户主", head_id_number=id_number(9), size=3, cause="illness"
    )
    with pytest.raises(ValidationError) as exc:
        services.resident_create(
            actor=world.township_staff,
            village=world.village,
            name="丁",
            id_number=id_number(10),
            household=household,
        )
    assert "household" in exc.value.message_dict


# Awards and approval


def test_points_outside_the_items_bounds_are_refused_and_nothing_saved(world, bank):
    for points in (0, 6, -3):
        with pytest.raises(ValidationError) as exc:
            services.award_create(
                actor=world.village_clerk, resident=bank.resident, item=bank.item, points=points, date=today()
            )
        assert "points" in exc.value.message_dict
    assert not Award.objects.exists()


def test_award_for_a_resident_outside_scope_is_refused(world, bank):
    with pytest.raises(ValidationError) as exc:
        services.award_create(
            actor=world.village_clerk, resident=bank.other_resident, item=bank.item, points=2, date=today()
        )
    assert "resident" in exc.value.message_dict
    assert not Award.objects.exists()


def test_future_dates_are_refused(world, bank):
    with pytest.raises(ValidationError) as exc:
        services.award_create(
            actor=world.village_clerk,
            resident=bank.resident,
            item=bank.item,
            points=2,
            date=today() + datetime.timedelta(days=1),
        )
    assert "date" in exc.value.message_dict


def test_recorder_cannot_approve_or_reject_own_award(world, bank):
    award = services.award_create(
        actor=world.village_clerk, resident=bank.resident, item=bank.item, points=4, date=today()
    )
    with pytest.raises(PermissionDenied):
        services.award_approve(actor=world.village_clerk, award=award)
    with pytest.raises(PermissionDenied):
        services.award_reject(actor=world.village_clerk, award=award)
    award.refresh_from_db()
    assert award.status == AwardStatus.PENDING and balance(bank.resident) == 0


def test_approval_counts_points_and_starts_the_public_notice(world, bank):
    award = services.award_create(
        actor=world.village_clerk, resident=bank.resident, item=bank.item, points=4, date=today()
    )
    assert balance(bank.resident) == 0  # pending awards do not count
    award = services.award_approve(actor=world.township_staff, award=award)
    assert award.status == AwardStatus.APPROVED and award.decided_by == world.township_staff
    assert award.notice_ends_on == today() + datetime.timedelta(days=7)  # the default notice period
    entry = LedgerEntry.objects.get(award=award)
    assert (entry.kind, entry.points, entry.available_from) == (EntryKind.AWARD, 4, award.notice_ends_on)
    assert balance(bank.resident) == 4 == ledger_sum(bank.resident)
    with pytest.raises(ValidationError):
        services.award_approve(actor=world.county_admin, award=award)  # decided once
    assert LedgerEntry.objects.filter(award=award).count() == 1


def test_rejection_moves_no_points(world, bank):
    award = services.award_create(
        actor=world.village_clerk, resident=bank.resident, item=bank.item, points=4, date=today()
    )
    award = services.award_reject(actor=world.township_staff, award=award, reason="查无实据")
    assert award.status == AwardStatus.REJECTED and award.decision_note == "查无实据"
    assert not LedgerEntry.objects.exists() and balance(bank.resident) == 0


def test_notice_days_are_configuration_per_county(world, bank):
    setting_set(actor=SYSTEM, key=config.NOTICE_DAYS, value=3, valid_from=LONG_AGO, county=world.county)
    award = bank.give(bank.resident, 5)
    assert award.notice_ends_on == today() + datetime.timedelta(days=3)
    far = bank.give(bank.far_resident, 5)
    assert far.notice_ends_on == today() + datetime.timedelta(days=7)


def test_a_deduction_counts_at_once_but_never_below_zero(world, bank, always_open):
    bank.give(bank.resident, 8)
    deduction = services.award_create(
        actor=world.village_clerk, resident=bank.resident, item=bank.deduction, points=-6, date=today()
    )
    services.award_approve(actor=world.township_staff, award=deduction)
    assert balance(bank.resident) == 2
    assert LedgerEntry.objects.get(award=deduction).kind == EntryKind.DEDUCTION
    too_much = services.award_create(
        actor=world.village_clerk, resident=bank.resident, item=bank.deduction, points=-5, date=today()
    )
    with pytest.raises(ValidationError) as exc:
        services.award_approve(actor=world.township_staff, award=too_much)
    assert "points" in exc.value.message_dict
    assert balance(bank.resident) == 2 == ledger_sum(bank.resident)


# Redemptions


def test_points_under_public_notice_cannot_be_redeemed(world, bank):
    setting_set(actor=SYSTEM, key=config.REDEMPTION_WINDOW, value="always", valid_from=LONG_AGO)
    bank.give(bank.resident, 30)
    with pytest.raises(ValidationError) as exc:
        services.redemption_create(
            actor=world.village_clerk, resident=bank.resident, goods=bank.goods, quantity=1
        )
    assert "quantity" in exc.value.message_dict
    # Eight days later the notice is over.
    later = today() + datetime.timedelta(days=8)
    from unittest import mock

    with mock.patch("django.utils.timezone.localdate", return_value=later):
        redemption = services.redemption_create(
            actor=world.village_clerk, resident=bank.resident, goods=bank.goods, quantity=2, date=later
        )
    assert redemption.points == 20 and balance(bank.resident) == 10


def test_redemption_uses_the_rate_in_force_and_keeps_it(world, bank, always_open):
    bank.give(bank.resident, 100)
    first = services.redemption_create(
        actor=world.village_clerk, resident=bank.resident, goods=bank.goods, quantity=1
    )
    assert (first.points, first.points_per_yuan, first.value_yuan) == (10, Decimal("1.00"), Decimal("10.00"))
    services.bank_settings_update(actor=world.county_admin, county=world.county, points_per_yuan="2")
    second = services.redemption_create(
        actor=world.village_clerk, resident=bank.resident, goods=bank.goods, quantity=1
    )
    assert (second.points_per_yuan, second.value_yuan) == (Decimal("2.00"), Decimal("5.00"))
    first.refresh_from_db()
    assert first.value_yuan == Decimal("10.00")


def test_redemption_beyond_balance_or_stock_is_refused_and_nothing_saved(world, bank, always_open):
    bank.give(bank.resident, 25)
    with pytest.raises(ValidationError) as exc:
        services.redemption_create(
            actor=world.village_clerk, resident=bank.resident, goods=bank.goods, quantity=3
        )
    assert "quantity" in exc.value.message_dict
    bank.give(bank.resident, 100)
    with pytest.raises(ValidationError) as exc:
        services.redemption_create(
            actor=world.village_clerk, resident=bank.resident, goods=bank.goods, quantity=6
        )
    assert "quantity" in exc.value.message_dict
    assert not Redemption.objects.exists()
    assert balance(bank.resident) == 125
    assert Goods.objects.get(pk=bank.goods.pk).stock == 5


def test_redemption_takes_points_and_stock_with_one_ledger_entry(world, bank, always_open):
    bank.give(bank.resident, 50)
    redemption = services.redemption_create(
        actor=world.village_clerk, resident=bank.resident, goods=bank.goods, quantity=3
    )
    assert balance(bank.resident) == 20 == ledger_sum(bank.resident)
    assert Goods.objects.get(pk=bank.goods.pk).stock == 2
    entry = LedgerEntry.objects.get(redemption=redemption)
    assert (entry.kind, entry.points) == (EntryKind.REDEMPTION, -30)


def test_goods_of_another_village_cannot_be_redeemed(world, bank, always_open):
    bank.give(bank.resident2, 50)
    goods = services.goods_create(actor=SYSTEM, village=world.village2, name="毛巾", price_points=5, stock=3)
    with pytest.raises(ValidationError) as exc:
        services.redemption_create(
            actor=world.township_staff, resident=bank.resident2, goods=goods, quantity=1
        )
    assert "goods" in exc.value.message_dict


@pytest.mark.parametrize(
    ("day", "allowed"),
    [
        (datetime.date(2026, 3, 21), False),
        (datetime.date(2026, 3, 22), True),
        (datetime.date(2026, 3, 31), True),
        (datetime.date(2026, 4, 1), False),
        (datetime.date(2026, 6, 21), True),
        (datetime.date(2026, 12, 22), True),
        (datetime.date(2026, 12, 21), False),
    ],
)
def test_default_window_is_the_last_ten_days_of_each_quarter(day, allowed):
    assert in_quarter_end_window(day, 10) is allowed


def test_redemption_outside_the_window_is_refused_with_the_window_named(world, bank):
    setting_set(actor=SYSTEM, key=config.NOTICE_DAYS, value=0, valid_from=LONG_AGO)
    mid_quarter = datetime.date(2026, 2, 10)
    from unittest import mock

    with mock.patch("django.utils.timezone.localdate", return_value=datetime.date(2026, 3, 25)):
        bank.give(bank.resident, 50)
        with pytest.raises(ValidationError) as exc:
            services.redemption_create(
                actor=world.village_clerk,
                resident=bank.resident,
                goods=bank.goods,
                quantity=1,
                date=mid_quarter,
            )
        assert "2026-03-22" in exc.value.message_dict["date"][0]
        services.redemption_create(
            actor=world.village_clerk,
            resident=bank.resident,
            goods=bank.goods,
            quantity=1,
            date=datetime.date(2026, 3, 25),
        )
    assert Redemption.objects.count() == 1


# Reversals


def test_reversal_cancels_an_entry_once_and_cannot_itself_be_reversed(world, bank, always_open):
    award = bank.give(bank.resident, 40)
    entry = LedgerEntry.objects.get(award=award)
    reversal = services.ledger_reverse(actor=world.township_staff, entry=entry, reason="录错")
    assert (reversal.kind, reversal.points, reversal.reverses_id) == (EntryKind.REVERSAL, -40, entry.pk)
    assert balance(bank.resident) == 0 == ledger_sum(bank.resident)
    with pytest.raises(ValidationError):
        services.ledger_reverse(actor=world.township_staff, entry=entry)
    with pytest.raises(ValidationError):
        services.ledger_reverse(actor=world.township_staff, entry=reversal)
    assert LedgerEntry.objects.count() == 2


def test_reversing_a_redemption_returns_points_and_stock(world, bank, always_open):
    bank.give(bank.resident, 40)
    redemption = services.redemption_create(
        actor=world.village_clerk, resident=bank.resident, goods=bank.goods, quantity=2
    )
    services.ledger_reverse(actor=world.village_clerk, entry=redemption.ledger_entry)
    assert balance(bank.resident) == 40
    assert Goods.objects.get(pk=bank.goods.pk).stock == 5


def test_reversing_spent_points_is_refused(world, bank, always_open):
    award = bank.give(bank.resident, 30)
    services.redemption_create(
        actor=world.village_clerk, resident=bank.resident, goods=bank.goods, quantity=2
    )
    with pytest.raises(ValidationError):
        services.ledger_reverse(actor=world.township_staff, entry=award.ledger_entry)
    assert balance(bank.resident) == 10 == ledger_sum(bank.resident)


def test_reversal_outside_scope_is_refused(world, bank):
    award = bank.give(bank.far_resident, 30)
    with pytest.raises(PermissionDenied):
        services.ledger_reverse(actor=world.county_admin, entry=award.ledger_entry)


# Settings


def test_settings_are_dated_and_only_admins_write(world):
    with pytest.raises(PermissionDenied):
        services.bank_settings_update(actor=world.township_staff, county=world.county, notice_days=3)
    values = services.bank_settings_update(actor=world.county_admin, county=world.county, notice_days=3)
    assert values["notice_days"] == 3
    # Corrected the same day: the value is replaced, not refused.
    values = services.bank_settings_update(actor=world.county_admin, county=world.county, notice_days=4)
    assert values["notice_days"] == 4
    yesterday = today() - datetime.timedelta(days=1)
    assert services.bank_settings(county=world.county, on=yesterday)["notice_days"] == 7
    with pytest.raises(ValidationError):
        services.bank_settings_update(
            actor=world.county_admin, county=world.county, notice_days=2, valid_from=yesterday
        )
    with pytest.raises(ValidationError):
        services.bank_settings_update(actor=world.county_admin, county=world.other_county, notice_days=2)


# Quarterly settlement


def _quarter_ago():
    return Quarter.of(today()).previous()


def test_settlement_is_set_based_idempotent_and_immutable(
    world, bank, always_open, django_assert_max_num_queries
):
    from unittest import mock

    quarter = _quarter_ago()
    inside = quarter.last
    with mock.patch("django.utils.timezone.localdate", return_value=inside):
        bank.give(bank.resident, 50)
        bank.give(bank.resident2, 20)
        deduction = services.award_create(
            actor=world.village_clerk, resident=bank.resident, item=bank.deduction, points=-5, date=inside
        )
        services.award_approve(actor=world.township_staff, award=deduction)
        services.redemption_create(
            actor=world.village_clerk, resident=bank.resident, goods=bank.goods, quantity=2
        )
        bank.give(bank.far_resident, 10)
    bank.give(bank.resident, 7)  # this quarter: not in the statement

    with django_assert_max_num_queries(12):
        statements = list(services.settlement_run(actor=world.county_admin, quarter=str(quarter)))
    # Every bank of the admin's county, with or without movements; 巴州区's is not the admin's.
    assert {s.village_id for s in statements} == {world.village.pk, world.other_village.pk}
    statement = next(s for s in statements if s.village_id == world.village.pk)
    assert (statement.awarded, statement.deducted, statement.redeemed, statement.outstanding) == (
        70,
        5,
        20,
        45,
    )
    assert statement.by_category["filial"]["awarded"] == 70 and statement.by_category["law"]["deducted"] == 5
    assert statement.goods == [{"goods": bank.goods.pk, "name": "大米", "quantity": 2, "points": 20}]
    assert statement.residents == 2

    bank.give(bank.resident2, 3)
    again = services.settlement_run(actor=world.county_admin, quarter=str(quarter)).get(village=world.village)
    assert (again.pk, again.outstanding, again.created_at) == (statement.pk, 45, statement.created_at)


def test_settlement_of_an_unfinished_quarter_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        services.settlement_run(actor=world.county_admin, quarter=str(Quarter.of(today())))
    assert "quarter" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.settlement_run(actor=world.county_admin, quarter="2026Q5")


def test_a_settled_quarter_takes_no_backdated_redemptions(world, bank, always_open):
    bank.give(bank.resident, 50)
    quarter = _quarter_ago()
    services.settlement_run(actor=world.county_admin, quarter=str(quarter))
    with pytest.raises(ValidationError) as exc:
        services.redemption_create(
            actor=world.village_clerk, resident=bank.resident, goods=bank.goods, quantity=1, date=quarter.last
        )
    assert "date" in exc.value.message_dict


def test_settle_task_runs_the_service_for_the_previous_quarter(world, bank):
    from apps.morality_bank.tasks import settle_quarter

    result = settle_quarter.run()
    assert result == {"quarter": str(_quarter_ago()), "statements": 3}
    assert settle_quarter.run() == result
