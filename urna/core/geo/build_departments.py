"""Build ``departments.json`` (Colombia's departments as simplified SVG outlines) from the
svg-maps source kept next to this script. See PROVENANCE.md for the source and its licence.

    .venv/bin/python urna/core/geo/build_departments.py            # rewrite departments.json
    .venv/bin/python urna/core/geo/build_departments.py --check    # exit 1 if it would change

Steps: parse each department's SVG path (relative ``m``/``l`` moves, several rings), make it
absolute, check every ring closes near where it started (a mistyped number in a relative path
would throw the rest of the ring off), simplify every ring with Douglas-Peucker, drop the rings
that shrink to nothing, key the result by the DANE two-digit department code (the codes of
``urna/territory``'s DIVIPOLA data) and place San Andrés y Providencia, which the source draws
as a dot in the top-left corner, enlarged in an inset box.
"""

from __future__ import annotations

import json
import math
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "source_svgmaps.txt"
OUTPUT = HERE / "departments.json"

# svg-maps id → DANE department code (DIVIPOLA).
CODES = {
    "ant": "05", "atl": "08", "dc": "11", "bol": "13", "boy": "15", "cal": "17", "caq": "18",
    "cau": "19", "ces": "20", "cor": "23", "cun": "25", "cho": "27", "hui": "41", "lag": "44",
    "mag": "47", "met": "50", "nar": "52", "nsa": "54", "qui": "63", "ris": "66", "san": "68",
    "suc": "70", "tol": "73", "vac": "76", "ara": "81", "cas": "85", "put": "86", "sap": "88",
    "ama": "91", "gua": "94", "guv": "95", "vau": "97", "vid": "99",
}  # fmt: skip
TOLERANCE = 0.5  # SVG units of the 613 × 694 source viewBox (about 1.5 km)
MAX_CLOSING_GAP = 25.0  # a ring whose end is further than this from its start was mistyped
ISLANDS = "88"
INSET = (14.0, 14.0, 40.0)  # x, y and side of the San Andrés inset box
VIEWBOX = (0, 0, 613, 694)
_TOKEN = re.compile(r"[mlzMLZ]|-?\d+(?:\.\d+)?")


def parse_rings(path: str) -> list[list[tuple[float, float]]]:
    """The rings of an SVG path made of ``m``/``l`` (relative or absolute) and ``z``."""
    tokens = _TOKEN.findall(path)
    rings: list[list[tuple[float, float]]] = []
    x = y = 0.0
    command = ""
    ring: list[tuple[float, float]] = []
    i = 0
    while i < len(tokens):
        item = tokens[i]
        if item in "mlzMLZ":
            if item in "zZ":
                if ring:
                    rings.append(ring)
                    x, y = ring[0]
                ring = []
            command = item
            i += 1
            continue
        dx, dy = float(item), float(tokens[i + 1])
        i += 2
        relative = command.islower()
        x, y = (x + dx, y + dy) if relative else (dx, dy)
        if command in "mM" and ring:
            rings.append(ring)
            ring = []
        ring.append((x, y))
        if command in "mM":
            command = "l" if relative else "L"  # implicit lineto after a moveto
    if ring:
        rings.append(ring)
    return rings


def closing_gap(ring: list[tuple[float, float]]) -> float:
    return math.dist(ring[0], ring[-1])


Point = tuple[float, float]


def douglas_peucker(points: list[Point], tolerance: float) -> list[Point]:
    """Ramer-Douglas-Peucker, iterative; the first and last points are kept."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        start, end = stack.pop()
        (ax, ay), (bx, by) = points[start], points[end]
        length = math.hypot(bx - ax, by - ay)
        worst, index = -1.0, -1
        for k in range(start + 1, end):
            px, py = points[k]
            if length == 0:
                distance = math.hypot(px - ax, py - ay)
            else:
                distance = abs((by - ay) * px - (bx - ax) * py + bx * ay - by * ax) / length
            if distance > worst:
                worst, index = distance, k
        if worst > tolerance:
            keep[index] = True
            stack += [(start, index), (index, end)]
    return [p for p, kept in zip(points, keep, strict=True) if kept]


def area(ring: list[tuple[float, float]]) -> float:
    return (
        abs(
            sum(
                x1 * y2 - x2 * y1
                for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True)
            )
        )
        / 2
    )


def _inset(rings: list[list[tuple[float, float]]]) -> list[list[tuple[float, float]]]:
    xs = [x for ring in rings for x, _ in ring]
    ys = [y for ring in rings for _, y in ring]
    left, top, side = INSET
    scale = (side - 8) / max(max(xs) - min(xs), max(ys) - min(ys))
    return [
        [(left + 4 + (x - min(xs)) * scale, top + 4 + (y - min(ys)) * scale) for x, y in ring]
        for ring in rings
    ]


def _path(rings: list[list[tuple[float, float]]]) -> str:
    def num(v: float) -> str:
        return f"{v:.1f}".rstrip("0").rstrip(".")

    return "".join("M" + "L".join(f"{num(x)} {num(y)}" for x, y in ring) + "Z" for ring in rings)


def build(text: str) -> dict:
    departments: dict[str, dict] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        source_id, name, path = line.split("|", 2)
        code = CODES[source_id]
        rings = parse_rings(path)
        for ring in rings:
            gap = closing_gap(ring)
            if gap > MAX_CLOSING_GAP:
                raise SystemExit(f"{source_id}: a ring ends {gap:.1f} units from its start")
        if code == ISLANDS:
            rings = _inset(rings)
            simplified = rings
        else:
            simplified = [douglas_peucker(r, TOLERANCE) for r in rings]
            simplified = [r for r in simplified if len(r) >= 3 and area(r) > 1.0]
        xs = [x for ring in simplified for x, _ in ring]
        ys = [y for ring in simplified for _, y in ring]
        departments[code] = {
            "source_name": name,
            "d": _path(simplified),
            # Where a label or marker goes: the centre of the outline's bounding box.
            "centre": [round((min(xs) + max(xs)) / 2, 1), round((min(ys) + max(ys)) / 2, 1)],
            **({"inset": list(INSET)} if code == ISLANDS else {}),
        }
    if set(departments) != set(CODES.values()):
        raise SystemExit(f"missing departments: {sorted(set(CODES.values()) - set(departments))}")
    return {
        "viewBox": list(VIEWBOX),
        "source": "svg-maps/colombia (CC BY 4.0, based on MapSVG); see PROVENANCE.md",
        "departments": dict(sorted(departments.items())),
    }


def main(argv: list[str]) -> int:
    data = build(SOURCE.read_text(encoding="utf-8"))
    out = json.dumps(data, ensure_ascii=False, separators=(",", ":"), indent=None) + "\n"
    if "--check" in argv:
        return 0 if OUTPUT.exists() and OUTPUT.read_text(encoding="utf-8") == out else 1
    OUTPUT.write_text(out, encoding="utf-8")
    sizes = sorted((len(v["d"]), k) for k, v in data["departments"].items())
    print(
        f"{OUTPUT.name}: {len(out):,} bytes, {len(sizes)} departments, path sizes "
        f"{sizes[0][0]}–{sizes[-1][0]} bytes (smallest {sizes[0][1]}, largest {sizes[-1][1]})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
