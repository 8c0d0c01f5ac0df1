"""Demo regions: 巴中市 and its counties, townships and villages (scale from DOMAIN.md).

Presets:
- ``enyang``: 巴中市 with only 恩阳区: 18 towns, 209 villages.
- ``bazhong``: 巴中市 with its 5 counties/districts: 2,228 villages, 598 poor villages that
  exited 2014–2018; 恩阳区 is identical to the ``enyang`` preset's.
- ``province``: 巴中市 as in ``bazhong`` plus 7 made-up cities (codes 5161–5167), 25,000 villages.
- ``nation-sample``: the ``province`` cities unchanged plus 24 made-up cities in four made-up provinces
  (codes 52xx, 53xx, 61xx, 62xx), 100,000 villages: the scale benchmarks/run.py measures growth at.

Names and counts are plausible, not official. Each county draws from its own random stream
(seed + county code), so a county comes out the same in every preset that contains it.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pgtrigger
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from apps.core.configuration import value_of
from apps.core.demo import DemoContext, DemoError, register

from .codes import validate_code_prefix, validate_region_code
from .config import REPEAT_CASE_WINDOW_YEARS
from .models import (
    CentralHousehold,
    City,
    County,
    OrganisationKind,
    PartyGrid,
    PartyOrganisation,
    PartyOrganisationVillage,
    PovertyStatus,
    Rating,
    RatingLevel,
    Rectification,
    RectificationMeasure,
    RectificationNote,
    RectificationStatus,
    Township,
    Village,
)

BATCH_SIZE = 2000
SHANGHAI = ZoneInfo("Asia/Shanghai")
EXIT_YEARS = (2014, 2015, 2016, 2017, 2018)
POOR_EXIT_WEIGHTS = (2, 3, 3, 3, 2)
DEEP_POOR_EXIT_WEIGHTS = (0, 1, 2, 3, 3)
DEEP_POOR_SHARE = 0.1
PROVINCE_VILLAGES = 25_000
NATION_SAMPLE_VILLAGES = 100_000
# The nation sample's extra cities: six in each of four made-up provinces.
NATION_SAMPLE_PROVINCES = ("52", "53", "61", "62")
NATION_SAMPLE_CITIES_PER_PROVINCE = 6

# Township code blocks, as in the statistical codes: subdistricts 001–, towns 101–, townships 201–.
TOWNSHIP_CODE_START = {"街道": 1, "镇": 101, "乡": 201}
TOWNSHIP_SUFFIXES = ("街道", "镇", "乡")

SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯董程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛"
    "叶余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常"
    "武乔贺赖龚文岳向"
)
FIRST_SYLLABLES = (
    "红白青黄金银石龙凤鹤马牛鹿松柏桃梨杏竹梅兰荷茶桑稻麦新永兴长安和平太福寿光明东西南中上下大小"
    "高双三五七九万千百玉天云碧清盘观"
)
SECOND_SYLLABLES = "山水河溪泉湾坝坪岭岩坡垭沟口桥塘池林园田庄寺庙场铺店堡寨坎梁峰台滩洲门阳丰华乐"


@dataclass(frozen=True)
class CountySpec:
    code: str
    name: str
    townships: int
    villages: int
    poor: int
    # Real or plausible township names taken first; the rest are generated.
    township_names: tuple[str, ...] = ()
    subdistricts: int = 0  # how many generated townships are 街道


@dataclass(frozen=True)
class CitySpec:
    code: str
    name: str
    counties: tuple[CountySpec, ...]


ENYANG = CountySpec(
    "511903000000",
    "恩阳区",
    townships=18,
    villages=209,
    poor=70,
    township_names=(
        "登科街道",
        "文治街道",
        "柳林镇",
        "玉山镇",
        "茶坝镇",
        "花丛镇",
        "上八庙镇",
        "下八庙镇",
        "渔溪镇",
        "三河场镇",
        "群乐镇",
        "双胜镇",
        "明阳镇",
        "关公镇",
        "三汇镇",
        "义兴镇",
        "石城乡",
        "舞凤乡",
    ),
)
BAZHONG_COUNTIES = (
    CountySpec(
        "511902000000",
        "巴州区",
        townships=23,
        villages=421,
        poor=100,
        township_names=(
            "江北街道",
            "东城街道",
            "西城街道",
            "回风街道",
            "宕梁街道",
            "兴文街道",
            "时新街道",
            "曾口镇",
            "梁永镇",
            "清江镇",
            "化成镇",
            "水宁寺镇",
            "大茅坪镇",
            "三江镇",
            "鼎山镇",
            "光辉镇",
            "平梁镇",
            "青木镇",
            "天马山镇",
            "大和乡",
            "凌云乡",
            "寺岭乡",
            "金碑乡",
        ),
    ),
    ENYANG,
    CountySpec(
        "511921000000",
        "通江县",
        townships=49,
        villages=549,
        poor=150,
        township_names=(
            "诺江镇",
            "沙溪镇",
            "至诚镇",
            "广纳镇",
            "铁溪镇",
            "毛浴镇",
            "永安镇",
            "涪阳镇",
            "洪口镇",
            "泥溪镇",
            "空山镇",
            "陈河镇",
            "火炬镇",
            "春在镇",
            "民胜镇",
            "唱歌镇",
        ),
    ),
    CountySpec(
        "511922000000",
        "南江县",
        townships=48,
        villages=517,
        poor=138,
        township_names=(
            "南江镇",
            "长赤镇",
            "正直镇",
            "大河镇",
            "光雾山镇",
            "东榆镇",
            "下两镇",
            "赤溪镇",
            "沙河镇",
            "关坝镇",
            "杨坝镇",
            "红光镇",
        ),
    ),
    CountySpec(
        "511923000000",
        "平昌县",
        townships=42,
        villages=532,
        poor=140,
        township_names=(
            "江口镇",
            "白衣镇",
            "驷马镇",
            "岳家镇",
            "云台镇",
            "得胜镇",
            "镇龙镇",
            "佛楼镇",
            "土兴镇",
            "兰草镇",
            "笔山镇",
            "响滩镇",
            "元山镇",
        ),
    ),
)
BAZHONG = CitySpec("511900000000", "巴中市", BAZHONG_COUNTIES)
MADE_UP_CITIES = (
    ("516100000000", "嘉陵市"),
    ("516200000000", "米仓市"),
    ("516300000000", "龙门市"),
    ("516400000000", "岷江市"),
    ("516500000000", "沱江市"),
    ("516600000000", "涪江市"),
    ("516700000000", "青衣市"),
)


def _split(rng: random.Random, total: int, parts: int, minimum: int) -> list[int]:
    """``parts`` random shares of ``total``, each at least ``minimum``, summing exactly to ``total``."""
    spare = total - minimum * parts
    if spare < 0:
        raise DemoError(f"Cannot split {total} into {parts} parts of at least {minimum}.")
    weights = [rng.uniform(0.6, 1.4) for _ in range(parts)]
    exact = [spare * w / sum(weights) for w in weights]
    shares = [int(x) for x in exact]
    by_remainder = sorted(range(parts), key=lambda i: (shares[i] - exact[i], i))
    for i in by_remainder[: spare - sum(shares)]:
        shares[i] += 1
    return [minimum + share for share in shares]


def _stem(township_name: str) -> str:
    for suffix in TOWNSHIP_SUFFIXES:
        if township_name.endswith(suffix) and len(township_name) > len(suffix) + 1:
            return township_name.removesuffix(suffix)
    return township_name


def _place_name(rng: random.Random, used: set[str], suffix: str) -> str:
    for _attempt in range(1000):
        name = rng.choice(FIRST_SYLLABLES) + rng.choice(SECOND_SYLLABLES) + suffix
        if name not in used and not name.startswith(tuple(u[:2] for u in used if len(u) > 2)):
            used.add(name)
            return name
    raise DemoError(f"Ran out of {suffix} names.")


def _made_up_city(rng: random.Random, city_code: str, city_name: str, city_villages: int) -> CitySpec:
    """A city of 6–9 made-up districts and counties sharing ``city_villages``."""
    districts, count = rng.randint(1, 3), rng.randint(6, 9)
    codes = [f"{i:02d}" for i in range(2, 2 + districts)] + [
        f"{i}" for i in range(21, 21 + count - districts)
    ]
    used: set[str] = {city_name}
    counties = []
    for code, villages in zip(codes, _split(rng, city_villages, count, 200), strict=True):
        district = int(code) < 21
        counties.append(
            CountySpec(
                code=f"{city_code[:4]}{code}000000",
                name=_place_name(rng, used, "区" if district else "县"),
                townships=max(8, round(villages / rng.uniform(11, 15))),
                villages=villages,
                poor=round(villages * rng.uniform(0.2, 0.32)),
                subdistricts=rng.randint(2, 4) if district else 0,
            )
        )
    return CitySpec(city_code, city_name, tuple(counties))


def _province_cities(ctx: DemoContext) -> list[CitySpec]:
    rng = ctx.rng_for("villages", "province")
    totals = _split(
        rng, PROVINCE_VILLAGES - sum(c.villages for c in BAZHONG_COUNTIES), len(MADE_UP_CITIES), 2500
    )
    cities = [BAZHONG]
    for (city_code, city_name), city_villages in zip(MADE_UP_CITIES, totals, strict=True):
        cities.append(_made_up_city(rng, city_code, city_name, city_villages))
    return cities


def _nation_sample_cities(ctx: DemoContext) -> list[CitySpec]:
    """The province's cities as they are, then made-up cities up to ``NATION_SAMPLE_VILLAGES`` (own stream)."""
    cities = _province_cities(ctx)
    rng = ctx.rng_for("villages", "nation-sample")
    codes = [
        f"{province}{number:02d}00000000"
        for province in NATION_SAMPLE_PROVINCES
        for number in range(1, NATION_SAMPLE_CITIES_PER_PROVINCE + 1)
    ]
    totals = _split(rng, NATION_SAMPLE_VILLAGES - PROVINCE_VILLAGES, len(codes), 2500)
    used = {name for _code, name in MADE_UP_CITIES} | {BAZHONG.name}
    for city_code, city_villages in zip(codes, totals, strict=True):
        cities.append(_made_up_city(rng, city_code, _place_name(rng, used, "市"), city_villages))
    return cities


