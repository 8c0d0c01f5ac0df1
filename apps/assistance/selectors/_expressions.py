"""SQL pieces shared by the selectors: days between dates, assignments overlapping a period."""

import datetime

from django.db.models import F, Func, IntegerField, Q, Value
from django.db.models.functions import Coalesce, Greatest, Least


class DaysBetween(Func):
    """``later - earlier`` in whole days (PostgreSQL's date subtraction), as an integer."""

    arg_joiner = " - "
    template = "(%(expressions)s)"
    output_field = IntegerField()


def overlap_q(first: datetime.date, last: datetime.date, prefix: str = "") -> Q:
    """Assignments (``start_date``–``end_date``, open when null) sharing a day with ``first``–``last``."""
    return Q(**{f"{prefix}start_date__lte": last}) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": first})
    )


def active_on_q(day: datetime.date, prefix: str = "") -> Q:
    return overlap_q(day, day, prefix)


def assigned_days(first: datetime.date, last: datetime.date, prefix: str = ""):
    """Calendar days of ``first``–``last`` inside the assignment (0 when they do not overlap)."""
    end = Least(Coalesce(F(f"{prefix}end_date"), Value(last)), Value(last))
    start = Greatest(F(f"{prefix}start_date"), Value(first))
    return Greatest(DaysBetween(end, start) + 1, Value(0), output_field=IntegerField())
