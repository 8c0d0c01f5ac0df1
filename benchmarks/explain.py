"""EXPLAIN the SQL that the scoped API lists run, and name every sequential scan of a large table.

The queries are the endpoints' own: each list is requested as a demo user of each level (city,
county, township, village) through Django's test client, its SQL captured and explained with the
planner's real statistics (after ``VACUUM ANALYZE``): once with the ``random_page_cost`` the app sets
on its connections (``DATABASE_RANDOM_PAGE_COST``, 1.1: SSD or a cached database) and once with
PostgreSQL's default of 4, which models spinning disks and prefers whole-table scans for scopes of a
few percent of a table.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from apps.accounts.models import User

LISTS = {
    "villages": "/api/v1/villages/",
    "households": "/api/v1/households/",
    "morality ledger": "/api/v1/morality/ledger/",
    "cadres": "/api/v1/cadres/",
    "duty logs": "/api/v1/duty-logs/",
}
USERS = ("city_admin", "enyang_admin", "township_staff", "village_clerk")
LARGE_TABLE_ROWS = 10_000


def large_tables(minimum_rows: int = LARGE_TABLE_ROWS) -> set[str]:
    """Tables the planner believes hold at least ``minimum_rows`` rows."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace "
            "AND reltuples >= %s",
            [minimum_rows],
        )
        return {name for (name,) in cursor.fetchall()}


def list_queries(client: Client, path: str, page_size: int = 100) -> list[str]:
    """The SELECTs one request of the list runs (session and user look-ups left out)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"{path}?page_size={page_size}")
    assert response.status_code == 200, (path, response.status_code)
    return [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].startswith("SELECT")
        and "django_session" not in query["sql"]
        and '"accounts_user"' not in query["sql"].split("WHERE")[0]
    ]


def sequential_scans(sql: str, tables: set[str], random_page_cost: float | None = None) -> list[str]:
    """The large tables ``sql``'s plan reads with a sequential scan."""
    with transaction.atomic(), connection.cursor() as cursor:
        if random_page_cost is not None:
            cursor.execute("SELECT set_config('random_page_cost', %s, true)", [str(random_page_cost)])
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql)
        (plan,) = cursor.fetchone()
    plan = json.loads(plan) if isinstance(plan, str) else plan
    found, stack = [], [plan[0]["Plan"]]
    while stack:
        node = stack.pop()
        if node["Node Type"] == "Seq Scan" and node.get("Relation Name") in tables:
            found.append(node["Relation Name"])
        stack.extend(node.get("Plans", []))
    return sorted(set(found))


POSTGRESQL_DEFAULT_RANDOM_PAGE_COST = 4


def explain_lists(users: tuple[str, ...] = USERS) -> dict:
    """Per list and user: how many queries, and the large tables read by a sequential scan with the
    app's ``random_page_cost`` (``seq_scans``) and with PostgreSQL's default (``seq_scans_pg_default``)."""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    tables = large_tables()
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('random_page_cost')")
        (app_cost,) = cursor.fetchone()
    results = {}
    for username in users:
        user = User.objects.filter(username=username).first()
        if user is None:
            continue
        client = Client()
        client.force_login(user)
        for name, path in LISTS.items():
            queries = list_queries(client, path)
            results.setdefault(name, {})[username] = {
                "queries": len(queries),
                "seq_scans": sorted({t for sql in queries for t in sequential_scans(sql, tables)}),
                "seq_scans_pg_default": sorted(
                    {
                        t
                        for sql in queries
                        for t in sequential_scans(sql, tables, POSTGRESQL_DEFAULT_RANDOM_PAGE_COST)
                    }
                ),
            }
    return {
        "large_tables": sorted(tables),
        "minimum_rows": LARGE_TABLE_ROWS,
        "random_page_cost": app_cost,
        "lists": results,
    }
