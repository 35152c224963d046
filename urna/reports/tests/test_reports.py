from pathlib import Path

import pytest
from django.utils import timezone

from urna.opendata.tests.conftest import SECRETS, make_exercise, seed_contributions

pytestmark = pytest.mark.django_db

SLUG = "desarrollo-rural"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def owner(national_entities):
    from urna.entities.models import Entity

    return Entity.objects.get(acronym="MINAGRICULTURA")


@pytest.fixture
def published(owner):
    from urna.exercises.models import Exercise

    exercise = make_exercise(owner=owner, slug=SLUG, status=Exercise.Status.RESULTS)
    seed_contributions(exercise)
    return exercise


def test_report_page_shows_every_section_without_personal_data(client, published):
    response = client.get(f"/informes/{SLUG}/")

    assert response.status_code == 200
    page = response.content.decode()
    for heading in (
        "Qué se consultó y por qué",
        "Fechas y fases",
        "Por canal",
        "Por departamento",
        "Por día",
        "Resultados de las preguntas cerradas",
        "Temas y hallazgos",
        "Respuestas del gobierno",
        "Aprendizajes",
        "Datos abiertos",
    ):
        assert heading in page
    assert page.count('role="img"') == 4  # channel, department, day, one question
    assert "<title id=" in page and "<desc id=" in page
    assert "Manizales" not in page and "Caldas" in page and "Antioquia" in page
    assert "/datos/ejercicios/desarrollo-rural/" in page
    for secret in SECRETS.values():
        assert secret not in page


def test_report_figures(published):
    from urna.reports.selectors import report_data

    data = report_data(published)

    assert data["total"] == 10
    assert [(r["key"], r["count"]) for r in data["by_channel"]] == [
        ("ussd", 5),
        ("web", 3),
        ("sms", 2),
    ]
    assert [(d["code"], d["count"]) for d in data["by_department"]["top"]] == [
        ("05", 5),
        ("17", 5),
    ]
    assert sum(d["count"] for d in data["by_day"]) == 10
    assert {d["key"]: d["count"] for d in data["responses"]["decisions"]} == {
        "accepted": 3,
        "partial": 2,
        "not_accepted": 0,
    }


def test_report_of_a_large_exercise_reads_aggregates_only(published, django_assert_max_num_queries):
    from urna.reports.selectors import report_data

    with django_assert_max_num_queries(16):
        report_data(published)


def test_pdf_is_generated_stored_and_reused(client, published):
    from urna.reports.models import ReportFile

    first = client.get(f"/informes/{SLUG}/informe.pdf")
    stored = ReportFile.objects.get(exercise=published)
    second = client.get(f"/informes/{SLUG}/informe.pdf")

    assert first.status_code == 200 and first["Content-Type"] == "application/pdf"
    pdf = b"".join(first.streaming_content)
    assert pdf.startswith(b"%PDF-")
    assert stored.path == f"informes/{SLUG}-{int(stored.stamp.timestamp())}.pdf"
    assert b"".join(second.streaming_content) == pdf
    assert ReportFile.objects.get(exercise=published).generated_at == stored.generated_at
    revalidated = client.get(f"/informes/{SLUG}/informe.pdf", HTTP_IF_NONE_MATCH=first["ETag"])
    assert revalidated.status_code == 304


def test_pdf_is_regenerated_when_results_change(client, published, settings):
    from django.core.cache import cache

    from urna.exercises.models import Exercise
    from urna.reports.models import ReportFile

    client.get(f"/informes/{SLUG}/informe.pdf")
    old = ReportFile.objects.get(exercise=published)
    Exercise.objects.filter(pk=published.pk).update(
        updated_at=timezone.now() + timezone.timedelta(seconds=5)
    )
    cache.clear()

    client.get(f"/informes/{SLUG}/informe.pdf")

    new = ReportFile.objects.get(exercise=published)
    assert new.stamp > old.stamp
    assert (Path(settings.MEDIA_ROOT) / new.path).exists()
    assert not (Path(settings.MEDIA_ROOT) / old.path).exists()


def test_report_regenerate_queues_one_background_build(published):
    from urna.jobs.models import Job
    from urna.jobs.services import run_pending
    from urna.reports.models import ReportFile
    from urna.reports.services import report_regenerate

    report_regenerate(exercise=published)
    report_regenerate(exercise=published)

    assert Job.objects.filter(name="reports.pdf").count() == 1
    assert run_pending() == 1
    assert ReportFile.objects.get(exercise=published).size > 1000


