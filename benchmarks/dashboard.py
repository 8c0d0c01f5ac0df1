"""Time the city dashboard of a preset already seeded into the database (in-process, no network).

    DJANGO_SETTINGS_MODULE=config.settings.local python benchmarks/dashboard.py [--runs 30] [--year 2025]

Logs in as the demo ``city_admin``, requests ``/dashboard/city/<id>/`` ``--runs`` times after two
warm-up requests, and prints the median, 90th percentile and the number of SQL queries. Targets on
the ``bazhong`` preset (2,228 villages), 2-core machine: median under 300 ms (issue 10; 150 ms
wanted), a query count that is the same on every preset (tests/dashboard/test_presets.py).
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from apps.accounts.models import User  # noqa: E402
from apps.villages.models import City, Village  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--user", default="city_admin")
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    user = User.objects.get(username=args.user)
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user)
    city = City.objects.order_by("code").first()
    url = f"{reverse('dashboard:dashboard', args=['city', city.pk])}?year={args.year}"
    for _warm_up in range(2):
        assert client.get(url).status_code == 200
    timings = []
    for _run in range(args.runs):
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    timings.sort()
    villages = Village.objects.filter(county__city=city, retired_on__isnull=True).count()
    print(
        f"city dashboard {city.name} ({villages} villages), {args.runs} runs: "
        f"median {statistics.median(timings):.0f} ms, p90 {timings[int(0.9 * (len(timings) - 1))]:.0f} ms, "
        f"{len(queries)} queries"
    )


if __name__ == "__main__":
    main()
