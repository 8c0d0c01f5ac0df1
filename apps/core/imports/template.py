"""The downloadable .xlsx template of an import kind.

An instructions sheet first (every column: header in Chinese and English, required or not, the
format, the allowed values, the upsert rule, the limits and normalisations), then one sheet per
data sheet: Chinese headers in row 1, English in row 2, one example row (ignored on import while
left unchanged), drop-down lists for choices and for the villages of the user's region (from a
hidden lists sheet), and ID-number and code columns formatted as text.
"""

from __future__ import annotations

import io

from django.http import HttpResponse
from django.utils import translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from apps.core.exports import XLSX_CONTENT_TYPE
from apps.core.scoping import scope_for

from .spec import TYPE_HINTS, ColumnType, ImportKind, SheetSpec
from .workbook import EMPTY_ROWS_THAT_END_A_SHEET, MAX_ROWS, MAX_UPLOAD_BYTES

INSTRUCTIONS_TITLES = {"说明", "instructions"}
LISTS_TITLE = "_lists"
FIRST_DATA_ROW = 3
TEXT_FORMAT = "@"
DATE_FORMAT = "yyyy-mm-dd"
HEADER_FILL = PatternFill("solid", fgColor="FDE9E7")
REQUIRED_FONT = Font(bold=True, color="C0392B")
BOLD = Font(bold=True)
ENGLISH_FONT = Font(italic=True, color="777777")
EXAMPLE_FONT = Font(color="2E86C1", italic=True)


def both(text) -> tuple[str, str]:
    """A lazy string in Chinese and in English."""
    with translation.override("zh-hans"):
        chinese = str(text)
    with translation.override("en"):
        english = str(text)
    return chinese, english


def example_value(column, ctx_villages: list) -> object:
    if column.example is not None:
        return column.example
    if column.type == ColumnType.VILLAGE and ctx_villages:
        return ctx_villages[0].code
    if column.type == ColumnType.CHOICE and column.choices:
        return both(column.choices[0][1])[0]
    return None


def template_response(kind: ImportKind, user) -> HttpResponse:
    response = HttpResponse(build_template(kind, user), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"{_('template')}-{kind.name}.xlsx"
    )
    return response


def build_template(kind: ImportKind, user) -> bytes:
    from apps.villages.models import Village

    villages = list(scope_for(user, Village.objects.filter(retired_on__isnull=True)).order_by("code")[:5000])
    workbook = Workbook()
    instructions = workbook.active
    instructions.title = "说明"
    lists = workbook.create_sheet(LISTS_TITLE)
    lists.sheet_state = "hidden"
    list_ranges = _write_lists(lists, kind, villages)
    _write_instructions(instructions, kind)
    for spec in kind.sheets:
        _write_sheet(workbook.create_sheet(both(spec.title)[0][:31]), spec, list_ranges, villages)
    workbook.move_sheet(lists, offset=len(workbook.sheetnames))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _write_lists(sheet, kind: ImportKind, villages) -> dict[str, str]:
    """One column per drop-down list; returns ``{list name: absolute range}``."""
    ranges = {}
    lists: dict[str, list[str]] = {}
    for spec in kind.sheets:
        for column in spec.columns:
            if column.type == ColumnType.CHOICE:
                lists[f"{spec.title}:{column.field}"] = [both(label)[0] for _value, label in column.choices]
            elif column.type == ColumnType.BOOLEAN:
                lists["boolean"] = ["是", "否"]
    lists["village"] = [village.code for village in villages]
    for index, (name, values) in enumerate(lists.items(), start=1):
        letter = get_column_letter(index)
        for row, value in enumerate(values, start=1):
            cell = sheet.cell(row=row, column=index, value=value)
            cell.number_format = TEXT_FORMAT
        if values:
            ranges[name] = f"{quote_sheetname(LISTS_TITLE)}!${letter}$1:${letter}${len(values)}"
    return ranges


