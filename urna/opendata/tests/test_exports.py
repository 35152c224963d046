import csv
import io
import json
import re
import zipfile

import pytest
from django.http import StreamingHttpResponse

from urna.opendata.tables import exercise_tables
from urna.opendata.tests.conftest import SECRETS

pytestmark = pytest.mark.django_db

SLUG = "desarrollo-rural"
TABLES = [t.name for t in exercise_tables()]


def _body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def _all_exports(client, slug=SLUG) -> dict[str, bytes]:
    urls = [f"/opendata/ejercicios/{slug}/{t}.{fmt}" for t in TABLES for fmt in ("csv", "json")]
    urls += [
        f"/opendata/ejercicios/{slug}/datapackage.json",
        "/opendata/catalog.json",
        "/datos/",
        f"/datos/ejercicios/{slug}/",
    ]
    bodies = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        bodies[url] = _body(response)
    archive = zipfile.ZipFile(io.BytesIO(_body(client.get(f"/opendata/ejercicios/{slug}.zip"))))
    for name in archive.namelist():
        bodies[f"zip:{name}"] = archive.read(name)
    return bodies


def test_no_personal_data_reaches_any_export(client, published):
    from urna.exercises.models import Contribution

    bodies = _all_exports(client)

    receipts = list(Contribution.objects.values_list("receipt", flat=True))
    keys = list(Contribution.objects.values_list("idempotency_key", flat=True))
    forbidden = [*SECRETS.values(), *receipts, *keys, "Texto pendiente", "Texto ofensivo"]
    # Also the digits of every phone and document, whatever the separators.
    forbidden += ["3004445566", "3105551234", "3219876543", "6013456789", "1023456789"]
    forbidden += ["900123456", "3157778899", "3001112233", "Rigoberta", "Registrado"]
    leaks = []
    for url, body in bodies.items():
        text = body.decode("utf-8")
        squeezed = re.sub(r"[ .\-()+]", "", text)
        for secret in forbidden:
            if secret in text or (secret.isdigit() and secret in squeezed):
                leaks.append((url, secret))
    assert leaks == []
    assert len(bodies) == 2 * len(TABLES) + 4 + 1 + len(TABLES)


def test_contributions_csv_is_rfc4180_with_only_visible_rows(client, published):
    from urna.opendata.anonymise import opaque_id

    response = client.get(f"/opendata/ejercicios/{SLUG}/aportes.csv")

    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="urna-ejercicio-{SLUG}-aportes.csv"'
    )
    raw = _body(response)
    assert not raw.startswith(b"\xef\xbb\xbf")  # no byte-order mark
    assert raw.count(b"\r\n") == 11 and b"\n" not in raw.replace(b"\r\n", b"")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8"), newline="")))
    assert len(rows) == 10  # 12 seeded, one hidden and one pending
    assert {r["moderacion"] for r in rows} == {"visible"}
    first = rows[0]
    assert first["texto"] == "Estoy de acuerdo. Escríbanme a [correo] o al [teléfono]."
    assert first["id"] == opaque_id(published.contributions.order_by("id").first().pk)
    assert first["fecha"] == "2025-03-02"
    assert first["departamento_dane"] == "17" and first["municipio_dane"] == "17001"
    assert first["respuesta_decision"] in {"accepted", "partial"}
    assert first["tema_id"] == "" and first["grupo_duplicados_id"] == ""
    # A text with commas is quoted; a quote inside would be doubled.
    assert b'"Soy [nombre], C.C. [documento], mi fijo [tel\xc3\xa9fono]."' in raw
    answers = [r for r in rows if r["tipo"] == "answer"]
    assert [(r["pregunta"], r["opcion"]) for r in answers] == [("1", "vias")] * 3 + [
        ("1", "agua")
    ] * 2


def test_json_is_an_array_of_objects_matching_the_csv(client, published):
    as_json = json.loads(_body(client.get(f"/opendata/ejercicios/{SLUG}/aportes.json")))
    as_csv = list(
        csv.DictReader(
            io.StringIO(_body(client.get(f"/opendata/ejercicios/{SLUG}/aportes.csv")).decode())
        )
    )

    assert isinstance(as_json, list) and len(as_json) == len(as_csv) == 10
    assert [r["id"] for r in as_json] == [r["id"] for r in as_csv]
    assert as_json[0]["pregunta"] is None and as_json[5]["pregunta"] == 1


