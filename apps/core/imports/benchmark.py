"""Timing an import of poor households (issue 11: 10,000 household rows validate and commit in under 30 s).

``import_households(n)`` creates a scratch region (city 9901, county 990101, township 990101001 and
``VILLAGES`` villages: codes no real region uses) and a township staff user there, builds an
``n``-row workbook of the ``households`` kind for those villages (every household on the first
sheet; for a ``share`` of them the head as a member on the second sheet and a 2024 income on the
third), and runs it through ``run_batch`` as an upload would: validate, then commit. Everything
happens in one transaction that is rolled back at the end, so the database is left as it was
(the commit run's transaction is a savepoint of that one: its rows are written, but the final
COMMIT is not timed).

``benchmarks/imports.py`` is the command-line wrapper.

Where the time went (measured 2026-12-05, before the fix): 29 statements per household row, the
same in both runs, of which the import itself added none but the runner's per-row savepoint (2). The
rest was ``household_create``: its own nested savepoint (2), the village scope check (1),
``full_clean`` twice (the household was saved a second time even with no cadre to pair and no exit
to record), each time the foreign key (1), the unique head ID number (1) and the three check
constraints, which Django validates one query each inside a savepoint of its own (3 × 3), then the
INSERT and the UPDATE. 1,000 rows: validate 15.7 s, commit 14.4 s; 10,000 rows: validate 164.6 s,
commit 178.0 s (290,008 queries each); with ``share=0.5`` (plus 5,000 members and 5,000 incomes,
about 14 statements a row) 169.5 s and 136.3 s.

Now (measured 2026-12-05, the 2-core machine shared, load about 2.4):

- ``household_create`` saves once, checks the three check constraints in ``Household.clean()``
  (the database keeps them) and skips the foreign-key queries for the village and cadre it has
  already loaded: 5 statements a household (8 with an exit to record), was 27.
- New households, members and incomes of a file go through set-based services
  (``households_register_many``, ``household_members_add_many``, ``household_incomes_add_many``)
  that apply the same rule functions row by row in Python and read region, locks, uniqueness and
  the period lock one query each per sheet, then bulk-insert in chunks of 1,000; existing records
  (updates) and households with a paired cadre still go one by one through the single services.

  =========================  ==========  ==========  =================
  rows                       validate    commit      queries per run
  =========================  ==========  ==========  =================
  1,000 households            1.3 s       0.6 s       15 / 14
  10,000 households           4.1 s       3.8 s       24 / 23
  10,000 + 5,000 + 5,000     12.7 s      11.0 s       50 / 49
  =========================  ==========  ==========  =================

  The query count no longer grows with the rows but by one INSERT per 1,000 (the tests assert the
  same count for 10 and 50 rows).
"""

from __future__ import annotations

import datetime
import io
import secrets
import time
from contextlib import contextmanager

from django.db import connection, transaction
from django.utils import translation
from openpyxl import Workbook

from apps.core.actors import SYSTEM
from apps.core.idnumbers import check_character
from apps.core.models import ImportBatch, ImportMode

from .runner import checksum_of, run_batch
from .spec import import_kind

KIND = "households"
VILLAGES = 20
ID_REGION = "990101"  # the scratch county: no real ID number starts with it
INCOME_YEAR = 2024


class _Rollback(Exception):
    """Raised at the end to roll the scratch data back."""


@contextmanager
def _counting_queries():
    counter = {"queries": 0}

    def count(execute, sql, params, many, context):
        counter["queries"] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        yield counter


def _scratch_region():
    from apps.accounts.services import user_create
    from apps.villages import services as regions

    city = regions.city_create(actor=SYSTEM, code="990100000000", name="基准测试市")
    county = regions.county_create(actor=SYSTEM, city=city, code="990101000000", name="基准测试县")
    township = regions.township_create(actor=SYSTEM, county=county, code="990101001000", name="基准测试镇")
    villages = [
        regions.village_create(
            actor=SYSTEM, township=township, code=f"990101001{number:03d}", name=f"基准村{number}"
        )
        for number in range(1, VILLAGES + 1)
    ]
    user = user_create(
        actor=SYSTEM,
        username=f"import-benchmark-{secrets.token_hex(4)}",
        password=secrets.token_urlsafe(24),
        role="township_staff",
        region=township,
    )
    return user, villages


def _id_number(index: int) -> str:
    """Distinct valid numbers: 500 a day from 1950-01-01 on."""
    born = datetime.date(1950, 1, 1) + datetime.timedelta(days=index // 500)
    first17 = f"{ID_REGION}{born:%Y%m%d}{index % 500:03d}"
    return first17 + check_character(first17)


def build_workbook(n: int, villages, share: float) -> tuple[bytes, dict[str, int]]:
    """The households workbook (Chinese and English header rows, as the template) and its rows per sheet."""
    rows: dict[str, list[list]] = {"households": [], "members": [], "incomes": []}
    with_details = round(1 / share) if share else 0
    for index in range(n):
        head = _id_number(index)
        village = villages[index % len(villages)]
        rows["households"].append(
            [village.code, f"户主{index}", head, 1 + index % 6, "illness", None, None, "2014-05-01", None]
        )
        if with_details and index % with_details == 0:
            rows["members"].append([head, f"户主{index}", head, "head", "full", "healthy"])
            rows["incomes"].append([head, INCOME_YEAR, 4000 + index % 5000])
    workbook = Workbook(write_only=True)
    for spec, sheet_rows in zip(import_kind(KIND).sheets, rows.values(), strict=True):
        with translation.override("zh-hans"):
            sheet = workbook.create_sheet(str(spec.title))
            sheet.append([str(column.header) for column in spec.columns])
        with translation.override("en"):
            sheet.append([str(column.header) for column in spec.columns])
        for row in sheet_rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), {name: len(sheet_rows) for name, sheet_rows in rows.items()}


def _run(user, content: bytes, mode: str) -> tuple[ImportBatch, float, int]:
    batch = ImportBatch.objects.create(
        kind=KIND,
        mode=mode,
        file_name="benchmark.xlsx",
        content=content,
        size=len(content),
        checksum=checksum_of(content),
        language="zh-hans",
        uploaded_by=user,
        county=user.region.county,
        township=user.region,
    )
    with _counting_queries() as counter:
        started = time.perf_counter()
        batch = run_batch(batch.pk)
        elapsed = time.perf_counter() - started
    return batch, elapsed, counter["queries"]


def import_households(n: int = 10_000, *, share: float = 0.0) -> dict:
    """Validate then commit ``n`` household rows (plus members and incomes for ``share`` of them)."""
    figures: dict = {}
    try:
        with transaction.atomic():
            user, villages = _scratch_region()
            content, rows = build_workbook(n, villages, share)
            validated, validate_seconds, validate_queries = _run(user, content, ImportMode.VALIDATE)
            committed, commit_seconds, commit_queries = _run(user, content, ImportMode.COMMIT)
            figures = {
                "rows": validated.rows_total,
                "rows_per_sheet": rows,
                "file_bytes": len(content),
                "validate_state": validated.state,
                "validate_seconds": round(validate_seconds, 2),
                "validate_queries": validate_queries,
                "commit_state": committed.state,
                "commit_seconds": round(commit_seconds, 2),
                "commit_queries": commit_queries,
                "rows_created": committed.rows_created,
                "errors": committed.errors[:5],
            }
            raise _Rollback
    except _Rollback:
        pass
    return figures
