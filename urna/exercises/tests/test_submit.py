import json

import pytest

from urna.accounts.models import Role
from urna.audit.models import AuditEntry
from urna.contacts.models import Contact
from urna.contacts.services import ContactDetails
from urna.core.errors import Conflict, InvalidInput, PermissionDenied
from urna.core.receipts import receipt_is_valid
from urna.exercises import services
from urna.exercises.models import Contribution

pytestmark = pytest.mark.django_db


@pytest.fixture
def regulation(make_exercise, manager):
    exercise = make_exercise(status="draft", kind="draft_regulation")
    for n in range(1, 4):
        services.article_add(exercise=exercise, by=manager, body=f"Texto del artículo {n}.")
    services.question_add(exercise=exercise, by=manager, kind="yes_no", text="¿Está de acuerdo?")
    services.question_add(
        exercise=exercise,
        by=manager,
        kind="multiple",
        text="¿Qué prioriza?",
        options=["Vías", "Crédito", "Tierra"],
    )
    services.question_add(exercise=exercise, by=manager, kind="scale", text="Califique el texto")
    services.exercise_transition(exercise=exercise, to="open", by=manager)
    return exercise


def post(client, exercise, body, **headers):
    return client.post(
        f"/api/v1/exercises/{exercise.slug}/contributions",
        json.dumps(body) if isinstance(body, dict) else body,
        content_type="application/json",
        **headers,
    )


def test_api_post_stores_the_contribution_and_returns_a_receipt(
    client, regulation, divipola, settings
):
    settings.URNA_SITE_URL = "https://urna.example"
    response = post(
        client,
        regulation,
        {
            "kind": "article_comment",
            "text": "  Comentario al artículo 2.  ",
            "article": 2,
            "municipality": "17001",
        },
    )

    assert response.status_code == 201
    receipt = response.json()["receipt"]
    assert receipt_is_valid(receipt) and receipt.startswith("UC-")
    # Absolute: a client outside the site (a partner's app, a chatbot) shows it as it is.
    assert response.json()["status_url"] == f"https://urna.example/r/{receipt}"
    c = Contribution.objects.get(receipt=receipt)
    assert (c.kind, c.text, c.channel, c.article.number) == (
        "article_comment",
        "Comentario al artículo 2.",
        "api",
        2,
    )
    assert (c.municipality_id, c.department_id, c.moderation) == ("17001", "17", "visible")


def test_same_idempotency_key_returns_the_first_receipt_and_stores_nothing(client, regulation):
    body = {"kind": "opinion", "text": "Una opinión", "idempotency_key": "app-123"}

    first = post(client, regulation, body)
    second = post(client, regulation, {**body, "text": "Otro texto"})

    assert (first.status_code, second.status_code) == (201, 200)
    assert second.json()["receipt"] == first.json()["receipt"]
    assert second.json()["created"] is False
    assert Contribution.objects.count() == 1
    assert Contribution.objects.get().text == "Una opinión"


def test_idempotency_key_of_another_exercise_is_refused(client, regulation, make_exercise):
    other = make_exercise(status="open", title="Otro ejercicio abierto")
    post(client, regulation, {"kind": "opinion", "text": "Hola hola", "idempotency_key": "k1"})

    response = post(
        client, other, {"kind": "opinion", "text": "Hola hola", "idempotency_key": "k1"}
    )

    assert response.status_code == 422
    assert "idempotency_key" in response.json()["errors"]
    assert Contribution.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"text": "Falta el tipo"}, "kind"),
        ({"kind": "rumor", "text": "Tipo inventado"}, "kind"),
        ({"kind": "opinion", "text": "ab"}, "text"),
        ({"kind": "opinion", "text": "\u200b\u200b  a  "}, "text"),
        ({"kind": "opinion", "text": "x" * 5001}, "text"),
        ({"kind": "article_comment", "text": "Sin artículo"}, "article"),
        ({"kind": "article_comment", "text": "Artículo inexistente", "article": 9}, "article"),
        ({"kind": "answer", "question": 1, "choice": "quizás"}, "choice"),
        ({"kind": "answer", "question": 7, "choice": "si"}, "question"),
        ({"kind": "answer", "choice": "si"}, "question"),
        ({"kind": "answer", "question": 3, "choice": 6}, "choice"),
        ({"kind": "opinion", "text": "Con opción", "choice": "si"}, "choice"),
        ({"kind": "opinion", "text": "Municipio raro", "municipality": "99999"}, "municipality"),
        ({"kind": "opinion", "text": "Canal raro", "channel": "paloma"}, "channel"),
        ({"kind": "opinion", "text": "Campo extra", "firma": "x"}, "firma"),
        (
            {"kind": "opinion", "text": "Sin consentimiento", "contact": {"phone": "3001234567"}},
            "consent",
        ),
        (
            {
                "kind": "opinion",
                "text": "Teléfono malo",
                "contact": {"phone": "12"},
                "consent": True,
            },
            "phone",
        ),
        ({"kind": "opinion", "text": "Edad rara", "age_range": "200"}, "age_range"),
    ],
)
def test_bad_input_gets_a_422_with_the_field_and_nothing_is_stored(
    client, regulation, divipola, body, field
):
    response = post(client, regulation, body)

    assert response.status_code == 422
    errors = response.json()["errors"]
    assert field in errors, errors
    assert all(isinstance(m, str) and m for m in errors[field])
    assert Contribution.objects.count() == 0
    assert Contact.objects.count() == 0


