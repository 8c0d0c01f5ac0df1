"""Time a ranking over every county of a preset already seeded into the database.

    python benchmarks/rankings.py [--year 2026] [--kind village]

Runs ``apps.rankings.services.ranking_run`` for each county (drafts; a county whose period is
published is skipped and listed), then prints subjects, queries and seconds per county and in total.
``benchmarks/run.py`` calls ``time_rankings`` and compares the scores with the SQL floor
(``benchmarks/floors.py``). Measured figures: benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import multiprocessing
import time
from concurrent.futures import ProcessPoolExecutor
from functools import partial

if __name__ == "__main__":  # run as a script: make the project importable first
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from benchmarks.common import setup_django

    setup_django()

from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.core.actors import SYSTEM
from apps.rankings.models import Ranking, RankingStatus
from apps.rankings.services import ranking_run
from apps.villages.models import County


def default_period() -> str:
    """This year: a draft in every county of every preset (the demo publishes last year's in 恩阳区)."""
    return str(timezone.localdate().year)


def time_rankings(*, kind: str = "village", period: str | None = None, verbose: bool = False) -> dict:
    """Run the ranking of ``kind`` and ``period`` for every county; seconds, queries and ranking ids."""
    period = period or default_period()
    counties, skipped = [], []
    total_subjects = total_queries = 0
    sql_seconds = 0.0
    started = time.perf_counter()
    for county in County.objects.order_by("code"):
        if Ranking.objects.filter(
            kind=kind, period=period, county=county, status=RankingStatus.PUBLISHED
        ).exists():
            skipped.append(county.code)
            continue
        county_started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            ranking = ranking_run(actor=SYSTEM, kind=kind, period=period, county=county)
        seconds = time.perf_counter() - county_started
        total_subjects += ranking.subjects
        total_queries += len(queries)
        sql_seconds += sum(float(query["time"]) for query in queries.captured_queries)
        counties.append(
            {
                "county": county.code,
                "ranking_id": ranking.pk,
                "subjects": ranking.subjects,
                "queries": len(queries),
                "seconds": round(seconds, 3),
            }
        )
        if verbose:
            print(
                f"{county.code} {county.name:<8} {ranking.subjects:>6} subjects "
                f"{len(queries):>4} queries {seconds:6.2f} s"
            )
    return {
        "kind": kind,
        "period": period,
        "counties": len(counties),
        "skipped_published": skipped,
        "subjects": total_subjects,
        "queries": total_queries,
        "max_queries_per_county": max((c["queries"] for c in counties), default=0),
        "seconds": round(time.perf_counter() - started, 2),
        # the time PostgreSQL took to answer, as seen by the client; the rest is the worker's Python
        "sql_seconds": round(sql_seconds, 2),
        "per_county": counties,
    }


def _rank_county(kind: str, period: str, county_id: int) -> float:
    started = time.perf_counter()
    ranking_run(actor=SYSTEM, kind=kind, period=period, county=County.objects.get(pk=county_id))
    return time.perf_counter() - started


def time_rankings_on_worker_processes(
    *, county_ids: list[int], kind: str = "village", period: str | None = None, processes: int = 2
) -> dict:
    """The same runs as the Celery worker makes them: one ``run_ranking`` task per county, ``processes``
    at a time (the worker's ``--concurrency 2`` in dev.py and docker-compose.yml), largest first.

    ``county_ids`` in the order to queue them; wall-clock seconds of the whole and the slowest county.
    """
    period = period or default_period()
    connections.close_all()  # each forked process opens its own connection
    started = time.perf_counter()
    with ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("fork")) as pool:
        seconds = list(pool.map(partial(_rank_county, kind, period), county_ids))
    return {
        "processes": processes,
        "seconds": round(time.perf_counter() - started, 2),
        "max_county_seconds": round(max(seconds, default=0.0), 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--year", "--period", dest="period", default=None, help="default: this year")
    parser.add_argument("--kind", default="village", choices=["village", "work_team", "township"])
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args()
    result = time_rankings(kind=args.kind, period=args.period, verbose=not args.quiet)
    print(
        f"{result['kind']} {result['period']}: {result['counties']} counties, {result['subjects']} subjects, "
        f"{result['queries']} queries, {result['seconds']:.1f} s"
        + (
            f" (published, skipped: {', '.join(result['skipped_published'])})"
            if result["skipped_published"]
            else ""
        )
    )


if __name__ == "__main__":
    main()
