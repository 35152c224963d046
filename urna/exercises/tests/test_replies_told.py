"""A contribution's author hears once that a reply to it was published (at once, or after
moderation), on the channel they hear back by, through the consent gate, with an absolute link
and nothing about who replied."""

import pytest

from urna.accounts.models import Role
from urna.contacts.consent import bit
from urna.contacts.services import ContactDetails, consent_revoke
from urna.exercises import services
from urna.messaging.models import OutboundMessage

pytestmark = pytest.mark.django_db

AUTHOR = "autora@example.org"
REPLIER = "3009876543"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.URNA_SITE_URL = "https://urna.example"


def _submit(exercise, text, *, contact=None):
    return services.contribution_submit(
        exercise=exercise, kind="opinion", channel="web", text=text, contact=contact
    ).contribution


def _told():
    return OutboundMessage.objects.filter(subject__startswith="Respondieron su aporte")


def test_the_author_is_told_once_when_a_reply_is_published_at_once(make_exercise):
    exercise = make_exercise(status="open")
    root = _submit(
        exercise,
        "Más rutas escolares en la vereda",
        contact=ContactDetails(email=AUTHOR, consent=True),
    )
    replier = ContactDetails(phone=REPLIER, name="Pedro Pérez", consent=True)

    reply = services.reply_submit(
        parent=root, text="Totalmente de acuerdo con la propuesta", contact=replier
    ).contribution

    message = _told().get()
    assert (message.to, message.channel, message.status) == (AUTHOR, "email", "queued")
    assert message.contact_id == root.contact_id
    expected = (
        f"https://urna.example/ejercicios/{exercise.slug}/aportes/{root.pk}/#respuesta-{reply.pk}"
    )
    assert expected in message.body and root.receipt in message.body
    assert "Pedro" not in message.body and "9876543" not in message.body
    assert (message.related_type, message.related_id) == ("exercises.contribution", str(reply.pk))


def test_a_moderated_reply_is_told_when_shown_and_only_once(make_exercise, agriculture, make_staff):
    exercise = make_exercise(status="open", premoderation=True)
    moderator = make_staff(agriculture, Role.MODERATOR)
    root = _submit(
        exercise,
        "Más rutas escolares en la vereda",
        contact=ContactDetails(email=AUTHOR, consent=True),
    )
    services.contribution_moderate(contribution=root, to="visible", by=moderator)
    reply = services.reply_submit(parent=root, text="Yo también lo pido").contribution
    assert reply.moderation == "pending"
    assert not _told().exists()

    services.contribution_moderate(contribution=reply, to="visible", by=moderator)
    services.contribution_moderate(
        contribution=reply, to="hidden", reason="Revisión de datos", by=moderator
    )
    services.contribution_moderate(contribution=reply, to="visible", by=moderator)

    assert _told().count() == 1
    reply.refresh_from_db()
    assert reply.reply_told_at is not None


def test_no_contact_no_consent_or_own_reply_sends_nothing_to_anyone(make_exercise):
    exercise = make_exercise(status="open")
    anonymous = _submit(exercise, "Un aporte sin datos de contacto")
    author = ContactDetails(email=AUTHOR, consent=True)
    withdrawn = _submit(exercise, "Un aporte de quien ya no quiere mensajes", contact=author)
    consent_revoke(contact=withdrawn.contact, scope=bit("answers", "email"), via="web")
    other = ContactDetails(email="otra@example.org", consent=True)
    own = _submit(exercise, "Un aporte que su autora misma responde", contact=other)

    services.reply_submit(parent=anonymous, text="Respuesta al aporte anónimo")
    services.reply_submit(parent=withdrawn, text="Respuesta a quien retiró el permiso")
    services.reply_submit(parent=own, text="Amplío mi propio aporte", contact=other)

    assert list(_told().values_list("status", flat=True)) == ["suppressed"]
    assert _told().get().contact_id == withdrawn.contact_id
