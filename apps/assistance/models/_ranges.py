"""Date ranges for exclusion constraints: an assignment is ``[start_date, end_date]``, open when end is null."""

from django.contrib.postgres.fields import DateRangeField, RangeBoundary
from django.db.models import Func


class DateRange(Func):
    function = "DATERANGE"
    output_field = DateRangeField()


def assignment_range(start: str = "start_date", end: str = "end_date") -> DateRange:
    return DateRange(start, end, RangeBoundary(inclusive_lower=True, inclusive_upper=True))
