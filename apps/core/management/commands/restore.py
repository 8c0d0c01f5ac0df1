from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.core.backups import BackupError, restore


class Command(BaseCommand):
    help = "Restore a dump made by `manage.py backup` over the database, after checking its checksum."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    def handle(self, *args, file, yes, **options):
        dump = Path(file)
        if not dump.exists():
            raise CommandError(f"{dump} does not exist.")
        if not yes and input(f"Replace the current database with {dump}? Type 'yes': ").strip() != "yes":
            raise CommandError("Cancelled; nothing was changed.")
        try:
            restore(dump)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Restored {dump}.")
