"""Responsibility lists, spot checks, evaluations and the records of figures 8, 9 and 11."""

from collections import defaultdict

from django.db.models import Prefetch, QuerySet

from apps.core.scoping import scope_for

from ..models import (
    Commendation,
    DisciplineCase,
    Evaluation,
    ListKind,
    MemberRole,
    Promotion,
    ResponsibilityItem,
    ResponsibilityReconciliation,
    SpotCheck,
    SpotCheckDraw,
    WorkTeamMember,
)


def responsibility_item_list(*, user) -> QuerySet[ResponsibilityItem]:
    return scope_for(
        user,
        ResponsibilityItem.objects.select_related("village", "member").prefetch_related(
            Prefetch("reconciliations", queryset=ResponsibilityReconciliation.objects.order_by("quarter"))
        ),
    )


def village_lists(*, user, village, year: int) -> list[tuple[ListKind, list[ResponsibilityItem]]]:
    """The village's five lists for ``year``, in the fixed order 帮村, 联村, 驻村, 助村, 带村 (two queries)."""
    items = defaultdict(list)
    for item in responsibility_item_list(user=user).filter(village=village, year=year):
        items[item.kind].append(item)
    return [(kind, items[kind.value]) for kind in ListKind]


def spot_check_draw_list(*, user) -> QuerySet[SpotCheckDraw]:
    return scope_for(user, SpotCheckDraw.objects.select_related("county", "drawn_by"))


def spot_check_list(*, user) -> QuerySet[SpotCheck]:
    return scope_for(user, SpotCheck.objects.select_related("draw", "draw__county", "team", "team__village"))


def evaluation_list(*, user) -> QuerySet[Evaluation]:
    return scope_for(user, Evaluation.objects.select_related("member", "member__team__village"))


def first_secretary_grades(*, user, years: list[int]) -> QuerySet[WorkTeamMember]:
    """First secretaries in scope with ``grades``: {year: Evaluation} for ``years`` (two queries)."""
    secretaries = scope_for(
        user,
        WorkTeamMember.objects.filter(role=MemberRole.FIRST_SECRETARY).select_related(
            "team__village", "team__village__township"
        ),
    ).prefetch_related(
        Prefetch(
            "evaluations", queryset=Evaluation.objects.filter(year__in=years), to_attr="year_evaluations"
        )
    )
    return secretaries


def commendation_list(*, user) -> QuerySet[Commendation]:
    return scope_for(user, Commendation.objects.select_related("village", "member"))


def promotion_list(*, user) -> QuerySet[Promotion]:
    return scope_for(user, Promotion.objects.select_related("village", "member"))


def discipline_case_list(*, user) -> QuerySet[DisciplineCase]:
    return scope_for(user, DisciplineCase.objects.select_related("village", "member"))
