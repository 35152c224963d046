"""Consent by purpose and channel (Ley 1581 de 2012): the one rule every message passes, given
and withdrawn by every channel, recorded with its evidence; one person, one contact."""

import re

import pytest
from django.core import mail

from urna.accounts.models import Role
from urna.accounts.services import api_token_create
from urna.audit.models import AuditEntry
from urna.contacts.consent import bit, bits, consented, consented_ids, has_consent, pairs
from urna.contacts.models import ConsentEvent, Contact, ContactInterest
from urna.contacts.services import (
    consent_grant,
    consent_revoke,
    contact_get_or_create,
    contact_merge,
    unsubscribe_token,
    unsubscribe_url,
)
from urna.messaging.models import OutboundMessage
from urna.messaging.services import message_queue

pytestmark = pytest.mark.django_db

PHONE = "+573001234567"
EMAIL = "ana@example.org"
ALL_PAIRS = [
    (p, c) for p in ("answers", "campaigns", "surveys") for c in ("sms", "whatsapp", "email")
]


@pytest.fixture
def exercise_world(agriculture, make_staff):
    """exercise_world(contact=...) -> a contribution to an open exercise, linked to contact."""
    from datetime import timedelta

    from django.utils import timezone

    from urna.exercises import selectors, services
    from urna.exercises.models import Contribution

    selectors.submission_cache_clear()
    manager = make_staff(agriculture, Role.MANAGER, username="gestora")
    created = services.exercise_create(
        by=manager,
        owner=agriculture,
        title="Pacto agrario: ejercicio de prueba",
        summary="Resumen del ejercicio de prueba.",
        kind="policy",
        closes_at=timezone.now() + timedelta(days=30),
    )
    exercise = services.exercise_transition(exercise=created, to="open", by=manager)

    def make(contact):
        result = services.contribution_submit(
            exercise=exercise, kind="opinion", text="Que el agua llegue a la vereda.", channel="web"
        )
        Contribution.objects.filter(pk=result.contribution.pk).update(contact=contact)
        return result.contribution

    make.exercise = exercise
    yield make
    selectors.submission_cache_clear()


def _contact(**consents):
    contact = contact_get_or_create(phone=PHONE, email=EMAIL, consent=True, channel="web")
    Contact.objects.filter(pk=contact.pk).update(consents=0)
    contact.refresh_from_db()
    if consents:
        scope = 0
        for purpose, channels in consents.items():
            scope |= bits([purpose], channels)
        contact = consent_grant(contact=contact, scope=scope, via="web", evidence="prueba")
    return contact


@pytest.mark.parametrize("granted", ALL_PAIRS)
def test_a_message_goes_out_only_for_the_exact_purpose_and_channel_consented(granted):
    purpose, channel = granted
    contact = _contact(**{purpose: [channel]})

    for want_purpose, want_channel in ALL_PAIRS:
        message = message_queue(
            channel=want_channel,
            to=EMAIL if want_channel == "email" else PHONE,
            body="Hola",
            contact=contact,
            purpose=want_purpose,
        )
        allowed = (want_purpose, want_channel) == granted
        expected = OutboundMessage.Status.QUEUED if allowed else OutboundMessage.Status.SUPPRESSED
        assert message.status == expected, (want_purpose, want_channel)


def test_the_rule_needs_the_address_a_live_contact_and_is_the_same_in_bulk():
    contact = _contact(campaigns=["sms", "email"])
    assert consented_ids([contact.pk], "email", "campaigns") == {contact.pk}

    Contact.objects.filter(pk=contact.pk).update(email=None)
    assert consented_ids([contact.pk], "email", "campaigns") == set()  # no address, no message
    assert consented(Contact.objects.all(), "sms", "campaigns").count() == 1

    Contact.objects.filter(pk=contact.pk).update(erased_at="2026-12-01T00:00Z")
    assert consented(Contact.objects.all(), "sms", "campaigns").count() == 0
    assert consented_ids([contact.pk], "sms", "campaigns") == set()


