"""Reading an uploaded workbook safely: what is refused before a single row is looked at, and how
the rows of each sheet are found.

Refused outright, with a message saying what to do instead: anything that is not an .xlsx
package (an old .xls, a CSV, a PDF renamed .xlsx), a password-protected workbook (Excel saves it
as an encrypted OLE file), a macro-enabled workbook, a package that would decompress to more than
``MAX_UNCOMPRESSED_BYTES`` (a zip bomb; zipfile never inflates more than the sizes it checked
here), and more than ``MAX_ROWS`` data rows. Formulas and merged cells in the data are errors at
their cells: the import takes values, one per cell.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

import openpyxl
from defusedxml import ElementTree
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl.utils.cell import get_column_letter, range_boundaries

from .cells import clean_text, is_blank
from .spec import Column, SheetSpec

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_ROWS = 20_000
# Rows of formatting alone after the data are common; this many empty rows in a row end a sheet.
EMPTY_ROWS_THAT_END_A_SHEET = 1_000
ERROR_COLUMN_HEADER = "错误 / Errors"

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
MACRO_CONTENT_TYPE = "application/vnd.ms-excel.sheet.macroEnabled"
MERGE_CELL = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+\d+(?::[A-Z]+\d+)?)"')


class UploadRefused(Exception):
    """The file as a whole cannot be imported; ``str()`` is the message for the user."""


def check_package(content: bytes) -> None:
    """Refuse a file that is not a plain .xlsx workbook, before openpyxl parses any of it."""
    if content.startswith(OLE_MAGIC):
        raise UploadRefused(
            _(
                "This is an old-format .xls file or a password-protected workbook. Open it in Excel, "
                "remove any password and save it as “Excel Workbook (*.xlsx)”."
            )
        )
    if content.startswith(b"%PDF"):
        raise UploadRefused(_("This is a PDF, not an Excel workbook. Upload the .xlsx template filled in."))
    if not content.startswith(ZIP_MAGIC):
        raise UploadRefused(
            _(
                "This is not an Excel .xlsx workbook (a CSV or text file renamed?). Open it in Excel and "
                "save it as “Excel Workbook (*.xlsx)”."
            )
        )
    try:
        package = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile as exc:
        raise UploadRefused(_("This file is damaged or not an Excel .xlsx workbook.")) from exc
    with package:
        names = set(package.namelist())
        if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
            raise UploadRefused(_("This is a zip file, not an Excel .xlsx workbook."))
        if any(name.lower().endswith("vbaproject.bin") for name in names) or MACRO_CONTENT_TYPE.encode() in (
            package.read("[Content_Types].xml")
        ):
            raise UploadRefused(
                _("Macro-enabled workbooks (.xlsm) are not accepted. Save it as “Excel Workbook (*.xlsx)”.")
            )
        if sum(info.file_size for info in package.infolist()) > MAX_UNCOMPRESSED_BYTES:
            raise UploadRefused(
                _("This workbook unpacks to more than %(limit)d MB, more than an import may hold.")
                % {"limit": MAX_UNCOMPRESSED_BYTES // (1024 * 1024)}
            )


def _merged_ranges(content: bytes) -> dict[str, list[str]]:
    """Merged ranges per sheet title, read from the package (read-only openpyxl does not report them)."""
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        namespace = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
        relations = {
            rel.get("Id"): rel.get("Target")
            for rel in ElementTree.fromstring(package.read("xl/_rels/workbook.xml.rels"))
        }
        workbook = ElementTree.fromstring(package.read("xl/workbook.xml"))
        merged = {}
        for sheet in workbook.iterfind("m:sheets/m:sheet", namespace):
            relation = sheet.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
            target = relations.get(relation, "").lstrip("/")
            path = target if target.startswith("xl/") else f"xl/{target}"
            if path in package.namelist():
                merged[sheet.get("name")] = [ref.decode() for ref in MERGE_CELL.findall(package.read(path))]
        return merged


@dataclass
class SheetRows:
    """The data rows of one sheet: ``cells`` maps a column field to the cell value."""

    spec: SheetSpec
    title: str  # as found in the workbook
    columns: dict[str, str]  # field -> column letter
    rows: list[tuple[int, dict[str, object]]]
    problems: list[dict]  # sheet-level and cell-level errors found while reading


def header_texts(column: Column) -> set[str]:
    """The header in Chinese and in English, lower-cased, without the required marker."""
    texts = set()
    for language in ("zh-hans", "en"):
        with translation.override(language):
            texts.add(clean_text(str(column.header)).lower())
    return texts


def sheet_titles(spec: SheetSpec) -> set[str]:
    titles = set()
    for language in ("zh-hans", "en"):
        with translation.override(language):
            titles.add(clean_text(str(spec.title)).lower())
    return titles


def _header_key(value) -> str:
    return clean_text(value).rstrip("*＊").strip().lower()


def _problem(sheet: str, row: int | None, column: str, header: str, value: str, message: str) -> dict:
    return {
        "sheet": sheet,
        "row": row,
        "column": column,
        "header": header,
        "value": value,
        "message": message,
    }


def read_sheets(content: bytes, sheets: list[SheetSpec]) -> list[SheetRows]:
    """Find each spec's sheet (by its Chinese or English name; a one-sheet kind takes the first
    sheet otherwise), map columns by header, and read the non-empty rows below the headers."""
    try:
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=False, keep_links=False)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a broken package
        raise UploadRefused(
            _("This workbook cannot be read: %(error)s") % {"error": exc.__class__.__name__}
        ) from exc
    merged = _merged_ranges(content)
    titles = {clean_text(title).lower(): title for title in book.sheetnames}
    found = []
    total_rows = 0
    try:
        for spec in sheets:
            title = next((titles[t] for t in sheet_titles(spec) if t in titles), None)
            if title is None and len(sheets) == 1:
                title = next(
                    (t for t in book.sheetnames if not t.startswith("_") and t not in _instruction_titles()),
                    None,
                )
            if title is None:
                found.append(
                    SheetRows(
                        spec,
                        str(spec.title),
                        {},
                        [],
                        [
                            _problem(
                                str(spec.title),
                                None,
                                "",
                                "",
                                "",
                                _("The sheet “%(title)s” is missing.") % {"title": spec.title},
                            )
                        ],
                    )
                )
                continue
            sheet = _read_sheet(book[title], spec, title, merged.get(title, []))
            total_rows += len(sheet.rows)
            if total_rows > MAX_ROWS:
                raise UploadRefused(
                    _("This workbook has more than %(limit)s data rows; split it into several files.")
                    % {"limit": f"{MAX_ROWS:,}"}
                )
            found.append(sheet)
    finally:
        book.close()
    return found


def _instruction_titles() -> set[str]:
    from .template import INSTRUCTIONS_TITLES

    return INSTRUCTIONS_TITLES


def _read_sheet(worksheet, spec: SheetSpec, title: str, merged_ranges: list[str]) -> SheetRows:
    rows = worksheet.iter_rows()
    header_row = next(rows, ())
    by_header = {}
    for column in spec.columns:
        for text in header_texts(column):
            by_header[text] = column
    columns: dict[str, str] = {}
    problems = []
    for cell in header_row:
        key = _header_key(cell.value)
        if not key or key == ERROR_COLUMN_HEADER.lower():
            continue
        column = by_header.get(key)
        if column is None:
            problems.append(
                _problem(
                    title,
                    1,
                    cell.column_letter,
                    clean_text(cell.value),
                    "",
                    _("Unknown column “%(header)s”: use the template's headers.")
                    % {"header": clean_text(cell.value)},
                )
            )
        elif column.field in columns:
            problems.append(
                _problem(
                    title,
                    1,
                    cell.column_letter,
                    clean_text(cell.value),
                    "",
                    _("The column “%(header)s” appears twice.") % {"header": clean_text(cell.value)},
                )
            )
        else:
            columns[column.field] = cell.column_letter
    for column in spec.columns:
        if column.required and column.field not in columns:
            problems.append(
                _problem(
                    title,
                    1,
                    "",
                    str(column.header),
                    "",
                    _("The required column “%(header)s” is missing.") % {"header": column.header},
                )
            )
    letters = {letter: field for field, letter in columns.items()}
    data_rows = _data_rows(rows, letters, spec, title, problems)
    first_data_row = data_rows[0][0] if data_rows else 3
    for ref in merged_ranges:
        min_col, min_row, max_col, max_row = range_boundaries(ref)
        if max_row >= first_data_row:
            problems.append(
                _problem(
                    title,
                    min_row,
                    get_column_letter(min_col),
                    "",
                    ref,
                    _("Merged cells %(range)s: unmerge them and fill in every cell.") % {"range": ref},
                )
            )
    return SheetRows(spec, title, columns, data_rows, problems)


def _data_rows(rows: Iterator, letters: dict[str, str], spec: SheetSpec, title: str, problems: list) -> list:
    english_headers = {field: _english(spec.column(field).header) for field in letters.values()}
    data = []
    empty_run = 0
    for cells in rows:
        values = {}
        for cell in cells:
            letter = getattr(cell, "column_letter", None)
            field = letters.get(letter)
            if field is None or is_blank(cell.value):
                continue
            if cell.data_type == "f" or (isinstance(cell.value, str) and cell.value.startswith("=")):
                problems.append(
                    _problem(
                        title,
                        cell.row,
                        letter,
                        "",
                        str(cell.value)[:100],
                        _("A formula: the import takes values. Copy the column and paste it as values."),
                    )
                )
                continue
            values[field] = cell.value
        if not values:
            empty_run += 1
            if empty_run >= EMPTY_ROWS_THAT_END_A_SHEET:
                break
            continue
        empty_run = 0
        row_number = next(cell.row for cell in cells if getattr(cell, "row", None))
        if (
            not data
            and row_number == 2
            and all(clean_text(value).lower() == english_headers[field] for field, value in values.items())
        ):
            continue  # the template's second header row, in English
        data.append((row_number, values))
        if len(data) > MAX_ROWS:
            break  # the caller refuses the workbook
    return data


def _english(header) -> str:
    with translation.override("en"):
        return clean_text(str(header)).lower()
