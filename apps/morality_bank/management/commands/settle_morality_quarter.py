"""``manage.py settle_morality_quarter [YYYYQn] [--county CODE]``: the quarterly settlement from the shell."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from apps.core.actors import SYSTEM
from apps.core.periods import Quarter
from apps.villages.models import County

from ...services import settlement_run


class Command(BaseCommand):
    help = "Settle a finished quarter for every morality bank (idempotent: existing statements stay)."

    def add_arguments(self, parser):
        parser.add_argument("quarter", nargs="?", help="YYYYQn (default: the quarter that just ended)")
        parser.add_argument("--county", help="12-digit code of one county")

    def handle(self, *args, quarter=None, county=None, **options):
        quarter = quarter or str(Quarter.of(timezone.localdate()).previous())
        county_obj = None
        if county:
            county_obj = County.objects.filter(code=county).first()
            if county_obj is None:
                raise CommandError(f"No county with code {county}.")
        try:
            statements = settlement_run(actor=SYSTEM, quarter=quarter, county=county_obj)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(self.style.SUCCESS(f"{statements.count()} statements for {quarter}."))
