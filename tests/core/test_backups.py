"""`manage.py backup` / `restore` round-trip the enyang preset exactly, and refuse a damaged dump."""

import psycopg
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from apps.core.backups import restore

pytestmark = pytest.mark.django_db(transaction=True)

# Every table's row count and a digest of its rows (ledger sums included, whatever the app).
FINGERPRINT_SQL = """
SELECT table_name FROM information_schema.tables
WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name
"""


def fingerprint(conn) -> dict[str, tuple[int, str]]:
    with conn.cursor() as cursor:
        cursor.execute(FINGERPRINT_SQL)
        tables = [row[0] for row in cursor.fetchall()]
        result = {}
        for table in tables:
            cursor.execute(
                f"SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM \"{table}\" t"  # noqa: S608
            )
            result[table] = tuple(cursor.fetchone())
    return result


def connect(name):
    db = settings.DATABASES["default"]
    return psycopg.connect(
        host=db["HOST"] or None, port=db["PORT"] or None, user=db["USER"] or None,
        password=db["PASSWORD"] or None, dbname=name, autocommit=True,
    )  # fmt: skip


@pytest.fixture
def scratch_database():
    name = f"{settings.DATABASES['default']['NAME']}_restore"
    with connect("postgres") as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    yield name
    with connect("postgres") as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_backup_and_restore_round_trip_the_enyang_preset(tmp_path, scratch_database, capsys):
    call_command("seed_demo", "--preset", "enyang", "--seed", "1")
    dump = tmp_path / "enyang.dump"
    call_command("backup", str(dump))
    assert (tmp_path / "enyang.dump.sha256").read_text().split()[0] in capsys.readouterr().out

    restore(dump, database=scratch_database)
    with connect(scratch_database) as restored:
        copy = fingerprint(restored)
    original = fingerprint(connection.connection)
    assert copy == original
    assert original["villages_village"][0] == 209


def test_a_damaged_dump_is_refused(tmp_path, scratch_database):
    dump = tmp_path / "x.dump"
    call_command("backup", str(dump))
    with dump.open("ab") as stream:
        stream.write(b"tampered")
    with pytest.raises(CommandError, match="checksum"):
        call_command("restore", str(dump), "--yes")
    (tmp_path / "x.dump.sha256").unlink()
    with pytest.raises(CommandError, match="missing"):
        call_command("restore", str(dump), "--yes")
