"""The county's morality-bank settings (rate, notice days, redemption window), as dated configuration."""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.configuration import spec_for, value_of
from apps.core.models import Setting
from apps.core.permissions import ADMIN_ROLES, ensure_role
from apps.core.scoping import in_scope
from apps.core.services import setting_set

from .. import config

# API/form field -> configuration key.
SETTING_KEYS = {
    "points_per_yuan": config.POINTS_PER_YUAN,
    "notice_days": config.NOTICE_DAYS,
    "redemption_window": config.REDEMPTION_WINDOW,
    "redemption_window_days": config.REDEMPTION_WINDOW_DAYS,
}


def bank_settings(*, county=None, on: datetime.date | None = None) -> dict[str, Any]:
    """The values in force on ``on`` (today by default) for ``county`` (or the defaults for all counties)."""
    on = on or timezone.localdate()
    return {field: value_of(key, on=on, county=county) for field, key in SETTING_KEYS.items()}


@transaction.atomic
def bank_settings_update(
    *, actor, county=None, valid_from: datetime.date | None = None, note: str = "", **values
) -> dict[str, Any]:
    """Set new values from ``valid_from`` (today by default); values that do not change are not written.

    A value set earlier for the same day is corrected in place (its change stays in the audit
    trail); redemptions keep the rate they used because each stores it.
    """
    ensure_role(actor, ADMIN_ROLES)
    unknown = set(values) - set(SETTING_KEYS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    if county is None and not (actor.is_superuser or actor.role == "city_admin"):
        raise PermissionDenied(_("Only a city admin changes the default for every county."))
    if county is not None and not in_scope(actor, county):
        raise ValidationError({"county": _("Choose a region within your own region.")})
    valid_from = valid_from or timezone.localdate()
    if valid_from < timezone.localdate() and not actor.is_superuser:
        raise ValidationError({"valid_from": _("A new value cannot take effect in the past.")})
    errors = {}
    for field, raw in values.items():
        key = SETTING_KEYS[field]
        try:
            parsed = spec_for(key).parse(raw)
        except ValidationError as exc:
            errors[field] = exc.message_dict.get("value", exc.messages)
            continue
        if parsed == value_of(key, on=valid_from, county=county):
            continue
        same_day = Setting.objects.filter(key=key, county=county, valid_from=valid_from).first()
        if same_day is None:
            try:
                setting_set(
                    actor=actor, key=key, value=parsed, valid_from=valid_from, county=county, note=note
                )
            except ValidationError as exc:
                errors.update(exc.message_dict)
        else:
            same_day.value, same_day.note = spec_for(key).dump(parsed), note or same_day.note
            same_day.full_clean()
            same_day.save()
    if errors:
        raise ValidationError(errors)
    return bank_settings(county=county, on=valid_from)
