"""Exercises seeded with contributions full of personal data, for the open-data tests."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

BOGOTA = ZoneInfo("America/Bogota")

# Personal data that must never appear in any export: names, documents, phones, emails,
# handles, receipts, idempotency keys.
SECRETS = {
    "contact_name": "Rigoberta Menchú Tumalá",
    "contact_phone": "+573004445566",
    "contact_email": "rigoberta.personal@example.org",
    "contact_handle": "@rigo_tuit",
    "user_email": "usuario.registrado@example.net",
    "user_name": "usuario_registrado_77",
    "text_email": "juan.perez88@gmail.com",
    "text_phone_mobile": "310 555 1234",
    "text_phone_intl": "+57 321 987 6543",
    "text_phone_land": "(601) 345 6789",
    "text_doc_dotted": "1.023.456.789",
    "text_doc_cc": "79456123",
    "text_nit": "900.123.456-7",
    "text_handle": "@pepito_grillo99",
}
PERSONAL_TEXTS = [
    f"Estoy de acuerdo. Escríbanme a {SECRETS['text_email']} o al {SECRETS['text_phone_mobile']}.",
    f"Soy Juan, C.C. {SECRETS['text_doc_dotted']}, mi fijo {SECRETS['text_phone_land']}.",
    f"Propongo más vías; cédula {SECRETS['text_doc_cc']}, cel {SECRETS['text_phone_intl']}",
    f"La empresa con NIT {SECRETS['text_nit']} no cumple. Síganme en {SECRETS['text_handle']}",
    "El subsidio de $1.200.000 es poco para 2025; el artículo 3 debe cambiar.",
]


def make_exercise(*, owner, slug, status, title="Política de desarrollo rural", **extra):
    from urna.exercises.models import Exercise

    now = datetime(2025, 3, 1, 10, 0, tzinfo=BOGOTA)
    values = {
        "title": title,
        "slug": slug,
        "summary": "Consulta sobre la política de desarrollo rural integral.",
        "body": "Queremos saber qué opina.",
        "body_html": "<p>Queremos saber qué opina.</p>",
        "owner": owner,
        "kind": Exercise.Kind.POLICY,
        "status": status,
        "published_at": now - timedelta(days=2),
        "opens_at": now,
        "closes_at": now + timedelta(days=20),
    }
    if status == Exercise.Status.RESULTS:
        values["results_published_at"] = now + timedelta(days=40)
    values.update(extra)
    return Exercise.objects.create(**values)


def seed_contributions(exercise, *, with_people=True):
    """Twelve contributions: personal data in contacts, users and texts; one hidden, one
    pending; a closed question; answers in the results matrix; demographics."""
    from urna.accounts.models import User
    from urna.contacts.models import Contact
    from urna.exercises.models import (
        Article,
        ClosedQuestion,
        Contribution,
        ContributionResponse,
        QuestionOption,
    )

    contact, _ = Contact.objects.get_or_create(
        phone=SECRETS["contact_phone"],
        defaults={
            "name": SECRETS["contact_name"],
            "email": SECRETS["contact_email"],
            "handle": SECRETS["contact_handle"],
        },
    )
    user, _ = User.objects.get_or_create(
        username=SECRETS["user_name"],
        defaults={"email": SECRETS["user_email"], "first_name": "Registrado"},
    )
    article = Article.objects.create(exercise=exercise, number=3, label="Artículo 3", body="...")
    question = ClosedQuestion.objects.create(
        exercise=exercise, number=1, kind=ClosedQuestion.Kind.SINGLE, text="¿Qué priorizar?"
    )
    QuestionOption.objects.create(question=question, key="vias", label="Vías", position=1)
    QuestionOption.objects.create(question=question, key="agua", label="Agua", position=2)
    base = exercise.opens_at
    made = []
    n = 0

    def add(**values):
        nonlocal n
        n += 1
        values.setdefault("channel", Contribution.Channel.WEB)
        values.setdefault("kind", Contribution.Kind.OPINION)
        made.append(
            Contribution.objects.create(
                exercise=exercise,
                receipt=f"UC{exercise.pk:03d}RECEIPT{n:04d}",
                idempotency_key=f"idem-{exercise.pk}-{n}",
                created_at=base + timedelta(days=n % 3, hours=n),
                **values,
            )
        )
        return made[-1]

    for i, text in enumerate(PERSONAL_TEXTS):
        add(
            text=text,
            contact=contact if with_people and i % 2 == 0 else None,
            user=user if with_people and i == 1 else None,
            municipality_id="17001",
            department_id="17",
            channel=[Contribution.Channel.WEB, Contribution.Channel.SMS][i % 2],
            age_range="18-28" if i < 3 else "41-60",
            gender="female",
            article=article if i == 4 else None,
            kind=Contribution.Kind.ARTICLE_COMMENT if i == 4 else Contribution.Kind.OPINION,
        )
    for i in range(5):
        add(
            kind=Contribution.Kind.ANSWER,
            question=question,
            choice="vias" if i < 3 else "agua",
            channel=Contribution.Channel.USSD,
            municipality_id="05001",
            department_id="05",
            gender="male",
        )
    add(
        text=f"Texto ofensivo oculto de {SECRETS['text_email']}",
        moderation=Contribution.Moderation.HIDDEN,
        hidden_reason="Lenguaje ofensivo",
    )
    add(text="Texto pendiente secreto 3001112233", moderation=Contribution.Moderation.PENDING)
    # By position, not by pk: PostgreSQL's sequences are not reset between tests.
    for i, c in enumerate(made[:5]):
        ContributionResponse.objects.create(
            contribution=c,
            decision="accepted" if i % 2 == 0 else "partial",
            reason=f"Gracias; lo incluimos. Contacte al 3157778899 para {c.pk}.",
        )
    return made


@pytest.fixture
def owner(national_entities):
    from urna.entities.models import Entity

    return Entity.objects.get(acronym="MINAGRICULTURA")


@pytest.fixture
def published(owner):
    from urna.exercises.models import Exercise

    exercise = make_exercise(owner=owner, slug="desarrollo-rural", status=Exercise.Status.RESULTS)
    seed_contributions(exercise)
    return exercise


@pytest.fixture
def open_exercise(owner):
    from urna.exercises.models import Exercise

    exercise = make_exercise(
        owner=owner,
        slug="abierto-sin-publicar",
        status=Exercise.Status.OPEN,
        title="Ejercicio abierto con secretos",
    )
    seed_contributions(exercise)
    return exercise
