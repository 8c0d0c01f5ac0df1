"""Every write of the rankings app: configurations, runs (snapshots), publishing, escalations, candidates."""

from __future__ import annotations

import datetime
import json
import zlib
from collections.abc import Callable
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.cadres.models import Role
from apps.cadres.selectors import position_list
from apps.collective_economy.models import Bracket
from apps.collective_economy.selectors import income_list
from apps.core.actors import SYSTEM
from apps.core.periods import Month, Year, parse_period
from apps.core.permissions import ADMIN_ROLES, ensure_role
from apps.core.scoping import ensure_in_scope
from apps.villages.models import County, PartyOrganisationVillage, RatingLevel
from apps.villages.selectors import rectification_list, village_list
from apps.villages.services import rating_create

from .indicators import indicators_for
from .models import (
    ESCALATION_SEQUENCE,
    CandidateStatus,
    Escalation,
    Ranking,
    RankingConfiguration,
    RankingEntry,
    RankingKind,
    RankingStatus,
    WeakCandidate,
)
from .scoring import ComputedRanking, compute_ranking

ESCALATING_KINDS = (RankingKind.WORK_TEAM, RankingKind.TOWNSHIP)
BOTTOM_RANKS = 3
SECRETARY_VACANT_DAYS = 90  # "vacant over 3 months"


def _person(actor):
    return actor if getattr(actor, "pk", None) else None


def _county_in_scope(actor, county) -> County:
    if not isinstance(county, County):
        county = County.objects.filter(pk=county).first()
    if county is None:
        raise ValidationError({"county": _("Choose a county.")})
    ensure_in_scope(actor, county, message=_("This county is outside your region."))
    return county


# Configurations


def clean_weights(kind: str, weights) -> dict[str, int | float]:
    """Weights of known indicators of ``kind``: numbers ≥ 0 summing to exactly 100 (zeros dropped)."""
    if not isinstance(weights, dict) or not weights:
        raise ValidationError({"weights": _("Give a weight for at least one indicator.")})
    known = {indicator.code for indicator in indicators_for(kind)}
    unknown = sorted(set(weights) - known)
    if unknown:
        raise ValidationError(
            {"weights": _("Unknown indicators for this kind: %(codes)s.") % {"codes": ", ".join(unknown)}}
        )
    cleaned: dict[str, int | float] = {}
    for code, raw in weights.items():
        try:
            if isinstance(raw, bool):
                raise InvalidOperation
            value = Decimal(str(raw))
            if not value.is_finite():
                raise InvalidOperation
        except (InvalidOperation, ValueError, TypeError) as exc:
            raise ValidationError({"weights": _("Every weight must be a number.")}) from exc
        if value < 0:
            raise ValidationError({"weights": _("Weights cannot be negative.")})
        if value:
            cleaned[code] = int(value) if value == value.to_integral_value() else float(value)
    total = sum(Decimal(str(v)) for v in cleaned.values())
    if total != 100:
        raise ValidationError(
            {"weights": _("The weights must add up to 100 (they add up to %(total)s).") % {"total": total}}
        )
    return cleaned


@transaction.atomic
def configuration_create(
    *,
    actor,
    county,
    kind: str,
    valid_from: datetime.date,
    weights: dict,
    bottom_n: int = 3,
    note: str = "",
) -> RankingConfiguration:
    """A new dated configuration for one county and kind; earlier snapshots keep the one they used."""
    ensure_role(actor, ADMIN_ROLES)
    county = _county_in_scope(actor, county)
    if kind not in RankingKind.values:
        raise ValidationError({"kind": _("Unknown kind of ranking.")})
    weights = clean_weights(kind, weights)
    if bottom_n is None or int(bottom_n) < 0:
        raise ValidationError({"bottom_n": _("Bottom N cannot be negative.")})
    if RankingConfiguration.objects.filter(county=county, kind=kind, valid_from=valid_from).exists():
        raise ValidationError(
            {"valid_from": _("This county already has a configuration of this kind from that day.")}
        )
    published = Ranking.objects.filter(
        county=county, kind=kind, status=RankingStatus.PUBLISHED, period_last__gte=valid_from
    )
    if published.exists():
        raise ValidationError(
            {"valid_from": _("A published ranking already covers that day; choose a later date.")}
        )
    return RankingConfiguration.objects.create(
        county=county,
        kind=kind,
        valid_from=valid_from,
        weights=weights,
        bottom_n=int(bottom_n),
        note=note or "",
        created_by=_person(actor),
    )


