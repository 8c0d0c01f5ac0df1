"""Demo assistance data: work teams since 2014, duty, poor households, checks and records (order 40).

The ``bazhong`` preset reproduces the published Bazhong figures (seeds/000): 1,801 work teams,
2,100 first secretaries and 7,348 work-team members dispatched since 2014 (figure 7 gives the
unit types); poverty incidence 16.3 % at the end of 2014 falling to 2.1 % at the end of 2018
(registered population of the villages as denominator), with incomes 2014-2020 beside the
poverty line; 1,245 commendations, 985 promotions (50 to county level) and 898 discipline cases
in assistance work 2014-2019 (figures 8, 9, 11). Other presets get the same per-village rates:
``enyang`` is 恩阳区's share; ``province`` adds, for the made-up cities, work teams with members
and evaluations only (no households or duty, which would multiply the seeding time by ten).

Duty logs cover the last 24 months up to today (the only part that depends on the day it runs) for
the teams active then. Rows are written with COPY. The audit trail records the small tables' rows
as inserts by ``seed_demo``; the four bulk tables (households, their status changes and incomes,
duty logs: about a million rows for ``bazhong``) are loaded without insert events, which would
double the seeding time; every later change to them is recorded as usual. Team and draw ids are
taken from their sequences first, so spot checks are drawn exactly as ``spot_check_sample`` draws
them (same ids, same seed).
"""

from __future__ import annotations

import bisect
import contextlib
import datetime
import itertools
import math
import random
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

import pgtrigger
from django.db import connection
from django.utils import timezone

from apps.core import idnumbers
from apps.core.demo import DemoContext, register
from apps.core.periods import Month, Quarter
from apps.villages.models import PovertyStatus

from .config import POVERTY_LINES
from .models import (
    AssistanceMeasure,
    Commendation,
    DisciplineCase,
    DutyLog,
    Evaluation,
    Household,
    HouseholdIncome,
    HouseholdMember,
    HouseholdStatusChange,
    Promotion,
    ResponsibilityItem,
    ResponsibilityReconciliation,
    SpotCheck,
    SpotCheckDraw,
    WorkTeam,
    WorkTeamMember,
)
from .services.checks import draw_teams, sample_size

D = datetime.date
BAZHONG_CITY = "5119"
BAZHONG_VILLAGES = 2228
TOTALS = {
    "teams": 1801,
    "first_secretaries": 2100,
    "members": 7348,
    "commendations": 1245,
    "promotions": 985,
    "county_promotions": 50,
    "discipline": 898,
}
# Dispatch batches: (start, end, share of the teams). Teams rotate every two to three years.
BATCHES = (
    (D(2014, 10, 8), D(2016, 9, 30), 200),
    (D(2015, 9, 1), D(2017, 8, 31), 420),
    (D(2017, 9, 1), D(2019, 8, 31), 440),
    (D(2019, 9, 1), D(2021, 6, 30), 380),
    (D(2021, 7, 1), D(2023, 6, 30), 200),
    (D(2023, 7, 1), D(2026, 6, 30), 100),
    (D(2026, 7, 1), None, 61),
)
# Poor people at the end of each year, as a share of the registered population.
INCIDENCE = {2014: 0.163, 2015: 0.118, 2016: 0.080, 2017: 0.049, 2018: 0.021, 2019: 0.006, 2020: 0.0}
REGISTERED_SHARE = 0.172  # registered in 2014 (建档立卡), some already out by the end of that year
HOUSEHOLD_SIZES = ((1, 12), (2, 22), (3, 26), (4, 22), (5, 12), (6, 6))
CAUSES = (
    ("illness", 31),
    ("disability", 9),
    ("disaster", 3),
    ("lack_labour", 14),
    ("lack_skills", 18),
    ("lack_funds", 13),
    ("education", 7),
    ("other", 5),
)
UNIT_TYPES = (("party_gov", 58), ("institution", 30), ("soe", 7), ("other", 5))
GRADES = (("excellent", 20), ("good", 52), ("fair", 23), ("poor", 5))
RECORD_YEARS = ((2014, 5), (2015, 12), (2016, 18), (2017, 22), (2018, 23), (2019, 20))
CATEGORIES = (
    ("absent", 34),
    ("formalism", 26),
    ("false_figures", 12),
    ("funds", 10),
    ("favouritism", 12),
    ("other", 6),
)
OUTCOMES = (
    ("criticism", 40),
    ("admonishment", 25),
    ("organisational", 15),
    ("party_discipline", 17),
    ("judicial", 3),
)
MEASURES = (
    ("industry", 30, 800, 5000),
    ("employment", 20, 0, 3000),
    ("education", 15, 500, 4000),
    ("health", 15, 200, 6000),
    ("housing", 8, 5000, 40000),
    ("social_security", 12, 600, 3600),
)
DETAILED_TOWNSHIP = "511903001"  # household members and measures for the demo logins' township
DUTY_MONTHS = 24
COPY_CHUNK = 50_000
# Loaded without insert events in the audit trail and with their foreign keys checked once at the
# end of the load (see the module docstring and Writer).
BULK_TABLES = ("Household", "HouseholdStatusChange", "HouseholdIncome", "DutyLog")

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯董程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊"
MALE_CHARS = "伟强军平刚勇杰涛明斌超辉华建国志文波宇飞鹏俊峰磊林龙海洪"
FEMALE_CHARS = "芳娟敏静丽艳霞燕琴英梅兰玲红秀萍桂凤云雪琳婷"
DEPARTMENTS = (
    "委组织部", "委宣传部", "纪委监委", "财政局", "农业农村局", "交通运输局", "住房和城乡建设局", "水利局",
    "卫生健康局", "教育局", "人力资源和社会保障局", "民政局", "自然资源局", "商务局", "林业局", "乡村振兴局",
    "发展和改革局", "审计局", "司法局", "统计局",
)  # fmt: skip
INSTITUTIONS = (
    "人民医院",
    "中医医院",
    "疾病预防控制中心",
    "农业技术推广中心",
    "第一中学",
    "职业中学",
    "畜牧兽医站",
)
TOWNSHIP_UNITS = ("人民政府", "党委", "中心小学", "卫生院", "农业服务中心")
ENTERPRISES = (
    "国网巴中供电公司", "中国移动巴中分公司", "中国电信巴中分公司", "巴中农商银行", "巴中交通投资集团",
    "巴中文化旅游集团", "中国邮政巴中分公司", "四川川投巴中公司",
)  # fmt: skip
OTHER_UNITS = ("供销合作社", "工商业联合会", "科学技术协会")
FINDINGS = (
    "工作队员不在岗，白天在村、晚上回城",
    "驻村日志与实际不符，存在补记现象",
    "帮扶措施落实不到位，群众知晓率低",
    "第一书记长期在派出单位上班",
    "贫困户收入台账计算不实",
)
TASKS = {
    "help": ("帮助村里理清发展思路", "协调解决产业发展资金", "帮助建强村党组织班子"),
    "liaise": ("每季度到村蹲点指导", "遍访贫困户并结对帮扶", "牵头解决群众急难愁盼"),
    "station": ("落实“一宣四帮”职责", "帮助发展一个产业", "每月驻村不少于20天"),
    "assist": ("开展“多对一”走访", "结对帮扶贫困户", "协助完善村级台账"),
    "lead": ("带领农户发展特色种养", "示范推广实用技术", "帮助联系销售渠道"),
}
HOLDERS = {
    "help": ("区委办公室", "区财政局领导班子", "区农业农村局领导班子"),
    "liaise": ("区委副书记", "区人大副主任", "镇党委书记"),
    "station": (),
    "assist": ("镇组织委员", "村党支部书记", "驻村农技员"),
    "lead": ("党员致富能手", "家庭农场主（党员）", "合作社理事长（党员）"),
}