def test_aggregated_tables(client, published):
    def rows(name):
        return json.loads(_body(client.get(f"/opendata/ejercicios/{SLUG}/{name}.json")))

    assert rows("resultados-preguntas") == [
        {
            "pregunta": 1,
            "pregunta_texto": "¿Qué priorizar?",
            "pregunta_tipo": "single",
            "opcion": "vias",
            "opcion_texto": "Vías",
            "respuestas": 3,
            "total_respondientes": 5,
            "porcentaje": 60.0,
        },
        {
            "pregunta": 1,
            "pregunta_texto": "¿Qué priorizar?",
            "pregunta_tipo": "single",
            "opcion": "agua",
            "opcion_texto": "Agua",
            "respuestas": 2,
            "total_respondientes": 5,
            "porcentaje": 40.0,
        },
    ]
    assert [
        (r["canal"], r["municipio_dane"], r["aportes"])
        for r in rows("participacion-canal-territorio")
    ] == [("sms", "17001", 2), ("ussd", "05001", 5), ("web", "17001", 3)]
    assert sum(r["aportes"] for r in rows("participacion-diaria")) == 10
    demographics = {(r["dimension"], r["valor"]): r for r in rows("participacion-demografica")}
    # 18-28: three contributions by two people (a contact and a user account): suppressed.
    assert demographics[("rango_edad", "18-28")] == {
        "dimension": "rango_edad",
        "valor": "18-28",
        "valor_texto": "18 a 28 años",
        "personas": None,
        "aportes": None,
        "suprimido": True,
    }
    assert demographics[("grupo_etnico", "sin_dato")]["personas"] == 8
    published_counts = [r["personas"] for r in demographics.values() if not r["suprimido"]]
    assert all(n >= 5 for n in published_counts)


def test_downloads_are_cacheable_and_revalidated(client, published):
    first = client.get(f"/opendata/ejercicios/{SLUG}/aportes.csv")
    etag, modified = first["ETag"], first["Last-Modified"]
    assert "max-age=300" in first["Cache-Control"] and "public" in first["Cache-Control"]

    again = client.get(f"/opendata/ejercicios/{SLUG}/aportes.csv", HTTP_IF_NONE_MATCH=etag)
    since = client.get(f"/opendata/ejercicios/{SLUG}/aportes.csv", HTTP_IF_MODIFIED_SINCE=modified)

    assert again.status_code == 304 and again.content == b""
    assert since.status_code == 304


def test_moderating_a_contribution_changes_the_etag(client, published):
    from django.core.cache import cache
    from django.utils import timezone

    from urna.exercises.models import Contribution

    etag = client.get(f"/opendata/ejercicios/{SLUG}/aportes.csv")["ETag"]
    contribution = published.contributions.filter(moderation="visible").first()
    Contribution.objects.filter(pk=contribution.pk).update(
        moderation="hidden", moderated_at=timezone.now()
    )
    cache.clear()  # the stamp is cached a minute

    response = client.get(f"/opendata/ejercicios/{SLUG}/aportes.csv", HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 200
    assert response["ETag"] != etag
    assert _body(response).count(b"\r\n") == 10  # header + 9 rows


def test_zip_holds_the_package_and_every_table(client, published):
    response = client.get(f"/opendata/ejercicios/{SLUG}.zip")

    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(_body(response)))
    assert archive.testzip() is None
    assert archive.namelist() == ["datapackage.json"] + [f"data/{t}.csv" for t in TABLES]
    descriptor = json.loads(archive.read("datapackage.json"))
    assert [r["path"] for r in descriptor["resources"]] == [f"data/{t}.csv" for t in TABLES]
    csv_direct = _body(client.get(f"/opendata/ejercicios/{SLUG}/aportes.csv"))
    assert archive.read("data/aportes.csv") == csv_direct