def preset_cities(ctx: DemoContext) -> list[CitySpec]:
    if ctx.preset == "enyang":
        return [CitySpec(BAZHONG.code, BAZHONG.name, (ENYANG,))]
    if ctx.preset == "bazhong":
        return [BAZHONG]
    if ctx.preset == "nation-sample":
        return _nation_sample_cities(ctx)
    return _province_cities(ctx)


def _township_names(spec: CountySpec, rng: random.Random) -> list[str]:
    names = list(spec.township_names[: spec.townships])
    used = set(names)
    for i in range(spec.townships - len(names)):
        suffix = "街道" if i < spec.subdistricts else "乡" if rng.random() < 0.2 else "镇"
        names.append(_place_name(rng, used, suffix))
    return names


def _township_codes(county_code: str, names: list[str]) -> list[str]:
    """Codes in the statistical order (subdistricts, towns, townships); returned in ``names`` order."""
    next_number = dict(TOWNSHIP_CODE_START)
    codes = []
    for name in names:
        suffix = next(s for s in TOWNSHIP_SUFFIXES if name.endswith(s))
        number = next_number[suffix]
        next_number[suffix] += 1
        if number % 100 == 0:
            raise DemoError(f"Too many {suffix} in county {county_code}.")
        codes.append(f"{county_code[:6]}{number:03d}000")
    return codes


