"""Helpers shared by the benchmark modules: Django set-up for scripts, percentiles, timing."""

from __future__ import annotations

import math
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = "benchmarks.settings"


def setup_django() -> None:
    """Make the project importable and set Django up (idempotent), for ``python benchmarks/<script>.py``."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS)
    import django

    django.setup()


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (``share`` 0–1) of a non-empty list."""
    ordered = sorted(values)
    return ordered[max(math.ceil(share * len(ordered)) - 1, 0)]


def timed_runs(function: Callable[[], object], runs: int, warm_up: int = 2) -> list[float]:
    """Milliseconds of ``runs`` calls of ``function`` after ``warm_up`` untimed ones."""
    for _ in range(warm_up):
        function()
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def summary_ms(timings: list[float]) -> dict:
    return {
        "runs": len(timings),
        "median_ms": round(percentile(timings, 0.5), 1),
        "p95_ms": round(percentile(timings, 0.95), 1),
        "min_ms": round(min(timings), 1),
    }