def _write_sheet(sheet, spec: SheetSpec, list_ranges: dict[str, str], villages) -> None:
    last_row = FIRST_DATA_ROW + MAX_ROWS
    for index, column in enumerate(spec.columns, start=1):
        letter = get_column_letter(index)
        chinese, english = both(column.header)
        top = sheet.cell(row=1, column=index, value=f"{chinese}*" if column.required else chinese)
        top.font = REQUIRED_FONT if column.required else BOLD
        top.fill = HEADER_FILL
        top.alignment = Alignment(wrap_text=True, vertical="center")
        hint = str(TYPE_HINTS[column.type])
        if column.help:
            hint = f"{hint}. {column.help}"
        top.comment = Comment(hint, "Touyan")
        sheet.cell(row=2, column=index, value=english).font = ENGLISH_FONT
        sheet.column_dimensions[letter].width = column.width
        example = sheet.cell(row=FIRST_DATA_ROW, column=index, value=example_value(column, villages))
        example.font = EXAMPLE_FONT
        cell_range = f"{letter}{FIRST_DATA_ROW}:{letter}{last_row}"
        if column.type in (ColumnType.ID_NUMBER, ColumnType.CODE, ColumnType.VILLAGE, ColumnType.TOWNSHIP):
            # Text, or Excel turns an 18-digit number into 5.11903E+17 and drops the last digits.
            sheet.column_dimensions[letter].number_format = TEXT_FORMAT
            example.number_format = TEXT_FORMAT
        elif column.type == ColumnType.DATE:
            sheet.column_dimensions[letter].number_format = DATE_FORMAT
            example.number_format = DATE_FORMAT
        source = {
            ColumnType.CHOICE: list_ranges.get(f"{spec.title}:{column.field}"),
            ColumnType.BOOLEAN: list_ranges.get("boolean"),
            ColumnType.VILLAGE: list_ranges.get("village"),
        }.get(column.type)
        if source:
            validation = DataValidation(type="list", formula1=source, allow_blank=True)
            # Names typed instead of codes are accepted by the import: warn, do not block.
            validation.errorStyle = "warning" if column.type == ColumnType.VILLAGE else "stop"
            validation.error = _("Choose a value from the list.")
            sheet.add_data_validation(validation)
            validation.add(cell_range)
    first = sheet.cell(row=FIRST_DATA_ROW, column=1)
    first.comment = Comment(
        _("Example row: replace it or leave it unchanged (it is then ignored)."), "Touyan"
    )
    sheet.freeze_panes = f"A{FIRST_DATA_ROW}"
    sheet.row_dimensions[1].height = 30


def _write_instructions(sheet, kind: ImportKind) -> None:
    sheet.column_dimensions["A"].width = 26
    sheet.column_dimensions["B"].width = 26
    sheet.column_dimensions["C"].width = 10
    sheet.column_dimensions["D"].width = 40
    sheet.column_dimensions["E"].width = 60
    lines: list[tuple] = [
        (f"{both(kind.label)[0]} / {both(kind.label)[1]}",),
        (),
        (_("How to import"),),
        (
            _(
                "1. Fill in the data sheets from row 3; keep the two header rows. Columns marked * are required."
            ),
        ),
        (
            _(
                "2. Upload the file on the Import page (or POST /api/v1/imports/) and choose “validate only” first."
            ),
        ),
        (
            _(
                "3. Nothing is saved unless every row is valid: the report lists each error with its sheet, "
                "row and column, and a copy of your workbook with the errors marked can be downloaded."
            ),
        ),
        (
            _(
                "4. Every row must be within your own region. Blank cells leave an existing record's value alone."
            ),
        ),
        (),
        (_("Limits and normalisations"),),
        (
            _("At most %(rows)s data rows and %(size)d MB per file; .xlsx only (no macros, no password).")
            % {"rows": f"{MAX_ROWS:,}", "size": MAX_UPLOAD_BYTES // (1024 * 1024)},
        ),
        (_("Values only: formulas and merged cells are refused; paste values instead."),),
        (
            _(
                "Full-width digits and letters are read as half-width; spaces around a value are dropped; "
                "thousands separators in numbers are ignored."
            ),
        ),
        (_("Dates: an Excel date, or text 2024-03-05, 2024/3/5, 2024.3.5, 2024年3月5日 or 20240305."),),
        (
            _(
                "ID numbers must be text: a number in Excel keeps only 15 digits, so an ID number stored "
                "as a number is refused."
            ),
        ),
        (_("A choice may be typed as its Chinese or English label."),),
        (_("Two rows with the same key in one file are an error."),),
        (_("%(rows)s empty rows in a row end a sheet.") % {"rows": f"{EMPTY_ROWS_THAT_END_A_SHEET:,}"},),
        *((str(note),) for note in kind.notes),
    ]
    for spec in kind.sheets:
        chinese, english = both(spec.title)
        lines += [
            (),
            (f"{chinese} / {english}",),
            (str(spec.upsert_rule),),
            (
                _("Column (中文)"),
                _("Column (English)"),
                _("Required"),
                _("Format"),
                _("Allowed values / notes"),
            ),
        ]
        for column in spec.columns:
            allowed = "、".join(both(label)[0] for _value, label in column.choices)
            lines.append(
                (
                    both(column.header)[0],
                    both(column.header)[1],
                    "✓" if column.required else "",
                    str(TYPE_HINTS[column.type]),
                    " ".join(part for part in (allowed, str(column.help or "")) if part),
                )
            )
    bold_rows = {1, 3, 9}
    for row_number, values in enumerate(lines, start=1):
        for column_number, value in enumerate(values, start=1):
            cell = sheet.cell(row=row_number, column=column_number, value=value)
            cell.alignment = Alignment(wrap_text=column_number == 5, vertical="top")
            if row_number in bold_rows or (len(values) == 1 and " / " in str(value)):
                cell.font = BOLD
