"""The seams that keep exercises on its layer: sections of the results page registered from
above, the platform's one channel enum, and domain errors shown through ``core.web``."""

import typing

import pytest

from urna.accounts.models import Role
from urna.core.channels import OPERATOR_CHANNELS, Channel, channel_choices
from urna.exercises import api, demo, sections
from urna.exercises.models import CONTRIBUTION_CHANNELS, Contribution
from urna.insights.selectors import findings_for_exercise

pytestmark = pytest.mark.django_db


# --- sections of the results page -------------------------------------------------------------


def test_a_registered_section_reaches_the_results_page(client, make_exercise, monkeypatch):
    exercise = make_exercise(status="results")
    seen = []

    def section(for_exercise):
        seen.append(for_exercise.pk)
        return ["una sección"]

    monkeypatch.setitem(sections._results_sections, "extra_section", section)

    response = client.get(f"/ejercicios/{exercise.slug}/resultados/")

    assert response.status_code == 200
    assert response.context["extra_section"] == ["una sección"]
    assert seen == [exercise.pk]


def test_a_section_cannot_replace_what_the_page_itself_shows(client, make_exercise, monkeypatch):
    exercise = make_exercise(status="results")
    monkeypatch.setitem(sections._results_sections, "exercise", lambda e: "otro")

    response = client.get(f"/ejercicios/{exercise.slug}/resultados/")

    assert response.context["exercise"] == exercise


def test_sections_are_read_in_registration_order(make_exercise, monkeypatch):
    exercise = make_exercise(status="results")
    monkeypatch.setattr(sections, "_results_sections", {})
    sections.results_section_register("b", lambda e: 2)
    sections.results_section_register("a", lambda e: 1)
    sections.results_section_register("b", lambda e: 3)  # again: replaces it

    assert sections.results_sections(exercise) == {"b": 3, "a": 1}


def test_insights_registers_its_findings_in_ready():
    assert sections._results_sections["findings"] is findings_for_exercise


# --- one channel enum -------------------------------------------------------------------------


def test_contributions_use_the_platform_channel_enum():
    assert Contribution.Channel is Channel
    assert Contribution.Channel.SMS == "sms"
    field = Contribution._meta.get_field("channel")
    assert field.choices == channel_choices(CONTRIBUTION_CHANNELS)
    # Every channel a citizen writes or speaks by; not the internal ones.
    assert frozenset(Channel) - CONTRIBUTION_CHANNELS == {Channel.EXERCISE, Channel.SOCIAL}


def test_the_api_accepts_exactly_the_contribution_channels():
    assert set(typing.get_args(api.ChannelLiteral)) == set(CONTRIBUTION_CHANNELS)


def test_demo_channels_come_from_the_enum():
    assert set(demo.DEMO_OPERATOR_CHANNELS) == OPERATOR_CHANNELS
    assert set(demo.TEXT_CHANNELS) <= CONTRIBUTION_CHANNELS - OPERATOR_CHANNELS


# --- domain errors on staff pages (core.web.run_action) ---------------------------------------


def test_a_refused_transition_shows_the_error_and_changes_nothing(client, make_exercise, manager):
    exercise = make_exercise(status="draft")  # no closing date: it cannot open yet
    exercise.closes_at = None
    exercise.save(update_fields=["closes_at"])
    client.force_login(manager)

    response = client.post(
        f"/ejercicios/gestion/{exercise.slug}/fase/", {"to": "open"}, follow=True
    )

    exercise.refresh_from_db()
    assert exercise.status == "draft"
    assert [str(m) for m in response.context["messages"]] == [
        "Fije una fecha de cierre futura antes de abrir la participación."
    ]


def test_staff_of_the_entity_without_the_permission_get_403(
    client, make_exercise, make_staff, agriculture
):
    exercise = make_exercise(status="open")
    moderator = make_staff(agriculture, Role.MODERATOR, username="moderadora")
    client.force_login(moderator)

    response = client.post(f"/ejercicios/gestion/{exercise.slug}/fase/", {"to": "analysis"})

    exercise.refresh_from_db()
    assert response.status_code == 403
    assert exercise.status == "open"
