"""The opinion map: a server-side SVG of the placed participants (one mark per person, sampled
above ``recompute.MAP_POINTS``) and of each group's ellipse and letter.

It follows ``urna.core.charts``: ``<svg role="img">`` named by a ``<title>`` and a ``<desc>``
that says the groups in words, the Okabe-Ito colours, and the page beside it gives the same
figures in a table. Groups differ by shape as well as colour (circle, square, triangle, diamond,
cross), so no one needs to tell colours apart.
"""

import itertools
from collections.abc import Sequence
from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from urna.core.charts import FONT, GRID, INK, MUTED, SERIES

_ids = itertools.count(1)
WIDTH, HEIGHT, PAD = 360, 300, 18


def _marker(shape: int, x: float, y: float, colour: str) -> str:
    r = 2.6
    if shape == 1:
        return (
            f'<rect x="{x - r:.1f}" y="{y - r:.1f}" width="{2 * r}" height="{2 * r}" '
            f'fill="{colour}"/>'
        )
    if shape == 2:
        return (
            f'<path d="M{x:.1f} {y - r - 0.6:.1f}L{x + r + 0.4:.1f} {y + r:.1f}'
            f'H{x - r - 0.4:.1f}Z" fill="{colour}"/>'
        )
    if shape == 3:
        return (
            f'<path d="M{x:.1f} {y - r - 0.8:.1f}L{x + r + 0.8:.1f} {y:.1f}'
            f'L{x:.1f} {y + r + 0.8:.1f}L{x - r - 0.8:.1f} {y:.1f}Z" fill="{colour}"/>'
        )
    if shape == 4:
        return (
            f'<path d="M{x - r:.1f} {y:.1f}H{x + r:.1f}M{x:.1f} {y - r:.1f}V{y + r:.1f}" '
            f'stroke="{colour}" stroke-width="1.8"/>'
        )
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r}" fill="{colour}"/>'


def opinion_map(
    points: Sequence[Sequence[float]],
    groups: Sequence[dict],
    *,
    title: str,
    desc: str,
    letters: str = "ABCDE",
) -> SafeString:
    """``points`` are ``[x, y, group]``; ``groups`` the stored groups (``ellipse``, ``id``)."""
    xs = [p[0] for p in points] or [0.0]
    ys = [p[1] for p in points] or [0.0]
    for g in groups:
        e = g["ellipse"]
        reach = max(e["rx"], e["ry"])
        xs += [e["cx"] - reach, e["cx"] + reach]
        ys += [e["cy"] - reach, e["cy"] + reach]
    span = max(max(xs) - min(xs), max(ys) - min(ys), 1e-9)
    scale = min(WIDTH, HEIGHT) - 2 * PAD
    scale = min((WIDTH - 2 * PAD) / span, (HEIGHT - 2 * PAD) / span) if span else scale
    mid_x, mid_y = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2

    def at(x: float, y: float) -> tuple[float, float]:
        return WIDTH / 2 + (x - mid_x) * scale, HEIGHT / 2 - (y - mid_y) * scale

    uid = f"omap{next(_ids)}"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="chart opinion-map" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" aria-labelledby="{uid}-t {uid}-d" '
        f'font-family="{FONT}" font-size="13">'
        f'<title id="{uid}-t">{escape(title)}</title><desc id="{uid}-d">{escape(desc)}</desc>'
        f'<rect x="0.5" y="0.5" width="{WIDTH - 1}" height="{HEIGHT - 1}" fill="#fff" '
        f'stroke="{GRID}"/>'
    ]
    cx, cy = at(0, 0)
    parts.append(
        f'<path d="M{PAD} {cy:.1f}H{WIDTH - PAD}M{cx:.1f} {PAD}V{HEIGHT - PAD}" '
        f'stroke="{GRID}" stroke-dasharray="3 3"/>'
    )
    for g in groups:
        e = g["ellipse"]
        x, y = at(e["cx"], e["cy"])
        colour = SERIES[g["id"] % len(SERIES)]
        parts.append(
            f'<ellipse cx="{x:.1f}" cy="{y:.1f}" rx="{max(e["rx"] * scale, 6):.1f}" '
            f'ry="{max(e["ry"] * scale, 6):.1f}" '
            f'transform="rotate({-e["angle"]:.1f} {x:.1f} {y:.1f})" '
            f'fill="{colour}" fill-opacity="0.08" stroke="{colour}" stroke-width="1.5"/>'
        )
    for px, py, g in points:
        x, y = at(px, py)
        parts.append(_marker(int(g) % 5, x, y, SERIES[int(g) % len(SERIES)]))
    for g in groups:
        x, y = at(g["ellipse"]["cx"], g["ellipse"]["cy"])
        label = escape(_("Grupo %(letter)s") % {"letter": letters[g["id"]]})
        parts.append(
            f'<text x="{x:.1f}" y="{y + 5:.1f}" text-anchor="middle" font-weight="bold" '
            f'fill="{INK}" stroke="#fff" stroke-width="4" paint-order="stroke">{label}</text>'
        )
    if not points:
        parts.append(
            f'<text x="{WIDTH / 2}" y="{HEIGHT / 2}" text-anchor="middle" fill="{MUTED}">'
            f"{escape(_('Aún no hay participantes ubicados.'))}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - numbers and escaped text only
