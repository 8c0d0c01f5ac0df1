"""The published figures the demo reproduces, the other parameters, and small helpers."""

from __future__ import annotations

import datetime
import math
import random
from collections.abc import Sequence
from decimal import Decimal

from ..models import (
    EDUCATION_ORDER,
    Role,
)

BATCH_SIZE = 2000
D = datetime.date
SNAPSHOT_2014, SNAPSHOT_2019 = D(2014, 12, 31), D(2019, 12, 31)
START_OF_DATA = D(2014, 1, 1)
END_OF_DATA = D(2026, 6, 30)  # fixed, so the same seed gives the same data whenever it runs

BACH, COLL, HIGH, JUNIOR = EDUCATION_ORDER
SHARES_2014 = (0.5, 4.7, 39.9, 54.9)
SHARES_2019 = (1.8, 11.2, 43.6, 43.4)
SHARES_LATE = (6.0, 24.0, 48.0, 22.0)  # joiners after 2019: no published figure, the trend continued
SHARES_GROUP = (0.0, 1.0, 25.0, 74.0)
AGE_2014, AGE_2019 = Decimal("50.1"), Decimal("46.3")
LEAVER_AGE_2014 = Decimal("56.0")  # people in office in 2014 but gone by 2019 were older

# The five Bazhong counties and their villages (apps/villages/demo.py): shares of the city figures.
BAZHONG_VILLAGES = {"511902": 421, "511903": 209, "511921": 549, "511922": 517, "511923": 532}
RESIGNATIONS_2014_2019 = 774
RESIGNATION_WEIGHTS = {2014: 10, 2015: 12, 2016: 15, 2017: 18, 2018: 21, 2019: 24}  # "越来越凸显"
LATE_RESIGNATIONS_PER_VILLAGE_YEAR = 0.03
DEATHS_PER_VILLAGE_YEAR, DISMISSALS_PER_VILLAGE_YEAR = 0.003, 0.002
EXCHANGE_COUNTY = "511922"  # 南江县 (pilot in 东榆镇)
EXCHANGES_BY_YEAR = {2016: 4, 2017: 6, 2018: 7, 2019: 8}  # 25 in office by the end of 2019
ONE_SHOULDER = {"initial": 0.10, 2016: 0.20, 2021: 0.85}
REPLACED_AT_ELECTION = {2016: 0.28, 2021: 0.22}
LARGE_VILLAGE = 1800  # registered residents from which a village has a second committee member
WEALTH_SECRETARIES = (140, 209)  # 恩阳区, 2024
RESERVES_2019, RESERVE_MIGRANTS_2019 = 5650, 2050  # city-wide, "5600 余名 (农民工 2000 余名)"
RESERVE_2019_SHARES = (15.0, 40.0, 38.0, 7.0)
RESERVE_2019_AGE = Decimal("34.0")
RESERVES_2024 = (366, 209)  # per village, from 恩阳区 2024
RESERVE_2024_AGE = Decimal("33.5")
RESERVE_2024_COLLEGE = (281, 366)
RESERVES_STAYING = 0.30  # of the 2019 pool, still in it in 2024
TRAINING_YEARS = (2025, 2026)  # the last full year and this one, up to the end of the data

# Monthly pay (yuan) by role: positions started up to 2019 are in the published bands.
PAY_UNTIL_2019 = {
    Role.SECRETARY: (1630, 1730),
    Role.DIRECTOR: (1410, 1490),
    Role.CLERK: (1210, 1290),
    Role.MEMBER: (1050, 1190),
    Role.GROUP_LEADER: (500, 515),
}
PAY_FROM_2020 = {
    Role.SECRETARY: (2200, 2600),
    Role.DIRECTOR: (1800, 2100),
    Role.CLERK: (1500, 1700),
    Role.MEMBER: (1300, 1450),
    Role.GROUP_LEADER: (500, 515),
}
SEATS = {"S": Role.SECRETARY, "D": Role.DIRECTOR, "C": Role.CLERK, "M1": Role.MEMBER, "M2": Role.MEMBER}

# Birth-place codes valid in each period (GB/T 2260): 达县地区 until 1993, 巴中地区 until 2000.
OLD_CODES = {
    "511902": ("513027", "513701", "511902"),
    "511903": ("513027", "513701", "511902"),  # 恩阳区 was part of 巴州区 until 2013
    "511921": ("513025", "513721", "511921"),
    "511922": ("513026", "513722", "511922"),
    "511923": ("513028", "513723", "511923"),
}
# Counties sharing a birth-place code draw from separate halves of the sequence numbers.
SEQUENCE_HALF = {"511902": 0, "511903": 1}

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯董程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文岳向苟"  # noqa: E501
MALE_CHARS = "军伟勇国华明强建平文俊杰涛斌超刚志德永林成海波兵东春福贵荣清全兴学远宏"
FEMALE_CHARS = "芳丽霞英秀兰萍敏玲燕琴梅桂红艳娟凤琼莉翠云雪慧静"
RESIGNATION_NOTES = (
    "外出务工",
    "收入偏低，难以维持家庭开支",
    "身体原因",
    "家庭原因，需照顾老人和孩子",
    "自主创业",
    "考取乡镇公务员",
    "工作压力大，个人申请辞职",
)
SECRETARY_COURSES = (
    "村党组织书记示范培训班",
    "抓党建促乡村振兴专题培训",
    "村党组织书记履职能力提升培训",
)
CADRE_COURSES = (
    "村“两委”干部能力素质提升培训",
    "基层治理与矛盾纠纷化解培训",
    "农村电商与产业发展技能培训",
    "党纪学习教育专题培训",
    "村级财务管理培训",
)


def apportion(total: int, weights: Sequence[float]) -> list[int]:
    """Integers proportional to ``weights`` summing exactly to ``total`` (largest remainder)."""
    whole = sum(weights)
    if total <= 0 or whole <= 0:
        return [0] * len(weights)
    exact = [total * w / whole for w in weights]
    counts = [math.floor(x) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: (counts[i] - exact[i], i))
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


def county_quota(code: str, villages: int, bazhong_total: int) -> int:
    """A city-wide Bazhong figure's share for this county (exact over the five), or pro rata elsewhere."""
    key = code[:6]
    if key in BAZHONG_VILLAGES:
        keys = sorted(BAZHONG_VILLAGES)
        shares = apportion(bazhong_total, [BAZHONG_VILLAGES[k] for k in keys])
        return shares[keys.index(key)]
    return round(villages * bazhong_total / sum(BAZHONG_VILLAGES.values()))


def random_day(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.date:
    if last <= first:
        return first
    return first + datetime.timedelta(days=rng.randint(0, (last - first).days))


def exact_values(
    rng: random.Random, count: int, total: int, mean: float, sd: float, low: int, high: int
) -> list[int]:
    """``count`` integers in [low, high] around ``mean`` that sum exactly to ``total``."""
    if count == 0:
        return []
    total = min(max(total, low * count), high * count)
    values = [min(max(round(rng.gauss(mean, sd)), low), high) for _ in range(count)]
    gap = total - sum(values)
    while gap:
        i = rng.randrange(count)
        step = 1 if gap > 0 else -1
        if low <= values[i] + step <= high:
            values[i] += step
            gap -= step
    return values
