"""Demo morality banks: about half of 巴中市's villages (1,100+ in ``bazhong``), one in twenty elsewhere.

Each bank gets residents (some of them heads of the registered poor households, when the
assistance demo made any), a points shop, and the four quarters before the current one of
awards, approvals, deductions, redemptions at each quarter's end and a few reversals, then the
quarterly statements of those quarters (made by the settlement service). Pending awards of
the current quarter fill the approval queue. Dates count back from today's quarter; each
village draws from its own random stream (seed + village code), so a village comes out the same
in every preset that contains it.

Rows are bulk-inserted; balances are replayed in memory in date order so that every balance
equals the sum of its entries and never goes below zero, exactly as the services keep them.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from apps.assistance.models import Household
from apps.core import idnumbers
from apps.core.actors import SYSTEM
from apps.core.demo import DemoContext, DemoError, register
from apps.core.periods import Quarter
from apps.villages.demo import SURNAMES

from .models import Award, AwardStatus, EntryKind, Goods, Item, LedgerEntry, Redemption, Resident
from .services import default_catalogue_ensure, settlement_run

BATCH_SIZE = 2000
BAZHONG_PREFIX = "5119"
BANK_SHARE = {True: 0.48, False: 0.05}  # in 巴中市 (plus every township's first village) / elsewhere
RESIDENTS = (5, 9)
HOUSEHOLD_HEADS = 2  # per bank village, when the assistance demo made poor households
NOTICE_DAYS = 7
WINDOW_DAYS = 10
GIVEN = "德明华国建文秀兰英芳玉春桂志平海军林强勇红梅丽霞云飞燕婷杰涛斌超刚敏静秋菊成福寿康"
GOODS = (
    ("食盐", 2),
    ("香皂", 3),
    ("毛巾", 5),
    ("酱油", 6),
    ("洗洁精", 8),
    ("牙膏", 8),
    ("洗衣粉", 10),
    ("学习用品套装", 15),
    ("锄头", 20),
    ("大米（10斤）", 25),
    ("菜籽油（5升）", 60),
    ("保温壶", 40),
    ("复合肥（1袋）", 80),
    ("电饭煲", 120),
)
DAY_SPAN = 18_000  # birth dates spread over ~49 years from 1950
BIRTH_BASE = datetime.date(1950, 1, 1)


@dataclass
class Bank:
    village: object
    rng: random.Random
    residents: list = field(default_factory=list)
    goods: list = field(default_factory=list)


def _id_number(county_code: str, key: int, female: bool) -> str:
    """Unique within the county for distinct ``key``s: the birth day and sequence encode the key."""
    block, rest = divmod(key, DAY_SPAN)
    born = BIRTH_BASE + datetime.timedelta(days=(rest * 7919) % DAY_SPAN)
    sequence = 500 + 100 * block + 2 * (key % 40) + (0 if female else 1)
    first17 = f"{county_code[:6]}{born:%Y%m%d}{sequence:03d}"
    return first17 + idnumbers.check_character(first17)


def _choose_banks(ctx: DemoContext) -> list[Bank]:
    banks = []
    for village in ctx.regions.villages:
        rng = ctx.rng_for("morality_bank", village.code)
        in_bazhong = village.code.startswith(BAZHONG_PREFIX)
        if (in_bazhong and village.code.endswith("001")) or rng.random() < BANK_SHARE[in_bazhong]:
            banks.append(Bank(village, rng))
    return banks


def _residents(banks: list[Bank]) -> list[Resident]:
    # The first heads of the registered poor households of each bank village take part too (one query).
    first_heads = (
        Household.objects.filter(village__in=[b.village.pk for b in banks])
        .annotate(n=Window(RowNumber(), partition_by=F("village_id"), order_by=F("pk").asc()))
        .filter(n__lte=HOUSEHOLD_HEADS)
        .only("pk", "village_id", "head_name", "head_id_number")
    )
    heads = defaultdict(list)
    for household in first_heads:
        heads[household.village_id].append(household)
    taken = {h.head_id_number for households in heads.values() for h in households}
    index_in_county: dict[str, int] = defaultdict(int)
    residents = []
    for bank in banks:
        rng, village = bank.rng, bank.village
        county_code = village.code[:6]
        position = index_in_county[county_code]
        index_in_county[county_code] += 1
        households = heads.get(village.pk, [])
        for household in households:
            bank.residents.append(
                Resident(
                    village=village,
                    name=household.head_name,
                    id_number=household.head_id_number,
                    household=household,
                )
            )
        for number in range(rng.randint(*RESIDENTS)):
            female = rng.random() < 0.5
            id_number = _id_number(county_code, position * 20 + number, female)
            if id_number in taken:
                continue
            name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
            bank.residents.append(Resident(village=village, name=name, id_number=id_number))
        residents += bank.residents
    return residents


def _goods(banks: list[Bank]) -> list[Goods]:
    goods = []
    for bank in banks:
        for name, price in sorted(bank.rng.sample(GOODS, bank.rng.randint(5, 8)), key=lambda g: g[1]):
            bank.goods.append(
                Goods(village=bank.village, name=name, price_points=price, stock=bank.rng.randint(20, 80))
            )
        goods += bank.goods
    return goods


@dataclass
class Event:
    """One ledger movement to replay in date order."""

    date: datetime.date
    order: int
    kind: str
    points: int
    available_from: datetime.date
    category: str = ""
    award: Award | None = None
    redemption: Redemption | None = None
    reverses: Event | None = None
    is_reversed: bool = False
    entry: LedgerEntry | None = None


def _random_day(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.date:
    return first + datetime.timedelta(days=rng.randint(0, (last - first).days))


def _activity(
    ctx: DemoContext, banks: list[Bank], items: list[Item], quarters: list[Quarter], current: Quarter
):
    """Awards, redemptions and reversals per resident, replayed so no balance or stock goes negative."""
    users = ctx.shared.get("accounts.users", {})
    clerk, approver = users.get("village_clerk"), users.get("township_staff")
    awards_items = [i for i in items if i.max_points > 0]
    deduction_items = [i for i in items if i.max_points < 0]
    today = timezone.localdate()
    first, last = quarters[0].first, quarters[-1].last
    awards, redemptions, events_by_resident = [], [], []
    tz = timezone.get_current_timezone()
    for bank in banks:
        rng, village = bank.rng, bank.village
        demo_users = clerk is not None and clerk.village_id == village.pk and approver is not None
        windows = [(q.last - datetime.timedelta(days=WINDOW_DAYS - 1), q.last) for q in quarters]
        for resident in bank.residents:
            events: list[Event] = []
            for _ in range(rng.choice((0, 1, 1, 2, 2, 3))):
                deduction = rng.random() < 0.08
                item = rng.choice(deduction_items if deduction else awards_items)
                date = _random_day(rng, first, last)
                decided = min(date + datetime.timedelta(days=rng.randint(1, 6)), last)
                status = AwardStatus.REJECTED if rng.random() < 0.03 else AwardStatus.APPROVED
                award = Award(
                    village=village,
                    resident=resident,
                    item=item,
                    points=rng.randint(item.min_points, item.max_points),
                    date=date,
                    evidence=rng.choice(
                        ("村民小组推荐", "网格员核实", "村两委评议", "群众举报核实", "入户检查")
                    ),
                    status=status,
                    recorded_by=clerk if demo_users else None,
                    decided_by=approver if demo_users else None,
                    decided_at=datetime.datetime.combine(decided, datetime.time(10), tzinfo=tz),
                    decision_note="核实不符" if status == AwardStatus.REJECTED else "",
                    notice_ends_on=decided + datetime.timedelta(days=NOTICE_DAYS)
                    if status == "approved"
                    else None,
                )
                awards.append(award)
                if status == AwardStatus.APPROVED:
                    kind = EntryKind.AWARD if award.points > 0 else EntryKind.DEDUCTION
                    available = award.notice_ends_on if award.points > 0 else decided
                    events.append(
                        Event(decided, len(events), kind, award.points, available, item.category, award)
                    )
            if rng.random() < 0.25:  # the approval queue: recorded this quarter, not yet decided
                item = rng.choice(awards_items)
                awards.append(
                    Award(
                        village=village,
                        resident=resident,
                        item=item,
                        points=rng.randint(item.min_points, item.max_points),
                        date=_random_day(rng, current.first, today),
                        evidence="待村民代表会议评议",
                        recorded_by=clerk if demo_users else None,
                    )
                )
            for opens, closes in windows:
                if rng.random() < 0.4:
                    events.append(Event(_random_day(rng, opens, closes), 99, EntryKind.REDEMPTION, 0, opens))
            events_by_resident.append((bank, resident, events))

    entries_by_resident = []
    for bank, resident, events in events_by_resident:
        rng, balance, replayed = bank.rng, 0, []
        for event in sorted(events, key=lambda e: (e.date, e.order)):
            if event.kind == EntryKind.REDEMPTION:
                redeemable = balance - sum(
                    e.points
                    for e in replayed
                    if e.kind == EntryKind.AWARD and e.available_from > event.date and not e.is_reversed
                )
                choices = [g for g in bank.goods if g.price_points <= redeemable and g.stock > 0]
                if not choices:
                    continue
                goods = rng.choice(choices)
                quantity = min(rng.randint(1, 3), goods.stock, redeemable // goods.price_points)
                points = goods.price_points * quantity
                goods.stock -= quantity
                event.points = -points
                event.redemption = Redemption(
                    village=bank.village,
                    resident=resident,
                    goods=goods,
                    quantity=quantity,
                    points=points,
                    date=event.date,
                    points_per_yuan=Decimal("1.00"),
                    value_yuan=Decimal(points),
                )
                redemptions.append(event.redemption)
            elif balance + event.points < 0:  # a deduction larger than the balance is not approved
                event.award.status = AwardStatus.REJECTED
                event.award.notice_ends_on = None
                event.award.decision_note = "积分不足，另行处理"
                continue
            balance += event.points
            replayed.append(event)
            if event.kind == EntryKind.AWARD and rng.random() < 0.02 and balance >= event.points:
                reversal = Event(
                    event.date, event.order, EntryKind.REVERSAL, -event.points, event.date, event.category
                )
                reversal.reverses, event.is_reversed = event, True
                balance -= event.points
                replayed.append(reversal)
        resident.balance = balance
        entries_by_resident.append((resident, replayed))
    return awards, redemptions, entries_by_resident


@register(60)
def seed(ctx: DemoContext) -> None:
    banks = _choose_banks(ctx)
    if not banks:
        return
    today = timezone.localdate()
    current = Quarter.of(today)
    quarters = [current.previous()]
    for _ in range(3):
        quarters.insert(0, quarters[0].previous())
    default_catalogue_ensure(actor=SYSTEM)  # shipped by a migration, but a flushed database lacks it
    items = list(Item.objects.filter(county__isnull=True, is_active=True).order_by("category", "name"))
    if not any(i.max_points > 0 for i in items) or not any(i.max_points < 0 for i in items):
        raise DemoError("The default morality-bank catalogue has no active award or deduction items.")

    residents = _residents(banks)
    goods = _goods(banks)
    awards, redemptions, entries_by_resident = _activity(ctx, banks, items, quarters, current)
    with connection.cursor() as cursor:
        # Deferred foreign-key checks pile up in one queue that PostgreSQL walks after every
        # statement, the audit triggers' inserts included: quadratic in the rows of the whole
        # seeding transaction. Checked at once, each insert costs the same however many came before.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    Resident.objects.bulk_create(residents, batch_size=BATCH_SIZE)
    Goods.objects.bulk_create(goods, batch_size=BATCH_SIZE)
    Award.objects.bulk_create(awards, batch_size=BATCH_SIZE)
    Redemption.objects.bulk_create(redemptions, batch_size=BATCH_SIZE)

    originals, reversals = [], []
    for resident, events in entries_by_resident:
        for event in events:
            event.entry = LedgerEntry(
                resident=resident,
                village_id=resident.village_id,
                kind=event.kind,
                points=event.points,
                date=event.date,
                available_from=event.available_from,
                category=event.category,
                award=event.award,
                redemption=event.redemption,
            )
            (reversals if event.reverses else originals).append(event)
    LedgerEntry.objects.bulk_create([e.entry for e in originals], batch_size=BATCH_SIZE)
    for event in reversals:
        event.entry.reverses = event.reverses.entry
    LedgerEntry.objects.bulk_create([e.entry for e in reversals], batch_size=BATCH_SIZE)

    statements = 0
    for quarter in quarters:
        statements += settlement_run(actor=SYSTEM, quarter=quarter).count()
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # Django's default for the rest of the transaction

    ctx.summary.update(
        {
            "morality banks (villages)": len(banks),
            "  residents": len(residents),
            "  awards and deductions": len(awards),
            "  redemptions": len(redemptions),
            "  ledger entries": len(originals) + len(reversals),
            "  quarterly statements": statements,
        }
    )