# Runs


def ranking_validate_run(*, actor, kind: str, period, county):
    """Check a run before it is queued: role, kind, period (not in the future), county in scope, not published."""
    ensure_role(actor, ADMIN_ROLES)
    if kind not in RankingKind.values:
        raise ValidationError({"kind": _("Unknown kind of ranking: use village, work_team or township.")})
    if isinstance(period, str):
        period = parse_period(period)
    if period.first > timezone.localdate():
        raise ValidationError({"period": _("The period has not started yet.")})
    county = _county_in_scope(actor, county)
    if Ranking.objects.filter(
        kind=kind, period=str(period), county=county, status=RankingStatus.PUBLISHED
    ).exists():
        raise ValidationError(
            {"period": _("The ranking of this period is published; a published ranking never changes.")}
        )
    return kind, period, county


def _lock(kind: str, period, county) -> None:
    """A transaction-level advisory lock per (kind, period, county): concurrent writers queue here."""
    key = zlib.crc32(f"rankings:{kind}:{period}:{county.pk}".encode())
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [4242, key - 2**31])


def ranking_run(
    *, actor, kind: str, period, county, progress: Callable[[int], None] | None = None
) -> Ranking:
    """Compute and store the draft snapshot of (kind, period, county), replacing an earlier draft.

    Everything is computed first; the snapshot is then replaced in one transaction under an
    advisory lock, so a failed run leaves the previous draft intact and two runs never both write.
    A published snapshot is never changed (ValidationError).
    """
    kind, period, county = ranking_validate_run(actor=actor, kind=kind, period=period, county=county)
    computed = compute_ranking(kind=kind, period=period, county=county, progress=progress)
    ranking = _store(computed)
    if progress:
        progress(95)
    return ranking


@transaction.atomic
def _store(computed: ComputedRanking) -> Ranking:
    _lock(computed.kind, computed.period, computed.county)
    ranking = (
        Ranking.objects.select_for_update()
        .filter(kind=computed.kind, period=str(computed.period), county=computed.county)
        .first()
    )
    if ranking is not None and ranking.is_published:
        raise ValidationError(
            {"period": _("The ranking of this period is published; a published ranking never changes.")}
        )
    fields = {
        "period_first": computed.period.first,
        "period_last": computed.period.last,
        "configuration": computed.configuration,
        "weights": computed.weights,
        "bottom_n": computed.bottom_n,
        "subjects": len(computed.entries),
        "computed_at": timezone.now(),
        "inputs_read_at": computed.inputs_read_at,
    }
    if ranking is None:
        ranking = Ranking.objects.create(
            kind=computed.kind, period=str(computed.period), county=computed.county, **fields
        )
    else:
        for name, value in fields.items():
            setattr(ranking, name, value)
        ranking.save()
        ranking.entries.all().delete()
    _copy_entries(ranking, computed)
    return ranking


ENTRY_COLUMNS = (
    "ranking_id",
    "subject_type",
    "subject_id",
    "subject_name",
    "township_id",
    "village_id",
    "rank",
    "score",
    "breakdown",
    "missing",
)


def _copy_entries(ranking: Ranking, computed: ComputedRanking) -> None:
    """Write all entries with one COPY (several times faster than a multi-row INSERT of JSON rows)."""
    table = RankingEntry._meta.db_table
    with connection.cursor() as cursor:
        sql = f"COPY {table} ({', '.join(ENTRY_COLUMNS)}) FROM STDIN"  # noqa: S608 - fixed names
        with cursor.cursor.copy(sql) as copy:
            for entry in computed.entries:
                copy.write_row(
                    (
                        ranking.pk,
                        computed.subject_type,
                        entry.subject.id,
                        entry.subject.name[:200],
                        entry.subject.township_id,
                        entry.subject.village_id,
                        entry.rank,
                        entry.score,
                        json.dumps(entry.breakdown),
                        json.dumps(entry.missing),
                    )
                )