def test_takeaways_are_written_by_staff_with_report_edit(client, published, make_staff, owner):
    from urna.accounts.models import Role
    from urna.audit.models import AuditEntry
    from urna.jobs.models import Job

    client.force_login(make_staff(owner, Role.ANALYST))

    response = client.post(
        f"/informes/gestion/{SLUG}/",
        {"body": "- Ampliar la **radio** comunitaria\n<script>alert(1)</script>"},
    )

    assert response.status_code == 302
    takeaways = published.report_takeaways
    assert "<strong>radio</strong>" in takeaways.body_html
    assert "<script>" not in takeaways.body_html
    assert AuditEntry.objects.filter(action="report.takeaways").count() == 1
    assert Job.objects.filter(name="reports.pdf").count() == 1
    assert "<strong>radio</strong>" in client.get(f"/informes/{SLUG}/").content.decode()


def test_takeaways_refused_to_other_entities_and_roles(client, published, make_staff, owner):
    from urna.accounts.models import Role
    from urna.entities.models import Entity
    from urna.reports.models import ReportTakeaways

    client.force_login(make_staff(Entity.objects.get(acronym="MINSALUD"), Role.MANAGER))
    assert client.post(f"/informes/gestion/{SLUG}/", {"body": "x"}).status_code == 404
    client.force_login(make_staff(owner, Role.MODERATOR))  # the role lacks the reports tool
    assert client.post(f"/informes/gestion/{SLUG}/", {"body": "x"}).status_code == 403
    assert ReportTakeaways.objects.count() == 0


def test_unpublished_exercises_have_no_report(client, owner):
    from urna.exercises.models import Exercise
    from urna.reports.models import ReportFile

    exercise = make_exercise(owner=owner, slug="abierto", status=Exercise.Status.OPEN)
    seed_contributions(exercise)

    assert client.get("/informes/abierto/").status_code == 404
    assert client.get("/informes/abierto/informe.pdf").status_code == 404
    assert client.get("/informes/no-existe/").status_code == 404
    assert ReportFile.objects.count() == 0


def test_annual_report_lists_the_year_with_figures(client, published, owner):
    from urna.exercises.models import Exercise

    make_exercise(owner=owner, slug="borrador", status=Exercise.Status.DRAFT, title="Borrador X")

    response = client.get("/informes/anual/2025/")
    index = client.get("/informes/")

    assert response.status_code == 200
    assert response.context["exercises"] == 1
    assert response.context["contributions"] == 10
    row = response.context["rows"][0]
    assert (row["contributions"], row["channels"], row["departments"]) == (10, 3, 2)
    assert row["accepted_percent"] == 100.0
    assert "Borrador X" not in response.content.decode()
    assert index.status_code == 200 and "/informes/anual/2025/" in index.content.decode()
    assert client.get("/informes/anual/1999/").status_code == 404


def test_pdf_content_has_no_personal_data(published):
    from urna.reports.services import report_pdf_html

    html = report_pdf_html(published)

    assert "Qué se consultó y por qué" in html
    for secret in SECRETS.values():
        assert secret not in html


def test_publishing_results_queues_the_report(owner, make_staff):
    from urna.accounts.models import Role
    from urna.exercises.models import Exercise
    from urna.exercises.services import exercise_transition
    from urna.jobs.models import Job

    manager = make_staff(owner, Role.MANAGER)
    exercise = make_exercise(owner=owner, slug="por-publicar", status=Exercise.Status.ANALYSIS)

    exercise_transition(exercise=exercise, to=Exercise.Status.RESULTS, by=manager)

    assert Job.objects.filter(unique_key=f"reports.pdf:{exercise.pk}").count() == 1


def test_the_dataset_page_links_to_the_published_report(client, published):
    # The reports app registers the link in its ready(): open data does not import reports.
    page = client.get(f"/datos/ejercicios/{SLUG}/").content.decode()

    assert f'href="/informes/{SLUG}/">Informe de participación</a>' in page


def test_an_unpublished_exercise_s_dataset_page_has_no_report_link(client, owner):
    from urna.exercises.models import Exercise
    from urna.opendata.models import DatasetSettings

    exercise = make_exercise(owner=owner, slug="preliminar", status=Exercise.Status.OPEN)
    DatasetSettings.objects.create(exercise=exercise, preliminary=True)

    response = client.get("/datos/ejercicios/preliminar/")

    assert response.status_code == 200
    assert "/informes/preliminar/" not in response.content.decode()
