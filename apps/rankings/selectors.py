"""Every read of the rankings app, limited to the user's region (``apps.core.scoping``)."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet
from django.utils import timezone

from apps.cadres.statistics import villages_short_of_reserves
from apps.collective_economy.selectors import latest_year, villages_below_weak_line
from apps.core.scoping import scope_for
from apps.villages.models import OPEN_RECTIFICATION_STATUSES
from apps.villages.selectors import rectification_list

from .indicators import INDICATORS
from .models import (
    Escalation,
    Ranking,
    RankingConfiguration,
    RankingEntry,
    RankingStatus,
    WeakCandidate,
)

SPARKLINE_PERIODS = 12


def ranking_list(*, user) -> QuerySet[Ranking]:
    return scope_for(user, Ranking.objects.select_related("county", "township", "configuration"))


def ranking_exists(*, kind: str, period: str, county, status: str | None = None) -> bool:
    rankings = Ranking.objects.filter(kind=kind, period=period, county=county)
    return (rankings.filter(status=status) if status else rankings).exists()


def entry_list(*, user, ranking: Ranking) -> QuerySet[RankingEntry]:
    """A ranking's entries the user may see (township staff: their township's), best first."""
    return scope_for(user, RankingEntry.objects.filter(ranking=ranking)).order_by(
        "rank", "subject_name", "pk"
    )


def configuration_list(*, user) -> QuerySet[RankingConfiguration]:
    return scope_for(user, RankingConfiguration.objects.select_related("county", "created_by"))


def escalation_list(*, user) -> QuerySet[Escalation]:
    return scope_for(user, Escalation.objects.select_related("ranking", "county", "township", "recorded_by"))


def candidate_list(*, user) -> QuerySet[WeakCandidate]:
    return scope_for(
        user,
        WeakCandidate.objects.select_related(
            "ranking", "organisation", "organisation__township", "rating", "confirmed_by"
        ),
    )


# For the dashboards and the quarterly bulletin


def latest_published(*, user, kind: str, county=None) -> Ranking | None:
    """The latest published ranking of ``kind`` in the user's region (of one county when given)."""
    rankings = ranking_list(user=user).filter(kind=kind, status=RankingStatus.PUBLISHED)
    if county is not None:
        rankings = rankings.filter(county=getattr(county, "pk", county))
    return rankings.order_by("-period_last", "-published_at", "-pk").first()


def open_escalations(*, user) -> QuerySet[Escalation]:
    """Escalations whose talk has not been recorded yet, latest month first."""
    return (
        escalation_list(user=user).filter(talk_date__isnull=True).order_by("-ranking__period_last", "-rank")
    )


def escalations_between(*, user, county, first: datetime.date, last: datetime.date) -> QuerySet[Escalation]:
    """Escalations of one county whose ranking's period lies within ``first``–``last`` (e.g. a quarter)."""
    return (
        escalation_list(user=user)
        .filter(
            county=getattr(county, "pk", county),
            ranking__period_first__gte=first,
            ranking__period_last__lte=last,
        )
        .order_by("ranking__period_last", "-rank", "subject_name")
    )


# Rank histories (sparklines)


def rank_history(*, user, ranking: Ranking, subject_ids, periods: int = SPARKLINE_PERIODS) -> dict:
    """Each subject's rank in the last ``periods`` rankings of the same kind, county and period length
    (this one included), oldest first: ``{"periods": [...], "ranks": {subject_id: [rank or None, ...]}}``.
    Two queries, whatever the number of subjects."""
    rankings = list(
        ranking_list(user=user)
        .filter(kind=ranking.kind, county=ranking.county_id, period_last__lte=ranking.period_last)
        .filter(period__regex=_period_pattern(ranking.period))
        .order_by("-period_last")
        .values_list("pk", "period", "subjects")[:periods]
    )[::-1]
    ids = [pk for pk, _period, _n in rankings]
    rows = (
        scope_for(user, RankingEntry.objects.filter(ranking_id__in=ids, subject_id__in=list(subject_ids)))
        .values_list("ranking_id", "subject_id", "rank")
        .order_by()
    )
    by_key = {(r, s): rank for r, s, rank in rows}
    return {
        "periods": [period for _pk, period, _n in rankings],
        "sizes": [n for _pk, _period, n in rankings],
        "ranks": {sid: [by_key.get((pk, sid)) for pk in ids] for sid in subject_ids},
    }


def _period_pattern(period: str) -> str:
    if "Q" in period:
        return r"^\d{4}Q\d$"
    if "-" in period:
        return r"^\d{4}-\d{2}$"
    return r"^\d{4}$"


# Rectification lists (整改清单) of API.md


def rectification_lists(
    *, user, county=None, on: datetime.date | None = None, year: int | None = None
) -> dict:
    """Open cases past their deadline, villages short of reserve cadres, villages below the income line.

    Three querysets, each from the app that owns the figure; ``county`` narrows the user's region.
    The income line is compared with the latest year that has incomes (or ``year``).
    """
    on = on or timezone.localdate()
    county_id = getattr(county, "pk", county)
    overdue = (
        rectification_list(user=user, today=on)
        .prefetch_related(None)
        .filter(status__in=OPEN_RECTIFICATION_STATUSES, overdue=True)
        .order_by("deadline", "organisation__name")
    )
    short = villages_short_of_reserves(user=user, on=on, county=county_id)
    year = year or latest_year(user=user)
    below = (
        villages_below_weak_line(user=user, year=year).select_related("township", "county").order_by("code")
    )
    if county_id is not None:
        overdue = overdue.filter(organisation__county=county_id)
        below = below.filter(county=county_id)
    return {
        "on": on,
        "year": year,
        "overdue_rectifications": overdue,
        "short_of_reserves": short,
        "below_income_line": below,
    }


def indicator_rows(breakdown: list[dict]) -> list[dict]:
    """A breakdown with each indicator's label, group and normalisation rule, for the "why" page."""
    rows = []
    for item in breakdown:
        indicator = INDICATORS.get(item["indicator"])
        rows.append(
            {
                **item,
                "label": indicator.label if indicator else item["indicator"],
                "group": indicator.group if indicator else "",
                "rule": indicator.rule if indicator else "",
                "unit": indicator.unit if indicator else "",
                "missing_rule": indicator.missing if indicator else "",
            }
        )
    return rows


__all__ = [
    "candidate_list",
    "configuration_list",
    "entry_list",
    "escalation_list",
    "escalations_between",
    "latest_published",
    "open_escalations",
    "rank_history",
    "ranking_list",
    "rectification_lists",
]
