"""The national rural poverty lines 2015-2020 as dated global settings (2014's is the key's default)."""

import datetime
from decimal import Decimal

from django.db import migrations

KEY = "assistance.poverty_line"
LINES = {
    2015: Decimal("2855"),
    2016: Decimal("2952"),
    2017: Decimal("3335"),
    2018: Decimal("3535"),
    2019: Decimal("3747"),
    2020: Decimal("4000"),
}
NOTE = "national rural poverty line"


def add_lines(apps, schema_editor):
    Setting = apps.get_model("core", "Setting")
    for year, value in LINES.items():
        Setting.objects.get_or_create(
            key=KEY,
            county=None,
            valid_from=datetime.date(year, 1, 1),
            defaults={"value": str(value), "note": NOTE},
        )


def remove_lines(apps, schema_editor):
    Setting = apps.get_model("core", "Setting")
    Setting.objects.filter(key=KEY, county=None, note=NOTE).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("assistance", "0003_work_teams_households_lists_checks"),
        ("core", "0001_initial"),
    ]

    operations = [migrations.RunPython(add_lines, remove_lines)]
