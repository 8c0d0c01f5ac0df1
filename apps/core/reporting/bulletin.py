"""The quarterly bulletin (季通报) of a county: each township's months of the quarter, their status and
timeliness, the quarter's own period, and the escalations of the quarter's published rankings."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.configuration import values_of
from apps.core.exports import Sheet, xlsx_sheets_response
from apps.core.models import PeriodKind, ReportingPeriod
from apps.core.periods import Month, Quarter
from apps.core.scoping import scope_for
from apps.rankings.selectors import escalations_between

from .config import DUE_DAYS
from .selectors import period_days_late
from .timeliness import days_late


def quarter_bulletin(*, user, county, quarter: Quarter) -> dict:
    from apps.villages.models import Township

    today = timezone.localdate()
    townships = list(scope_for(user, Township.objects.filter(county=county)).order_by("code"))
    months = [Month(quarter.year, m) for m in range(3 * quarter.quarter - 2, 3 * quarter.quarter + 1)]
    rows = {
        (p.township_id, p.kind, p.start): p
        for p in ReportingPeriod.objects.filter(
            county=county,
            start__gte=quarter.first,
            start__lte=quarter.last,
            kind__in=(PeriodKind.MONTH, PeriodKind.QUARTER),
        )
    }
    due_days = values_of(DUE_DAYS, on=quarter.last)(county)
    lines = []
    for township in townships:
        cells = []
        for month in months:
            period = rows.get((township.pk, PeriodKind.MONTH, month.first))
            late = (
                period_days_late(period, due_days, today)
                if period
                else (
                    days_late(end=month.last, due_days=due_days, submitted_at=None, today=today)
                    if month.last < today
                    else 0
                )
            )
            cells.append({"month": month, "status": period.status if period else "open", "days_late": late})
        quarter_row = rows.get((township.pk, PeriodKind.QUARTER, quarter.first))
        lines.append(
            {
                "township": township,
                "months": cells,
                "quarter_status": quarter_row.status if quarter_row else "open",
                "on_time": sum(
                    1 for c in cells if c["status"] in ("submitted", "approved") and c["days_late"] == 0
                ),
                "days_late": sum(c["days_late"] for c in cells),
            }
        )
    return {
        "county": county,
        "quarter": quarter,
        "months": months,
        "lines": lines,
        "escalations": list(
            escalations_between(user=user, county=county, first=quarter.first, last=quarter.last)
        ),
    }


def bulletin_xlsx(data: dict):
    headers = [_("Township")]
    for month in data["months"]:
        headers += [f"{month} " + _("status"), f"{month} " + _("days late")]
    headers += [_("Quarter status"), _("Months on time"), _("Total days late")]
    rows = []
    for line in data["lines"]:
        row = [line["township"].name]
        for cell in line["months"]:
            row += [cell["status"], cell["days_late"]]
        row += [line["quarter_status"], line["on_time"], line["days_late"]]
        rows.append(row)
    escalations = [
        [
            e.ranking.period,
            e.ranking.get_kind_display(),
            e.subject_name,
            e.rank,
            e.get_level_display(),
            e.consecutive,
            e.talk_date,
        ]
        for e in data["escalations"]
    ]
    return xlsx_sheets_response(
        filename=f"bulletin-{data['county'].code}-{data['quarter']}.xlsx",
        sheets=[
            Sheet(str(data["quarter"]), headers, rows),
            Sheet(
                _("Escalations"),
                [
                    _("Period"),
                    _("Ranking"),
                    _("Subject"),
                    _("Rank"),
                    _("Level"),
                    _("Consecutive months"),
                    _("Talk held on"),
                ],
                escalations,
            ),
        ],
    )
