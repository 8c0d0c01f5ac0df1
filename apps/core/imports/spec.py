"""What an import kind declares: its sheets, their columns and how one row is saved.

Each app registers its kinds in its own ``imports.py`` (found by ``autodiscover``). A kind's
``save`` functions receive parsed rows and call the app's services, the same ones the forms and
the API use: an import cannot go around a rule or the period lock.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class ColumnType(enum.StrEnum):
    TEXT = "text"
    INTEGER = "integer"
    DECIMAL = "decimal"
    DATE = "date"
    CHOICE = "choice"
    BOOLEAN = "boolean"
    ID_NUMBER = "id_number"
    CODE = "code"  # digits kept as text: region codes, phone numbers
    VILLAGE = "village"  # a village of the uploader's region, by code or by name
    TOWNSHIP = "township"


TYPE_HINTS: dict[ColumnType, Promise] = {
    ColumnType.TEXT: _("text"),
    ColumnType.INTEGER: _("whole number"),
    ColumnType.DECIMAL: _("number, up to 2 decimal places"),
    ColumnType.DATE: _("date, e.g. 2024-03-05"),
    ColumnType.CHOICE: _("one of the listed values"),
    ColumnType.BOOLEAN: _("是 / 否 (yes / no)"),
    ColumnType.ID_NUMBER: _("18-character ID number, as text"),
    ColumnType.CODE: _("digits, as text"),
    ColumnType.VILLAGE: _("village code (12 digits) or a village name unique in your region"),
    ColumnType.TOWNSHIP: _("township code (9 digits) or a township name unique in your region"),
}


@dataclass(frozen=True)
class Column:
    field: str
    header: Promise  # English msgid; the template writes it in Chinese and in English
    type: ColumnType = ColumnType.TEXT
    required: bool = False
    choices: Sequence[tuple[str, Any]] = ()  # (stored value, label) as in Django's TextChoices.choices
    help: Promise | str = ""
    example: Any = None
    width: int = 16


class Outcome(enum.StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


@dataclass
class Row:
    """One data row of a sheet, its cells parsed into Python values keyed by column field."""

    sheet: SheetSpec
    number: int  # the Excel row number, as the user sees it
    values: dict[str, Any]
    raw: dict[str, Any] = field(default_factory=dict)

    def get(self, name: str, default: Any = None) -> Any:
        value = self.values.get(name)
        return default if value is None or value == "" else value

    def present(self, *names: str) -> dict[str, Any]:
        """The given fields that have a value in this row (blank cells leave a record's value alone)."""
        return {name: self.values[name] for name in names if self.values.get(name) not in (None, "")}


def upsert(
    existing, fields: dict[str, Any], *, create: Callable[[], Any], update: Callable[[], Any]
) -> Outcome:
    """Create when there is no record, update when a given field differs, else leave it alone."""
    if existing is None:
        create()
        return Outcome.CREATED
    if all(getattr(existing, name) == value for name, value in fields.items()):
        return Outcome.UNCHANGED
    update()
    return Outcome.UPDATED


@dataclass(frozen=True)
class SheetSpec:
    title: Promise  # English msgid of the sheet name; the template's sheet is named in Chinese
    columns: Sequence[Column]
    key: Sequence[str]  # natural key: a second row with the same key in the file is an error
    save: Callable[[Any, Row], Outcome]  # (ImportContext, Row) -> Outcome
    upsert_rule: Promise  # how an existing record is found and what is updated, for the instructions
    # Optional, for sheets with many new records: (ImportContext, rows) -> {row number: Outcome or the
    # ValidationError / PermissionDenied refusing it}, through a set-based service applying the same
    # rules. The rows it leaves out of its answer are saved one by one with ``save``.
    save_many: Callable[[Any, list[Row]], dict[int, Outcome | Exception]] | None = None

    def column(self, name: str) -> Column | None:
        return next((column for column in self.columns if column.field == name), None)


@dataclass(frozen=True)
class ImportKind:
    name: str  # the ``kind`` of POST /api/v1/imports/
    label: Promise
    sheets: Sequence[SheetSpec]
    models: Sequence[type] = ()  # what it writes: the import's change set is read from their history
    notes: Sequence[Promise] = ()  # extra lines for the instructions sheet


_registry: dict[str, ImportKind] = {}
_discovered = False


def register(kind: ImportKind) -> ImportKind:
    if kind.name in _registry:
        raise ValueError(f"Import kind {kind.name!r} is registered twice")
    _registry[kind.name] = kind
    return kind


def _discover() -> None:
    global _discovered
    if not _discovered:
        autodiscover_modules("imports")
        _discovered = True


def import_kinds() -> list[ImportKind]:
    _discover()
    return list(_registry.values())


def import_kind(name: str) -> ImportKind | None:
    _discover()
    return _registry.get(name)
