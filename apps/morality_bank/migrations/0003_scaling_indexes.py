"""The ledger list's order (newest first) as an index, built without blocking writes on a large ledger."""

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run inside a transaction

    dependencies = [
        ("morality_bank", "0002_default_catalogue"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="ledgerentry",
            index=models.Index(fields=["created_at", "id"], name="morality_ba_created_d53395_idx"),
        ),
    ]
