"""Template filters that read the queries workflow instead of restating its states."""

from datetime import date

from django import template

from urna.queries.models import Query

register = template.Library()


@register.filter
def overdue(query: Query, today: date) -> bool:
    """``{% if q|overdue:today %}``: the term runs and its due date has passed."""
    return query.is_overdue(today)