def test_a_transactional_message_is_never_held_back():
    contact = _contact()  # no consent for anything
    message = message_queue(channel="sms", to=PHONE, body="Su código es 123456", contact=contact)
    assert message.status == OutboundMessage.Status.QUEUED


def test_a_submission_consents_to_answers_on_its_channel_and_campaigns_only_when_ticked():
    by_sms = contact_get_or_create(phone=PHONE, consent=True, channel="sms")
    assert pairs(by_sms.consents) == [("answers", "sms")]

    by_web = contact_get_or_create(email=EMAIL, consent=True, channel="web", campaigns=True)
    assert set(pairs(by_web.consents)) == {("answers", "email"), ("campaigns", "email")}
    event = ConsentEvent.objects.filter(contact=by_web).get()
    assert event.via == "submission" and event.text_version


def test_every_change_is_an_event_with_evidence_and_an_audit_entry(django_user_model):
    contact = _contact()
    consent_grant(contact=contact, scope=bit("surveys", "email"), via="web", evidence="código")
    consent_revoke(contact=contact, scope=bit("surveys", "email"), via="link", evidence="enlace")

    events = list(
        ConsentEvent.objects.filter(contact=contact)
        .exclude(via="submission")
        .values_list("action", "via")
    )
    assert events == [("grant", "web"), ("revoke", "link")]
    actions = list(
        AuditEntry.objects.filter(object_id=str(contact.pk), action__startswith="contact.consent")
        .order_by("id")
        .values_list("action", flat=True)
    )
    # The submission's own consent, then the two changes.
    assert actions == ["contact.consent_grant", "contact.consent_grant", "contact.consent_revoke"]


def test_consent_events_cannot_be_rewritten_by_the_model():
    contact = _contact(campaigns=["sms"])
    event = ConsentEvent.objects.filter(contact=contact).last()
    event.via = "operator"
    with pytest.raises(ValueError):
        event.save()


# --- One person, one contact -------------------------------------------------------------------


def test_the_same_phone_written_differently_is_one_contact():
    first = contact_get_or_create(phone="300 123 4567", consent=True, channel="sms")
    second = contact_get_or_create(phone="+57 (300) 123-4567", consent=True, channel="web")
    third = contact_get_or_create(phone="573001234567", consent=True, channel="whatsapp")
    assert first.pk == second.pk == third.pk and Contact.objects.count() == 1


def test_a_phone_and_an_email_of_two_contacts_merge_them_keeping_history(exercise_world):
    by_phone = contact_get_or_create(phone=PHONE, consent=True, channel="sms")
    by_email = contact_get_or_create(
        email=EMAIL, name="Ana Gómez", consent=True, channel="web", campaigns=True
    )
    message_queue(channel="email", to=EMAIL, body="Recibo", contact=by_email)
    contribution = exercise_world(contact=by_email)
    ContactInterest.objects.create(contact=by_email, kind="topic", value="agua")

    one = contact_get_or_create(phone=PHONE, email=EMAIL, consent=True, channel="web")

    assert one.pk == by_phone.pk
    other = Contact.objects.get(pk=by_email.pk)
    assert other.merged_into_id == one.pk and other.email is None
    assert one.email == EMAIL and one.name == "Ana Gómez"
    assert has_consent(one, "email", "campaigns") and has_consent(one, "sms", "answers")
    contribution.refresh_from_db()
    assert contribution.contact_id == one.pk
    assert OutboundMessage.objects.filter(contact=one).count() == 1
    assert ConsentEvent.objects.filter(contact=one).count() == 2  # history travels
    assert ContactInterest.objects.filter(contact=one, value="agua").exists()
    assert AuditEntry.objects.filter(action="contact.merge", object_id=str(one.pk)).exists()
    assert Contact.objects.live().count() == 1


