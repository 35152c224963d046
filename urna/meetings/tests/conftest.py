"""Fixtures of the meetings tests: a manager of the Ministry of Agriculture, an open exercise,
and meetings made through the services."""

from datetime import timedelta

import pytest
from django.utils import timezone

from urna.accounts.models import Role
from urna.exercises import selectors as exercise_selectors
from urna.exercises import services as exercise_services
from urna.exercises.models import Exercise
from urna.meetings import services
from urna.meetings.models import Meeting

MANIZALES = "17001"


@pytest.fixture(autouse=True)
def _fresh_submission_snapshots():
    exercise_selectors.submission_cache_clear()
    exercise_selectors._rules_cache.clear()
    exercise_selectors._municipality_codes.clear()
    yield


@pytest.fixture
def outbox(settings, tmp_path):
    settings.MESSAGING_SMS_BACKEND = "file"
    settings.MESSAGING_WHATSAPP_BACKEND = "file"
    settings.MESSAGING_EMAIL_BACKEND = "smtp"
    settings.MESSAGING_FILE_PATH = tmp_path / "outbox"
    settings.URNA_SITE_URL = "https://urna.example"
    return tmp_path / "outbox"


@pytest.fixture
def manager(agriculture, make_staff):
    return make_staff(agriculture, Role.MANAGER, username="gestora")


@pytest.fixture
def exercise(manager, agriculture):
    created = exercise_services.exercise_create(
        by=manager,
        owner=agriculture,
        title="Pacto agrario: ejercicio de prueba",
        summary="Resumen del ejercicio de prueba.",
        kind=Exercise.Kind.POLICY,
        closes_at=timezone.now() + timedelta(days=30),
    )
    exercise_services.exercise_transition(exercise=created, to="open", by=manager)
    return created


@pytest.fixture
def make_meeting(manager, agriculture):
    """make_meeting(days=3, capacity=2, publish=True, **fields) → a meeting of agriculture."""

    def make(*, days=3, hours=2, capacity=2, publish=True, entity=None, by=None, **fields):
        by = by or manager
        starts = timezone.now() + timedelta(days=days)
        data = services.MeetingData(
            title=fields.pop("title", "Taller de riego en Manizales"),
            kind=fields.pop("kind", Meeting.Kind.WORKSHOP),
            mode=fields.pop("mode", Meeting.Mode.IN_PERSON),
            starts_at=starts,
            ends_at=starts + timedelta(hours=hours),
            description=fields.pop("description", "Cómo pedir el **subsidio** de riego."),
            address=fields.pop("address", "Calle 5 # 3-20, Casa de la cultura"),
            municipality_code=fields.pop("municipality_code", MANIZALES),
            capacity=capacity,
            **fields,
        )
        meeting = services.meeting_create(entity=entity or agriculture, by=by, data=data)
        if publish:
            services.meeting_publish(meeting=meeting, by=by)
        return meeting

    return make


def move_to_past(meeting: Meeting, *, hours_ago: int = 3) -> Meeting:
    """The meeting took place (dates moved without the services: they refuse past dates)."""
    starts = timezone.now() - timedelta(hours=hours_ago)
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=starts, ends_at=starts + timedelta(hours=2)
    )
    meeting.refresh_from_db()
    return meeting