def _village_name(rng: random.Random, used: set[str]) -> str:
    for _attempt in range(1000):
        if rng.random() < 0.35:
            name = rng.choice(SURNAMES) + "家村"
        else:
            name = rng.choice(FIRST_SYLLABLES) + rng.choice(SECOND_SYLLABLES) + "村"
        if name not in used:
            used.add(name)
            return name
    raise DemoError("Ran out of village names.")


def _village_fields(rng: random.Random, status: str) -> dict:
    registered = round(rng.triangular(600, 3500, 1400))
    poor = status != PovertyStatus.NONE
    exit_year = None
    if poor:
        weights = DEEP_POOR_EXIT_WEIGHTS if status == PovertyStatus.DEEP_POOR else POOR_EXIT_WEIGHTS
        exit_year = rng.choices(EXIT_YEARS, weights=weights)[0]
    remote_chance = {PovertyStatus.DEEP_POOR: 0.45, PovertyStatus.POOR: 0.25}.get(status, 0.08)
    is_remote = rng.random() < remote_chance
    return {
        "population_registered": registered,
        "population_resident": round(registered * rng.uniform(0.5, 0.9)),
        "households": round(registered / rng.uniform(2.9, 3.5)),
        "poverty_status": status,
        "exit_year": exit_year,
        "is_minority": rng.random() < 0.03,
        "is_remote": is_remote,
        "notes": f"距乡镇政府约{rng.randint(12, 45)}公里，以山路为主" if is_remote else "",
    }


