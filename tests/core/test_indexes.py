"""The scoped API lists can be read through indexes.

On the demo's small tables the planner rightly scans whole tables; pricing whole-table reads out
asks instead whether an index path exists, which is what a province-sized table needs
(benchmarks/explain.py reports the real plans at scale):

- for a township or village user, whose region is a sliver of any real install, each list's count
  reaches every table through an index condition (sequential scans, hash and merge joins priced out);
- for a user of any level, no query of any list needs a sequential scan;
- the ledger, the one list read newest first, is read in that order from an index, so a city's page
  stops after its rows instead of sorting all of the city's entries.
"""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from apps.accounts.models import User

pytestmark = pytest.mark.django_db

LISTS = {
    "villages": "/api/v1/villages/",
    "households": "/api/v1/households/",
    "morality ledger": "/api/v1/morality/ledger/",
    "cadres": "/api/v1/cadres/",
    "duty logs": "/api/v1/duty-logs/",
}
SMALL_REGION_USERS = ("township_staff", "village_clerk")
LARGE_REGION_USERS = ("city_admin", "enyang_admin")


@pytest.fixture
def enyang():
    call_command("seed_demo", preset="enyang", seed=1, stdout=StringIO())
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def list_selects(user: User, path: str) -> list[str]:
    """The list's own SELECTs (its count and its page), without the session and user look-ups."""
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"{path}?page_size=100")
    assert response.status_code == 200
    return [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith("SELECT")
        and not q["sql"].startswith(('SELECT "django_session"', 'SELECT "accounts_user"'))
    ]


def plan(sql: str, **settings: str) -> dict:
    with transaction.atomic(), connection.cursor() as cursor:
        for name, value in settings.items():
            cursor.execute("SELECT set_config(%s, %s, true)", [name, value])
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql)
        (result,) = cursor.fetchone()
    return (json.loads(result) if isinstance(result, str) else result)[0]["Plan"]


def nodes(node: dict):
    yield node
    for child in node.get("Plans", []):
        yield from nodes(child)


INDEX_PATHS_ONLY = {"enable_seqscan": "off", "enable_hashjoin": "off", "enable_mergejoin": "off"}


def reads_without_index_condition(root: dict) -> list[str]:
    return [
        node["Relation Name"]
        for node in nodes(root)
        if node["Node Type"] == "Seq Scan"
        or (node["Node Type"] in ("Index Scan", "Index Only Scan") and "Index Cond" not in node)
    ]


def sequential_scans(root: dict) -> list[str]:
    return [node["Relation Name"] for node in nodes(root) if node["Node Type"] == "Seq Scan"]


def test_small_regions_count_through_index_conditions(enyang):
    for username in SMALL_REGION_USERS:
        user = User.objects.get(username=username)
        for name, path in LISTS.items():
            count = list_selects(user, path)[0]
            assert count.startswith("SELECT COUNT(*)"), count
            whole = reads_without_index_condition(plan(count, **INDEX_PATHS_ONLY))
            assert not whole, f"{name} as {username}: {whole} read whole in {count[:300]}"


def test_no_list_needs_a_sequential_scan(enyang):
    for username in (*LARGE_REGION_USERS, *SMALL_REGION_USERS):
        user = User.objects.get(username=username)
        for name, path in LISTS.items():
            selects = list_selects(user, path)
            assert len(selects) == 2 or username in SMALL_REGION_USERS, (name, username)  # count and page
            for sql in selects:
                scans = sequential_scans(plan(sql, enable_seqscan="off"))
                assert not scans, f"{name} as {username}: sequential scan of {scans} in {sql[:300]}"


def test_the_ledger_is_read_newest_first_from_an_index(enyang):
    """A city's ledger page stops after its 100 rows instead of joining and sorting every entry."""
    city_admin = User.objects.get(username="city_admin")
    page = next(sql for sql in list_selects(city_admin, LISTS["morality ledger"]) if "LIMIT" in sql)
    root = plan(page, enable_sort="off", enable_seqscan="off")
    assert not [n for n in nodes(root) if n["Node Type"] in ("Sort", "Incremental Sort")]
    ordered = [
        n
        for n in nodes(root)
        if n.get("Relation Name") == "morality_bank_ledgerentry" and n.get("Scan Direction") == "Backward"
    ]
    assert ordered and "created" in ordered[0]["Index Name"]


def test_connections_price_random_reads_for_ssd(settings):
    """The plans above (and benchmarks/explain.py's) assume the app's random_page_cost, not the 4 of
    spinning disks that makes PostgreSQL read a whole table for a city's share of it."""
    assert "-c random_page_cost=1.1" in settings.DATABASES["default"]["OPTIONS"]["options"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('random_page_cost')")
        assert cursor.fetchone() == ("1.1",)
