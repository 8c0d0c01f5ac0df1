"""Time the city dashboard of a preset already seeded into the database (in-process, no network).

    python benchmarks/dashboard.py [--runs 30] [--year 2025]

Logs in as the demo ``city_admin``, requests ``/dashboard/city/<id>/`` ``--runs`` times after two
warm-up requests, and prints the median and 95th percentile of the server time and the number of SQL
queries of one request. ``benchmarks/run.py`` calls ``time_dashboard`` and compares it with the SQL
floor (``benchmarks/floors.py``). Targets on the ``bazhong`` preset (2,228 villages), 2-core machine:
median ≤ 150 ms, ≤ 25 queries, ≤ 2× the floor; the same query count on every preset
(tests/dashboard/test_presets.py).
"""

from __future__ import annotations

import argparse

if __name__ == "__main__":  # run as a script: make the project importable first
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from benchmarks.common import setup_django

    setup_django()

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.villages.models import City, Village
from benchmarks.common import summary_ms, timed_runs


def default_year() -> int:
    """The dashboard's own default: last year."""
    return timezone.localdate().year - 1


def city_dashboard_request(*, year: int | None = None, username: str = "city_admin"):
    """A function that requests the first city's dashboard once (and checks it answered 200), its city."""
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(User.objects.get(username=username))
    city = City.objects.order_by("code").first()
    url = f"{reverse('dashboard:dashboard', args=['city', city.pk])}?year={year or default_year()}"

    def request():
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        return response

    return request, city


def time_dashboard(*, runs: int = 30, year: int | None = None, username: str = "city_admin") -> dict:
    request, city = city_dashboard_request(year=year, username=username)
    timings = timed_runs(request, runs)
    with CaptureQueriesContext(connection) as queries:
        request()
    villages = Village.objects.filter(county__city=city, retired_on__isnull=True).count()
    return {
        "city": city.code,
        "villages": villages,
        "year": year or default_year(),
        "queries": len(queries),
        "sql_ms": round(1000 * sum(float(query["time"]) for query in queries.captured_queries), 1),
        **summary_ms(timings),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--year", type=int, default=None, help="default: last year")
    parser.add_argument("--user", default="city_admin")
    args = parser.parse_args()
    result = time_dashboard(runs=args.runs, year=args.year, username=args.user)
    print(
        f"city dashboard {result['city']} ({result['villages']} villages), {result['runs']} runs: "
        f"median {result['median_ms']:.0f} ms, p95 {result['p95_ms']:.0f} ms, {result['queries']} queries"
    )


if __name__ == "__main__":
    main()
