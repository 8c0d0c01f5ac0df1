"""Computing a ranking: subjects, indicator values, weighted scores and competition ranks (read only).

Everything is read first (in one repeatable-read transaction when possible, so all inputs are
from one moment: ``inputs_read_at``); the services then write the snapshot in one short transaction.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from apps.assistance.selectors import work_team_list
from apps.assistance.selectors._expressions import overlap_q
from apps.core.actors import SYSTEM
from apps.core.periods import Month
from apps.villages.selectors import township_list, village_list

from .indicators import DEFAULT_BOTTOM_N, DEFAULT_WEIGHTS, INDICATORS, Context, missing_value, round2
from .models import RankingConfiguration, RankingKind, SubjectType


@dataclass
class Subject:
    id: int
    name: str
    township_id: int | None
    village_id: int | None


@dataclass
class ComputedEntry:
    subject: Subject
    score: Decimal
    breakdown: list[dict]
    missing: list[str]
    rank: int = 0


@dataclass
class ComputedRanking:
    kind: str
    period: object
    county: object
    configuration: RankingConfiguration | None
    weights: dict[str, int | float]
    bottom_n: int
    inputs_read_at: datetime.datetime
    entries: list[ComputedEntry] = field(default_factory=list)

    @property
    def subject_type(self) -> str:
        return {RankingKind.VILLAGE: SubjectType.VILLAGE, RankingKind.WORK_TEAM: SubjectType.WORK_TEAM}.get(
            self.kind, SubjectType.TOWNSHIP
        )


def configuration_in_force(
    *, county, kind: str, on: datetime.date
) -> tuple[RankingConfiguration | None, dict, int]:
    """The county's configuration of ``kind`` valid on ``on`` (its weights and bottom N), else the defaults."""
    row = (
        RankingConfiguration.objects.filter(county=county, kind=kind, valid_from__lte=on)
        .order_by("-valid_from", "-pk")
        .first()
    )
    if row is None:
        return None, dict(DEFAULT_WEIGHTS[kind]), DEFAULT_BOTTOM_N
    return row, dict(row.weights), row.bottom_n


def subjects_of(kind: str, county, first: datetime.date, last: datetime.date) -> list[Subject]:
    """Villages not retired before the period ends, work teams active in it, or the county's townships."""
    if kind == RankingKind.VILLAGE:
        rows = (
            village_list(user=SYSTEM)
            .filter(county=county)
            .filter(Q(retired_on__isnull=True) | Q(retired_on__gt=last))
            .values_list("pk", "name", "township_id")
        )
        return [Subject(pk, name, township_id, pk) for pk, name, township_id in rows]
    if kind == RankingKind.WORK_TEAM:
        rows = (
            work_team_list(user=SYSTEM, on=last)
            .filter(overlap_q(first, last), village__county=county)
            .values_list("pk", "village__name", "start_date", "village__township_id", "village_id")
        )
        return [
            Subject(pk, f"{village} ({start:%Y-%m})", township_id, village_id)
            for pk, village, start, township_id, village_id in rows
        ]
    rows = township_list(user=SYSTEM).filter(county=county).values_list("pk", "name")
    return [Subject(pk, name, pk, None) for pk, name in rows]


def competition_ranks(entries: list[ComputedEntry]) -> None:
    """Sort best first and rank 1, 2, 2, 4 (equal scores share the better rank); ties by name."""
    entries.sort(key=lambda e: (-e.score, e.subject.name, e.subject.id))
    for index, entry in enumerate(entries):
        if index and entry.score == entries[index - 1].score:
            entry.rank = entries[index - 1].rank
        else:
            entry.rank = index + 1


def score_subjects(ctx: Context, subjects: list[Subject], weights: dict) -> list[ComputedEntry]:
    """Each subject's weighted score from the indicators with a weight (one set-based query or so each)."""
    used = [
        (INDICATORS[code], Decimal(str(weight))) for code, weight in weights.items() if code in INDICATORS
    ]
    columns = []
    for indicator, weight in used:
        values = indicator.compute(ctx)
        # Per indicator, not per subject: the weight as a float and the raw value of a subject without data.
        columns.append(
            (indicator.code, float(weight), values, indicator.scale(values), missing_value(indicator, ctx))
        )
    entries = []
    for subject in subjects:
        breakdown, missing, weighted, total_weight = [], [], 0.0, 0.0
        for code, weight, values, normalise, default in columns:
            raw = values.get(subject.id)
            if raw is None:
                raw = default
            if raw is None:
                missing.append(code)
                breakdown.append(
                    {
                        "indicator": code,
                        "value": None,
                        "normalised": None,
                        "weight": weight,
                        "contribution": 0.0,
                        "missing": True,
                    }
                )
                continue
            value = normalise(raw)
            contribution = value * weight
            weighted += contribution
            total_weight += weight
            breakdown.append(
                {
                    "indicator": code,
                    "value": float(raw) if not isinstance(raw, bool) else (100.0 if raw else 0.0),
                    "normalised": round(value, 2),
                    "weight": weight,
                    "contribution": contribution,
                    "missing": False,
                }
            )
        # Weights of indicators without data are spread over the others (see apps.rankings.indicators).
        for item in breakdown:
            item["contribution"] = round(item["contribution"] / total_weight, 2) if total_weight else 0.0
        score = round2(weighted / total_weight) if total_weight else Decimal("0.00")
        entries.append(ComputedEntry(subject, score, breakdown, missing))
    competition_ranks(entries)
    return entries


def compute_ranking(
    *, kind: str, period, county, progress: Callable[[int], None] | None = None
) -> ComputedRanking:
    """Read every input of a (kind, period, county) run and return its entries, ranked."""
    progress = progress or (lambda percent: None)
    with transaction.atomic():
        with connection.cursor() as cursor:
            if _outermost():
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            # Each query reads one county: JIT compilation and parallel workers (tens of ms to start)
            # cost more than they save at this size (measured: province preset 28 s → 14 s).
            cursor.execute(
                "SELECT set_config('jit', 'off', true), set_config('max_parallel_workers_per_gather', '0', true)"
            )
        inputs_read_at = timezone.now()
        configuration, weights, bottom_n = configuration_in_force(county=county, kind=kind, on=period.last)
        result = ComputedRanking(kind, period, county, configuration, weights, bottom_n, inputs_read_at)
        progress(10)
        ctx = Context(kind=kind, county=county, first=period.first, last=period.last, period=period)
        if kind == RankingKind.TOWNSHIP:
            _, village_weights, _n = configuration_in_force(
                county=county, kind=RankingKind.VILLAGE, on=period.last
            )
            village_ctx = Context(
                kind=RankingKind.VILLAGE, county=county, first=period.first, last=period.last, period=period
            )
            villages = subjects_of(RankingKind.VILLAGE, county, period.first, period.last)
            scores: dict[int, list[float]] = {}
            for entry in score_subjects(village_ctx, villages, village_weights):
                scores.setdefault(entry.subject.township_id, []).append(float(entry.score))
            ctx.village_scores = scores
            progress(50)
        subjects = subjects_of(kind, county, period.first, period.last)
        result.entries = score_subjects(ctx, subjects, weights)
        progress(80)
    return result


def _outermost() -> bool:
    """Whether the atomic block just opened is the outermost one (a fresh transaction)."""
    return not connection.savepoint_ids


def is_monthly(period) -> bool:
    return isinstance(period, Month)
