"""Running one import: read, parse, save every row through the services in one transaction, and
keep it only when the mode is ``commit`` and not a single row failed.

A validation is the same run rolled back at the end, so it finds everything a commit would find:
rows that depend on earlier rows of the same file (a member of a household created three rows
above), the period lock, uniqueness. Each row is saved in its own savepoint so that one bad row
does not hide the errors of the next; a sheet with a ``save_many`` (the households of the
``households`` kind) hands its rows to a set-based service that applies the same rules and answers
per row, so the report is the same, in row order. The transaction carries a pghistory context
naming the import, so every history event it writes points back to the batch: one change set.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pghistory
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from apps.core.models import ImportBatch, ImportMode, ImportState
from apps.core.scoping import scope_for

from .cells import CellError, clean_text, labels_of, parse_cell, shown_value
from .spec import ColumnType, ImportKind, Outcome, Row, SheetSpec, import_kind
from .template import example_value
from .workbook import SheetRows, UploadRefused, check_package, read_sheets

logger = logging.getLogger(__name__)
PROGRESS_EVERY = 200
REGION_CODE_DIGITS = 12


def checksum_of(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


@dataclass
class ImportContext:
    """What a kind's ``save`` functions get besides the row: the uploader and region look-ups."""

    actor: Any
    batch: ImportBatch
    cache: dict = field(default_factory=dict)

    def _regions(self, model) -> tuple[dict, dict]:
        key = ("regions", model)
        if key not in self.cache:
            regions = list(scope_for(self.actor, model.objects.all()).order_by("code"))
            by_name: dict[str, list] = {}
            for region in regions:
                by_name.setdefault(clean_text(region.name).lower(), []).append(region)
            self.cache[key] = ({region.code: region for region in regions}, by_name)
        return self.cache[key]

    def region(self, model, text: str, *, field_name: str):
        """A region of the uploader's scope by code, or by a name unique in that scope."""
        by_code, by_name = self._regions(model)
        text = clean_text(text)
        if text.isdigit() and len(text) < REGION_CODE_DIGITS:
            # A township's 9 significant digits (a county's 6) are its code as well as the 12 stored.
            text = text.ljust(REGION_CODE_DIGITS, "0")
        if text.isdigit():
            region = by_code.get(text)
            if region is None:
                raise ValidationError(
                    {
                        field_name: _("No %(kind)s with code %(code)s in your region.")
                        % {"kind": model._meta.verbose_name, "code": text}
                    }
                )
            return region
        matches = by_name.get(text.lower(), [])
        if len(matches) == 1:
            return matches[0]
        if not matches:
            raise ValidationError(
                {
                    field_name: _("No %(kind)s named %(name)s in your region.")
                    % {"kind": model._meta.verbose_name, "name": text}
                }
            )
        raise ValidationError(
            {
                field_name: _("Several %(kinds)s are named %(name)s in your region; use the code.")
                % {"kinds": model._meta.verbose_name_plural, "name": text}
            }
        )

    def village(self, row: Row, field_name: str = "village"):
        from apps.villages.models import Village

        return self.region(Village, row.values[field_name], field_name=field_name)

    def township(self, row: Row, field_name: str = "township"):
        from apps.villages.models import Township

        return self.region(Township, row.values[field_name], field_name=field_name)

    def villages(self) -> list:
        from apps.villages.models import Village

        return [v for v in self._regions(Village)[0].values() if v.retired_on is None]


@dataclass
class Report:
    errors: list[dict] = field(default_factory=list)
    outcomes: dict[str, int] = field(default_factory=lambda: {outcome.value: 0 for outcome in Outcome})

    def add(self, sheet: str, row: int | None, column: str, header: str, value: str, message: str) -> None:
        self.errors.append(
            {
                "sheet": sheet,
                "row": row,
                "column": column,
                "header": header,
                "value": value,
                "message": message,
            }
        )


