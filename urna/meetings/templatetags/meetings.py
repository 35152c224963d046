"""``{% exercise_meetings exercise as meetings %}``: the exercise page lists its coming
meetings without the exercises app knowing about meetings (a template of this app is included
there)."""

from typing import Any

from django import template

from urna.meetings.selectors import meetings_of_exercise

register = template.Library()


@register.simple_tag
def exercise_meetings(exercise: Any) -> list:
    return meetings_of_exercise(exercise)
