"""``manage.py party_figures``: print Bazhong figures 1–3 (rectified organisations, rating levels, joint
organisations) for a city, county or township, computed by the same selectors as the dashboards."""

from django.core.management.base import BaseCommand, CommandError

from apps.core.actors import SYSTEM
from apps.villages import selectors
from apps.villages.models import City, County, RatingLevel, Township

FIRST_YEAR = 2014


class Command(BaseCommand):
    help = "Print figures 1–3 of the Party-organisation report for a region (default: every city)."

    def add_arguments(self, parser):
        parser.add_argument("--region", help="12-digit code of a city, county or township (default: all).")
        parser.add_argument(
            "--from", dest="year_from", type=int, default=FIRST_YEAR, help="First year (2014)."
        )
        parser.add_argument("--to", dest="year_to", type=int, help="Last year (default: the latest rated).")

    def handle(self, *args, region=None, year_from, year_to, **options):
        scope, name = self._region(region)
        year_to = year_to or selectors.latest_rated_year(user=SYSTEM, **scope)
        if year_to is None:
            raise CommandError("No ratings in this region.")
        if year_from > year_to:
            raise CommandError("--from is after --to.")
        figures = selectors.party_figures(user=SYSTEM, year_from=year_from, year_to=year_to, **scope)
        write = self.stdout.write

        rectified = figures["rectified"]
        write(f"{name}: Party organisations {year_from}–{year_to}")
        write("")
        write(f"Figure 1. Weak-and-lax organisations rectified, {year_from}–{year_to}")
        write(
            f"  {'year':>4}  {'cases':>6}  {'first time':>10}  {'repeat':>6}  {'cumulative':>10}  {'of villages':>11}"
        )
        for row in rectified["years"]:
            write(
                f"  {row['year']:>4}  {row['cases']:>6,}  {row['first_time']:>10,}  {row['repeat']:>6,}"
                f"  {row['cumulative']:>10,}  {row['share_of_villages']:>10}%"
            )
        write(
            f"  Rectified since {year_from}: {rectified['organisations']:,} organisations,"
            f" {rectified['share_of_villages']}% of {rectified['villages']:,} villages;"
            f" repeat cases: {rectified['repeat_cases']:,}"
        )
        write("")
        levels = figures["levels"]
        write(f"Figure 2. Organisations by rating, {year_to}")
        if levels:
            for level in RatingLevel:
                write(f"  {level.value:<9} {levels[level.value]:>6,}  {levels['shares'][level.value]:>5}%")
            write(f"  {'rated':<9} {levels['total']:>6,}")
        else:
            write("  no ratings")
        write("")
        write(f"Figure 3. Joint organisations, {year_from}–{year_to}")
        write(f"  {'year':>4}  {'founded':>7}  {'at year end':>11}")
        for row in figures["joint"]:
            write(f"  {row['year']:>4}  {row['new']:>7,}  {row['existing']:>11,}")
        write(f"  Joint organisations now: {figures['joint_now']:,}")

    def _region(self, code: str | None) -> tuple[dict, str]:
        if not code:
            return {}, "All regions"
        for model, key in ((City, "city"), (County, "county"), (Township, "township")):
            region = model.objects.filter(code=code).first()
            if region is not None:
                return {key: region}, f"{region.name} ({code})"
        raise CommandError(f"No city, county or township has the code {code}.")