def test_merging_drops_rows_that_would_repeat_and_follows_chains():
    keep = _contact(campaigns=["sms"])
    other = Contact.objects.create(phone="+573009999999", consent_at=keep.consent_at)
    older = Contact.objects.create(email="viejo@example.org", merged_into=other)
    ContactInterest.objects.create(contact=keep, kind="topic", value="salud")
    ContactInterest.objects.create(contact=other, kind="topic", value="salud")

    contact_merge(keep=keep, other=other)

    assert ContactInterest.objects.filter(contact=keep).count() == 1
    older.refresh_from_db()
    assert older.merged_into_id == keep.pk


# --- Withdrawing it by every channel: the link, the web, an operator, the API ------------------


def test_the_unsubscribe_link_shows_first_and_stops_on_post(client):
    contact = _contact(campaigns=["email", "sms"])
    url = unsubscribe_url(contact.pk, "email", "campaigns")
    path = url[url.index("/datos-personales/") :]

    page = client.get(path)  # a mail scanner opening the link changes nothing
    assert page.status_code == 200 and has_consent(contact, "email", "campaigns")
    assert "Correo electrónico" in page.content.decode()

    done = client.post(path)
    assert done.status_code == 200 and not has_consent(contact, "email", "campaigns")
    assert has_consent(contact, "sms", "campaigns")
    assert ConsentEvent.objects.filter(contact=contact, via="link", action="revoke").count() == 1
    client.post(path)  # twice changes nothing
    assert ConsentEvent.objects.filter(contact=contact, via="link", action="revoke").count() == 1


