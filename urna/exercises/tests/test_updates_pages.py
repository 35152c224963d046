"""The pages of "¿Qué pasó después?": the public timeline (phases, results, published updates with
their documents; never drafts), its Atom feed, following and unfollowing with a code sent to the
address, and the staff pages of updates scoped to the exercise's entity."""

import re
from xml.etree import ElementTree

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from urna.accounts.models import Role
from urna.contacts.services import rights_code
from urna.core.tests.a11y import duplicate_ids, unlabelled_fields
from urna.exercises import services
from urna.exercises.models import (
    Contribution,
    ContributionResponse,
    ExerciseFollower,
    ExerciseUpdate,
    ExerciseUpdateDocument,
)
from urna.exercises.timeline_views import FOLLOW_KEY
from urna.messaging.models import OutboundMessage

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def published(make_exercise, manager):
    """An exercise with its results published, a published update with a PDF, and a draft."""
    exercise = make_exercise(status="open", title="Pacto agrario con novedades")
    contribution = services.contribution_submit(
        exercise=exercise, kind="opinion", text="Vías terciarias ya", channel="web"
    ).contribution
    services.exercise_transition(exercise=exercise, to="analysis", by=manager)
    ContributionResponse.objects.create(
        contribution=contribution, decision="accepted", reason="Se incluye."
    )
    services.exercise_transition(exercise=exercise, to="results", by=manager)
    update = services.update_create(
        exercise=exercise,
        by=manager,
        kind="act",
        title="Se expidió el Decreto 123",
        body="Recoge las propuestas de [la consulta](https://example.gov.co/consulta).",
    )
    services.update_document_attach(
        update=update,
        by=manager,
        title="Texto del decreto",
        upload=SimpleUploadedFile("decreto.pdf", PDF, content_type="application/pdf"),
    )
    services.update_publish(update=update, by=manager)
    services.update_create(
        exercise=exercise, by=manager, kind="other", title="Borrador secreto de la entidad"
    )
    return exercise


def timeline_items(html: str) -> list[str]:
    section = html[html.index('id="que-paso"') :]
    section = section[: section.index("</ol>")]
    return re.findall(r'<li class="timeline-(\w+)"', section)


@pytest.mark.parametrize("suffix", ["", "seguimiento/"])
def test_the_timeline_shows_phases_results_and_published_updates_in_order(
    client, published, suffix
):
    response = client.get(f"/ejercicios/{published.slug}/{suffix}")

    html = response.content.decode()
    assert response.status_code == 200
    assert timeline_items(html) == ["phase", "phase", "results", "update"]
    assert "¿Qué pasó después?" in html
    assert "Se abrió la participación" in html
    assert "Cerró la participación" in html
    assert "Aceptado: 1" in html
    assert "Se expidió el Decreto 123" in html
    assert 'href="https://example.gov.co/consulta"' in html
    document = ExerciseUpdateDocument.objects.get()
    assert f'href="{document.file.url}"' in html and "Texto del decreto" in html
    assert "(PDF," in html
    assert len(re.findall(r'<time datetime="\d{4}-\d\d-\d\dT', html)) >= 4
    assert "Borrador secreto" not in html
    assert f'action="/ejercicios/{published.slug}/seguir/"' in html


def test_the_document_is_stored_under_media_and_served_by_its_url(client, published, settings):
    document = ExerciseUpdateDocument.objects.get()
    assert document.file.url.startswith("/media/ejercicios/novedades/")
    assert (settings.MEDIA_ROOT / document.file.name).read_bytes() == PDF


def test_the_atom_feed_lists_published_updates_only(client, published):
    response = client.get(f"/ejercicios/{published.slug}/seguimiento.atom")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ElementTree.fromstring(response.content)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    titles = [e.text for e in feed.findall("a:entry/a:title", ns)]
    assert titles == ["Se expidió el Decreto 123"]


def test_a_draft_exercise_has_no_public_timeline(client, make_exercise):
    exercise = make_exercise(status="draft")
    assert client.get(f"/ejercicios/{exercise.slug}/seguimiento/").status_code == 404
    assert client.post(f"/ejercicios/{exercise.slug}/seguir/", {}).status_code == 404


