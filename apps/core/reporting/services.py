"""Transitions of a reporting period: submit, approve, return, reopen (each recorded as a PeriodEvent).

Township periods are submitted by the township's staff and approved, returned or reopened by an
admin of its county; county periods are submitted by the county and approved, returned or reopened
by the city, and approved only once every township of the county has that period approved (child
before parent). Nobody approves their own submission. Approval locks the period's records
(``apps.core.reporting.locks``).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.models import PeriodAction, PeriodEvent, PeriodKind, PeriodStatus, ReportingPeriod
from apps.core.periods import Month, Quarter, Year
from apps.core.scoping import in_scope

from . import notifications
from .completeness import township_gaps
from .timeliness import opens_on, rules_for

KINDS = {Month: PeriodKind.MONTH, Quarter: PeriodKind.QUARTER, Year: PeriodKind.YEAR}


def _binding(actor):
    return actor.region_binding() if getattr(actor, "is_authenticated", False) else None


def period_row(*, township=None, county=None, period: Month | Quarter | Year) -> ReportingPeriod:
    """The stored row of a township's (or county's) period, created open if it is not there yet."""
    county = township.county if township is not None else county
    row, _created = ReportingPeriod.objects.get_or_create(
        county=county,
        township=township,
        kind=KINDS[type(period)],
        start=period.first,
        defaults={"end": period.last},
    )
    return row


@transaction.atomic
def period_open(*, actor, period: Month | Quarter | Year, township=None, county=None) -> ReportingPeriod:
    """Get (or lazily create) a period of a region in the actor's scope."""
    region = township if township is not None else county
    if region is None:
        raise ValidationError({"township": _("Give a township or a county.")})
    if not in_scope(actor, region):
        field = "township" if township is not None else "county"
        raise ValidationError({field: _("Choose a region within your own region.")})
    return period_row(township=township, county=county, period=period)


def _locked(period: ReportingPeriod) -> ReportingPeriod:
    return (
        ReportingPeriod.objects.select_for_update(of=("self",))
        .select_related("township", "county")
        .get(pk=period.pk)
    )


def _event(period, action, actor, reason=""):
    PeriodEvent.objects.create(
        period=period, action=action, actor=actor if getattr(actor, "pk", None) else None, reason=reason
    )


def may_submit(actor, period: ReportingPeriod) -> bool:
    if actor.is_superuser:
        return True
    binding = _binding(actor)
    if period.township_id:
        return actor.role in ("township_staff", "api_client") and binding == ("township", period.township_id)
    return actor.role in ("county_admin", "api_client") and binding == ("county", period.county_id)


def may_decide(actor, period: ReportingPeriod) -> bool:
    """Approve, return or reopen: the county for a township's period, the city for a county's."""
    if actor.is_superuser:
        return True
    binding = _binding(actor)
    if period.township_id:
        return actor.role == "county_admin" and binding == ("county", period.county_id)
    return actor.role == "city_admin" and binding == ("city", period.county.city_id)


def period_gaps(period: ReportingPeriod) -> list[dict]:
    """What is missing: a township's data, or for a county the townships not approved yet."""
    if period.township_id:
        return township_gaps(period.township_id, period.period)
    approved = set(
        ReportingPeriod.objects.filter(
            county=period.county_id,
            township__isnull=False,
            kind=period.kind,
            start=period.start,
            status=PeriodStatus.APPROVED,
        ).values_list("township_id", flat=True)
    )
    return [
        {
            "check": "township_not_approved",
            "label": _("Township period not approved"),
            "village": None,
            "village_name": township.name,
            "detail": "",
        }
        for township in period.county.townships.order_by("code")
        if township.pk not in approved
    ]


def _gaps_message(gaps: list[dict]) -> str:
    listed = "; ".join(f"{gap['village_name']}: {gap['label']}" for gap in gaps[:20])
    more = len(gaps) - 20
    if more > 0:
        listed += " " + _("(and %(count)s more)") % {"count": more}
    return _("The period is incomplete (%(count)s gaps): %(gaps)s. To submit it anyway, give the reason.") % {
        "count": len(gaps),
        "gaps": listed,
    }


