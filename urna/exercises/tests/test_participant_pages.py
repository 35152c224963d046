"""Supports' threshold and progress, the countdown, the participation map, "Mis aportes" and
following an exercise with a citizen's account in one click."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from urna.accounts.models import User
from urna.accounts.services import citizen_register
from urna.exercises import services
from urna.exercises.models import Exercise, ExerciseFollower
from urna.exercises.templatetags.exercise_countdown import countdown
from urna.exercises.tests.test_updates_pages import sent_code

pytestmark = pytest.mark.django_db


@pytest.fixture
def citizen():
    return citizen_register(password="clave-segura-2026", email="ana@example.org", consent=True)


def _submit(exercise, text, municipality=None, user=None, kind="opinion"):
    return services.contribution_submit(
        exercise=exercise,
        kind=kind,
        text=text,
        channel="web",
        municipality_code=municipality,
        user=user,
    ).contribution


def test_a_proposal_shows_its_progress_to_the_exercise_threshold(client, make_exercise, manager):
    exercise = make_exercise()
    services.exercise_update(exercise=exercise, by=manager, support_threshold=300)
    proposal = _submit(exercise, "Propuesta con umbral", kind="proposal")

    client.post(f"/ejercicios/{exercise.slug}/apoyar/{proposal.pk}/")
    html = client.get(exercise.get_absolute_url()).content.decode()

    assert "1 de 300 apoyos" in html
    assert (
        f'<progress class="support-progress" max="300" value="1" '
        f'aria-labelledby="apoyo-{proposal.pk}-n">' in html
    )


def test_an_exercise_with_a_threshold_says_so_and_links_its_ranking(client, make_exercise, manager):
    exercise = make_exercise()
    services.exercise_update(exercise=exercise, by=manager, support_threshold=300)
    first = _submit(exercise, "Propuesta con pocos apoyos", kind="proposal")
    second = _submit(exercise, "Propuesta con más apoyos", kind="proposal")
    client.post(f"/ejercicios/{exercise.slug}/apoyar/{second.pk}/")

    html = client.get(exercise.get_absolute_url()).content.decode()
    ranking = f"/ejercicios/{exercise.slug}/aportes/?tipo=proposal&amp;orden=apoyos#resultados"
    listed = client.get(ranking.replace("&amp;", "&")).content.decode()

    assert "Las propuestas que reúnan 300 apoyos serán estudiadas por la entidad." in html
    assert f'href="{ranking}"' in html
    assert listed.index(f'id="aporte-{second.pk}"') < listed.index(f'id="aporte-{first.pk}"')


def test_staff_set_the_support_threshold_before_and_while_open(client, make_exercise, manager):
    draft = make_exercise(status="draft")
    exercise = make_exercise(title="Ejercicio abierto con umbral")
    client.force_login(manager)

    assert (
        'name="support_threshold"'
        in client.get(f"/ejercicios/gestion/{draft.slug}/").content.decode()
    )
    response = client.post(
        f"/ejercicios/gestion/{exercise.slug}/umbral/", {"support_threshold": "250"}
    )
    refused = client.post(
        f"/ejercicios/gestion/{exercise.slug}/umbral/", {"support_threshold": "-3"}
    )

    exercise.refresh_from_db()
    assert response.status_code == 302
    assert refused.status_code == 302
    assert exercise.support_threshold == 250
    assert 'value="250"' in client.get(f"/ejercicios/gestion/{exercise.slug}/").content.decode()


@pytest.mark.parametrize(
    ("delta", "spanish", "english"),
    [
        (timedelta(days=12, hours=1), "Quedan 12 días", "12 days left"),
        (timedelta(days=1, hours=1), "Queda 1 día", "1 day left"),
        (timedelta(minutes=1), "Cierra hoy", "Closes today"),
    ],
)
def test_the_countdown_of_an_open_exercise(make_exercise, delta, spanish, english, monkeypatch):
    exercise = make_exercise()
    # Noon in Bogotá, so "today" and the closing day are unambiguous.
    noon = timezone.make_aware(timezone.datetime(2026, 12, 4, 12, 0))
    monkeypatch.setattr(timezone, "now", lambda: noon)
    exercise.opens_at = noon - timedelta(days=1)
    exercise.closes_at = noon + delta

    assert countdown(exercise) == spanish
    with translation.override("en"):
        assert countdown(exercise) == english


def test_the_list_of_exercises_counts_down_the_open_ones(client, make_exercise):
    make_exercise(days=10)

    html = client.get("/ejercicios/").content.decode()

    assert "Quedan 10 días" in html or "Quedan 9 días" in html


def test_no_countdown_once_closed(make_exercise):
    assert countdown(make_exercise(status="analysis")) == ""


def test_the_exercise_page_says_how_many_days_are_left(client, make_exercise):
    exercise = make_exercise(days=10)

    html = client.get(exercise.get_absolute_url()).content.decode()

    assert "Quedan 10 días" in html or "Quedan 9 días" in html


def test_the_participation_map_counts_published_contributions_and_hides_small_ones(
    client, make_exercise, divipola
):
    exercise = make_exercise()
    for n in range(6):
        _submit(exercise, f"Opinión desde Manizales {n}", municipality="17001")
    for n in range(2):
        _submit(exercise, f"Opinión desde Medellín {n}", municipality="05001")
    _submit(exercise, "Opinión sin municipio")

    html = client.get(exercise.get_absolute_url()).content.decode()

    assert "Participación por departamento" in html
    assert '<svg xmlns="http://www.w3.org/2000/svg" role="img"' in html
    table = html[html.index("<caption>Aportes publicados por departamento") :]
    table = table[: table.index("</table>")]
    assert '<th scope="row">Caldas</th><td class="num">6</td>' in table
    assert '<th scope="row">Antioquia</th><td class="num">&lt; 5</td>' in table
    assert "1 aporte no indica municipio." in html


def test_my_contributions_lists_what_the_account_sent_supported_and_follows(
    client, make_exercise, citizen
):
    exercise = make_exercise()
    mine = _submit(exercise, "Mi propuesta para el agro", user=citizen, kind="proposal")
    other = _submit(exercise, "Propuesta de otra persona", kind="proposal")
    client.force_login(citizen)
    client.post(f"/ejercicios/{exercise.slug}/apoyar/{other.pk}/")

    # One click sends a code to the account's address (never verified at sign-up): nobody
    # subscribes someone else's inbox by signing up with it.
    follow = client.post(f"/ejercicios/{exercise.slug}/seguir/cuenta/")
    assert follow.status_code == 302
    assert follow["Location"] == f"/ejercicios/{exercise.slug}/seguir/codigo/"
    assert not ExerciseFollower.objects.exists()
    client.post(follow["Location"], {"code": sent_code(client, "ana@example.org")})
    page = client.get("/ejercicios/mis-aportes/")

    assert ExerciseFollower.objects.filter(
        exercise=exercise, contact__email="ana@example.org"
    ).exists()
    html = page.content.decode()
    assert page.status_code == 200
    assert mine.receipt in html
    assert "Mi propuesta para el agro" in html
    assert "Propuesta de otra persona" in html  # supported
    assert f'href="{exercise.get_absolute_url()}"' in html  # followed
    assert "Usted sigue este ejercicio" in client.get(exercise.get_absolute_url()).content.decode()
    # Linked from the footer of every page and from the account's page.
    account_page = client.get("/cuenta/mis-datos/").content.decode()
    assert account_page.count('href="/ejercicios/mis-aportes/"') == 2


def test_my_contributions_needs_a_citizen_account(client, manager):
    assert client.get("/ejercicios/mis-aportes/").status_code == 302
    client.force_login(manager)
    response = client.get("/ejercicios/mis-aportes/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "Esta página es para las cuentas ciudadanas: ningún rol del equipo la abre." in page
    assert "pida el rol" not in page


def test_an_exercise_cannot_take_the_slug_of_my_contributions(make_exercise):
    exercise = make_exercise(title="Mis aportes")
    assert exercise.slug != "mis-aportes"
    assert Exercise.objects.filter(slug="mis-aportes").count() == 0


def test_the_demo_shows_thresholds_and_a_citizen_with_contributions(client, national_entities):
    from io import StringIO

    from urna.accounts.demo import demo_load as accounts_demo
    from urna.entities.demo import demo_load as entities_demo
    from urna.exercises.demo import demo_load
    from urna.exercises.demo_participation import DEMO_CITIZEN

    out = StringIO()
    entities_demo(stdout=out)
    accounts_demo(stdout=out)
    demo_load(stdout=out)
    demo_load(stdout=out)  # idempotent

    pact = Exercise.objects.get(slug="pacto-agrario")
    assert pact.support_threshold == 100
    assert pact.contributions.filter(support_count__gt=100).count() == 1
    citizen = User.objects.get(username=DEMO_CITIZEN)
    client.force_login(citizen)
    html = client.get("/ejercicios/mis-aportes/").content.decode()
    assert html.count("/r/UC-") == 3 and html.count("/r/PQ-") == 1
    assert "Propuestas que apoyé" in html and "Pacto" in html
    assert "de 100 apoyos" in client.get(pact.get_absolute_url()).content.decode()