def sent_code(client, address: str) -> str:
    pending = client.session[FOLLOW_KEY]
    assert pending["address"] == address
    return rights_code(address, pending["nonce"])


def test_following_needs_the_code_sent_to_the_address(client, make_exercise):
    exercise = make_exercise(status="open")

    asked = client.post(
        f"/ejercicios/{exercise.slug}/seguir/",
        {"address": "300 555 0001", "whatsapp": "on", "consent": "on"},
    )

    assert asked.status_code == 302
    assert asked["Location"] == f"/ejercicios/{exercise.slug}/seguir/codigo/"
    code_message = OutboundMessage.objects.get()
    assert (code_message.channel, code_message.to) == ("sms", "+573005550001")
    code = sent_code(client, "+573005550001")
    assert code in code_message.body
    assert not ExerciseFollower.objects.exists()  # not before the code

    wrong = client.post(asked["Location"], {"code": "000000" if code != "000000" else "111111"})
    assert wrong.status_code == 422
    assert not ExerciseFollower.objects.exists()

    done = client.post(asked["Location"], {"code": code})

    assert done.status_code == 200
    assert "Listo: sigue este ejercicio" in done.content.decode()
    follower = ExerciseFollower.objects.select_related("contact").get()
    assert (follower.exercise_id, follower.contact.phone, follower.channel) == (
        exercise.pk,
        "+573005550001",
        "whatsapp",
    )
    assert FOLLOW_KEY not in client.session


def test_following_without_consent_sends_no_code(client, make_exercise):
    exercise = make_exercise(status="open")

    response = client.post(f"/ejercicios/{exercise.slug}/seguir/", {"address": "a@example.org"})

    assert response.status_code == 400
    assert "Este campo es obligatorio" in response.content.decode()
    assert not OutboundMessage.objects.exists()


def test_unfollowing_from_the_page_with_the_code(client, make_exercise):
    exercise = make_exercise(status="open")
    services.exercise_follow(exercise=exercise, address="sigo@example.org", channel="email")

    asked = client.post(
        f"/ejercicios/{exercise.slug}/dejar-de-seguir/", {"address": "Sigo@Example.org"}
    )
    code = sent_code(client, "sigo@example.org")
    done = client.post(asked["Location"], {"code": code})

    assert "ya no sigue este ejercicio" in done.content.decode()
    assert ExerciseFollower.objects.get().stopped_at is not None


@pytest.fixture
def outsider(education, make_staff):
    return make_staff(education, Role.MANAGER, username="gestor.educacion")


def test_staff_of_another_entity_cannot_see_or_post_updates(client, published, outsider):
    update = ExerciseUpdate.objects.get(published_at__isnull=True)
    client.force_login(outsider)
    base = f"/ejercicios/gestion/{published.slug}/novedades/"

    responses = [
        client.get(base),
        client.post(base, {"kind": "other", "title": "Novedad ajena", "publish": "on"}),
        client.get(f"{base}{update.pk}/"),
        client.post(f"{base}{update.pk}/publicar/"),
    ]

    assert [r.status_code for r in responses] == [404, 404, 404, 404]
    assert ExerciseUpdate.objects.count() == 2
    assert ExerciseUpdate.objects.get(pk=update.pk).published_at is None


def test_an_analyst_of_the_entity_sees_updates_but_cannot_post(
    client, published, make_staff, agriculture
):
    analyst = make_staff(agriculture, Role.ANALYST, username="analista")
    client.force_login(analyst)
    base = f"/ejercicios/gestion/{published.slug}/novedades/"

    page = client.get(base)
    post = client.post(base, {"kind": "other", "title": "Novedad de analista"})

    assert page.status_code == 200 and "Nueva novedad" not in page.content.decode()
    assert post.status_code == 403
    assert ExerciseUpdate.objects.count() == 2