def _checked(code: str, level: str, parent=None) -> str:
    try:
        validate_region_code(code, level)
        if parent is not None:
            validate_code_prefix(code, parent.code, parent.level)
    except ValidationError as exc:
        raise DemoError(f"Generated an invalid {level} code {code}: {' '.join(exc.messages)}") from exc
    return code


def _plan_county(ctx: DemoContext, county: County, spec: CountySpec) -> list[tuple[Township, list[dict]]]:
    """The county's townships (unsaved) with the field values of their villages."""
    rng = ctx.rng_for("villages", spec.code)
    names = _township_names(spec, rng)
    codes = _township_codes(spec.code, names)
    sizes = _split(rng, spec.villages, spec.townships, 4)
    statuses = [PovertyStatus.NONE] * spec.villages
    poor = rng.sample(range(spec.villages), spec.poor)
    deep = set(rng.sample(sorted(poor), round(spec.poor * DEEP_POOR_SHARE)))
    for i in poor:
        statuses[i] = PovertyStatus.DEEP_POOR if i in deep else PovertyStatus.POOR
    plan, position = [], 0
    for name, code, size in sorted(zip(names, codes, sizes, strict=True), key=lambda t: t[1]):
        township = Township(code=_checked(code, "township", county), name=name, county=county)
        if size > 999:
            raise DemoError(f"Township {name} would get {size} villages.")
        first = f"{_stem(name)}村"  # the village at the township seat shares its name
        used = {first}
        villages = []
        for number in range(1, size + 1):
            fields = _village_fields(rng, statuses[position])
            fields["code"] = _checked(f"{code[:9]}{number:03d}", "village", township)
            fields["name"] = first if number == 1 else _village_name(rng, used)
            villages.append(fields)
            position += 1
        plan.append((township, villages))
    return plan


@register(10)
def seed(ctx: DemoContext) -> None:
    specs = preset_cities(ctx)
    cities = [City(code=_checked(c.code, "city"), name=c.name) for c in specs]
    City.objects.bulk_create(cities)
    counties, county_specs = [], []
    for city, city_spec in zip(cities, specs, strict=True):
        for spec in city_spec.counties:
            counties.append(County(code=_checked(spec.code, "county", city), name=spec.name, city=city))
            county_specs.append(spec)
    County.objects.bulk_create(counties)

    plans = [_plan_county(ctx, county, spec) for county, spec in zip(counties, county_specs, strict=True)]
    townships = [township for plan in plans for township, _villages in plan]
    Township.objects.bulk_create(townships, batch_size=BATCH_SIZE)
    villages = [
        Village(township=township, county=township.county, **fields)
        for plan in plans
        for township, rows in plan
        for fields in rows
    ]
    Village.objects.bulk_create(villages, batch_size=BATCH_SIZE)

    regions = ctx.regions
    regions.cities = sorted(cities, key=lambda r: r.code)
    regions.counties = sorted(counties, key=lambda r: r.code)
    regions.townships = sorted(townships, key=lambda r: r.code)
    regions.villages = sorted(villages, key=lambda r: r.code)
    for level in (regions.cities, regions.counties, regions.townships, regions.villages):
        regions.by_code.update((region.code, region) for region in level)

    poor = sum(v.poverty_status != PovertyStatus.NONE for v in villages)
    deep = sum(v.poverty_status == PovertyStatus.DEEP_POOR for v in villages)
    ctx.summary.update(
        {
            "cities": len(cities),
            "counties/districts": len(counties),
            "townships": len(townships),
            "villages": len(villages),
            "poor villages (exited 2014–2018)": poor,
            "  of which deeply poor": deep,
        }
    )


# Party organisations, ratings 2014–2025 and rectification (order 45: after the cadres, whose current
# secretaries become the organisations' secretaries when they were seeded).
#
# Bazhong's published figures: 1,435 organisations rectified since 2014 (64.4% of its 2,228 villages),
# the current split 20% advanced / 70% ordinary / 10% weak and lax, and 45 joint organisations founded
# 2015–2019. Every city gets the same proportions, allocated to its counties by largest remainder, so
# Bazhong's totals are exact and each county comes out the same in every preset that contains it.

