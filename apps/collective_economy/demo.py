"""Demo collective economy: yearly incomes 2020–2025, support funds, helping-unit pairings and projects.

The ``bazhong`` preset's latest year reproduces the Bazhong study (seeds 000, figure 10):
872 / 1,130 / 121 / 67 / 38 villages per bracket with no empty shells, 357 villages under 5,000 yuan,
105 at or over 100,000, 60% living mostly on non-operating income; and 729 Party-member demonstration
projects with 425 million yuan, benefiting 8,683 households / 28,823 people and lifting 1,034 poor
Party members out of poverty. Earlier years grow into those figures, with empty shells early on.

The city-wide counts are split over Bazhong's five counties by a fixed rule (not by chance), and each
county draws its villages from its own random stream, so 恩阳区 is the same in every preset.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from decimal import Decimal

from apps.core.actors import SYSTEM
from apps.core.demo import DemoContext, register
from apps.core.services import setting_set
from apps.villages.demo import BAZHONG_COUNTIES, ENYANG

from .config import TARGET_VILLAGES
from .models import (
    DevelopmentMode,
    EconomyType,
    FundSource,
    Income,
    ModeKind,
    Pairing,
    Project,
    ProjectStatus,
    SupportFund,
    UnitType,
)

BATCH_SIZE = 2000
YEARS = tuple(range(2020, 2026))
LATEST = YEARS[-1]

# Latest-year categories (cents ranges, upper bound exclusive) and Bazhong's counts of each.
CATEGORIES = {
    "lt_5k": (300_00, 5_000_00),
    "5k_10k": (5_000_00, 10_000_00),
    "10k_50k": (10_000_00, 50_000_00),
    "50k_100k": (50_000_00, 100_000_00),
    "100k_500k": (100_000_00, 500_000_00),
    "gte_500k": (500_000_00, 2_000_000_00),
}
BAZHONG_CATEGORIES = {
    "lt_5k": 357,
    "5k_10k": 872 - 357,
    "10k_50k": 1130,
    "50k_100k": 121,
    "100k_500k": 67,
    "gte_500k": 38,
}
BAZHONG_MOSTLY_NON_OPERATING = round(0.6 * 2228)
BAZHONG_PROJECTS = {
    "count": 729,
    "funds": 425_000_000_00,  # cents
    "households": 8683,
    "people": 28823,
    "poor_party_members": 1034,
}
# Lower brackets live more on land leasing and subsidies (weights for "mostly non-operating").
NON_OPERATING_WEIGHT = {
    "lt_5k": 4.0,
    "5k_10k": 3.0,
    "10k_50k": 1.6,
    "50k_100k": 0.8,
    "100k_500k": 0.5,
    "gte_500k": 0.35,
}
ENYANG_TARGET_VILLAGES = 42  # 恩阳区: 42 villages at 300,000 yuan or more (seeds 004)
INDUSTRIES = (
    "茶叶",
    "中药材",
    "生猪养殖",
    "肉牛养殖",
    "黄花",
    "食用菌",
    "水果",
    "蔬菜",
    "乡村旅游",
    "农村电商",
    "光伏",
    "粮油",
    "青花椒",
    "土鸡养殖",
)
HELPING_UNITS = (
    ("财政局", UnitType.PARTY_GOV),
    ("农业农村局", UnitType.PARTY_GOV),
    ("交通运输局", UnitType.PARTY_GOV),
    ("自然资源局", UnitType.PARTY_GOV),
    ("人民医院", UnitType.INSTITUTION),
    ("职业中学", UnitType.INSTITUTION),
    ("农商银行", UnitType.SOE),
    ("供电公司", UnitType.SOE),
    ("城投公司", UnitType.SOE),
)


def _interleaved(counts: dict[str, int]) -> list[str]:
    """Every label its number of times, spread evenly (a fixed order, no randomness)."""
    items = [((k + 0.5) / n, label) for label, n in counts.items() for k in range(n)]
    return [label for _position, label in sorted(items)]


def _proportional(total: int, weights: list[float]) -> list[int]:
    """Integer shares of ``total`` proportional to ``weights`` that add up exactly (largest remainder)."""
    whole = sum(weights)
    exact = [total * w / whole for w in weights]
    shares = [int(x) for x in exact]
    for i in sorted(range(len(weights)), key=lambda i: (shares[i] - exact[i], i))[: total - sum(shares)]:
        shares[i] += 1
    return shares


def bazhong_plan() -> dict[str, dict]:
    """Each Bazhong county's share of the published figures, by county code (fixed by the county sizes)."""
    categories = _interleaved(BAZHONG_CATEGORIES)
    operating = _interleaved(
        {"non_operating": BAZHONG_MOSTLY_NON_OPERATING, "operating": 2228 - BAZHONG_MOSTLY_NON_OPERATING}
    )
    sizes = [spec.villages for spec in BAZHONG_COUNTIES]
    project_counts = _proportional(BAZHONG_PROJECTS["count"], sizes)
    shares = {
        key: _proportional(value, project_counts) for key, value in BAZHONG_PROJECTS.items() if key != "count"
    }
    plan, offset = {}, 0
    for i, spec in enumerate(BAZHONG_COUNTIES):
        chunk = slice(offset, offset + spec.villages)
        plan[spec.code] = {
            "villages": spec.villages,
            "categories": categories[chunk],
            "non_operating": operating[chunk].count("non_operating"),
            "projects": project_counts[i],
            **{key: values[i] for key, values in shares.items()},
        }
        offset += spec.villages
    return plan


