import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from urna.accounts.models import Role
from urna.contacts.services import ContactDetails
from urna.core.errors import InvalidInput
from urna.exercises import services
from urna.exercises.models import Contribution, Exercise, ExerciseDocument
from urna.exercises.services import content

pytestmark = pytest.mark.django_db

PHONE = "+573001234567"
EMAIL = "ciudadana@example.org"


@pytest.fixture
def exercise(make_exercise):
    return make_exercise(status="open")


@pytest.fixture
def with_personal_data(exercise, divipola):
    return services.contribution_submit(
        exercise=exercise,
        kind="proposal",
        text="Propuesta pública sin datos",
        channel="whatsapp",
        municipality_code="17001",
        contact=ContactDetails(phone=PHONE, email=EMAIL, name="Ana Pérez", consent=True),
        demographics={"age_range": "29-40", "gender": "female", "ethnic_group": "afro"},
    ).contribution


def test_no_personal_data_in_any_public_output(client, exercise, with_personal_data):
    receipt = with_personal_data.receipt
    outputs = [
        client.get("/ejercicios/").content.decode(),
        client.get(exercise.get_absolute_url()).content.decode(),
        client.get(f"/r/{receipt}").content.decode(),
        json.dumps(client.get(f"/api/v1/exercises/{exercise.slug}/contributions").json()),
        json.dumps(client.get(f"/api/v1/exercises/{exercise.slug}").json()),
        json.dumps(client.get(f"/api/v1/contributions/{receipt}").json()),
        json.dumps(client.get("/api/v1/exercises").json()),
    ]

    for output in outputs:
        for secret in (PHONE, "3001234567", EMAIL, "Ana Pérez", "29-40", "afro"):
            assert secret not in output
    listing = client.get(f"/api/v1/exercises/{exercise.slug}/contributions").json()
    assert set(listing["items"][0]) == {
        "id",
        "kind",
        "text",
        "article",
        "question",
        "choice",
        "channel",
        "department",
        "created_at",
        "support_count",
        "response",
    }
    # The receipt opens a status page without login: it is never listed publicly.
    assert receipt not in outputs[1] and receipt not in outputs[3]


def test_the_api_gives_absolute_addresses(client, exercise, manager, settings, tmp_path):
    settings.URNA_SITE_URL = "https://urna.example"
    settings.MEDIA_ROOT = tmp_path
    document = services.document_attach(
        exercise=exercise,
        by=manager,
        title="Documento soporte",
        upload=SimpleUploadedFile("soporte.pdf", b"%PDF-1.4 " + b"x" * 20),
    )
    page = f"https://urna.example/ejercicios/{exercise.slug}/"

    detail = client.get(f"/api/v1/exercises/{exercise.slug}").json()

    assert detail["url"] == page
    assert [d["url"] for d in detail["documents"]] == [f"https://urna.example{document.file.url}"]
    assert [i["url"] for i in client.get("/api/v1/exercises").json()["items"]] == [page]


def test_public_list_pages_use_a_bounded_number_of_queries(
    client, exercise, divipola, django_assert_max_num_queries
):
    for i in range(30):
        services.contribution_submit(
            exercise=exercise,
            kind="opinion",
            text=f"Opinión número {i}",
            channel="web",
            municipality_code="05001",
        )

    # 16 with a cold cache: the exercise and its parts, counts, timeline, the page of
    # contributions, the replies' count, the participation map's counts and the departments'
    # names (cached), the plain-language page, the deliberation and the meetings.
    with django_assert_max_num_queries(16):
        page = client.get(exercise.get_absolute_url())
    with django_assert_max_num_queries(6):
        api = client.get(f"/api/v1/exercises/{exercise.slug}/contributions?limit=100")
    with django_assert_max_num_queries(10):
        listing = client.get("/ejercicios/")

    assert page.status_code == api.status_code == listing.status_code == 200
    assert api.json()["count"] == 30 and len(api.json()["items"]) == 30
    assert "30 aportes publicados" in page.content.decode()


