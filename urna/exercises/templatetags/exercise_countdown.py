"""``{{ exercise|countdown }}``: the days an open exercise has left, in the reader's language
("Quedan 12 días", "Queda 1 día", "Cierra hoy"), counted in calendar days of Colombia's time
zone up to the closing date; empty when it is not open or has no closing date."""

from datetime import timedelta

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from urna.exercises.models import Exercise

register = template.Library()


def days_left(exercise: Exercise) -> int | None:
    """Calendar days from today to the closing day (0: it closes today); None when the exercise
    is not open now or never closes. A closing at midnight ends the day before."""
    if not exercise.is_open or exercise.closes_at is None:
        return None
    closing = timezone.localtime(exercise.closes_at - timedelta(microseconds=1)).date()
    return (closing - timezone.localdate()).days


@register.filter
def countdown(exercise: Exercise) -> str:
    days = days_left(exercise)
    if days is None:
        return ""
    if days <= 0:
        return _("Cierra hoy")
    return ngettext("Queda %(n)s día", "Quedan %(n)s días", days) % {"n": days}
