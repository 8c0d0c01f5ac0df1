"""Ships the default catalogue (apps/morality_bank/catalogue.py)."""

from django.db import migrations

from apps.morality_bank.catalogue import DEFAULT_ITEMS


def create_items(apps, schema_editor):
    Item = apps.get_model("morality_bank", "Item")
    Item.objects.bulk_create(
        (
            Item(category=category, name=name, min_points=low, max_points=high)
            for category, items in DEFAULT_ITEMS.items()
            for name, low, high in items
        ),
        ignore_conflicts=True,
    )


def remove_items(apps, schema_editor):
    # Leaves items that were used (PROTECT) in place: only an unused default catalogue is removed.
    Item = apps.get_model("morality_bank", "Item")
    Item.objects.filter(county__isnull=True, awards__isnull=True, opt_outs__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("morality_bank", "0001_initial")]

    operations = [migrations.RunPython(create_items, remove_items)]