def test_rfc_8058_one_click_post_needs_no_cookie_nor_csrf_token():
    from django.test import Client

    contact = _contact(campaigns=["email"])
    token = unsubscribe_token(contact.pk, "email", "campaigns")
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(
        f"/datos-personales/baja/{token}/",
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert not has_consent(contact, "email", "campaigns")
    assert ConsentEvent.objects.get(action="revoke").evidence == "List-Unsubscribe one-click"


def test_a_forged_or_tampered_link_is_refused(client):
    contact = _contact(campaigns=["email"])
    token = unsubscribe_token(contact.pk, "email", "campaigns")
    assert client.post(f"/datos-personales/baja/{token[:-2]}xx/").status_code == 404
    assert client.post("/datos-personales/baja/abc/").status_code == 404
    assert has_consent(contact, "email", "campaigns")


def _code(to: str) -> str:
    message = OutboundMessage.objects.filter(to=to).order_by("-id").first()
    return re.search(r"\b(\d{6})\b", message.body).group(1)


def test_the_web_preferences_grant_and_withdraw_each_box(client):
    contact = _contact(campaigns=["sms"])
    client.post("/datos-personales/", {"address": PHONE})
    client.post("/datos-personales/codigo/", {"code": _code(PHONE)})

    page = client.get("/datos-personales/mis-datos/")
    assert 'name="c_campaigns_sms" checked' in page.content.decode().replace(
        'id="id_c_campaigns_sms" ', ""
    )
    response = client.post(
        "/datos-personales/mis-datos/",
        {"action": "preferences", "c_surveys_email": "on", "c_answers_sms": "on"},
    )
    assert response.status_code == 302
    contact.refresh_from_db()
    assert set(pairs(contact.consents)) == {("surveys", "email"), ("answers", "sms")}
    vias = set(ConsentEvent.objects.filter(contact=contact).values_list("action", "via"))
    assert {("grant", "web"), ("revoke", "web")} <= vias


def test_subscribing_on_the_web_needs_the_code_sent_to_the_address(client):
    response = client.post(
        "/datos-personales/recibir-informacion/",
        {"address": "3001234567", "campaigns": "on", "department": "17", "consent": "on"},
    )
    assert response.status_code == 302
    assert not Contact.objects.exists()  # nothing is stored before the code comes back
    wrong = client.post("/datos-personales/recibir-informacion/codigo/", {"code": "000000"})
    assert wrong.status_code == 422 and not Contact.objects.exists()

    done = client.post("/datos-personales/recibir-informacion/codigo/", {"code": _code(PHONE)})

    assert done.status_code == 200
    contact = Contact.objects.get(phone=PHONE)
    assert has_consent(contact, "sms", "campaigns")
    assert not has_consent(contact, "sms", "surveys")
    assert ContactInterest.objects.filter(contact=contact, kind="department", value="17").exists()
    event = ConsentEvent.objects.get(contact=contact, via="web")
    assert "código" in event.evidence


def test_subscribing_without_consent_or_purpose_is_refused_in_spanish(client):
    response = client.post("/datos-personales/recibir-informacion/", {"address": PHONE})
    assert response.status_code == 422
    body = response.content.decode()
    assert "Elija al menos qué quiere recibir" in body or "obligatorio" in body
    assert not OutboundMessage.objects.exists()


@pytest.fixture
def operator(agriculture, make_staff):
    return make_staff(agriculture, Role.MODERATOR, username="operadora")


def test_an_operator_records_consent_from_a_recorded_call(client, operator):
    client.force_login(operator)
    form = {
        "phone": "3001234567",
        "action": "grant",
        "purposes": ["campaigns"],
        "channels": ["sms", "whatsapp"],
        "evidence": "",
    }
    refused = client.post("/datos-personales/operador/consentimiento/", form)
    assert refused.status_code == 422 and not Contact.objects.exists()

    form["evidence"] = "grabación 2026-12-04-0042 línea 195"
    assert client.post("/datos-personales/operador/consentimiento/", form).status_code == 200
    contact = Contact.objects.get(phone=PHONE)
    assert has_consent(contact, "whatsapp", "campaigns")
    event = ConsentEvent.objects.get(contact=contact, via="operator")
    assert event.actor == operator and event.evidence.startswith("grabación")

    form["action"] = "revoke"
    client.post("/datos-personales/operador/consentimiento/", form)
    assert not has_consent(contact, "sms", "campaigns")


def test_a_citizen_cannot_reach_the_operator_form(client, django_user_model):
    citizen = django_user_model.objects.create_user("ciudadano", password="x")
    client.force_login(citizen)
    assert client.get("/datos-personales/operador/consentimiento/").status_code == 403


def test_the_api_records_consent_with_evidence_and_withdraws_by_token(client, operator):
    _token, raw = api_token_create(user=operator, by=operator, name="call center")
    headers = {"Authorization": f"Bearer {raw}"}
    payload = {
        "email": "Ana@Example.org",
        "purposes": ["surveys"],
        "channels": ["email"],
        "evidence": "formulario firmado 88",
    }
    response = client.post(
        "/api/v1/staff/contactos/consentimientos",
        payload,
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 200, response.content
    assert response.json()["consents"] == ["surveys:email"]
    contact = Contact.objects.get(email=EMAIL)
    assert ConsentEvent.objects.get(contact=contact).via == "api"

    no_evidence = client.post(
        "/api/v1/staff/contactos/consentimientos",
        {**payload, "evidence": " "},
        content_type="application/json",
        headers=headers,
    )
    assert no_evidence.status_code == 422
    anonymous = client.post(
        "/api/v1/staff/contactos/consentimientos", payload, content_type="application/json"
    )
    assert anonymous.status_code in (401, 403)

    token = unsubscribe_token(contact.pk, "email", "surveys")
    assert client.post(f"/api/v1/contactos/baja/{token}").status_code == 200
    assert not has_consent(contact, "email", "surveys")


def test_erasure_forgets_consent_and_evidence():
    from urna.contacts.services import contact_erase

    contact = _contact(campaigns=["sms"])
    contact_erase(contact=contact)
    contact.refresh_from_db()
    assert contact.consents == 0
    assert set(ConsentEvent.objects.filter(contact=contact).values_list("evidence", flat=True)) == {
        ""
    }
    assert mail.outbox == []


# --- Concurrent writers ------------------------------------------------------------------------


IN_MEMORY_SQLITE = pytest.mark.skipif(
    "sqlite" in __import__("django.conf").conf.settings.DATABASES["default"]["ENGINE"],
    reason="the in-memory test database's shared cache locks whole tables (no busy timeout); "
    "the file database's concurrency is tested across processes below",
)


@IN_MEMORY_SQLITE
@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_of_one_phone_make_one_contact(race):
    from django.db import connection

    def submit():
        try:
            return contact_get_or_create(
                phone="+57 300 123 4567", consent=True, channel="sms", campaigns=True
            ).pk
        finally:
            connection.close()

    results = race(submit, 8)

    assert not [r for r in results if isinstance(r, Exception)], results
    assert len(set(results)) == 1 and Contact.objects.count() == 1
    contact = Contact.objects.get()
    assert has_consent(contact, "sms", "campaigns")


@IN_MEMORY_SQLITE
@pytest.mark.django_db(transaction=True)
def test_concurrent_revocations_and_grants_never_lose_a_bit(race):
    from django.db import connection

    contact = _contact(campaigns=["sms", "email"], surveys=["sms"])
    pairs_to_flip = [("campaigns", "sms"), ("campaigns", "email"), ("surveys", "sms")]

    def revoke(pair=iter(pairs_to_flip * 3)):
        purpose, channel = next(pair)
        try:
            consent_revoke(contact=contact, scope=bit(purpose, channel), via="web")
        finally:
            connection.close()

    race(revoke, 3)

    contact.refresh_from_db()
    assert pairs(contact.consents) == []  # each revocation cleared its own bit, none undone


WRITER = """
import sys, time
import django
django.setup()
from urna.contacts.consent import ALL_BITS, bit
from urna.contacts.services import consent_grant, consent_revoke, contact_get_or_create
time.sleep(max(0, float(sys.argv[1]) - time.time()))
contact = contact_get_or_create(phone="300 123 4567", consent=True, channel="sms")
step, pair = sys.argv[2], sys.argv[3]
if step == "revoke":
    purpose, channel = pair.split(":")
    consent_revoke(contact=contact, scope=bit(purpose, channel), via="web")
print(contact.pk)
"""
GRANT_ALL = (
    "import django; django.setup(); from urna.contacts.models import Contact; "
    "from urna.contacts.consent import ALL_BITS; "
    "from urna.contacts.services import consent_grant; "
    "consent_grant(contact=Contact.objects.get(), scope=ALL_BITS, via='web')"
)
CHECK = (
    "import django; django.setup(); from urna.contacts.models import Contact; "
    "from urna.contacts.consent import pairs; c = Contact.objects.get(); "
    "print(Contact.objects.count(), sorted(f'{p}:{ch}' for p, ch in pairs(c.consents)))"
)


@pytest.mark.django_db
def test_processes_writing_one_contact_at_once_on_the_sqlite_file(tmp_path):
    """On the embedded default's file database (WAL, BEGIN IMMEDIATE), six processes create
    the same contact at the same instant, then six withdraw six different consents at once:
    one contact, no error, every withdrawal kept and nothing else touched."""
    import os
    import subprocess
    import sys
    import time
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "urna.settings",
        "SQLITE_PATH": str(tmp_path / "urna.sqlite3"),
        "URNA_VAR_DIR": str(tmp_path),
        "DATABASE_URL": "",
        "REDIS_URL": "",
        "LOG_LEVEL": "WARNING",
    }
    run = {"env": env, "cwd": root, "capture_output": True, "text": True, "check": True}
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], **run, timeout=180)

    def together(step: str, pairs_: list[str]) -> set[str]:
        start = str(time.time() + 3)
        pipes = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, "text": True}
        writers = [
            subprocess.Popen(
                [sys.executable, "-c", WRITER, start, step, pair], env=env, cwd=root, **pipes
            )
            for pair in pairs_
        ]
        outputs = [w.communicate(timeout=120) for w in writers]
        assert [w.returncode for w in writers] == [0] * 6, [err[-500:] for _, err in outputs]
        return {out.split()[-1] for out, _ in outputs}

    assert len(together("create", ["-"] * 6)) == 1
    subprocess.run([sys.executable, "-c", GRANT_ALL], **run)
    revoked = ["campaigns:sms", "campaigns:email", "surveys:sms"]
    revoked += ["surveys:whatsapp", "answers:email", "campaigns:whatsapp"]
    together("revoke", revoked)

    done = subprocess.run([sys.executable, "-c", CHECK], **run)
    assert done.stdout.strip() == "1 ['answers:sms', 'answers:whatsapp', 'surveys:email']"


