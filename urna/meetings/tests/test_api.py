"""The meetings API: the public list with its filters and a meeting's detail (no registrants'
data), registering and cancelling through the web form's services (same Spanish messages,
idempotent when retried), and the staff's attendance and cancellation with a bearer token
scoped to their entity."""

import pytest

from urna.accounts.models import Role
from urna.accounts.services import api_token_create
from urna.audit.models import AuditEntry
from urna.meetings.models import Meeting, Registration
from urna.meetings.registrations import registration_create
from urna.meetings.tests.conftest import move_to_past
from urna.messaging.models import OutboundMessage

pytestmark = pytest.mark.django_db

API = "/api/v1/meetings"


def bearer(user):
    _token, raw = api_token_create(user=user, by=user, name="sistema de gestión")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_list_filters_and_detail_without_registrants_personal_data(
    client, make_meeting, exercise, outbox
):
    riego = make_meeting(capacity=2, exercise_slug=exercise.slug)
    online = make_meeting(
        title="Charla virtual de crédito",
        mode=Meeting.Mode.ONLINE,
        video_url="https://meet.example/credito",
        capacity=None,
        days=5,
    )
    draft = make_meeting(title="Borrador sin publicar", publish=False)
    past = make_meeting(title="Taller que ya pasó", days=2)
    move_to_past(past)
    for n in range(3):
        registration_create(
            meeting=riego, phone=f"300 000 00{n:02d}", name=f"Persona {n}", consent=True
        )

    everything = client.get(API).json()
    by_mode = client.get(API, {"mode": "online"}).json()
    by_exercise = client.get(API, {"exercise": exercise.slug}).json()
    by_entity = client.get(API, {"entity": "minagricultura"}).json()
    by_department = client.get(API, {"department": "17"}).json()
    gone = client.get(API, {"upcoming": "false"}).json()
    detail = client.get(f"{API}/{riego.slug}")

    assert [m["slug"] for m in everything["items"]] == [riego.slug, online.slug]
    assert everything["count"] == 2 and draft.slug not in str(everything)
    assert [m["slug"] for m in by_mode["items"]] == [online.slug]
    assert [m["slug"] for m in by_exercise["items"]] == [riego.slug]
    assert by_entity["count"] == 2
    assert [m["slug"] for m in by_department["items"]] == [riego.slug]
    assert [m["slug"] for m in gone["items"]] == [past.slug]
    assert detail.status_code == 200
    body = detail.json()
    assert (body["capacity"], body["seats_taken"], body["seats_left"], body["waiting"]) == (
        2,
        2,
        0,
        1,
    )
    assert body["municipality"] == "17001" and body["department"] == "17"
    assert body["url"] == f"https://urna.example/encuentros/{riego.slug}/"
    assert "<strong>subsidio</strong>" in body["description_html"]
    text = detail.content.decode()
    assert "Persona" not in text and "3000000" not in text and "EN-" not in text
    online_body = client.get(f"{API}/{online.slug}").json()
    assert "meet.example" not in str(online_body) and online_body["seats_left"] is None
    assert client.get(f"{API}/{draft.slug}").json()["code"] == "not_found"


def test_register_is_idempotent_and_speaks_the_forms_spanish(client, make_meeting):
    meeting = make_meeting(capacity=1)
    url = f"{API}/{meeting.slug}/registrations"
    payload = {"email": "ana@example.org", "consent": True, "idempotency_key": "app-123"}

    first = client.post(url, payload, content_type="application/json")
    retried = client.post(url, payload, content_type="application/json")
    again = client.post(
        url, {"email": "ana@example.org", "consent": True}, content_type="application/json"
    )
    waiting = client.post(
        url, {"phone": "3001112233", "consent": True}, content_type="application/json"
    )
    no_contact = client.post(url, {"consent": True}, content_type="application/json")
    no_consent = client.post(url, {"email": "b@example.org"}, content_type="application/json")

    assert first.status_code == 201 and retried.status_code == 200
    assert retried.json()["code"] == first.json()["code"]
    assert first.json()["status"] == "confirmed"
    assert Registration.objects.filter(meeting=meeting).count() == 2
    assert OutboundMessage.objects.filter(to="ana@example.org").count() == 1
    assert again.status_code == 409 and again.json()["code"] == "already_registered"
    assert "ya está inscrito" in again.json()["detail"]
    assert waiting.status_code == 201
    assert (waiting.json()["status"], waiting.json()["waiting_position"]) == ("waiting", 1)
    assert no_contact.status_code == 422
    assert no_contact.json()["detail"] == (
        "Escriba un celular o un correo para confirmarle la inscripción."
    )
    assert no_consent.status_code == 422 and no_consent.json()["errors"].get("consent")
    assert (
        AuditEntry.objects.get(
            action="meeting.register",
            object_id=str(Registration.objects.get(code=first.json()["code"]).pk),
        ).actor_label
        == "citizen:api"
    )


