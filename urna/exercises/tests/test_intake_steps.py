"""The three steps of a submission, each alone (validate → rate-limit → store), and what the
hot path costs in SQL queries."""

import json

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from urna.accounts.models import Role
from urna.contacts.services import ContactDetails
from urna.core.channels import Channel
from urna.core.errors import Conflict, InvalidInput, PermissionDenied, RateLimited
from urna.exercises import selectors, services
from urna.exercises.models import Contribution
from urna.exercises.services import intake

pytestmark = pytest.mark.django_db


@pytest.fixture
def regulation(make_exercise, manager, divipola):
    exercise = make_exercise(status="draft", kind="draft_regulation")
    for n in range(1, 3):
        services.article_add(exercise=exercise, by=manager, body=f"Texto del artículo {n}.")
    services.question_add(exercise=exercise, by=manager, kind="yes_no", text="¿Está de acuerdo?")
    services.exercise_transition(exercise=exercise, to="open", by=manager)
    return exercise


@pytest.fixture
def warm(regulation):
    """The in-process snapshots a submission reads, loaded: validation then needs no query."""
    selectors.submission_rules(regulation)
    selectors.municipality_exists("17001")
    return regulation


def validate(exercise, **fields):
    fields.setdefault("kind", "opinion")
    fields.setdefault("text", "Una opinión sobre el decreto")
    fields.setdefault("channel", "web")
    return services.contribution_validate(exercise=exercise, **fields)


# --- step 1: validate -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"kind": "rumor"}, "kind", "Tipo de aporte no válido."),
        ({"channel": "paloma"}, "channel", "Canal no válido."),
        # In the platform's channel list, but no citizen's medium for a contribution.
        ({"channel": Channel.EXERCISE}, "channel", "Canal no válido."),
        ({"channel": Channel.SOCIAL}, "channel", "Canal no válido."),
        ({"text": " \u200bno "}, "text", "El texto es demasiado corto (mínimo 3 caracteres)."),
        ({"text": "x" * 5001}, "text", "El texto es demasiado largo (máximo 5000 caracteres)."),
        (
            {"kind": "article_comment", "article": 9},
            "article",
            "El artículo no existe en este ejercicio.",
        ),
        ({"kind": "article_comment"}, "article", "Indique el artículo que comenta."),
        ({"kind": "answer", "text": ""}, "question", "Indique la pregunta que responde."),
        (
            {"kind": "answer", "text": "", "question": 1, "choice": "quizás"},
            "choice",
            "La respuesta no corresponde a las opciones de la pregunta.",
        ),
        (
            {"choice": "si"},
            "choice",
            "Sólo las respuestas a preguntas cerradas llevan pregunta y opción.",
        ),
        (
            {"municipality_code": "1700"},
            "municipality",
            "El municipio no existe (use el código DANE de 5 dígitos).",
        ),
        ({"demographics": {"shoe_size": "42"}}, "shoe_size", "Campo no reconocido."),
        ({"demographics": {"gender": "robot"}}, "gender", "Valor no permitido."),
        (
            {"idempotency_key": "k" * 121},
            "idempotency_key",
            "La clave de idempotencia es demasiado larga.",
        ),
        (
            {"contact": ContactDetails(phone="+573001234567", consent=False)},
            "consent",
            "Para guardar su contacto debe autorizar el tratamiento de sus datos personales "
            "(Ley 1581 de 2012).",
        ),
    ],
)
def test_validate_refuses_with_the_field_and_message_without_a_query(
    warm, django_assert_num_queries, fields, field, message
):
    with django_assert_num_queries(0), pytest.raises(InvalidInput) as refused:
        validate(warm, **fields)

    assert (refused.value.field, refused.value.message) == (field, message)
    assert Contribution.objects.count() == 0


def test_validate_refuses_an_exercise_that_is_not_open(make_exercise, django_assert_num_queries):
    draft = make_exercise(status="draft")

    with django_assert_num_queries(0), pytest.raises(Conflict) as refused:
        validate(draft)

    assert refused.value.code == "not_open"


def test_validate_returns_the_submission_clean(warm, django_assert_num_queries):
    with django_assert_num_queries(0):
        comment = validate(
            warm,
            kind="article_comment",
            text="  Comentario\r\n\r\n\r\n\r\ncon líneas ",
            channel="sms",
            article="2",
            municipality_code=" 17001 ",
            demographics={"age_range": "18-28", "gender": ""},
            idempotency_key="  sms:abc  ",
            user=AnonymousUser(),
        )
        answer = validate(warm, kind="answer", text="", question=1, choice="Sí")

    article_2 = warm.articles.get(number=2)
    assert comment.text == "Comentario\n\ncon líneas"
    assert (comment.article_id, comment.question_id, comment.choice) == (article_2.pk, None, "")
    assert (comment.municipality_code, comment.demographics) == ("17001", {"age_range": "18-28"})
    assert (comment.idempotency_key, comment.user, comment.channel) == ("sms:abc", None, "sms")
    assert (answer.question_id, answer.choice) == (warm.questions.get(number=1).pk, "si")


def test_validate_checks_the_operator_may_enter_contributions(warm, make_staff, education):
    outsider = make_staff(education, Role.MODERATOR, username="ajena")

    with pytest.raises(PermissionDenied):
        validate(warm, channel="radio", entered_by=outsider)


# --- step 2: rate-limit -----------------------------------------------------------------------


