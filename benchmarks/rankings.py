"""Time a yearly village ranking over every county of a preset already seeded into the database.

    DJANGO_SETTINGS_MODULE=config.settings.local python benchmarks/rankings.py [--year 2025] [--kind village]

Runs ``apps.rankings.services.ranking_run`` for each county (drafts; a published period is
skipped), then prints villages, queries and seconds per county and in total. Target: the
``province`` preset (~25,000 villages) in under 30 s on the 2-core machine.

Measured 2026-11-23 (2 cores shared with other jobs, load ≈ 6, after VACUUM ANALYZE of the seeded
database): village 2025, 56 counties, 25,000 villages, 27 queries per county: 13.6–14.1 s
(re-runs replacing the drafts included); township 2025: 10.0 s; work_team 2025-10: 2.3 s.
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from apps.core.actors import SYSTEM  # noqa: E402
from apps.rankings.models import Ranking, RankingStatus  # noqa: E402
from apps.rankings.services import ranking_run  # noqa: E402
from apps.villages.models import County  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--year", default="2025")
    parser.add_argument("--kind", default="village", choices=["village", "work_team", "township"])
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args()
    counties = list(County.objects.order_by("code"))
    total_subjects = total_queries = 0
    started = time.perf_counter()
    for county in counties:
        if Ranking.objects.filter(
            kind=args.kind, period=args.year, county=county, status=RankingStatus.PUBLISHED
        ).exists():
            continue
        t0 = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            ranking = ranking_run(actor=SYSTEM, kind=args.kind, period=args.year, county=county)
        total_subjects += ranking.subjects
        total_queries += len(queries)
        if not args.quiet:
            print(
                f"{county.code} {county.name:<8} {ranking.subjects:>6} subjects "
                f"{len(queries):>4} queries {time.perf_counter() - t0:6.2f} s"
            )
    elapsed = time.perf_counter() - started
    print(
        f"{args.kind} {args.year}: {len(counties)} counties, {total_subjects} subjects, "
        f"{total_queries} queries, {elapsed:.1f} s"
    )


if __name__ == "__main__":
    main()
