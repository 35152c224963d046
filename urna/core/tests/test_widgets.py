"""Date fields render the ISO value a browser's ``<input type="date">`` accepts, in Spanish too
(``value="22/01/2027"`` left the "Prorrogar el plazo" field empty and blocked the form)."""

from datetime import date

import pytest
from django.utils import timezone, translation

from urna.channels.console.forms import SessionForm
from urna.exercises.models import Exercise
from urna.queries.forms import ExtendForm


@pytest.mark.parametrize("language", ["es", "en"])
def test_a_date_field_renders_and_reads_iso_dates(language):
    with translation.override(language):
        form = ExtendForm(initial={"new_due_date": date(2027, 1, 22)})
        html = str(form["new_due_date"])
        bound = ExtendForm(data={"new_due_date": "2027-01-22", "reason": "Falta información."})

        assert 'type="date"' in html
        assert 'value="2027-01-22"' in html
        assert bound.is_valid(), bound.errors
        assert bound.cleaned_data["new_due_date"] == date(2027, 1, 22)


def test_the_operator_console_date_is_iso_too(db):
    with translation.override("es"):
        html = str(SessionForm(exercises=Exercise.objects.none())["date"])

    assert f'value="{timezone.localdate().isoformat()}"' in html
