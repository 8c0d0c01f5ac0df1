import datetime

from django.db.models import BooleanField, Case, Count, OuterRef, Q, QuerySet, Subquery, Value, When
from django.utils import timezone

from apps.core.configuration import values_of
from apps.core.scoping import scope_for
from apps.villages.models import County

from ..config import MIN_COUNTY_PLUS_MEMBERS
from ..models import DutyLog, MemberRole, UnitLevel, WorkTeam, WorkTeamMember
from ._expressions import active_on_q


def _county_setting(key: str, *, user, on: datetime.date, path: str):
    """The setting's value per row's county as SQL (a CASE only for counties with their own value)."""
    lookup = values_of(key, on=on)
    default = lookup(None)
    overrides = [
        When(**{path: pk}, then=Value(lookup(pk)))
        for pk in scope_for(user, County.objects.all()).values_list("pk", flat=True)
        if lookup(pk) != default
    ]
    return Case(*overrides, default=Value(default)) if overrides else Value(default)


def work_team_list(*, user, on: datetime.date | None = None) -> QuerySet[WorkTeam]:
    """Teams in scope with, as of ``on`` (today): their members, first secretary and the Dingxi flag.

    ``short_of_county_plus``: an active team with fewer current members from county-level or higher
    units than the configured minimum (``assistance.min_county_plus_members``, default 3).
    """
    on = on or timezone.localdate()
    current = WorkTeamMember.objects.filter(active_on_q(on), team=OuterRef("pk"))
    first_secretary = current.filter(role=MemberRole.FIRST_SECRETARY).values("name")[:1]
    minimum = _county_setting(MIN_COUNTY_PLUS_MEMBERS.key, user=user, on=on, path="village__county_id")
    teams = scope_for(
        user, WorkTeam.objects.select_related("village", "village__township", "village__county")
    ).annotate(
        current_members=Count("members", filter=active_on_q(on, "members__"), distinct=True),
        county_plus_members=Count(
            "members",
            filter=active_on_q(on, "members__") & Q(members__unit_level=UnitLevel.COUNTY_PLUS),
            distinct=True,
        ),
        first_secretary_name=Subquery(first_secretary),
        is_active=Case(
            When(active_on_q(on), then=Value(True)), default=Value(False), output_field=BooleanField()
        ),
        minimum_county_plus=minimum,
    )
    return teams.order_by("village_id", "-start_date", "pk").annotate(
        short_of_county_plus=Case(
            When(
                Q(is_active=True, county_plus_members__lt=minimum),
                then=Value(True),
            ),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def team_member_list(*, user) -> QuerySet[WorkTeamMember]:
    return scope_for(
        user, WorkTeamMember.objects.select_related("team", "team__village", "team__village__township")
    )


def duty_log_list(*, user) -> QuerySet[DutyLog]:
    return scope_for(user, DutyLog.objects.select_related("member"))