# Publishing


def bottom_entries(entries: list, places: int) -> list:
    """The entries in the bottom ``places`` places, ties included: every entry ranked at or below the
    ``places``-th worst entry's rank (ranks 1, 2, 2, 4 with three places: 2, 2 and 4)."""
    if places <= 0 or not entries:
        return []
    ranks = sorted((entry.rank for entry in entries), reverse=True)
    threshold = ranks[min(places, len(ranks)) - 1]
    return [entry for entry in entries if entry.rank >= threshold]


@transaction.atomic
def ranking_publish(*, actor, ranking: Ranking) -> Ranking:
    """Publish a draft: it becomes immutable; monthly work-team and township rankings escalate their
    bottom three; yearly village rankings propose weak-and-lax candidates."""
    ensure_role(actor, ADMIN_ROLES)
    ensure_in_scope(actor, ranking)
    ranking = Ranking.objects.select_for_update().select_related("county").get(pk=ranking.pk)
    if ranking.is_published:
        raise ValidationError({"non_field_errors": [_("This ranking is already published.")]})
    ranking.status = RankingStatus.PUBLISHED
    ranking.published_at = timezone.now()
    ranking.published_by = _person(actor)
    ranking.save(update_fields=["status", "published_at", "published_by", "updated_at"])
    period = parse_period(ranking.period)
    if ranking.kind in ESCALATING_KINDS and isinstance(period, Month):
        _escalate(ranking, period)
    if ranking.kind == RankingKind.VILLAGE and isinstance(period, Year):
        _propose_candidates(ranking, period)
    return ranking


def _escalate(ranking: Ranking, month: Month) -> list[Escalation]:
    """One escalation per bottom-three subject, one level up per consecutive month (a month outside resets)."""
    entries = list(ranking.entries.all())
    bottom = bottom_entries(entries, BOTTOM_RANKS)
    previous = dict(
        Escalation.objects.filter(
            ranking__kind=ranking.kind,
            ranking__county=ranking.county,
            ranking__period=str(month.previous()),
            ranking__status=RankingStatus.PUBLISHED,
            subject_id__in=[entry.subject_id for entry in bottom],
        ).values_list("subject_id", "consecutive")
    )
    escalations = []
    for entry in bottom:
        consecutive = previous.get(entry.subject_id, 0) + 1
        escalations.append(
            Escalation(
                ranking=ranking,
                county=ranking.county,
                township_id=entry.township_id,
                village_id=entry.village_id,
                subject_type=entry.subject_type,
                subject_id=entry.subject_id,
                subject_name=entry.subject_name,
                rank=entry.rank,
                level=ESCALATION_SEQUENCE[min(consecutive, len(ESCALATION_SEQUENCE)) - 1],
                consecutive=consecutive,
            )
        )
    return Escalation.objects.bulk_create(escalations)


