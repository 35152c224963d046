"""Server-side SVG charts: plain markup, no JavaScript, readable on a page and in a PDF.

Each chart is an ``<svg role="img">`` with a ``<title>`` and a ``<desc>`` (the figures in
words); the page or report that shows it also puts the same figures in a data table, so the
chart is never the only way to read them. Bars and text meet WCAG AA contrast on white; the
series and map colours are colour-blind safe (Okabe-Ito for categories, one blue hue for
quantities) and every series is also named in a legend and in the table.

Reports and the analyst's workspace both draw with these helpers (reports re-exports them).
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Mapping, Sequence
from datetime import date
from functools import cache
from html import escape
from pathlib import Path
from typing import Any

from django.utils import formats
from django.utils.formats import number_format
from django.utils.safestring import SafeString, mark_safe

from urna.core.l10n import date_text

_ids = itertools.count(1)
BAR = "#0b4f8a"
INK = "#1b1f24"
MUTED = "#4a5563"
GRID = "#c9d2dc"
FONT = "DejaVu Sans, Verdana, sans-serif"
# Okabe-Ito, without its yellow (too pale on white); "others" are drawn in grey.
SERIES = ["#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#000000"]
OTHERS = "#9aa3ad"
# One blue hue from light to dark: readable by every kind of colour vision. Text on the last
# step is white (contrast 7.5:1), on the others ink (at least 5:1).
SEQUENTIAL = ["#eef5fb", "#c6dcef", "#8dbbe0", "#4a90c2", "#1b5a8c"]
SEQUENTIAL_DARK_FROM = 4
NO_DATA = "#ffffff"
HIDDEN = "#d5d9de"
GEO = Path(__file__).resolve().parent / "geo" / "departments.json"


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
    hrefs: Sequence[str] | None = None,
    label_chars: int = 30,
) -> SafeString:
    """Horizontal bars, one per ``(label, value)``, in the given order (rank them first for a
    ranking, e.g. departments). With ``hrefs``, each row links to its page."""
    items = list(items)
    height = max(1, len(items)) * row_height + 10
    _uid, head = _open(width, height, title, _describe(items, unit))
    parts = [head]
    top = max((v for _l, v in items), default=0) or 1
    plot = width - label_width - 70
    for i, (label, value) in enumerate(items):
        y = 5 + i * row_height
        bar = max(0.0, value / top * plot)
        row = (
            f'<text x="{label_width - 6}" y="{y + row_height * 0.65:.1f}" text-anchor="end" '
            f'fill="{INK}">{escape(_truncate(label, label_chars))}</text>'
            f'<rect x="{label_width}" y="{y + 3}" width="{bar:.1f}" height="{row_height - 8}" '
            f'fill="{BAR}"/>'
            f'<text x="{label_width + bar + 5:.1f}" y="{y + row_height * 0.65:.1f}" '
            f'fill="{INK}">{_n(value)}</text>'
        )
        if hrefs is not None:
            row = f'<a href="{escape(hrefs[i])}">{row}</a>'
        parts.append(row)
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def column_chart(
    points: Sequence[tuple[date, float]],
    *,
    title: str,
    unit: str = "",
    monthly: bool = False,
    width: int = 640,
    height: int = 220,
) -> SafeString:
    """Vertical columns over time (e.g. contributions per day, or per month when ``monthly``),
    with the first, middle and last dates labelled and a scale line at the maximum. The
    description a screen reader reads writes each period in the language's one date format."""
    points = list(points)
    desc = _describe([(_period_text(d, monthly), v) for d, v in points[:60]], unit)
    if len(points) > 60:
        desc += " …"
    _uid, head = _open(width, height, title, desc)
    parts = [head]
    left, bottom, top_pad = 50, 30, 14
    plot_w, plot_h = width - left - 10, height - bottom - top_pad
    top = max((v for _d, v in points), default=0) or 1
    parts.append(_scale(left, top_pad, width, plot_h, top))
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
        parts.append(_date_ticks([d for d, _v in points], left, step, bar_w, height))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - only numbers and escaped text above


def _period_text(day: date, monthly: bool) -> str:
    return formats.date_format(day, "YEAR_MONTH_FORMAT") if monthly else date_text(day)