def test_exercise_list_filters(client, make_exercise, education, make_staff, divipola):
    make_exercise(status="open", title="Agro abierto", topics=["Agricultura"])
    make_exercise(status="analysis", title="Agro cerrado")
    edu_manager = make_staff(education, Role.MANAGER, username="edu")
    make_exercise(
        status="open",
        title="Manizales educa",
        owner=education,
        by=edu_manager,
        scope="municipality",
        municipality_code="17001",
    )
    make_exercise(status="draft", title="Borrador secreto")

    def titles(query):
        return sorted(i["title"] for i in client.get(f"/api/v1/exercises{query}").json()["items"])

    assert titles("") == ["Agro abierto", "Agro cerrado", "Manizales educa"]
    assert titles("?status=open") == ["Agro abierto", "Manizales educa"]
    assert titles("?status=closed") == ["Agro cerrado"]
    assert titles("?entity=MINEDUCACION") == ["Manizales educa"]
    assert titles("?topic=agricultura") == ["Agro abierto"]
    assert titles("?department=17") == ["Manizales educa"]
    assert client.get("/api/v1/exercises?status=nada").status_code == 422
    html = client.get("/ejercicios/?estado=open&departamento=17").content.decode()
    assert "Manizales educa" in html and "Agro abierto" not in html
    assert client.get("/ejercicios/borrador-secreto/").status_code == 404


def test_web_form_submits_and_shows_the_receipt(client, exercise, divipola):
    url = f"/ejercicios/{exercise.slug}/participar/"
    client.get(url)

    response = client.post(
        url,
        {
            "kind": "proposal",
            "text": "Más asistencia técnica",
            "municipality": "17001",
            "phone": "3001234567",
            "consent": "on",
            "gender": "female",
        },
    )

    contribution = Contribution.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/ejercicios/{exercise.slug}/gracias/{contribution.receipt}/"
    thanks = client.get(response["Location"]).content.decode()
    assert contribution.receipt in thanks
    assert (contribution.channel, contribution.department_id, contribution.gender) == (
        "web",
        "17",
        "female",
    )
    assert contribution.contact.phone == "+573001234567"


def test_web_form_errors_are_spanish_linked_to_fields_and_keep_the_text(client, exercise, divipola):
    url = f"/ejercicios/{exercise.slug}/participar/"

    response = client.post(
        url,
        {"kind": "opinion", "text": "Mi texto largo que no quiero perder", "phone": "3001234567"},
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert "Mi texto largo que no quiero perder" in html
    assert 'aria-describedby="id_consent_error"' in html or 'id="id_consent_error"' in html
    assert "Ley 1581 de 2012" in html
    assert Contribution.objects.count() == 0


def test_honeypot_stores_nothing(client, exercise, divipola):
    response = client.post(
        f"/ejercicios/{exercise.slug}/participar/",
        {"kind": "opinion", "text": "Soy un robot", "sitio_web": "http://spam.example"},
    )

    assert response.status_code == 400
    assert Contribution.objects.count() == 0


def test_closed_question_form_on_the_exercise_page(client, make_exercise, manager):
    exercise = make_exercise(status="draft")
    services.question_add(exercise=exercise, by=manager, kind="yes_no", text="¿Conoce la ruta?")
    services.exercise_transition(exercise=exercise, to="open", by=manager)

    response = client.post(f"/ejercicios/{exercise.slug}/preguntas/1/", {"p1-choice": "si"})

    answer = Contribution.objects.get()
    assert response.status_code == 302
    assert (answer.kind, answer.choice, answer.text) == ("answer", "si", "")


def test_a_new_visitor_gets_a_session_in_one_write_and_answers_with_it(
    client, make_exercise, manager
):
    from django.contrib.sessions.models import Session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    exercise = make_exercise(status="draft")
    services.question_add(exercise=exercise, by=manager, kind="yes_no", text="¿Conoce la ruta?")
    services.exercise_transition(exercise=exercise, to="open", by=manager)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(exercise.get_absolute_url())

    session_writes = [
        q["sql"]
        for q in queries.captured_queries
        if "django_session" in q["sql"] and q["sql"].lstrip().startswith(("INSERT", "UPDATE"))
    ]
    assert response.status_code == 200
    assert len(session_writes) == 1
    key = response.cookies["sessionid"].value
    assert Session.objects.get(session_key=key).get_decoded() == {"urna_participant": True}
    # The answer is then given within that session, which is not created a second time.
    client.post(f"/ejercicios/{exercise.slug}/preguntas/1/", {"p1-choice": "si"})
    assert Session.objects.count() == 1
    assert Contribution.objects.count() == 1


def test_participation_page_of_a_closed_exercise_says_so(client, make_exercise):
    exercise = make_exercise(status="analysis")

    response = client.get(f"/ejercicios/{exercise.slug}/participar/")

    assert response.status_code == 409
    assert "ya cerró" in response.content.decode()


# --- documents ----------------------------------------------------------------------------


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def _odt() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("borrador.pdf", b"%PDF-1.4\n%%EOF", "pdf"),
        ("anexo.docx", _docx(), "docx"),
        ("memoria.odt", _odt(), "odt"),
    ],
)
def test_documents_are_checked_by_content(
    make_exercise, manager, settings, tmp_path, name, content, kind
):
    settings.MEDIA_ROOT = tmp_path
    exercise = make_exercise(status="draft")

    document = services.document_attach(
        exercise=exercise,
        by=manager,
        title="Documento soporte",
        upload=SimpleUploadedFile(name, content),
    )

    assert (document.file_type, document.size) == (kind, len(content))


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("virus.pdf", b"MZ\x90\x00 not a pdf"),
        ("hoja.docx", b"PK\x03\x04broken"),
        ("disfrazado.docx", b"%PDF-1.4"),
        ("script.exe", b"%PDF-1.4"),
    ],
)
def test_documents_with_wrong_content_are_refused(
    make_exercise, manager, settings, tmp_path, name, content
):
    settings.MEDIA_ROOT = tmp_path
    exercise = make_exercise(status="draft")

    with pytest.raises(InvalidInput) as error:
        services.document_attach(
            exercise=exercise,
            by=manager,
            title="Documento",
            upload=SimpleUploadedFile(name, content),
        )

    assert error.value.field == "file"
    assert ExerciseDocument.objects.count() == 0


