"""``manage.py seed_demo``: fill an empty database with deterministic demo data (see apps/core/demo.py)."""

import time

import pghistory
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from apps.core import demo
from apps.villages.models import City

# Serialises concurrent runs (e.g. two containers starting with --if-empty at once).
ADVISORY_LOCK_KEY = 7_345_190_221  # any fixed number; only seed_demo takes this lock


class Command(BaseCommand):
    help = (
        "Fill an empty database with demo regions, users and each app's records. "
        "The same --preset and --seed always give the same data."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--preset", choices=demo.PRESETS, default="enyang", help="Scale (default: enyang)."
        )
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default: 1).")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing, successfully, when the database already has regions.",
        )

    def handle(self, *args, preset, seed, if_empty, **options):
        started = time.monotonic()
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_LOCK_KEY])
                # Django's foreign keys are DEFERRABLE INITIALLY DEFERRED; in one long transaction
                # PostgreSQL would re-scan a growing queue of pending checks after every insert.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            if City.objects.exists():
                if if_empty:
                    self.stdout.write("database already has data")
                    return
                raise CommandError(
                    "The database already has data: seed_demo only fills an empty database. "
                    "Use a fresh database, or pass --if-empty to skip seeding when data exists."
                )
            try:
                with pghistory.context(command="seed_demo", preset=preset, seed=seed):
                    ctx = demo.run(preset=preset, seed=seed)
            except demo.DemoError as exc:
                raise CommandError(f"Nothing was seeded: {exc}") from exc

        elapsed = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(f"Seeded preset {preset} with seed {seed} in {elapsed:.1f} s:"))
        shown = {
            label: f"{value:,}" if isinstance(value, int) else str(value)
            for label, value in ctx.summary.items()
        }
        label_width, value_width = max(map(len, shown)), max(map(len, shown.values()))
        for label, value in shown.items():
            self.stdout.write(f"  {label.ljust(label_width)}  {value.rjust(value_width)}")
        self.stdout.write("")
        self.stdout.write(demo.render_logins(ctx.logins), ending="")
        if token := ctx.shared.get("accounts.api_token"):
            self.stdout.write(f"\nREST API token of api_client: {token}")