def _cents(rng: random.Random, low: int, high: int) -> int:
    """A log-uniform amount in [low, high) cents: more villages near the bottom of a bracket."""
    return min(high - 1, int(low * (high / low) ** rng.random()))


def _weighted_pick(rng: random.Random, weights: list[float], k: int) -> set[int]:
    """``k`` distinct indexes, each likelier with a bigger weight (Efraimidis–Spirakis keys)."""
    keys = sorted(range(len(weights)), key=lambda i: -(rng.random() ** (1 / weights[i])))
    return set(keys[:k])


def _split_sources(rng: random.Random, total: int, non_operating: bool) -> dict[str, Decimal]:
    """The year's total (cents) over the five sources; operating under half iff ``non_operating``."""
    if total == 0:
        return {}
    share = rng.uniform(0.05, 0.45) if non_operating else rng.uniform(0.55, 0.92)
    operating = int(total * share)
    rest = total - operating
    weights = [rng.uniform(0.3, 0.8), rng.uniform(0.05, 0.25), rng.uniform(0.05, 0.3), rng.uniform(0.0, 0.1)]
    resource, investment, subsidy, other = _proportional(rest, weights)
    cents = {
        "operating": operating,
        "resource": resource,
        "investment": investment,
        "subsidy": subsidy,
        "other": other,
    }
    return {name: Decimal(value).scaleb(-2) for name, value in cents.items()}


def _history(rng: random.Random, latest: int, category: str) -> dict[int, int]:
    """Totals (cents) of every demo year, growing into ``latest``; poor villages were empty shells early on."""
    totals = {LATEST: latest}
    current = latest
    for year in reversed(YEARS[:-1]):
        growth = min(0.6, max(-0.25, rng.gauss(0.12, 0.12)))
        current = int(current / (1 + growth))
        totals[year] = current
    empty_chance = {"lt_5k": 0.35, "5k_10k": 0.15, "10k_50k": 0.03}.get(category, 0)
    if rng.random() < empty_chance:
        for year in YEARS[: rng.randint(1, 3)]:
            totals[year] = 0
    return totals


