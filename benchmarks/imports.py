"""Time the Excel import of poor households: validate, then commit, an n-row workbook.

    DJANGO_SETTINGS_MODULE=config.settings.local python benchmarks/imports.py [--rows 10000] [--share 0.5]

Runs ``apps.core.imports.benchmark.import_households`` on a migrated database (any data in it is
left alone: the scratch region, user and records are rolled back at the end) and prints rows,
seconds and queries of each run. Target (issue 11): 10,000 household rows validate and commit in
under 30 s on the 2-core machine. ``--share`` adds the head as a member and a yearly income for
that share of the households (on the workbook's other two sheets).

Measured 2026-12-05 before the fix (2 cores shared with other jobs, load ≈ 12 throughout): 10,000
household rows, validate 1,480 s and commit 1,488 s, 290,008 queries each (29 per row). On the same
machine less loaded (load ≈ 2.5): 164.6 s and 178.0 s.

After the fix (set-based services for new households, members and incomes; load ≈ 2.4): 10,000
household rows validate in 4.1 s and commit in 3.8 s (24 and 23 queries in all); with
``--share 0.5`` (20,000 rows) 12.7 s and 11.0 s (50 and 49 queries). The target is met.
"""

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

import django  # noqa: E402

django.setup()

from apps.core.imports.benchmark import import_households  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000, help="household rows")
    parser.add_argument(
        "--share", type=float, default=0.0, help="share of households with a member and an income"
    )
    args = parser.parse_args()
    figures = import_households(args.rows, share=args.share)
    sheets = ", ".join(f"{name} {count}" for name, count in figures["rows_per_sheet"].items())
    print(f"{figures['rows']} rows ({sheets}), {figures['file_bytes'] / 1024:.0f} KiB")
    for mode in ("validate", "commit"):
        print(
            f"{mode:<8} {figures[f'{mode}_state']:<9} {figures[f'{mode}_seconds']:6.1f} s "
            f"{figures[f'{mode}_queries']:>7} queries"
        )
    print(f"total    {figures['validate_seconds'] + figures['commit_seconds']:6.1f} s")
    if figures["errors"]:
        print("errors:", figures["errors"])


if __name__ == "__main__":
    main()