def test_cancel_a_registration_by_code_promotes_the_next_and_is_idempotent(client, make_meeting):
    meeting = make_meeting(capacity=1)
    ana = registration_create(meeting=meeting, email="ana@example.org", consent=True)
    luis = registration_create(meeting=meeting, phone="3001112233", consent=True)
    url = f"{API}/{meeting.slug}/registrations/{ana.code}/cancel"

    first = client.post(url)
    retried = client.post(url)
    missing = client.post(f"{API}/{meeting.slug}/registrations/EN-XXXXXX/cancel")

    assert first.status_code == 200 and first.json()["status"] == "cancelled"
    assert retried.status_code == 200 and retried.json()["status"] == "cancelled"
    luis.refresh_from_db()
    assert luis.status == Registration.Status.CONFIRMED
    assert AuditEntry.objects.filter(action="meeting.registration_cancel").count() == 1
    assert missing.status_code == 404
    assert missing.json()["detail"] == "No encontramos una inscripción con ese código."
    status = client.get(f"{API}/{meeting.slug}/registrations/{luis.code}").json()
    assert status["status"] == "confirmed" and status["waiting_position"] is None


def test_staff_cancel_and_attendance_with_a_token_scoped_to_their_entity(
    client, manager, make_meeting, make_staff, education
):
    upcoming = make_meeting()
    held = make_meeting(title="Taller realizado")
    ana = registration_create(meeting=held, email="ana@example.org", consent=True)
    luis = registration_create(meeting=held, phone="3001112233", consent=True)
    move_to_past(held)
    outsider = bearer(make_staff(education, Role.MANAGER, username="gestor-edu"))
    own = bearer(manager)
    reason = {"reason": "Cambio de la agenda del ministerio"}

    refused = client.post(
        f"{API}/staff/{upcoming.slug}/cancel", reason, content_type="application/json", **outsider
    )
    anonymous = client.post(
        f"{API}/staff/{upcoming.slug}/cancel", reason, content_type="application/json"
    )
    cancelled = client.post(
        f"{API}/staff/{upcoming.slug}/cancel", reason, content_type="application/json", **own
    )
    twice = client.post(
        f"{API}/staff/{upcoming.slug}/cancel",
        {"reason": "Otro motivo distinto"},
        content_type="application/json",
        **own,
    )
    attendance = client.post(
        f"{API}/staff/{held.slug}/attendance",
        {"attended": [ana.code.lower()]},
        content_type="application/json",
        **own,
    )
    listed = client.get(f"{API}/staff/{held.slug}/registrations", **own)
    hidden = client.get(f"{API}/staff/{held.slug}/registrations", **outsider)
    unknown = client.post(
        f"{API}/staff/{held.slug}/attendance",
        {"attended": ["EN-999999"]},
        content_type="application/json",
        **own,
    )

    assert refused.status_code == 404 and anonymous.status_code == 401
    assert cancelled.status_code == 200
    assert cancelled.json()["cancel_reason"] == reason["reason"]
    assert twice.json()["cancel_reason"] == reason["reason"]
    assert AuditEntry.objects.filter(action="meeting.cancel").count() == 1
    assert attendance.status_code == 200 and attendance.json() == {"attended": 1, "absent": 1}
    ana.refresh_from_db()
    luis.refresh_from_db()
    assert (ana.attended, luis.attended) == (True, False)
    assert {r["code"]: r["attended"] for r in listed.json()} == {ana.code: True, luis.code: False}
    assert hidden.status_code == 404
    assert unknown.status_code == 404 and "EN-999999" in unknown.json()["detail"]


def test_openapi_tags_are_in_spanish(client):
    schema = client.get("/api/v1/openapi.json").json()

    tags = {
        tag
        for path, operations in schema["paths"].items()
        if path.startswith(API)
        for operation in operations.values()
        for tag in operation["tags"]
    }
    assert tags == {"encuentros", "encuentros (equipo)"}