def _propose_candidates(ranking: Ranking, year: Year) -> list[WeakCandidate]:
    """Organisations whose villages are in the bottom N, or hit a hard trigger on the year's last day:
    secretary post vacant over 3 months, an open rectification case past its deadline, an empty-shell income."""
    on = year.last
    entries = list(ranking.entries.all())
    ranks = {entry.village_id: entry.rank for entry in entries}
    bottom = {entry.village_id for entry in bottom_entries(entries, ranking.bottom_n)}
    villages = village_list(user=SYSTEM).filter(county=ranking.county, pk__in=ranks.keys())
    window_start = on - datetime.timedelta(days=SECRETARY_VACANT_DAYS)
    secretaries = (
        position_list(user=SYSTEM)
        .filter(village=OuterRef("pk"), role=Role.SECRETARY, start_date__lte=on)
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=window_start))
    )
    vacant = set(villages.filter(~Exists(secretaries)).values_list("pk", flat=True))
    empty = set(
        income_list(user=SYSTEM)
        .filter(village__county=ranking.county, year=year.year, bracket=Bracket.EMPTY)
        .values_list("village_id", flat=True)
    )
    overdue_orgs = set(
        rectification_list(user=SYSTEM, today=on)
        .prefetch_related(None)
        .filter(organisation__county=ranking.county, overdue=True)
        .values_list("organisation_id", flat=True)
    )
    links = PartyOrganisationVillage.objects.filter(
        village__county=ranking.county, village_id__in=ranks.keys()
    ).filter(Q(organisation__dissolved_on__isnull=True) | Q(organisation__dissolved_on__gte=year.first))
    reasons_by_org: dict[int, dict[str, str]] = {}
    worst: dict[int, int] = {}
    texts = {
        "bottom_n": _("In the bottom %(n)s of the ranking") % {"n": ranking.bottom_n},
        "secretary_vacant": _("Secretary post vacant for more than 3 months"),
        "overdue_rectification": _("Rectification case past its deadline"),
        "empty_income": _("No collective income (empty shell)"),
    }
    for org_id, village_id in links.values_list("organisation_id", "village_id"):
        codes = []
        if village_id in bottom:
            codes.append("bottom_n")
        if village_id in vacant:
            codes.append("secretary_vacant")
        if org_id in overdue_orgs:
            codes.append("overdue_rectification")
        if village_id in empty:
            codes.append("empty_income")
        if codes:
            reasons = reasons_by_org.setdefault(org_id, {})
            for code in codes:
                reasons[code] = str(texts[code])
            worst[org_id] = max(worst.get(org_id, 0), ranks[village_id])
    order = list(texts)
    return WeakCandidate.objects.bulk_create(
        [
            WeakCandidate(
                ranking=ranking,
                organisation_id=org_id,
                year=year.year,
                reasons=[{"code": c, "text": reasons[c]} for c in order if c in reasons],
                worst_rank=worst[org_id],
            )
            for org_id, reasons in reasons_by_org.items()
        ]
    )


# Escalations and candidates


@transaction.atomic
def escalation_record_talk(
    *, actor, escalation: Escalation, talk_date: datetime.date, talk_by: str, talk_notes: str = ""
) -> Escalation:
    """Record the talk an escalation called for (date, who held it, notes)."""
    ensure_role(actor, ADMIN_ROLES)
    ensure_in_scope(actor, escalation)
    escalation = Escalation.objects.select_for_update().get(pk=escalation.pk)
    errors = {}
    if talk_date is None:
        errors["talk_date"] = _("Give the date of the talk.")
    elif talk_date < escalation.ranking.period_last:
        errors["talk_date"] = _("The talk cannot be before the end of the ranked month.")
    elif talk_date > timezone.localdate():
        errors["talk_date"] = _("The talk cannot be in the future.")
    if not (talk_by or "").strip():
        errors["talk_by"] = _("Say who held the talk.")
    if errors:
        raise ValidationError(errors)
    escalation.talk_date, escalation.talk_by = talk_date, talk_by.strip()
    escalation.talk_notes = talk_notes or ""
    escalation.recorded_by = _person(actor)
    escalation.save()
    return escalation


@transaction.atomic
def candidate_confirm(*, actor, candidate: WeakCandidate, reason: str = "") -> WeakCandidate:
    """Confirm a candidate: the villages service records the year's `weak` rating (which opens the case)."""
    ensure_role(actor, ADMIN_ROLES)
    ensure_in_scope(actor, candidate)
    candidate = WeakCandidate.objects.select_for_update().select_related("organisation").get(pk=candidate.pk)
    if candidate.status == CandidateStatus.CONFIRMED:
        raise ValidationError({"non_field_errors": [_("This candidate is already confirmed.")]})
    text = reason.strip() or "; ".join(item["text"] for item in candidate.reasons)
    rating = rating_create(
        actor=actor,
        organisation=candidate.organisation,
        year=candidate.year,
        level=RatingLevel.WEAK,
        reason=text,
    )
    candidate.status = CandidateStatus.CONFIRMED
    candidate.rating = rating
    candidate.confirmed_by = _person(actor)
    candidate.confirmed_at = timezone.now()
    candidate.save()
    return candidate