def _weighted(rng: random.Random, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


def _apportion(total: int, weights: list[float]) -> list[int]:
    """Integer shares of ``total`` proportional to ``weights``, summing exactly (largest remainder)."""
    whole = sum(weights)
    if not whole or total <= 0:
        return [0] * len(weights)
    exact = [total * w / whole for w in weights]
    shares = [math.floor(x) for x in exact]
    for i in sorted(range(len(weights)), key=lambda i: shares[i] - exact[i])[: total - sum(shares)]:
        shares[i] += 1
    return shares


def _top_weighted(rng: random.Random, items: list, weights: list[float], count: int) -> list:
    """``count`` distinct items drawn with probability ∝ weight (Efraimidis–Spirakis keys)."""
    keyed = sorted(((rng.random() ** (1 / w), i) for i, w in enumerate(weights) if w > 0), reverse=True)
    return [items[i] for _key, i in keyed[:count]]


class People:
    """Names and ID numbers: unique within the demo, correct check characters, parity by gender."""

    def __init__(self):
        self.used: set[str] = set()

    def name(self, rng: random.Random, male: bool) -> str:
        chars = MALE_CHARS if male else FEMALE_CHARS
        r = rng.random
        given = chars[int(r() * len(chars))] + (chars[int(r() * len(chars))] if r() < 0.7 else "")
        return SURNAMES[int(r() * len(SURNAMES))] + given

    def id_number(self, rng: random.Random, region: str, born: datetime.date, male: bool) -> str:
        # Sequences 500-999 keep clear of the low per-county sequences other apps' demo data uses;
        # an odd sequence is a man's.
        date = born.isoformat().replace("-", "")
        while True:
            first17 = f"{region}{date}{500 + 2 * int(rng.random() * 250) + male}"
            number = first17 + idnumbers.check_character(first17)
            if number not in self.used:
                self.used.add(number)
                return number

    def person(self, rng: random.Random, region: str, born_from: int, born_to: int) -> tuple[str, str, D]:
        male = rng.random() < 0.62
        born = D(rng.randint(born_from, born_to), 1, 1) + datetime.timedelta(days=rng.randrange(365))
        return self.name(rng, male), self.id_number(rng, region, born, male), born


class Writer:
    """COPY rows into tables, taking ids from the tables' sequences first where needed."""

    def __init__(self):
        self.now = timezone.now()
        self.analyzed: set[str] = set()

    def ids(self, model, count: int) -> list[int]:
        if count == 0:
            return []
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [model._meta.db_table, count],
            )
            return [row[0] for row in cursor.fetchall()]

    def _analyze_referenced(self, model, columns) -> None:
        """Fresh statistics for the tables ``model`` refers to, once each.

        Tables filled moments ago in this transaction look empty to the planner, and the foreign-key
        checks of a COPY into a table referring to them would scan them whole for every row.
        """
        tables = {
            field.related_model._meta.db_table
            for field in model._meta.concrete_fields
            if field.is_relation and field.column in columns
        } - self.analyzed
        with connection.cursor() as cursor:
            for table in sorted(tables):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
        self.analyzed |= tables

    @contextlib.contextmanager
    def foreign_keys_checked_at_the_end(self, model):
        """Drop the table's foreign keys for a bulk load and add them back, checked in one query each.

        PostgreSQL's advice for populating a table ("Remove Foreign Key Constraints"): one check per
        row costs far more than validating the whole table when the constraint is added again. The
        constraints come back under the same names and definitions; a failure rolls everything back.
        """
        table = model._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname",
                [table],
            )
            constraints = cursor.fetchall()
            for name, _definition in constraints:
                cursor.execute(
                    f"ALTER TABLE {connection.ops.quote_name(table)} DROP CONSTRAINT {connection.ops.quote_name(name)}"
                )
        yield
        with connection.cursor() as cursor:
            for name, definition in constraints:
                cursor.execute(
                    f"ALTER TABLE {connection.ops.quote_name(table)} "
                    f"ADD CONSTRAINT {connection.ops.quote_name(name)} {definition}"
                )

    def copy(self, model, columns: tuple[str, ...], rows) -> int:
        """Write ``rows``: tuples in ``columns`` order (created_at and updated_at are added)."""
        return self.copy_text(model, columns, ("\t".join(map(_copy_text, row)) for row in rows))

    def copy_text(self, model, columns: tuple[str, ...], lines) -> int:
        """Write rows already in COPY's text format (tab-separated, ``\\N`` for null, no newline).

        Rows go out in large chunks: several times faster than psycopg's row-by-row ``write_row``.
        """
        table = connection.ops.quote_name(model._meta.db_table)
        names = ", ".join(connection.ops.quote_name(c) for c in (*columns, "created_at", "updated_at"))
        stamp = self.now.isoformat()
        tail = f"\t{stamp}\t{stamp}\n"
        self._analyze_referenced(model, columns)
        bulk = model.__name__ in BULK_TABLES
        with self.foreign_keys_checked_at_the_end(model) if bulk else contextlib.nullcontext():
            return self._copy_lines(table, names, lines, tail)

    def _copy_lines(self, table: str, names: str, lines, tail: str) -> int:
        count = 0
        with connection.cursor() as cursor:
            # A statement through Django first, so the audit context (seed_demo) is set for the COPY.
            cursor.execute("SELECT 1")
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:  # noqa: S608
                chunk = []
                for line in lines:
                    chunk.append(line)
                    if len(chunk) == COPY_CHUNK:
                        copy.write(tail.join(chunk) + tail)
                        count += len(chunk)
                        chunk = []
                if chunk:
                    copy.write(tail.join(chunk) + tail)
                    count += len(chunk)
        return count


