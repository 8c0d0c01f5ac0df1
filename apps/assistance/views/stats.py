"""The statistics page: the assistance figures for the user's region, or one county or township of it."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from apps.core.periods import Month
from apps.core.scoping import get_for
from apps.villages import selectors as region_selectors

from .. import selectors
from ..models import DisciplineCategory, HouseholdStatus, PovertyCause, UnitType


@login_required
def stats_page(request):
    region = {}
    for name, lister in (
        ("county", region_selectors.county_list),
        ("township", region_selectors.township_list),
    ):
        value = request.GET.get(name)
        if value:
            region[name] = get_for(request.user, lister(user=request.user), pk=value)
    try:
        month = Month.parse(request.GET["month"]) if request.GET.get("month") else None
    except ValidationError as exc:
        raise Http404 from exc
    stats = selectors.assistance_stats(user=request.user, month=month, **region)
    unit_types = [(label, stats["members_by_unit_type"].get(value, 0)) for value, label in UnitType.choices]
    unit_total = sum(count for _label, count in unit_types) or 1
    by_cause = {}
    for row in stats["households_by_cause_and_status"]:
        by_cause.setdefault(row["cause"], {})[row["status"]] = row
    causes = [
        (
            label,
            [
                by_cause.get(value, {}).get(status, {}).get("households", 0)
                for status in HouseholdStatus.values
            ],
        )
        for value, label in PovertyCause.choices
    ]
    records = {}
    for key in ("commendations", "promotions"):
        for row in stats[key]:
            records.setdefault(row["year"], {}).setdefault(key, 0)
            records[row["year"]][key] += row["count"]
    for row in stats["discipline_cases"]:
        records.setdefault(row["year"], {}).setdefault("discipline_cases", 0)
        records[row["year"]]["discipline_cases"] += row["count"]
    context = {
        "stats": stats,
        "region": region,
        "unit_types": [(label, count, round(100 * count / unit_total, 1)) for label, count in unit_types],
        "statuses": HouseholdStatus.choices,
        "causes": causes,
        "records": sorted(records.items()),
        "categories": DisciplineCategory.choices,
        "counties": region_selectors.county_list(user=request.user),
        "townships": region_selectors.township_list(user=request.user),
        "today": timezone.localdate(),
    }
    return render(request, "assistance/stats.html", context)
