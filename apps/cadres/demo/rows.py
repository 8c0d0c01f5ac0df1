"""Model rows from a county plan: cadres, positions, trainings, enrolments, reserves and ID numbers."""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from decimal import Decimal

from apps.core import idnumbers
from apps.core.demo import DemoContext, DemoError

from ..models import (
    EDUCATION_ORDER,
    Cadre,
    CadrePosition,
    DegreeEnrolment,
    ReserveCadre,
    Role,
    Training,
)
from .figures import (
    BACH,
    CADRE_COURSES,
    COLL,
    END_OF_DATA,
    FEMALE_CHARS,
    HIGH,
    JUNIOR,
    MALE_CHARS,
    OLD_CODES,
    PAY_FROM_2020,
    PAY_UNTIL_2019,
    RESERVE_2019_AGE,
    RESERVE_2019_SHARES,
    RESERVE_2024_AGE,
    RESERVE_2024_COLLEGE,
    RESERVE_MIGRANTS_2019,
    RESERVES_2019,
    RESERVES_2024,
    RESERVES_STAYING,
    SECRETARY_COURSES,
    SEQUENCE_HALF,
    SURNAMES,
    TRAINING_YEARS,
    D,
    apportion,
    county_quota,
    exact_values,
    random_day,
)
from .plan import CountyPlan


class IdNumbers:
    """Unique, valid ID numbers: birth-place code of the birth year, birth date, sequence by gender."""

    def __init__(self, county_code: str):
        self.county = county_code[:6]
        self.used: dict[tuple[str, datetime.date], int] = defaultdict(int)

    def prefix(self, born: datetime.date) -> str:
        codes = OLD_CODES.get(self.county)
        if codes is None:
            return self.county
        return codes[0] if born.year < 1993 else codes[1] if born.year < 2000 else codes[2]

    def next(self, born: datetime.date, male: bool) -> str:
        prefix = self.prefix(born)
        half = SEQUENCE_HALF.get(self.county)
        key = (prefix, born, male)
        k = self.used[key]
        self.used[key] += 1
        limit = 250 if half is not None else 500
        if k >= limit:
            raise DemoError(f"Ran out of ID sequence numbers for {born} in county {self.county}.")
        sequence = (half or 0) * 500 + 2 * k + (1 if male else 0)
        first17 = f"{prefix}{born:%Y%m%d}{sequence:03d}"
        return first17 + idnumbers.check_character(first17)


def name(rng: random.Random, male: bool) -> str:
    chars = MALE_CHARS if male else FEMALE_CHARS
    given = rng.choice(chars) + (rng.choice(chars) if rng.random() < 0.8 else "")
    return rng.choice(SURNAMES) + given


def pay(rng: random.Random, role: str, start: datetime.date) -> Decimal:
    low, high = (PAY_UNTIL_2019 if start.year <= 2019 else PAY_FROM_2020)[role]
    return Decimal(rng.randint(low, high))


def county_rows(ctx: DemoContext, county, villages: list) -> dict[str, list]:
    rng = ctx.rng_for("cadres", county.code)
    plan = CountyPlan(rng, county, villages)
    plan.simulate()
    plan.assign_people()
    plan.mark_wealth_leaders()
    ids = IdNumbers(county.code)
    cadres, positions, trainings, enrolments = [], [], [], []
    for person in plan.people:
        male = rng.random() < (0.9 if person.secretary_ever else 0.72)
        cadre = Cadre(
            village=person.village,
            name=name(rng, male),
            gender="male" if male else "female",
            ethnicity="汉族" if rng.random() > 0.004 else "回族",
            id_number=ids.next(person.birth_date, male),
            birth_date=person.birth_date,
            education=person.education,
            is_party_member=person.secretary_ever or rng.random() < 0.7,
            source=plan.source(person),
            is_wealth_leader=bool(person.wealth),
        )
        cadres.append(cadre)
        if person.upgrade:
            enrolled, completed, previous, target = person.upgrade
            enrolments.append(
                DegreeEnrolment(
                    cadre=cadre,
                    institution="国家开放大学",
                    programme="村级干部学历提升",
                    target_education=target,
                    enrolled_on=enrolled,
                    completed_on=completed,
                    previous_education=previous,
                )
            )
        if person.open_enrolment:
            enrolled, target = person.open_enrolment
            enrolments.append(
                DegreeEnrolment(
                    cadre=cadre,
                    institution="国家开放大学",
                    programme="村级干部学历提升",
                    target_education=target,
                    enrolled_on=enrolled,
                )
            )
    for run in plan.runs:
        positions.append(
            CadrePosition(
                cadre=cadres[run.person],
                village=run.village,
                role=run.role,
                start_date=run.start,
                end_date=run.end,
                end_reason=run.reason,
                end_note=run.note,
                monthly_pay=pay(rng, run.role, run.start),
            )
        )
    trainings = _trainings(rng, plan, cadres, county)
    reserves = _reserves(rng, plan, ids)
    return {
        "cadres": cadres,
        "positions": positions,
        "trainings": trainings,
        "enrolments": enrolments,
        "reserves": reserves,
        "secretaries": {
            village_pk: cadres[plan.runs[seats["S"]].person]
            for village_pk, seats in plan.seats.items()
            if "S" in seats
        },
    }


