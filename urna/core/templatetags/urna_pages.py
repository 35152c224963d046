"""Numbered pagination for every list (``core/_pagination.html``)."""

from django import template
from django.core.paginator import Page, Paginator

register = template.Library()


@register.simple_tag
def page_links(page: Page, on_each_side: int = 2, on_ends: int = 2) -> list[int | None]:
    """The page numbers to link around ``page``, None where a run is left out:
    1 2 3 … 155 156 on the first of 156 pages, 1 2 … 48 49 50 51 52 … 155 156 on the 50th."""
    return [
        None if number == Paginator.ELLIPSIS else number
        for number in page.paginator.get_elided_page_range(
            page.number, on_each_side=on_each_side, on_ends=on_ends
        )
    ]
