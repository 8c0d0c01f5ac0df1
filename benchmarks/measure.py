"""The in-process measurements of one seeded database (``benchmarks/run.py`` runs this per preset).

    DATABASE_URL=... python -m benchmarks.measure --json out.json [--quick]

Order matters: the read measurements (ranking, dashboard, EXPLAIN) come before the redemptions
and the import, which add rows.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

from benchmarks.common import setup_django

setup_django()

from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from apps.accounts.models import User  # noqa: E402
from apps.core.imports.benchmark import import_households  # noqa: E402
from apps.core.periods import parse_period  # noqa: E402
from apps.dashboard import selectors as dashboard_selectors  # noqa: E402
from apps.dashboard.scope import Scope  # noqa: E402
from apps.rankings.models import RankingEntry  # noqa: E402
from apps.rankings.scoring import configuration_in_force  # noqa: E402
from apps.villages.models import City, County  # noqa: E402
from benchmarks import explain, floors, redemptions  # noqa: E402
from benchmarks.common import summary_ms  # noqa: E402
from benchmarks.dashboard import default_year, time_dashboard  # noqa: E402
from benchmarks.rankings import (  # noqa: E402
    default_period,
    time_rankings,
    time_rankings_on_worker_processes,
)

SCALE_TABLES = {
    "cities": "villages_city",
    "counties": "villages_county",
    "townships": "villages_township",
    "villages": "villages_village",
    "cadres": "cadres_cadre",
    "cadre positions": "cadres_cadreposition",
    "ratings": "villages_rating",
    "households": "assistance_household",
    "household incomes": "assistance_householdincome",
    "duty logs": "assistance_dutylog",
    "ledger entries": "morality_bank_ledgerentry",
    "ranking entries": "rankings_rankingentry",
}


def scale() -> dict:
    """Rows per table, and bytes per row of each table with its indexes (audit trail apart), for sizing."""
    counts, bytes_per_row = {}, {}
    with connection.cursor() as cursor:
        for label, table in SCALE_TABLES.items():
            cursor.execute(
                f"SELECT count(*), pg_total_relation_size(%s) FROM {connection.ops.quote_name(table)}",  # noqa: S608
                [table],
            )
            rows, size = cursor.fetchone()
            counts[label] = rows
            bytes_per_row[label] = round(size / rows) if rows else None
        cursor.execute("SELECT pg_database_size(current_database())")
        counts["database MB"] = round(cursor.fetchone()[0] / 2**20)
    return {**counts, "bytes per row (table and its indexes)": bytes_per_row}


def ranking_with_floor(*, period: str, floor_runs: int) -> dict:
    """The app's run over every county, the one-statement floor, and whether their results are equal."""
    app = time_rankings(kind="village", period=period)
    pk_of = dict(County.objects.values_list("code", "pk"))
    largest_first = sorted(app["per_county"], key=lambda county: -county["subjects"])
    app["worker_processes"] = time_rankings_on_worker_processes(
        county_ids=[pk_of[county["county"]] for county in largest_first],
        period=period,
    )
    year = parse_period(period)
    weights = {
        tuple(configuration_in_force(county=county, kind="village", on=year.last)[1].items())
        for county in County.objects.all()
    }
    if len(weights) != 1:
        app["floor"] = {"available": False, "note": "counties use different weights"}
        return app
    ids = [county["ranking_id"] for county in app["per_county"]]
    entries = {
        village: (county, score, rank)
        for village, county, score, rank in RankingEntry.objects.filter(ranking_id__in=ids).values_list(
            "subject_id", "ranking__county_id", "score", "rank"
        )
    }
    timings, result = [], {}
    for _ in range(floor_runs):
        seconds, result = floors.village_ranking_floor(year=year.year, weights=dict(next(iter(weights))))
        timings.append(seconds)
    ranked = {c["county"] for c in app["per_county"]}
    skipped_ids = set(County.objects.filter(code__in=app["skipped_published"]).values_list("pk", flat=True))
    floor_result = {village: row for village, row in result.items() if row[0] not in skipped_ids}
    seconds = statistics.median(timings)
    app["floor"] = {
        "available": True,
        "seconds": round(seconds, 2),
        "runs": floor_runs,
        "ratio": round(app["seconds"] / seconds, 2) if seconds else None,
        "ratio_worker_processes": round(app["worker_processes"]["seconds"] / seconds, 2) if seconds else None,
        "counties": len(ranked),
        **floors.compare_rankings(entries, floor_result),
    }
    return app


