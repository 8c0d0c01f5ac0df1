"""Server-side SVG charts (bar, stacked bar, line, pie) for downloads and the PDF report.

WeasyPrint runs no JavaScript, so the PDF cannot use ECharts; these charts are drawn from the same
``FigureData`` as the page's chart and table. Plain SVG 1.1 with text in a CJK-capable font family.
"""

from __future__ import annotations

import math
from xml.sax.saxutils import escape

from .figures import FigureData

WIDTH, HEIGHT = 720, 400
PLOT_LEFT, PLOT_RIGHT, PLOT_TOP, PLOT_BOTTOM = 70, 20, 50, 95
COLOURS = ("#c0392b", "#e67e22", "#f1c40f", "#16a085", "#2980b9", "#8e44ad", "#7f8c8d", "#2c3e50")
FONT = "Noto Sans CJK SC, Noto Sans SC, Source Han Sans SC, WenQuanYi Micro Hei, sans-serif"


def _text(x, y, content, *, size=12, anchor="middle", weight="normal", rotate=None) -> str:
    transform = f' transform="rotate({rotate} {x:.1f} {y:.1f})"' if rotate else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
        f'font-weight="{weight}"{transform}>{escape(str(content))}</text>'
    )


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude * 1.005:  # shares summing to 100.01 % after rounding stay under 100
            return step * magnitude
    return 10 * magnitude


def _format(value: float) -> str:
    if abs(value - round(value)) < 1e-9:
        return f"{int(round(value)):,}"
    return f"{value:,.1f}"


def _values(series) -> list[float]:
    return [float(v) if v is not None else 0.0 for v in series.values]


def _legend(names: list[str]) -> list[str]:
    parts, x, y = [], PLOT_LEFT, HEIGHT - 22
    for index, name in enumerate(names):
        width = 22 + 12 * len(str(name))
        if x + width > WIDTH - PLOT_RIGHT:
            x, y = PLOT_LEFT, y + 16
        parts.append(
            f'<rect x="{x}" y="{y - 9}" width="10" height="10" fill="{COLOURS[index % len(COLOURS)]}"/>'
        )
        parts.append(_text(x + 14, y, name, size=11, anchor="start"))
        x += width
    return parts


def _axes(maximum: float, categories: list[str]) -> list[str]:
    plot_height = HEIGHT - PLOT_TOP - PLOT_BOTTOM
    parts = []
    for tick in range(6):
        value = maximum * tick / 5
        y = HEIGHT - PLOT_BOTTOM - plot_height * tick / 5
        parts.append(
            f'<line x1="{PLOT_LEFT}" y1="{y:.1f}" x2="{WIDTH - PLOT_RIGHT}" y2="{y:.1f}" stroke="#ddd"/>'
        )
        parts.append(_text(PLOT_LEFT - 6, y + 4, _format(value), size=11, anchor="end"))
    step = (WIDTH - PLOT_LEFT - PLOT_RIGHT) / max(len(categories), 1)
    rotate = -30 if len(categories) > 8 or max((len(c) for c in categories), default=0) > 6 else None
    for index, category in enumerate(categories):
        x = PLOT_LEFT + step * (index + 0.5)
        anchor = "end" if rotate else "middle"
        parts.append(_text(x, HEIGHT - PLOT_BOTTOM + 16, category, size=11, anchor=anchor, rotate=rotate))
    parts.append(
        f'<line x1="{PLOT_LEFT}" y1="{HEIGHT - PLOT_BOTTOM}" x2="{WIDTH - PLOT_RIGHT}" '
        f'y2="{HEIGHT - PLOT_BOTTOM}" stroke="#333"/>'
    )
    return parts


