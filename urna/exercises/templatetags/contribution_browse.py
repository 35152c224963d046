"""Tags for the pieces of the contributions' browsing shown on the exercise's own page (its
view belongs to ``views``): each article's latest comments and the search form."""

from typing import Any

from django import template

from urna.exercises.forms_browse import ContributionSearchForm
from urna.exercises.models import Article, Exercise
from urna.exercises.selectors_browse import article_comments_latest

register = template.Library()


@register.simple_tag
def article_latest_comments(exercise: Exercise, article: Article) -> list[dict[str, Any]]:
    """The article's latest published comments (cached with the exercise's counts)."""
    return article_comments_latest(exercise).get(article.pk, [])


@register.simple_tag
def contribution_search_form(exercise: Exercise) -> ContributionSearchForm:
    """The search box and order of the exercise's contributions (it submits to their list,
    which has every filter)."""
    return ContributionSearchForm(exercise=exercise, compact=True)
