"""The SVG chart helpers of urna.core.charts the analyst's charts use, and the department
geometry they draw (urna/core/geo)."""

import importlib.util
import json
import xml.etree.ElementTree as ET
from datetime import date, timedelta

from urna.core import charts

SVG = "{http://www.w3.org/2000/svg}"
GEO = charts.GEO.parent


def test_stacked_columns_are_valid_svg_with_a_legend_and_the_others_in_grey():
    days = [date(2026, 3, 1) + timedelta(days=n) for n in range(3)]
    series = [("Vías <y puentes>", [3, 0, 5]), ("Salud", [1, 2, 0]), ("Otros", [4, 4, 4])]

    svg = ET.fromstring(
        str(charts.stacked_column_chart(days, series, title="T", desc="D", legend_others="Otros"))
    )

    assert svg.find(f"{SVG}title").text == "T" and svg.find(f"{SVG}desc").text == "D"
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    assert "Vías <y puentes>" in texts  # escaped in the markup, intact once parsed
    fills = [r.get("fill") for r in svg.iter(f"{SVG}rect")]
    assert fills.count(charts.OTHERS) == 3 + 1  # three columns and the legend swatch
    assert fills.count(charts.SERIES[0]) == 2 + 1  # the zero segment is not drawn


def test_linked_bars_wrap_each_row_in_a_link():
    svg = ET.fromstring(
        str(charts.bar_chart([("a", 3), ("b", 1)], title="T", hrefs=["/x/1/", "/x/2/"]))
    )

    assert [a.get("href") for a in svg.iter(f"{SVG}a")] == ["/x/1/", "/x/2/"]


def test_sequential_classes_spread_a_skewed_distribution():
    values = [1, 2, 3, 5, 8, 13, 21, 34, 55, 5000]

    breaks = charts.sequential_breaks(values)

    assert breaks == sorted(set(breaks)) and breaks[-1] == 5000
    assert len(breaks) == len(charts.SEQUENTIAL)
    assert charts.sequential_level(1, breaks) == 0
    assert charts.sequential_level(5000, breaks) == len(charts.SEQUENTIAL) - 1
    assert charts.sequential_level(0, breaks) == -1
    assert charts.sequential_breaks([0, 0]) == []


def test_the_committed_geometry_is_what_the_build_script_makes():
    spec = importlib.util.spec_from_file_location("build_departments", GEO / "build_departments.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)

    rebuilt = build.build((GEO / "source_svgmaps.txt").read_text(encoding="utf-8"))

    assert rebuilt == json.loads((GEO / "departments.json").read_text(encoding="utf-8"))
    assert len(rebuilt["departments"]) == 33
    sizes = [len(d["d"]) for d in rebuilt["departments"].values()]
    assert max(sizes) <= 3000  # simplified: at most ~3 KB a department


def test_a_mistyped_source_ring_is_refused():
    spec = importlib.util.spec_from_file_location("build_departments", GEO / "build_departments.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)

    assert build.closing_gap(build.parse_rings("m 0,0 10,0 0,10 -10,0 z")[0]) == 10
    line = "ama|Amazonas|m 0,0 100,0 0,100 z"
    try:
        build.build(line)
    except SystemExit as error:
        assert "ama" in str(error)
    else:
        raise AssertionError("a ring ending far from its start must stop the build")
