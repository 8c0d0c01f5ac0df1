"""Demo rankings for 恩阳区: the last three months of work-team and township rankings (published, so the
escalation ledger has entries) and last year's village ranking (published, with its candidates)."""

from django.utils import timezone

from apps.core.actors import SYSTEM
from apps.core.demo import DemoContext, register
from apps.core.periods import Month, Year

from .models import Escalation, RankingKind, WeakCandidate
from .services import ranking_publish, ranking_run

DEMO_COUNTY = "511903000000"  # 恩阳区, in every preset


@register(80)
def seed(ctx: DemoContext) -> None:
    county = ctx.regions.get(DEMO_COUNTY)
    if county is None:
        return
    today = timezone.localdate()
    months = [Month.of(today).previous()]
    for _ in range(2):
        months.insert(0, months[0].previous())
    rankings = 0
    for month in months:
        for kind in (RankingKind.WORK_TEAM, RankingKind.TOWNSHIP):
            ranking_publish(
                actor=SYSTEM, ranking=ranking_run(actor=SYSTEM, kind=kind, period=month, county=county)
            )
            rankings += 1
    year = Year(today.year - 1)
    ranking_publish(
        actor=SYSTEM, ranking=ranking_run(actor=SYSTEM, kind=RankingKind.VILLAGE, period=year, county=county)
    )
    # This year's village ranking as a draft, for the "publish" button.
    ranking_run(actor=SYSTEM, kind=RankingKind.VILLAGE, period=Year(today.year), county=county)
    ctx.summary["rankings (恩阳区)"] = rankings + 2
    ctx.summary["  escalations"] = Escalation.objects.filter(county=county).count()
    ctx.summary["  weak-and-lax candidates"] = WeakCandidate.objects.filter(
        organisation__county=county
    ).count()


from .integrity import demo as integrity_demo  # noqa: E402, F401 - registers the planted anomalies (order 95)
