"""Reads of findings, always through the user's scope."""

from __future__ import annotations

from django.db.models import QuerySet

from apps.core.scoping import get_for, scope_for

from ..models import Finding

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
