"""A meeting's staff page holds several forms (the meeting's own, the minutes, the attendance,
the contributions taken in the room): every id on it is used once, so each label finds its field
(axe-core's WCAG tags no longer check duplicate ids)."""

from collections import Counter
from html.parser import HTMLParser

import pytest

from urna.meetings.tests.conftest import move_to_past

pytestmark = pytest.mark.django_db


class _Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: Counter[str] = Counter()

    def handle_starttag(self, tag, attrs) -> None:
        self.ids.update(value for name, value in attrs if name == "id" and value)


def test_every_id_on_a_held_meetings_staff_page_is_unique(client, manager, make_meeting, exercise):
    meeting = move_to_past(make_meeting(exercise_slug=exercise.slug))
    client.force_login(manager)

    page = client.get(f"/encuentros/gestion/{meeting.slug}/")

    assert page.status_code == 200
    parser = _Ids()
    parser.feed(page.content.decode())
    assert 'id="id_contribution_kind"' in page.content.decode()
    assert [name for name, count in parser.ids.items() if count > 1] == []