def test_malformed_json_is_refused_and_nothing_is_stored(client, regulation):
    response = post(client, regulation, "{no es json")

    assert response.status_code == 400
    assert response.json()["detail"]
    assert Contribution.objects.count() == 0


def test_closed_or_draft_exercises(client, make_exercise, manager):
    closed = make_exercise(status="analysis", title="Ejercicio cerrado")
    draft = make_exercise(status="draft", title="Ejercicio borrador")

    on_closed = post(client, closed, {"kind": "opinion", "text": "Llego tarde"})
    on_draft = post(client, draft, {"kind": "opinion", "text": "Llego temprano"})
    on_missing = client.post(
        "/api/v1/exercises/no-existe/contributions",
        json.dumps({"kind": "opinion", "text": "Hola hola"}),
        content_type="application/json",
    )

    assert on_closed.status_code == 409
    assert on_closed.json()["code"] == "not_open"
    assert (on_draft.status_code, on_missing.status_code) == (404, 404)
    assert Contribution.objects.count() == 0


@pytest.mark.parametrize(
    ("question", "raw", "stored"),
    [
        (1, "Sí", "si"),
        (1, True, "si"),
        (1, "1", "si"),
        (1, "NO", "no"),
        (1, 2, "no"),
        (2, ["credito", "vias"], "vias,credito"),
        (2, "3 1", "vias,tierra"),
        (2, "2", "credito"),
        (3, 5, "5"),
        (3, "4", "4"),
    ],
)
def test_closed_question_answers_accept_channel_friendly_forms(regulation, question, raw, stored):
    result = services.contribution_submit(
        exercise=regulation, kind="answer", text="", channel="sms", question=question, choice=raw
    )

    assert result.contribution.choice == stored
    assert result.contribution.question.number == question


def test_text_is_normalised_to_nfc_without_control_characters(regulation):
    decomposed = "Educacio\u0301n\x00 rural\r\n\r\n\r\n\r\npara todos"

    result = services.contribution_submit(
        exercise=regulation, kind="opinion", text=decomposed, channel="web"
    )

    assert result.contribution.text == "Educación rural\n\npara todos"


def test_contact_is_stored_only_with_consent_and_linked(regulation):
    result = services.contribution_submit(
        exercise=regulation,
        kind="opinion",
        text="Quiero la respuesta",
        channel="sms",
        contact=ContactDetails(phone="300 123 4567", consent=True),
    )

    assert result.contribution.contact.phone == "+573001234567"
    with pytest.raises(InvalidInput):
        services.contribution_submit(
            exercise=regulation,
            kind="opinion",
            text="Sin permiso",
            channel="sms",
            contact=ContactDetails(email="a@example.org"),
        )
    assert Contact.objects.count() == 1
    assert Contribution.objects.count() == 1


def test_question_to_the_government_is_handed_to_queries(regulation, monkeypatch):
    handed = []
    monkeypatch.setattr(
        "urna.queries.services.query_from_contribution",
        lambda *, contribution: handed.append(contribution.pk),
    )

    result = services.contribution_submit(
        exercise=regulation, kind="question", text="¿Cuándo sale el decreto?", channel="web"
    )

    assert handed == [result.contribution.pk]


def test_a_failing_hand_off_stores_nothing(regulation, monkeypatch):
    def boom(*, contribution):
        raise RuntimeError("queries down")

    monkeypatch.setattr("urna.queries.services.query_from_contribution", boom)

    with pytest.raises(RuntimeError):
        services.contribution_submit(
            exercise=regulation, kind="question", text="¿Cuándo sale?", channel="web"
        )
    assert Contribution.objects.count() == 0


