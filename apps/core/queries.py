"""Set-based helpers for figures that span several tables."""

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import QuerySet


def count_each(**querysets: QuerySet) -> dict[str, int]:
    """Count several (already scoped) querysets in one database round trip: ``{name: count}``."""
    selects, params = [], []
    for queryset in querysets.values():
        try:
            sql, query_params = queryset.order_by().values("pk").query.sql_with_params()
        except EmptyResultSet:  # ``.none()`` (default-deny) compiles to nothing
            selects.append("0")
            continue
        selects.append(f"(SELECT COUNT(*) FROM ({sql}) AS counted)")  # noqa: S608 - SQL from the ORM
        params.extend(query_params)
    if not selects:
        return {}
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(selects), params)
        return dict(zip(querysets, cursor.fetchone(), strict=True))
