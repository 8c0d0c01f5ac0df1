from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from apps.accounts.models import Role
from apps.accounts.services import token_for, user_create
from apps.core.actors import SYSTEM
from apps.villages.models import City, County, Township, Village

REGION_MODELS = (City, County, Township, Village)


class Command(BaseCommand):
    help = "Create a user bound to a region given by its 12-digit code."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--region", required=True, help="12-digit statistical code of the region")
        parser.add_argument("--password", required=True)
        parser.add_argument("--name", default="", help="full name")
        parser.add_argument("--token", action="store_true", help="also create and print an API token")

    def handle(self, *args, username, role, region, password, name, token, **options):
        region_obj = next(
            (obj for model in REGION_MODELS for obj in model.objects.filter(code=region)[:1]), None
        )
        if region_obj is None:
            raise CommandError(f"No region with code {region}.")
        try:
            user = user_create(
                actor=SYSTEM,
                username=username,
                password=password,
                role=role,
                region=region_obj,
                full_name=name,
            )
        except ValidationError as exc:
            details = exc.message_dict.items() if hasattr(exc, "error_dict") else [("error", exc.messages)]
            raise CommandError("; ".join(f"{k}: {' '.join(v)}" for k, v in details)) from exc
        self.stdout.write(f"Created {user.username} ({role}, {region_obj.name} {region_obj.code}).")
        if token:
            self.stdout.write(f"Token: {token_for(user=user)}")