def test_documents_over_the_size_limit_are_refused(make_exercise, manager, monkeypatch):
    exercise = make_exercise(status="draft")
    monkeypatch.setattr(content, "DOCUMENT_MAX_BYTES", 10)

    with pytest.raises(InvalidInput, match="10 MB"):
        services.document_attach(
            exercise=exercise,
            by=manager,
            title="Grande",
            upload=SimpleUploadedFile("g.pdf", b"%PDF-1.4 " + b"x" * 20),
        )


def test_body_markdown_is_sanitised(make_exercise):
    exercise = make_exercise(
        status="open", body="**Negrita** <script>alert(1)</script> [x](javascript:alert(1))"
    )

    assert "<strong>Negrita</strong>" in exercise.body_html
    assert "<script>" not in exercise.body_html
    assert "javascript:" not in exercise.body_html


def test_short_codes_are_case_and_accent_insensitive(make_exercise):
    from urna.exercises.selectors import exercise_by_code

    exercise = make_exercise(status="open", code="agró")

    assert exercise.code == "AGRO"
    assert exercise_by_code(" Agro ") == exercise
    assert exercise_by_code("ágro") == exercise
    assert exercise_by_code("nada") is None
    with pytest.raises(InvalidInput):
        make_exercise(status="draft", code="AGRO", title="Otro con el mismo código")
    assert Exercise.objects.count() == 1


def test_a_closed_exercise_says_it_closed_not_that_it_closes(client, make_exercise):
    open_one = make_exercise(title="Ejercicio que sigue abierto")
    closed = make_exercise(status="analysis", title="Ejercicio que ya cerró")
    Exercise.objects.filter(pk=closed.pk).update(closes_at=timezone.now() - timedelta(days=20))

    page = client.get("/ejercicios/?estado=").content.decode()
    home = client.get("/").content.decode()

    for html in (page, home):
        if closed.title in html:
            card = html.split(closed.title, 1)[1].split("</li>", 1)[0]
            assert "Cerró" in card and "Cierra" not in card
    assert closed.title in page
    card = page.split(open_one.title, 1)[1].split("</li>", 1)[0]
    assert "Cierra" in card
