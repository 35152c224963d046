"""How a figure of the indicators reads on a page: grouped thousands, one decimal for percents
and days, a dash for a figure that does not exist."""

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def figure(value, unit: str = "count") -> str:
    if value is None or value == "":
        return "—"
    value = float(value)
    whole = value == int(value)
    decimals = 0 if whole or unit == "count" else (1 if unit in ("percent", "days") else 2)
    text = number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True)
    return f"{text} %" if unit == "percent" else text


@register.filter
def get_value(mapping, key):
    """``mapping[key]``, 0 when missing (a channel with no figure for that indicator)."""
    return mapping.get(key, 0) if hasattr(mapping, "get") else None
