"""Excel exports: every cell a string where leading zeros or long digit runs matter."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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
