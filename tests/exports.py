"""Reading the .xlsx a list export answers, for the per-app export tests."""

import io

from openpyxl import load_workbook

from apps.core.exports import XLSX_CONTENT_TYPE


def sheet_rows(response) -> list[tuple]:
    """The rows of the export's only sheet, the header row first."""
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert response["Content-Disposition"].startswith("attachment")
    return list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))


def column(response, header: str) -> list:
    """The values under ``header`` (headers are matched exactly, as the user reads them)."""
    header_row, *rows = sheet_rows(response)
    index = list(header_row).index(header)
    return [row[index] for row in rows]


def logged_in(client, user, language="en"):
    client.force_login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    return client