def _trainings(rng: random.Random, plan: CountyPlan, cadres: list[Cadre], county) -> list[Training]:
    rows = []
    for year in TRAINING_YEARS:
        day = min(D(year, 11, 30), END_OF_DATA)
        seen = set()
        for run in plan.runs:
            if run.role == Role.GROUP_LEADER or not run.held_on(day) or run.person in seen:
                continue
            seen.add(run.person)
            secretary = run.role == Role.SECRETARY
            if not secretary and rng.random() >= 0.2:
                continue
            start = random_day(rng, max(run.start, D(year, 3, 1)), day - datetime.timedelta(days=10))
            course = rng.choice(SECRETARY_COURSES if secretary else CADRE_COURSES)
            organiser = rng.choice(("巴中市委组织部", f"{county.name}委组织部", "巴中村政学院"))
            days = rng.randint(4, 7) if secretary else rng.randint(2, 5)
            rows.append(
                Training(
                    cadre=cadres[run.person], course=course, organiser=organiser, start_date=start, days=days
                )
            )
    return rows


def _reserves(rng: random.Random, plan: CountyPlan, ids: IdNumbers) -> list[ReserveCadre]:
    villages, code = plan.villages, plan.code
    cumulative, running = [], 0.0
    for _village in villages:
        running += rng.gammavariate(2.0, 1.0)
        cumulative.append(running)
    count_2019 = county_quota(code, len(villages), RESERVES_2019)
    migrants_2019 = county_quota(code, len(villages), RESERVE_MIGRANTS_2019)
    count_2024 = round(len(villages) * RESERVES_2024[0] / RESERVES_2024[1])
    college_2024 = round(count_2024 * RESERVE_2024_COLLEGE[0] / RESERVE_2024_COLLEGE[1])
    people = []  # [village, age at reference, reference year, education, migrant, since, until, note]
    ages = exact_values(rng, count_2019, round(RESERVE_2019_AGE * count_2019), 34, 5, 22, 45)
    levels = [
        lv
        for lv, n in zip(EDUCATION_ORDER, apportion(count_2019, RESERVE_2019_SHARES), strict=True)
        for _ in range(n)
    ]
    rng.shuffle(levels)
    migrant_flags = [True] * migrants_2019 + [False] * (count_2019 - migrants_2019)
    rng.shuffle(migrant_flags)
    staying = set(
        rng.sample(range(count_2019), min(count_2019, round(RESERVES_STAYING * count_2019), count_2024))
    )
    for i in range(count_2019):
        village = rng.choices(villages, cum_weights=cumulative)[0]
        until, note = None, ""
        if i not in staying:
            until = plan.elections[2021][village.pk] + datetime.timedelta(days=rng.randint(0, 400))
            note = rng.choice(("2021年换届当选村“两委”干部", "外出务工，退出后备力量", "考取乡镇事业编制"))
        since = random_day(rng, D(2015, 3, 1), D(2019, 11, 30))
        people.append([village, ages[i], 2019, levels[i], migrant_flags[i], since, until, note])
    stay_rows = [people[i] for i in sorted(staying)]
    new_count = count_2024 - len(stay_rows)
    stay_age_2024 = sum(row[1] + 5 for row in stay_rows)
    new_total = round(RESERVE_2024_AGE * count_2024) - stay_age_2024
    new_ages = exact_values(rng, new_count, new_total, new_total / new_count if new_count else 0, 5, 22, 45)
    college_new = min(max(college_2024 - sum(row[3] in (BACH, COLL) for row in stay_rows), 0), new_count)
    new_levels = [BACH if rng.random() < 0.35 else COLL for _ in range(college_new)]
    new_levels += [HIGH if rng.random() < 0.8 else JUNIOR for _ in range(new_count - college_new)]
    rng.shuffle(new_levels)
    for age, level in zip(new_ages, new_levels, strict=True):
        village = rng.choices(villages, cum_weights=cumulative)[0]
        since = random_day(rng, D(2021, 4, 1), D(2024, 11, 30))
        people.append([village, age, 2024, level, rng.random() < 0.35, since, None, ""])
    rows = []
    for village, age, year, level, migrant, since, until, note in people:
        born = random_day(rng, D(year - age, 1, 1), D(year - age, 12, 31))
        male = rng.random() < 0.7
        rows.append(
            ReserveCadre(
                village=village,
                name=name(rng, male),
                gender="male" if male else "female",
                id_number=ids.next(born, male),
                birth_date=born,
                education=level,
                is_party_member=rng.random() < 0.55,
                is_returned_migrant=migrant,
                since=since,
                until=min(until, END_OF_DATA) if until else None,
                notes=note,
            )
        )
    return rows