def test_operator_entry_needs_the_permission_and_is_audited(
    regulation, make_staff, agriculture, education
):
    operator = make_staff(agriculture, Role.MODERATOR, username="operadora")
    outsider = make_staff(education, Role.MODERATOR, username="ajena")

    result = services.contribution_submit(
        exercise=regulation,
        kind="opinion",
        text="Llamada a la emisora",
        channel="radio",
        entered_by=operator,
    )
    with pytest.raises(PermissionDenied):
        services.contribution_submit(
            exercise=regulation,
            kind="opinion",
            text="Otra llamada",
            channel="radio",
            entered_by=outsider,
        )

    assert result.contribution.entered_by == operator
    entry = AuditEntry.objects.get(action="contribution.enter")
    assert entry.actor == operator and entry.after["channel"] == "radio"
    assert Contribution.objects.count() == 1


def test_premoderated_exercise_holds_new_contributions(make_exercise):
    exercise = make_exercise(status="open", premoderation=True)

    result = services.contribution_submit(
        exercise=exercise, kind="opinion", text="Espero revisión", channel="web"
    )

    assert result.contribution.moderation == "pending"


def test_status_change_is_seen_by_the_api_at_once_in_this_process(client, make_exercise, manager):
    exercise = make_exercise(status="open")
    assert (
        post(client, exercise, {"kind": "opinion", "text": "Antes del cierre"}).status_code == 201
    )

    services.exercise_transition(exercise=exercise, to="analysis", by=manager)

    assert (
        post(client, exercise, {"kind": "opinion", "text": "Después del cierre"}).status_code == 409
    )
    assert Contribution.objects.count() == 1


def test_supports_count_once_per_participant(regulation, client):
    proposal = services.contribution_submit(
        exercise=regulation, kind="proposal", text="Una propuesta", channel="web"
    ).contribution
    url = f"/ejercicios/{regulation.slug}/apoyar/{proposal.pk}/"

    client.post(url)
    client.post(url)
    from django.test import Client

    Client().post(url)

    proposal.refresh_from_db()
    assert proposal.support_count == 2
    assert proposal.supports.count() == 2
    opinion = services.contribution_submit(
        exercise=regulation, kind="opinion", text="Una opinión", channel="web"
    ).contribution
    with pytest.raises(InvalidInput):
        services.support_add(contribution=opinion, session_key="abc")


def test_supports_are_refused_when_the_exercise_is_closed(regulation, manager):
    proposal = services.contribution_submit(
        exercise=regulation, kind="proposal", text="Una propuesta", channel="web"
    ).contribution
    services.exercise_transition(exercise=regulation, to="analysis", by=manager)
    proposal.refresh_from_db()

    with pytest.raises(Conflict):
        services.support_add(contribution=proposal, session_key="abc")
    assert proposal.supports.count() == 0


def test_the_fast_insert_stores_exactly_what_create_stores(regulation, divipola):
    """The intake hot path binds its own INSERT; every column must match the ORM's."""
    fast = services.contribution_submit(
        exercise=regulation,
        kind="answer",
        text="Respuesta con texto y tilde: sí, está bien.",
        channel="api",
        question=1,
        choice="si",
        municipality_code="17001",
        demographics={"age_range": "18-28", "gender": "female", "ethnic_group": "none"},
        idempotency_key="fast-insert-1",
    ).contribution
    assert fast.pk is not None and not fast._state.adding
    returned, fast = fast, Contribution.objects.get(pk=fast.pk)
    for f in Contribution._meta.concrete_fields:  # the instance returned is what was stored
        assert getattr(returned, f.attname) == getattr(fast, f.attname), f.name
    assert returned.exercise is regulation  # its cache primed: no query
    orm = Contribution.objects.create(
        **{
            f.attname: getattr(fast, f.attname)
            for f in Contribution._meta.concrete_fields
            if not f.primary_key and f.name not in ("receipt", "idempotency_key")
        },
        receipt="UC-2026-0000000",
        idempotency_key="orm-insert-1",
    )
    orm = Contribution.objects.get(pk=orm.pk)
    for f in Contribution._meta.concrete_fields:
        if f.primary_key or f.name in ("receipt", "idempotency_key"):
            continue
        assert getattr(fast, f.attname) == getattr(orm, f.attname), f.name
    assert fast.created_at.tzinfo is not None and fast.choice == "si"
    assert (fast.municipality_id, fast.department_id, fast.moderation) == ("17001", "17", "visible")
