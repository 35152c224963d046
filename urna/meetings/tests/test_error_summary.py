"""The meetings' staff forms (new meeting, edit, minutes, contributions taken in the room,
cancellation) re-render after an invalid POST with the error summary at the top, each error a
link to its field — on the staff page of a meeting, to the field of the form that was sent."""

import pytest

from urna.core.tests.a11y import error_summary_links
from urna.meetings.tests.conftest import move_to_past

pytestmark = pytest.mark.django_db


def test_a_new_meeting_sent_empty_shows_the_summary_linking_the_first_field(client, manager):
    client.force_login(manager)

    response = client.post("/encuentros/gestion/nuevo/", {"title": ""})

    assert "Hay un problema" in response.content.decode()
    assert error_summary_links(response.content.decode())[0] == "id_entity"


@pytest.mark.parametrize(
    ("held", "action", "data", "first"),
    [
        (False, "", {"title": ""}, "id_entity"),
        (True, "acta/", {"minutes": ""}, "id_minutes"),
        (True, "aportes/", {"kind": "", "text": ""}, "id_contribution_kind"),
        (False, "cancelar/", {"reason": ""}, "id_reason"),
    ],
)
def test_a_meeting_form_sent_empty_shows_the_summary_linking_its_field(
    client, manager, make_meeting, exercise, held, action, data, first
):
    meeting = make_meeting(exercise_slug=exercise.slug)
    if held:
        meeting = move_to_past(meeting)
    client.force_login(manager)

    response = client.post(f"/encuentros/gestion/{meeting.slug}/{action}", data)

    assert "Hay un problema" in response.content.decode()
    assert error_summary_links(response.content.decode())[0] == first
