"""The report's SVG charts: the generic helpers live in ``urna.core.charts`` (the analyst's
workspace draws with them too); reports keep importing them from here."""

from urna.core.charts import bar_chart, column_chart

__all__ = ["bar_chart", "column_chart"]