def _text(value) -> str:
    """A number or null in COPY's text format."""
    return "\\N" if value is None else str(value)


def _copy_text(value) -> str:
    """One value in COPY's text format."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return str(value)


@dataclass
class Team:
    id: int
    village: object
    start: D
    end: D | None
    batch: int
    members: list = field(default_factory=list)


@dataclass
class Member:
    id: int
    team: Team
    name: str
    id_number: str
    unit_name: str
    unit_type: str
    unit_level: str
    role: str
    start: D
    end: D | None
    end_reason: str = ""
    diligence: float = 0.9

    def active_on(self, day: D) -> bool:
        return self.start <= day and (self.end is None or self.end >= day)


def _units(county, city_name: str):
    county_name = county.name
    return {
        ("party_gov", "county_plus"): [f"{county_name}{d}" for d in DEPARTMENTS]
        + [f"{city_name}{d}" for d in DEPARTMENTS[:12]],
        ("institution", "county_plus"): [f"{county_name}{i}" for i in INSTITUTIONS]
        + [f"{city_name}中心医院", f"{city_name}职业技术学院"],
        ("soe", "county_plus"): [e.replace("巴中", city_name.removesuffix("市")) for e in ENTERPRISES],
        ("other", "county_plus"): [f"{county_name}{u}" for u in OTHER_UNITS],
    }


def _unit(rng, units, village_township_name: str, *, county_plus: bool) -> tuple[str, str, str]:
    unit_type = _weighted(rng, UNIT_TYPES)
    if county_plus or unit_type == "soe":
        return rng.choice(units[(unit_type, "county_plus")]), unit_type, "county_plus"
    name = village_township_name + rng.choice(TOWNSHIP_UNITS)
    return name, ("party_gov" if "政府" in name or "党委" in name else "institution"), "below_county"


# Work teams and members


def _plan_teams(
    ctx: DemoContext,
    county,
    city_name: str,
    villages,
    quotas: dict[str, int],
    writer: Writer,
    people: People,
    today: D,
):
    """The county's teams and members; quotas: teams, first_secretaries (successors), members."""
    rng = ctx.rng_for("assistance", "teams", county.code)
    batch_counts = _apportion(quotas["teams"], [share for _s, _e, share in BATCHES])
    weights = {
        v.pk: {PovertyStatus.DEEP_POOR: 6.0, PovertyStatus.POOR: 4.0}.get(v.poverty_status, 0.25)
        for v in villages
    }
    free_from: dict[int, D] = defaultdict(lambda: D(2000, 1, 1))
    planned = []
    for number, ((start, end, _share), count) in enumerate(zip(BATCHES, batch_counts, strict=True)):
        if start > today:
            continue
        candidates = [v for v in villages if free_from[v.pk] < start]
        for village in _top_weighted(rng, candidates, [weights[v.pk] for v in candidates], count):
            planned.append((village, start, end, number))
            free_from[village.pk] = end or D(9999, 12, 31)
    ids = writer.ids(WorkTeam, len(planned))
    teams = [
        Team(i, village, start, end, batch)
        for i, (village, start, end, batch) in zip(ids, planned, strict=True)
    ]

    townships = {}
    units = _units(county, city_name)
    # First secretaries: one per team, and a successor in the longer-running ones.
    long_teams = [t for t in teams if (t.end or today) - t.start > datetime.timedelta(days=540)]
    successors = {t.id for t in rng.sample(long_teams, min(quotas["successors"], len(long_teams)))}
    # Other members: at least two per team, more in the early, larger teams.
    extra = quotas["members"] - 2 * len(teams)
    extras = _apportion(max(extra, 0), [1.6 if t.batch < 4 else 0.6 for t in teams]) if teams else []
    rows = []
    for team, more in zip(teams, extras, strict=True):
        township = team.village.township.name if hasattr(team.village, "township") else ""
        townships[team.village.pk] = township
        end = team.end
        first_end = None
        if team.id in successors:
            span = ((end or today) - team.start).days
            first_end = team.start + datetime.timedelta(days=rng.randint(span // 3, 2 * span // 3))
        secretaries = [
            (team.start, first_end or end, "transferred" if first_end else ("term_end" if end else ""))
        ]
        if first_end:
            secretaries.append((first_end + datetime.timedelta(days=1), end, "term_end" if end else ""))
        for start, stop, reason in secretaries:
            rows.append((team, "first_secretary", start, stop, reason, True))
        for _i in range(2 + more):
            leaves = rng.random() < 0.08 and ((end or today) - team.start).days > 200
            stop = (
                team.start
                + datetime.timedelta(days=rng.randint(120, ((end or today) - team.start).days - 30))
                if leaves
                else end
            )
            rows.append(
                (
                    team,
                    "member",
                    team.start,
                    stop,
                    "transferred" if leaves else ("term_end" if end else ""),
                    rng.random() < 0.78,
                )
            )
    member_ids = writer.ids(WorkTeamMember, len(rows))
    members = []
    for member_id, (team, role, start, stop, reason, county_plus) in zip(member_ids, rows, strict=True):
        name, number, _born = people.person(rng, county.code[:6], 1966, 1996)
        unit_name, unit_type, unit_level = _unit(
            rng,
            units,
            townships.get(team.village.pk, ""),
            county_plus=county_plus or role == "first_secretary",
        )
        diligence = rng.uniform(0.45, 0.7) if rng.random() < 0.1 else rng.uniform(0.78, 0.98)
        member = Member(
            member_id,
            team,
            name,
            number,
            unit_name,
            unit_type,
            unit_level,
            role,
            start,
            stop,
            reason if stop else "",
            diligence,
        )
        team.members.append(member)
        members.append(member)
    return teams, members


def _write_teams(writer: Writer, teams, members):
    writer.copy(
        WorkTeam,
        ("id", "village_id", "start_date", "end_date", "lead_unit", "note"),
        (
            (
                t.id,
                t.village.pk,
                t.start,
                t.end,
                next((m.unit_name for m in t.members if m.role == "first_secretary"), ""),
                "",
            )
            for t in teams
        ),
    )
    writer.copy(
        WorkTeamMember,
        (
            "id",
            "team_id",
            "name",
            "id_number",
            "unit_name",
            "unit_type",
            "unit_level",
            "role",
            "start_date",
            "end_date",
            "end_reason",
        ),
        (
            (
                m.id,
                m.team.id,
                m.name,
                m.id_number,
                m.unit_name,
                m.unit_type,
                m.unit_level,
                m.role,
                m.start,
                m.end,
                m.end_reason,
            )
            for m in members
        ),
    )


# Spot checks (they may recall members, so they come before the duty logs)


def _spot_checks(county, teams, writer: Writer, today: D, rng: random.Random):
    draws, checks = [], []
    quarter = Quarter(2016, 1)
    current = Quarter.of(today)
    while quarter <= current:
        active = [t for t in teams if t.start <= quarter.last and (t.end is None or t.end >= quarter.first)]
        if active:
            seed = rng.getrandbits(40)
            chosen = draw_teams([t.id for t in active], sample_size(len(active), Decimal("0.10")), seed)
            draws.append((county.pk, str(quarter), seed, Decimal("0.10"), len(active), chosen, quarter))
        quarter = quarter.next()
    draw_ids = writer.ids(SpotCheckDraw, len(draws))
    by_id = {t.id: t for t in teams}
    recalls = 0
    for draw_id, (_county, _q, _seed, _rate, _active, chosen, quarter) in zip(draw_ids, draws, strict=True):
        for team_id in chosen:
            if quarter == current:
                checks.append((draw_id, team_id, "", "pending", None))
                continue
            day = quarter.first + datetime.timedelta(days=rng.randrange((quarter.last - quarter.first).days))
            team = by_id[team_id]
            lax = sum(m.diligence < 0.7 for m in team.members if m.active_on(day))
            failed = rng.random() < (0.35 if lax else 0.04)
            checks.append(
                (draw_id, team_id, rng.choice(FINDINGS) if failed else "", "fail" if failed else "pass", day)
            )
            if failed:
                candidates = [m for m in team.members if m.active_on(day) and m.diligence < 0.7]
                if candidates and rng.random() < 0.6:
                    member = rng.choice(candidates)
                    member.end, member.end_reason = day, "recalled"
                    recalls += 1
    writer.copy(
        SpotCheckDraw,
        ("id", "county_id", "quarter", "seed", "rate", "active_teams", "drawn_by_id"),
        (
            (i, c, q, s, r, a, None)
            for i, (c, q, s, r, a, _chosen, _quarter) in zip(draw_ids, draws, strict=True)
        ),
    )
    return checks, recalls


def _duty_logs(members, today: D, rng: random.Random):
    """On-duty days (and some recorded off-duty days) of the last 24 months, never past today."""
    first = Month.of(today)
    for _i in range(DUTY_MONTHS - 1):
        first = first.previous()
    window = first.first
    random_ = rng.random
    for member in members:
        start = max(member.start, window).toordinal()
        stop = min(member.end or today, today).toordinal()
        weekday_chance, weekend_chance = member.diligence, member.diligence * 0.85
        for ordinal in range(start, stop + 1):
            # COPY text rows: member, date, on duty, note
            if random_() < (weekend_chance if ordinal % 7 in (0, 6) else weekday_chance):
                yield f"{member.id}\t{D.fromordinal(ordinal).isoformat()}\tt\t"
            elif random_() < 0.4:
                yield f"{member.id}\t{D.fromordinal(ordinal).isoformat()}\tf\t"


def _evaluations(members, today: D, rng: random.Random):
    for member in members:
        for year in range(member.start.year, min((member.end or today).year, today.year - 1) + 1):
            served_from = max(member.start, D(year, 1, 1))
            served_to = min(member.end or D(year, 12, 31), D(year, 12, 31))
            if (served_to - served_from).days < 90:
                continue
            weights = (
                GRADES
                if member.diligence >= 0.7
                else (("excellent", 2), ("good", 30), ("fair", 45), ("poor", 23))
            )
            yield (member.id, year, _weighted(rng, weights), "")


# Records of figures 8, 9 and 11


def _records(counties_teams, quotas_by_county, people: People, rng: random.Random):
    commendations, promotions, discipline = [], [], []
    for county, teams in counties_teams:
        quotas = quotas_by_county[county.pk]
        for kind, total in (
            ("commendations", quotas["commendations"]),
            ("promotions", quotas["promotions"]),
            ("discipline", quotas["discipline"]),
        ):
            per_year = _apportion(total, [w for _y, w in RECORD_YEARS])
            county_level_promotions = quotas["county_promotions"] if kind == "promotions" else 0
            for (year, _w), count in zip(RECORD_YEARS, per_year, strict=True):
                for _i in range(count):
                    day = D(year, 1, 1) + datetime.timedelta(days=rng.randrange(365))
                    active = [t for t in teams if t.start <= day and (t.end is None or t.end >= day)] or teams
                    if not active:
                        continue
                    team = rng.choice(active)
                    candidates = [m for m in team.members if m.active_on(day)]
                    linked = rng.random() < (0.5 if kind == "discipline" else 0.8) and candidates
                    member = rng.choice(candidates) if linked else None
                    person = member.name if member else people.name(rng, rng.random() < 0.7)
                    common = (team.village.pk, person, member.id if member else None, day)
                    if kind == "commendations":
                        level = "city" if rng.random() < 0.3 else "county"
                        title = rng.choice(
                            ("优秀第一书记", "优秀驻村工作队员", "脱贫攻坚先进个人", "优秀帮扶干部")
                        )
                        commendations.append((*common, level, title))
                    elif kind == "promotions":
                        if county_level_promotions > 0:
                            rank, county_level_promotions = "county_division", county_level_promotions - 1
                        else:
                            rank = "township_section" if rng.random() < 0.78 else "other"
                        level = "city" if rank == "county_division" else "county"
                        position = {
                            "county_division": "副县级领导职务",
                            "township_section": "乡镇领导班子成员",
                        }.get(rank, "")
                        promotions.append((*common, level, rank, position))
                    else:
                        discipline.append((*common, _weighted(rng, CATEGORIES), _weighted(rng, OUTCOMES), ""))
    return commendations, promotions, discipline


# Households


def _households(ctx: DemoContext, villages, writer: Writer, people: People, today: D):
    """Registered households with incidence 16.3 % (end of 2014) falling to 2.1 % (end of 2018).

    Incomes: every year 2014-2020 for the households of the demo township; elsewhere the income of
    the exit year only (what the exit check compares with the line), to keep the seeding fast.
    """
    rng = ctx.rng_for("assistance", "households")
    population = sum(v.population_registered for v in villages)
    registered = round(REGISTERED_SHARE * population)
    factor = {PovertyStatus.DEEP_POOR: 2.2, PovertyStatus.POOR: 1.6}
    weights = [
        v.population_registered * factor.get(v.poverty_status, 0.6) * rng.uniform(0.7, 1.3) for v in villages
    ]
    targets = _apportion(registered, weights)
    sizes, size_weights = zip(*HOUSEHOLD_SIZES, strict=True)
    size_cumulative = list(itertools.accumulate(size_weights))
    size_total = size_cumulative[-1]
    registration_days = [D(2014, 4, 1) + datetime.timedelta(days=n) for n in range(214)]
    r = rng.random
    plan = []  # (village, size, registered_on)
    for village, target in zip(villages, targets, strict=True):
        people_count = 0
        while people_count < target:
            size = min(sizes[bisect.bisect(size_cumulative, r() * size_total)], target - people_count)
            plan.append((village, size, registration_days[int(r() * 214)]))
            people_count += size
    # Exit years: people leaving each year exactly as the incidence falls; poor villages' households
    # tend to leave around their village's exit year.
    total = sum(p[1] for p in plan)
    poor_at_end = {year: round(share * population) for year, share in INCIDENCE.items()}
    leaving = {year: poor_at_end.get(year - 1, total) - poor_at_end[year] for year in INCIDENCE}
    order = sorted(
        range(len(plan)), key=lambda i: rng.random() + 0.25 * ((plan[i][0].exit_year or 2017) - 2016)
    )
    exits = [0] * len(plan)
    years = iter(sorted(INCIDENCE))
    year = next(years)
    left = leaving[year]
    for i in order:
        while left <= 0:
            year = next(years)
            left += leaving[year]
        exits[i] = year
        left -= plan[i][1]

    household_ids = writer.ids(Household, len(plan))
    causes, cause_weights = zip(*CAUSES, strict=True)
    cause_cumulative = list(itertools.accumulate(cause_weights))
    cause_total = cause_cumulative[-1]
    lines = {year: float(line) for year, line in POVERTY_LINES.items()}
    exit_days = {year: [D(year, 10, 1) + datetime.timedelta(days=n) for n in range(80)] for year in INCIDENCE}
    born_first, born_span = D(1938, 1, 1).toordinal(), D(1985, 12, 31).toordinal() - D(1938, 1, 1).toordinal()
    r = rng.random  # the hot loop below draws plain floats: random's helpers cost several times more
    changes, incomes, households = [], [], []
    for household_id, (village, size, registered_on), exit_year in zip(
        household_ids, plan, exits, strict=True
    ):
        exit_on = max(exit_days[exit_year][int(r() * 80)], registered_on + datetime.timedelta(days=30))
        status, final_exit = "exited", exit_year
        changes.append((household_id, "exited", exit_on, ""))
        if r() < 0.025:
            status, final_exit = _after_2020(rng, household_id, exit_year, changes, today)
        male = r() < 0.8
        born = D.fromordinal(born_first + int(r() * born_span))
        households.append(
            (
                household_id,
                village.pk,
                people.name(rng, male),
                people.id_number(rng, village.code[:6], born, male),
                size,
                causes[bisect.bisect(cause_cumulative, r() * cause_total)],
                status,
                final_exit,
                registered_on,
                born,
                male,
            )
        )
        # Below the line while poor, comfortably above it in the exit year (6-70 %, most near the middle;
        # incomes computed just to clear the line, the pattern the seeds warn about, are planted in
        # known villages by apps/rankings/integrity/demo.py), growing after the exit.
        every_year = village.code.startswith(DETAILED_TOWNSHIP)
        income = lines[2014] * (0.5 + 0.42 * r())
        for year in range(2014 if every_year else exit_year, 2021 if every_year else exit_year + 1):
            line = lines[year]
            if year < exit_year:
                income = min(income * (1.02 + 0.1 * r()), line * (0.8 + 0.17 * r()))
            elif year == exit_year:
                income = line * (1.06 + 0.32 * r() + 0.32 * r())
            else:
                income *= 1.06 + 0.14 * r()
            incomes.append((household_id, year, f"{income:.2f}"))
    return households, changes, incomes, poor_at_end, population


def _after_2020(rng: random.Random, household_id: int, exit_year: int, changes: list, today: D):
    """Monitoring after 2020 (防止返贫监测): some relapse, most leave monitoring again."""
    status, final_exit = "monitored", exit_year
    monitored_on = D(rng.randint(2021, 2024), rng.randint(1, 12), rng.randint(1, 28))
    changes.append((household_id, "monitored", monitored_on, "纳入防止返贫监测"))
    if rng.random() < 0.15:
        relapsed_on = monitored_on + datetime.timedelta(days=rng.randint(90, 500))
        if relapsed_on < today:
            changes.append((household_id, "relapsed", relapsed_on, "因病返贫"))
            status, final_exit = "relapsed", None
            again = relapsed_on + datetime.timedelta(days=rng.randint(180, 700))
            if again < today and rng.random() < 0.6:
                changes.append((household_id, "exited", again, "再次脱贫"))
                status, final_exit = "exited", again.year
    elif rng.random() < 0.5:
        removed_on = monitored_on + datetime.timedelta(days=rng.randint(180, 600))
        if removed_on < today:
            changes.append((household_id, "exited", removed_on, "风险消除"))
            status, final_exit = "exited", removed_on.year
    return status, final_exit


def _household_details(households, villages_by_id, people: People, rng: random.Random, today: D):
    """Members and measures for the households of the demo township."""
    members, measures = [], []
    for (
        household_id,
        village_id,
        name,
        number,
        size,
        _cause,
        _status,
        exit_year,
        registered_on,
        born,
        male,
    ) in households:
        village = villages_by_id[village_id]
        if not village.code.startswith(DETAILED_TOWNSHIP):
            continue
        members.append(
            (household_id, name, number, born, "head", "full" if born.year > 1960 else "partial", "healthy")
        )
        spouse_born = born + datetime.timedelta(days=rng.randint(-1500, 1500))
        for position in range(1, size):
            if position == 1 and size > 1:
                relation, person_born, person_male = "spouse", spouse_born, not male
            else:
                relation = "child" if born.year > 1955 else "grandchild"
                person_born = D(max(born.year + 22, 1980), 1, 1) + datetime.timedelta(
                    days=rng.randrange(365 * 20)
                )
                person_born = min(person_born, today - datetime.timedelta(days=400))
                person_male = rng.random() < 0.5
            person_number = people.id_number(rng, village.code[:6], person_born, person_male)
            age = idnumbers.age_on(person_born, today)
            labour = (
                "student" if age < 18 else ("none" if age > 70 else rng.choice(("full", "full", "partial")))
            )
            health = rng.choice(("healthy",) * 6 + ("chronic", "serious", "disabled"))
            members.append(
                (
                    household_id,
                    people.name(rng, person_male),
                    person_number,
                    person_born,
                    relation,
                    labour,
                    health,
                )
            )
        for _i in range(rng.randint(1, 3)):
            kind, _weight, low, high = rng.choices(MEASURES, weights=[m[1] for m in MEASURES])[0]
            last = D(min(exit_year or 2020, 2020), 12, 31)
            day = registered_on + datetime.timedelta(days=rng.randrange(max((last - registered_on).days, 1)))
            measures.append((household_id, kind, day, Decimal(rng.randrange(low, high + 1, 100)), ""))
    return members, measures


def _recent_measures(households, rng: random.Random, today: D) -> list[tuple]:
    """One or two measures in the last three months for every household not (or no longer) out of
    poverty: monitored and relapsed households keep being helped (the integrity watch flags paired
    households without a measure in six months)."""
    measures = []
    for household_id, *_rest, status, _exit_year, registered_on, _born, _male in households:
        if status == "exited":
            continue
        for _i in range(rng.randint(1, 2)):
            kind, _weight, low, high = rng.choices(MEASURES, weights=[m[1] for m in MEASURES])[0]
            day = max(today - datetime.timedelta(days=rng.randrange(90)), registered_on)
            measures.append((household_id, kind, day, Decimal(rng.randrange(low, high + 1, 100)), ""))
    return measures


def _pairs(households, rng: random.Random):
    """Pair households with the village cadres of their village, at most five per cadre."""
    from apps.cadres.models import Cadre

    cadres = defaultdict(list)
    for cadre_id, village_id in Cadre.objects.order_by("pk").values_list("pk", "village_id"):
        cadres[village_id].append(cadre_id)
    load = defaultdict(int)
    pairs = {}
    for household in households:
        household_id, village_id = household[0], household[1]
        free = [c for c in cadres.get(village_id, ()) if load[c] < 5]
        if free and rng.random() < 0.85:
            cadre = rng.choice(free)
            load[cadre] += 1
            pairs[household_id] = cadre
    return pairs


# Responsibility lists


def _lists(teams, today: D, rng: random.Random):
    items = []
    for year in (today.year - 1, today.year):
        # Lists are set in the first quarter, for the villages with a team stationed then.
        set_on = D(year, 3, 1)
        teams_in_year = {
            team.village.pk: team
            for team in teams
            if team.start <= set_on and (team.end is None or team.end >= set_on)
        }
        for village_id, team in sorted(teams_in_year.items()):
            secretary = next(
                (m for m in team.members if m.role == "first_secretary" and m.active_on(set_on)), None
            )
            for kind in ("help", "liaise", "station", "assist", "lead"):
                for task in rng.sample(TASKS[kind], rng.randint(1, 2)):
                    if kind == "station":
                        holder, title, member = (
                            (secretary.name if secretary else "驻村工作队"),
                            "第一书记",
                            secretary,
                        )
                    else:
                        holder, title, member = rng.choice(HOLDERS[kind]), "", None
                    quarters = [q for q in (1, 2, 3, 4) if Quarter(year, q).last < today]
                    done = [rng.random() < 0.88 for _q in quarters]
                    closed = year < today.year and len(quarters) == 4
                    closed_on = (
                        D(year + 1, 1, 10) + datetime.timedelta(days=rng.randrange(60)) if closed else None
                    )
                    if closed_on and closed_on > today:
                        closed_on, closed = None, False
                    items.append(
                        (
                            village_id,
                            year,
                            kind,
                            holder,
                            title,
                            member.id if member else None,
                            task,
                            closed_on,
                            all(done) if closed else None,
                            "年度销账" if closed else "",
                            quarters,
                            done,
                        )
                    )
    return items


@register(40)
def seed(ctx: DemoContext) -> None:
    with connection.cursor() as cursor:
        # Check foreign keys as each COPY ends rather than at commit: a million deferred checks in
        # the queue make every later subtransaction of the seeding transaction crawl (the row-level
        # audit triggers of the contributors after this one open one per row).
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    with pgtrigger.ignore(*(f"assistance.{model}:insert_insert" for model in BULK_TABLES)):
        _seed(ctx)
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _seed(ctx: DemoContext) -> None:
    today = timezone.localdate()
    writer = Writer()
    people = People()
    regions = ctx.regions
    villages_by_county = defaultdict(list)
    for village in regions.villages:
        villages_by_county[village.county_id].append(village)
    townships = {t.pk: t for t in regions.townships}
    for village in regions.villages:
        village.township = townships[village.township_id]
    counties = [c for c in regions.counties if villages_by_county[c.pk]]
    cities = {c.pk: c.name for c in regions.cities}
    detailed = [c for c in counties if c.code.startswith(BAZHONG_CITY)]

    # Quotas: the Bazhong totals in proportion to each county's villages (Bazhong has 2,228).
    def quotas_for(group):
        share = sum(len(villages_by_county[c.pk]) for c in group) / BAZHONG_VILLAGES
        weights = [len(villages_by_county[c.pk]) for c in group]
        per_key = {key: _apportion(round(total * share), weights) for key, total in TOTALS.items()}
        return {
            c.pk: {
                "teams": per_key["teams"][i],
                "successors": per_key["first_secretaries"][i] - per_key["teams"][i],
                "members": per_key["members"][i] - per_key["first_secretaries"][i],
                "commendations": per_key["commendations"][i],
                "promotions": per_key["promotions"][i],
                "county_promotions": per_key["county_promotions"][i],
                "discipline": per_key["discipline"][i],
            }
            for i, c in enumerate(group)
        }

    quotas = quotas_for(detailed)
    light = [c for c in counties if c not in detailed]
    quotas.update(quotas_for(light) if light else {})

    all_teams, all_members, detailed_teams = [], [], []
    checks, recalls = [], 0
    for county in counties:
        teams, members = _plan_teams(
            ctx,
            county,
            cities[county.city_id],
            villages_by_county[county.pk],
            quotas[county.pk],
            writer,
            people,
            today,
        )
        if county in detailed:
            county_checks, county_recalls = _spot_checks(
                county, teams, writer, today, ctx.rng_for("assistance", "checks", county.code)
            )
            checks += county_checks
            recalls += county_recalls
            detailed_teams.append((county, teams))
        all_teams += teams
        all_members += members
    _write_teams(writer, all_teams, all_members)
    writer.copy(SpotCheck, ("draw_id", "team_id", "finding", "result", "checked_on"), checks)
    detailed_members = [m for _county, teams in detailed_teams for t in teams for m in t.members]
    duty = writer.copy_text(
        DutyLog,
        ("member_id", "date", "on_duty", "note"),
        _duty_logs(detailed_members, today, ctx.rng_for("assistance", "duty")),
    )
    evaluations = writer.copy(
        Evaluation,
        ("member_id", "year", "grade", "note"),
        _evaluations(all_members, today, ctx.rng_for("assistance", "grades")),
    )
    commendations, promotions, discipline = _records(
        detailed_teams, quotas, people, ctx.rng_for("assistance", "records")
    )
    common = ("village_id", "person_name", "member_id", "date")
    writer.copy(Commendation, (*common, "level", "title"), commendations)
    writer.copy(Promotion, (*common, "level", "rank", "position"), promotions)
    writer.copy(DisciplineCase, (*common, "category", "outcome", "note"), discipline)

    detailed_villages = [v for c in detailed for v in villages_by_county[c.pk]]
    households, changes, incomes, poor_at_end, population = _households(
        ctx, detailed_villages, writer, people, today
    )
    pairs = _pairs(households, ctx.rng_for("assistance", "pairs"))
    writer.copy_text(
        Household,
        (
            "id",
            "village_id",
            "head_name",
            "head_id_number",
            "size",
            "cause",
            "status",
            "exit_year",
            "registered_on",
            "paired_cadre_id",
        ),
        (
            f"{h[0]}\t{h[1]}\t{h[2]}\t{h[3]}\t{h[4]}\t{h[5]}\t{h[6]}\t{_text(h[7])}\t{h[8].isoformat()}"
            f"\t{_text(pairs.get(h[0]))}"
            for h in households
        ),
    )
    writer.copy_text(
        HouseholdStatusChange,
        ("household_id", "status", "date", "note"),
        (f"{h}\t{status}\t{day.isoformat()}\t{note}" for h, status, day, note in changes),
    )
    income_rows = writer.copy_text(
        HouseholdIncome,
        ("household_id", "year", "per_capita_net_income"),
        (f"{h}\t{year}\t{income}" for h, year, income in incomes),
    )
    villages_by_id = {v.pk: v for v in detailed_villages}
    members, measures = _household_details(
        households, villages_by_id, people, ctx.rng_for("assistance", "details"), today
    )
    writer.copy(
        HouseholdMember,
        ("household_id", "name", "id_number", "birth_date", "relation", "labour_capacity", "health"),
        members,
    )
    measures += _recent_measures(households, ctx.rng_for("assistance", "recent measures"), today)
    writer.copy(AssistanceMeasure, ("household_id", "kind", "date", "amount", "note"), measures)

    items = _lists(
        [t for _c, teams in detailed_teams for t in teams], today, ctx.rng_for("assistance", "lists")
    )
    item_ids = writer.ids(ResponsibilityItem, len(items))
    writer.copy(
        ResponsibilityItem,
        (
            "id",
            "village_id",
            "year",
            "kind",
            "holder",
            "holder_title",
            "member_id",
            "task",
            "closed_on",
            "fulfilled",
            "closing_note",
        ),
        ((i, *row[:10]) for i, row in zip(item_ids, items, strict=True)),
    )
    writer.copy(
        ResponsibilityReconciliation,
        ("item_id", "quarter", "done", "evidence", "reconciled_on"),
        (
            (
                item_id,
                quarter,
                done,
                "季度对账台账" if done else "未完成，已督促整改",
                Quarter(row[1], quarter).last + datetime.timedelta(days=5),
            )
            for item_id, row in zip(item_ids, items, strict=True)
            for quarter, done in zip(row[10], row[11], strict=True)
            if Quarter(row[1], quarter).last + datetime.timedelta(days=5) <= today
        ),
    )

    first_secretaries = sum(m.role == "first_secretary" for m in all_members)
    summary = ctx.summary
    summary["work teams since 2014"] = len(all_teams)
    summary["  first secretaries"] = first_secretaries
    summary["  work-team members (all roles)"] = len(all_members)
    summary[f"  duty logs, last {DUTY_MONTHS} months"] = duty
    summary["  evaluations"] = evaluations
    summary["  spot checks (members recalled)"] = f"{len(checks):,} ({recalls})"
    summary["poor households"] = len(households)
    if population:
        summary["  incidence end of 2014 / 2018"] = (
            f"{100 * poor_at_end[2014] / population:.1f}% / {100 * poor_at_end[2018] / population:.1f}%"
        )
    summary["  household incomes"] = income_rows
    summary["  paired with a cadre"] = len(pairs)
    summary["commendations / promotions / discipline"] = (
        f"{len(commendations):,} / {len(promotions):,} / {len(discipline):,}"
    )
    summary["responsibility list items"] = len(items)
