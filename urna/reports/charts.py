"""Server-side SVG charts for reports: plain markup, no JavaScript, readable in a PDF.

Each chart is an ``<svg role="img">`` with a ``<title>`` and a ``<desc>`` (the figures in
words); the report template puts the same figures in a data table next to it, so the chart is
never the only way to read them. Colours meet WCAG AA contrast on white.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import date
from html import escape

from django.utils.formats import number_format
from django.utils.safestring import SafeString, mark_safe

_ids = itertools.count(1)
BAR = "#0b4f8a"
INK = "#1b1f24"
MUTED = "#4a5563"
GRID = "#c9d2dc"
FONT = "DejaVu Sans, Verdana, sans-serif"


def _n(value: float) -> str:
    return number_format(value, decimal_pos=0, use_l10n=True, force_grouping=True)


def _truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _open(width: int, height: int, title: str, desc: str) -> tuple[str, str]:
    uid = f"chart{next(_ids)}"
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="chart" '
        f'viewBox="0 0 {width} {height}" width="100%" '
        f'aria-labelledby="{uid}-t {uid}-d" font-family="{FONT}" font-size="12">'
        f'<title id="{uid}-t">{escape(title)}</title><desc id="{uid}-d">{escape(desc)}</desc>'
    )
    return uid, head


def _describe(items: Sequence[tuple[str, float]], unit: str) -> str:
    return "; ".join(f"{label}: {_n(value)} {unit}".strip() for label, value in items)


def bar_chart(
    items: Sequence[tuple[str, float]],
    *,
    title: str,
    unit: str = "",
    width: int = 640,
    label_width: int = 190,
    row_height: int = 24,
) -> SafeString:
    """Horizontal bars, one per ``(label, value)``, in the given order (rank them first for a
    ranking, e.g. departments)."""
    items = list(items)
    height = max(1, len(items)) * row_height + 10
    _uid, head = _open(width, height, title, _describe(items, unit))
    parts = [head]
    top = max((v for _l, v in items), default=0) or 1
    plot = width - label_width - 70
    for i, (label, value) in enumerate(items):
        y = 5 + i * row_height
        bar = max(0.0, value / top * plot)
        parts.append(
            f'<text x="{label_width - 6}" y="{y + row_height * 0.65:.1f}" text-anchor="end" '
            f'fill="{INK}">{escape(_truncate(label, 30))}</text>'
            f'<rect x="{label_width}" y="{y + 3}" width="{bar:.1f}" height="{row_height - 8}" '
            f'fill="{BAR}"/>'
            f'<text x="{label_width + bar + 5:.1f}" y="{y + row_height * 0.65:.1f}" '
            f'fill="{INK}">{_n(value)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def column_chart(
    points: Sequence[tuple[date, float]],
    *,
    title: str,
    unit: str = "",
    width: int = 640,
    height: int = 220,
) -> SafeString:
    """Vertical columns over time (e.g. contributions per day), with the first, middle and last
    dates labelled and a scale line at the maximum."""
    points = list(points)
    desc = _describe([(d.isoformat(), v) for d, v in points[:60]], unit)
    if len(points) > 60:
        desc += " …"
    _uid, head = _open(width, height, title, desc)
    parts = [head]
    left, bottom, top_pad = 50, 30, 14
    plot_w, plot_h = width - left - 10, height - bottom - top_pad
    top = max((v for _d, v in points), default=0) or 1
    parts.append(
        f'<line x1="{left}" y1="{top_pad}" x2="{width - 10}" y2="{top_pad}" stroke="{GRID}"/>'
        f'<text x="{left - 4}" y="{top_pad + 4}" text-anchor="end" fill="{MUTED}">{_n(top)}</text>'
        f'<line x1="{left}" y1="{top_pad + plot_h}" x2="{width - 10}" y2="{top_pad + plot_h}" '
        f'stroke="{MUTED}"/>'
        f'<text x="{left - 4}" y="{top_pad + plot_h + 4}" text-anchor="end" fill="{MUTED}">0</text>'
    )
    n = len(points)
    if n:
        step = plot_w / n
        bar_w = max(1.0, step * 0.8)
        for i, (_day, value) in enumerate(points):
            h = value / top * plot_h
            parts.append(
                f'<rect x="{left + i * step:.1f}" y="{top_pad + plot_h - h:.1f}" '
                f'width="{bar_w:.1f}" height="{h:.1f}" fill="{BAR}"/>'
            )
        for i in sorted({0, n // 2, n - 1}):
            anchor = "start" if i == 0 else ("end" if i == n - 1 else "middle")
            x = left + i * step + (bar_w if i == n - 1 else 0)
            parts.append(
                f'<text x="{x:.1f}" y="{height - 10}" text-anchor="{anchor}" fill="{MUTED}">'
                f"{points[i][0].strftime('%d/%m/%Y')}</text>"
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - only numbers and escaped text above