PARTY_YEARS = tuple(range(2014, 2026))
RECTIFIED_PER_VILLAGE = (1435, 2228)
JOINT_PER_VILLAGE = (45, 2228)
# Percent of the rated organisations. Every organisation first rated weak and lax was so in 2014–2019,
# the period of the published report, so "1,435 since 2014" holds for 2019 and for today; later weak
# ratings are relapses of organisations rectified before.
WEAK_SHARES = dict(zip(PARTY_YEARS, (14, 13, 12, 11, 10, 9, 8, 8, 8, 9, 10, 10), strict=True))
FIRST_WEAK_YEARS = PARTY_YEARS[:6]
ADVANCED_SHARES = dict(zip(PARTY_YEARS, (8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 20), strict=True))
JOINT_FOUNDING_WEIGHTS = {2015: 3, 2016: 7, 2017: 10, 2018: 12, 2019: 13}
GRID_COUNTIES = ("511903000000",)  # the four-level chain is recorded for 恩阳区 (its 2024 study)
PROBLEMS = (
    "班子不团结，议事决策不规范",
    "书记长期缺职，班子软弱无力",
    "集体经济薄弱，带领群众致富能力不强",
    "党员教育管理松散，组织生活不正常",
    "村务财务管理混乱，群众意见较大",
    "宗族势力干扰村务，组织号召力弱",
    "脱贫攻坚任务落实不力，帮扶措施流于形式",
    "阵地建设滞后，服务群众能力弱",
)
PROGRESS = (
    "召开专题组织生活会，查摆问题并建立整改台账",
    "驻村工作组入驻，完成村两委班子调整",
    "制定整顿方案，报乡镇党委审定",
    "县级领导到村调研，现场解决突出问题",
    "开展党员集中轮训，规范“三会一课”",
    "集体经济项目落地，村集体新增收入",
    "完善村务公开和民主议事制度",
    "结对共建单位到村开展帮带活动",
)
LEADER_TITLES = ("县委常委", "县人大常委会副主任", "副县长", "县政协副主席", "乡镇党委书记", "乡镇党委副书记")
ADVANCED_REASONS = ("班子坚强有力，集体经济发展较快", "党建引领产业发展成效明显", "服务群众成效突出")


