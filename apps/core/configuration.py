"""Dated configuration that users change: rates, lines, thresholds (data with a history, not constants).

Apps declare each key once with ``define`` (its default, label and type); admins then add dated
values, globally or for one county. ``value_of(key, on=date, county=...)`` answers with the
value in force on that date: the county's own latest value from on or before the date, else the
global one, else the declared default. Past figures therefore keep the value they were computed with.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class SettingSpec:
    key: str
    default: Any
    label: Any  # lazy translation
    kind: str  # "decimal", "int", "str" or "choice"
    choices: tuple[str, ...] = ()
    minimum: Decimal | int | None = None

    def parse(self, raw: Any) -> Any:
        """The typed value, or a ValidationError naming the problem."""
        try:
            if self.kind == "decimal":
                value = Decimal(str(raw))
                if not value.is_finite():
                    raise InvalidOperation
            elif self.kind == "int":
                if isinstance(raw, bool) or (isinstance(raw, float) and not raw.is_integer()):
                    raise ValueError
                value = int(str(raw))
            elif self.kind == "choice":
                value = str(raw)
                if value not in self.choices:
                    raise ValueError
            else:
                value = str(raw)
        except (InvalidOperation, ValueError, TypeError) as exc:
            raise ValidationError({"value": _("This is not a valid value for this setting.")}) from exc
        if self.minimum is not None and value < self.minimum:
            raise ValidationError(
                {"value": _("The value must be at least %(minimum)s.") % {"minimum": self.minimum}}
            )
        return value

    def dump(self, value: Any) -> Any:
        """JSON-storable form (decimals as strings so no precision is lost)."""
        return str(value) if self.kind == "decimal" else value


REGISTRY: dict[str, SettingSpec] = {}


def define(
    key: str,
    *,
    default: Any,
    label: Any,
    kind: str = "decimal",
    choices: tuple[str, ...] = (),
    minimum: Decimal | int | None = None,
) -> SettingSpec:
    """Declare a setting (at import time of the app that owns it)."""
    spec = SettingSpec(key, default, label, kind, choices, minimum)
    REGISTRY[key] = spec
    return spec


def spec_for(key: str) -> SettingSpec:
    try:
        return REGISTRY[key]
    except KeyError as exc:
        raise ValidationError({"key": _("Unknown setting.")}) from exc


def value_of(key: str, *, on: datetime.date | None = None, county=None) -> Any:
    """The value of ``key`` in force on ``on`` (today by default) for ``county`` (or globally)."""
    from .models import Setting

    spec = spec_for(key)
    on = on or timezone.localdate()
    county_id = getattr(county, "pk", county)
    row = (
        Setting.objects.filter(key=key, valid_from__lte=on)
        .filter_county_or_global(county_id)
        .order_by(F("county_id").asc(nulls_last=True), "-valid_from", "-pk")
        .values_list("value", flat=True)
        .first()
    )
    return spec.parse(spec.default if row is None else row)


def values_of(key: str, *, on: datetime.date | None = None) -> Callable[[Any], Any]:
    """``value_of`` for many counties at once: one query, then a lookup per county id."""
    from .models import Setting

    spec = spec_for(key)
    on = on or timezone.localdate()
    rows = (
        Setting.objects.filter(key=key, valid_from__lte=on)
        .order_by("county_id", "-valid_from", "-pk")
        .distinct("county_id")
        .values_list("county_id", "value")
    )
    by_county = dict(rows)
    default = spec.parse(by_county.get(None, spec.default))

    def lookup(county) -> Any:
        county_id = getattr(county, "pk", county)
        return spec.parse(by_county[county_id]) if county_id in by_county else default

    return lookup
