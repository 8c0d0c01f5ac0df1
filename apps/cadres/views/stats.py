"""The statistics page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from .. import selectors, statistics
from ..forms import (
    StatsForm,
)
from ..models import Role

SERIES_YEARS = 6


@login_required
def stats(request):
    form = StatsForm(
        request.GET or None,
        counties=selectors.county_choices(user=request.user),
        townships=selectors.township_choices(user=request.user),
    )
    year, region = timezone.localdate().year, {}
    if form.is_valid():
        year = form.cleaned_data["year"]
        if form.cleaned_data.get("township"):
            region = {"township": form.cleaned_data["township"]}
        elif form.cleaned_data.get("county"):
            region = {"county": form.cleaned_data["county"]}
    figures = statistics.cadre_statistics(user=request.user, year=year, **region)
    series = statistics.cadre_series(
        user=request.user, from_year=year - SERIES_YEARS + 1, to_year=year, **region
    )
    roles = dict(Role.choices)
    for row in figures["pay_by_role"]:
        row["label"] = roles.get(row["role"], row["role"])
    return render(
        request,
        "cadres/stats.html",
        {"form": form, "figures": figures, "series": series["years"], "year": year},
    )
