import csv
import io
import json
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

pytestmark = pytest.mark.django_db
BOGOTA = ZoneInfo("America/Bogota")


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _query(entity, n, *, published, answered=True):
    from urna.queries.models import Query

    filed = datetime(2025, 4, 1, 9, 0, tzinfo=BOGOTA)
    return Query.objects.create(
        receipt=f"PQSECRET{n:04d}",
        type="peticion",
        text=f"Soy Ana, cédula 52.345.678, teléfono 3009998877 ({n})",
        channel="sms",
        state="closed" if answered else "assigned",
        entity=entity,
        municipality_id="17001",
        filed_at=filed,
        term_start=filed.date(),
        term_days=15,
        due_date=date(2025, 4, 23),
        answer="Respuesta privada a Ana" if answered else "",
        answered_at=datetime(2025, 4, 10, 15, 0, tzinfo=BOGOTA) if answered else None,
        business_days_taken=7 if answered else None,
        answered_within_term=True if answered else None,
        published_at=datetime(2025, 4, 11, tzinfo=BOGOTA) if published else None,
        public_question="Pregunta pública" if published else "",
        public_answer="Respuesta pública" if published else "",
    )


@pytest.fixture
def queries(owner):
    from urna.queries.models import QueryStat

    _query(owner, 1, published=True)
    _query(owner, 2, published=False)
    _query(owner, 3, published=True, answered=False)
    QueryStat.objects.create(
        scope=owner.pk,
        month=date(2025, 4, 1),
        dim="all",
        received=3,
        answered=2,
        answered_within_term=2,
    )
    QueryStat.objects.create(
        scope=0,
        month=date(2025, 4, 1),
        dim="all",
        received=3,
        answered=2,
        answered_within_term=2,
    )


def test_only_answered_and_published_queries_without_texts(client, queries, owner):
    from urna.opendata.anonymise import opaque_id
    from urna.queries.models import Query

    raw = _body(client.get("/opendata/pqrsd/consultas.csv")).decode()

    rows = list(csv.DictReader(io.StringIO(raw)))
    assert rows == [
        {
            "id": opaque_id(Query.objects.get(receipt="PQSECRET0001").pk),
            "tipo": "peticion",
            "entidad": "MINAGRICULTURA",
            "entidad_nombre": "Ministerio de Agricultura y Desarrollo Rural",
            "canal": "sms",
            "departamento_dane": "17",
            "fecha_radicacion": "2025-04-01",
            "fecha_respuesta": "2025-04-10",
            "dias_habiles": "7",
            "dentro_del_termino": "true",
        }
    ]
    for secret in ("PQSECRET", "Ana", "52.345.678", "3009998877", "Respuesta privada"):
        assert secret not in raw


def test_entity_sla_figures(client, queries):
    rows = json.loads(_body(client.get("/opendata/pqrsd/cumplimiento-entidades.json")))

    assert [(r["anio"], r["entidad"], r["recibidas"], r["porcentaje_a_tiempo"]) for r in rows] == [
        (2025, "", 3, 100.0),
        (2025, "MINAGRICULTURA", 3, 100.0),
    ]


def test_queries_dataset_is_in_the_catalogue(client, queries):
    catalog = client.get("/opendata/catalog.json").json()

    assert [d["identifier"] for d in catalog["dataset"]] == ["urna-pqrsd"]
    assert client.get("/datos/pqrsd/").status_code == 200
    assert client.get("/opendata/pqrsd.zip").status_code == 200


def test_no_queries_dataset_before_any_query(client, db):
    assert client.get("/opendata/pqrsd/consultas.csv").status_code == 404
    assert client.get("/datos/pqrsd/").status_code == 404
