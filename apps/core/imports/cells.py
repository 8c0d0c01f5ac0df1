"""Cell values as typed into Excel, turned into Python values or a clear error.

Documented normalisations (the template's instructions sheet lists them): full-width digits and
letters become half-width and surrounding spaces are dropped (Unicode NFKC, as for ID numbers);
dates are accepted as Excel dates or as text ``2024-03-05``, ``2024/3/5``, ``2024.3.5``,
``2024年3月5日`` or ``20240305``; a choice is accepted as its stored value or its Chinese or
English label; numbers may carry thousands separators. An ID number stored as an Excel number is
refused: Excel keeps 15 significant digits, so the last three are already lost.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from apps.core import idnumbers

from .spec import Column, ColumnType

TRUE_WORDS = {"是", "y", "yes", "true", "1", "√", "✓"}
FALSE_WORDS = {"否", "n", "no", "false", "0", "×", "✗"}
DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)


class CellError(ValueError):
    """A cell that cannot be read as its column's type; the message is for the user."""


def clean_text(value: Any) -> str:
    """Text of a cell: half-width, without surrounding spaces; whole numbers without ``.0``."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFKC", str(value)).strip()


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not clean_text(value))


def labels_of(choices) -> dict[str, str]:
    """Every accepted spelling of each choice (stored value, Chinese and English label), lower-cased."""
    accepted = {}
    for value, label in choices:
        accepted[clean_text(value).lower()] = value
        for language in ("zh-hans", "en"):
            with translation.override(language):
                accepted[clean_text(str(label)).lower()] = value
    return accepted


def _integer(value: Any) -> int:
    if isinstance(value, bool):
        raise CellError(_("Enter a whole number."))
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise CellError(_("Enter a whole number, not %(value)s.") % {"value": value})
    text = clean_text(value).replace(",", "")
    if re.fullmatch(r"[+-]?\d+", text):
        return int(text)
    if re.fullmatch(r"[+-]?\d+\.0+", text):
        return int(text.split(".")[0])
    raise CellError(_("Enter a whole number."))


def _decimal(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise CellError(_("Enter a number."))
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        # repr gives the shortest text that reads back as the same float: 0.1 stays 0.1.
        return Decimal(repr(value))
    text = clean_text(value).replace(",", "")
    try:
        number = Decimal(text)
    except InvalidOperation as exc:
        raise CellError(_("Enter a number.")) from exc
    if not number.is_finite():
        raise CellError(_("Enter a number."))
    return number


def _date(value: Any) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float):
        raise CellError(
            _("This is a number, not a date: format the cell as a date or type it as 2024-03-05.")
        )
    text = clean_text(value)
    for pattern in DATE_PATTERNS:
        if match := pattern.match(text):
            year, month, day = (int(part) for part in match.groups())
            try:
                return datetime.date(year, month, day)
            except ValueError as exc:
                raise CellError(_("%(value)s is not a date that exists.") % {"value": text}) from exc
    raise CellError(_("Enter a date such as 2024-03-05."))


def _boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = clean_text(value).lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise CellError(_("Enter 是 or 否 (yes or no)."))


def _id_number(value: Any) -> str:
    if isinstance(value, int | float):
        raise CellError(
            _(
                "This ID number is stored as a number, so Excel has already lost its last digits. "
                "Format the column as text and type the number again."
            )
        )
    try:
        return idnumbers.validate(clean_text(value))
    except ValidationError as exc:
        raise CellError(" ".join(exc.messages)) from exc


def _code(value: Any) -> str:
    if isinstance(value, float) and not value.is_integer():
        raise CellError(_("Enter digits only."))
    if isinstance(value, int | float) and abs(value) >= 10**15:
        raise CellError(
            _("This long number is stored as a number and has lost digits: format the column as text.")
        )
    text = clean_text(value).replace(" ", "")
    if not text.isdigit():
        raise CellError(_("Enter digits only."))
    return text


def _choice(value: Any, column: Column, accepted: dict[str, str]) -> str:
    text = clean_text(value).lower()
    if text in accepted:
        return accepted[text]
    labels = "、".join(str(label) for _value, label in column.choices)
    raise CellError(_("Choose one of: %(labels)s.") % {"labels": labels})


def parse_cell(value: Any, column: Column, accepted_choices: dict[str, str] | None = None) -> Any:
    """The Python value of one non-blank cell, or CellError. Regions stay text: the context resolves them."""
    match column.type:
        case ColumnType.INTEGER:
            return _integer(value)
        case ColumnType.DECIMAL:
            return _decimal(value)
        case ColumnType.DATE:
            return _date(value)
        case ColumnType.BOOLEAN:
            return _boolean(value)
        case ColumnType.ID_NUMBER:
            return _id_number(value)
        case ColumnType.CODE:
            return _code(value)
        case ColumnType.CHOICE:
            return _choice(value, column, accepted_choices or labels_of(column.choices))
        case _:
            return clean_text(value)


def shown_value(value: Any, column: Column | None) -> str:
    """A cell's value as an error report may show it: ID numbers are masked there, always."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()[:10]
    text = clean_text(value)
    if column is not None and column.type == ColumnType.ID_NUMBER:
        return idnumbers.mask(idnumbers.normalise(text))
    return text[:200]
