"""Bounded number filters for every FilterSet: an id or a year that is not a whole number in range is a
validation error (400 in the API, an ignored filter on a page), never a database or date error."""

import django_filters
from django import forms

# Primary keys are BigAutoFields (DEFAULT_AUTO_FIELD): no larger or non-positive number names a record.
ID_MAX = 2**63 - 1
# Generous bounds around every year the data holds (collective incomes since 1949, plans to 2100).
YEAR_MIN, YEAR_MAX = 1900, 2100


class BoundedIntegerFilter(django_filters.NumberFilter):
    """A whole number between ``min_value`` and ``max_value``; the schema states the range too
    (apps/core/api/schema.py)."""

    field_class = forms.IntegerField
    min_value: int
    max_value: int

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", self.min_value)
        kwargs.setdefault("max_value", self.max_value)
        super().__init__(*args, **kwargs)

    def get_max_validator(self):
        return None  # the field's own max_value bounds it


class IdFilter(BoundedIntegerFilter):
    """A record's id (a county, a village, a household, ...)."""

    min_value, max_value = 1, ID_MAX


class YearFilter(BoundedIntegerFilter):
    min_value, max_value = YEAR_MIN, YEAR_MAX
