"""Staff pages of meetings: scoped by entity, every change audited; after the meeting the
minutes (sanitised), the attendance and the contributions taken in the room."""

from datetime import timedelta

import pytest
from django.utils import timezone

from urna.accounts.models import Role
from urna.audit.models import AuditEntry
from urna.exercises.models import Contribution
from urna.meetings import services
from urna.meetings.models import Meeting, MeetingContribution
from urna.meetings.registrations import registration_create
from urna.meetings.tests.conftest import MANIZALES, move_to_past

pytestmark = pytest.mark.django_db


def form(**extra):
    starts = timezone.localtime() + timedelta(days=5)
    return {
        "title": "Capacitación en crédito agropecuario",
        "kind": "training",
        "mode": "in_person",
        "municipality_code": MANIZALES,
        "address": "Cra 23 # 21-30, Auditorio",
        "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (starts + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "capacity": "30",
        "registration_open": "on",
        "description": "Conozca las líneas de crédito <script>alert(1)</script>",
        **extra,
    }


def test_a_manager_creates_and_publishes_a_meeting_audited(client, manager, agriculture, exercise):
    client.force_login(manager)

    created = client.post(
        "/encuentros/gestion/nuevo/", form(entity=agriculture.pk, exercise_slug=exercise.slug)
    )
    meeting = Meeting.objects.get()
    published = client.post(f"/encuentros/gestion/{meeting.slug}/publicar/")

    assert created.status_code == 302 and published.status_code == 302
    meeting.refresh_from_db()
    assert meeting.published_at is not None and meeting.exercise == exercise
    assert "<script>" not in meeting.description_html
    logged = AuditEntry.objects.filter(object_type="meetings.meeting", object_id=str(meeting.pk))
    assert sorted(logged.values_list("action", flat=True)) == ["meeting.create", "meeting.publish"]
    listed = client.get("/encuentros/gestion/").content.decode()
    assert meeting.title in listed


def test_bad_input_gets_a_clear_error_on_its_field(client, manager, agriculture):
    client.force_login(manager)

    online = client.post(
        "/encuentros/gestion/nuevo/", form(entity=agriculture.pk, mode="online", video_url="")
    )
    nowhere = client.post(
        "/encuentros/gestion/nuevo/", form(entity=agriculture.pk, municipality_code="")
    )

    assert online.status_code == 422 and "enlace de la videollamada" in online.content.decode()
    assert nowhere.status_code == 422 and "Elija el municipio" in nowhere.content.decode()
    assert not Meeting.objects.exists()


def test_staff_of_another_entity_get_a_404_and_roles_without_meetings_a_403(
    client, make_meeting, make_staff, education, agriculture
):
    meeting = make_meeting()
    other = make_staff(education, Role.MANAGER, username="gestor-edu")
    analyst = make_staff(agriculture, Role.ANALYST, username="analista-agro")

    client.force_login(other)
    pages = [
        client.get(f"/encuentros/gestion/{meeting.slug}/").status_code,
        client.post(f"/encuentros/gestion/{meeting.slug}/acta/", {"minutes": "x" * 20}).status_code,
        client.post(f"/encuentros/gestion/{meeting.slug}/asistencia/").status_code,
    ]
    listed = client.get("/encuentros/gestion/").content.decode()
    client.force_login(analyst)
    refused = client.get("/encuentros/gestion/")

    assert pages == [404, 404, 404]
    assert meeting.title not in listed
    assert refused.status_code == 403
    assert "Su rol no incluye la herramienta" in refused.content.decode()
    meeting.refresh_from_db()
    assert meeting.minutes == ""


def test_after_the_meeting_minutes_attendance_and_contributions(
    client, manager, make_meeting, exercise
):
    meeting = make_meeting(capacity=3, exercise_slug=exercise.slug)
    came = registration_create(meeting=meeting, phone="3001110000", consent=True)
    missed = registration_create(meeting=meeting, phone="3001110001", consent=True)
    meeting = move_to_past(meeting)
    client.force_login(manager)
    base = f"/encuentros/gestion/{meeting.slug}"

    minutes = client.post(
        f"{base}/acta/",
        {"minutes": "## Acuerdos\n\n- Visita técnica en enero <img src=x onerror=alert(1)>"},
    )
    attendance = client.post(f"{base}/asistencia/", {"asistio": [str(came.pk)]})
    entered = client.post(
        f"{base}/aportes/", {"kind": "proposal", "text": "Que el subsidio cubra los reservorios."}
    )

    assert (minutes.status_code, attendance.status_code, entered.status_code) == (302, 302, 302)
    meeting.refresh_from_db()
    assert "<h2>Acuerdos</h2>" in meeting.minutes_html and "onerror" not in meeting.minutes_html
    came.refresh_from_db()
    missed.refresh_from_db()
    assert (came.attended, missed.attended) == (True, False)
    contribution = Contribution.objects.get()
    assert (contribution.channel, contribution.entered_by, contribution.kind) == (
        "in_person",
        manager,
        "proposal",
    )
    assert MeetingContribution.objects.get().contribution == contribution
    actions = set(
        AuditEntry.objects.filter(
            object_type="meetings.meeting", object_id=str(meeting.pk)
        ).values_list("action", flat=True)
    )
    assert {"meeting.minutes", "meeting.attendance", "meeting.contribution_enter"} <= actions
    public = client.get(f"/encuentros/{meeting.slug}/").content.decode()
    assert "Acta del encuentro" in public and "Visita técnica en enero" in public


def test_minutes_and_attendance_wait_until_the_meeting_happened(manager, make_meeting):
    meeting = make_meeting()

    with pytest.raises(Exception) as caught:
        services.minutes_save(meeting=meeting, by=manager, minutes="Acta adelantada del taller.")

    assert "aún no ha empezado" in str(caught.value)
