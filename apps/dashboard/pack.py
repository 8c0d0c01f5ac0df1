"""Report packs: the fourteen figures as one .xlsx workbook and one PDF with server-side charts."""

from __future__ import annotations

import io
from collections.abc import Callable

from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from .figures import FIGURES, FigureContext, FigureData, compute
from .models import PackStatus, ReportPack
from .scope import Scope
from .svg import render as render_svg


def _number(value):
    from decimal import Decimal

    return float(value) if isinstance(value, Decimal) else value


def _sheet_title(figure: FigureData) -> str:
    return _("Figure %(number)s") % {"number": figure.number}


def figure_rows(figure: FigureData) -> list[list]:
    return [[_number(v) for v in row] for row in figure.rows]


def write_figure_sheet(sheet, figure: FigureData) -> None:
    sheet.append([f"{figure.number}. {figure.title}"])
    sheet["A1"].font = Font(bold=True)
    sheet.append([_("Unit"), figure.unit])
    sheet.append([])
    sheet.append(figure.headers)
    for cell in sheet[4]:
        cell.font = Font(bold=True)
    for row in figure_rows(figure):
        sheet.append(row)
    if figure.note:
        sheet.append([])
        sheet.append([figure.note])


def figure_workbook(figure: FigureData) -> bytes:
    """One figure's exact numbers as an .xlsx (the figure page's download)."""
    workbook = Workbook()
    write_figure_sheet(workbook.active, figure)
    workbook.active.title = _sheet_title(figure)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def pack_workbook(figures: list[FigureData], *, region_name: str, year_from: int, year_to: int) -> bytes:
    workbook = Workbook()
    summary = workbook.active
    summary.title = _("Summary")
    summary.append(
        [
            _("Standard figures of %(region)s, %(start)s–%(end)s")
            % {"region": region_name, "start": year_from, "end": year_to}
        ]
    )
    summary["A1"].font = Font(bold=True)
    summary.append([_("Generated at"), timezone.localtime().strftime("%Y-%m-%d %H:%M")])
    summary.append([])
    summary.append([_("Figure"), _("Title"), _("Sheet"), _("Unit"), _("Rows")])
    for cell in summary[4]:
        cell.font = Font(bold=True)
    for figure in figures:
        summary.append(
            [figure.number, figure.title, _sheet_title(figure), figure.unit, len(figure.categories)]
        )
        write_figure_sheet(workbook.create_sheet(_sheet_title(figure)), figure)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def pack_pdf(figures: list[FigureData], *, region_name: str, year_from: int, year_to: int) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        "dashboard/pack_pdf.html",
        {
            "figures": [
                {"data": figure, "svg": render_svg(figure), "rows": figure.rows, "headers": figure.headers}
                for figure in figures
            ],
            "region_name": region_name,
            "year_from": year_from,
            "year_to": year_to,
            "generated_at": timezone.localtime(),
        },
    )
    return HTML(string=html).write_pdf()


def pack_scope(pack: ReportPack) -> Scope:
    return Scope(pack.level, pack.region)


def build(pack: ReportPack, *, user, progress: Callable[[int], None] = lambda percent: None) -> ReportPack:
    """Compute the figures as ``user`` (the requester: the pack never shows more than they may see),
    write the workbook and the PDF, store both on the pack."""
    pack.status = PackStatus.RUNNING
    pack.save(update_fields=["status"])
    scope = pack_scope(pack)
    ctx = FigureContext(user=user, scope=scope, year_from=pack.year_from, year_to=pack.year_to)
    figures = []
    with translation.override(translation.get_language() or "zh-hans"):
        for index, number in enumerate(sorted(FIGURES)):
            figures.append(compute(number, ctx))
            progress(5 + 75 * (index + 1) // len(FIGURES))
        region_name = pack.region.name
        stem = f"report-{pack.region.code}-{pack.year_from}-{pack.year_to}-{pack.pk}"
        workbook = pack_workbook(
            figures, region_name=region_name, year_from=pack.year_from, year_to=pack.year_to
        )
        pack.workbook.save(f"{stem}.xlsx", ContentFile(workbook), save=False)
        progress(85)
        pdf = pack_pdf(figures, region_name=region_name, year_from=pack.year_from, year_to=pack.year_to)
        pack.pdf.save(f"{stem}.pdf", ContentFile(pdf), save=False)
    pack.status = PackStatus.DONE
    pack.finished_at = timezone.now()
    pack.save(update_fields=["status", "finished_at", "workbook", "pdf"])
    progress(100)
    return pack
