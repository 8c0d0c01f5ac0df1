"""Excel exports: every cell a string where leading zeros or long digit runs matter."""

import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Rows fetched per database round trip while streaming a queryset into a sheet.
EXPORT_CHUNK_SIZE = 2000


@dataclass(frozen=True)
class Sheet:
    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence]
    text_columns: Sequence[int] = ()


def xlsx_response(
    *, filename: str, title: str, headers: Sequence[str], rows: Iterable[Sequence], text_columns=()
) -> HttpResponse:
    """An .xlsx attachment of one sheet with a bold header row; ``text_columns`` (indexes) are text cells.

    Codes and ID numbers must be text: Excel keeps only 15 significant digits of a number.
    """
    return xlsx_sheets_response(filename=filename, sheets=[Sheet(title, headers, rows, text_columns)])


def xlsx_sheets_response(*, filename: str, sheets: Sequence[Sheet]) -> HttpResponse:
    """An .xlsx attachment with one sheet per ``Sheet``, written in openpyxl's write-only mode (rows are
    streamed from their iterables)."""
    workbook = Workbook(write_only=True)
    for spec in sheets:
        sheet = workbook.create_sheet(title=spec.title[:31])
        header_cells = []
        for header in spec.headers:
            cell = WriteOnlyCell(sheet, value=str(header))
            cell.font = Font(bold=True)
            header_cells.append(cell)
        sheet.append(header_cells)
        text_columns = set(spec.text_columns)
        for row in spec.rows:
            cells = []
            for index, value in enumerate(row):
                if isinstance(value, datetime.datetime) and timezone.is_aware(value):
                    value = timezone.make_naive(value)  # Excel has no time zones: local time, as pages show
                if index in text_columns and value is not None:
                    cell = WriteOnlyCell(sheet, value=str(value))
                    cell.number_format = "@"
                    cells.append(cell)
                else:
                    cells.append(value)
            sheet.append(cells)
    response = HttpResponse(content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    workbook.save(response)
    return response


def yes_no(value) -> str:
    """A flag as a word in the user's language: exports are read by people, not re-imported."""
    return _("yes") if value else _("no")


def list_export(
    *,
    name: str,
    records: Iterable,
    headers: Sequence[str],
    row: Callable[[object], Sequence],
    text_columns: Sequence[int] = (),
    qualifier: object = None,
) -> HttpResponse:
    """The export of a list page: every record the page's filters and scope select, not only one page.

    ``records`` is the page's own queryset (scoped by its selector, filtered from the same query string,
    in the page's order) and is streamed in chunks; ``row`` turns one record into its cells, showing ID
    numbers through ``idnumbers.shown_to`` as the page does (masked, or in full and logged). The file is
    ``<name>[-<qualifier>]-<today>.xlsx`` with one sheet ``name``; headers are capitalised.
    """
    if isinstance(records, QuerySet):
        records = records.iterator(chunk_size=EXPORT_CHUNK_SIZE)
    parts = [
        str(name),
        *([str(qualifier)] if qualifier is not None else []),
        f"{timezone.localdate():%Y%m%d}",
    ]
    return xlsx_response(
        filename="-".join(parts) + ".xlsx",
        title=str(name),
        headers=[capfirst(header) for header in headers],
        rows=(row(record) for record in records),
        text_columns=text_columns,
    )