def _scale(left: int, top_pad: int, width: int, plot_h: float, top: float) -> str:
    return (
        f'<line x1="{left}" y1="{top_pad}" x2="{width - 10}" y2="{top_pad}" stroke="{GRID}"/>'
        f'<text x="{left - 4}" y="{top_pad + 4}" text-anchor="end" fill="{MUTED}">{_n(top)}</text>'
        f'<line x1="{left}" y1="{top_pad + plot_h}" x2="{width - 10}" y2="{top_pad + plot_h}" '
        f'stroke="{MUTED}"/>'
        f'<text x="{left - 4}" y="{top_pad + plot_h + 4}" text-anchor="end" fill="{MUTED}">0</text>'
    )


def _date_ticks(days: Sequence[date], left: int, step: float, bar_w: float, y: float) -> str:
    n = len(days)
    out = []
    for i in sorted({0, n // 2, n - 1}):
        anchor = "start" if i == 0 else ("end" if i == n - 1 else "middle")
        x = left + i * step + (bar_w if i == n - 1 else 0)
        out.append(
            f'<text x="{x:.1f}" y="{y - 10}" text-anchor="{anchor}" fill="{MUTED}">'
            f"{date_text(days[i], short=True)}</text>"
        )
    return "".join(out)


def stacked_column_chart(
    periods: Sequence[date],
    series: Sequence[tuple[str, Sequence[float]]],
    *,
    title: str,
    desc: str,
    legend_others: str | None = None,
    width: int = 640,
    height: int = 240,
) -> SafeString:
    """Columns over time, each split by series (e.g. themes per week), with a legend.

    ``series`` are ``(label, values)`` with one value per period, drawn bottom-up in the given
    order and coloured from ``SERIES``; the series labelled ``legend_others`` (the grouped
    rest) is drawn in grey. ``desc`` says the figures in words (the caller knows the units).
    """
    periods = list(periods)
    legend_rows = (len(series) + 1) // 2
    chart_h = height
    total_h = chart_h + legend_rows * 18 + 8
    _uid, head = _open(width, total_h, title, desc)
    parts = [head]
    left, bottom, top_pad = 50, 30, 14
    plot_w, plot_h = width - left - 10, chart_h - bottom - top_pad
    totals = [sum(values[i] for _l, values in series) for i in range(len(periods))]
    top = max(totals, default=0) or 1
    parts.append(_scale(left, top_pad, width, plot_h, top))
    colours = _series_colours([label for label, _v in series], legend_others)
    n = len(periods)
    if n:
        step = plot_w / n
        bar_w = max(1.0, step * 0.8)
        for i in range(n):
            base = top_pad + plot_h
            for (_label, values), colour in zip(series, colours, strict=True):
                h = values[i] / top * plot_h
                if h <= 0:
                    continue
                base -= h
                parts.append(
                    f'<rect x="{left + i * step:.1f}" y="{base:.1f}" width="{bar_w:.1f}" '
                    f'height="{h:.1f}" fill="{colour}" stroke="#ffffff" stroke-width="0.5"/>'
                )
        parts.append(_date_ticks(periods, left, step, bar_w, chart_h))
    for k, ((label, _values), colour) in enumerate(zip(series, colours, strict=True)):
        x = left + (k % 2) * (plot_w / 2)
        y = chart_h + 4 + (k // 2) * 18
        parts.append(
            f'<rect x="{x:.1f}" y="{y}" width="12" height="12" fill="{colour}"/>'
            f'<text x="{x + 17:.1f}" y="{y + 10}" fill="{INK}">'
            f"{escape(_truncate(label, 40))}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - only numbers and escaped text above


def _series_colours(labels: Sequence[str], others: str | None) -> list[str]:
    palette = itertools.cycle(SERIES)
    return [OTHERS if label == others else next(palette) for label in labels]


def sequential_breaks(values: Sequence[float], classes: int = len(SEQUENTIAL)) -> list[float]:
    """Upper bounds of up to ``classes`` classes over the positive ``values`` (quantiles, so a
    skewed distribution — one capital city — still spreads over the palette); the last bound
    is the maximum. Empty without positive values."""
    positive = sorted(v for v in values if v > 0)
    if not positive:
        return []
    bounds = []
    for k in range(1, classes + 1):
        bound = positive[min(len(positive) - 1, round(k * len(positive) / classes) - 1)]
        if not bounds or bound > bounds[-1]:
            bounds.append(bound)
    return bounds


def sequential_level(value: float, breaks: Sequence[float]) -> int:
    """The palette step of ``value`` (0 for the lightest class); -1 for zero or no breaks."""
    if value <= 0 or not breaks:
        return -1
    offset = len(SEQUENTIAL) - len(breaks)
    for k, bound in enumerate(breaks):
        if value <= bound:
            return k + offset
    return len(SEQUENTIAL) - 1


@cache
def department_shapes() -> dict[str, Any]:
    """Colombia's department outlines (``urna/core/geo/departments.json``, see its
    PROVENANCE.md): ``{"viewBox", "departments": {code: {"d", "centre", "inset"?}}}``."""
    return json.loads(GEO.read_text(encoding="utf-8"))


def choropleth_map(
    values: Mapping[str, float | None],
    *,
    names: Mapping[str, str],
    title: str,
    unit: str,
    hidden_label: str,
    none_label: str,
    credit: str,
) -> SafeString:
    """Colombia's departments coloured by ``values`` (DANE code → number; ``None`` for a
    suppressed figure, missing for none). Each department has a ``<title>`` with its name and
    figure (hover and screen readers); a legend gives the classes. Show the same figures in a
    table next to it."""
    geo = department_shapes()
    _x0, _y0, w, h = geo["viewBox"]
    legend_h = 24 * (len(SEQUENTIAL) + 2) + 30
    shown = {code: v for code, v in values.items() if v is not None}
    breaks = sequential_breaks(list(shown.values()))
    ranked = sorted(shown.items(), key=lambda item: -item[1])
    desc = _describe([(names.get(c, c), v) for c, v in ranked], unit)
    _uid, head = _open(w, h + legend_h, title, desc)
    parts = [head]
    for code, shape in geo["departments"].items():
        value = values.get(code, 0)
        name = names.get(code, code)
        if value is None:
            fill, figure = HIDDEN, hidden_label
        else:
            level = sequential_level(value, breaks)
            fill = NO_DATA if level < 0 else SEQUENTIAL[level]
            figure = f"{_n(value)} {unit}"
        if "inset" in shape:
            ix, iy, side = shape["inset"]
            parts.append(
                f'<rect x="{ix}" y="{iy}" width="{side}" height="{side}" fill="none" '
                f'stroke="{MUTED}" stroke-dasharray="3 2"/>'
            )
        parts.append(
            f'<path d="{shape["d"]}" fill="{fill}" stroke="{MUTED}" stroke-width="0.8" '
            f'data-code="{code}"><title>{escape(name)}: {escape(figure)}</title></path>'
        )
    parts.append(_map_legend(breaks, h + 16, unit, hidden_label, none_label, credit))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - only numbers and escaped text above


def _map_legend(
    breaks: Sequence[float], top: float, unit: str, hidden: str, none: str, credit: str
) -> str:
    offset = len(SEQUENTIAL) - len(breaks)
    rows: list[tuple[str, str]] = []
    low = 1.0
    for k, bound in enumerate(breaks):
        span = _n(bound) if bound == low else f"{_n(low)}–{_n(bound)}"
        rows.append((SEQUENTIAL[k + offset], f"{span} {unit}"))
        low = bound + 1
    rows += [(NO_DATA, none), (HIDDEN, hidden)]
    out = []
    for k, (colour, label) in enumerate(rows):
        y = top + k * 24
        out.append(
            f'<rect x="20" y="{y:.0f}" width="18" height="18" fill="{colour}" '
            f'stroke="{MUTED}" stroke-width="0.8"/>'
            f'<text x="46" y="{y + 14:.0f}" fill="{INK}" font-size="14">{escape(label)}</text>'
        )
    y = top + len(rows) * 24 + 14
    out.append(f'<text x="20" y="{y:.0f}" fill="{MUTED}" font-size="11">{escape(credit)}</text>')
    return "".join(out)
