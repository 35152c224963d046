"""Public pages: the list with its filters, and the exercise page listing its meetings."""

import pytest

from urna.meetings.tests.conftest import move_to_past

pytestmark = pytest.mark.django_db


def test_the_list_filters_upcoming_past_municipality_and_entity(client, make_meeting):
    soon = make_meeting(title="Taller de riego")
    online = make_meeting(
        title="Charla en línea", mode="online", video_url="https://meet.example/x"
    )
    past = move_to_past(make_meeting(title="Encuentro pasado"))
    draft = make_meeting(title="Borrador oculto", publish=False)

    upcoming = client.get("/encuentros/").content.decode()
    held = client.get("/encuentros/?cuando=pasados").content.decode()
    manizales = client.get("/encuentros/?municipio=17001").content.decode()
    other_entity = client.get("/encuentros/?entidad=no-existe").content.decode()

    assert soon.title in upcoming and online.title in upcoming and past.title not in upcoming
    assert past.title in held and soon.title not in held
    assert soon.title in manizales and online.title not in manizales
    assert soon.title not in other_entity
    assert draft.title not in upcoming + held
    assert (
        "https://meet.example/x" not in client.get(f"/encuentros/{online.slug}/").content.decode()
    )
    assert 'href="/encuentros/"' in client.get("/").content.decode()  # every page's footer


def test_the_exercise_page_lists_its_coming_meetings(client, make_meeting, exercise):
    meeting = make_meeting(title="Taller del pacto agrario", exercise_slug=exercise.slug)
    make_meeting(title="Otro taller sin ejercicio")

    page = client.get(f"/ejercicios/{exercise.slug}/").content.decode()

    assert meeting.title in page and meeting.get_absolute_url() in page
    assert "Otro taller sin ejercicio" not in page


def test_the_demo_has_two_coming_meetings_and_one_past_with_minutes(national_entities):
    from io import StringIO

    from urna.entities.demo import demo_load as entities_demo
    from urna.meetings.demo import demo_load
    from urna.meetings.models import Meeting

    out = StringIO()
    entities_demo(stdout=out)
    demo_load(stdout=out)
    demo_load(stdout=out)

    coming = Meeting.objects.published().upcoming()
    past = Meeting.objects.published().past()
    assert coming.count() == 2 and past.count() == 1
    assert past.get().minutes_html.startswith("<h2>")
    assert past.get().registrations.filter(attended=True).count() == 25


def test_the_demo_explains_the_pacto_agrario(client, national_entities, exercise):
    from io import StringIO

    from urna.exercises.models import Exercise
    from urna.meetings.demo import demo_load

    Exercise.objects.filter(pk=exercise.pk).update(slug="pacto-agrario")
    demo_load(stdout=StringIO())

    page = client.get("/ejercicios/pacto-agrario/que-cambia/").content.decode()
    assert "<strong>Crédito:</strong>" in page and "Para quién" in page
