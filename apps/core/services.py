import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .configuration import spec_for
from .models import Setting
from .permissions import ADMIN_ROLES, ensure_role
from .scoping import in_scope


@transaction.atomic
def setting_set(
    *, actor, key: str, value: Any, valid_from: datetime.date, county=None, note: str = ""
) -> Setting:
    """Add a dated value. County admins set their county's; city admins also set the global default.

    Values take effect from ``valid_from``; only a superuser (data loading) may backdate one, so
    figures already computed keep the values they used.
    """
    ensure_role(actor, ADMIN_ROLES)
    spec = spec_for(key)
    parsed = spec.parse(value)
    if county is None:
        if not actor.is_superuser and actor.role != "city_admin":
            raise PermissionDenied(_("Only a city admin changes the default for every county."))
    elif not in_scope(actor, county):
        raise ValidationError({"county": _("Choose a region within your own region.")})
    if valid_from < timezone.localdate() and not actor.is_superuser:
        raise ValidationError({"valid_from": _("A new value cannot take effect in the past.")})
    if Setting.objects.filter(key=key, county=county, valid_from=valid_from).exists():
        raise ValidationError({"valid_from": _("This setting already has a value from this date.")})
    row = Setting(
        key=key,
        county=county,
        valid_from=valid_from,
        value=spec.dump(parsed),
        note=note,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    row.full_clean()
    row.save()
    return row