def dashboard_with_floor(*, runs: int, year: int, floor_runs: int) -> dict:
    """The page's server time, the one-statement floor of its figures, and whether they are equal."""
    result = time_dashboard(runs=runs, year=year)
    city = City.objects.get(code=result["city"])
    user = User.objects.get(username="city_admin")
    app_figures = floors.dashboard_figures(
        dashboard_selectors.dashboard(user=user, scope=Scope("city", city), year=year)
    )
    today = timezone.localdate()
    floors.city_dashboard_floor(city_id=city.pk, year=year, today=today)  # warm-up
    timings, figures = [], {}
    for _ in range(floor_runs):
        seconds, figures = floors.city_dashboard_floor(city_id=city.pk, year=year, today=today)
        timings.append(seconds * 1000)
    floor = summary_ms(timings)
    result["floor"] = {
        **floor,
        "ratio": round(result["median_ms"] / floor["median_ms"], 2),
        "match": figures == app_figures,
        "differences": sorted(key for key in app_figures if app_figures[key] != figures.get(key)),
    }
    return result


def measure_import(rows: int) -> dict:
    """``import_households(rows)`` of apps/core/imports/benchmark.py: validate, then commit (rolled back)."""
    started = time.perf_counter()
    outcome = import_households(rows)
    seconds = time.perf_counter() - started
    return {
        "rows": rows,
        "seconds": round(seconds, 2),
        "rows_per_second": round(rows / seconds, 1) if seconds else None,
        "outcome": outcome,
    }


def server() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('server_version'), current_setting('shared_buffers'), "
                       "current_setting('work_mem'), current_setting('jit'), "
                       "current_setting('max_parallel_workers_per_gather')")  # fmt: skip
        version, shared_buffers, work_mem, jit, parallel = cursor.fetchone()
    return {
        "postgresql": version,
        "shared_buffers": shared_buffers,
        "work_mem": work_mem,
        "jit": jit,
        "max_parallel_workers_per_gather": parallel,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", required=True, help="where to write the results")
    parser.add_argument("--quick", action="store_true", help="fewer repetitions (a smoke run)")
    parser.add_argument("--period", default=None, help="village ranking year (default: this year)")
    parser.add_argument("--year", type=int, default=None, help="dashboard year (default: last year)")
    parser.add_argument("--import-rows", type=int, default=10_000)
    args = parser.parse_args()
    quick = args.quick
    steps = {
        "scale": scale,
        "server": server,
        "ranking": lambda: ranking_with_floor(
            period=args.period or default_period(), floor_runs=1 if quick else 3
        ),
        "dashboard": lambda: dashboard_with_floor(
            runs=5 if quick else 30, year=args.year or default_year(), floor_runs=2 if quick else 10
        ),
        "explain": explain.explain_lists,
        "redemptions": lambda: redemptions.measure_redemptions(
            threads=4 if quick else 8, redemptions_each=5 if quick else 50
        ),
        "import": lambda: measure_import(200 if quick else args.import_rows),
    }
    results = {}
    for name, step in steps.items():
        started = time.perf_counter()
        results[name] = step()
        print(f"  {name}: {time.perf_counter() - started:.1f} s", flush=True)
    with open(args.json, "w", encoding="utf-8") as stream:
        json.dump(results, stream, ensure_ascii=False, indent=2, default=str)


if __name__ == "__main__":
    main()