def run_batch(batch_id: int, *, on_progress: Callable[[int], None] | None = None) -> ImportBatch:
    """Run a queued batch to its end state; never raises for bad input (that is in the report)."""
    batch = ImportBatch.objects.select_related("uploaded_by").get(pk=batch_id)
    if batch.is_finished:
        return batch  # a redelivered message: the work is done
    ImportBatch.objects.filter(pk=batch.pk).update(state=ImportState.RUNNING)
    with translation.override(batch.language):
        report = Report()
        kind = import_kind(batch.kind)
        try:
            content = bytes(batch.content)
            check_package(content)
            sheets = read_sheets(content, list(kind.sheets))
            committed = _save_all(batch, kind, sheets, report, on_progress or (lambda percent: None))
        except UploadRefused as refusal:
            report.add("", None, "", "", "", str(refusal))
            committed = False
        except DatabaseError:
            logger.exception("import %s failed in the database", batch.pk)
            report.add(
                "", None, "", "", "", _("The database refused the import; nothing was saved. Try again.")
            )
            batch.state = ImportState.FAILED
            committed = False
    if batch.state != ImportState.FAILED:
        if report.errors:
            batch.state = ImportState.INVALID
        else:
            batch.state = ImportState.COMMITTED if committed else ImportState.VALID
    batch.errors = report.errors
    batch.rows_created = report.outcomes[Outcome.CREATED]
    batch.rows_updated = report.outcomes[Outcome.UPDATED]
    batch.rows_unchanged = report.outcomes[Outcome.UNCHANGED]
    batch.finished_at = timezone.now()
    batch.save(
        update_fields=[
            "state",
            "errors",
            "rows_total",
            "rows_created",
            "rows_updated",
            "rows_unchanged",
            "finished_at",
        ]
    )
    return batch


