"""Services of the integrity watch: run the detectors of a county (writing findings only) and review a finding."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.permissions import ADMIN_ROLES, ensure_role
from apps.core.scoping import ensure_in_scope

from ..models import Finding, FindingStatus
from .detectors import DETECTORS

UPDATED_ON_RERUN = ("subject_name", "township", "village", "year", "evidence", "score", "last_seen")


@transaction.atomic
def integrity_run(*, actor, county, as_of: datetime.date | None = None, detectors=None) -> dict[str, int]:
    """Run the detectors over ``county`` and upsert their findings; returns the count per detector.

    Idempotent: a finding is unique by (detector, subject type, subject id, period), so a re-run updates
    the evidence, score and ``last_seen`` of what it finds again and keeps its status and review.
    Reads only; the data the detectors look at is never changed.
    """
    ensure_role(actor, ADMIN_ROLES)
    ensure_in_scope(actor, county, message=_("This county is outside your region."))
    as_of = as_of or timezone.localdate()
    now = timezone.now()
    counts: dict[str, int] = {}
    for code, detector in DETECTORS.items():
        if detectors is not None and code not in detectors:
            continue
        drafts = detector(actor, county, as_of)
        counts[code] = len(drafts)
        Finding.objects.bulk_create(
            [
                Finding(
                    detector=d.detector,
                    subject_type=d.subject_type,
                    subject_id=d.subject_id,
                    subject_name=d.subject_name[:200],
                    county_id=d.county_id,
                    township_id=d.township_id,
                    village_id=d.village_id,
                    year=d.year,
                    period=d.period,
                    evidence=d.evidence,
                    score=d.score,
                    first_seen=now,
                    last_seen=now,
                )
                for d in drafts
            ],
            update_conflicts=True,
            unique_fields=["detector", "subject_type", "subject_id", "period"],
            update_fields=UPDATED_ON_RERUN,
        )
    return counts


REVIEW_STATUSES = (FindingStatus.EXPLAINED, FindingStatus.CONFIRMED, FindingStatus.OPEN)


@transaction.atomic
def finding_review(*, actor, finding: Finding, status: str, reason: str) -> Finding:
    """Set a finding's status (explained, confirmed, or open again) with the reviewer's reason."""
    ensure_role(actor, ADMIN_ROLES)
    ensure_in_scope(actor, finding)
    if status not in REVIEW_STATUSES:
        raise ValidationError({"status": _("Choose open, explained or confirmed.")})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give a reason for the status.")})
    finding.status = status
    finding.reason = reason
    finding.reviewed_by = actor if getattr(actor, "pk", None) else None
    finding.reviewed_at = timezone.now()
    finding.save(update_fields=["status", "reason", "reviewed_by", "reviewed_at", "updated_at"])
    return finding
