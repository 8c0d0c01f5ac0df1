"""Demo regions: 巴中市 and its counties, townships and villages (scale from DOMAIN.md).

Presets:
- ``enyang``: 巴中市 with only 恩阳区: 18 towns, 209 villages.
- ``bazhong``: 巴中市 with its 5 counties/districts: 2,228 villages, 598 poor villages that
  exited 2014–2018; 恩阳区 is identical to the ``enyang`` preset's.
- ``province``: 巴中市 as in ``bazhong`` plus 7 made-up cities (codes 5161–5167), 25,000 villages.

Names and counts are plausible, not official. Each county draws from its own random stream
(seed + county code), so a county comes out the same in every preset that contains it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from apps.core.demo import DemoContext, DemoError, register

from .codes import validate_code_prefix, validate_region_code
from .models import City, County, PovertyStatus, Township, Village

BATCH_SIZE = 2000
EXIT_YEARS = (2014, 2015, 2016, 2017, 2018)
POOR_EXIT_WEIGHTS = (2, 3, 3, 3, 2)
DEEP_POOR_EXIT_WEIGHTS = (0, 1, 2, 3, 3)
DEEP_POOR_SHARE = 0.1
PROVINCE_VILLAGES = 25_000

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


def _province_cities(ctx: DemoContext) -> list[CitySpec]:
    rng = ctx.rng_for("villages", "province")
    totals = _split(
        rng, PROVINCE_VILLAGES - sum(c.villages for c in BAZHONG_COUNTIES), len(MADE_UP_CITIES), 2500
    )
    cities = [BAZHONG]
    for (city_code, city_name), city_villages in zip(MADE_UP_CITIES, totals, strict=True):
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
        cities.append(CitySpec(city_code, city_name, tuple(counties)))
    return cities


def preset_cities(ctx: DemoContext) -> list[CitySpec]:
    if ctx.preset == "enyang":
        return [CitySpec(BAZHONG.code, BAZHONG.name, (ENYANG,))]
    if ctx.preset == "bazhong":
        return [BAZHONG]
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