class CountyBuilder:
    """The demo records of one county, drawn from the county's own random stream."""

    def __init__(self, ctx: DemoContext, county, villages: list, modes: dict, plan: dict | None):
        self.rng = ctx.rng_for("collective_economy", county.code)
        self.county, self.villages, self.modes = county, villages, modes
        self.plan = plan if plan and plan["villages"] == len(villages) else None

    def categories(self) -> list[str]:
        if self.plan:
            labels = list(self.plan["categories"])
            self.rng.shuffle(labels)
            return labels
        names = list(BAZHONG_CATEGORIES)
        weights = list(BAZHONG_CATEGORIES.values())
        return self.rng.choices(names, weights=weights, k=len(self.villages))

    def incomes(self, categories: list[str]) -> tuple[list[Income], dict[int, int]]:
        rng = self.rng
        count = (
            self.plan["non_operating"] if self.plan else round(len(self.villages) * rng.uniform(0.5, 0.65))
        )
        non_operating = _weighted_pick(rng, [NON_OPERATING_WEIGHT[c] for c in categories], count)
        village_modes = self.modes.get(ModeKind.VILLAGE, [])
        rows, latest = [], {}
        for i, (village, category) in enumerate(zip(self.villages, categories, strict=True)):
            low, high = CATEGORIES[category]
            totals = _history(rng, _cents(rng, low, high), category)
            latest[village.pk] = totals[LATEST]
            mostly_non_operating = i in non_operating
            economy_type = (
                rng.choices(
                    [EconomyType.RESOURCE, EconomyType.FARMING, EconomyType.OTHER], weights=[6, 3, 1]
                )[0]
                if mostly_non_operating
                else rng.choices(
                    [EconomyType.FARMING, EconomyType.SERVICE, EconomyType.RESOURCE], weights=[5, 3, 2]
                )[0]
            )
            mode = rng.choice(village_modes) if village_modes and rng.random() < 0.45 else None
            for year in YEARS:
                rows.append(
                    Income(
                        village=village,
                        year=year,
                        economy_type=economy_type if totals[year] else "",
                        development_mode=mode if totals[year] else None,
                        **_split_sources(rng, totals[year], mostly_non_operating),
                    )
                )
        return rows, latest

    def support_funds(self) -> list[SupportFund]:
        rng, funds = self.rng, []
        for village in self.villages:
            funds.append(
                SupportFund(
                    village=village,
                    year=rng.choice((2020, 2021)),
                    amount=Decimal(rng.randrange(20, 51) * 1000),
                    source=rng.choice((FundSource.COUNTY, FundSource.CITY)),
                    use="村集体经济发展扶持基金",
                )
            )
            if rng.random() < 0.3:
                funds.append(
                    SupportFund(
                        village=village,
                        year=rng.choice(YEARS[2:]),
                        amount=Decimal(rng.randrange(10, 201) * 1000),
                        source=rng.choice(
                            (FundSource.PROVINCIAL, FundSource.HELPING_UNIT, FundSource.CENTRAL)
                        ),
                        use=rng.choice(("产业发展项目配套", "集体经济实体入股", "基础设施建设")),
                    )
                )
        return funds

    def pairings(self, latest: dict[int, int]) -> list[Pairing]:
        """Villages under 100,000 yuan get a helping unit of the county (a few are still waiting)."""
        rng, rows = self.rng, []
        for village in self.villages:
            if latest[village.pk] >= 100_000_00 or rng.random() < 0.03:
                continue
            unit, unit_type = rng.choice(HELPING_UNITS)
            rows.append(
                Pairing(
                    village=village,
                    unit_name=f"{self.county.name}{unit}",
                    unit_type=unit_type,
                    start_year=rng.choice((2021, 2022, 2023, 2024)),
                )
            )
        return rows

    def projects(self) -> list[Project]:
        rng = self.rng
        if self.plan:
            count, funds = self.plan["projects"], self.plan["funds"]
            households, people, poor = (
                self.plan["households"],
                self.plan["people"],
                self.plan["poor_party_members"],
            )
        else:
            count = round(len(self.villages) * BAZHONG_PROJECTS["count"] / 2228 * rng.uniform(0.8, 1.2))
            funds = int(count * 583_000_00 * rng.uniform(0.8, 1.2))
            households = int(count * 11.9 * rng.uniform(0.8, 1.2))
            people = int(households * rng.uniform(3.1, 3.5))
            poor = int(count * 1.4 * rng.uniform(0.8, 1.2))
        if count == 0:
            return []
        weights = [rng.lognormvariate(0, 0.7) for _ in range(count)]
        funds_each = _proportional(funds, weights)
        households_each = _proportional(households, weights)
        extra_people = _proportional(people - households, [h + 0.01 for h in households_each])
        poor_each = _proportional(poor, weights)
        modes = self.modes.get(ModeKind.PROJECT, [None])
        names: set[tuple[int, str]] = set()
        rows = []
        for i in range(count):
            village = rng.choice(self.villages)
            name = f"{village.name}{rng.choice(INDUSTRIES)}党员示范项目"
            phase = 1
            while (village.pk, name) in names:  # a village's second project of a kind is its next phase
                phase += 1
                name = f"{name.split('（')[0]}（{phase}期）"
            names.add((village.pk, name))
            start_year = rng.randint(2016, LATEST)
            status = ProjectStatus.ONGOING
            if start_year <= 2021:
                status = rng.choices(
                    [ProjectStatus.COMPLETED, ProjectStatus.ONGOING, ProjectStatus.RECTIFYING],
                    weights=[80, 15, 5],
                )[0]
            total = funds_each[i]
            demonstration = int(total * rng.uniform(0.08, 0.15))
            agricultural = int(total * rng.uniform(0.3, 0.45))
            department = int(total * rng.uniform(0.15, 0.25))
            social = int((total - demonstration - agricultural - department) * rng.uniform(0.6, 1.0))
            rows.append(
                Project(
                    village=village,
                    name=name,
                    mode=rng.choice(modes),
                    start_year=start_year,
                    status=status,
                    funds_total=Decimal(total).scaleb(-2),
                    funds_demonstration=Decimal(demonstration).scaleb(-2),
                    funds_agricultural=Decimal(agricultural).scaleb(-2),
                    funds_department=Decimal(department).scaleb(-2),
                    funds_social=Decimal(social).scaleb(-2),
                    households_benefiting=households_each[i],
                    people_benefiting=households_each[i] + extra_people[i],
                    poor_party_members_lifted=poor_each[i],
                )
            )
        return rows