@transaction.atomic
def period_submit(*, actor, period: ReportingPeriod, gaps_reason: str = "") -> ReportingPeriod:
    """Submit an open or returned period once its grace has passed; gaps need an explicit reason."""
    period = _locked(period)
    if not may_submit(actor, period):
        raise PermissionDenied(_("Only the staff of this region submit its period."))
    if period.status not in (PeriodStatus.OPEN, PeriodStatus.RETURNED):
        raise ValidationError(
            _("This period is %(status)s; only an open or returned period can be submitted.")
            % {"status": period.get_status_display()}
        )
    grace_days, _due = rules_for(period.county_id, period.end)
    opens = opens_on(period.end, grace_days)
    if timezone.localdate() < opens:
        raise ValidationError(
            _("%(period)s can be submitted from %(date)s.") % {"period": period.label, "date": opens}
        )
    gaps = period_gaps(period)
    gaps_reason = (gaps_reason or "").strip()
    if gaps and not gaps_reason:
        raise ValidationError({"gaps_reason": _gaps_message(gaps)})
    period.status = PeriodStatus.SUBMITTED
    period.submitted_by = actor if getattr(actor, "pk", None) else None
    period.submitted_at = timezone.now()
    period.gaps = gaps
    period.gaps_reason = gaps_reason if gaps else ""
    period.returned_reason = ""
    period.save()
    _event(period, PeriodAction.SUBMIT, actor, period.gaps_reason)
    notifications.period_submitted(period)
    return period


def _ensure_decider(actor, period: ReportingPeriod) -> None:
    if not may_decide(actor, period):
        if period.township_id:
            raise PermissionDenied(_("Only an admin of the county decides on a township's period."))
        raise PermissionDenied(_("Only an admin of the city decides on a county's period."))


@transaction.atomic
def period_approve(*, actor, period: ReportingPeriod) -> ReportingPeriod:
    """Approve (and so lock) a submitted period; a county's only after all its townships'."""
    period = _locked(period)
    _ensure_decider(actor, period)
    if period.status != PeriodStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted period can be approved."))
    if period.submitted_by_id is not None and period.submitted_by_id == getattr(actor, "pk", None):
        raise PermissionDenied(_("You cannot approve your own submission."))
    if period.township_id is None:
        pending = period_gaps(period)
        if pending:
            raise ValidationError(
                _("Approve the townships' periods first: %(townships)s.")
                % {"townships": ", ".join(gap["village_name"] for gap in pending)}
            )
    period.status = PeriodStatus.APPROVED
    period.approved_by = actor if getattr(actor, "pk", None) else None
    period.approved_at = timezone.now()
    period.save()
    _event(period, PeriodAction.APPROVE, actor)
    notifications.period_decided(period, approved=True)
    return period


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason.")})
    return reason


@transaction.atomic
def period_return(*, actor, period: ReportingPeriod, reason: str) -> ReportingPeriod:
    """Send a submitted period back to its region with the reason."""
    period = _locked(period)
    _ensure_decider(actor, period)
    reason = _reason(reason)
    if period.status != PeriodStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted period can be returned."))
    period.status = PeriodStatus.RETURNED
    period.returned_reason = reason
    period.save()
    _event(period, PeriodAction.RETURN, actor, reason)
    notifications.period_decided(period, approved=False)
    return period


@transaction.atomic
def period_reopen(*, actor, period: ReportingPeriod, reason: str) -> ReportingPeriod:
    """Reopen an approved period (unlocking its records); a township's only while its county's is not approved."""
    period = _locked(period)
    _ensure_decider(actor, period)
    reason = _reason(reason)
    if period.status != PeriodStatus.APPROVED:
        raise ValidationError(_("Only an approved period can be reopened."))
    if period.township_id is not None:
        parent = ReportingPeriod.objects.filter(
            county=period.county_id, township__isnull=True, kind=period.kind, start=period.start
        ).first()
        if parent is not None and parent.status in (PeriodStatus.SUBMITTED, PeriodStatus.APPROVED):
            raise ValidationError(
                _("The county's %(period)s is %(status)s; it must be returned or reopened first.")
                % {"period": parent.label, "status": parent.get_status_display()}
            )
    period.status = PeriodStatus.OPEN
    period.approved_by = None
    period.approved_at = None
    period.save()
    _event(period, PeriodAction.REOPEN, actor, reason)
    return period