def test_rate_limit_counts_each_submission_and_blocks_past_the_limit(
    warm, settings, django_assert_num_queries
):
    settings.URNA_CONTRIBUTION_RATES = {"contact": "2/600"}
    clean = validate(warm, contact=ContactDetails(phone="+57 300 123 4567", consent=True))
    same_phone = validate(warm, contact=ContactDetails(phone="+573001234567", consent=True))
    other = validate(warm, contact=ContactDetails(phone="+573009999999", consent=True))

    with django_assert_num_queries(0):
        services.contribution_rate_limit(clean)
        services.contribution_rate_limit(same_phone)
        with pytest.raises(RateLimited, match="Espere unos minutos"):
            services.contribution_rate_limit(clean)
        services.contribution_rate_limit(other)

    assert Contribution.objects.count() == 0


def test_an_operator_counts_only_against_the_operator_limit(warm, settings, make_staff):
    settings.URNA_CONTRIBUTION_RATES = {"operator": "1/600", "contact": "100/600"}
    operator = make_staff(warm.owner, Role.MODERATOR, username="operadora")
    contact = ContactDetails(phone="+573001234567", consent=True)
    typed = validate(warm, channel="radio", entered_by=operator, contact=contact)

    assert intake._identities(user=None, contact=contact, request=None, entered_by=operator) == [
        ("operator", str(operator.pk))
    ]
    services.contribution_rate_limit(typed)
    with pytest.raises(RateLimited):
        services.contribution_rate_limit(typed)


# --- step 3: store ----------------------------------------------------------------------------


def test_store_writes_one_row_and_again_with_the_same_key_returns_it(warm):
    clean = validate(warm, idempotency_key="api:1", municipality_code="17001")

    first = services.contribution_store(clean)
    again = services.contribution_store(clean)

    assert (first.created, again.created) == (True, False)
    assert again.contribution.pk == first.contribution.pk
    assert again.contribution.receipt == first.contribution.receipt
    stored = Contribution.objects.get()
    assert (stored.text, stored.department_id, stored.moderation) == (
        "Una opinión sobre el decreto",
        "17",
        "visible",
    )


def test_store_refuses_a_key_used_in_another_exercise(warm, make_exercise):
    other = make_exercise(status="open", title="Otro ejercicio abierto de prueba")
    services.contribution_store(validate(other, idempotency_key="shared"))

    with pytest.raises(InvalidInput) as refused:
        services.contribution_store(validate(warm, idempotency_key="shared"))

    assert refused.value.field == "idempotency_key"
    assert Contribution.objects.count() == 1


def test_store_without_a_key_stores_each_time(warm):
    clean = validate(warm)

    services.contribution_store(clean)
    services.contribution_store(clean)

    assert Contribution.objects.count() == 2


def test_submit_is_the_three_steps_in_order(warm, monkeypatch):
    calls = []
    real = {
        name: getattr(intake, name)
        for name in ("contribution_validate", "contribution_rate_limit", "contribution_store")
    }
    for name, step in real.items():

        def spy(*args, _name=name, _step=step, **kwargs):
            calls.append(_name)
            return _step(*args, **kwargs)

        monkeypatch.setattr(intake, name, spy)

    result = services.contribution_submit(exercise=warm, kind="opinion", text="Hola", channel="web")

    assert calls == ["contribution_validate", "contribution_rate_limit", "contribution_store"]
    assert result.created and Contribution.objects.get().text == "Hola"


# --- what the hot path costs ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "queries"),
    [
        # SAVEPOINT, INSERT, RELEASE: the test's transaction makes the INSERT take a savepoint.
        ({"kind": "opinion", "text": "Una opinión", "channel": "web"}, 3),
        (
            {
                "kind": "opinion",
                "text": "Con municipio",
                "channel": "web",
                "municipality_code": "17001",
            },
            3,
        ),
        ({"kind": "answer", "text": "", "channel": "sms", "question": 1, "choice": "si"}, 3),
        ({"kind": "article_comment", "text": "Al artículo", "channel": "api", "article": 1}, 3),
    ],
)
def test_a_submission_costs_a_fixed_number_of_queries(
    warm, django_assert_num_queries, fields, queries
):
    with django_assert_num_queries(queries):
        services.contribution_submit(exercise=warm, **fields)


def test_a_repeated_idempotency_key_costs_two_more_queries(warm, django_assert_num_queries):
    fields = {"kind": "opinion", "text": "Una vez", "channel": "api", "idempotency_key": "k-1"}
    services.contribution_submit(exercise=warm, **fields)

    # The failed INSERT in its savepoint, then the lookup of the first contribution.
    with django_assert_num_queries(5):
        again = services.contribution_submit(exercise=warm, **fields)

    assert again.created is False


def test_an_api_submission_costs_one_insert(client, warm, django_assert_num_queries):
    url = f"/api/v1/exercises/{warm.slug}/contributions"
    body = json.dumps({"kind": "opinion", "text": "Desde el API"})
    client.post(url, body, content_type="application/json")  # the exercise snapshot, loaded

    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, body, content_type="application/json")

    assert response.status_code == 201
    statements = [q["sql"].split()[0] for q in queries.captured_queries]
    assert statements == ["SAVEPOINT", "INSERT", "RELEASE"]


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_common_submission_is_one_query(
    make_exercise, django_assert_num_queries
):
    exercise = make_exercise(status="open")
    services.contribution_submit(exercise=exercise, kind="opinion", text="Calienta", channel="web")

    with django_assert_num_queries(1):
        services.contribution_submit(exercise=exercise, kind="opinion", text="Una", channel="web")