@register(50)
def seed(ctx: DemoContext) -> None:
    modes: dict[str, list] = defaultdict(list)
    for mode in DevelopmentMode.objects.filter(is_active=True).order_by("kind", "position", "code"):
        modes[mode.kind].append(mode)
    plan = bazhong_plan()
    by_county = defaultdict(list)
    for village in ctx.regions.villages:
        by_county[village.county_id].append(village)

    incomes, funds, pairings, projects = [], [], [], []
    for county in ctx.regions.counties:
        villages = by_county.get(county.pk, [])
        if not villages:
            continue
        builder = CountyBuilder(ctx, county, villages, modes, plan.get(county.code))
        rows, latest = builder.incomes(builder.categories())
        incomes += rows
        funds += builder.support_funds()
        pairings += builder.pairings(latest)
        projects += builder.projects()

    Income.objects.bulk_create(incomes, batch_size=BATCH_SIZE)
    SupportFund.objects.bulk_create(funds, batch_size=BATCH_SIZE)
    Pairing.objects.bulk_create(pairings, batch_size=BATCH_SIZE)
    Project.objects.bulk_create(projects, batch_size=BATCH_SIZE)

    enyang = ctx.regions.get(ENYANG.code)
    if enyang is not None:
        setting_set(
            actor=SYSTEM,
            key=TARGET_VILLAGES.key,
            value=ENYANG_TARGET_VILLAGES,
            valid_from=datetime.date(LATEST, 1, 1),
            county=enyang,
            note="恩阳区：力争年内集体经济收入30万元以上的村达到42个",
        )

    ctx.summary.update(
        {
            f"collective incomes ({YEARS[0]}–{LATEST})": len(incomes),
            "collective support funds": len(funds),
            "helping-unit pairings": len(pairings),
            "collective projects": len(projects),
        }
    )
