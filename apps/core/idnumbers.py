"""Resident identity numbers (居民身份证号码, GB 11643-1999), shared by every app that stores one.

18 characters: a 6-digit region code, the birth date ``YYYYMMDD``, a 3-digit sequence and an
ISO 7064 MOD 11-2 check character (0-9 or X). Input is normalised first: full-width digits and
letters, spaces and hyphens, and a lower-case x are all common in typed or pasted numbers.
An unknown region prefix is only a warning: new codes are missing from any list we ship.

Numbers are shown masked (first 3 and last 4 characters) to every role below county admin, in
pages, the API and exports, and are never logged in full: use ``mask`` in any message. Every
full number shown (through ``shown_to``) is recorded in the access log (IdNumberAccess).
"""

from __future__ import annotations

import datetime
import unicodedata
from contextvars import ContextVar

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from stdnum.cn import ric

ID_LENGTH = 18
FULL_VIEW_ROLES = frozenset({"city_admin", "county_admin"})


def normalise(value: str | None) -> str:
    """Half-width, upper-case, without spaces or hyphens: ``１１０ 105-…x`` → ``110105…X``."""
    text = unicodedata.normalize("NFKC", value or "")
    return "".join(ch for ch in text if not ch.isspace() and ch != "-").upper()


def check_character(first17: str) -> str:
    """The MOD 11-2 check character for the first 17 digits."""
    return ric.calc_check_digit(first17 + "0")


def birth_date(number: str) -> datetime.date | None:
    try:
        return datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except (ValueError, IndexError):
        return None


def validate(value: str, *, today: datetime.date | None = None) -> str:
    """The normalised number, or a ValidationError that does not repeat the number."""
    number = normalise(value)
    if len(number) != ID_LENGTH:
        raise ValidationError(
            _("An ID number has 18 characters; this one has %(count)d.") % {"count": len(number)},
            code="id_length",
        )
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise ValidationError(_("An ID number is 17 digits followed by a digit or X."), code="id_format")
    born = birth_date(number)
    today = today or timezone.localdate()
    if born is None or born.year < 1880:
        raise ValidationError(_("The birth date in this ID number does not exist."), code="id_birth_date")
    if born > today:
        raise ValidationError(_("The birth date in this ID number is in the future."), code="id_birth_date")
    if number[17] != check_character(number[:17]):
        raise ValidationError(
            _("The check character of this ID number is wrong: check for a mistyped digit."),
            code="id_checksum",
        )
    return number


def region_warning(number: str) -> str | None:
    """A warning (not an error) when the region prefix is not in the known list."""
    try:
        ric.get_birth_place(number)
    except Exception:  # noqa: BLE001 - stdnum raises several kinds; all mean "unknown prefix"
        return _("The region code %(prefix)s is not in the list of known codes; check it.") % {
            "prefix": number[:6]
        }
    return None


def age_on(born: datetime.date | None, on: datetime.date) -> int | None:
    if born is None:
        return None
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def mask(number: str | None) -> str:
    """``511903********123X``: first 3 and last 4 shown."""
    if not number:
        return ""
    return number[:3] + "*" * max(len(number) - 7, 0) + number[-4:]


def may_see_full(user) -> bool:
    return bool(user and user.is_authenticated and (user.is_superuser or user.role in FULL_VIEW_ROLES))


# The full numbers shown while serving the current request, collected by
# apps.core.middleware.IdNumberAccessLogMiddleware and written to the access log in one insert.
_shown_in_full: ContextVar[list | None] = ContextVar("id_numbers_shown_in_full", default=None)


def shown_to(user, number: str | None, *, record=None) -> str:
    """The number as ``user`` may see it; a full number shown is noted for the access log."""
    if not may_see_full(user):
        return mask(number)
    if number and (collected := _shown_in_full.get()) is not None:
        collected.append((record, mask(number)))
    return number or ""


def collect_full_views() -> tuple[list, object]:
    """Start collecting for one request: returns the list and the token to stop with."""
    collected: list = []
    return collected, _shown_in_full.set(collected)


def stop_collecting(token) -> None:
    _shown_in_full.reset(token)


class IdNumberFormField(forms.CharField):
    def to_python(self, value):
        value = super().to_python(value)
        return normalise(value) if value else value


class IdNumberField(models.CharField):
    """A validated, normalised resident ID number (unique where the model says so)."""

    description = gettext_lazy("Resident ID number")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", ID_LENGTH)
        kwargs.setdefault("verbose_name", gettext_lazy("ID number"))
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if kwargs.get("max_length") == ID_LENGTH:
            del kwargs["max_length"]
        return name, path, args, kwargs

    def to_python(self, value):
        value = super().to_python(value)
        return normalise(value) if value else value

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.attname)
        if value:
            value = normalise(value)
            setattr(model_instance, self.attname, value)
        return value

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        if value:
            validate(value)

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": IdNumberFormField, **kwargs})
