"""Demo survey results (figure 12) and a few published village pages.

巴中市's questionnaire of 2019 (seeds/000): of the reasons given for weak results of
"Party building to promote poverty alleviation", 38% said the approach was unclear, 29% that the
organisations' service capacity was weak, 21% that the policies were not well known and 12% that
responsibility for Party building was not carried out. Each county gets its own survey with shares
drawn around the city's, and 登科村 (the demo village clerk's village) publishes its public page.
"""

from __future__ import annotations

from decimal import Decimal

from apps.core.demo import DemoContext, register

from .models import PublicVillagePage, SurveyResult

BAZHONG_CITY = "511900000000"
SURVEY_YEAR = 2019
REASONS = (
    ("抓党建促脱贫工作思路不清", Decimal("38")),
    ("党组织服务能力不强", Decimal("29")),
    ("扶贫政策掌握不到位", Decimal("21")),
    ("党建工作责任落实不到位", Decimal("12")),
)
PUBLISHED_VILLAGES = ("511903001001",)


def _county_shares(ctx: DemoContext) -> list[Decimal]:
    weights = [float(share) * ctx.rng.uniform(0.75, 1.25) for _reason, share in REASONS]
    shares = [Decimal(100 * w / sum(weights)).quantize(Decimal("0.1")) for w in weights]
    shares[0] += Decimal(100) - sum(shares)  # exactly 100 in total
    return shares


@register(90)
def seed(ctx: DemoContext) -> None:
    rows = []
    for city in ctx.regions.cities:
        rows += [
            SurveyResult(city=city, county=None, year=SURVEY_YEAR, reason=reason, share=share)
            for reason, share in REASONS
        ]
        for county in [c for c in ctx.regions.counties if c.city_id == city.pk]:
            rows += [
                SurveyResult(city=city, county=county, year=SURVEY_YEAR, reason=reason, share=share)
                for (reason, _share), share in zip(REASONS, _county_shares(ctx), strict=True)
            ]
    SurveyResult.objects.bulk_create(rows)
    published = 0
    for code in PUBLISHED_VILLAGES:
        village = ctx.regions.get(code)
        if village is not None:
            PublicVillagePage.objects.create(village=village, enabled=True)
            published += 1
    ctx.summary["survey results (figure 12)"] = len(rows)
    ctx.summary["public village pages"] = published