def _bars(figure: FigureData, stacked: bool) -> list[str]:
    series = figure.plotted()
    categories = [str(c) for c in figure.categories]
    columns = [_values(s) for s in series]
    if stacked:
        maximum = max((sum(col[i] for col in columns) for i in range(len(categories))), default=0)
    else:
        maximum = max((v for col in columns for v in col), default=0)
    maximum = _nice_max(maximum)
    plot_height = HEIGHT - PLOT_TOP - PLOT_BOTTOM
    step = (WIDTH - PLOT_LEFT - PLOT_RIGHT) / max(len(categories), 1)
    parts = _axes(maximum, categories)
    for index in range(len(categories)):
        base = HEIGHT - PLOT_BOTTOM
        width = min(step * 0.7, 64) if stacked else min(step * 0.8 / max(len(columns), 1), 48)
        offset = (step - (width if stacked else width * len(columns))) / 2
        for s_index, column in enumerate(columns):
            height = plot_height * column[index] / maximum
            colour = COLOURS[s_index % len(COLOURS)]
            if stacked:
                x = PLOT_LEFT + step * index + offset
                base -= height
                y = base
            else:
                x = PLOT_LEFT + step * index + offset + width * s_index
                y = HEIGHT - PLOT_BOTTOM - height
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{height:.1f}" fill="{colour}">'
                f"<title>{escape(series[s_index].name)} {escape(categories[index])}: "
                f"{_format(column[index])}</title></rect>"
            )
            if not stacked and len(categories) * len(columns) <= 24 and column[index]:
                parts.append(_text(x + width / 2, y - 3, _format(column[index]), size=10))
    return parts


def _lines(figure: FigureData) -> list[str]:
    series = figure.plotted()
    categories = [str(c) for c in figure.categories]
    maximum = _nice_max(max((v for s in series for v in _values(s)), default=0))
    plot_height = HEIGHT - PLOT_TOP - PLOT_BOTTOM
    step = (WIDTH - PLOT_LEFT - PLOT_RIGHT) / max(len(categories), 1)
    parts = _axes(maximum, categories)
    for s_index, s in enumerate(series):
        points = [
            (PLOT_LEFT + step * (i + 0.5), HEIGHT - PLOT_BOTTOM - plot_height * v / maximum)
            for i, v in enumerate(_values(s))
        ]
        colour = COLOURS[s_index % len(COLOURS)]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
        parts += [f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}"/>' for x, y in points]
    return parts


def _pie(figure: FigureData) -> list[str]:
    series = figure.plotted()[0] if figure.plotted() else None
    values = _values(series) if series else []
    total = sum(values)
    cx, cy, radius = WIDTH / 2, PLOT_TOP + (HEIGHT - PLOT_TOP - PLOT_BOTTOM) / 2 + 10, 120
    parts = []
    if not total:
        return [_text(cx, cy, "—", size=16)]
    angle = -math.pi / 2
    for index, value in enumerate(values):
        if value <= 0:
            continue
        sweep = 2 * math.pi * value / total
        end = angle + sweep
        colour = COLOURS[index % len(COLOURS)]
        x1, y1 = cx + radius * math.cos(angle), cy + radius * math.sin(angle)
        x2, y2 = cx + radius * math.cos(end), cy + radius * math.sin(end)
        large = 1 if sweep > math.pi else 0
        if sweep >= 2 * math.pi - 1e-9:
            parts.append(f'<circle cx="{cx}" cy="{cy}" r="{radius}" fill="{colour}"/>')
        else:
            parts.append(
                f'<path d="M{cx:.1f},{cy:.1f} L{x1:.1f},{y1:.1f} A{radius},{radius} 0 {large} 1 {x2:.1f},{y2:.1f} Z" '
                f'fill="{colour}" stroke="#fff"/>'
            )
        middle = angle + sweep / 2
        lx, ly = cx + (radius + 18) * math.cos(middle), cy + (radius + 18) * math.sin(middle)
        anchor = "start" if math.cos(middle) >= 0 else "end"
        parts.append(_text(lx, ly, f"{100 * value / total:.1f}%", size=11, anchor=anchor))
        angle = end
    return parts


def render(figure: FigureData) -> str:
    """The figure as a standalone SVG document."""
    if figure.kind == "pie":
        body = _pie(figure)
        legend = _legend([str(c) for c in figure.categories])
    elif figure.kind == "line":
        body = _lines(figure)
        legend = _legend([s.name for s in figure.plotted()])
    else:
        body = _bars(figure, stacked=figure.kind == "stacked")
        legend = _legend([s.name for s in figure.plotted()])
    title = f"{figure.number}. {figure.title}"
    unit = (
        _text(PLOT_LEFT - 6, PLOT_TOP - 12, figure.unit, size=11, anchor="end")
        if figure.kind != "pie"
        else ""
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="{FONT}">'
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#fff"/>'
        f"{_text(WIDTH / 2, 24, title, size=15, weight='bold')}{unit}"
        f"{''.join(body)}{''.join(legend)}</svg>"
    )
