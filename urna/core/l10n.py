"""Dates and numbers in text that Python writes (messages, PDFs, chart labels), in the active
language's one format (urna/core/formats): "13 de noviembre de 2026" / "13 November 2026",
"108.739" / "108,739". Templates use ``|date:"DATE_FORMAT"`` and ``|intcomma`` instead."""

from datetime import date, datetime

from django.utils import formats, timezone


def date_text(value: date | datetime, *, short: bool = False) -> str:
    """``value`` (a datetime is taken in Colombia's time) as DATE_FORMAT; ``short`` where room
    is scarce (chart axes): SHORT_DATE_FORMAT, "13 nov 2026"."""
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return formats.date_format(value, "SHORT_DATE_FORMAT" if short else "DATE_FORMAT")


def number_text(value: int | float, decimals: int | None = None) -> str:
    """``value`` with the language's thousands separator (always grouped, unlike
    ``USE_THOUSAND_SEPARATOR``, which stays off so ids and URLs are never grouped)."""
    return formats.number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True)
