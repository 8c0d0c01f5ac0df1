"""A McCrary-style bunching statistic: is the density of incomes just above a line higher than around it?

Each income is put in a band by its ratio to the line, r = income / line, with bands of equal width
w (the configured percent): band k holds 1 + k·w <= r < 1 + (k + 1)·w, so band 0 is "just above the line".
The statistic compares the count n0 of band 0 with m, the mean count of its neighbours
(bands -2, -1, +1, +2 — two below the line and two above it):

* log-ratio = ln((n0 + ½) / (m + ½)) — 0 for a smooth density, ln 2 ≈ 0.69 when band 0 holds twice its
  neighbours' mean (the ½ keeps it finite for empty bands);
* z = (n0 − m) / √(1.25·m) — counts are roughly Poisson, and m is a mean of four counts (variance m/4),
  so n0 − m has variance m + m/4 under a smooth density (at least 1 in the denominator).

Townships are ranked by the log-ratio. Pure Python (no numpy): the database counts the bands.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

NEIGHBOURS = (-2, -1, 1, 2)


def band_of(ratio: Decimal | float, width: Decimal | float) -> int:
    """The band index of an income ratio (band 0: 1 <= ratio < 1 + width)."""
    return math.floor((float(ratio) - 1.0) / float(width))


def band_counts(ratios: Iterable[Decimal | float], width: Decimal | float) -> dict[int, int]:
    """Counts of bands -2..2 of ``ratios`` (others are ignored)."""
    counts = dict.fromkeys((*NEIGHBOURS, 0), 0)
    for ratio in ratios:
        band = band_of(ratio, width)
        if band in counts:
            counts[band] += 1
    return counts


@dataclass(frozen=True)
class Bunching:
    above: int  # n0, the count just above the line
    neighbours: float  # m, the mean count of the neighbouring bands
    log_ratio: float
    z: float

    def as_dict(self) -> dict:
        return {
            "above": self.above,
            "neighbours": round(self.neighbours, 2),
            "log_ratio": round(self.log_ratio, 4),
            "z": round(self.z, 2),
        }


def bunching_statistic(counts: Mapping[int, int]) -> Bunching:
    """The statistic of band counts (a mapping band -> count; missing bands count 0)."""
    above = int(counts.get(0, 0))
    mean = sum(counts.get(band, 0) for band in NEIGHBOURS) / len(NEIGHBOURS)
    log_ratio = math.log((above + 0.5) / (mean + 0.5))
    z = (above - mean) / math.sqrt(max(1.25 * mean, 1.0))
    return Bunching(above=above, neighbours=mean, log_ratio=log_ratio, z=z)
