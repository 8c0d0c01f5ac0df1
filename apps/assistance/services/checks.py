"""Quarterly spot checks drawn at random with a stored seed, recalls, and annual evaluations."""

from __future__ import annotations

import datetime
import random
import secrets
from decimal import ROUND_CEILING, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.configuration import value_of
from apps.core.periods import Quarter
from apps.villages.models import County

from ..config import SPOT_CHECK_RATE
from ..models import (
    AssignmentEndReason,
    CheckResult,
    Evaluation,
    SpotCheck,
    SpotCheckDraw,
    WorkTeam,
    WorkTeamMember,
)
from ._common import apply, ensure_county_business, ensure_in_scope, ensure_related_in_scope, save
from .teams import team_member_end

MAX_SEED = 2**63 - 1


def sample_size(active: int, rate: Decimal) -> int:
    """ceil(rate × active teams), and at least one team when any is active."""
    if active <= 0:
        return 0
    size = int((Decimal(active) * rate).to_integral_value(rounding=ROUND_CEILING))
    return min(max(size, 1), active)


def draw_teams(team_ids: list[int], size: int, seed: int) -> list[int]:
    """The same sorted ids and seed always give the same teams."""
    return sorted(random.Random(seed).sample(sorted(team_ids), size))


def teams_active_in(county_id: int, quarter: Quarter):
    return WorkTeam.objects.filter(village__county_id=county_id, start_date__lte=quarter.last).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=quarter.first)
    )


@transaction.atomic
def spot_check_sample(*, actor, county: County, quarter: Quarter, seed: int | None = None) -> SpotCheckDraw:
    """Draw ceil(rate) of the county's teams active in ``quarter``: once per county and quarter."""
    ensure_county_business(actor)
    ensure_related_in_scope(actor, county, field="county")
    # Two draws for one county at once would both see "not drawn yet": the county row serialises them.
    County.objects.select_for_update().get(pk=county.pk)
    if SpotCheckDraw.objects.filter(county=county, quarter=str(quarter)).exists():
        raise ValidationError(
            {"quarter": _("This county's teams were already drawn for %(quarter)s.") % {"quarter": quarter}}
        )
    if seed is not None and not 0 <= seed <= MAX_SEED:
        raise ValidationError({"seed": _("The seed is a whole number from 0 to 2^63 - 1.")})
    team_ids = list(teams_active_in(county.pk, quarter).values_list("pk", flat=True))
    if not team_ids:
        raise ValidationError(
            {"quarter": _("No work team of this county is active in %(quarter)s.") % {"quarter": quarter}}
        )
    rate = value_of(SPOT_CHECK_RATE.key, on=quarter.first, county=county)
    seed = secrets.randbelow(2**48) if seed is None else seed
    chosen = draw_teams(team_ids, sample_size(len(team_ids), rate), seed)
    draw = save(
        SpotCheckDraw(
            county=county,
            quarter=str(quarter),
            seed=seed,
            rate=rate,
            active_teams=len(team_ids),
            drawn_by=actor if getattr(actor, "pk", None) else None,
        )
    )
    SpotCheck.objects.bulk_create([SpotCheck(draw=draw, team_id=team_id) for team_id in chosen])
    return draw


@transaction.atomic
def spot_check_update(
    *,
    actor,
    spot_check: SpotCheck,
    finding: str | None = None,
    result: str | None = None,
    checked_on: datetime.date | None = None,
) -> SpotCheck:
    """Record what the check found and whether the team passed; a failure needs a finding."""
    ensure_county_business(actor)
    ensure_in_scope(actor, spot_check)
    check = SpotCheck.objects.select_for_update().get(pk=spot_check.pk)
    if finding is not None:
        check.finding = finding.strip()
    if result is not None:
        if result not in CheckResult.values:
            raise ValidationError({"result": _("Choose a valid result.")})
        check.result = result
    if checked_on is not None:
        check.checked_on = checked_on
    if check.result != CheckResult.PENDING and check.checked_on is None:
        check.checked_on = timezone.localdate()
    if check.checked_on and check.checked_on > timezone.localdate():
        raise ValidationError({"checked_on": _("This date is in the future.")})
    if check.result == CheckResult.FAIL and not check.finding:
        raise ValidationError({"finding": _("Describe what failed.")})
    return save(check)


@transaction.atomic
def spot_check_recall(
    *, actor, spot_check: SpotCheck, member: WorkTeamMember, date: datetime.date | None = None
) -> WorkTeamMember:
    """Recall (召回撤换) a member of a team that failed its check: the assignment ends as ``recalled``."""
    ensure_county_business(actor)
    ensure_in_scope(actor, spot_check)
    if spot_check.result != CheckResult.FAIL:
        raise ValidationError(_("Only a member of a team that failed its check can be recalled."))
    ensure_related_in_scope(actor, member, field="member")
    if member.team_id != spot_check.team_id:
        raise ValidationError({"member": _("This person is not a member of the checked team.")})
    date = date or timezone.localdate()
    if date < member.start_date or (member.end_date and member.end_date < date):
        raise ValidationError({"date": _("The member is not assigned to the team on this date.")})
    return team_member_end(actor=actor, member=member, end_date=date, reason=AssignmentEndReason.RECALLED)


# Evaluations


def _check_evaluation(evaluation: Evaluation) -> None:
    member = evaluation.member
    if evaluation.year > timezone.localdate().year:
        raise ValidationError({"year": _("A year is evaluated once it has begun.")})
    served = member.start_date.year <= evaluation.year and (
        member.end_date is None or member.end_date.year >= evaluation.year
    )
    if not served:
        raise ValidationError({"year": _("The member did not serve in this year.")})
    if Evaluation.objects.filter(member=member, year=evaluation.year).exclude(pk=evaluation.pk).exists():
        raise ValidationError({"year": _("This member already has an evaluation for this year.")})


@transaction.atomic
def evaluation_create(*, actor, member: WorkTeamMember, year: int, grade: str, note: str = "") -> Evaluation:
    ensure_county_business(actor)
    ensure_related_in_scope(actor, member, field="member")
    evaluation = Evaluation(member=member, year=year, grade=grade, note=note)
    _check_evaluation(evaluation)
    return save(evaluation)


@transaction.atomic
def evaluation_update(*, actor, evaluation: Evaluation, **fields) -> Evaluation:
    ensure_county_business(actor)
    ensure_in_scope(actor, evaluation)
    evaluation = Evaluation.objects.select_for_update().select_related("member").get(pk=evaluation.pk)
    if "member" in fields and fields.pop("member").pk != evaluation.member_id:
        raise ValidationError({"member": _("An evaluation cannot move to another member.")})
    apply(evaluation, fields, ("year", "grade", "note"))
    _check_evaluation(evaluation)
    return save(evaluation)


def spot_check_draw_quarter(*, actor, quarter: Quarter, counties=None) -> list[SpotCheckDraw]:
    """Draw ``quarter`` for every county (or those given) not drawn yet that has active teams.

    Safe to run again, or twice at once: a county already drawn is skipped (each draw is its own
    transaction, serialised per county by ``spot_check_sample``).
    """
    counties = County.objects.order_by("code") if counties is None else counties
    draws = []
    for county in counties:
        if SpotCheckDraw.objects.filter(county=county, quarter=str(quarter)).exists():
            continue
        if not teams_active_in(county.pk, quarter).exists():
            continue
        try:
            draws.append(spot_check_sample(actor=actor, county=county, quarter=quarter))
        except ValidationError:
            continue  # drawn meanwhile by someone else
    return draws
