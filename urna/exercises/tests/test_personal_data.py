"""Personal data typed into a contribution never reaches a public output (issue #12): the
exercise page, the public API, the receipt page and the results show the masked text; the
moderator sees the original and a flag, and can filter by it."""

import json

import pytest
from django.urls import reverse

from urna.accounts.models import Role
from urna.exercises import services
from urna.exercises.models import Contribution

pytestmark = pytest.mark.django_db

TEXT = (
    "Soy Juan Carlos Pérez Rodríguez, cédula 1053778899, vivo en la Calle 23 #45-12 barrio "
    "La Enea, escríbanme a juan.perez@gmail.com o al 320 555 0147"
)
SECRETS = (
    "Juan Carlos",
    "Pérez Rodríguez",
    "1053778899",
    "Calle 23 #45-12",
    "juan.perez@gmail.com",
    "320 555 0147",
)


@pytest.fixture
def exercise(make_exercise):
    return make_exercise(status="open")


@pytest.fixture
def submitted(client, exercise):
    response = client.post(
        f"/api/v1/exercises/{exercise.slug}/contributions",
        {"kind": "opinion", "text": TEXT},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    return Contribution.objects.get(receipt=response.json()["receipt"])


def test_the_issues_example_is_masked_at_intake(submitted):
    assert submitted.text == TEXT
    assert submitted.public_text == (
        "Soy [nombre], cédula [documento], vivo en la [dirección] barrio La Enea, escríbanme a "
        "[correo] o al [teléfono]"
    )
    assert submitted.personal_data == "name,document,phone,email,address"


def test_no_public_output_shows_it_verbatim(client, exercise, submitted):
    receipt = submitted.receipt
    outputs = {
        "page": client.get(exercise.get_absolute_url()).content.decode(),
        "api list": json.dumps(
            client.get(f"/api/v1/exercises/{exercise.slug}/contributions").json(),
            ensure_ascii=False,
        ),
        "receipt page": client.get(f"/r/{receipt}").content.decode(),
        "receipt api": json.dumps(
            client.get(f"/api/v1/contributions/{receipt}").json(), ensure_ascii=False
        ),
    }

    for name, output in outputs.items():
        assert "escríbanme a [correo]" in output, name
        for secret in SECRETS:
            assert secret not in output, (name, secret)


def test_results_page_shows_the_masked_text(client, exercise, submitted, manager):
    exercise.status = "results"
    exercise.save(update_fields=["status"])

    page = client.get(reverse("exercises:results", args=[exercise.slug])).content.decode()

    assert "[documento]" in page
    assert all(secret not in page for secret in SECRETS)


def test_the_moderator_sees_the_original_and_the_flag_and_filters_by_it(
    client, exercise, submitted, agriculture, make_staff
):
    clean = services.contribution_submit(
        exercise=exercise, kind="opinion", text="Más vías terciarias", channel="web"
    ).contribution
    client.force_login(make_staff(agriculture, Role.MODERATOR, username="moderadora"))
    url = reverse("exercises:staff_moderation", args=[exercise.slug])

    everything = client.get(url).content.decode()
    flagged = client.get(url, {"datos": "1"}).content.decode()

    assert "juan.perez@gmail.com" in everything and clean.text in everything
    assert "contiene datos personales" in everything
    assert "nombre, documento, teléfono, correo, dirección" in everything
    assert "juan.perez@gmail.com" in flagged
    assert clean.text not in flagged


def test_a_manager_without_the_moderation_role_reads_the_masked_text(
    client, exercise, submitted, manager
):
    client.force_login(manager)

    matrix = client.get(reverse("results:matrix", args=[exercise.slug])).content.decode()
    export = b"".join(
        client.get(reverse("exercises:staff_export", args=[exercise.slug])).streaming_content
    )

    for output in (matrix, export.decode()):
        assert "[correo]" in output
        assert "juan.perez@gmail.com" not in output


def test_rows_stored_without_a_masked_text_are_masked_by_the_command(exercise):
    row = services.contribution_submit(
        exercise=exercise, kind="opinion", text=TEXT, channel="web"
    ).contribution
    Contribution.objects.filter(pk=row.pk).update(public_text="", personal_data="")

    assert services.contributions_mask() == 1

    row.refresh_from_db()
    assert row.public_text.startswith("Soy [nombre], cédula [documento]")
    assert row.personal_data == "name,document,phone,email,address"
    assert services.contributions_mask() == 0