def _bulk_create_with_history(model, rows: list) -> None:
    """``bulk_create`` ``rows`` and write their audit-trail insert events in one ``INSERT … SELECT``.

    pghistory's row trigger runs a subtransaction per row (its context lookup), and inside seed_demo's
    single transaction the cost of each one grows with every row already written: tens of thousands of
    historic ratings would take minutes. So the insert trigger is paused for the bulk insert and the very
    same events (all columns, label ``insert``, seed_demo's context) are written set-based afterwards.
    """
    opts = model._meta
    with pgtrigger.ignore(f"{opts.app_label}.{model.__name__}:insert_insert"):
        model.objects.bulk_create(rows, batch_size=BATCH_SIZE)
    event = apps.get_model(opts.app_label, f"{model.__name__}Event")
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in event._meta.concrete_fields if not f.name.startswith("pgh_"))
    sql = (
        f"INSERT INTO {quote(event._meta.db_table)} "  # noqa: S608 - names from the models, values as parameters
        f'("pgh_created_at", "pgh_label", "pgh_obj_id", "pgh_context_id", {columns}) '
        f"SELECT NOW(), 'insert', {quote(opts.pk.column)}, (SELECT _pgh_attach_context()), {columns} "
        f"FROM {quote(opts.db_table)} WHERE {quote(opts.pk.column)} = ANY(%s)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [[row.pk for row in rows]])


def _largest_remainder(total: int, weights: list[int]) -> list[int]:
    """Split ``total`` in proportion to ``weights`` into whole numbers that add up exactly."""
    whole = sum(weights)
    exact = [total * w / whole for w in weights]
    shares = [int(x) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: (shares[i] - exact[i], i))
    for i in order[: total - sum(shares)]:
        shares[i] += 1
    return shares


def _county_targets(ctx: DemoContext, villages_by_county: dict[int, list]) -> dict[int, tuple[int, int]]:
    """County id → (organisations rectified since 2014, joint organisations), exact per city."""
    targets = {}
    for city in ctx.regions.cities:
        counties = [c for c in ctx.regions.counties if c.city_id == city.pk]
        sizes = [len(villages_by_county[c.pk]) for c in counties]
        n = sum(sizes)
        rectified = _largest_remainder(round(n * RECTIFIED_PER_VILLAGE[0] / RECTIFIED_PER_VILLAGE[1]), sizes)
        joint = _largest_remainder(round(n * JOINT_PER_VILLAGE[0] / JOINT_PER_VILLAGE[1]), sizes)
        targets.update({c.pk: (r, j) for c, r, j in zip(counties, rectified, joint, strict=True)})
    return targets


def _random_date(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    return start + datetime.timedelta(days=rng.randint(0, max((end - start).days, 0)))


def _village_organisation(rng: random.Random, village, secretary_id) -> PartyOrganisation:
    members = round(rng.triangular(12, 140, 35))
    if members >= 100:
        kind, suffix = OrganisationKind.COMMITTEE, "委员会"
    elif members >= 50:
        kind, suffix = OrganisationKind.GENERAL_BRANCH, "总支部委员会"
    else:
        kind, suffix = OrganisationKind.BRANCH, "支部委员会"
    return PartyOrganisation(
        name=f"中共{village.name}{suffix}",
        kind=kind,
        township_id=village.township_id,
        county_id=village.county_id,
        members_count=members,
        founded_on=_random_date(rng, datetime.date(1950, 1, 1), datetime.date(1999, 12, 31)),
        secretary_id=secretary_id,
    )


def _joint_groups(rng: random.Random, villages: list, count: int) -> list[list]:
    """``count`` groups of 2–4 neighbouring villages (consecutive codes) of one township, disjoint."""
    by_township: dict[int, list] = {}
    for village in villages:
        by_township.setdefault(village.township_id, []).append(village)
    townships = [vs for vs in by_township.values() if len(vs) >= 4]
    groups, used = [], set()
    for _attempt in range(count * 50):
        if len(groups) == count or not townships:
            break
        members = rng.choice(townships)
        size = rng.choice((2, 2, 3, 3, 4))
        start = rng.randrange(0, len(members) - size + 1)
        group = members[start : start + size]
        if used.isdisjoint(v.pk for v in group):
            used.update(v.pk for v in group)
            groups.append(group)
    if len(groups) < count:
        raise DemoError(f"Could not place {count} joint organisations.")
    return groups


def _joint_organisation(rng: random.Random, group: list, year: int) -> PartyOrganisation:
    names = "".join(v.name for v in group) if len(group) <= 2 else f"{group[0].name}等{len(group)}村"
    return PartyOrganisation(
        name=f"中共{names}联合委员会",
        kind=OrganisationKind.COMMITTEE,
        township_id=group[0].township_id,
        county_id=group[0].county_id,
        is_joint=True,
        members_count=round(rng.uniform(60, 180)),
        founded_on=_random_date(rng, datetime.date(year, 1, 1), datetime.date(year, 12, 31)),
    )


def _weak_plan(rng: random.Random, organisations: list, village_count: int, rectified: int) -> dict[int, set]:
    """Year → indexes of the organisations rated weak and lax: exactly ``rectified`` distinct village
    organisations, all first rated so in ``FIRST_WEAK_YEARS``; the yearly counts follow ``WEAK_SHARES``."""
    rated = {y: [i for i, o in enumerate(organisations) if _rated_in(o, y)] for y in PARTY_YEARS}
    weak_counts = {y: round(len(rated[y]) * WEAK_SHARES[y] / 100) for y in PARTY_YEARS}
    first_year, *later_years = FIRST_WEAK_YEARS
    first = min(weak_counts[first_year], rectified)
    later = _largest_remainder(rectified - first, [weak_counts[y] for y in later_years])
    new_counts = {first_year: first, **dict(zip(later_years, later, strict=True))}
    if any(new_counts[y] > weak_counts[y] for y in FIRST_WEAK_YEARS):
        raise DemoError("Too few weak-and-lax ratings for the organisations to rectify.")
    fresh = iter(rng.sample(range(village_count), rectified))  # village organisations come first
    plan: dict[int, set] = {}
    seen: list[int] = []
    for year in PARTY_YEARS:
        new = [next(fresh) for _ in range(new_counts.get(year, 0))]
        # Relapses: preferably organisations that were not weak and lax the year before.
        pool = [i for i in seen if i not in plan.get(year - 1, set())] or seen
        repeats = rng.sample(pool, min(weak_counts[year] - len(new), len(pool)))
        plan[year] = set(new) | set(repeats)
        seen.extend(new)
    return plan


def _rated_in(organisation: PartyOrganisation, year: int) -> bool:
    """Joint organisations are first rated the year after they were founded."""
    return organisation.founded_on.year < year if organisation.is_joint else True


def _county_ratings(rng: random.Random, organisations: list, weak: dict[int, set]) -> list[Rating]:
    strength = [rng.uniform(0.6, 1.0) if o.is_joint else rng.random() for o in organisations]
    ratings, previous_weak = [], set()
    for year in PARTY_YEARS:
        rated = [i for i, o in enumerate(organisations) if _rated_in(o, year)]
        advanced_count = round(len(rated) * ADVANCED_SHARES[year] / 100)
        others = [i for i in rated if i not in weak[year]]
        score = {i: strength[i] + rng.gauss(0, 0.15) - (0.5 if i in previous_weak else 0) for i in others}
        advanced = set(sorted(others, key=lambda i: -score[i])[:advanced_count])
        confirmed_at = datetime.datetime(year, 12, rng.randint(15, 28), 10, tzinfo=SHANGHAI)
        for i in rated:
            if i in weak[year]:
                level, reason = RatingLevel.WEAK, rng.choice(PROBLEMS)
            elif i in advanced:
                level, reason = RatingLevel.ADVANCED, rng.choice(ADVANCED_REASONS)
            else:
                level, reason = RatingLevel.ORDINARY, ""
            ratings.append(
                Rating(
                    organisation=organisations[i],
                    year=year,
                    level=level,
                    reason=reason,
                    confirmed_at=confirmed_at,
                )
            )
        previous_weak = weak[year]
    return ratings


def _case_rows(ctx: DemoContext, rng: random.Random, rating: Rating, previous: list[int], window: int, today):
    """The case a weak rating opened, with its progress notes, as far as it has come by ``today``.

    A case runs about a year (the deadline falls in the last quarter of the next year). Long-past cases
    were accepted, some after an extension; recently due ones are mostly accepted, some overdue.
    """
    opened = rating.confirmed_at.date()
    deadline = _random_date(
        rng, datetime.date(rating.year + 1, 10, 1), datetime.date(rating.year + 1, 12, 31)
    )
    case = Rectification(
        organisation=rating.organisation,
        year=rating.year,
        rating=rating,
        problems=rating.reason,
        measures=sorted(
            rng.sample(RectificationMeasure.values, rng.randint(1, 3)), key=RectificationMeasure.values.index
        ),
        responsible_leader=f"{ctx.faker.name()}（{rng.choice(LEADER_TITLES)}）",
        opened_on=opened,
        deadline=deadline,
        is_repeat=any(0 < rating.year - y <= window for y in previous),
    )
    roll = rng.random()
    earliest_acceptance = opened + datetime.timedelta(days=90)
    if deadline < today - datetime.timedelta(days=365) or (deadline < today and roll < 0.7):
        if roll < 0.12:
            case.deadline = deadline + datetime.timedelta(days=rng.randint(60, 120))
        case.status = RectificationStatus.ACCEPTED
        case.accepted_on = min(_random_date(rng, earliest_acceptance, case.deadline), today)
    elif deadline < today:
        if roll < 0.85:
            case.status = RectificationStatus.EXTENDED
            case.deadline = deadline + datetime.timedelta(days=rng.randint(60, 150))
        else:
            case.status = RectificationStatus.RECTIFYING  # past its deadline: overdue
    elif roll < 0.1:
        case.status = RectificationStatus.IDENTIFIED
    elif roll < 0.25 and earliest_acceptance < today:
        case.status = RectificationStatus.ACCEPTED
        case.accepted_on = _random_date(rng, earliest_acceptance, today)
    elif roll < 0.9:
        case.status = RectificationStatus.RECTIFYING
    else:
        case.status = RectificationStatus.EXTENDED
        case.deadline = deadline + datetime.timedelta(days=rng.randint(60, 150))
    last = case.accepted_on or today
    notes = []
    if case.status != RectificationStatus.IDENTIFIED and last > opened:
        for _ in range(rng.randint(1, 3)):
            date = _random_date(rng, opened + datetime.timedelta(days=1), last)
            notes.append(RectificationNote(rectification=case, date=date, text=rng.choice(PROGRESS)))
    if case.status == RectificationStatus.ACCEPTED and not notes:
        notes.append(RectificationNote(rectification=case, date=case.accepted_on, text=rng.choice(PROGRESS)))
    return case, sorted(notes, key=lambda n: n.date)


def _grid_rows(rng: random.Random, organisation: PartyOrganisation) -> tuple[list, list]:
    grids, households = [], []
    for number in range(1, rng.randint(2, 4) + 1):
        grid = PartyGrid(
            organisation=organisation,
            name=f"第{number}网格党小组",
            area=f"{number}组、{number + 1}组" if rng.random() < 0.5 else f"{number}组",
            leader_name=f"{rng.choice(SURNAMES)}{rng.choice(FIRST_SYLLABLES)}{rng.choice(SECOND_SYLLABLES)}",
            members_count=round(rng.uniform(5, 20)),
        )
        grids.append(grid)
        for _ in range(rng.randint(1, 3)):
            households.append(
                CentralHousehold(
                    grid=grid,
                    member_name=f"{rng.choice(SURNAMES)}{rng.choice(FIRST_SYLLABLES)}{rng.choice(SECOND_SYLLABLES)}",
                    households_served=rng.randint(5, 15),
                )
            )
    return grids, households


@register(45)
def seed_party_organisations(ctx: DemoContext) -> None:
    today = timezone.localdate()
    villages_by_county: dict[int, list] = {c.pk: [] for c in ctx.regions.counties}
    for village in ctx.regions.villages:
        villages_by_county[village.county_id].append(village)
    targets = _county_targets(ctx, villages_by_county)
    secretaries = ctx.shared.get("cadres.current_secretaries", {})
    window = value_of(REPEAT_CASE_WINDOW_YEARS.key)

    organisations, links, ratings, cases, notes, grids, households = [], [], [], [], [], [], []
    for county in ctx.regions.counties:
        rng = ctx.rng_for("villages.party", county.code)
        villages = villages_by_county[county.pk]
        rectified, joint = targets[county.pk]
        own = [_village_organisation(rng, v, secretaries.get(v.pk)) for v in villages]
        years = rng.choices(
            list(JOINT_FOUNDING_WEIGHTS), weights=list(JOINT_FOUNDING_WEIGHTS.values()), k=joint
        )
        groups = _joint_groups(rng, villages, joint)
        joints = [
            _joint_organisation(rng, group, year) for group, year in zip(groups, sorted(years), strict=True)
        ]
        county_organisations = own + joints
        organisations.extend(county_organisations)
        links.extend((o, [v]) for o, v in zip(own, villages, strict=True))
        links.extend(zip(joints, groups, strict=True))
        weak = _weak_plan(rng, county_organisations, len(own), rectified)
        county_ratings = _county_ratings(rng, county_organisations, weak)
        ratings.extend(county_ratings)
        weak_years: dict[int, list[int]] = {}
        for rating in county_ratings:
            if rating.level == RatingLevel.WEAK:
                previous = weak_years.setdefault(id(rating.organisation), [])
                case, case_notes = _case_rows(ctx, rng, rating, previous, window, today)
                previous.append(rating.year)
                cases.append(case)
                notes.extend(case_notes)
        if county.code in GRID_COUNTIES:
            for organisation in own:
                county_grids, county_households = _grid_rows(rng, organisation)
                grids.extend(county_grids)
                households.extend(county_households)

    _bulk_create_with_history(PartyOrganisation, organisations)
    _bulk_create_with_history(
        PartyOrganisationVillage,
        [PartyOrganisationVillage(organisation=o, village=v) for o, vs in links for v in vs],
    )
    for rows in (ratings, grids):
        for row in rows:
            row.organisation_id = row.organisation.pk
    _bulk_create_with_history(Rating, ratings)
    for case in cases:
        case.organisation_id, case.rating_id = case.organisation.pk, case.rating.pk
    _bulk_create_with_history(Rectification, cases)
    for note in notes:
        note.rectification_id = note.rectification.pk
    _bulk_create_with_history(RectificationNote, notes)
    _bulk_create_with_history(PartyGrid, grids)
    for household in households:
        household.grid_id = household.grid.pk
    _bulk_create_with_history(CentralHousehold, households)

    rectified = len({case.organisation_id for case in cases})
    ctx.summary.update(
        {
            "Party organisations": len(organisations),
            "  of which joint": sum(o.is_joint for o in organisations),
            f"ratings {PARTY_YEARS[0]}–{PARTY_YEARS[-1]}": len(ratings),
            "organisations rectified since 2014": rectified,
            "  share of villages": f"{100 * rectified / max(len(ctx.regions.villages), 1):.1f}%",
            "rectification cases (open)": f"{len(cases):,} ({sum(c.is_open for c in cases):,})",
            "grids / central households": f"{len(grids):,} / {len(households):,}",
        }
    )
