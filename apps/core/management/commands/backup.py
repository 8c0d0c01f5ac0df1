from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from apps.core.backups import BackupError, backup, checksum_path


class Command(BaseCommand):
    help = "Dump the database with pg_dump (custom format) and write a SHA-256 checksum file beside it."

    def add_arguments(self, parser):
        parser.add_argument(
            "file",
            nargs="?",
            help="dump file (default: backups/touyan-YYYYmmdd-HHMMSS.dump)",
        )

    def handle(self, *args, file, **options):
        dump = Path(file or f"backups/touyan-{timezone.localtime():%Y%m%d-%H%M%S}.dump")
        try:
            checksum = backup(dump)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Wrote {dump} ({dump.stat().st_size:,} bytes) and {checksum_path(dump).name}: {checksum}"
        )
