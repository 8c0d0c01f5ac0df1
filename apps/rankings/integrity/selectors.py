"""Reads of findings and of the township bunching ranking, always through the user's scope."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Max, QuerySet
from django.utils import timezone

from apps.assistance.models import HouseholdIncome
from apps.core.scoping import get_for, scope_for
from apps.villages.models import Township

from ..models import Finding
from .bunching import NEIGHBOURS, Bunching, bunching_statistic
from .detectors import township_statistics

FILTERS = {
    "county": "county_id",
    "township": "township_id",
    "village": "village_id",
    "year": "year",
    "detector": "detector",
    "status": "status",
}


def finding_list(user, **filters) -> QuerySet[Finding]:
    """Findings in ``user``'s region, filtered by county/township/village/year/detector/status (ignored if empty)."""
    qs = scope_for(user, Finding.objects.select_related("county", "township", "village", "reviewed_by"))
    for name, lookup in FILTERS.items():
        value = filters.get(name)
        if value not in (None, ""):
            qs = qs.filter(**{lookup: value})
    return qs


def finding_get(user, pk) -> Finding:
    return get_for(user, Finding.objects.select_related("county", "township", "village"), pk=pk)


# The township bunching ranking

# A township's statistic needs all of its households: users bound to a village see no ranking.
WHOLE_TOWNSHIP_LEVELS = ("city", "county", "township")


@dataclass(frozen=True)
class TownshipBunchingRank:
    rank: int  # 1 = most bunched; equal places share a rank
    township: Township
    year: int
    bands: dict[int, int]  # households per band -2..2
    statistic: Bunching
    enough: bool  # at least the county's configured count just above the line
    flagged: bool  # and at or above its configured log-ratio: the weekly watch makes it a finding

    @property
    def band_counts(self) -> list[int]:
        """Households in bands -2, -1, 0, 1 and 2."""
        return [self.bands.get(band, 0) for band in sorted((*NEIGHBOURS, 0))]

    @property
    def figures(self) -> dict:
        """The statistic rounded for reading (above, neighbours, log_ratio, z) and the bands by name."""
        return {
            **self.statistic.as_dict(),
            "bands": {str(band): self.bands.get(band, 0) for band in sorted((*NEIGHBOURS, 0))},
        }


def _sees_whole_townships(user) -> bool:
    if user.is_authenticated and user.is_active and user.is_superuser:
        return True
    binding = user.region_binding() if user.is_authenticated else None
    return binding is not None and binding[0] in WHOLE_TOWNSHIP_LEVELS


def bunching_latest_year(user, *, county=None) -> int | None:
    """The latest year with household incomes in ``user``'s region (or ``county`` within it)."""
    incomes = scope_for(user, HouseholdIncome.objects.all())
    if county is not None:
        incomes = incomes.filter(household__village__county=county)
    return incomes.aggregate(year=Max("year"))["year"]


def township_bunching_ranking(
    user, *, year: int, county=None, as_of: datetime.date | None = None
) -> list[TownshipBunchingRank]:
    """Every township of ``user``'s region (or of ``county`` within it) with the bunching statistic of its
    household incomes of ``year``, most bunched (highest log-ratio) first. The log-ratio of a handful of
    households means little, so townships with fewer households just above the line than their county's
    configured count come after the others; townships with no income near the line have the statistic of
    empty bands (log-ratio 0). Thresholds are those in force on ``as_of`` (today). A few queries, whatever
    the number of townships."""
    if not _sees_whole_townships(user):
        return []
    townships = scope_for(user, Township.objects.select_related("county"))
    incomes = scope_for(user, HouseholdIncome.objects.all()).filter(year=year)
    if county is not None:
        townships = townships.filter(county=county)
        incomes = incomes.filter(household__village__county=county)
    townships = list(townships)
    county_ids = sorted({township.county_id for township in townships})
    by_township = {
        row.township_id: row
        for row in township_statistics(incomes, county_ids, [year], as_of or timezone.localdate())
    }
    empty = bunching_statistic({})
    rows = []
    for township in townships:
        found = by_township.get(township.pk)
        if found is None:
            rows.append((township, {}, empty, False, False))
        else:
            rows.append((township, found.bands, found.statistic, found.enough, found.flagged))
    rows.sort(key=lambda row: (not row[3], -row[2].log_ratio, -row[2].above, row[0].code))
    ranked, rank, previous = [], 0, None
    for position, (township, bands, statistic, enough, flagged) in enumerate(rows, start=1):
        place = (enough, round(statistic.log_ratio, 4))
        if place != previous:
            rank, previous = position, place
        ranked.append(TownshipBunchingRank(rank, township, year, bands, statistic, enough, flagged))
    return ranked