# --- Campaign consent offered with a contribution, separately ticked ---------------------------


def test_the_api_and_the_web_form_record_campaign_consent_only_when_ticked(client, exercise_world):
    slug = exercise_world.exercise.slug
    url = f"/api/v1/exercises/{slug}/contributions"
    base = {"kind": "opinion", "text": "Que llegue el agua a la vereda El Rosal.", "consent": True}
    ticked = {**base, "contact": {"email": "ana@example.org"}, "campaigns": True}
    assert client.post(url, ticked, content_type="application/json").status_code == 201
    plain = {**base, "contact": {"email": "luis@example.org"}}
    assert client.post(url, plain, content_type="application/json").status_code == 201
    without_data_consent = {**ticked, "consent": False, "contact": {"email": "eva@example.org"}}
    assert (
        client.post(url, without_data_consent, content_type="application/json").status_code == 422
    )

    ana = Contact.objects.get(email="ana@example.org")
    luis = Contact.objects.get(email="luis@example.org")
    assert set(pairs(ana.consents)) == {("answers", "email"), ("campaigns", "email")}
    assert set(pairs(luis.consents)) == {("answers", "email")}
    assert not Contact.objects.filter(email="eva@example.org").exists()

    page = client.get(f"/ejercicios/{slug}/participar/")
    assert 'name="campaigns"' in page.content.decode()
    response = client.post(
        f"/ejercicios/{slug}/participar/",
        {"kind": "opinion", "text": "Más rutas escolares rurales.", "phone": "3001112233",
         "consent": "on", "campaigns": "on"},
    )  # fmt: skip
    assert response.status_code in (200, 302), response.content.decode()[:500]
    assert has_consent(Contact.objects.get(phone="+573001112233"), "sms", "campaigns")


def test_the_unsubscribe_page_in_english_is_in_english(client, settings):
    contact = _contact(campaigns=["email"])
    token = unsubscribe_token(contact.pk, "email", "campaigns")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    asked = client.get(f"/datos-personales/baja/{token}/").content.decode()
    done = client.post(f"/datos-personales/baja/{token}/").content.decode()

    assert "Stop receiving messages" in asked and "Yes, stop receiving them" in asked
    assert "Dejar de recibir" not in asked
    assert "Done: you will no longer receive" in done


def test_a_refused_subscription_opens_with_an_error_summary_linking_each_field(client):
    html = client.post("/datos-personales/recibir-informacion/", {"address": ""}).content.decode()

    start = html.index('<div class="error-summary"')
    summary = html[start : html.index("</div>", start)]
    assert 'href="#id_address"' in summary and 'href="#id_consent"' in summary


def test_the_subscription_form_in_english_is_in_english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    html = client.post("/datos-personales/recibir-informacion/", {"address": ""}).content.decode()

    assert "I want to receive information from the Government (campaigns)" in html
    assert "I authorise the processing of my personal data for these purposes" in html
    assert "Choose at least what you want to receive." in html
    assert "Quiero recibir" not in html and "Autorizo el tratamiento" not in html