def test_a_manager_posts_an_update_with_a_document_and_publishes_it(client, published, manager):
    client.force_login(manager)
    base = f"/ejercicios/gestion/{published.slug}/novedades/"

    response = client.post(
        base,
        {
            "kind": "decision",
            "title": "Se decidió priorizar las vías terciarias",
            "body": "Ver el acta.",
            "document_title": "Acta del comité",
            "document": SimpleUploadedFile("acta.pdf", PDF, content_type="application/pdf"),
            "publish": "on",
        },
    )

    assert response.status_code == 302
    update = ExerciseUpdate.objects.get(title="Se decidió priorizar las vías terciarias")
    assert update.published_at is not None
    assert list(update.documents.values_list("title", "file_type")) == [("Acta del comité", "pdf")]
    timeline = client.get(f"/ejercicios/{published.slug}/seguimiento/").content.decode()
    assert timeline_items(timeline) == ["phase", "phase", "results", "update", "update"]
    assert "Acta del comité" in timeline


def test_a_wrong_document_leaves_no_half_written_update(client, published, manager):
    client.force_login(manager)

    response = client.post(
        f"/ejercicios/gestion/{published.slug}/novedades/",
        {
            "kind": "decision",
            "title": "Con un archivo que no es PDF",
            "document": SimpleUploadedFile("acta.pdf", b"no soy un pdf"),
            "publish": "on",
        },
    )

    assert response.status_code == 422
    assert "Sólo se aceptan documentos PDF" in response.content.decode()
    assert not ExerciseUpdate.objects.filter(title="Con un archivo que no es PDF").exists()


def test_the_timeline_reads_in_a_fixed_number_of_queries(
    client, published, django_assert_max_num_queries
):
    for n in range(5):
        services.update_create(
            exercise=published,
            by=published.created_by,
            kind="other",
            title=f"Novedad número {n}",
            publish=True,
        )
    with django_assert_max_num_queries(12):
        response = client.get(f"/ejercicios/{published.slug}/seguimiento/")
    assert timeline_items(response.content.decode()).count("update") == 6
    assert Contribution.objects.count() == 1


def test_the_timeline_and_follow_forms_are_accessible(client, published):
    for url in (published.get_absolute_url(), f"/ejercicios/{published.slug}/seguimiento/"):
        html = client.get(url).content.decode()
        assert unlabelled_fields(html) == []
        assert duplicate_ids(html) == []
        assert '<ol class="timeline">' in html


def test_the_timeline_in_english_is_in_english(client, settings, published):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    html = client.get(f"/ejercicios/{published.slug}/seguimiento/").content.decode()

    assert "What happened next?" in html and "Subscribe to the updates (Atom)" in html
    assert "Follow: send me the code" in html
    assert "¿Qué pasó después?" not in html and "Suscribirse a las novedades" not in html


def test_a_refused_follow_form_opens_with_an_error_summary_linking_its_field(client, make_exercise):
    exercise = make_exercise(status="open")

    html = client.post(
        f"/ejercicios/{exercise.slug}/seguir/", {"address": "a@example.org"}
    ).content.decode()

    start = html.index('<div class="error-summary"')
    summary = html[start : html.index("</div>", start)]
    assert '<a href="#seguir_consent">' in summary


def test_the_follow_form_in_english_is_in_english(client, settings, published):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    html = client.get(f"/ejercicios/{published.slug}/seguimiento/").content.decode()

    assert "We will send a code to confirm it is yours." in html
    assert "so that Urna tells me what happens with this exercise" in html
    assert "Le enviaremos un código" not in html and "Autorizo el tratamiento" not in html


def test_a_refused_update_opens_with_an_error_summary_linking_its_field(client, published, manager):
    client.force_login(manager)

    response = client.post(f"/ejercicios/gestion/{published.slug}/novedades/", {"kind": "other"})

    html = response.content.decode()
    start = html.index('<div class="error-summary"')
    assert '<a href="#id_title">' in html[start : html.index("</div>", start)]


def test_the_timeline_phases_and_the_update_form_in_english_are_in_english(
    client, settings, published, manager
):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    timeline = client.get(f"/ejercicios/{published.slug}/seguimiento/").content.decode()
    client.force_login(manager)
    form = client.get(f"/ejercicios/gestion/{published.slug}/novedades/").content.decode()

    assert "The entity published the results and the answer to each contribution" in timeline
    assert "La entidad publicó los resultados" not in timeline
    assert "Type of update" in form and "Tipo de novedad" not in form
