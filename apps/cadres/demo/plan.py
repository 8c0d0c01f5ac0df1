"""The simulated history of one county's cadres (who held which seat when), then their attributes."""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from apps.core.demo import DemoError

from ..models import (
    EDUCATION_ORDER,
    CadreSource,
    EndReason,
    Role,
)
from .figures import (
    AGE_2014,
    AGE_2019,
    BACH,
    COLL,
    DEATHS_PER_VILLAGE_YEAR,
    DISMISSALS_PER_VILLAGE_YEAR,
    END_OF_DATA,
    EXCHANGE_COUNTY,
    EXCHANGES_BY_YEAR,
    HIGH,
    JUNIOR,
    LARGE_VILLAGE,
    LATE_RESIGNATIONS_PER_VILLAGE_YEAR,
    LEAVER_AGE_2014,
    ONE_SHOULDER,
    REPLACED_AT_ELECTION,
    RESIGNATION_NOTES,
    RESIGNATION_WEIGHTS,
    RESIGNATIONS_2014_2019,
    SEATS,
    SHARES_2014,
    SHARES_2019,
    SHARES_GROUP,
    SHARES_LATE,
    SNAPSHOT_2014,
    SNAPSHOT_2019,
    START_OF_DATA,
    WEALTH_SECRETARIES,
    D,
    apportion,
    county_quota,
    exact_values,
    random_day,
)


@dataclass
class Person:
    village: object
    era: str  # initial (in office on 1 Jan 2014), mid (joined 2014-2019), late (2020 on), group
    joined: datetime.date
    exchange: bool = False
    runs: list[int] = field(default_factory=list)
    age: int = 0  # at the reference day of its group, see CountyPlan.assign_people
    born_year: int = 0
    birth_date: datetime.date | None = None
    education: str = ""  # today
    education_2014: str = ""
    upgrade: tuple | None = None  # (enrolled_on, completed_on, previous, target)
    open_enrolment: tuple | None = None
    secretary_ever: bool = False
    wealth: bool | None = None


@dataclass
class Run:
    person: int
    village: object
    seat: str
    start: datetime.date
    end: datetime.date | None = None
    reason: str = ""
    note: str = ""

    @property
    def role(self) -> str:
        return Role.GROUP_LEADER if self.seat.startswith("G") else SEATS[self.seat]

    def held_on(self, day: datetime.date) -> bool:
        return self.start <= day and (self.end is None or day < self.end)