def _save_all(batch, kind: ImportKind, sheets: list[SheetRows], report: Report, on_progress) -> bool:
    """Save every row in one transaction; keep it only when committing without a single error."""
    for sheet in sheets:
        for problem in sheet.problems:
            report.errors.append(problem)
    batch.rows_total = sum(len(sheet.rows) for sheet in sheets)
    done = 0
    with transaction.atomic():
        context = ImportContext(actor=batch.uploaded_by, batch=batch)
        with pghistory.context(
            user=batch.uploaded_by_id,
            url=reverse("core:import_detail", args=[batch.pk]),
            import_batch=batch.pk,
            file=batch.file_name,
            checksum=batch.checksum,
        ):
            for sheet in sheets:
                first_error = len(report.errors)
                deferred: list[Row] = []  # rows for the sheet's save_many, saved together at its end
                seen_keys: dict[tuple, int] = {}
                example = _example(sheet.spec, context)
                choices = {
                    c.field: labels_of(c.choices) for c in sheet.spec.columns if c.type == ColumnType.CHOICE
                }
                for number, cells in sheet.rows:
                    done += 1
                    if done % PROGRESS_EVERY == 0:
                        on_progress(100 * done // max(batch.rows_total, 1))
                    if example and {f: shown_value(v, None) for f, v in cells.items()} == example:
                        batch.rows_total -= 1
                        continue
                    row = _parse_row(sheet, number, cells, choices, report)
                    if row is None:
                        continue
                    key = _row_key(context, sheet.spec, row)
                    if sheet.spec.key and any(key):
                        if key in seen_keys:
                            report.add(
                                sheet.title,
                                number,
                                "",
                                "",
                                "",
                                _("The same record as row %(row)d (same %(key)s).")
                                % {"row": seen_keys[key], "key": _key_headers(sheet.spec)},
                            )
                            continue
                        seen_keys[key] = number
                    if sheet.spec.save_many:
                        deferred.append(row)
                    else:
                        _save_row(context, sheet, row, report)
                if deferred:
                    _save_rows(context, sheet, deferred, report)
                    # In row order, as if saved one by one.
                    report.errors[first_error:] = sorted(
                        report.errors[first_error:], key=lambda e: e["row"] or 0
                    )
        committed = batch.mode == ImportMode.COMMIT and not report.errors
        if not committed:
            transaction.set_rollback(True)
    return committed


def _example(spec: SheetSpec, context: ImportContext) -> dict[str, str]:
    values = {}
    for column in spec.columns:
        value = example_value(column, context.villages())
        if value is not None:
            values[column.field] = shown_value(value, None)
    return values


def _row_key(context: ImportContext, spec: SheetSpec, row: Row) -> tuple:
    """The row's natural key, regions resolved: a village by name and by code is the same village."""
    from apps.villages.models import Township, Village

    region_models = {ColumnType.VILLAGE: Village, ColumnType.TOWNSHIP: Township}
    parts = []
    for name in spec.key:
        value = row.values.get(name)
        model = region_models.get(spec.column(name).type)
        if model is not None and value:
            with contextlib.suppress(ValidationError):  # an unknown region is reported when the row is saved
                value = context.region(model, value, field_name=name).pk
        parts.append(shown_value(value, None).lower())
    return tuple(parts)


def _key_headers(spec: SheetSpec) -> str:
    return "、".join(str(spec.column(name).header) for name in spec.key if spec.column(name))


def _parse_row(sheet: SheetRows, number: int, cells: dict, choices: dict, report: Report) -> Row | None:
    values = {}
    failed = False
    for column in sheet.spec.columns:
        raw = cells.get(column.field)
        if raw is None:
            if column.required:
                report.add(
                    sheet.title,
                    number,
                    sheet.columns.get(column.field, ""),
                    str(column.header),
                    "",
                    _("This column is required."),
                )
                failed = True
            values[column.field] = None
            continue
        try:
            values[column.field] = parse_cell(raw, column, choices.get(column.field))
        except CellError as error:
            report.add(
                sheet.title,
                number,
                sheet.columns[column.field],
                str(column.header),
                shown_value(raw, column),
                str(error),
            )
            failed = True
    return None if failed else Row(sheet=sheet.spec, number=number, values=values, raw=cells)


def _save_row(context: ImportContext, sheet: SheetRows, row: Row, report: Report) -> None:
    try:
        with transaction.atomic():
            outcome = sheet.spec.save(context, row)
    except (ValidationError, PermissionDenied) as error:
        outcome = error
    _report_outcome(sheet, row, outcome, report)


def _save_rows(context: ImportContext, sheet: SheetRows, rows: list[Row], report: Report) -> None:
    """A sheet's rows through its set-based ``save_many``; the rows it leaves are saved one by one."""
    with transaction.atomic():
        outcomes = sheet.spec.save_many(context, rows)
    for row in rows:
        if row.number in outcomes:
            _report_outcome(sheet, row, outcomes[row.number], report)
        else:
            _save_row(context, sheet, row, report)


def _report_outcome(sheet: SheetRows, row: Row, outcome: Outcome | Exception, report: Report) -> None:
    if isinstance(outcome, ValidationError):
        _report_validation(sheet, row, outcome, report)
    elif isinstance(outcome, PermissionDenied):
        report.add(
            sheet.title, row.number, "", "", "", str(outcome) or _("Your role may not make this change.")
        )
    else:
        report.outcomes[outcome] += 1


def _report_validation(sheet: SheetRows, row: Row, error: ValidationError, report: Report) -> None:
    if not hasattr(error, "error_dict"):
        for message in error.messages:
            report.add(sheet.title, row.number, "", "", "", message)
        return
    for name, messages in error.message_dict.items():
        column = sheet.spec.column(name)
        letter = sheet.columns.get(name, "") if column else ""
        header = str(column.header) if column else ""
        value = shown_value(row.raw.get(name), column) if column else ""
        for message in messages:
            report.add(sheet.title, row.number, letter, header, value, message)


__all__ = ["ImportContext", "checksum_of", "run_batch", "UploadRefused"]
