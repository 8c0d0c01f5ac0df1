"""The error report of an import as a workbook: the uploaded file with the wrong cells highlighted,
a comment on each, and an error column at the end of every sheet; errors that belong to no row
(a refused file, a missing sheet) on a first sheet of their own."""

from __future__ import annotations

import io
from collections import defaultdict

import openpyxl
from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill

from apps.core.exports import XLSX_CONTENT_TYPE, Sheet, xlsx_sheets_response
from apps.core.models import ImportBatch

from .workbook import ERROR_COLUMN_HEADER

ERROR_FILL = PatternFill("solid", fgColor="F8D7DA")
ROW_FILL = PatternFill("solid", fgColor="FFF3CD")


def error_rows(batch: ImportBatch) -> list[tuple]:
    return [
        (error["sheet"], error["row"], error["column"], error["header"], error["value"], error["message"])
        for error in batch.errors
    ]


def error_headers() -> list[str]:
    return [_("Sheet"), _("Row"), _("Column"), _("Header"), _("Value"), _("Error")]


def annotated_workbook(batch: ImportBatch) -> bytes | None:
    """The uploaded workbook marked with its errors, or None when the file itself could not be read."""
    try:
        book = openpyxl.load_workbook(io.BytesIO(bytes(batch.content)), keep_links=False)
    except Exception:  # noqa: BLE001 - a refused upload: the report is the list alone
        return None
    by_row: dict[tuple[str, int], list[str]] = defaultdict(list)
    loose = []
    for error in batch.errors:
        if error["sheet"] in book.sheetnames and error["row"]:
            sheet = book[error["sheet"]]
            by_row[(error["sheet"], error["row"])].append(
                f"{error['header']}: {error['message']}" if error["header"] else error["message"]
            )
            if error["column"]:
                cell = sheet[f"{error['column']}{error['row']}"]
                cell.fill = ERROR_FILL
                text = (
                    error["message"] if cell.comment is None else f"{cell.comment.text}\n{error['message']}"
                )
                cell.comment = Comment(text, "Touyan")
        else:
            loose.append(error)
    for title in {title for title, _row in by_row}:
        sheet = book[title]
        column = sheet.max_column + 1
        header = sheet.cell(row=1, column=column, value=ERROR_COLUMN_HEADER)
        header.font = Font(bold=True, color="C0392B")
        for (sheet_title, row), messages in by_row.items():
            if sheet_title == title:
                sheet.cell(row=row, column=column, value="；".join(messages)).fill = ROW_FILL
        sheet.column_dimensions[openpyxl.utils.get_column_letter(column)].width = 60
    if loose:
        summary = book.create_sheet(_("Errors")[:31], 0)
        summary.append(error_headers())
        for error in loose:
            summary.append(
                [
                    error["sheet"],
                    error["row"],
                    error["column"],
                    error["header"],
                    error["value"],
                    error["message"],
                ]
            )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def uploaded_file_response(batch: ImportBatch) -> HttpResponse:
    return _attachment(bytes(batch.content), batch.file_name)


def _attachment(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


def report_response(batch: ImportBatch) -> HttpResponse:
    """The annotated workbook as a download, or (for an unreadable file) the error list as a workbook."""
    stem = batch.file_name.rsplit(".", 1)[0]
    filename = f"{stem}-{_('errors')}.xlsx"
    content = annotated_workbook(batch)
    if content is None:
        return xlsx_sheets_response(
            filename=filename, sheets=[Sheet(_("Errors"), error_headers(), error_rows(batch))]
        )
    return _attachment(content, filename)