class CountyPlan:
    """The simulated history of one county's cadres, then their attributes."""

    def __init__(self, rng: random.Random, county, villages: list):
        self.rng, self.county, self.villages = rng, county, villages
        self.code = county.code[:6]
        self.people: list[Person] = []
        self.runs: list[Run] = []
        self.seats: dict[int, dict[str, int]] = {v.pk: {} for v in villages}
        self.holding: dict[int, set[int]] = defaultdict(set)  # person -> current run ids
        self.in_office: list[int] = []  # committee people holding a seat now (for random picks)
        self.office_index: dict[int, int] = {}
        self.elections: dict[int, dict[int, datetime.date]] = {}
        self.exchange_villages: set[int] = set()
        self.one_shoulder_after: dict[int, set[int]] = {}

    # Who holds what

    def person(self, village, era: str, joined: datetime.date, exchange: bool = False) -> int:
        self.people.append(Person(village=village, era=era, joined=joined, exchange=exchange))
        return len(self.people) - 1

    def start(self, person: int, village, seat: str, day: datetime.date) -> None:
        run_id = len(self.runs)
        self.runs.append(Run(person=person, village=village, seat=seat, start=day))
        self.people[person].runs.append(run_id)
        self.seats[village.pk][seat] = run_id
        self.holding[person].add(run_id)
        if seat == "S":
            self.people[person].secretary_ever = True
        if not seat.startswith("G") and person not in self.office_index:
            self.office_index[person] = len(self.in_office)
            self.in_office.append(person)

    def end(self, run_id: int, day: datetime.date, reason: str, note: str = "") -> None:
        run = self.runs[run_id]
        run.end, run.reason, run.note = day, reason, note
        if self.seats[run.village.pk].get(run.seat) == run_id:
            del self.seats[run.village.pk][run.seat]
        self.holding[run.person].discard(run_id)
        if not self.holding[run.person] and run.person in self.office_index:
            index = self.office_index.pop(run.person)
            last = self.in_office.pop()
            if last != run.person:
                self.in_office[index] = last
                self.office_index[last] = index

    def holder(self, village, seat: str) -> int | None:
        run_id = self.seats[village.pk].get(seat)
        return None if run_id is None else self.runs[run_id].person

    def era_on(self, day: datetime.date) -> str:
        return "mid" if day.year <= 2019 else "late"

    # The history

    def simulate(self) -> None:
        rng = self.rng
        one_shoulder = set(self._pick_villages(ONE_SHOULDER["initial"]))
        for village in self.villages:
            secretary = self.person(village, "initial", START_OF_DATA)
            self.start(secretary, village, "S", START_OF_DATA)
            director = (
                secretary if village.pk in one_shoulder else self.person(village, "initial", START_OF_DATA)
            )
            self.start(director, village, "D", START_OF_DATA)
            for seat in self.other_seats(village):
                self.start(self.person(village, "initial", START_OF_DATA), village, seat, START_OF_DATA)
            for year, first, last in (
                (2016, D(2016, 11, 1), D(2016, 12, 10)),
                (2021, D(2021, 1, 10), D(2021, 3, 20)),
            ):
                self.elections.setdefault(year, {})[village.pk] = random_day(rng, first, last)
        for events in self._events():
            day, _order, kind, payload = events
            getattr(self, f"_on_{kind}")(day, payload)
        self._group_cadres()

    def _pick_villages(self, share: float, exclude: set[int] = frozenset()) -> list[int]:
        candidates = [v.pk for v in self.villages if v.pk not in exclude]
        return self.rng.sample(candidates, min(len(candidates), round(share * len(self.villages))))

    def _events(self) -> list[tuple]:
        rng, events, n = self.rng, [], len(self.villages)
        total = county_quota(self.code, n, RESIGNATIONS_2014_2019)
        years = sorted(RESIGNATION_WEIGHTS)
        for year, count in zip(years, apportion(total, [RESIGNATION_WEIGHTS[y] for y in years]), strict=True):
            events += [
                (random_day(rng, D(year, 1, 5), D(year, 12, 28)), 2, "resign", None) for _ in range(count)
            ]
        for year in range(2020, END_OF_DATA.year + 1):
            last = min(D(year, 12, 28), END_OF_DATA)
            for _ in range(
                self._count(LATE_RESIGNATIONS_PER_VILLAGE_YEAR * n * (last.timetuple().tm_yday / 365))
            ):
                events.append((random_day(rng, D(year, 1, 5), last), 2, "resign", None))
        for year in range(2014, END_OF_DATA.year + 1):
            last = min(D(year, 12, 28), END_OF_DATA)
            for _ in range(self._count(DEATHS_PER_VILLAGE_YEAR * n)):
                events.append((random_day(rng, D(year, 1, 5), last), 2, "leave", EndReason.DECEASED))
            for _ in range(self._count(DISMISSALS_PER_VILLAGE_YEAR * n)):
                events.append((random_day(rng, D(year, 1, 5), last), 2, "leave", EndReason.DISMISSED))
        for year, dates in self.elections.items():
            for village in self.villages:
                events.append((dates[village.pk], 1, f"election_{year}", village))
        if self.code == EXCHANGE_COUNTY:
            chosen = rng.sample(self.villages, sum(EXCHANGES_BY_YEAR.values()))
            position = 0
            for year, count in EXCHANGES_BY_YEAR.items():
                for village in chosen[position : position + count]:
                    # The 2016 ones come right after that year's election.
                    day = D(2016, 12, 20) if year == 2016 else random_day(rng, D(year, 2, 1), D(year, 11, 30))
                    events.append((day, 3, "exchange", village))
                position += count
        return sorted(events, key=lambda e: (e[0], e[1], getattr(e[3], "pk", 0)))

    def _count(self, expected: float) -> int:
        return int(expected) + (1 if self.rng.random() < expected - int(expected) else 0)

    def _replace(self, person: int, day: datetime.date, reason: str, note: str = "") -> None:
        """``person`` leaves every seat; one newcomer takes them (both, for a 一肩挑 secretary)."""
        seats = [(self.runs[r].village, self.runs[r].seat) for r in sorted(self.holding[person])]
        for run_id in list(self.holding[person]):
            self.end(run_id, day, reason, note)
        successor = None
        for village, seat in seats:
            if successor is None or self.people[successor].village.pk != village.pk:
                successor = self.person(village, self.era_on(day), day)
            self.start(successor, village, seat, day)

    def _pick(self, day: datetime.date, *, spare_secretaries: bool) -> int | None:
        for _attempt in range(50):
            person = self.in_office[self.rng.randrange(len(self.in_office))]
            info = self.people[person]
            if info.exchange or any(self.runs[r].start >= day for r in self.holding[person]):
                continue
            if spare_secretaries and any(self.runs[r].seat == "S" for r in self.holding[person]):
                continue
            return person
        return None

    def _on_resign(self, day, _payload) -> None:
        # After the 2021 election secretaries stay, so the 2024 study's figures hold to this day.
        person = self._pick(day, spare_secretaries=day.year >= 2021)
        if person is None:
            raise DemoError(f"No cadre left to resign in county {self.code}.")
        self._replace(person, day, EndReason.RESIGNED, self.rng.choice(RESIGNATION_NOTES))

    def _on_leave(self, day, reason) -> None:
        person = self._pick(day, spare_secretaries=day.year >= 2021)
        if person is not None:
            self._replace(person, day, reason)

    def _on_exchange(self, day, village) -> None:
        old = self.holder(village, "S")
        director_too = old is not None and self.holder(village, "D") == old
        if old is not None:
            for run_id in list(self.holding[old]):
                if self.runs[run_id].village.pk == village.pk and self.runs[run_id].seat in ("S", "D"):
                    self.end(run_id, day, EndReason.TRANSFERRED, "异地交流任职调整")
        newcomer = self.person(village, "mid", day, exchange=True)
        self.start(newcomer, village, "S", day)
        if director_too:
            self.start(self.person(village, "mid", day), village, "D", day)
        self.exchange_villages.add(village.pk)

    def _on_election_2016(self, day, village) -> None:
        self._election(2016, day, village)

    def _on_election_2021(self, day, village) -> None:
        self._election(2021, day, village)

    def _election(self, year: int, day: datetime.date, village) -> None:
        rng, seats = self.rng, self.seats[village.pk]
        if year not in self.one_shoulder_after:
            self.one_shoulder_after[year] = set(
                self._pick_villages(ONE_SHOULDER[year], self.exchange_villages)
            )
        one_shoulder = village.pk in self.one_shoulder_after[year]
        holders = {seat: self.runs[run_id].person for seat, run_id in seats.items()}
        staying = {
            person
            for person in set(holders.values())
            if self.people[person].exchange
            or any(self.runs[r].start >= day for r in self.holding[person])
            or rng.random() >= REPLACED_AT_ELECTION[year]
        }
        wanted: dict[str, int | None] = {}
        secretary = holders.get("S")
        wanted["S"] = secretary if secretary in staying else None
        for seat in self.other_seats(village):
            wanted[seat] = holders.get(seat) if holders.get(seat) in staying else None
        director = holders.get("D")
        if one_shoulder:
            wanted["D"] = "S"  # filled with whoever holds S after the election
        elif director in staying and director != secretary:
            wanted["D"] = director
        else:
            wanted["D"] = None
        newcomers: dict[str, int] = {}
        for seat in ("S", *self.other_seats(village), "D"):
            keep = wanted[seat]
            if keep == "S":
                keep = wanted["S"] if wanted["S"] is not None else newcomers["S"]
            current = holders.get(seat)
            if keep is not None and keep == current:
                continue
            if current is not None:
                self.end(seats[seat], day, EndReason.TERM_END)
            if keep is None:
                keep = self.person(village, self.era_on(day), day)
                newcomers[seat] = keep
            self.start(keep, village, seat, day)
        # People who kept no seat have left at the end of their term (handled by ``end``).

    @staticmethod
    def other_seats(village) -> tuple[str, ...]:
        """Clerk and committee members: a second member in larger villages."""
        return ("C", "M1", "M2") if village.population_registered >= LARGE_VILLAGE else ("C", "M1")

    def _group_cadres(self) -> None:
        """One group cadre (组长) in every other village: enough for the pay figure, light on rows."""
        for village in self.villages[::2]:
            day = self.elections[2016][village.pk]
            self.start(self.person(village, "group", day), village, "G1", day)

    # Ages, education and the rest

    def assign_people(self) -> None:
        rng = self.rng
        committee = [i for i, p in enumerate(self.people) if p.era != "group"]
        both, only_2014, only_2019, others = [], [], [], []
        for i in committee:
            runs = [self.runs[r] for r in self.people[i].runs]
            in_2014 = any(r.held_on(SNAPSHOT_2014) for r in runs)
            in_2019 = any(r.held_on(SNAPSHOT_2019) for r in runs)
            (
                both if in_2014 and in_2019 else only_2014 if in_2014 else only_2019 if in_2019 else others
            ).append(i)
        n14, n19 = len(both) + len(only_2014), len(both) + len(only_2019)
        # Ages: exact sums per snapshot; those in office on both days age exactly five years.
        sum_b = round(LEAVER_AGE_2014 * len(only_2014))
        sum_a = round(AGE_2014 * n14) - sum_b
        sum_c = round(AGE_2019 * n19) - (sum_a + 5 * len(both))
        for group, total, low, high, year in (
            (only_2014, sum_b, 35, 68, 2014),
            (both, sum_a, 28, 64, 2014),
            (only_2019, sum_c, 24, 60, 2019),
        ):
            mean = total / len(group) if group else 0
            for person, age in zip(
                group, exact_values(rng, len(group), total, mean, 7, low, high), strict=True
            ):
                self.people[person].age, self.people[person].born_year = age, year - age
        self._deal_education(both, only_2014, only_2019)
        for i in others:
            person = self.people[i]
            if person.era == "initial":
                person.age = min(max(round(rng.gauss(56, 7)), 35), 70)
                person.born_year = 2014 - person.age
                person.education = self._draw(SHARES_2014)
            else:
                person.age = min(max(round(rng.gauss(39 if person.era == "mid" else 37, 8)), 23), 58)
                person.born_year = person.joined.year - person.age
                person.education = self._draw(SHARES_2019 if person.era == "mid" else SHARES_LATE)
        for person in self.people:
            if person.era == "group":
                person.age = min(max(round(rng.gauss(52, 8)), 30), 68)
                person.born_year = 2019 - person.age
                person.education = self._draw(SHARES_GROUP)
            person.birth_date = random_day(rng, D(person.born_year, 1, 1), D(person.born_year, 12, 31))
            if person.era == "initial":
                earliest = max(D(2002, 1, 1), D(person.born_year + 23, 1, 1))
                first_run = self.runs[person.runs[0]]
                first_run.start = random_day(rng, earliest, D(2013, 12, 20))
                for run_id in person.runs[1:]:
                    if self.runs[run_id].start == START_OF_DATA:
                        self.runs[run_id].start = first_run.start
        self._open_enrolments()

    def _draw(self, shares: Sequence[float]) -> str:
        return self.rng.choices(EDUCATION_ORDER, weights=shares)[0]

    def _deal_education(self, both: list[int], only_2014: list[int], only_2019: list[int]) -> None:
        rng = self.rng
        target_2014 = apportion(len(both) + len(only_2014), SHARES_2014)
        target_2019 = apportion(len(both) + len(only_2019), SHARES_2019)
        stayers = apportion(len(both), SHARES_2014)
        leavers = [t - a for t, a in zip(target_2014, stayers, strict=True)]
        upgrades = {HIGH: round(0.015 * len(both)), COLL: round(0.004 * len(both))}  # to the next level up

        def after_upgrades(counts):
            out = list(counts)
            for level, count in upgrades.items():
                count = min(count, out[EDUCATION_ORDER.index(level)])
                upgrades[level] = count
                out[EDUCATION_ORDER.index(level)] -= count
                out[EDUCATION_ORDER.index(level) - 1] += count
            return out

        for _attempt in range(10_000):
            for k in range(4):
                if leavers[k] < 0:  # move one stayer of level k to the leavers' largest level
                    j = max(range(4), key=lambda x: leavers[x])
                    stayers[k], leavers[k], stayers[j], leavers[j] = (
                        stayers[k] - 1,
                        leavers[k] + 1,
                        stayers[j] + 1,
                        leavers[j] - 1,
                    )
            joiners = [t - a for t, a in zip(target_2019, after_upgrades(stayers), strict=True)]
            short = [k for k in range(4) if joiners[k] < 0]
            if not short and min(leavers) >= 0:
                break
            for k in short:
                j = max(range(4), key=lambda x: joiners[x])
                if leavers[j] < 1:
                    raise DemoError(f"Cannot deal education quotas in county {self.code}.")
                stayers[k], leavers[k], stayers[j], leavers[j] = (
                    stayers[k] - 1,
                    leavers[k] + 1,
                    stayers[j] + 1,
                    leavers[j] - 1,
                )
        else:
            raise DemoError(f"Cannot deal education quotas in county {self.code}.")

        def deal(group: list[int], counts: list[int]) -> None:
            ranked = sorted(group, key=lambda i: (self.people[i].age + rng.gauss(0, 8), i))
            levels = [
                level for level, count in zip(EDUCATION_ORDER, counts, strict=True) for _ in range(count)
            ]
            for person, level in zip(ranked, levels, strict=True):
                self.people[person].education = self.people[person].education_2014 = level

        deal(only_2014, leavers)
        deal(both, stayers)
        deal(only_2019, joiners)
        for level, count in upgrades.items():
            candidates = sorted(
                (i for i in both if self.people[i].education_2014 == level),
                key=lambda i: (self.people[i].age, i),
            )
            for i in rng.sample(candidates[: max(count * 3, count)], count):
                person = self.people[i]
                target = EDUCATION_ORDER[EDUCATION_ORDER.index(level) - 1]
                completed = random_day(rng, D(2015, 7, 1), D(2019, 7, 15))
                enrolled = completed - datetime.timedelta(days=rng.randint(760, 1000))
                person.upgrade = (enrolled, completed, level, target)
                person.education = target

    def _open_enrolments(self) -> None:
        rng = self.rng
        for person in self.people:
            if person.era == "group" or person.upgrade or not self.current_runs(person):
                continue
            if person.education in (HIGH, JUNIOR) and rng.random() < 0.04:
                target = COLL if person.education == HIGH else HIGH
                enrolled = rng.choice((D(2023, 9, 1), D(2024, 3, 1), D(2024, 9, 1), D(2025, 3, 1)))
                if enrolled > max(self.runs[r].start for r in person.runs):
                    person.open_enrolment = (enrolled, target)

    def current_runs(self, person: Person) -> list[Run]:
        return [self.runs[r] for r in person.runs if self.runs[r].end is None]

    def source(self, person: Person) -> str:
        rng = self.rng
        if person.exchange:
            return CadreSource.EXCHANGE
        if person.era in ("initial", "group"):
            return rng.choices(
                (
                    CadreSource.LOCAL,
                    CadreSource.RETURNED_MIGRANT,
                    CadreSource.REHIRED_RETIREE,
                    CadreSource.SELECTED,
                ),
                weights=(88, 7, 2, 3) if person.era == "initial" else (85, 15, 0, 0),
            )[0]
        age_at_join = person.joined.year - person.born_year
        if person.education in (BACH, COLL) and age_at_join < 35 and rng.random() < 0.45:
            return CadreSource.GRADUATE
        if age_at_join >= 55 and rng.random() < 0.5:
            return CadreSource.REHIRED_RETIREE
        roll = rng.random()
        if roll < 0.42:
            return CadreSource.RETURNED_MIGRANT
        if roll < 0.48:
            return CadreSource.SELECTED
        return CadreSource.LOCAL

    def mark_wealth_leaders(self) -> None:
        current_secretaries = sorted(
            {self.runs[r].person for seats in self.seats.values() for seat, r in seats.items() if seat == "S"}
        )
        quota = round(len(self.villages) * WEALTH_SECRETARIES[0] / WEALTH_SECRETARIES[1])
        chosen = set(self.rng.sample(current_secretaries, min(quota, len(current_secretaries))))
        for i, person in enumerate(self.people):
            if i in current_secretaries:
                person.wealth = i in chosen
            else:
                share = 0.45 if person.secretary_ever else 0.10 if person.era == "group" else 0.18
                person.wealth = self.rng.random() < share
