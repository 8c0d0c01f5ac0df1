"""Demo cadres: two committees with their history since 2014, group cadres, reserves, training.

The ``bazhong`` preset reproduces the published Bazhong figures (seeds/000): as of 31 December 2014
the education structure 0.5 / 4.7 / 39.9 / 54.9 % (bachelor+ / college / high school / junior or
below) and average age 50.1; as of 31 December 2019 1.8 / 11.2 / 43.6 / 43.4 % and 46.3; 774
resignations in 2014-2019 (figure 13); 25 cross-region exchange secretaries by 2019, all in 南江县
where the pilot ran (figure 6); 5,650 reserves in 2019 (2,050 returned migrant workers); pay within
the published bands (secretary 1,630-1,730 yuan a month, director 1,410-1,490, clerk 1,210-1,290,
group cadre 500-515). 恩阳区 matches the 2024 study (seeds/004): 140 of its 209 current secretaries
are wealth leaders and its 366 reserves average 33.5 years, 281 with junior college or above.

How: each county is simulated from its own random stream (so 恩阳区 is the same in every preset):
the people in office on 1 January 2014, resignations, deaths and dismissals, the 2016 and 2021
elections (换届) replacing part of each committee and moving to 一肩挑, and the exchange pilot. Then
ages and education are dealt out by exact quotas to the people in office on each snapshot day
(in office on both, only in 2014, only in 2019), with degree upgrades in between, so the figures
hold to rounding for any seed. ID numbers use the region code valid in the person's birth year
(5130xx before 1993, 5137xx until 1999, 5119xx after), the birth date and a per-county sequence whose
parity matches the gender, with a correct check character; made-up counties use their own code.

Also: one group cadre in every other village (for the pay figure), training in 2025 and 2026 (every
secretary, a fifth of the others), open degree-upgrade enrolments, and reserve pools for 2019 and
2024. Data end on 30 June 2026 whatever the day it runs. About 51,000 rows for ``bazhong``
(4 s of CPU with the audit triggers), 570,000 for ``province``.
"""

from __future__ import annotations

from collections import defaultdict

from django.db import connection

from apps.core.demo import DemoContext, register

from ..models import Cadre, CadrePosition, DegreeEnrolment, ReserveCadre, Training
from .figures import BATCH_SIZE
from .rows import county_rows


@register(30)
def seed(ctx: DemoContext) -> None:
    with connection.cursor() as cursor:
        # Check foreign keys as each insert ends, not at commit: tens of thousands of deferred checks
        # queued in the seeding transaction make every later subtransaction slower (the row-level
        # audit triggers open one per row), so time would grow with the square of the rows.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    try:
        _seed(ctx)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _seed(ctx: DemoContext) -> None:
    by_county = defaultdict(list)
    for village in ctx.regions.villages:
        by_county[village.county_id].append(village)
    totals = defaultdict(int)
    secretaries = {}
    pending: dict[str, list] = defaultdict(list)
    for county in ctx.regions.counties:
        rows = county_rows(ctx, county, by_county[county.pk])
        for key in ("cadres", "positions", "trainings", "enrolments", "reserves"):
            pending[key].extend(rows[key])
        secretaries.update(rows["secretaries"])
    Cadre.objects.bulk_create(pending["cadres"], batch_size=BATCH_SIZE)
    for model, key in (
        (CadrePosition, "positions"),
        (Training, "trainings"),
        (DegreeEnrolment, "enrolments"),
        (ReserveCadre, "reserves"),
    ):
        for row in pending[key]:
            if hasattr(row, "cadre"):
                row.cadre_id = row.cadre.pk
        model.objects.bulk_create(pending[key], batch_size=BATCH_SIZE)
        totals[key] = len(pending[key])
    ctx.shared["cadres.current_secretaries"] = {
        village_pk: cadre.pk for village_pk, cadre in secretaries.items()
    }
    ctx.summary.update(
        {
            "cadres (two committees and group cadres)": len(pending["cadres"]),
            "cadre positions": totals["positions"],
            "reserve cadres": totals["reserves"],
            "training records": totals["trainings"],
            "degree-upgrade enrolments": totals["enrolments"],
        }
    )
